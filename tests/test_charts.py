"""Chart specifications: contents checked against values computed here from the results and profiles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
from numpy.testing import assert_allclose

from sim import engine
from sim.profiles import load_profile
from sim.provenance import stamp
from sim.scenario import baseline, load_scenario
from sim.views import charts, theme

ROOT = Path(__file__).resolve().parents[1]
RES57 = load_scenario(ROOT / "scenarios/resolution57.yaml")
HIGH = baseline().with_changes(stid_budget_share={2024: 1.0, 2026: 5.0, 2030: 5.0, 2045: 5.0})


def build(scn, lang="vi", **kw):
    base = baseline(scn.region)
    res, bres = engine.run(scn), engine.run(base)
    return res, bres, charts.all_charts(res, bres, scn.profile, lang, stamp(scn, lang), **kw)


def trace(spec, name_part):
    found = [t for t in spec["data"] if name_part in t["name"]]
    assert len(found) == 1, [t["name"] for t in spec["data"]]
    return found[0]


def rd_target_fraction(profile) -> float:
    """The region's R&D target read straight from its targets (not through the engine)."""
    (t,) = [t for t in profile.targets if t.metric == "rd_intensity"]
    return t.value / 100


def test_sim_charts_imports_neither_plotly_nor_streamlit():
    code = (
        "import sys, sim.views.charts, sim.views.charts_compare, sim.views.charts_analysis, sim.views.theme; "
        "print('plotly' in sys.modules, 'streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("scn", [RES57, baseline("dong-nai"), baseline("vietnam")], ids=lambda s: s.region)
def test_every_chart_is_valid_small_stamped_and_has_the_baseline(scn):
    _, _, specs = build(scn)
    assert list(specs) == ["grdp", "digital_share", "rd_spending", "nonstate_gap", "envelope"]
    line = stamp(scn, "vi")
    for cid, spec in specs.items():
        text = json.dumps(spec, ensure_ascii=False)  # plain JSON: no numpy types
        assert len(text.encode()) < 8000, cid
        go.Figure(spec)  # plotly accepts it
        assert theme.stamp_text(spec) == line
        assert spec["layout"]["separators"] == ",."
        assert spec["layout"]["xaxis"]["title"]["text"]
        assert spec["layout"]["yaxis"]["title"]["text"]
        assert any(t.get("line", {}).get("dash") == "dash" for t in spec["data"]), f"{cid}: no baseline trace"


def test_language_sets_separators_and_labels():
    _, _, vi = build(RES57, "vi")
    _, _, en = build(RES57, "en")
    assert en["digital_share"]["layout"]["separators"] == ".,"
    assert vi["digital_share"]["layout"]["yaxis"]["title"]["text"] == "% GRDP"
    assert en["digital_share"]["layout"]["yaxis"]["title"]["text"] == "% of GRDP"
    assert theme.stamp_text(en["grdp"]).startswith("NQ57 simulator") and "scenario" in theme.stamp_text(en["grdp"])


def test_grdp_nominal_and_real_against_the_result():
    res, bres, specs = build(RES57)
    assert_allclose(trace(specs["grdp"], "đang xem")["y"], res.single("GRDP|Nominal") / 1000, atol=0.05)
    assert_allclose(trace(specs["grdp"], "Cơ sở")["y"], bres.single("GRDP|Nominal") / 1000, atol=0.05)
    _, _, real = build(RES57, real_grdp=True)
    assert_allclose(trace(real["grdp"], "đang xem")["y"], res.single("GRDP|Real") / 1000, atol=0.05)
    assert "giá năm 2024" in real["grdp"]["layout"]["yaxis"]["title"]["text"]
    # base year: real = nominal (MODEL.md eq. 2)
    assert trace(real["grdp"], "đang xem")["y"][0] == trace(specs["grdp"], "đang xem")["y"][0]


def test_grdp_target_marker_for_a_region_that_has_one():
    _, _, specs = build(baseline("dong-nai"))
    t = trace(specs["grdp"], "Mục tiêu")
    assert t["x"] == [2030] and t["y"] == [1200.0]  # 1.2 million bn VND = 1,200 trillion (DATA.md)
    _, _, bp = build(RES57)
    assert not [x for x in bp["grdp"]["data"] if x["name"] == "Mục tiêu"]


def test_rd_stack_target_line_and_the_60_percent_rule():
    res, bres, specs = build(RES57)
    spec = specs["rd_spending"]
    pub, non = trace(spec, "R&D công"), trace(spec, "R&D ngoài NN")
    assert pub["type"] == non["type"] == "bar" and spec["layout"]["barmode"] == "stack"
    # the stack adds up to total R&D (eq. 8)
    assert_allclose(np.add(pub["y"], non["y"]), res.single("R&D|Total"), atol=0.11)
    # target line = target intensity (1.5 % of GRDP for Bình Phước, from the profile) × nominal GRDP
    target = trace(spec, "Mục tiêu")
    assert "1,5 %" in target["name"]
    assert_allclose(target["y"], 0.015 * res.single("GRDP|Nominal"), atol=0.05)
    assert_allclose(target["y"], rd_target_fraction(RES57.profile) * res.single("GRDP|Nominal"), atol=0.05)
    # baseline total
    assert_allclose(trace(spec, "Tổng R&D")["y"], bres.single("R&D|Total"), atol=0.05)
    # the rule: the non-state share on the right axis with a 60 % line
    share = trace(spec, "% ngoài NN")
    assert share["yaxis"] == "y2" and spec["layout"]["yaxis2"]["range"] == [0, 100]
    nonstate = res.single("R&D|Non-state")
    assert_allclose(share["y"], nonstate / res.single("R&D|Total") * 100, atol=0.05)
    (line60,) = spec["layout"]["shapes"]
    assert (line60["yref"], line60["y0"], line60["y1"]) == ("y2", 60, 60)


def test_breach_years_of_the_60_percent_rule_are_marked():
    _res, _, specs = build(HIGH)
    share = trace(specs["rd_spending"], "% ngoài NN")
    # by hand: non-state share = (e0 + λθsb) / (θsb + e0 + λθsb) with e0 the calibrated 2024 value
    theta, b, lam = 0.40, 0.134, 0.7
    e0 = 0.0015 - (1 + lam) * theta * 0.01 * b
    s = np.array([0.01, 0.03, 0.05] + [0.05] * 19)  # 2024, 2025 (halfway to 2026), 2026 on
    expected = (e0 + lam * theta * s * b) / (theta * s * b + e0 + lam * theta * s * b) * 100
    assert_allclose(share["y"], expected, atol=0.05)
    breach = expected < 60
    assert breach[2:].all() and not breach[0]
    assert share["marker"]["symbol"] == ["x" if x else "circle" for x in breach]
    assert share["marker"]["color"] == [theme.PALETTE["target"] if x else theme.PALETTE["met"] for x in breach]


def test_digital_share_targets_from_the_profile():
    for region, values in (("binh-phuoc", [30.0, 40.0]), ("dong-nai", [30.0, 50.0]), ("vietnam", [30.0, 50.0])):
        res, _bres, specs = build(baseline(region))
        t = trace(specs["digital_share"], "Mục tiêu")
        assert t["x"] == [2030, 2045] and t["y"] == values
        assert_allclose(
            trace(specs["digital_share"], "đang xem")["y"],
            res.single("Digital Economy|Share of GRDP") * 100,
            atol=0.005,
        )


def test_envelope_against_the_central_floor():
    res, _bres, specs = build(RES57)
    spec = specs["envelope"]
    prof = load_profile("binh-phuoc")
    grdp = res.single("GRDP|Nominal")
    # floor = c · b · Y (eq. 4) with the profile's defaults: 2 % of a budget of 13.4 % of GRDP
    assert_allclose(trace(spec, "Trung ương")["y"], 0.02 * 0.134 * grdp, atol=0.05)
    assert prof.default("central_floor_share") == 2.0 and prof.default("budget_to_grdp") == 13.4
    env = trace(spec, "đang xem")
    assert_allclose(env["y"], res.single("Budget|STI and DX"), atol=0.05)
    assert_allclose(trace(spec, "Cơ sở")["y"], 0.01 * 0.134 * engine.run(baseline()).single("GRDP|Nominal"), atol=0.05)
    # 2025 lies halfway between 1 % (2024) and 3 % (2026): 2 %, exactly the floor; every later year is above it
    colors = env["marker"]["color"]
    assert colors[0] == theme.PALETTE["scenario"] and set(colors[1:]) == {theme.PALETTE["scenario"]}
    _, _, base_specs = build(baseline())
    base_colors = trace(base_specs["envelope"], "đang xem")["marker"]["color"]
    assert base_colors[0] == theme.PALETTE["scenario"] and set(base_colors[1:]) == {
        theme.PALETTE["floor"]
    }  # 1 % < 2 % every year


def test_nonstate_gap_by_hand():
    res, _bres, specs = build(RES57)
    Y, P, N = res.single("GRDP|Nominal"), res.single("R&D|Public"), res.single("R&D|Non-state")
    needed = np.maximum(0.015 * Y - P, 1.5 * P)  # MODEL.md eq. 12
    gap = np.maximum(0.0, needed - N)
    assert_allclose(trace(specs["nonstate_gap"], "đang xem")["y"], gap, atol=0.05)
    assert gap[-1] == 0  # by 2045 the Resolution 57 path meets 1.5 % with ≥ 60 % non-state
    assert "1,5 %" in specs["nonstate_gap"]["layout"]["title"]["text"]
