"""The engine against the specification (version 2): hand-computed values on a small profile, the reference
table for Bình Phước, closed forms, and an independent scalar implementation (tests/reference_model.py)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.engine import build_inputs, cost_periods, crowding_in_limit, project, run
from sim.errors import CalibrationError
from sim.params import Text
from sim.profiles import load_profile
from sim.scenario import Scenario, baseline, load_scenario
from tests.reference_model import reference_costs, reference_run

S = Scenario(name=Text(vi="t", en="t"))


def at(res, var, year):
    return float(res.at(var, year)[0])


def test_base_year_calibration_by_hand(small_profile):
    # B = 20 % × 1000 = 200; S = 10 % × 200 = 20; P = 50 % × 20 = 10; X = 10.
    # e0 = r0 − (1+λ)·P/Y = 0.02 − 1.5 × 0.01 = 0.005 → N = 5 + 0.5 × 10 = 10; R = 20; h = 50 %.
    res = project(build_inputs(small_profile, S))
    assert_allclose(res.calibrated_enterprise_rd, [0.005])
    assert_allclose(at(res, "Budget|Spending", 2020), 200)
    assert_allclose(at(res, "Budget|STI and DX", 2020), 20)
    assert_allclose(at(res, "Budget|Central Floor", 2020), 10)
    assert_allclose(at(res, "R&D|Public", 2020), 10)
    assert_allclose(at(res, "R&D|Non-state", 2020), 10)
    assert_allclose(at(res, "R&D|Total", 2020), 20)
    assert_allclose(at(res, "R&D|Non-state Share", 2020), 0.5)
    assert_allclose(at(res, "Digital Transformation|Public Spending", 2020), 10)
    # K0 = R0 / (g0 + δ) = 20 / (0.05 + 0.15) = 100
    assert_allclose(at(res, "R&D|Knowledge Stock", 2020), 100)


def test_first_year_by_hand(small_profile):
    res = project(build_inputs(small_profile, S))
    # Y1 = 1000 × 1.05 × 1.02 = 1071; real 1050; population 1010.
    assert_allclose(at(res, "GRDP|Nominal", 2021), 1071)
    assert_allclose(at(res, "GRDP|Real", 2021), 1050)
    assert_allclose(at(res, "Population", 2021), 1010)
    assert_allclose(at(res, "GRDP per Capita", 2021), 1071 * 1000 / 1010)
    # d1 = 0.1 + 0.2 × 0.1 × (1 − 0.1/0.5) = 0.116
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2021), 0.116)
    assert_allclose(at(res, "Digital Economy|Value Added", 2021), 0.116 * 1071)
    # K1 = 0.85 × 100 + 0.02 × 1071 / 1.02 = 106
    assert_allclose(at(res, "R&D|Knowledge Stock", 2021), 106)
    # gap: need = max(3 % × 1071 − 10.71, 1.5 × 10.71) = 21.42; N = 10.71 → 10.71
    assert_allclose(at(res, "R&D|Non-state Gap", 2021), 10.71)


def test_lagged_effects_by_hand(small_profile):
    # Envelope 12 % from 2021: env = 2.4 % of GRDP; P = X = 1.2 %; N = 0.5 + 0.6 = 1.1 %; r = 2.3 %; x = 2.4 %.
    res = project(build_inputs(small_profile, S.with_changes(stid_budget_share=12.0)))
    assert_allclose(at(res, "R&D|Share of GRDP", 2021), 0.023)
    # 2021 growth still baseline (lag 1 on R&D, last year's digital intensity is the base year's).
    assert_allclose(at(res, "GRDP|Real Growth", 2021), 0.05)
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2021), 0.116)
    # 2022: g = 0.05 + 0.5 × (0.023 − 0.02) + 0.2 × (0.024 − 0.02) = 0.0523
    assert_allclose(at(res, "GRDP|Real Growth", 2022), 0.0523)
    assert_allclose(at(res, "GRDP|Nominal", 2022), 1071 * 1.0523 * 1.02)
    # k = 0.2 + 1.0 × 100 × 0.004 = 0.6; d = 0.116 + 0.6 × 0.116 × (1 − 0.116/0.5)
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2022), 0.116 + 0.6 * 0.116 * (1 - 0.232))


def test_cap_public_moves_excess_to_dx(small_profile):
    # All the envelope to R&D from 2021: P = 2 %, N = 0.5 + 0.5 × 2 = 1.5 %; allowed P = N / 1.5 = 1 %.
    scen = S.with_changes(rd_share_of_stid=100.0, rule_mode="cap_public")
    res = project(build_inputs(small_profile, scen))
    y = at(res, "GRDP|Nominal", 2021)
    assert_allclose(at(res, "R&D|Public", 2021), 0.01 * y)
    assert_allclose(at(res, "R&D|Non-state", 2021), 0.015 * y)
    assert_allclose(at(res, "Digital Transformation|Public Spending", 2021), 0.01 * y)
    assert_allclose(at(res, "R&D|Non-state Share", 2021), 0.6)
    report = project(build_inputs(small_profile, scen.with_changes(rule_mode="report")))
    assert_allclose(at(report, "R&D|Public", 2021), 0.02 * y)
    assert_allclose(at(report, "R&D|Non-state Share", 2021), 0.015 / 0.035)


def test_enterprise_path_interpolates_from_calibrated_value(small_profile):
    # e0 = 0.5 %; {2025: 1.0} → 2021..2025 rises by 0.1 pp a year.
    res = project(build_inputs(small_profile, S.with_changes(enterprise_rd_intensity={2025: 1.0})))
    for i, year in enumerate(range(2020, 2026)):
        y = at(res, "GRDP|Nominal", year)
        p = at(res, "R&D|Public", year)
        assert_allclose(at(res, "R&D|Non-state", year), (0.005 + 0.001 * i) * y + 0.5 * p)


def test_diffusion_speed_is_capped_so_share_never_exceeds_ceiling(small_profile):
    res = project(build_inputs(small_profile, S.with_changes(stid_budget_share=10.0, rd_share_of_stid=0.0)))
    d = res.single("Digital Economy|Share of GRDP")
    # x jumps from 2 % to 4 %: k = 0.2 + 100 × 0.02 = 2.2 → capped at 1 from 2022.
    assert_allclose(d[2], d[1] + 1.0 * d[1] * (1 - d[1] / 0.5))
    assert (d <= 0.5 + 1e-12).all()


def test_contradictory_profile_is_refused(small_profile):
    # (1 + λ) · P0 / Y0 = 2.5 × 1 % > r0 = 2 %
    with pytest.raises(CalibrationError, match="contradict"):
        project(build_inputs(small_profile, S.with_changes(rd_crowding_in=1.5)))
    res = project(build_inputs(small_profile, S.with_changes(rd_crowding_in=1.5)), strict=False)
    assert res.clipped_calibration.tolist() == [True]
    assert_allclose(res.calibrated_enterprise_rd, [0.0])


def test_costs_sum_over_the_years_after_the_base_year_by_hand(small_profile):
    # Base year 2020, horizon 2025: one period 2021-2025. Baseline: S_t = 2 % of Y_t, Y_t = 1000 × 1.071^t,
    # real Y_t = 1000 × 1.05^t; no enterprise R&D above the base year, so no incentives.
    res = project(build_inputs(small_profile, S))
    assert res.periods == {"2021-2025": (2021, 2025)}
    nominal = sum(20 * 1.071**t for t in range(1, 6))
    real = sum(20 * 1.05**t for t in range(1, 6))
    assert_allclose(res.costs["Cost|STI and DX|2021-2025|Nominal"], [nominal])
    assert_allclose(res.costs["Cost|STI and DX|2021-2025|Real"], [real])
    assert_allclose(res.costs["Cost|R&D Incentives|2021-2025|Nominal"], [0.0])
    assert_allclose(res.cost("Budget|Fiscal Cost", 0, "Real"), [real])
    assert_allclose(at(res, "Budget|R&D Incentives", 2020), 0.0)


def test_cost_periods_are_labelled_with_their_actual_span():
    assert cost_periods(2024, 2045) == {"2025-2030": (2025, 2030), "2031-2045": (2031, 2045)}
    assert cost_periods(2025, 2045) == {"2026-2030": (2026, 2030), "2031-2045": (2031, 2045)}
    assert cost_periods(2020, 2025) == {"2021-2025": (2021, 2025)}
    dn = run(load_scenario("scenarios/dong-nai-baseline.yaml"))
    assert list(dn.periods) == ["2026-2030", "2031-2045"]
    S_ = dn.single("Budget|STI and DX")
    defl = dn.single("GRDP|Deflator")
    m = (dn.years >= 2026) & (dn.years <= 2030)
    assert_allclose(dn.costs["Cost|STI and DX|2026-2030|Nominal"], [S_[m].sum()])
    assert_allclose(dn.costs["Cost|Fiscal Cost|2026-2030|Real"], [(S_[m] / defl[m]).sum()])
    bp = run(baseline())
    assert_allclose(bp.cost("Budget|STI and DX", 1), [bp.single("Budget|STI and DX")[-15:].sum()])


def test_incentive_cost_and_fiscal_cost_by_hand(small_profile):
    # e0 = 0.5 %; {2025: 1.0} → e = 0.6 % in 2021, 0.7 % in 2022; τ = 0.25 (the schema default).
    res = project(build_inputs(small_profile, S.with_changes(enterprise_rd_intensity={2025: 1.0})))
    # 2021: growth still 5 % (lag 1), Y = 1071; I = 0.25 × 0.001 × 1071; C = S + I = 21.42 + I.
    assert_allclose(at(res, "Budget|R&D Incentives", 2021), 0.25 * 0.001 * 1071)
    assert_allclose(at(res, "Budget|Fiscal Cost", 2021), 21.42 + 0.25 * 0.001 * 1071)
    # 2022: r_2021 = r0 + 0.1 pp → g = 5 % + 0.5 × 0.001 = 5.05 %; Y = 1071 × 1.0505 × 1.02.
    y22 = 1071 * 1.0505 * 1.02
    assert_allclose(at(res, "GRDP|Nominal", 2022), y22)
    assert_allclose(at(res, "Budget|R&D Incentives", 2022), 0.25 * 0.002 * y22)
    assert_allclose(at(res, "Budget|Fiscal Cost", 2022), 0.02 * y22 + 0.25 * 0.002 * y22)
    # τ = 0: mobilisation is free again; enterprise R&D below its base year costs nothing either.
    free_scen = S.with_changes(enterprise_rd_intensity={2025: 1.0}, rd_incentive_cost=0)
    free = project(build_inputs(small_profile, free_scen))
    assert_allclose(free.single("Budget|R&D Incentives"), 0.0)
    lower = project(build_inputs(small_profile, S.with_changes(enterprise_rd_intensity=0.2)))
    assert_allclose(lower.single("Budget|R&D Incentives"), 0.0)


def test_every_path_ramps_from_its_base_year_value(small_profile):
    # Envelope 10 % in the base year; {2025: 15} rises by one point a year.
    res = project(build_inputs(small_profile, S.with_changes(stid_budget_share={2025: 15.0})))
    assert_allclose(res.single("Budget|STI and DX|Share"), [0.10, 0.11, 0.12, 0.13, 0.14, 0.15])
    # A plain number is flat from the year after the base year.
    flat = project(build_inputs(small_profile, S.with_changes(stid_budget_share=12.0)))
    assert_allclose(flat.single("Budget|STI and DX|Share"), [0.10, 0.12, 0.12, 0.12, 0.12, 0.12])
    # Assumptions too: baseline growth 5 % → {2025: 10} gives 6 %, 7 % (no R&D or DX change).
    g = project(build_inputs(small_profile, S.with_changes(real_growth_base={2025: 10.0})))
    assert_allclose(g.single("GRDP|Real Growth")[1:3], [0.06, 0.07])
    # A breakpoint in the base year anchors the line; the base year itself stays history.
    anchored = project(build_inputs(small_profile, S.with_changes(stid_budget_share={2020: 0.0, 2025: 15.0})))
    assert_allclose(anchored.single("Budget|STI and DX|Share"), [0.10, 0.03, 0.06, 0.09, 0.12, 0.15])


def test_resolution57_reading_of_an_envelope_path():
    # Bình Phước: the envelope is 1 % of budget spending in 2024; {2030: 3.5} reaches 3.5 % in 2030 along a line.
    res = run(baseline().with_changes(stid_budget_share={2030: 3.5}))
    share = res.single("Budget|STI and DX|Share") * 100
    assert_allclose(share[:7], [1.0 + 2.5 * i / 6 for i in range(7)])
    assert_allclose(share[7:], 3.5)


def test_crowding_in_limit_is_where_calibration_breaks():
    # λ ≤ r0·Y0/P0 − 1 = r0 / (θ0·s0·b0) − 1.
    bp = load_profile("binh-phuoc")
    assert_allclose(crowding_in_limit(bp), 0.0015 / (0.40 * 0.01 * 0.134) - 1)  # 1.7985
    vn = load_profile("vietnam")
    assert_allclose(crowding_in_limit(vn), 0.0042 / (0.36 * 0.03 * 0.20) - 1)  # 0.9444
    lim = crowding_in_limit(bp)
    at_limit = run(baseline().with_changes(rd_crowding_in=round(lim, 2) - 0.01))
    assert at_limit.calibrated_enterprise_rd[0] >= 0
    with pytest.raises(CalibrationError):
        run(baseline().with_changes(rd_crowding_in=round(lim, 2) + 0.01))


def _logistic(d: float, k: float, ceiling: float, steps: int) -> float:
    for _ in range(steps):
        d = d + k * d * (1 - d / ceiling)
    return d


def test_baseline_digital_share_in_closed_form():
    # No extra spending: x_t = x0, so k = k0 = 0.20 every year; d from 8 % with a 60 % ceiling.
    res = run(baseline())
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2030), _logistic(0.08, 0.20, 0.60, 6), rtol=1e-12)
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2045), _logistic(0.08, 0.20, 0.60, 21), rtol=1e-12)
    # GRDP: r and x unchanged, so g = g^b = 8 % to 2030 and Y2030 = Y0 × (1.08 × 1.04)^6.
    assert_allclose(at(res, "GRDP|Nominal", 2030), 115_357 * (1.08 * 1.04) ** 6, rtol=1e-12)
    # The baseline meets the 2045 digital target (40 %) without any policy.
    assert at(res, "Digital Economy|Share of GRDP", 2045) >= 0.40


def test_flat_envelope_of_three_percent_reaches_thirty_percent_digital_in_2030():
    # s = 3 % from 2025: x − x0 = (1+μ)(1−θ)(s−s0)·b = 2 × 0.6 × 0.02 × 0.134; k = 0.2 + 0.5 × 100 × that
    # from 2026 (last year's x); 2025 still diffuses at k0.
    k = 0.20 + 0.5 * 100 * 2 * 0.6 * 0.02 * 0.134  # 0.3608
    d2030 = _logistic(_logistic(0.08, 0.20, 0.60, 1), k, 0.60, 5)
    res = run(baseline().with_changes(stid_budget_share=3.0))
    assert_allclose(at(res, "Digital Economy|Share of GRDP", 2030), d2030, rtol=1e-12)
    assert d2030 >= 0.30
    # 3.00 % is the least flat envelope to two decimals: 2.99 % falls short.
    short = run(baseline().with_changes(stid_budget_share=2.99))
    assert at(short, "Digital Economy|Share of GRDP", 2030) < 0.30


def _ref_params(profile, scen):
    """MODEL-unit parameters for the reference implementation, from the profile and scenario directly."""

    def v(pid):
        return scen.changes.get(pid, profile.default(pid))

    def frac(x):
        return {y: z / 100 for y, z in x.items()} if isinstance(x, dict) else x / 100

    def base(pid):
        d = profile.default(pid)
        return (d[min(d)] if isinstance(d, dict) else d) / 100

    e = v("enterprise_rd_intensity")
    return {
        "s": frac(v("stid_budget_share")),
        "s_0": base("stid_budget_share"),
        "theta": frac(v("rd_share_of_stid")),
        "theta_0": base("rd_share_of_stid"),
        "c": frac(v("central_floor_share")),
        "c_0": base("central_floor_share"),
        "b": frac(v("budget_to_grdp")),
        "b_0": base("budget_to_grdp"),
        "gb": frac(v("real_growth_base")),
        "gb_0": base("real_growth_base"),
        "pi": frac(v("inflation")),
        "pi_0": base("inflation"),
        "tau": v("rd_incentive_cost"),
        "e": None if e is None else (frac(e) if isinstance(e, dict) else {profile.base_year + 1: e / 100}),
        "lam": v("rd_crowding_in"),
        "rho": v("rd_return"),
        "psi": v("dx_growth_effect"),
        "lag": int(v("rd_lag")),
        "delta": v("rd_depreciation") / 100,
        "D": v("digital_ceiling") / 100,
        "k0": v("digital_diffusion_base"),
        "kappa": v("digital_spending_effect"),
        "mu": v("dx_private_multiplier"),
        "n": v("population_growth") / 100,
    }


@pytest.mark.parametrize(
    "path",
    [
        "scenarios/baseline.yaml",
        "scenarios/resolution57.yaml",
        "scenarios/fiscal-constraint.yaml",
        "scenarios/private-mobilisation.yaml",
        "scenarios/dong-nai-baseline.yaml",
        "scenarios/vietnam-baseline.yaml",
    ],
)
def test_presets_match_independent_reference(path):
    scen = load_scenario(path)
    prof = scen.profile
    b = prof.base
    base = {
        "grdp": b.grdp_nominal.value,
        "growth": b.real_growth.value / 100,
        "population": b.population.value,
        "rd_intensity": b.rd_intensity.value / 100,
        "digital_share": b.digital_share.value / 100,
        "rd_target": prof.rd_target,
    }
    ref = reference_run(
        base, _ref_params(prof, scen), prof.base_year, prof.horizon, cap_public=scen.value("rule_mode") == "cap_public"
    )
    res = run(scen)
    for year, row in ref.items():
        for var, want in row.items():
            assert_allclose(at(res, var, year), want, rtol=1e-9, atol=1e-9, err_msg=f"{path} {var} {year}")
    ref_costs = reference_costs(ref, prof.base_year)
    assert set(ref_costs) == set(res.costs)
    for key, want in ref_costs.items():
        assert_allclose(res.costs[key][0], want, rtol=1e-9, err_msg=f"{path} {key}")


def test_draw_axis_gives_the_same_numbers_as_single_runs():
    scen = load_scenario("scenarios/resolution57.yaml")
    prof = scen.profile
    lams = np.array([0.3, 0.7, 1.0])
    inp = build_inputs(prof, scen, draws=3)
    inp.scalars["rd_crowding_in"] = lams
    many = project(inp)
    for i, lam in enumerate(lams):
        one = run(scen.with_changes(rd_crowding_in=float(lam)))
        for var in many.variables:
            assert_allclose(many[var][i], one.single(var), rtol=1e-12, err_msg=var)


def test_per_draw_lags_match_single_runs():
    scen = load_scenario("scenarios/resolution57.yaml")
    lags = np.array([0, 1, 2, 5])
    inp = build_inputs(scen.profile, scen, draws=len(lags))
    inp.scalars["rd_lag"] = lags.astype(float)
    many = project(inp)
    for i, lag in enumerate(lags):
        one = run(scen.with_changes(rd_lag=int(lag)))
        assert_allclose(many["GRDP|Nominal"][i], one.single("GRDP|Nominal"), rtol=1e-12)
    # a longer lag delays the growth effect: 2030 GRDP falls as the lag grows (R&D intensity rises over time)
    g2030 = many.at("GRDP|Nominal", 2030)
    assert (np.diff(g2030) < 0).all()


def test_presets_do_what_their_names_say():
    base = run(baseline())
    # "Fiscal constraint" never costs the budget more than the baseline, in any year.
    tight = run(load_scenario("scenarios/fiscal-constraint.yaml"))
    assert (tight.single("Budget|Fiscal Cost") <= base.single("Budget|Fiscal Cost") * (1 + 1e-12)).all()
    assert (tight.single("Budget|STI and DX") <= base.single("Budget|STI and DX") * (1 + 1e-12)).all()
    # "High private mobilisation" gets more of its R&D from outside the state than the Resolution 57 path.
    r57 = run(load_scenario("scenarios/resolution57.yaml"))
    private = run(load_scenario("scenarios/private-mobilisation.yaml"))
    for year in (2030, 2045):
        assert at(private, "R&D|Non-state", year) > at(r57, "R&D|Non-state", year)
        assert at(private, "R&D|Non-state Share", year) >= 0.6
    # The Resolution 57 path spends at least 3 % of the budget from 2026.
    assert (r57.single("Budget|STI and DX|Share")[2:] >= 0.03 - 1e-12).all()
