"""Shapley waterfall: the parts add up to the difference, and match the definition computed by hand."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from sim.analysis.attribution import differing_inputs, shapley
from sim.analysis.outcomes import OUTCOMES, outcome
from sim.engine import run
from sim.errors import InputError
from sim.scenario import baseline, load_scenario

BASE = baseline("binh-phuoc")
R57 = load_scenario("scenarios/resolution57.yaml")
PM = load_scenario("scenarios/private-mobilisation.yaml")  # also switches the rule mode to cap_public
FC = load_scenario("scenarios/fiscal-constraint.yaml")
WIDE = PM.with_changes(rd_crowding_in=1.0, inflation=3.0, rd_lag=3, digital_ceiling=55.0, rd_return=0.3)


def value(s, oid):
    return float(outcome(oid).values(run(s))[0])


PAIRS = [(BASE, R57), (BASE, PM), (FC, PM), (R57, WIDE), (WIDE, FC)]


@pytest.mark.parametrize("oid", list(OUTCOMES))
@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_parts_add_up_to_the_difference_between_plain_runs(a, b, oid):
    at = shapley(a, b, oid)
    start, end = value(a, oid), value(b, oid)
    assert_allclose([at.start, at.end], [start, end], rtol=1e-12)
    total = sum(p.value for p in at.parts)
    assert_allclose(total, end - start, rtol=1e-9, atol=1e-9 * max(1.0, abs(start)))
    assert at.exact


def test_two_inputs_by_the_definition():
    # φ_env = ½[f({env}) − f(∅)] + ½[f({env, ent}) − f({ent})], and the same for enterprise R&D.
    oid = "grdp_2045"
    env, ent = R57.levers["stid_budget_share"], R57.levers["enterprise_rd_intensity"]
    f0 = value(BASE, oid)
    f_env = value(BASE.with_changes(stid_budget_share=env), oid)
    f_ent = value(BASE.with_changes(enterprise_rd_intensity=ent), oid)
    f_both = value(R57, oid)
    at = shapley(BASE, R57, oid)
    parts = {p.pid: p.value for p in at.parts}
    assert set(parts) == {"stid_budget_share", "enterprise_rd_intensity"}
    assert_allclose(parts["stid_budget_share"], 0.5 * (f_env - f0) + 0.5 * (f_both - f_ent), rtol=1e-10)
    assert_allclose(parts["enterprise_rd_intensity"], 0.5 * (f_ent - f0) + 0.5 * (f_both - f_env), rtol=1e-10)


def test_three_inputs_with_the_rule_mode_by_the_definition():
    # Weights 1/3 (no other input switched), 1/6 (one), 1/6 (one), 1/3 (both) for each input's marginal change.
    a = BASE
    b = BASE.with_changes(stid_budget_share=4.0, enterprise_rd_intensity=0.1, rule_mode="cap_public")
    oid = "digital_share_2030"
    ch = {"stid_budget_share": 4.0, "enterprise_rd_intensity": 0.1, "rule_mode": "cap_public"}

    def f(keys):
        return value(a.with_changes(**{k: ch[k] for k in keys}), oid)

    at = shapley(a, b, oid)
    parts = {p.pid: p.value for p in at.parts}
    for i in ch:
        o1, o2 = (k for k in ch if k != i)
        want = (
            (f([i]) - f([])) / 3
            + (f([i, o1]) - f([o1])) / 6
            + (f([i, o2]) - f([o2])) / 6
            + (f([i, o1, o2]) - f([o1, o2])) / 3
        )
        assert_allclose(parts[i], want, rtol=1e-10, atol=1e-12)


def test_an_input_that_moves_nothing_gets_zero():
    b = R57.with_changes(population_growth=2.0)
    parts = {p.pid: p.value for p in shapley(BASE, b, "digital_share_2030").parts}
    assert parts["population_growth"] == 0.0


def test_sampled_orders_still_add_up_and_approach_the_exact_values():
    exact = {p.pid: p.value for p in shapley(R57, WIDE, "grdp_2045").parts}
    est = shapley(R57, WIDE, "grdp_2045", max_exact=3, permutations=512, seed=1)
    assert not est.exact
    assert_allclose(sum(p.value for p in est.parts), est.total, rtol=1e-9)
    for p in est.parts:
        assert abs(p.value - exact[p.pid]) < 0.02 * abs(est.total)


def test_equal_paths_written_differently_do_not_differ():
    a = BASE.with_changes(stid_budget_share=2.0, inflation=4.0)
    # The base-year value of a path is history (the profile's), so 9 % in 2024 changes nothing.
    b = BASE.with_changes(stid_budget_share={2025: 2.0, 2040: 2.0}, inflation={2024: 9.0, 2025: 4.0})
    assert differing_inputs(a, b) == []
    c = BASE.with_changes(stid_budget_share=2.0, inflation={2024: 9.0, 2030: 4.0})  # 2025-2029 differ now
    assert differing_inputs(a, c) == ["inflation"]
    assert differing_inputs(BASE, BASE.with_changes(enterprise_rd_intensity=None)) == []
    assert differing_inputs(BASE, R57) == ["stid_budget_share", "enterprise_rd_intensity"]


def test_different_regions_are_refused():
    with pytest.raises(InputError) as err:
        shapley(BASE, baseline("dong-nai"), "grdp_2045")
    assert err.value.key == "region"


def test_no_difference_no_parts():
    at = shapley(R57, R57.with_changes(), "grdp_2045")
    assert at.parts == [] and at.total == 0.0
