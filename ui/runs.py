"""Projections shared by the pages: one engine run per scenario content, whatever page asks for it.

The engine's result depends only on the region and the scenario's content (:meth:`Scenario.content_hash`:
not its name or description), so every session and page (Simulate, Compare, Present) reuses one run.
"""

from __future__ import annotations

import streamlit as st

from sim import engine
from sim.engine import Result
from sim.scenario import Scenario


@st.cache_resource(max_entries=512, show_spinner=False)
def _run(region: str, content_hash: str, _scenario: Scenario) -> Result:
    """One projection, shared by all sessions (same region and content: same numbers). Read-only."""
    return engine.run(_scenario)


def run(s: Scenario) -> Result:
    """The projection of ``s`` (one draw), computed once per region and content. Read-only."""
    return _run(s.region, s.content_hash(), s)
