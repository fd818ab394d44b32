"""Wiring between controls and the scenario (the part apps get wrong): pure functions, no browser."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from sim import engine
from sim.params import schema
from sim.profiles import load_profile
from sim.scenario import baseline, load_scenario
from ui import widgets
from ui.widgets import add_year, breakpoints, remove_year, reset, set_breakpoint, set_value, widget_values

RES57 = load_scenario("scenarios/resolution57.yaml")
BP = load_profile("binh-phuoc")


def e0(s):
    return float(engine.run(s).calibrated_enterprise_rd[0]) * 100


def test_every_parameter_has_a_control_and_keys_are_the_breakpoint_years():
    assert {c.pid for c in widgets.ALL_CONTROLS} == set(schema())  # one schema feeds the controls
    v = widget_values(RES57, BP)
    # resolution57.yaml: stid_budget_share {2024: 1.0, 2026: 3.0, 2030: 3.5}: one slider a breakpoint
    assert {k: x for k, x in v.items() if k.startswith("w_stid_budget_share")} == {
        "w_stid_budget_share_2024": 1.0,
        "w_stid_budget_share_2026": 3.0,
        "w_stid_budget_share_2030": 3.5,
    }
    assert (v["w_enterprise_rd_intensity_2030"], v["w_enterprise_rd_intensity_2045"]) == (0.8, 1.2)
    # a plain number is the one breakpoint of the year after the base year
    assert v["w_rd_share_of_stid_2025"] == 40.0
    # real growth default {2025: 8, 2030: 8, 2045: 6}: all three shown
    assert (v["w_real_growth_base_2025"], v["w_real_growth_base_2030"], v["w_real_growth_base_2045"]) == (8, 8, 6)
    assert v["w_rule_mode"] == "report"
    assert v["w_rd_lag"] == 2 and isinstance(v["w_rd_lag"], int)


def test_unset_enterprise_lever_has_no_breakpoint_and_starts_from_the_calibrated_value():
    s = baseline()
    assert not [k for k in widget_values(s, BP) if k.startswith("w_enterprise_rd_intensity")]
    # MODEL.md §3 by hand: e0 = r0 - (1+λ)·θ·s·b = 0.15 - 1.7·0.40·0.01·13.4
    expected = 0.15 - 1.7 * 0.40 * 0.01 * 13.4
    assert_allclose(widgets.base_value("enterprise_rd_intensity", BP, e0(s)), expected, rtol=1e-9)


def test_a_slider_move_changes_its_breakpoint_only():
    # the cheapest-mix case of issue 8: a 2025 breakpoint no slider showed was dropped by a move
    s = baseline().with_changes(stid_budget_share={2025: 3.0, 2030: 7.0})
    up = set_breakpoint(s, s, BP, "stid_budget_share", 2030, 7.1)
    assert up.levers["stid_budget_share"] == {2025: 3.0, 2030: 7.1}
    back = set_breakpoint(up, s, BP, "stid_budget_share", 2030, 7.0)
    assert back == s and back.content_hash() == s.content_hash()


def test_moving_a_default_path_away_and_back_removes_the_change():
    s = baseline()
    moved = set_breakpoint(s, s, BP, "real_growth_base", 2030, 9.0)
    assert moved.assumptions == {"real_growth_base": {2025: 8.0, 2030: 9.0, 2045: 6.0}}
    assert set_breakpoint(moved, s, BP, "real_growth_base", 2030, 8.0).assumptions == {}


def test_add_a_year_keeps_the_numbers_and_remove_takes_it_out():
    s = RES57
    added = add_year(s, s, BP, "stid_budget_share", 2045, e0(s))
    # 2045 lies after the last breakpoint (2030: 3.5): the path holds 3.5 there
    assert added.levers["stid_budget_share"] == {2024: 1.0, 2026: 3.0, 2030: 3.5, 2045: 3.5}
    assert_allclose(engine.run(added)["Digital Economy|Share of GRDP"], engine.run(s)["Digital Economy|Share of GRDP"])
    # a year between two breakpoints gets the straight-line value: 2028 halfway from 3.0 to 3.5
    mid = add_year(s, s, BP, "stid_budget_share", 2028, e0(s))
    assert mid.levers["stid_budget_share"][2028] == 3.25
    removed = remove_year(added, s, BP, "stid_budget_share", 2045)
    assert removed == s
    # a plain number: adding 2030 turns it into two breakpoints at the same level
    b = baseline()
    two = add_year(b, b, BP, "stid_budget_share", 2030, e0(b))
    assert two.levers["stid_budget_share"] == {2025: 1.0, 2030: 1.0}
    moved = set_breakpoint(two, b, BP, "stid_budget_share", 2030, 3.0)
    assert moved.levers["stid_budget_share"] == {2025: 1.0, 2030: 3.0}
    res = engine.run(moved)
    assert_allclose(res.at("Budget|STI and DX|Share", 2030), [0.03])  # MODEL.md eq. 4: the 2030 share
    assert_allclose(res.at("Budget|STI and DX|Share", 2025), [0.01])


def test_enterprise_breakpoints_added_and_removed():
    s = baseline()
    a = add_year(s, s, BP, "enterprise_rd_intensity", 2030, e0(s))
    assert list(a.levers["enterprise_rd_intensity"]) == [2030]
    b = set_breakpoint(a, s, BP, "enterprise_rd_intensity", 2030, 0.8)
    assert b.levers["enterprise_rd_intensity"] == {2030: 0.8}
    c = add_year(b, s, BP, "enterprise_rd_intensity", 2045, e0(b))
    assert c.levers["enterprise_rd_intensity"] == {2030: 0.8, 2045: 0.8}  # the 2030 level holds after 2030
    assert (
        remove_year(remove_year(c, s, BP, "enterprise_rd_intensity", 2045), s, BP, "enterprise_rd_intensity", 2030) == s
    )


def test_scalar_and_choice_controls():
    s = baseline()
    out = set_value(s, s, BP, "rule_mode", "cap_public")
    out = set_value(out, s, BP, "rd_lag", 3)
    assert out.levers == {"rule_mode": "cap_public"} and out.assumptions == {"rd_lag": 3}
    inp = engine.build_inputs(BP, out)
    assert inp.cap_public and inp.scalars["rd_lag"][0] == 3
    assert set_value(out, s, BP, "rd_lag", 2).assumptions == {}


def test_float_noise_from_the_browser_is_rounded_to_the_step():
    s = baseline()
    out = set_breakpoint(s, s, BP, "stid_budget_share", 2025, 0.30000000000000004)
    assert out.levers["stid_budget_share"] == 0.3


def test_reset_levers_and_assumptions_separately():
    s = set_breakpoint(RES57, RES57, BP, "stid_budget_share", 2030, 6.0)
    s = set_breakpoint(s, RES57, BP, "inflation", 2025, 6.0)
    lev = reset(s, RES57, "lever")
    assert lev.levers == RES57.levers and "inflation" in lev.assumptions
    assert reset(lev, RES57, "assumption") == RES57


def test_breakpoints_of_each_kind_of_value():
    assert breakpoints(None, BP) == {}
    assert breakpoints(2.5, BP) == {2025: 2.5}
    assert breakpoints({2030: 1, 2024: 2}, BP) == {2024: 2.0, 2030: 1.0}


def test_value_text_uses_the_language_and_keeps_an_exact_answer():
    p = schema()["stid_budget_share"]
    assert widgets.value_text(3.5, p, "vi") == "3,5"
    assert widgets.value_text(3.5, p, "en") == "3.5"
    assert widgets.value_text(3.7512, p, "vi") == "3,7512"  # an exact goal-seek answer is not hidden


def test_decimals_follow_the_step():
    p = schema()
    assert widgets.decimals(p["stid_budget_share"]) == 1
    assert widgets.decimals(p["enterprise_rd_intensity"]) == 2
    assert widgets.decimals(p["rd_share_of_stid"]) == 0
    assert np.isclose(widgets._on_step(p["rd_crowding_in"], 0.7000001), 0.7)
