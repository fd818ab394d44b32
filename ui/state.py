"""Session state shared by the pages: the current scenario and how widgets map onto it.

Contract used by every page (simulate, compare, analysis, presenter):
- ``current_scenario()`` returns the scenario the sliders describe now (a ``sim.scenario.Scenario``).
- ``set_scenario(s)`` makes the sliders show ``s`` on the next rerun (load, goal-seek answer, link).
- ``baseline_scenario()`` the baseline of the current region (always drawn beside the current one).
"""

from __future__ import annotations

import streamlit as st

from sim.scenario import Scenario, baseline

SCENARIO_KEY = "scenario"


def current_scenario() -> Scenario:
    return st.session_state.get(SCENARIO_KEY) or baseline()


def set_scenario(s: Scenario) -> None:
    st.session_state[SCENARIO_KEY] = s


def baseline_scenario() -> Scenario:
    return baseline(current_scenario().region)
