"""The meeting pack: standalone HTML, the Excel workbook, the written summary, the stamp, the command line."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import re
import subprocess
import sys
from dataclasses import replace
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook

from sim.cli import EXIT_INPUT, EXIT_OK, main
from sim.engine import run
from sim.params import Text
from sim.provenance import stamp
from sim.report.html import plotly_bundle_path, render_html
from sim.report.pack import build_pack
from sim.report.summary import summary
from sim.report.workbook import SHEETS, render_xlsx
from sim.scenario import baseline, load_scenario
from sim.targets import evaluate_all
from sim.views import fmt
from sim.views.scorecard import RankStatus

ROOT = Path(__file__).resolve().parents[1]
R57 = ROOT / "scenarios" / "resolution57.yaml"
DAY = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def r57():
    return load_scenario(R57)


@pytest.fixture(scope="module")
def html_en(r57):
    others = [baseline(), load_scenario(ROOT / "scenarios" / "private-mobilisation.yaml")]
    pack = build_pack(r57, others, "en", {"dti_rank": RankStatus(7, "expected")}, today=DAY)
    return pack, render_html(pack)


class _Refs(HTMLParser):
    """Every element with a src/href, every <link> and <script> tag."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data") or (name == "content" and "url=" in (value or "").lower()):
                self.refs.append((tag, name, value or ""))


def test_the_html_has_no_external_script_style_font_or_link(html_en):
    _, html = html_en
    parser = _Refs()
    parser.feed(html)
    assert "script" in parser.tags
    assert "link" not in parser.tags  # no style sheets, fonts or icons from elsewhere
    assert parser.refs == []  # no src= or href= at all: nothing is fetched
    head = html[: html.index("<script")]
    assert "@import" not in head and "url(" not in head


def test_the_html_embeds_plotly_and_draws_every_chart(html_en):
    pack, html = html_en
    # plotly.js is in the file, compressed: unpacking what is embedded gives the installed bundle byte for byte
    packed = re.search(r'<script type="application/gzip;base64" id="plotly-gz">([^<]+)</script>', html)
    assert packed is not None
    assert gzip.decompress(base64.b64decode(packed.group(1))) == plotly_bundle_path().read_bytes()
    assert html.count("<script>") == 1  # the charts and the live levers
    assert len(html.encode("utf-8")) <= 3_500_000
    n_charts = len(pack.charts) + len(pack.compare_charts)
    assert n_charts == 5 + 3
    assert html.count('class="plot"') == n_charts
    assert "Plotly.newPlot(" in html


def test_the_html_carries_the_stamp_summary_scorecard_and_sources(html_en, r57):
    pack, html = html_en
    day_stamp = stamp(r57, "en", DAY)
    assert pack.stamp == day_stamp
    assert html.count(escape(day_stamp)) >= 2  # header and footer (the charts carry it too)
    assert escape(summary(r57, lang="en", ranks={"dti_rank": RankStatus(7, "expected")})) in html
    for text in ("Core model", "Modelled (illustrative)", "Entered", "Online public-service use", "top 5"):
        assert text in html
    for scen in pack.compare_runs:
        assert scen[0].content_hash() in html
    # Sources of the assumptions and of the base-year data.
    assert "Guellec &amp; van Pottelsberghe" in html
    assert "diendandoanhnghiep.vn" in html
    assert "illustrative assumption" in html


