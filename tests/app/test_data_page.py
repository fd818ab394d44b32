"""The Data & assumptions page (AppTest): the k0 fit, the crowding-in limit and Bình Phước inside Đồng Nai.

Expected values are computed here by hand (DATA.md figures, MODEL.md eq. 10 by bisection) and written
the Vietnamese way by hand, not by the formatter the page uses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.scenario import baseline
from tests.app.tabs import DATA as TAB

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = "ui/page_data.py"


def open_data(scenario=None, lang: str = "vi", tab: str = "data") -> AppTest:
    """The Data & assumptions page with ``tab`` open (an id: "parameters", "calibration" …; drawn alone)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if scenario is not None:
        at.session_state["scenario"] = scenario
    at.session_state[TAB] = tab
    at.switch_page(DATA).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def vi(x: float, decimals: int) -> str:
    """A number written the Vietnamese way, by hand: '.' for thousands, ',' for decimals."""
    whole, _, frac = f"{x:.{decimals}f}".partition(".")
    sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups) + ("," + frac if frac else "")


def k0_by_bisection(D: float, start: float = 0.119, end: float = 0.183, steps: int = 3) -> float:
    """The k0 for which three steps of eq. 10 (κ = 0) take 11.9 % to 18.3 %: two points, an exact fit."""

    def reach(k: float) -> float:
        d = start
        for _ in range(steps):
            d += k * d * (1 - d / D)
        return d

    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if reach(mid) < end else (lo, mid)
    return (lo + hi) / 2


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_k0_fit_for_the_current_ceiling_and_its_range():
    at = open_data(baseline("binh-phuoc"), tab="calibration")
    m = metrics(at)
    assert m["Trần D của kịch bản hiện tại"] == "60 %"
    assert m["k0 khớp được (1/năm)"] == "0,2007"  # MODEL.md v2
    assert m["k0 với D = 45-75 %"] == f"{vi(k0_by_bisection(0.75), 4)} – {vi(k0_by_bisection(0.45), 4)}"
    assert m["k0 với D = 45-75 %"] == "0,1893 – 0,2234"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    observed = next(t for t in spec["data"] if t["mode"] == "markers")
    assert observed["x"] == [2021, 2024] and observed["y"] == [11.9, 18.3]
    fitted = next(t for t in spec["data"] if "0,2007" in t["name"])
    assert fitted["x"][:4] == [2021, 2022, 2023, 2024] and fitted["x"][-1] == 2045
    assert fitted["y"][0] == 11.9 and fitted["y"][3] == 18.3
    assert spec["layout"]["separators"] == ",."


def test_the_fit_follows_the_current_scenarios_ceiling():
    at = open_data(baseline("binh-phuoc").with_changes(digital_ceiling=45.0), tab="calibration")
    m = metrics(at)
    assert m["Trần D của kịch bản hiện tại"] == "45 %"
    assert m["k0 khớp được (1/năm)"] == vi(k0_by_bisection(0.45), 4) == "0,2234"


def test_the_crowding_in_limit_per_profile():
    at = open_data(tab="calibration")
    table = next(df.value for df in at.dataframe if "λ lớn nhất" in df.value.columns)
    limits = dict(zip(table["Hồ sơ vùng"], table["λ lớn nhất"], strict=True))
    # r0 / (θ0·s0·b0) − 1: Bình Phước 0.0015 / (0.40 × 0.01 × 0.134) − 1 = 1.7985; Vietnam
    # 0.0042 / (0.36 × 0.03 × 0.20) − 1 = 0.9444; Đồng Nai 0.003 / (0.40 × 0.015 × 0.10) − 1 = 4
    assert limits == {"Bình Phước": "1,799", "Đồng Nai (sau sáp nhập)": "4,000", "Việt Nam (toàn quốc)": "0,944"}
    assert set(table["Loại"]) == {"tính toán"}  # the tag word in Vietnamese, not "derived"


# Bình Phước's GRDP by hand: 115,357 bn (2024) at 8 % real growth and 4 % inflation a year.
Y2025 = 115_357 * 1.08 * 1.04  # 129,569
Y2030 = 115_357 * (1.08 * 1.04) ** 6  # 231,626


def merger_table(at: AppTest, computation: str = "Cách tính"):
    df = next(df.value for df in at.dataframe if computation in df.value.columns)
    return df.set_index(df.columns[0])


