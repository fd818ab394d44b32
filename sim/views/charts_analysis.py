"""Chart specifications for the decision analysis, as plain plotly-JSON dictionaries.

No plotly or streamlit import: a spec is a ``{"data": [...], "layout": {...}}`` mapping that
``st.plotly_chart`` (or ``plotly.io.from_json``) draws. Every chart carries the provenance stamp
(:func:`sim.provenance.stamp`) under the plot, writes numbers the language's way (``layout.separators``)
and has units on its axes; palette, type and layout come from :mod:`sim.views.theme`.
"""

from __future__ import annotations

from typing import Any

from ..analysis.attribution import Attribution
from ..analysis.goalseek import SeekResult
from ..analysis.montecarlo import QUANTILES, MonteCarloResult
from ..analysis.sensitivity import SobolResult, TornadoResult
from ..params import schema
from ..provenance import stamp
from ..scenario import Scenario
from . import theme
from .fmt import number, signed
from .fmt import unit as fmt_unit
from .i18n import gettext
from .scorecard import METRIC_TABLE
from .theme import PALETTE

Spec = dict[str, Any]

BLUE, LIGHT, LIGHTER, GREY, GREEN, AMBER, RED, REFERENCE = (
    PALETTE["scenario"],
    PALETTE["band_inner"],
    PALETTE["band_outer"],
    PALETTE["baseline"],
    PALETTE["met"],
    PALETTE["caution"],
    PALETTE["target"],
    PALETTE["reference"],
)

# Fan-chart variables: the metric they show (its one label and unit) and whether its targets are drawn.
FAN_METRICS: dict[str, tuple[str, bool]] = {
    "GRDP|Nominal": ("grdp_nominal", True),
    "R&D|Share of GRDP": ("rd_intensity", True),
    "Digital Economy|Share of GRDP": ("digital_share", True),
}


def _layout(title: str, lang: str, stamps: list[str], width: int = 110, **extra: Any) -> dict[str, Any]:
    """The theme's layout; ``xaxis``/``yaxis`` given as plain dicts are completed with the theme's axis style.

    ``width`` is the stamp's line length in characters (narrow charts wrap it onto more lines).
    """
    axes = {k: extra.pop(k) for k in ("xaxis", "yaxis") if k in extra}
    x = axes.get("xaxis", {})
    y = axes.get("yaxis", {})
    x_title = x.pop("title", {}).get("text", "") if isinstance(x.get("title"), dict) else ""
    y_title = y.pop("title", {}).get("text", "") if isinstance(y.get("title"), dict) else ""
    height = extra.pop("height", None)
    lay = theme.layout(title, lang, stamps, x=theme.axis(x_title, **x), y=theme.axis(y_title, **y), stamp_width=width)
    lay["hovermode"] = "closest"
    lay.update(extra)
    if height is not None:
        lay["height"] = height
    return lay


def _finish(spec: Spec) -> Spec:
    """Margins for the legend and the stamp; a chart that set its own height keeps it as its plot area."""
    lay = spec["layout"]
    plot = lay.get("height")
    return theme.finish(spec, height=plot)


