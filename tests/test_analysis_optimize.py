"""The cheapest plan: every constraint holds in a plain run, the cost is what the paths cost, no independent
solver finds a cheaper plan, and a plan that switches everything in one year no longer qualifies."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import NonlinearConstraint, differential_evolution

from sim.analysis.optimize import LEVERS, PlanSettings, _decision_rows, cheapest_plan, make_problem, solve
from sim.engine import run
from sim.errors import InputError
from sim.scenario import baseline, load_scenario, loads

BASE = baseline("binh-phuoc")
ENV, RD, ENT = "stid_budget_share", "rd_share_of_stid", "enterprise_rd_intensity"


@pytest.fixture(scope="module")
def bp():
    return cheapest_plan(BASE)


def shortfalls(scenario, settings=None):
    """Every constraint of the plan, checked here from the engine's outputs (written apart from the optimiser).

    Returns {constraint: worst shortfall} for the constraints that fail (empty: the plan is feasible).
    """
    settings = settings or PlanSettings()
    prof = scenario.profile
    res = run(scenario)
    y = res.years
    after, plan, held = y > prof.base_year, (y > prof.base_year) & (y <= 2030), (y >= 2030) & (y <= settings.hold_until)
    v = {k: res.single(k) for k in res.variables}
    tol = 1e-9
    worst = {}

    def need(name, ok_margin):
        m = float(np.min(ok_margin))
        if m < -tol:
            worst[name] = m

    for t in prof.targets:
        # by default every 2030 target but the growth plan (economy-wide: asked for by name only)
        kept = t.id in settings.keep if settings.keep is not None else t.metric != "growth_avg"
        if t.year == 2030 and t.metric != "rd_nonstate_share" and kept:
            series = {
                "digital_share": v["Digital Economy|Share of GRDP"] * 100,
                "rd_intensity": v["R&D|Share of GRDP"] * 100,
                "rd_nonstate_share": v["R&D|Non-state Share"] * 100,
                "grdp_per_capita": v["GRDP per Capita"],
                "grdp_nominal": v["GRDP|Nominal"],
                "envelope_share": v["Budget|STI and DX|Share"] * 100,
            }[t.metric]
            need(t.id, (series - t.value)[held] / max(1.0, t.value))
    S, F = v["Budget|STI and DX"], v["Budget|Central Floor"]
    need("envelope_above_floor", (S / F - 1)[after])
    need("envelope_non_decreasing", np.diff(S)[after[1:]] / S[1:][after[1:]])
    need("rd_nonstate_share_2030", (v["R&D|Non-state Share"] - 0.6)[after])
    share = v["Budget|STI and DX|Share"] * 100
    need("envelope_step", settings.envelope_step - np.diff(share)[plan[1:]])
    rd = v["R&D|Share of GRDP"] * 100
    need("rd_step", (settings.rd_step - np.diff(rd)[plan[1:]]) / max(1.0, settings.rd_step))
    theta = v["R&D|Public"] / S * 100
    need("share_step", (settings.share_step - np.abs(np.diff(theta))[plan[1:]]) / settings.share_step)
    return worst


def fiscal_cost_by_hand(plan, scenario):
    """MODEL.md v2 eq. 13-14 from the plan's own paths: Σ (s·b·Y + τ·max(0, e − e0)·Y) / deflator, T0+1..2030."""
    prof = scenario.profile
    res = run(scenario)
    Y, defl = res.single("GRDP|Nominal"), res.single("GRDP|Deflator")
    b = 0.134  # Bình Phước's budget spending, 13.4 % of GRDP
    s0, theta0, lam, tau = 0.01, 0.40, 0.7, 0.25  # base-year envelope and R&D share, λ, τ (MODEL.md §1)
    e0 = prof.base.rd_intensity.value / 100 - (1 + lam) * theta0 * s0 * b  # §3 calibration
    total = 0.0
    for y in range(prof.base_year + 1, 2031):
        i = y - prof.base_year
        s, e = plan.paths[ENV][y] / 100, plan.paths[ENT][y] / 100
        total += (s * b * Y[i] + tau * max(0.0, e - e0) * Y[i]) / defl[i]
    return total


# ---------------------------------------------------------------- the answer


def test_every_answer_holds_every_constraint_in_a_plain_run(bp):
    assert bp.feasible
    for shape, plan in bp.plans.items():
        assert (shortfalls(plan.scenario) == {}) == plan.feasible, shape
        assert plan.feasible == all(c.met for c in plan.checks)
    years = list(range(2025, 2031))
    for pid in LEVERS:
        assert list(bp.best.paths[pid]) == years
        # the scenario carries one breakpoint a year, so the Simulate page shows the same path
        assert sorted(bp.best.scenario.levers[pid]) == years