def test_binh_phuoc_inside_dong_nai_by_hand():
    # No diffusion (k0 = 0): the digital share stays at its 8 % base, its value added is 8 % of GRDP.
    at = open_data(baseline("binh-phuoc").with_changes(digital_diffusion_base=0.0), tab="merger")
    table = merger_table(at)
    grdp = table.loc["GRDP > 1,2 triệu tỷ đồng năm 2030"]
    assert grdp["Bình Phước năm 2030"] == f"{vi(Y2030, 0)} tỷ đồng" == "231.626 tỷ đồng"
    assert grdp.iloc[2] == vi(Y2030 / 1_200_000 * 100, 1) + " %" == "19,3 %"
    assert grdp["Cách tính"] == "231.626 tỷ đồng ÷ 1.200.000 tỷ đồng"
    digital = table.loc["Kinh tế số > 30 % GRDP năm 2030"]
    assert digital["Bình Phước năm 2030"] == "8,00 %"  # one rule for percents: two decimals below 10 %
    assert digital["Bình Phước tự đạt"] == "chưa đạt"
    # 0.08 × 231,626 = 18,530 bn against 30 % × 1,200,000 = 360,000 bn: 5.1 %
    assert digital["Cách tính"] == f"{vi(0.08 * Y2030, 0)} tỷ đồng ÷ 360.000 tỷ đồng"
    assert digital.iloc[2] == vi(0.08 * Y2030 / 360_000 * 100, 1) + " %" == "5,1 %"
    rd = table.loc["Chi R&D 2 % GRDP năm 2030"]  # 0.15 % × 231,626 = 347.4 bn against 2 % × 1,200,000
    assert rd["Cách tính"] == "347 tỷ đồng ÷ 24.000 tỷ đồng"  # money in whole billions, one rule
    assert table.loc["≥ 60 % chi R&D ngoài ngân sách năm 2030"]["Bình Phước tự đạt"] == "đạt"  # 64.3 %
    # the 2025 share: 129,569 / 677,000 = 19.1 %
    text = " ".join(md.value for md in at.markdown)
    assert f"**{vi(Y2025 / 677_000 * 100, 1)} %**" in text and "**19,1 %**" in text
    assert "129.569 tỷ đồng" in text and "677.000 tỷ đồng" in text


@pytest.mark.parametrize("region", ["vietnam", "dong-nai"])
def test_another_regions_scenario_reads_bình_phước_baseline(region):
    at = open_data(baseline(region).with_changes(stid_budget_share=5.0), tab="merger")
    assert any("kịch bản cơ sở của Bình Phước" in c.value for c in at.caption)
    grdp = merger_table(at).loc["GRDP > 1,2 triệu tỷ đồng năm 2030"]
    assert grdp["Bình Phước năm 2030"] == "231.626 tỷ đồng"


def test_the_page_in_english():
    at = open_data(baseline("binh-phuoc"), lang="en", tab="calibration")
    assert metrics(at)["Fitted k0 (1/yr)"] == "0.2007"
    table = merger_table(open_data(baseline("binh-phuoc"), lang="en", tab="merger"), "Computation")
    assert table.loc["GRDP > 1.2 million bn VND in 2030"]["Computation"] == "231,626 bn VND ÷ 1,200,000 bn VND"
    levers = open_data(baseline("binh-phuoc"), lang="en", tab="parameters").dataframe[0].value.set_index("id")
    assert levers.loc["stid_budget_share", "Source"].startswith("No provincial figure published")
    assert levers.loc["stid_budget_share", "Tag"] == "assumption"
    assert "6.32 / 8.42 / 8.34" in set(open_data(baseline("binh-phuoc"), lang="en").dataframe[0].value["Value"])


def test_equations_are_written_from_the_engines_constants(monkeypatch):
    from sim import engine

    at = open_data(tab="equations")
    latex = [x.value for x in at.latex]
    assert sum("1{,}5" in x for x in latex) == 2  # the ≥ 60 % rule's ratio in eq. 7 and eq. 12, written "1,5"
    assert not any(r"\text{if}" in x or "if " in x for x in latex)
    # change the engine's constants: the page follows, so the two cannot drift apart
    monkeypatch.setattr(engine, "RULE_RATIO", 2.5)
    monkeypatch.setattr(engine, "K_MAX", 0.8)
    latex = [x.value for x in open_data(tab="equations").latex]
    assert sum("2{,}5" in x for x in latex) == 2 and not any("1{,}5" in x for x in latex)
    assert any(r"\min\!\big(0{,}8," in x for x in latex)


def test_sources_tags_and_figures_in_vietnamese():
    base = open_data(baseline("binh-phuoc")).dataframe[0].value
    levers = open_data(baseline("binh-phuoc"), tab="parameters").dataframe[0].value
    # DATA.md: the envelope share is an assumption because "no provincial figure published"
    envelope = levers.set_index("id").loc["stid_budget_share"]
    assert envelope["Loại"] == "giả định"
    assert envelope["Nguồn"].startswith("Tỉnh chưa công bố")
    assert not any("published" in s or "Not published" in s for s in base["Nguồn"])
    assert set(base["Loại"]) <= {"chính thức", "sơ bộ", "kế hoạch", "tính toán", "giả định"}
    # real growth 2021-2023 (6.32 %, 8.42 %, 8.34 %, DATA.md) with decimal commas
    assert "6,32 / 8,42 / 8,34" in set(base["Giá trị"])
    assert "14.200-16.800" in set(base["Giá trị"])  # budget spending 2024, bn VND
    rule = levers.set_index("id").loc["rule_mode"]  # the rule's name as its control shows it, not "report"
    assert rule["Mặc định (Bình Phước)"] == "Chỉ báo vi phạm"
