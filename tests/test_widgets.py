"""Wiring between widgets and the scenario (the part apps get wrong): pure functions, no browser."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim import engine
from sim.profiles import load_profile
from sim.scenario import baseline, load_scenario
from ui import widgets
from ui.widgets import apply_control, control, reset, widget_values

RES57 = load_scenario("scenarios/resolution57.yaml")


def e0(s):
    return float(engine.run(s).calibrated_enterprise_rd[0]) * 100


def test_keys_are_stable_and_unique():
    bp = load_profile("binh-phuoc")
    keys = [k for c in widgets.ALL_CONTROLS for k in c.keys(bp)]
    assert len(keys) == len(set(keys))
    assert "w_stid_budget_share_2030" in keys
    assert {"w_stid_budget_share_2026", "w_stid_budget_share_2045", "w_rd_share_of_stid", "w_rule_mode"} <= set(keys)
    # every parameter of the schema has a control: one schema feeds the sliders
    from sim.params import schema

    assert {c.pid for c in widgets.ALL_CONTROLS} == set(schema())


def test_widget_values_show_the_scenario():
    prof = load_profile("binh-phuoc")
    v = widget_values(RES57, prof, e0(RES57))
    # {2024: 1.0, 2026: 3.0, 2030: 3.5} is flat after 2030
    assert (v["w_stid_budget_share_2026"], v["w_stid_budget_share_2030"], v["w_stid_budget_share_2045"]) == (
        3,
        3.5,
        3.5,
    )
    assert v["w_enterprise_rd_intensity_2030"] == 0.8
    assert v["w_enterprise_rd_intensity_2045"] == 1.2
    assert v["w_rd_share_of_stid"] == 40.0
    assert v["w_rule_mode"] == "report"
    # real growth default {2025: 8, 2030: 8, 2045: 6}
    assert (v["w_real_growth_base_2026"], v["w_real_growth_base_2045"]) == (8.0, 6.0)
    assert v["w_rd_lag"] == 2 and isinstance(v["w_rd_lag"], int)


def test_unset_enterprise_lever_shows_the_calibrated_value():
    s = baseline()
    prof = s.profile
    # MODEL.md §3 by hand: e0 = r0 - (1+λ)·θ·s·b = 0.15 - 1.7·0.40·0.01·13.4
    expected = 0.15 - 1.7 * 0.40 * 0.01 * 13.4
    v = widget_values(s, prof, e0(s))
    assert v["w_enterprise_rd_intensity_2030"] == round(expected, 2)


@pytest.mark.parametrize(("region", "base_year", "base_value"), [("binh-phuoc", 2024, 1.0), ("dong-nai", 2025, 1.5)])
def test_envelope_slider_writes_the_anchored_path(region, base_year, base_value):
    s = baseline(region)
    prof = s.profile
    out = apply_control(s, s, prof, control("stid_budget_share"), {2030: 3.0}, e0(s))
    assert out.levers["stid_budget_share"] == {base_year: base_value, 2026: base_value, 2030: 3.0, 2045: base_value}
    assert out.assumptions == {}
    # the engine sees it: envelope share 3 % in 2030 (MODEL.md eq. 4)
    res = engine.run(out)
    assert_allclose(res.at("Budget|STI and DX|Share", 2030), [0.03])


def test_enterprise_slider_sets_one_breakpoint_and_keeps_the_others():
    s = baseline()
    prof = s.profile
    c = control("enterprise_rd_intensity")
    a = apply_control(s, s, prof, c, {2030: 0.8}, e0(s))
    assert a.levers["enterprise_rd_intensity"] == {2030: 0.8}  # 2030 level then holds to 2045
    b = apply_control(a, s, prof, c, {2045: 1.5}, e0(a))
    assert b.levers["enterprise_rd_intensity"] == {2030: 0.8, 2045: 1.5}
    v = widget_values(a, prof, e0(a))
    assert v["w_enterprise_rd_intensity_2045"] == 0.8


def test_moving_away_and_back_restores_the_start_exactly():
    prof = RES57.profile
    c = control("stid_budget_share")
    moved = apply_control(RES57, RES57, prof, c, {2030: 5.0}, e0(RES57))
    assert moved.content_hash() != RES57.content_hash()
    assert moved.name == RES57.name and moved.status == "draft"
    back = apply_control(moved, RES57, prof, c, {2030: 3.5}, e0(moved))
    assert back is RES57


def test_back_to_the_default_removes_the_change():
    s = baseline()
    c = control("inflation")
    moved = apply_control(s, s, s.profile, c, {2030: 5.0}, e0(s))
    assert "inflation" in moved.assumptions
    back = apply_control(moved, s, s.profile, c, {2030: 4.0}, e0(moved))
    assert back is s


def test_flat_scalar_and_choice_controls():
    s = baseline()
    out = apply_control(s, s, s.profile, control("rd_share_of_stid"), {None: 30.0}, e0(s))
    out = apply_control(out, s, s.profile, control("rule_mode"), {None: "cap_public"}, e0(out))
    out = apply_control(out, s, s.profile, control("rd_lag"), {None: 3}, e0(out))
    assert out.levers == {"rd_share_of_stid": 30.0, "rule_mode": "cap_public"}
    assert out.assumptions == {"rd_lag": 3}
    inp = engine.build_inputs(s.profile, out)
    assert inp.cap_public
    assert_allclose(inp.paths["rd_share_of_stid"][0, 1:], 0.30)
    assert inp.scalars["rd_lag"][0] == 3


def test_float_noise_from_the_browser_is_rounded_to_the_step():
    s = baseline()
    out = apply_control(s, s, s.profile, control("stid_budget_share"), {2030: 0.30000000000000004}, e0(s))
    assert out.levers["stid_budget_share"][2030] == 0.3


def test_reset_levers_and_assumptions_separately():
    prof = RES57.profile
    s = apply_control(RES57, RES57, prof, control("stid_budget_share"), {2030: 6.0}, e0(RES57))
    s = apply_control(s, RES57, prof, control("inflation"), {2030: 6.0}, e0(s))
    lev = reset(s, RES57, "lever")
    assert lev.levers == RES57.levers
    assert "inflation" in lev.assumptions
    both = reset(lev, RES57, "assumption")
    assert both is RES57


def test_check_names_the_refusal():
    s = baseline().with_changes(rd_crowding_in=2.0)  # 3 · public R&D exceeds the base-year intensity
    msg = widgets.check(s)
    assert msg is not None and "crowding-in" in msg
    assert widgets.check(baseline()) is None


def test_decimals_follow_the_step():
    from sim.params import schema

    p = schema()
    assert widgets.decimals(p["stid_budget_share"]) == 1
    assert widgets.decimals(p["enterprise_rd_intensity"]) == 2
    assert widgets.decimals(p["rd_crowding_in"]) == 2
    assert widgets.decimals(p["rd_share_of_stid"]) == 0
    assert np.isclose(widgets._on_step(p["rd_crowding_in"], 0.7000001), 0.7)
