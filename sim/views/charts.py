"""Chart specifications of the Simulate page and the meeting pack, as plain plotly JSON dicts.

No plotly or streamlit import: the app wraps these dicts in ``plotly.graph_objects.Figure`` and the
standalone HTML report hands them to plotly.js as they are. Every chart draws the current scenario
beside the baseline, puts units on every axis and takes its look (palette, type, legend, the provenance
stamp, labels inside the plot) from :mod:`sim.views.theme`.

Values are rounded before they go into a spec: the payload crosses the network on every slider move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.views.i18n import gettext

from ..engine import Result
from ..profiles import Profile
from . import fmt, theme
from .theme import PALETTE

Spec = dict[str, Any]


def _round(values: np.ndarray, decimals: int) -> list[float]:
    return [round(float(v), decimals) for v in values]


def _years(result: Result) -> list[int]:
    return [int(y) for y in result.years]


def _layout(title: str, y_title: str, lang: str, stamp: str, **extra: Any) -> dict[str, Any]:
    return theme.layout(title, lang, stamp, y=theme.value_axis(y_title), **extra)


def _line(
    name: str, x: list[int], y: list[float], color: str, *, dash: str = "solid", unit: str = "", **kw: Any
) -> dict[str, Any]:
    trace = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": x,
        "y": y,
        "line": {"color": color, "width": 3 if dash == "solid" else 2, "dash": dash},
        "hovertemplate": f"{theme.HOVER_NUMBER} {unit}".rstrip(),
    }
    trace.update(kw)
    return trace


def _target_markers(name: str, years: list[int], y: list[float], unit: str) -> dict[str, Any]:
    """The region's targets as red diamonds (their labels are annotations: see :func:`theme.point_label`)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": years,
        "y": y,
        "marker": {"symbol": "diamond", "size": theme.SIZES["screen"].marker, "color": PALETTE["target"]},
        "hovertemplate": f"{theme.HOVER_NUMBER} {unit}".rstrip(),
    }


def _finish(spec: Spec) -> Spec:
    return theme.finish(spec)


def _names(lang: str, name: str | None, baseline_name: str | None) -> tuple[str, str]:
    return (
        name or gettext("This scenario", lang),
        baseline_name or gettext("Baseline", lang),
    )


def _targets(profile: Profile, metric: str) -> list:
    return [t for t in profile.targets if t.metric == metric and t.year is not None]


# ---------------------------------------------------------------- charts


def grdp(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    real: bool = False,
    name: str | None = None,
    baseline_name: str | None = None,
) -> Spec:
    """GRDP in trillion VND (nominal, or real at base-year prices), scenario and baseline.

    The region's nominal GRDP target (if it has one) is drawn as a marker in the nominal view.
    """
    var = "GRDP|Real" if real else "GRDP|Nominal"
    x = _years(result)
    unit = gettext("trillion VND", lang)
    prices = (
        gettext("{base_year} prices", lang).format(base_year=profile.base_year)
        if real
        else gettext("current prices", lang)
    )
    cur, base = _names(lang, name, baseline_name)
    data = [
        _line(base, x, _round(baseline.single(var) / 1000, 1), PALETTE["baseline"], dash="dash", unit=unit),
        _line(cur, x, _round(result.single(var) / 1000, 1), PALETTE["scenario"], unit=unit),
    ]
    labels: list[dict[str, Any]] = []
    if not real:
        tg = _targets(profile, "grdp_nominal")
        if tg:
            ys = [round(t.value / 1000, 1) for t in tg]
            data.append(_target_markers(gettext("Target", lang), [t.year for t in tg], ys, unit))
            labels = [
                theme.point_label(
                    t.year,
                    yv,
                    f"≥ {fmt.number(t.value / 1000, lang, 0)}",
                    (x[0], x[-1]),
                    above=float(result.at(var, t.year)[0]) / 1000 <= yv,
                )
                for t, yv in zip(tg, ys, strict=True)
            ]
    title = gettext("GRDP", lang) + (gettext(" (real)", lang) if real else gettext(" (nominal)", lang))
    layout = _layout(title, f"{unit} ({prices})", lang, stamp)
    layout["annotations"] += labels
    return _finish({"data": data, "layout": layout})


