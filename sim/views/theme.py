"""The one chart theme: palette, fonts and sizes, the base layout, labels that stay inside the plot, the stamp.

Every chart of the app (Simulate, Compare, Analysis, Present) and of the meeting pack is a plain plotly
JSON dict (``{"data": [...], "layout": {...}}``) built on this module; nothing here imports plotly or
streamlit. Two size variants exist: ``"screen"`` for the pages and ``"projector"`` for the presenter view
and the report (larger type for the back of a room, the title shown as a heading above the chart).

Labels of targets and thresholds are annotations placed by :func:`point_label` and :func:`line_label` so
that they never run past the plot's right edge and do not sit on the markers of the data. Legends are
short (:data:`MAX_LEGEND` entries at most for a single-scenario chart) and sit in one block above the plot.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import MODEL_NAME
from .i18n import gettext

Spec = dict[str, Any]

# ---------------------------------------------------------------- palette

#: Colours by role (light background).
PALETTE: dict[str, str] = {
    "scenario": "#0b5cad",  # the current scenario: strong blue
    "baseline": "#7f7f7f",  # the baseline or the previous step: grey, dashed
    "nonstate": "#f28e2b",  # non-state (enterprise) R&D: orange
    "target": "#c0392b",  # targets and breaches: red
    "floor": "#c0392b",  # the central floor: red, dotted
    "met": "#2e7d32",  # met: green
    "caution": "#d97706",  # between met and missed (probabilities 50-80 %): amber
    "band_outer": "rgba(11,92,173,0.15)",  # P10-P90
    "band_inner": "rgba(11,92,173,0.35)",  # P25-P75
    "reference": "#1f2937",  # the base of a comparison, reference lines: near black
    "text": "#1b1f24",
    "muted": "#666666",  # the provenance stamp
    "grid": "#e3e7ec",
    "background": "#ffffff",
}
#: Colours of the other scenarios of a comparison, in order.
SERIES: tuple[str, ...] = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2")

#: The same roles on a dark background (the presenter's dark mode).
DARK_PALETTE: dict[str, str] = {
    "scenario": "#5aa9ff",
    "baseline": "#b8bec6",
    "nonstate": "#ffb25c",
    "target": "#ff7b6b",
    "floor": "#ff7b6b",
    "met": "#66d17a",
    "caution": "#ffc46b",
    "band_outer": "rgba(90,169,255,0.18)",
    "band_inner": "rgba(90,169,255,0.38)",
    "reference": "#f3f4f6",
    "text": "#eef0f3",
    "muted": "#a0a6ad",
    "grid": "#2c333d",
    "background": "#0f1217",
}
DARK_SERIES: tuple[str, ...] = ("#7fb2ff", "#ff8a80", "#4fd1a5", "#ffc46b", "#b69cff", "#ff8fc5", "#5fd3ea")

#: Fonts that render Vietnamese and the glyphs used (≥, –, ◆) in Debian's Chromium with its default fonts.
FONT_FAMILY = '"Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif'


def colour(role: str, dark: bool = False) -> str:
    """The colour of a role ('scenario', 'baseline', 'target', ...) on a light or dark background."""
    return (DARK_PALETTE if dark else PALETTE)[role]


def series_colour(i: int, dark: bool = False) -> str:
    """Line colour of the i-th scenario of a comparison (0 = the base, drawn near black)."""
    if i == 0:
        return colour("reference", dark)
    table = DARK_SERIES if dark else SERIES
    return table[(i - 1) % len(table)]


def _dark_swap() -> dict[str, str]:
    table = {PALETTE[k].lower(): DARK_PALETTE[k] for k in PALETTE}
    table.update({a.lower(): b for a, b in zip(SERIES, DARK_SERIES, strict=True)})
    return table


# ---------------------------------------------------------------- sizes


@dataclass(frozen=True)
class Sizes:
    """Type sizes (px) and the chart's plot height for one display.

    Attributes:
        font: axis titles and hover text.
        title: the chart's title (when drawn inside the chart).
        legend: legend entries.
        tick: tick labels.
        label: target and threshold labels inside the plot.
        stamp: the provenance stamp (small everywhere: it is for tracing, not for the back of the room).
        height: the plot area's height (px); margins come on top.
        marker: target marker size.
    """

    font: int
    title: int
    legend: int
    tick: int
    label: int
    stamp: int
    height: int
    marker: int


SIZES: dict[str, Sizes] = {
    "screen": Sizes(font=15, title=17, legend=13, tick=13, label=13, stamp=10, height=300, marker=14),
    "projector": Sizes(font=20, title=26, legend=18, tick=18, label=18, stamp=10, height=360, marker=18),
}
#: Characters a stamp line holds, by variant (the presenter's charts are about 400 px wide at 1280 px).
STAMP_CHARS = {"screen": 90, "projector": 56}
LEGEND_NAME_MAX = 24  # characters of a projector legend entry; longer ones are cut with '…' (the hover keeps them)
MAX_LEGEND = 4  # entries in the legend of a single-scenario chart; more go into labels inside the plot
STAMP_WRAP = 90  # characters a stamp line holds under a half-width chart
# What a legend row holds (px): a half-width chart on a page; the presenter's two charts side by side at
# 1024-1280 px with the sidebar folded (the report's full-width charts get a little more room than they need).
LEGEND_ROW_PX = {"screen": 500, "projector": 480}
# The plot area's width assumed when placing labels: a half-width chart; the presenter's at 1024-1280 px.
PLOT_WIDTH_PX = {"screen": 500, "projector": 380}
# The presenter's plot height assumed when placing labels (its charts take the height the screen leaves).
PROJECTOR_PLOT_PX = 240


def sizes(variant: str) -> Sizes:
    """The sizes of a variant ('screen' or 'projector'); a clear error for any other."""
    try:
        return SIZES[variant]
    except KeyError:
        raise ValueError(f"size variant: {variant!r} is not one of {', '.join(SIZES)}") from None


# ---------------------------------------------------------------- numbers


def separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands mark ('1.234,5' in Vietnamese)."""
    return gettext(".,", lang)


