"""Live levers: every precomputed step equals the engine's run of the scenario the release would make."""

from __future__ import annotations

import base64
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sim import engine
from sim.profiles import load_profile
from sim.scenario import Scenario, baseline, load_scenario
from sim.views import fmt, live

ROOT = Path(__file__).resolve().parents[1]
PRESETS = sorted((ROOT / "scenarios").glob("*.yaml"))
VARIABLES = ("Digital Economy|Share of GRDP", "R&D|Public", "R&D|Non-state", "GRDP|Nominal", "Budget|Fiscal Cost")


def _e0(s: Scenario) -> float:
    return float(engine.run(s).calibrated_enterprise_rd[0]) * 100  # type: ignore[index]


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_every_step_of_every_lever_is_the_engine_run_of_the_released_scenario(path):
    s = load_scenario(path)
    prof = load_profile(s.region)
    for pid in live.live_pids(advanced=True):
        lever = live.live_lever(pid, s, prof, _e0(s))
        res = live.sweep(lever, s, prof)
        n = len(lever.grid)
        for i in (0, 1, n // 3, n // 2, n - 1):
            released = live.set_breakpoint(s, s, prof, pid, lever.year, lever.grid[i])
            one = engine.run(released)
            for var in VARIABLES:
                assert_allclose(res[var][i], one[var][0], rtol=1e-12, atol=1e-9, err_msg=f"{pid} step {i} {var}")
            assert_allclose(res.costs[next(iter(res.costs))][i], one.costs[next(iter(one.costs))][0], rtol=1e-12)


def test_the_slider_moves_the_main_breakpoint():
    prof = load_profile("binh-phuoc")
    base = baseline()
    r57 = load_scenario(ROOT / "scenarios/resolution57.yaml")
    # a plain number: "from 2025 on"
    assert live.live_lever("stid_budget_share", base, prof, 0.06) == live.LiveLever(
        "stid_budget_share", 2025, 1.0, live.grid(live.schema()["stid_budget_share"]), flat=True
    )
    # a path: its 2030 breakpoint, the others kept on release
    lever = live.live_lever("stid_budget_share", r57, prof, 0.06)
    assert (lever.year, lever.value, lever.flat) == (2030, 3.5, False)
    moved = live.set_breakpoint(r57, r57, prof, "stid_budget_share", lever.year, 4.0)
    assert moved.value("stid_budget_share") == {2024: 1.0, 2026: 3.0, 2030: 4.0}
    # enterprise R&D left at its calibrated value: the slider starts there; a release sets it from 2025 on
    ent = live.live_lever("enterprise_rd_intensity", base, prof, 0.0589)
    assert (ent.year, ent.value) == (2025, 0.0589)
    assert live.set_breakpoint(base, base, prof, ent.pid, ent.year, 0.5).value(ent.pid) == 0.5
    # the grid is the slider's: 0 to 10 % by 0.1, written without float noise
    g = live.grid(live.schema()["stid_budget_share"])
    assert len(g) == 101 and g[3] == 0.3 and g[-1] == 10.0


def test_the_payload_carries_the_cards_texts_and_chart_values_of_each_step():
    s = baseline()
    prof = load_profile("binh-phuoc")
    base_run = engine.run(s)
    lever = live.live_lever("stid_budget_share", s, prof, _e0(s))
    data = live.payload([live.lever_sweep(lever, s, prof, base_run, "vi")], base_run, base_run, prof, "vi")
    sent = data["levers"][0]
    i = lever.grid.index(2.5)
    one = engine.run(s.with_changes(stid_budget_share=2.5))
    digital = float(one.at("Digital Economy|Share of GRDP", 2030)[0]) * 100
    k = data["kpis"].index("digital_share_2030")
    cells = np.frombuffer(base64.b64decode(sent["cells"]), dtype="<u2").reshape(len(lever.grid), -1)
    num, unit, delta, dunit, met_plus_one = cells[i, 5 * k : 5 * k + 5]
    S = sent["strings"]  # the lever's own table of texts
    assert S[num] + " " + S[unit] == fmt.percent(digital, "vi")
    base_digital = float(base_run.at("Digital Economy|Share of GRDP", 2030)[0]) * 100
    assert S[delta] == fmt.signed(digital - base_digital, "vi", 1) and S[dunit] == "điểm %"
    assert met_plus_one - 1 == int(digital >= 30)  # the 2030 target: 30 % of GRDP
    assert sent["texts"][i] == "2,5" and sent["words"] == "Từ 2025: {value} % chi ngân sách"
    # chart values: uint16 fractions of the fixed axis, within half a level of the engine's
    q = np.frombuffer(base64.b64decode(sent["series"]), dtype="<u2").reshape(len(lever.grid), len(live.SERIES), -1)
    top = data["frame"]["digital"]["top"]
    got = q[i, 0] / live.LEVELS * top
    assert_allclose(got, one.single("Digital Economy|Share of GRDP") * 100, atol=top / live.LEVELS)


def _babel(x: float, lang: str, decimals: int) -> str:
    """The formatter's rule written the slow way: half up on the shortest repr, Babel's separators."""
    r = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(abs(r), format=pattern, locale=fmt.LOCALES[lang], decimal_quantization=True)
    return (fmt.MINUS + text) if r < 0 else text


@given(
    st.one_of(
        st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
        st.decimals(min_value=-99999, max_value=99999, places=3).map(float),  # ties such as 2.675
    ),
    st.sampled_from(["vi", "en"]),
    st.integers(min_value=0, max_value=3),
)
def test_fast_number_writing_equals_babels(x, lang, decimals):
    assert fmt.number(x, lang, decimals) == _babel(x, lang, decimals)


def test_a_release_from_the_browser_is_checked_before_it_edits_anything():
    from ui.live import release

    assert release({"pid": "stid_budget_share", "year": 2030, "x": 2.5}) == ("stid_budget_share", 2030, 2.5)
    assert release({"pid": "inflation", "year": 2030, "x": 2.5}) is None  # an assumption, not a live lever
    assert release({"pid": "stid_budget_share", "year": 2030, "x": 11.0}) is None  # beyond the range 0-10 %
    assert release({"pid": "stid_budget_share", "year": "2030", "x": 2.5}) is None
    assert release(["stid_budget_share", 2030, 2.5]) is None


def test_the_first_page_loads_without_the_table_libraries():
    """A cold start runs the Simulate page first: it needs neither pandas nor scipy (about a second to import).

    The modules app.py and the Simulate page import are imported in a fresh interpreter; the live levers'
    data is built the way the page builds it (bytes: Streamlit checks any other value against pandas).
    """
    import ast
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    modules = set()
    for page in ("app.py", "ui/page_simulate.py"):
        for node in ast.walk(ast.parse((root / page).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                package = node.module in ("ui", "sim")  # `from ui import live`: the module ui.live
                modules.update(f"{node.module}.{a.name}" if package else node.module for a in node.names)
            elif isinstance(node, ast.Import):
                modules.update(a.name for a in node.names)
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(modules)!r}:\n"
        "    importlib.import_module(m)\n"
        "from sim.scenario import baseline\n"
        "from sim import engine\n"
        "from ui import live\n"
        "s = baseline(); r = engine.run(s)\n"
        "d = live._data.__wrapped__(s.content_hash(), 'vi', False, s, r, r, s.profile)\n"
        "assert isinstance(d, bytes)\n"
        "print(sorted(m for m in ('pandas', 'scipy', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