def rd_spending(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    name: str | None = None,
    baseline_name: str | None = None,
) -> Spec:
    """R&D spending stacked public + non-state (bn VND/yr), the R&D target line and the 60 % rule.

    The target line is the region's R&D target intensity times the scenario's nominal GRDP. The
    non-state share is on the right axis with the 60 % line; years below 60 % are marked in red.
    """
    x = _years(result)
    bn = gettext("bn VND", lang)
    _, base = _names(lang, name, baseline_name)
    target_pct = profile.rd_target * 100
    share = result.single("R&D|Non-state Share") * 100
    breach = share < 60.0 - 1e-9
    share_colors = [PALETTE["target"] if b else PALETTE["met"] for b in breach]
    target_name = gettext("Target {g} % of GRDP", lang).format(g=fmt.short(target_pct, lang))
    target_line = _round(profile.rd_target * result.single("GRDP|Nominal"), 1)
    data = [
        {
            "type": "bar",
            "name": gettext("Public R&D", lang),
            "x": x,
            "y": _round(result.single("R&D|Public"), 1),
            "marker": {"color": PALETTE["scenario"]},
            "hovertemplate": f"{theme.HOVER_NUMBER} {bn}",
        },
        {
            "type": "bar",
            "name": gettext("Non-state R&D", lang),
            "x": x,
            "y": _round(result.single("R&D|Non-state"), 1),
            "marker": {"color": PALETTE["nonstate"]},
            "hovertemplate": f"{theme.HOVER_NUMBER} {bn}",
        },
        _line(
            gettext("Total – {lower}", lang).format(lower=base.lower()),
            x,
            _round(baseline.single("R&D|Total"), 1),
            PALETTE["baseline"],
            dash="dash",
            unit=bn,
        ),
        _line(
            target_name,
            x,
            target_line,
            PALETTE["target"],
            dash="dot",
            unit=bn,
            showlegend=False,  # labelled at its end inside the plot: the legend stays short
        ),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": gettext("% non-state", lang),
            "showlegend": False,  # the right axis names it, the 60 % line is labelled: the legend stays short
            "x": x,
            "y": _round(share, 1),
            "yaxis": "y2",
            "line": {"color": PALETTE["nonstate"], "width": 1.5, "dash": "dot"},
            "marker": {"color": share_colors, "size": 7, "symbol": ["x" if b else "circle" for b in breach]},
            "hovertemplate": f"{theme.HOVER_NUMBER} %",
        },
    ]
    layout = _layout(
        gettext("R&D spending: public and non-state", lang),
        gettext("bn VND per year", lang),
        lang,
        stamp,
        barmode="stack",
        yaxis2=theme.axis(
            gettext("% of R&D non-state", lang),
            overlaying="y",
            side="right",
            range=[0, 100],
            dtick=20,
            showgrid=False,
            tickformat=theme.TICK_FORMAT,
        ),
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": 60,
                "y1": 60,
                "line": {"color": PALETTE["nonstate"], "width": 1, "dash": "dash"},
            }
        ],
    )
    layout["margin"] = {**layout["margin"], "r": 60}
    span = max(len(x) - 1, 1)
    layout["annotations"] += [
        theme.point_label(
            x[-1],
            target_line[-1],
            gettext("Target {t} %", lang).format(t=fmt.short(target_pct, lang)),
            (x[0], x[-1]),
            above=True,
        ),
        theme.line_label(
            gettext("60 % rule", lang),
            60.0,
            "y2",
            (0.0, 100.0),
            [((i / span), float(v)) for i, v in enumerate(_round(share, 1))],
            color=PALETTE["nonstate"],
        ),
    ]
    return _finish({"data": data, "layout": layout})