#: d3 formats for ticks and hovers; the marks themselves come from :func:`separators`.
TICK_FORMAT = ",~f"
HOVER_NUMBER = "%{y:,}"


# ---------------------------------------------------------------- stamp


def wrap_stamp(text: str, width: int = STAMP_WRAP) -> list[str]:
    """A stamp broken at its ' · ' separators into lines of at most about ``width`` characters."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def stamp_annotation(lines: Sequence[str], variant: str = "screen") -> dict[str, Any]:
    """The provenance stamp under the plot (below the x-axis title), small and grey."""
    s = sizes(variant)
    return {
        "name": "stamp",
        "text": "<br>".join(lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -round(3.2 * s.font + 14),
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "font": {"size": s.stamp, "color": PALETTE["muted"]},
    }


def is_stamp(annotation: dict[str, Any]) -> bool:
    """Whether an annotation is the provenance stamp."""
    return annotation.get("name") == "stamp" or MODEL_NAME in str(annotation.get("text", ""))


def stamp_text(spec: Spec) -> str:
    """The provenance note of a spec, on one line ('' if it has none)."""
    for a in spec.get("layout", {}).get("annotations", []):
        if is_stamp(a):
            return str(a["text"]).replace("<br>", " · ")
    return ""


def title_of(spec: Spec) -> str:
    """The chart's title text ('' if it has none)."""
    t = spec.get("layout", {}).get("title")
    return str(t.get("text", "")) if isinstance(t, dict) else str(t or "")


# ---------------------------------------------------------------- layout


def legend(variant: str = "screen") -> dict[str, Any]:
    """One legend block above the plot, entries side by side, in the order of the traces."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1.02,
        "yanchor": "bottom",
        "traceorder": "normal",  # stacked bars would otherwise reverse and group it, one entry a row
        "font": {"size": sizes(variant).legend},
        "bgcolor": "rgba(0,0,0,0)",
    }


def axis(title: str, variant: str = "screen", **extra: Any) -> dict[str, Any]:
    """An axis with its title (the unit), the theme's tick size and grid colour."""
    s = sizes(variant)
    out = {
        "title": {"text": title, "font": {"size": s.font}},
        "tickfont": {"size": s.tick},
        "gridcolor": PALETTE["grid"],
        "linecolor": PALETTE["grid"],
        "zerolinecolor": PALETTE["grid"],
        "automargin": True,  # long tick labels push the margin instead of overlapping the title
    }
    out.update(extra)
    return out


