"""Monte Carlo: reproducible, consistent with deterministic runs, and with the distributions the schema states."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sim.analysis.batch import repeat, scenario_inputs, shift
from sim.analysis.montecarlo import (
    FAN_VARIABLES,
    MAX_DRAWS,
    monte_carlo,
    run_draws,
    sample_shifts,
    spreads,
    triangular,
)
from sim.engine import run
from sim.errors import InputError
from sim.params import Spread, assumptions, schema
from sim.profiles import load_profile
from sim.scenario import baseline, load_scenario
from sim.targets import evaluate, evaluate_all

R57 = load_scenario("scenarios/resolution57.yaml")


def test_every_assumption_has_a_spread_and_no_lever_does():
    assert set(spreads()) == {p.id for p in assumptions()}
    for p in schema().values():
        if p.kind == "lever":
            assert p.uncertainty is None
        else:
            assert p.uncertainty.low <= 0 <= p.uncertainty.high


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = monte_carlo(R57, 500, seed=7), monte_carlo(R57, 500, seed=7), monte_carlo(R57, 500, seed=8)
    for v in FAN_VARIABLES:
        assert_array_equal(a.fans[v], b.fans[v])
        assert not np.array_equal(a.fans[v], c.fans[v])
    assert a.probabilities == b.probabilities


@pytest.mark.parametrize("region", ["binh-phuoc", "dong-nai", "vietnam"])
def test_zero_spreads_agree_with_a_deterministic_run(region):
    s = load_scenario("scenarios/resolution57.yaml") if region == "binh-phuoc" else baseline(region)
    zero = {pid: Spread(low=0.0, high=0.0) for pid in spreads()}
    mc = monte_carlo(s, 300, seed=1, spread=zero)
    det = {t.id: bool(t.met[0]) for t in evaluate_all(run(s), s.profile)}
    assert {t.id: p for t, p in mc.probabilities} == {k: float(v) for k, v in det.items()}
    for v, f in FAN_VARIABLES.items():
        assert_allclose(mc.fans[v], np.broadcast_to(run(s).single(v) * f, mc.fans[v].shape), rtol=1e-12)
        assert_allclose(mc.central[v], run(s).single(v) * f, rtol=1e-12)


def test_triangular_inverse_cdf_matches_the_distribution():
    # Triangular on [a, b] with mode 0: mean (a + b)/3, CDF (x − a)²/((b − a)(−a)) left of the mode.
    a, b = -0.4, 0.8
    x = triangular(np.random.default_rng(0).random(200_000), a, b)
    assert x.min() >= a and x.max() <= b
    assert_allclose(x.mean(), (a + b) / 3, atol=3e-3)
    for q in (-0.3, -0.1, 0.2, 0.5):
        cdf = (q - a) ** 2 / ((b - a) * -a) if q <= 0 else 1 - (b - q) ** 2 / ((b - a) * b)
        assert_allclose((x <= q).mean(), cdf, atol=4e-3)
    assert_array_equal(triangular(np.array([0.1, 0.9]), 0.0, 0.0), [0.0, 0.0])


def test_shifts_are_clipped_rounded_and_leave_the_base_year_alone():
    s = R57
    inp = repeat(scenario_inputs(s), 3)
    base_row = inp.paths["inflation"][0].copy()
    shift(inp, "inflation", np.array([-100.0, 0.0, 100.0]))  # % points, far outside the range
    lo, hi = schema()["inflation"].min / 100, schema()["inflation"].max / 100
    assert_allclose(inp.paths["inflation"][0, 1:], lo)
    assert_allclose(inp.paths["inflation"][1], base_row)
    assert_allclose(inp.paths["inflation"][2, 1:], hi)
    assert_allclose(inp.paths["inflation"][:, 0], base_row[0])  # the base year is history
    shift(inp, "rd_lag", np.array([-0.6, 0.4, 1.6]))
    assert_array_equal(inp.scalars["rd_lag"], [1.0, 2.0, 4.0])


def test_draws_vary_only_the_assumptions_with_spreads_and_match_single_runs():
    rng = np.random.default_rng(3)
    only = {"rd_crowding_in": Spread(low=-0.4, high=0.4), "real_growth_base": Spread(low=-2.0, high=2.0)}
    res, clipped = run_draws(R57, 5, rng, only)
    assert clipped == 0  # 0.7 + 0.4 stays below Bình Phước's limit of 1.80
    shifts = sample_shifts(5, np.random.default_rng(3), only)
    for i in range(5):
        # The shift d ramps in from 0 in the base year to d in 2030: on the default {2025: 8, 2030: 8, 2045: 6}
        # that is the path through 8 + d in 2030 and 6 + d in 2045, starting from 8 in 2024.
        d = shifts["real_growth_base"][i]
        gb = {2030: 8.0 + d, 2045: 6.0 + d}
        one = run(R57.with_changes(rd_crowding_in=0.7 + shifts["rd_crowding_in"][i], real_growth_base=gb))
        for var in ("GRDP|Nominal", "R&D|Share of GRDP", "Digital Economy|Share of GRDP"):
            assert_allclose(res[var][i], one.single(var), rtol=1e-12)


def test_probability_matches_the_triangular_tail():
    # Only κ varies: the 2030 digital share rises with κ (spending is above the base year), so the
    # target is met exactly when κ ≥ κ*, found here by bisection with plain runs.
    spread = Spread(low=-0.3, high=0.5)
    target = R57.profile.target("digital_share_2030")

    def meets(kappa: float) -> bool:
        return bool(evaluate(run(R57.with_changes(digital_spending_effect=kappa)), target).met[0])

    lo, hi = 0.2, 1.0
    assert not meets(lo) and meets(hi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if meets(mid) else (mid, hi)
    t = hi - 0.5  # the shift that reaches κ*
    a, b = spread.low, spread.high
    p_want = 1 - (1 - (b - t) ** 2 / ((b - a) * b)) if t > 0 else 1 - (t - a) ** 2 / ((b - a) * -a)
    n = 20_000
    mc = monte_carlo(R57, n, seed=11, spread={"digital_spending_effect": spread})
    p = mc.probability("digital_share_2030")
    assert abs(p - p_want) < 4 * np.sqrt(p_want * (1 - p_want) / n)


def test_fan_percentiles_are_ordered_and_bracket_the_median():
    mc = monte_carlo(R57, 2000, seed=0)
    for v in FAN_VARIABLES:
        q = mc.fans[v]
        assert np.all(np.diff(q, axis=0) >= -1e-12)
        assert_allclose(q[:, 0], q[2, 0])  # the base year is history: no spread


@pytest.mark.parametrize("draws", [0, -5, MAX_DRAWS + 1, 2.5, True])
def test_bad_draw_counts_are_refused(draws):
    with pytest.raises(InputError) as err:
        monte_carlo(R57, draws)
    assert err.value.key == "draws"


def test_draws_beyond_the_calibration_limit_are_counted_and_held_at_the_limit():
    # With λ = 1.7 + shift, e0 = r0 − (1+λ)·P0 turns negative once 1 + λ > r0/P0 (P0 = 0.4 × 0.01 × 0.134):
    # a shift above t = r0/P0 − 2.7, which a triangular [0, 0.3] shift exceeds with probability (0.3 − t)²/0.09.
    s = R57.with_changes(rd_crowding_in=1.7)
    t = 0.0015 / (0.4 * 0.01 * 0.134) - 2.7
    p_want = (0.3 - t) ** 2 / 0.09
    n = 20_000
    mc = monte_carlo(s, n, seed=0, spread={"rd_crowding_in": Spread(low=0.0, high=0.3)})
    assert abs(mc.clipped_share - p_want) < 4 * np.sqrt(p_want * (1 - p_want) / n)
    assert mc.clipped == round(mc.clipped_share * n) and mc.clipped > 0
    assert_allclose(mc.crowding_in_limit, 0.0015 / (0.4 * 0.01 * 0.134) - 1)
    # A clipped draw runs at the limit: base-year R&D stays the profile's 0.15 % of GRDP in every draw.
    assert_allclose(mc.fans["R&D|Share of GRDP"][:, 0], 0.15, rtol=1e-9)


def test_vietnam_draws_beyond_its_lower_limit_are_counted():
    # Vietnam: λ ≤ 0.42 % / (36 % × 3 % × 20 %) − 1 = 0.944; λ = 0.7 + a triangular [−0.4, 0.4] shift passes it
    # above t = 0.244: probability (0.4 − t)² / (0.8 × 0.4).
    t = 0.0042 / (0.36 * 0.03 * 0.20) - 1 - 0.7
    p_want = (0.4 - t) ** 2 / (0.8 * 0.4)
    n = 20_000
    mc = monte_carlo(baseline("vietnam"), n, seed=2, spread={"rd_crowding_in": Spread(low=-0.4, high=0.4)})
    assert abs(mc.clipped_share - p_want) < 4 * np.sqrt(p_want * (1 - p_want) / n)


def test_spreads_are_scaled_to_each_profile_s_own_levels():
    # Relative spreads: percent of the profile's base-year value (budget/GRDP 13.4 %, 10 %, 20 %).
    raw = schema()["budget_to_grdp"].uncertainty
    assert raw.relative
    for region, level in (("binh-phuoc", 13.4), ("dong-nai", 10.0), ("vietnam", 20.0)):
        sp = spreads(load_profile(region))["budget_to_grdp"]
        assert_allclose((sp.low, sp.high), (raw.low * level / 100, raw.high * level / 100))
    # Baseline growth ±25 %: ±2 pp on Bình Phước's 8 %/yr, ±1.875 pp on Vietnam's 7.5 %/yr (its 2026 value,
    # held back to the base year).
    assert_allclose(spreads(load_profile("binh-phuoc"))["real_growth_base"].high, 2.0)
    assert_allclose(spreads(load_profile("vietnam"))["real_growth_base"].high, 1.875)
    # Structural coefficients are the same everywhere.
    assert spreads(load_profile("vietnam"))["rd_return"] == spreads(load_profile("binh-phuoc"))["rd_return"]


def test_an_assumption_shift_ramps_in_without_a_step():
    # A +1 pp inflation shift: 0 in 2024, 1/6 pp in 2025, ..., 1 pp from 2030 (Bình Phước, base year 2024).
    inp = repeat(scenario_inputs(R57), 1)
    before = inp.paths["inflation"][0].copy()
    shift(inp, "inflation", np.array([1.0]))
    w = np.clip((np.arange(2024, 2046) - 2024) / 6, 0, 1)
    assert_allclose(inp.paths["inflation"][0] - before, 0.01 * w, atol=1e-15)
    # A lever is a decision: its shift holds in full from the year after the base year.
    env = inp.paths["stid_budget_share"][0].copy()
    shift(inp, "stid_budget_share", np.array([0.5]))
    assert_allclose(inp.paths["stid_budget_share"][0, 1:] - env[1:], 0.005)