def digital_share(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    name: str | None = None,
    baseline_name: str | None = None,
) -> Spec:
    """Digital-economy share of GRDP (%), scenario and baseline, with the region's targets as markers."""
    var = "Digital Economy|Share of GRDP"
    x = _years(result)
    cur, base = _names(lang, name, baseline_name)
    tg = _targets(profile, "digital_share")
    pct = "%"
    data = [
        _line(base, x, _round(baseline.single(var) * 100, 2), PALETTE["baseline"], dash="dash", unit=pct),
        _line(cur, x, _round(result.single(var) * 100, 2), PALETTE["scenario"], unit=pct),
    ]
    layout = _layout(gettext("Digital economy", lang), gettext("% of GRDP", lang), lang, stamp)
    if tg:
        data.append(_target_markers(gettext("Target", lang), [t.year for t in tg], [t.value for t in tg], pct))
        # each label on the side away from the scenario's line, so the two do not overlap
        layout["annotations"] += [
            theme.point_label(
                t.year,
                t.value,
                f"{t.year}: ≥ {fmt.short(t.value, lang)} %",
                (x[0], x[-1]),
                above=result.at(var, t.year)[0] * 100 <= t.value,
            )
            for t in tg
        ]
    return _finish({"data": data, "layout": layout})


def envelope(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    name: str | None = None,
    baseline_name: str | None = None,
) -> Spec:
    """The S&T/DX envelope (bn VND/yr) against the central floor; years below the floor in red."""
    x = _years(result)
    bn = gettext("bn VND", lang)
    cur, base = _names(lang, name, baseline_name)
    S = result.single("Budget|STI and DX")
    F = result.single("Budget|Central Floor")
    below = S < F * (1 - 1e-9)
    below[0] = False  # the base year is history, not a target year
    data = [
        _line(base, x, _round(baseline.single("Budget|STI and DX"), 1), PALETTE["baseline"], dash="dash", unit=bn),
        _line(
            cur,
            x,
            _round(S, 1),
            PALETTE["scenario"],
            unit=bn,
            mode="lines+markers",
            marker={
                "color": [PALETTE["floor"] if b else PALETTE["scenario"] for b in below],
                "size": [9 if b else 5 for b in below],
            },
        ),
        _line(
            gettext("Central floor", lang),
            x,
            _round(F, 1),
            PALETTE["floor"],
            dash="dot",
            unit=bn,
        ),
    ]
    return _finish(
        {
            "data": data,
            "layout": _layout(
                gettext("S&T/DX envelope and the central floor", lang),
                gettext("bn VND per year", lang),
                lang,
                stamp,
            ),
        }
    )


def nonstate_gap(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    name: str | None = None,
    baseline_name: str | None = None,
) -> Spec:
    """What enterprises must add each year (bn VND) to reach the R&D target with ≥ 60 % non-state."""
    x = _years(result)
    bn = gettext("bn VND", lang)
    cur, base = _names(lang, name, baseline_name)
    target_pct = fmt.short(profile.rd_target * 100, lang)
    data = [
        {
            "type": "bar",
            "name": cur,
            "x": x,
            "y": _round(result.single("R&D|Non-state Gap"), 1),
            "marker": {"color": PALETTE["nonstate"]},
            "hovertemplate": f"{theme.HOVER_NUMBER} {bn}",
        },
        _line(base, x, _round(baseline.single("R&D|Non-state Gap"), 1), PALETTE["baseline"], dash="dash", unit=bn),
    ]
    return _finish(
        {
            "data": data,
            "layout": _layout(
                gettext("Enterprise R&D still needed ({target_pct} % of GRDP, ≥ 60 %)", lang).format(
                    target_pct=target_pct
                ),
                gettext("bn VND per year to add", lang),
                lang,
                stamp,
            ),
        }
    )


CHARTS = {
    "grdp": grdp,
    "digital_share": digital_share,
    "rd_spending": rd_spending,
    "nonstate_gap": nonstate_gap,
    "envelope": envelope,
}


def all_charts(
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    stamp: str,
    *,
    real_grdp: bool = False,
    name: str | None = None,
    baseline_name: str | None = None,
) -> dict[str, Spec]:
    """Every chart of the Simulate page (and the report), by id, in display order."""
    out = {}
    for cid, build in CHARTS.items():
        kw: dict[str, Any] = {"name": name, "baseline_name": baseline_name}
        if cid == "grdp":
            kw["real"] = real_grdp
        out[cid] = build(result, baseline, profile, lang, stamp, **kw)
    return out
