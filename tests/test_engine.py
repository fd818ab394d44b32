"""The engine against MODEL.md: hand-computed values on a small profile and the §6 reference table."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.engine import build_inputs, project, run
from sim.errors import CalibrationError
from sim.params import Text
from sim.scenario import Scenario, baseline, load_scenario
from tests.reference_model import reference_run

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


def test_costs_sum_envelope_by_calendar_period():
    scen = baseline()
    res = run(scen)
    S_ = res.single("Budget|STI and DX")
    defl = res.single("GRDP|Deflator")
    years = res.years
    m1 = (years >= 2025) & (years <= 2030)
    m2 = (years >= 2031) & (years <= 2045)
    assert_allclose(res.costs["Cost|STI and DX|2025-2030|Nominal"], [S_[m1].sum()])
    assert_allclose(res.costs["Cost|STI and DX|2031-2045|Nominal"], [S_[m2].sum()])
    assert_allclose(res.costs["Cost|STI and DX|2025-2030|Real"], [(S_[m1] / defl[m1]).sum()])


REFERENCE = {  # MODEL.md §6
    2024: (115_357, 0.0932, 155, 173, 0.0015, 0.643, 0.080),
    2030: (231_626, 0.0800, 310, 347, 0.0015, 0.643, 0.160),
    2045: (1_139_957, 0.0600, 1_528, 1_710, 0.0015, 0.643, 0.466),
}
REF_VARS = (
    "GRDP|Nominal",
    "GRDP|Real Growth",
    "Budget|STI and DX",
    "R&D|Total",
    "R&D|Share of GRDP",
    "R&D|Non-state Share",
    "Digital Economy|Share of GRDP",
)


@pytest.mark.parametrize("year", sorted(REFERENCE))
def test_model_md_reference_table(year):
    res = run(load_scenario("scenarios/baseline.yaml"))
    got = [at(res, v, year) for v in REF_VARS]
    # The table is rounded for print: ±0.5 % relative, plus half a unit of the printed last digit.
    for var, g, want in zip(REF_VARS, got, REFERENCE[year], strict=True):
        digits = {"R&D|Share of GRDP": 0.00005, "R&D|Non-state Share": 0.0005, "Digital Economy|Share of GRDP": 0.0005}
        assert abs(g - want) <= 0.005 * abs(want) + digits.get(var, 0.5), (var, g, want)


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
        "pi": frac(v("inflation")),
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
