"""Restyle chart specs (plain plotly-JSON dicts) for a document or a projector: fonts, legend, dark colours.

The chart builders (:mod:`sim.charts`, :mod:`sim.charts_compare`) make specs for the app's pages. A
printed report and a projector need something else: the title outside the plot (as a heading, so a long
legend never runs into it), the legend above the plot, larger type for the back of a room, and a dark
variant. This module post-processes a copy of the dict; it imports no plotting library.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import MODEL_NAME

Spec = dict[str, Any]

# Light colours of the chart builders -> colours that read on a dark background.
DARK_COLOURS = {
    "#0b5cad": "#5aa9ff",  # scenario blue
    "#1f2937": "#f3f4f6",  # comparison base (near black)
    "#7f7f7f": "#b8bec6",  # baseline grey
    "#c0392b": "#ff7b6b",  # targets, floor
    "#b91c1c": "#ff7b6b",
    "#2e7d32": "#66d17a",  # met
    "#f28e2b": "#ffb25c",  # non-state orange
    "#2563eb": "#7fb2ff",
    "#dc2626": "#ff8a80",
    "#059669": "#4fd1a5",
    "#666666": "#a0a6ad",
    "#6b7280": "#a0a6ad",
}
DARK = {"bg": "#0f1217", "fg": "#eef0f3", "grid": "#2c333d", "muted": "#a0a6ad"}
LIGHT = {"bg": "#ffffff", "fg": "#1b1f24", "grid": "#e3e7ec", "muted": "#666666"}


def _recolour(obj: Any, table: dict[str, str]) -> Any:
    """Swap every colour string found in a nested dict/list."""
    if isinstance(obj, dict):
        return {k: _recolour(v, table) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_recolour(v, table) for v in obj]
    if isinstance(obj, str):
        return table.get(obj.lower(), obj)
    return obj


def is_stamp(annotation: dict[str, Any]) -> bool:
    """Whether an annotation is the provenance stamp under a chart."""
    return MODEL_NAME in str(annotation.get("text", ""))


def title_of(spec: Spec) -> str:
    """The chart's title text ('' if it has none)."""
    t = spec.get("layout", {}).get("title")
    return str(t.get("text", "")) if isinstance(t, dict) else str(t or "")


def restyle(spec: Spec, *, scale: float = 1.0, dark: bool = False, height: int | None = None) -> Spec:
    """A copy of a chart spec for a document or a projector.

    Args:
        spec: ``{"data": [...], "layout": {...}}`` from the chart builders.
        scale: font-size factor (1.0 for a document; about 1.5 for a projector).
        dark: light text on a dark background, colours swapped to brighter ones.
        height: plot height in pixels (default: the spec's, grown with the scale).

    Returns:
        The new spec: no title inside the plot (show :func:`title_of` as a heading), the legend in one
        block above the plot, the provenance stamp under the x-axis title, fonts scaled.
    """
    out = copy.deepcopy(spec)
    lay = out.setdefault("layout", {})
    pal = DARK if dark else LIGHT
    base_font = float(lay.get("font", {}).get("size", 14)) * scale
    lay.pop("title", None)
    lay["font"] = {**lay.get("font", {}), "size": round(base_font), "color": pal["fg"]}
    lay["paper_bgcolor"] = pal["bg"]
    lay["plot_bgcolor"] = pal["bg"]
    lay["height"] = height or round(float(lay.get("height", 400)) * (0.85 + 0.15 * scale))
    lay["legend"] = {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.02,
        "yanchor": "bottom",
        "font": {"size": round(base_font * 0.95)},
        "bgcolor": "rgba(0,0,0,0)",
    }
    for ax in [k for k in lay if k.startswith(("xaxis", "yaxis"))]:
        axis = lay[ax] = dict(lay[ax])
        axis["gridcolor"] = pal["grid"]
        axis["linecolor"] = pal["grid"]
        axis["zerolinecolor"] = pal["grid"]
        axis["tickfont"] = {"size": round(base_font * 0.95)}
        axis["automargin"] = True  # larger ticks and titles push the margin instead of overlapping
        if isinstance(axis.get("title"), dict):
            axis["title"] = {**axis["title"], "font": {"size": round(base_font)}}
        if axis.get("overlaying"):
            # An overlaid axis keeps its own ticks (its range differs from the main axis's).
            axis["tickmode"] = "auto"
            axis["nticks"] = 6
    stamp_lines = 0
    annotations = []
    for a in lay.get("annotations", []):
        a = dict(a)
        if is_stamp(a):
            stamp_lines = max(stamp_lines, str(a.get("text", "")).count("<br>") + 1)
            a.update({"xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left", "yanchor": "top"})
            a["yshift"] = -round(3.2 * base_font + 10)
            # The stamp is for traceability, not for the back of the room: it keeps a small size.
            a["font"] = {**a.get("font", {}), "size": 11, "color": pal["muted"]}
        else:
            a["font"] = {**a.get("font", {}), "size": round(float(a.get("font", {}).get("size", 11)) * scale)}
        annotations.append(a)
    lay["annotations"] = annotations
    margin = dict(lay.get("margin", {}))
    margin["t"] = round(16 * scale)
    margin["b"] = round(3.2 * base_font + 18 + stamp_lines * 14)
    margin["l"] = round(max(float(margin.get("l", 60)), 56 + 10 * scale))
    lay["margin"] = margin
    for trace in out.get("data", []):
        if "textfont" in trace or trace.get("mode", "").endswith("text"):
            trace["textfont"] = {**trace.get("textfont", {}), "size": round(base_font * 0.95)}
            trace["cliponaxis"] = False  # a label near the plot's edge stays readable
            if scale > 1:
                trace["textposition"] = "top center"  # larger labels would run into the y axis
    if dark:
        out["data"] = _recolour(out.get("data", []), DARK_COLOURS)
        lay["shapes"] = _recolour(lay.get("shapes", []), DARK_COLOURS)
        lay["annotations"] = [a if is_stamp(a) else _recolour(a, DARK_COLOURS) for a in lay["annotations"]]
    return out