def test_the_workbook_matches_an_independent_engine_run(r57, tmp_path):
    pack = build_pack(r57, [], "en", today=DAY)
    path = tmp_path / "pack.xlsx"
    path.write_bytes(render_xlsx(pack))
    wb = load_workbook(path)
    assert wb.sheetnames == [SHEETS[k].en for k in ("summary", "assumptions", "annual", "targets", "comparison")]
    day_stamp = stamp(r57, "en", DAY)
    for ws in wb:
        assert ws["A1"].value == day_stamp
    assert wb.properties.description == day_stamp

    fresh = run(load_scenario(R57))  # not the pack's result: a run of its own
    ws = wb["Annual results"]
    header = [c.value for c in ws[3]]
    years = header[4:]
    assert years == list(range(2024, 2046))
    seen = set()
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[1] != r57.content_hash() or row[2] not in fresh.variables:
            continue
        assert all(isinstance(v, float | int) for v in row[4:])  # native numbers, not text
        # the engine's own values: shares as fractions in a percent format (Excel percentages)
        assert_allclose(row[4:], fresh.single(row[2]), rtol=1e-12, err_msg=row[2])
        seen.add(row[2])
    assert seen == set(fresh.variables)
    cost = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[2] == "Cost|STI and DX|2025-2030|Nominal")
    assert_allclose(cost[4], fresh.costs["Cost|STI and DX|2025-2030|Nominal"][0])

    targets = {r[1]: r for r in wb["Targets"].iter_rows(min_row=4, values_only=True)}
    for tr in evaluate_all(fresh, r57.profile):
        # a target in percent is an Excel percentage (30 % is stored as 0.30)
        scale = 0.01 if tr.target.unit.startswith("%") else 1.0
        assert_allclose(targets[tr.id][4], tr.value[0] * scale)
        assert targets[tr.id][9] is bool(tr.met[0])
    assert targets["online_public_services"][0] == "Modelled (illustrative)"
    assert targets["dti_rank"][9] is None  # not entered

    cmp_rows = list(wb["Comparison"].iter_rows(min_row=3, values_only=True))
    assert cmp_rows[0][:5] == ("Outcome", "Year", "Unit", "Baseline – Bình Phước", "Resolution 57 path")
    digital = next(r for r in cmp_rows if r[0] == "Digital economy share of GRDP" and r[1] == 2030)
    assert_allclose(digital[4], fresh.at("Digital Economy|Share of GRDP", 2030)[0])
    base = run(baseline())
    assert_allclose(digital[3], base.at("Digital Economy|Share of GRDP", 2030)[0])

    assumptions = {r[1]: r for r in wb["Assumptions"].iter_rows(min_row=4, values_only=True)}
    assert assumptions["stid_budget_share"][7] is True  # changed by the scenario
    assert assumptions["inflation"][3] == 4.0 and assumptions["inflation"][7] is False
    assert "Guellec" in assumptions["rd_crowding_in"][9]


def test_the_hash_is_stable_across_runs_and_names(r57):
    again = load_scenario(R57)
    renamed = replace(again, name=Text(vi="Tên khác", en="Another name"), author="someone else")
    assert r57.content_hash() == again.content_hash() == renamed.content_hash()
    assert stamp(renamed, "en", DAY).endswith(f"#{r57.content_hash()} · 2026-03-01")
    changed = r57.with_changes(rd_share_of_stid=41.0)
    assert changed.content_hash() != r57.content_hash()
    a = build_pack(r57, [], "vi", today=DAY)
    b = build_pack(renamed, [], "vi", today=DAY)
    assert a.stamp.split("#")[1] == b.stamp.split("#")[1]
    # A fresh interpreter computes the same hash (no per-process salt).
    code = f"from sim.scenario import load_scenario; print(load_scenario({str(R57)!r}).content_hash())"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == r57.content_hash()