def fan_chart(mc: MonteCarloResult, variable: str, lang: str = "vi", legend: bool = True) -> Spec:
    """Fan chart of one variable: P10-P90 and P25-P75 bands, the median, the scenario itself, its targets.

    ``legend=False`` hides the legend (for the second and third of three charts side by side).
    """
    metric, _with_targets = FAN_METRICS[variable]
    m = METRIC_TABLE[metric]
    years = [int(y) for y in mc.years]
    q = mc.fans[variable]
    i10, i25, i50, i75, i90 = (QUANTILES.index(x) for x in (0.10, 0.25, 0.50, 0.75, 0.90))
    unit = fmt_unit(m.unit, lang)
    fmt = ",.0f" if variable == "GRDP|Nominal" else ".2f"
    hover = f"%{{x}}: %{{y:{fmt}}} {unit}<extra>%{{fullData.name}}</extra>"

    def band(lo: int, hi: int, name: str, color: str, group: str) -> list[dict[str, Any]]:
        return [
            {"type": "scatter", "x": years, "y": q[lo].tolist(), "mode": "lines", "line": {"width": 0},
             "showlegend": False, "legendgroup": group, "name": name, "hovertemplate": hover},
            {"type": "scatter", "x": years, "y": q[hi].tolist(), "mode": "lines", "line": {"width": 0},
             "fill": "tonexty", "fillcolor": color, "name": name, "legendgroup": group, "hovertemplate": hover},
        ]  # fmt: skip

    data = [
        *band(i10, i90, "P10–P90", LIGHTER, "p10"),
        *band(i25, i75, "P25–P75", LIGHT, "p25"),
        {"type": "scatter", "x": years, "y": q[i50].tolist(), "mode": "lines", "line": {"color": BLUE, "width": 2},
         "name": gettext("Median", lang), "hovertemplate": hover},
        {"type": "scatter", "x": years, "y": mc.central[variable].tolist(), "mode": "lines",
         "line": {"color": REFERENCE, "width": 1, "dash": "dot"},
         "name": gettext("Scenario as set", lang), "hovertemplate": hover},
    ]  # fmt: skip
    targets = [t for t, _ in mc.probabilities if t.metric == metric and t.year is not None]
    if targets:
        data.append(
            {
                "type": "scatter",
                "x": [t.year for t in targets],
                "y": [t.value for t in targets],
                "mode": "markers",
                "marker": {"symbol": "star", "size": theme.SIZES["screen"].marker, "color": RED},
                "name": gettext("Target", lang),
                "text": [t.label(lang) for t in targets],
                "showlegend": False,  # labelled in place: the legend stays short
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    central = dict(zip(years, mc.central[variable].tolist(), strict=True))
    labels = [
        theme.point_label(
            t.year,
            t.value,
            gettext("target {year}", lang).format(year=t.year),
            (years[0], years[-1]),
            above=central.get(t.year, 0.0) <= t.value,
        )
        for t in targets
    ]
    n = number(mc.draws, lang)
    draws = gettext("{n} draws, seed {seed}", lang).format(n=n, seed=mc.seed)
    layout = _layout(
        m.name(lang),
        lang,
        [stamp(mc.scenario, lang) + " · " + draws],
        width=60,
        xaxis={"title": {"text": gettext("Year", lang)}, "dtick": 5},
        yaxis={
            "title": {"text": unit},
            "automargin": True,
            **({"tickformat": ",.0f"} if variable == "GRDP|Nominal" else {}),
        },
        hovermode="x unified",
    )
    # Narrow charts: the legend sits inside the plot's top-left corner, which the paths leave empty.
    layout["legend"] = {
        "x": 0.01,
        "y": 0.99,
        "bgcolor": "rgba(255,255,255,0.75)",
        "font": {"size": theme.SIZES["screen"].legend},
    }
    layout["showlegend"] = legend
    layout["annotations"] += labels
    return _finish({"data": data, "layout": layout})


def probability_chart(mc: MonteCarloResult, lang: str = "vi") -> Spec:
    """The probability of meeting each target (horizontal bars, percent)."""
    probs = [(t, p * 100.0) for t, p in mc.probabilities]
    colors = [GREEN if p >= 80 else AMBER if p >= 50 else RED for _, p in probs]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "x": [p for _, p in probs],
            "y": [t.label(lang) for t, _ in probs],
            "marker": {"color": colors},
            "text": [f"{number(p, lang, 1)} %" for _, p in probs],
            "textposition": ["inside" if p >= 20 else "outside" for _, p in probs],
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:.1f} %<extra></extra>",
            "showlegend": False,
        }
    ]
    n = number(mc.draws, lang)
    title = gettext("Probability of meeting each target", lang) + (gettext(" ({n} draws)", lang).format(n=n))
    layout = _layout(
        title,
        lang,
        [stamp(mc.scenario, lang) + f" · seed {mc.seed}"],
        xaxis={"title": {"text": gettext("Probability (%)", lang)}, "range": [0, 100]},
        yaxis={"autorange": "reversed", "automargin": True},
        height=20 + 34 * len(probs),
    )
    return _finish({"data": data, "layout": layout})


def _param_label(pid: str, lang: str) -> str:
    return schema()[pid].label(lang)


def tornado_chart(tr: TornadoResult, lang: str = "vi", top: int | None = None) -> Spec:
    """Tornado chart: each input's low and high case as bars from the central outcome, widest on top."""
    bars = tr.bars[:top] if top else tr.bars
    o = tr.outcome
    unit = o.unit(lang)
    labels = [schema()[b.pid].label(lang) + (" ◆" if b.kind == "lever" else "") for b in bars]

    def shifts(b: Any, end: str) -> list[str]:
        p = schema()[b.pid]
        d = b.low_shift if end == "low" else b.high_shift
        kind = gettext("lever", lang) if b.kind == "lever" else gettext("assumption", lang)
        return [kind, signed(d, lang, 2, " " + p.unit(lang))]

    hover = f"%{{customdata[0]:,.3f}} {unit}<br>%{{customdata[1]}}: %{{customdata[2]}}<extra>%{{fullData.name}}</extra>"
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [(b.low if end == "low" else b.high) - tr.base for b in bars],
            "base": tr.base,
            "customdata": [[b.low if end == "low" else b.high, *shifts(b, end)] for b in bars],
            "name": name,
            "marker": {"color": color},
            "hovertemplate": hover,
        }
        for end, name, color in (
            ("low", gettext("Low end", lang), AMBER),
            ("high", gettext("High end", lang), BLUE),
        )
    ]
    title = gettext("Sensitivity: ", lang) + o.label(lang) + gettext(" (◆ policy lever)", lang)
    layout = _layout(
        title,
        lang,
        [stamp(tr.scenario, lang)],
        barmode="overlay",
        xaxis={"title": {"text": unit}},
        yaxis={"autorange": "reversed", "automargin": True},
        shapes=[
            {
                "type": "line",
                "x0": tr.base,
                "x1": tr.base,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": REFERENCE, "width": 1},
            }
        ],
        height=40 + 28 * len(bars),
    )
    return _finish({"data": data, "layout": layout})


