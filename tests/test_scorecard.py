"""The whole scorecard: illustrative diffusion curves, entered ranks, core targets, and which is which."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sim.engine import run
from sim.errors import InputError
from sim.scenario import baseline, load_scenario
from sim.targets import evaluate_all
from sim.views.scorecard import (
    INTENSITY_VAR,
    RankStatus,
    adoption,
    check_rank,
    diffusion,
    load_spec,
    parse_rank,
    region_spec,
    scorecard,
)

ROOT = Path(__file__).resolve().parents[1]


def test_diffusion_matches_a_hand_computation():
    # base 10 %, ceiling 50 %, base speed 0.2/yr, sensitivity 0.5/yr per pp of GRDP;
    # digital-investment intensity 1 %, 1 %, 2 %, 3 % of GRDP (fractions below).
    x = np.array([0.01, 0.01, 0.02, 0.03])
    a0 = 10.0
    a1 = a0 + 0.2 * a0 * (1 - a0 / 50)  # k uses x_{t-1} = x_0: no extra spending yet
    a2 = a1 + 0.2 * a1 * (1 - a1 / 50)  # x_1 = x_0
    k3 = 0.2 + 0.5 * 100 * (0.02 - 0.01)  # x_2 is 1 pp of GRDP above x_0: k = 0.7
    a3 = a2 + k3 * a2 * (1 - a2 / 50)
    assert_allclose(a1, 11.6)
    assert_allclose(diffusion(a0, 50.0, 0.2, 0.5, x), [a0, a1, a2, a3], rtol=1e-12)


def test_diffusion_speed_is_clipped_to_zero_and_one():
    # Spending 1 pp below the base year would give k = 0.2 - 0.5 < 0: adoption stays put.
    flat = diffusion(20.0, 80.0, 0.2, 0.5, np.array([0.02, 0.01, 0.01]))
    assert_allclose(flat, [20.0, 20.0 + 0.2 * 20.0 * 0.75, 23.0])
    # 10 pp above: k would be 5.2, capped at 1 so the curve never overshoots its ceiling.
    fast = diffusion(60.0, 80.0, 0.2, 0.5, np.array([0.0, 0.1, 0.1, 0.1, 0.1]))
    a1 = 60.0 + 0.2 * 60.0 * 0.25
    a2 = a1 + 1.0 * a1 * (1 - a1 / 80.0)
    assert_allclose(fast[:3], [60.0, a1, a2])
    assert (fast <= 80.0 + 1e-12).all()


def test_adoption_follows_the_engine_s_digital_investment_intensity():
    scen = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
    res = run(scen)
    ind = region_spec("binh-phuoc").indicators[0]
    x = res.single(INTENSITY_VAR)
    expected = [ind.base]
    for t in range(1, len(x)):
        k = min(1.0, max(0.0, ind.base_speed + ind.sensitivity * 100 * (x[t - 1] - x[0])))
        expected.append(expected[-1] + k * expected[-1] * (1 - expected[-1] / ind.ceiling))
    assert_allclose(adoption(res, ind)[0], expected, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    x=st.lists(st.floats(0.0, 0.05), min_size=2, max_size=25),
    extra=st.lists(st.floats(0.0, 0.03), min_size=25, max_size=25),
    base=st.floats(1.0, 60.0),
    speed=st.floats(0.0, 1.0),
    sens=st.floats(0.0, 2.0),
)
def test_more_digital_spending_never_lowers_adoption(x, extra, base, speed, sens):
    low = np.array(x)
    high = low + np.array(extra[: len(low)])
    high[0] = low[0]  # the same base year: only later spending differs
    a_low = diffusion(base, 90.0, speed, sens, low)
    a_high = diffusion(base, 90.0, speed, sens, high)
    assert (a_high >= a_low - 1e-9).all()


def test_a_larger_envelope_never_lowers_any_modelled_rate():
    prev = None
    for share in (1.0, 2.0, 3.5, 6.0, 10.0):
        res = run(baseline().with_changes(stid_budget_share=share))
        paths = np.stack([adoption(res, i)[0] for i in region_spec("binh-phuoc").indicators])
        if prev is not None:
            assert (paths >= prev - 1e-9).all()
            assert (paths[:, -1] > prev[:, -1]).any()
        prev = paths


def test_every_modelled_indicator_is_an_illustrative_assumption():
    for region, spec in load_spec().items():
        for ind in spec.indicators:
            assert ind.tag == "assumption", (region, ind.id)
            assert "illustrative" in ind.base_source, (region, ind.id)
            assert ind.base < ind.ceiling
        assert "llustrative" in spec.note.en and "Minh họa" in spec.note.vi


def test_the_scorecard_says_which_lines_are_core_modelled_or_entered():
    scen = baseline("binh-phuoc")
    res = run(scen)
    lines = scorecard(res, scen.profile, {"dti_rank": RankStatus(4, "achieved")})
    kinds = {ln.id: ln.kind for ln in lines}
    core = [t.id for t in scen.profile.targets]
    assert [ln.id for ln in lines if ln.kind == "core"] == core
    assert {i for i, k in kinds.items() if k == "modelled"} == {
        "online_public_services",
        "innovative_enterprises",
        "digital_citizens",
        "stem_schools",
        "telehealth_reach",
        "coverage_5g",
    }
    assert {i for i, k in kinds.items() if k == "entered"} == {"dti_rank", "pii_rank"}
    # Core lines are the engine's target results.
    by_id = {ln.id: ln for ln in lines}
    for tr in evaluate_all(res, scen.profile):
        assert_allclose(by_id[tr.id].value, tr.value[0])
        assert by_id[tr.id].met == bool(tr.met[0])
    # Entered ranks: rank 4 is in the top 5; PII was not entered.
    assert by_id["dti_rank"].met is True and by_id["dti_rank"].value == 4
    assert by_id["pii_rank"].met is None and by_id["pii_rank"].status_text("en") == "not entered"
    assert by_id["stem_schools"].kind_label("vi") == "Mô phỏng minh họa"
    assert by_id["dti_rank"].kind_label("en") == "Entered"


def test_a_rank_outside_the_top_is_not_met():
    scen = baseline("binh-phuoc")
    lines = scorecard(run(scen), scen.profile, {"dti_rank": RankStatus(12, "expected")})
    dti = next(ln for ln in lines if ln.id == "dti_rank")
    assert dti.met is False and dti.gap == 7


def test_hundred_percent_targets_count_as_met_from_99_5():
    stem = next(i for i in region_spec("binh-phuoc").indicators if i.id == "stem_schools")
    assert stem.target.holds(99.5) and not stem.target.holds(99.4)
    online = next(i for i in region_spec("binh-phuoc").indicators if i.id == "online_public_services")
    assert not online.target.holds(90.0) and online.target.holds(90.01)  # "> 90 %"


def test_regions_without_such_targets_show_core_lines_only():
    scen = baseline("dong-nai")
    lines = scorecard(run(scen), scen.profile)
    assert {ln.kind for ln in lines} == {"core"}
    assert len(lines) == len(scen.profile.targets)
    vn = baseline("vietnam")
    vn_lines = scorecard(run(vn), vn.profile)
    assert [ln.id for ln in vn_lines if ln.kind == "modelled"] == ["online_public_services"]
    assert next(ln for ln in vn_lines if ln.kind == "modelled").target == 80.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dti", "is not ID=RANK"),
        ("tfp_rank=3", "unknown rank target 'tfp_rank'"),
        ("dti_rank=abc", "not a whole number"),
        ("dti_rank=0", "outside 1..63"),
        ("dti_rank=3:hoped", "status 'hoped'"),
    ],
)
def test_bad_rank_entries_are_refused_with_a_message(text, message):
    with pytest.raises(InputError, match=message):
        parse_rank(text, "binh-phuoc")


def test_rank_entries_parse():
    assert parse_rank("dti_rank=7", "binh-phuoc") == ("dti_rank", RankStatus(7, "expected"))
    assert parse_rank(" pii_rank = 20 : achieved ", "binh-phuoc") == ("pii_rank", RankStatus(20, "achieved"))
    assert check_rank("3", "achieved").rank == 3