def test_the_summary_states_targets_baseline_and_cost(r57):
    res = run(r57)
    base = run(baseline())
    text = summary(r57, res, "vi")
    met = sum(bool(t.met[0]) for t in evaluate_all(res, r57.profile))
    met_base = sum(bool(t.met[0]) for t in evaluate_all(base, r57.profile))
    n = len(r57.profile.targets)
    assert text.startswith(f"Kịch bản «Lộ trình Nghị quyết 57» (Bình Phước) đạt {met}/{n} mục tiêu")
    assert f"{met_base}/{n})" in text
    cost = res.costs["Cost|STI and DX|2025-2030|Nominal"][0]
    later = res.costs["Cost|STI and DX|2031-2045|Nominal"][0]
    assert fmt.money(cost, "vi") in text and fmt.money(later, "vi") in text
    extra = cost - base.costs["Cost|STI and DX|2025-2030|Nominal"][0]
    assert fmt.signed(extra, "vi", 0, " tỷ đồng") in text
    digital = res.at("Digital Economy|Share of GRDP", 2030)[0] * 100
    assert f"Kinh tế số ≥ 30 % GRDP năm 2030: {fmt.percent(digital, 'vi')}, chưa đạt" in text
    en = summary(r57, res, "en")
    assert "(current prices)" in en and fmt.money(cost, "en") in en
    # Mobilising enterprises is not free: the incentives and the fiscal cost (envelope + incentives) are said.
    incentives = res.costs["Cost|R&D Incentives|2025-2030|Nominal"][0]
    assert incentives > 0 and fmt.money(incentives, "en") in en and fmt.money(cost + incentives, "en") in en
    assert "fiscal cost" not in summary(baseline(), base, "en")  # nothing mobilised, nothing to add
    # The baseline is not compared with itself.
    own = summary(baseline(), base, "en")
    assert "against" not in own and "baseline 16" not in own


def test_report_modules_import_neither_plotly_nor_streamlit():
    code = (
        "import sys, sim.report.pack, sim.report.html, sim.report.workbook, sim.report.cli, sim.views.scorecard, "
        "sim.story;"
        "bad = [m for m in ('plotly', 'streamlit') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# ---------------------------------------------------------------- command line


def test_cli_writes_html_and_xlsx(tmp_path, capsys):
    html = tmp_path / "pack.html"
    assert main(["report", str(R57), "--compare", "baseline", "-o", str(html), "--lang", "en"]) == EXIT_OK
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Resolution 57 path" in text
    xlsx = tmp_path / "pack.xlsx"
    assert main(["report", str(R57), "-o", str(xlsx), "--rank", "dti_rank=3:achieved", "--lang", "vi"]) == EXIT_OK
    wb = load_workbook(xlsx)
    dti = next(r for r in wb["Mục tiêu"].iter_rows(min_row=4, values_only=True) if r[1] == "dti_rank")
    assert dti[4] == 3 and dti[9] is True
    other = tmp_path / "pack.data"
    assert main(["report", str(R57), "-o", str(other), "--format", "xlsx"]) == EXIT_OK
    assert other.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "no/such/file.yaml", "-o", "{out}.html"], "no such file"),
        (["report", "no-such-id", "-o", "{out}.html"], "no scenario with this id"),
        (["report", str(R57), "-o", "{out}.docx"], "use .html, .xlsx or .pdf"),
        (["report", str(R57), "-o", "{out}.html", "--rank", "dti_rank=70"], "outside 1..63"),
        (["report", str(R57), "-o", "{out}.html", "--rank", "pii=3"], "unknown rank target"),
        (["report", "{bad}", "-o", "{out}.html"], "stid_budget_share: 50 is outside"),
        (["report", str(R57), "--compare", "{bad}", "-o", "{out}.html"], "outside the allowed range"),
    ],
)
def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nregion: binh-phuoc\nlevers: {stid_budget_share: 50}\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [a.replace("{out}", str(out)).replace("{bad}", str(bad)) for a in args]
    assert main(argv) == EXIT_INPUT
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_cli_pdf_without_chromium_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "no-chromium-here"))
    out = tmp_path / "pack.pdf"
    assert main(["report", str(R57), "-o", str(out)]) == EXIT_INPUT
    assert "PDF needs Chromium" in capsys.readouterr().err
    assert not out.exists()


def test_cli_missing_output_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as ex:
        main(["report", str(R57)])
    assert ex.value.code == EXIT_INPUT
    assert "-o/--output" in capsys.readouterr().err