def waterfall_chart(at: Attribution, lang: str = "vi") -> Spec:
    """Waterfall from scenario A's outcome to B's; the steps are the inputs' Shapley parts."""
    o = at.outcome
    unit = o.unit(lang)
    x = [at.a.name(lang)] + [_param_label(p.pid, lang) for p in at.parts] + [at.b.name(lang)]
    y = [at.start] + [p.value for p in at.parts] + [at.end]
    measure = ["absolute"] + ["relative"] * len(at.parts) + ["total"]
    data = [
        {
            "type": "waterfall",
            "x": x,
            "y": y,
            "measure": measure,
            "increasing": {"marker": {"color": GREEN}},
            "decreasing": {"marker": {"color": RED}},
            "totals": {"marker": {"color": BLUE}},
            "connector": {"line": {"color": GREY, "width": 1}},
            "hovertemplate": f"%{{x}}: %{{y:,.3f}} {unit}<extra></extra>",
            "showlegend": False,
        }
    ]
    title = gettext("What drove the difference: ", lang) + o.label(lang)
    method = (
        gettext("Exact Shapley values", lang) if at.exact else gettext("Shapley values estimated (random orders)", lang)
    )
    # Small changes on a large level would vanish on an axis from zero: zoom on the steps then.
    levels = [at.start]
    for p in at.parts:
        levels.append(levels[-1] + p.value)
    lo, hi = min(levels), max(levels)
    yaxis: dict[str, Any] = {"title": {"text": unit}}
    if hi > lo and (hi - lo) < 0.3 * max(abs(lo), abs(hi)):
        pad = 0.25 * (hi - lo)
        yaxis["range"] = [lo - pad, hi + pad]
    layout = _layout(
        f"{title} ({method})",
        lang,
        [stamp(at.a, lang), stamp(at.b, lang)],
        yaxis=yaxis,
        xaxis={"automargin": True},
    )
    return _finish({"data": data, "layout": layout})


def sobol_chart(so: SobolResult, lang: str = "vi", scenario: Scenario | None = None) -> Spec:
    """First-order and total Sobol indices (grouped bars), largest total first."""
    order = sorted(range(len(so.params)), key=lambda i: -so.total[i])
    labels = [_param_label(so.params[i], lang) for i in order]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [float(so.first[i]) for i in order],
            "name": gettext("First-order S_i", lang),
            "marker": {"color": BLUE},
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": [float(so.total[i]) for i in order],
            "name": gettext("Total ST_i", lang),
            "marker": {"color": AMBER},
        },
    ]
    title = gettext("Sobol indices: ", lang) + so.outcome.label(lang)
    layout = _layout(
        title,
        lang,
        [stamp(scenario or so.scenario, lang) + f" · N = {so.base_draws}, seed {so.seed}"],
        barmode="group",
        xaxis={"title": {"text": gettext("Share of variance", lang)}, "range": [0, 1]},
        yaxis={"autorange": "reversed", "automargin": True},
        height=40 + 36 * len(labels),
    )
    return _finish({"data": data, "layout": layout})


def seek_chart(sr: SeekResult, lang: str = "vi") -> Spec:
    """The target metric across the lever's range, the target line and the answer (goal seek)."""
    p = schema()[sr.lever]
    t = sr.target
    lever_unit = p.unit(lang)
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": list(sr.grid),
            "y": list(sr.curve),
            "mode": "lines",
            "line": {"color": BLUE, "width": 2},
            "name": t.label(lang),
            "hovertemplate": f"%{{x:.2f}} {lever_unit}: %{{y:,.3f}} {t.unit}<extra></extra>",
        }
    ]
    if sr.reachable and sr.value is not None:
        data.append(
            {
                "type": "scatter",
                "x": [sr.value],
                "y": [sr.reached],
                "mode": "markers",
                "marker": {"size": 12, "color": GREEN, "symbol": "diamond"},
                "name": gettext("Smallest value that meets it", lang),
                "hovertemplate": f"%{{x:.4f}} {lever_unit}<extra></extra>",
            }
        )
    how = (
        gettext("flat from the year after the base year", lang)
        if sr.ramp_year is None
        else gettext("ramped to {ramp_year}", lang).format(ramp_year=sr.ramp_year)
    )
    layout = _layout(
        gettext("Goal seek: ", lang) + t.label(lang),
        lang,
        [stamp(sr.scenario, lang)],
        xaxis={"title": {"text": f"{p.label(lang)} ({lever_unit}, {how})"}},
        yaxis={"title": {"text": t.unit}},
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": t.value,
                "y1": t.value,
                "line": {"color": RED, "width": 1, "dash": "dash"},
            }
        ],
    )
    return _finish({"data": data, "layout": layout})