def test_the_reported_cost_is_what_the_returned_paths_cost(bp):
    for plan in bp.plans.values():
        res = run(plan.scenario)
        assert_allclose(plan.cost_real, float(res.cost("Budget|Fiscal Cost", "2025-2030", "Real")[0]), rtol=1e-12)
        assert_allclose(plan.cost_real, plan.envelope_real + plan.incentives_real, rtol=1e-12)
        assert_allclose(plan.cost_real, fiscal_cost_by_hand(plan, plan.scenario), rtol=1e-9)


def test_year_by_year_is_no_dearer_than_the_ramp_and_the_ramp_no_dearer_than_flat(bp):
    yearly, ramp, flat = (bp.plans[s] for s in ("yearly", "ramp", "flat"))
    assert yearly.cost_real <= ramp.cost_real * (1 + 1e-9)
    if flat.feasible:
        assert ramp.cost_real <= flat.cost_real * (1 + 1e-9)
    ramp_env = list(ramp.paths[ENV].values())
    assert_allclose(np.diff(ramp_env), np.diff(ramp_env)[0], atol=1e-5)  # a straight line
    assert len(set(np.round(list(ramp.paths[RD].values()), 9))) == 1


def test_flat_is_infeasible_with_a_one_point_step_and_the_report_says_why(bp):
    # The base-year envelope is 1 % of budget spending and the central floor 2 %: a flat share must be exactly
    # 2 % (one point up in 2025), and 2 % alone cannot reach a 30 % digital share by 2030.
    flat = bp.plans["flat"]
    assert not flat.feasible
    assert flat.violated and all(c.slack < 0 for c in flat.violated)
    assert set(shortfalls(flat.scenario)) == {c.constraint.id for c in flat.violated}
    assert {"digital_share_2030", "envelope_step"} & {c.constraint.id for c in flat.violated}


def test_an_independent_solver_finds_no_cheaper_plan():
    # A reduced but faithful problem: the same engine, objective and constraints, each lever decided in
    # 2025, 2027 and 2030 (straight lines between). An envelope step of 1.5 points keeps 2025 from being pinned
    # to exactly 2 % (which a random search cannot hit).
    settings = PlanSettings(envelope_step=1.5)
    knots = {pid: (2025, 2027, 2030) for pid in LEVERS}
    pb = make_problem(BASE, "yearly", settings, knots=knots)
    cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def ev(Zt):  # differential_evolution passes the population as columns
        key = Zt.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = pb.evaluate(Zt.T)
        return cache[key]

    de = differential_evolution(
        lambda Zt: ev(Zt)[0],
        [(0.0, 1.0)] * pb.size,
        constraints=NonlinearConstraint(lambda Zt: ev(Zt)[1].T, -1e-9, np.inf),
        vectorized=True,
        updating="deferred",
        popsize=15,
        maxiter=400,
        tol=1e-7,
        polish=False,
        seed=0,
    )
    c_de, g_de = pb.evaluate(de.x)
    assert g_de.min() >= -1e-9  # DE found a feasible plan

    flat = make_problem(BASE, "flat", settings)
    z_flat, _ = solve(flat, list(flat.grid()))
    z, feasible = solve(pb, [pb.embed(_decision_rows(flat, z_flat))])
    c_sq, g_sq = pb.evaluate(z)
    assert feasible and g_sq.min() >= -1e-9
    assert c_sq[0] <= c_de[0] * (1 + 1e-3)  # SLSQP is no dearer than DE
    assert c_de[0] <= c_sq[0] * 1.05  # and DE comes close: both searched the same problem
    # Deciding every year can only do better than deciding three of them.
    assert cheapest_plan(BASE, settings).best.cost_real <= c_sq[0] * (1 + 1e-9)


# ---------------------------------------------------------------- the one-year switch


def test_a_one_year_switch_to_r_and_d_is_infeasible():
    # All DX until 2029, 100 % R&D in 2030: whatever the envelope and enterprise R&D do, the R&D share
    # moves 100 points in a year against the 10-point limit.
    switch = {y: (100.0 if y == 2030 else 0.0) for y in range(2024, 2031)}
    pb = make_problem(BASE, "yearly", fixed={RD: switch})
    z, feasible = solve(pb, [np.full(pb.size, 0.5)])
    assert not feasible
    sc = BASE.with_changes(**{RD: {y: v for y, v in switch.items() if y > 2024}})
    rows = _decision_rows(pb, z)
    sc = sc.with_changes(
        **{ENV: {y: float(rows[ENV][y - 2024] * 100) for y in range(2025, 2031)}},
        **{ENT: {y: float(rows[ENT][y - 2024] * 100) for y in range(2025, 2031)}},
    )
    worst = shortfalls(sc)
    assert "share_step" in worst
    # Without the share limit the switch is the cheapest way to tick the 2030 R&D target: the limit is what
    # stops it.
    free = PlanSettings(share_step=None, rd_step=None)
    loose = make_problem(BASE, "yearly", free, fixed={RD: switch})
    assert solve(loose, [np.full(loose.size, 0.5)])[1]
    unlimited = cheapest_plan(BASE, free).best
    assert unlimited.cost_real < cheapest_plan(BASE).best.cost_real
    theta, ent = unlimited.paths[RD], unlimited.paths[ENT]
    assert theta[2030] - theta[2029] >= 50 or ent[2030] - ent[2029] >= 0.5  # the switch, back


