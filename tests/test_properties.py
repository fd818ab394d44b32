"""Properties over the whole allowed range of every parameter (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.engine import run
from sim.errors import CalibrationError
from sim.params import schema
from sim.paths import evaluate
from sim.profiles import list_profiles
from sim.scenario import baseline
from tests.reference_model import path_value
from tests.strategies import parameter_value

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHARES = ("R&D|Non-state Share", "Digital Economy|Share of GRDP", "R&D|Share of GRDP", "Budget|STI and DX|Share")


@st.composite
def scenarios(draw):
    region = draw(st.sampled_from(list_profiles()))
    changes = {}
    for pid in schema():
        if draw(st.booleans()):
            changes[pid] = draw(parameter_value(schema()[pid], region))
    return baseline(region).with_changes(**changes)


def _run_or_refused(scen):
    try:
        return run(scen)
    except CalibrationError as exc:
        assert "contradict" in str(exc)
        return None


@SETTINGS
@given(scenarios())
def test_outputs_are_finite_and_shares_are_shares(scen):
    res = _run_or_refused(scen)
    if res is None:
        return
    for var, arr in res.variables.items():
        assert np.isfinite(arr).all(), var
    for var in SHARES:
        assert (res[var] >= -1e-12).all() and (res[var] <= 1 + 1e-12).all(), var
    for var in ("GRDP|Nominal", "R&D|Total", "Budget|STI and DX", "R&D|Knowledge Stock"):
        assert (res[var] >= 0).all(), var


@SETTINGS
@given(scenarios(), st.floats(0.01, 5.0))
def test_larger_envelope_never_lowers_digital_share(scen, extra):
    s = scen.value("stid_budget_share")
    bigger = {y: min(10.0, v + extra) for y, v in s.items()} if isinstance(s, dict) else min(10.0, s + extra)
    low = _run_or_refused(scen)
    high = _run_or_refused(scen.with_changes(stid_budget_share=bigger))
    if low is None or high is None:
        return
    d_low, d_high = low["Digital Economy|Share of GRDP"], high["Digital Economy|Share of GRDP"]
    assert (d_high >= d_low - 1e-12).all()


@SETTINGS
@given(scenarios())
def test_cap_public_always_meets_the_60_percent_rule(scen):
    res = _run_or_refused(scen.with_changes(rule_mode="cap_public"))
    if res is None:
        return
    nonstate, total = res["R&D|Non-state"][:, 1:], res["R&D|Total"][:, 1:]
    assert (nonstate >= 0.6 * total - 1e-9 * np.maximum(total, 1)).all()


@SETTINGS
@given(scenarios())
def test_paths_interpolate_linearly_and_flat_outside(scen):
    res = _run_or_refused(scen)
    if res is None:
        return
    prof = scen.profile
    t0 = prof.base_year

    def base_value(pid):  # the profile's own value in the base year
        return float(evaluate(prof.default(pid), [t0])[0])

    s = scen.value("stid_budget_share")
    got = res.single("Budget|STI and DX|Share")
    for i, year in enumerate(res.years):  # from the base-year value, linear, flat after the last breakpoint
        assert abs(got[i] - path_value(s, int(year), t0, base_value("stid_budget_share")) / 100) < 1e-12
    b = scen.value("budget_to_grdp")
    grdp, spend = res.single("GRDP|Nominal"), res.single("Budget|Spending")
    for i, year in enumerate(res.years):
        assert abs(spend[i] / grdp[i] - path_value(b, int(year), t0, base_value("budget_to_grdp")) / 100) < 1e-12
