"""The Analysis page (AppTest): renders for every region, applies a goal-seek answer, saves the cheapest mix."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.analysis.goalseek import goal_seek
from sim.analysis.optimize import cheapest_mix
from sim.scenario import baseline, load_scenario
from sim.views.fmt import number

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGE = "ui/page_analysis.py"


def open_page(scenario=None, lang="vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()  # the entry page first, as a browser would
    if scenario is not None:
        at.session_state["scenario"] = scenario
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_keys(at: AppTest) -> set[str]:
    """Keys of the plotly charts on the page (AppTest has no typed plotly element yet)."""
    return {e.key for e in at.get("plotly_chart")}


CHARTS = {"an_seek_chart", "an_unc_fan_0", "an_unc_fan_1", "an_unc_fan_2", "an_unc_prob", "an_tornado_chart"}


@pytest.mark.parametrize("region", ["binh-phuoc", "dong-nai", "vietnam"])
def test_page_renders_for_every_region(region):
    at = open_page(baseline(region))
    want = goal_seek(baseline(region), "digital_share_2030", "stid_budget_share")
    answer = f"Cần tối thiểu **{number(want.value, 'vi', 2)} % chi ngân sách**"
    assert any(answer in s.value for s in at.success)
    assert chart_keys(at) >= CHARTS
    assert at.button(key="an_seek_apply").label.startswith("Áp dụng")


def test_english_page():
    at = open_page(lang="en")
    assert any("It takes at least" in s.value for s in at.success)
    assert at.title[0].value == "Decision analysis"


def test_goal_seek_apply_sets_the_answer_on_the_sliders():
    at = open_page(baseline("binh-phuoc"))
    at.selectbox(key="an_seek_target").set_value("digital_share_2030")
    at.selectbox(key="an_seek_lever").set_value("stid_budget_share").run()
    want = goal_seek(baseline("binh-phuoc"), "digital_share_2030", "stid_budget_share")
    at.button(key="an_seek_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    s = at.session_state["scenario"]
    assert s.levers["stid_budget_share"] == want.slider_value == 3.0  # the specification's version-2 check: 3.00 %


def test_goal_seek_unreachable_has_no_apply_button():
    at = open_page(baseline("binh-phuoc"))
    at.selectbox(key="an_seek_target").set_value("rd_intensity_2030").run()
    assert any("Không thể đạt" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "an_seek_apply"]


def test_cheapest_mix_is_saved_to_the_library(library):
    at = open_page(baseline("binh-phuoc"))
    assert any("Phương án rẻ nhất" in s.value for s in at.success)
    before = set(library.glob("*.yaml"))
    at.button(key="an_mix_save").click().run()
    assert not at.exception
    new = set(library.glob("*.yaml")) - before
    assert len(new) == 1
    saved = load_scenario(new.pop())
    assert saved.content_hash() == cheapest_mix(baseline("binh-phuoc")).scenario.content_hash()
    assert any("Đã lưu" in s.value for s in at.success)


def test_attribution_between_two_library_scenarios():
    at = open_page(baseline("binh-phuoc"))
    at.selectbox(key="an_attr_a").set_value("__baseline__")
    at.selectbox(key="an_attr_b").set_value("resolution57")
    at.selectbox(key="an_attr_outcome").set_value("rd_intensity_2030").run()
    assert not at.exception
    assert "an_attr_chart" in chart_keys(at)
    table = at.dataframe[-1].value  # the parts (AppTest's dataframes carry no key)
    assert len(table) == 2  # the envelope path and enterprise R&D differ


def test_uncertainty_switch_on_the_simulate_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.toggle(key="w_uncertainty").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.select_slider(key="unc_draws").value == 2000
    assert {"unc_fan_0", "unc_fan_1", "unc_fan_2", "unc_prob"} <= chart_keys(at)


def test_a_scenario_that_contradicts_the_base_year_shows_messages_not_tracebacks():
    # Crowding-in of 2 makes (1+λ)·P0 exceed the base-year R&D: the calibration refuses it.
    at = open_page(baseline("binh-phuoc").with_changes(rd_crowding_in=2.0))
    assert at.error and all("calibration" in e.value for e in at.error)