def test_enterprise_r_and_d_cannot_jump_in_the_target_year():
    # Enterprise R&D flat at today's level until 2029 and 1.5 % of GRDP in 2030: R&D rises far more than 0.4
    # points in one year.
    e0 = 0.15 - 1.7 * 0.4 * 0.01 * 13.4  # % of GRDP, MODEL.md §3
    jump = {y: (1.5 if y == 2030 else e0) for y in range(2024, 2031)}
    pb = make_problem(BASE, "yearly", fixed={ENT: jump})
    assert not solve(pb, [np.full(pb.size, 0.5)])[1]


# ---------------------------------------------------------------- settings


def test_each_setting_changes_what_is_held(bp):
    r = cheapest_plan(BASE, PlanSettings(hold_until=2040, targets_2045=True, ceiling=1.2))
    ids = {c.id for c in r.constraints}
    assert "digital_share_2045" in ids
    digital = next(c for c in r.constraints if c.id == "digital_share_2030")
    assert digital.years == tuple(range(2030, 2041))
    assert r.feasible
    assert max(r.best.paths[ENT].values()) <= 1.2 + 1e-9
    assert r.best.cost_real >= bp.best.cost_real * (1 - 1e-9)  # more constraints cost no less
    assert shortfalls(r.best.scenario, PlanSettings(hold_until=2040)) == {}
    assert "digital_share_2045" not in {c.id for c in bp.constraints}


def test_infeasible_names_what_binds_and_by_how_much():
    # Enterprise R&D at most 0.5 % of GRDP in Đồng Nai: with ≥ 60 % non-state R&D, public R&D is at most
    # 0.4·e/0.32 = 1.25·e, so R&D reaches at most 0.5 + 1.7 × 0.625 = 1.5625 % < the 2 % target.
    r = cheapest_plan(baseline("dong-nai"), PlanSettings(ceiling=0.5))
    assert not r.feasible
    short = {c.constraint.id: c for c in r.best.violated}
    assert short and set(short) <= {"rd_intensity_2030", "rd_nonstate_share_2030"}
    for c in short.values():
        assert c.slack < 0 and c.value < c.constraint.value
    rd = next(c for c in r.best.checks if c.constraint.id == "rd_intensity_2030")
    assert rd.value <= 1.5625 + 1e-6


def test_cap_public_rule_mode_and_another_region():
    for s in (load_scenario("scenarios/private-mobilisation.yaml"), baseline("dong-nai")):
        r = cheapest_plan(s)
        assert r.feasible
        assert r.best.cost_real <= r.plans["ramp"].cost_real * (1 + 1e-9)
        first = s.profile.base_year + 1
        assert list(r.best.paths[ENV]) == list(range(first, 2031))
        res = run(r.best.scenario)
        span = f"{first}-2030"
        assert_allclose(r.best.cost_real, float(res.cost("Budget|Fiscal Cost", span, "Real")[0]), rtol=1e-12)


def test_answer_round_trips_as_a_scenario_file(bp):
    back = loads(bp.best.scenario.to_yaml(), "plan.yaml")
    assert back.content_hash() == bp.best.scenario.content_hash()
    assert back.status == "draft"
    assert shortfalls(back) == {}


@pytest.mark.parametrize(
    ("settings", "key"),
    [
        (PlanSettings(hold_until=2050), "hold_until"),
        (PlanSettings(hold_until=2029), "hold_until"),
        (PlanSettings(envelope_step=0.0), "envelope_step"),
        (PlanSettings(ceiling=3.5), "ceiling"),
        (PlanSettings(ceiling=0.01), "ceiling"),  # below enterprises' R&D today (0.058 %)
        (PlanSettings(keep=("no_such_target",)), "keep"),
    ],
)
def test_bad_settings_name_the_field(settings, key):
    with pytest.raises(InputError) as err:
        cheapest_plan(BASE, settings)
    assert err.value.key == key
