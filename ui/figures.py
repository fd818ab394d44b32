"""Plotly figures for the pages, from the chart specifications of :mod:`sim.views` (no streamlit here)."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

# Plotly's mode bar without the tools planners do not use; the PNG download stays.
CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def figure(spec: dict[str, Any], *, validate: bool = False) -> go.Figure:
    """A plotly figure from a chart specification.

    Plotly's validation costs more than building the spec, on every slider move; the specs are
    validated once in the tests (``tests/test_charts.py``), so the app skips it by default.
    """
    return go.Figure(spec, _validate=validate)
