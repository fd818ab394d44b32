"""Decision-analysis panels embedded in other pages (uncertainty switch on the Simulate page)."""

from __future__ import annotations

import streamlit as st

from sim.scenario import Scenario


def uncertainty_panel(scenario: Scenario, lang: str) -> None:
    """Fan charts and target probabilities for the scenario (placeholder until the analysis lands)."""
    st.caption("…")