def year_axis(lang: str, variant: str = "screen", **extra: Any) -> dict[str, Any]:
    """The x axis of a chart over years: a tick every five years, no vertical grid."""
    return axis(gettext("Year", lang), variant, dtick=5, showgrid=False, **extra)


def value_axis(title: str, variant: str = "screen", **extra: Any) -> dict[str, Any]:
    """A y axis of values from zero, numbers with the language's marks (``layout.separators``)."""
    return axis(title, variant, **{"rangemode": "tozero", "tickformat": TICK_FORMAT, **extra})


def layout(
    title: str,
    lang: str,
    stamp: str | Sequence[str],
    *,
    x: dict[str, Any] | None = None,
    y: dict[str, Any] | None = None,
    variant: str = "screen",
    stamp_width: int = STAMP_WRAP,
    **extra: Any,
) -> dict[str, Any]:
    """The base layout every chart starts from.

    Args:
        title: the chart's title (drawn top left; a report or the presenter shows it as a heading).
        lang: 'vi' or 'en': the decimal and thousands marks of every number shown.
        stamp: the provenance stamp (or several, one per scenario), wrapped under the plot.
        x, y: the axes (see :func:`year_axis`, :func:`value_axis`, :func:`axis`).
        variant: 'screen' or 'projector'.
        stamp_width: characters a stamp line holds (narrow charts wrap more).
        **extra: further layout keys (``barmode``, ``yaxis2``, ``shapes``, ...).
    """
    s = sizes(variant)
    stamps = [stamp] if isinstance(stamp, str) else list(stamp)
    lines = [line for text in stamps for line in wrap_stamp(text, stamp_width)]
    out: dict[str, Any] = {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 10, "l": 8},
            "font": {"size": s.title},
        },
        "separators": separators(lang),
        "font": {"size": s.font, "family": FONT_FAMILY, "color": PALETTE["text"]},
        "margin": {"l": 70, "r": 24, "t": 70, "b": 100},
        "legend": legend(variant),
        "hovermode": "x unified",
        "xaxis": x if x is not None else year_axis(lang, variant),
        "yaxis": y if y is not None else value_axis("", variant),
        "annotations": [stamp_annotation(lines, variant)],
        "plot_bgcolor": PALETTE["background"],
        "paper_bgcolor": PALETTE["background"],
    }
    out.update(extra)
    return out


def legend_entries(spec: Spec) -> list[str]:
    """The names the legend shows (one per legend group)."""
    if spec.get("layout", {}).get("showlegend") is False:
        return []
    names: list[str] = []
    groups: set[str] = set()
    for t in spec.get("data", []):
        if t.get("showlegend") is False or "name" not in t:
            continue
        if t.get("type") in ("waterfall",) and t.get("showlegend") is not True:
            continue
        g = t.get("legendgroup")
        if g and g in groups:
            continue
        if g:
            groups.add(g)
        names.append(str(t["name"]))
    return names


def legend_rows(names: Sequence[str], variant: str = "screen") -> int:
    """Rows a horizontal legend takes in a half-width chart.

    Plotly puts the entries in one row when they fit; otherwise it aligns them in columns as wide as the
    widest entry. An entry is about 50 px of symbol and padding plus 0.55 em a character.
    """
    if not names:
        return 0
    s = sizes(variant)
    w = [50 + 0.55 * s.legend * len(n) for n in names]
    room = LEGEND_ROW_PX[variant]
    if sum(w) <= room:
        return 1
    per_row = max(1, int(room // max(w)))
    return -(-len(names) // per_row)


def cut_legend_names(spec: Spec, most: int = LEGEND_NAME_MAX) -> None:
    """Legend names longer than ``most`` characters cut with '…'; the hover keeps the whole name."""
    for t in spec.get("data", []):
        name = t.get("name")
        if isinstance(name, str) and len(name) > most and t.get("showlegend") is not False:
            t.setdefault("hovertemplate", "%{y}")
            if "<extra>" not in t["hovertemplate"]:
                t["hovertemplate"] += f"<extra>{name}</extra>"  # the whole name where the mouse points
            t["name"] = name[: most - 1].rstrip() + "…"


def finish(spec: Spec, variant: str = "screen", *, height: int | None = None) -> Spec:
    """Margins and height for the legend rows, the title and the stamp; returns the spec.

    ``height`` is the plot area (px); the default is the variant's.
    """
    s = sizes(variant)
    lay = spec["layout"]
    names = legend_entries(spec)
    inside = lay.get("legend", {}).get("orientation") != "h"  # a legend inside the plot takes no margin
    rows = legend_rows(names, variant) if names and not inside else 0
    has_title = bool(title_of(spec))
    stamp_lines = max((str(a["text"]).count("<br>") + 1 for a in lay.get("annotations", []) if is_stamp(a)), default=0)
    # title block (its pad, the line, a gap), then the legend rows above the plot (it sits 2 % above it)
    top = (16 + round(s.title * 1.5) if has_title else 24) + round(s.legend * 1.75) * rows + 6
    bottom = round(3.2 * s.font + 18 + stamp_lines * (s.stamp + 4))
    margin = {**lay.get("margin", {}), "t": top, "b": bottom}
    lay["margin"] = margin
    for a in lay.get("annotations", []):
        if is_stamp(a):
            a["yshift"] = -round(3.2 * s.font + 10)
            # from the chart's left edge, not the plot's: the long stamp gets the left margin's width too
            a["xshift"] = -max(0, margin.get("l", 70) - 8)
    lay["height"] = (height or s.height) + top + bottom
    return plain_text(spec)


# Plotly reads a few HTML tags in every text of a figure (names, titles, labels, ticks, hover), links among
# them. The charts write only these; any other tag came from a user (a scenario's name, a link value).
_OWN_TAGS = re.compile(r"<(?!(?:br|/?extra|/?b)>)")


def plain_text(value: Any) -> Any:
    """``value`` with every tag the charts do not write themselves shown as text (``<`` as ``&lt;``).

    A scenario named ``<a href="...">x</a>`` shows those characters in the legend and the stamp; plotly
    draws no link. Applied to every spec by :func:`finish`, so no chart builder has to remember it.
    """
    if isinstance(value, str):
        return _OWN_TAGS.sub("&lt;", value) if "<" in value else value
    if isinstance(value, dict):
        for k, v in value.items():
            value[k] = plain_text(v)
        return value
    if isinstance(value, list):
        return [plain_text(v) for v in value]
    return value


# ---------------------------------------------------------------- labels inside the plot


def point_label(
    x: float,
    y: float,
    text: str,
    x_range: tuple[float, float],
    *,
    above: bool = True,
    color: str | None = None,
    variant: str = "screen",
) -> dict[str, Any]:
    """A label beside a target marker, kept inside the plot area.

    A marker at the last year gets a right-anchored label (it ends at the marker, so it cannot run past
    the right edge); one at the first year a left-anchored one; any other is centred over the marker.
    ``above`` puts it over the marker (else under it): pass the side away from the data line.
    """
    s = sizes(variant)
    lo, hi = x_range
    if x >= hi:
        anchor, xshift = "right", 4
    elif x <= lo:
        anchor, xshift = "left", -4
    else:
        anchor, xshift = "center", 0
    return {
        "name": "label",
        "text": text,
        "xref": "x",
        "yref": "y",
        "x": x,
        "y": y,
        "xanchor": anchor,
        "xshift": xshift,
        "yanchor": "bottom" if above else "top",
        "yshift": (1 if above else -1) * round(s.marker * 0.6),
        "showarrow": False,
        "font": {"size": s.label, "color": color or PALETTE["target"]},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


def label_box(text: str, variant: str = "screen", plot_height: int | None = None) -> tuple[float, float]:
    """Estimated (width, height) of a label as fractions of the plot area (0.6 em a character)."""
    s = sizes(variant)
    return 0.6 * s.label * len(text) / PLOT_WIDTH_PX[variant], 1.5 * s.label / (plot_height or s.height)


def line_label(
    text: str,
    y: float,
    yref: str,
    y_range: tuple[float, float],
    points: Sequence[tuple[float, float]] = (),
    *,
    color: str | None = None,
    variant: str = "screen",
    plot_height: int | None = None,
) -> dict[str, Any]:
    """A label on a horizontal threshold line (e.g. the 60 % rule), inside the plot and clear of the data.

    Args:
        text: the label.
        y: the line's value on the axis ``yref``.
        yref: 'y' or 'y2'.
        y_range: that axis's (min, max).
        points: the data drawn on that axis as (x as a fraction 0..1 of the plot width, y value); the label
            goes to the corner (left or right end, above or below the line) farthest from them.
        color: text colour (default: the target red).
        variant: 'screen' or 'projector'.
        plot_height: the plot area's height in px (default: the variant's).
    """
    w, h = label_box(text, variant, plot_height)
    y0, y1 = y_range
    span = (y1 - y0) or 1.0
    ly = (y - y0) / span
    best: tuple[float, float, str, bool] | None = None
    for left in (False, True):
        for above in (True, False):
            bx0, bx1 = (0.01, 0.01 + w) if left else (0.99 - w, 0.99)
            by0, by1 = (ly + 0.01, ly + 0.01 + h) if above else (ly - 0.01 - h, ly - 0.01)
            if by0 < 0 or by1 > 1:
                continue
            # the smallest distance of any data point to the box (0 when inside it)
            gap = min(
                (
                    max(bx0 - px, 0.0, px - bx1) + max(by0 - (py - y0) / span, 0.0, (py - y0) / span - by1)
                    for px, py in points
                ),
                default=1.0,
            )
            if best is None or gap > best[0] + 1e-9:
                best = (gap, bx0, "left" if left else "right", above)
    gap, _, side, above = best or (0.0, 0.0, "right", True)
    return {
        "name": "label",
        "text": text,
        "xref": "paper",
        "yref": yref,
        "x": 0.01 if side == "left" else 0.99,
        "y": y,
        "xanchor": side,
        "yanchor": "bottom" if above else "top",
        "yshift": 2 if above else -2,
        "showarrow": False,
        "font": {"size": sizes(variant).label, "color": color or PALETTE["target"]},
        "bgcolor": "rgba(255,255,255,0.8)",
    }


# ---------------------------------------------------------------- variants


def _recolour(obj: Any, table: dict[str, str]) -> Any:
    if isinstance(obj, dict):
        return {k: _recolour(v, table) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_recolour(v, table) for v in obj]
    if isinstance(obj, str):
        return table.get(obj.lower(), obj)
    return obj


def _replace_line_labels(spec: Spec, variant: str, plot_height: int) -> None:
    """Place the threshold labels again for the variant: larger type needs a larger clear corner.

    The builder placed each label (:func:`line_label`) for the screen's type; the data drawn on the label's
    axis are read back from the traces (x as a fraction of the years shown).
    """
    lay = spec.get("layout", {})
    traces = spec.get("data", [])
    xs = [x for t in traces for x in t.get("x", []) if isinstance(x, (int, float))]
    if not xs:
        return
    x0, x1 = min(xs), max(xs)
    for i, a in enumerate(lay.get("annotations", [])):
        if a.get("name") != "label" or a.get("xref") != "paper":
            continue
        yref = a.get("yref", "y")
        rng = lay.get("yaxis2" if yref == "y2" else "yaxis", {}).get("range")
        if not rng:
            continue
        points = [
            ((x - x0) / ((x1 - x0) or 1), float(y))
            for t in traces
            if t.get("yaxis", "y") == yref
            for x, y in zip(t.get("x", []), t.get("y", []), strict=False)
            if isinstance(x, (int, float)) and isinstance(y, (int, float))
        ]
        placed = line_label(
            a["text"], a["y"], yref, (float(rng[0]), float(rng[1])), points,
            color=a.get("font", {}).get("color"), variant=variant, plot_height=plot_height,
        )  # fmt: skip
        lay["annotations"][i] = {**a, **{k: placed[k] for k in ("x", "xanchor", "yanchor", "yshift")}}


def present(
    spec: Spec,
    variant: str = "projector",
    *,
    dark: bool = False,
    heading: bool = True,
    height: int | None = None,
    compact: bool = False,
) -> Spec:
    """A copy of a chart for another display: the variant's type sizes, optionally dark, title as a heading.

    The builders make ``"screen"`` charts; the presenter and the report call this with ``"projector"``
    (the report in light, the presenter in light or dark). With ``heading=True`` the title is removed
    from the chart (show :func:`title_of` above it) so that the legend has the top to itself. ``height``
    is the plot area in pixels (default: the variant's, or the chart's own if it is taller). ``compact``
    (the presenter's one screen) drops the year axis's title, the ticks being years, and its margin.
    """
    s = sizes(variant)
    out = copy.deepcopy(spec)
    lay = out.setdefault("layout", {})
    if heading:
        lay.pop("title", None)
    elif isinstance(lay.get("title"), dict):
        lay["title"]["font"] = {**lay["title"].get("font", {}), "size": s.title}
    lay["font"] = {**lay.get("font", {}), "size": s.font, "family": FONT_FAMILY}
    if lay.get("legend", {}).get("orientation") == "h":
        lay["legend"] = {**lay["legend"], "font": {"size": s.legend}}
    else:
        lay["legend"] = {**lay.get("legend", {}), "font": {"size": s.legend}}
    for key in [k for k in lay if k.startswith(("xaxis", "yaxis"))]:
        ax = lay[key] = dict(lay[key])
        ax["tickfont"] = {**ax.get("tickfont", {}), "size": s.tick}
        if isinstance(ax.get("title"), dict):
            ax["title"] = {**ax["title"], "font": {**ax["title"].get("font", {}), "size": s.font}}
    for a in lay.get("annotations", []):
        size = s.stamp if is_stamp(a) else s.label
        a["font"] = {**a.get("font", {}), "size": size}
        if is_stamp(a):
            lines = str(a["text"]).split("<br>")
            # each line of the builder is one stamp (several when a chart compares scenarios)
            a["text"] = "<br>".join(w for line in lines for w in wrap_stamp(line, STAMP_CHARS[variant]))
    if variant == "projector":
        cut_legend_names(out)  # the presenter's charts are narrow: short legends
        _replace_line_labels(out, variant, height or PROJECTOR_PLOT_PX)
    xaxis = lay.get("xaxis", {})
    if variant == "projector" and xaxis.get("dtick") == 5:
        # large year labels in a narrow chart: every ten years from the first tick, kept horizontal
        years = [x for t in out.get("data", []) for x in t.get("x", []) if isinstance(x, int)]
        lay["xaxis"] = {**xaxis, "dtick": 10, "tick0": min(years, default=2025) + 1, "tickangle": 0}
    for trace in out.get("data", []):
        if "textfont" in trace or str(trace.get("mode", "")).endswith("text"):
            trace["textfont"] = {**trace.get("textfont", {}), "size": s.label}
        if isinstance(trace.get("marker"), dict) and trace.get("mode") == "markers":
            trace["marker"] = {**trace["marker"], "size": s.marker}
    if dark:
        table = _dark_swap()
        out["data"] = _recolour(out.get("data", []), table)
        for key in ("shapes", "annotations", "font", "legend"):
            if key in lay:
                lay[key] = _recolour(lay[key], table)
        for key in [k for k in lay if k.startswith(("xaxis", "yaxis"))]:
            lay[key] = _recolour(lay[key], table)
        for a in lay.get("annotations", []):
            if "bgcolor" in a:
                a["bgcolor"] = "rgba(15,18,23,0.8)"
        lay["plot_bgcolor"] = lay["paper_bgcolor"] = DARK_PALETTE["background"]
        lay["font"]["color"] = DARK_PALETTE["text"]
    own = round((lay.get("height", 0) - sum(lay.get("margin", {}).get(k, 0) for k in ("t", "b"))) or s.height)
    out = finish(out, variant, height=height or (max(own, s.height) if variant == "projector" else own))
    if compact:
        lay["xaxis"] = {**lay.get("xaxis", {}), "title": None}
        if "yaxis2" in lay:  # the right axis's title needs the room of its ticks and its own line
            lay["margin"]["r"] = max(lay["margin"].get("r", 0), round(3.2 * s.tick + 24))
        if lay.get("legend", {}).get("orientation") == "h":
            # a legend of fewer rows leaves the plot its height; the entries stay as large as the ticks
            lay["legend"] = {**lay["legend"], "font": {**lay["legend"].get("font", {}), "size": s.tick - 2}}
        bottom = round(1.8 * s.tick + 6)
        lay["height"] -= lay["margin"]["b"] - bottom
        lay["margin"]["b"] = bottom
    return out
