"""Chart specifications as plain plotly JSON (``{"data": [...], "layout": {...}}``).

No plotly or streamlit import: the app wraps these dicts in ``plotly.graph_objects.Figure`` and the
standalone HTML report hands them to plotly.js as they are. Every chart draws the current scenario
beside the baseline, puts units on every axis, writes numbers the language's way
(``layout.separators``) and carries the provenance stamp as a small note under the plot.

Values are rounded before they go into a spec: the payload crosses the network on every slider move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .engine import Result
from .profiles import Profile
from .views import fmt

Spec = dict[str, Any]

# Colours: the scenario in a strong blue, the baseline in grey (dashed), targets in red.
SCENARIO = "#0b5cad"
BASELINE = "#7f7f7f"
NONSTATE = "#f28e2b"
TARGET = "#c0392b"
MET = "#2e7d32"
FLOOR = "#c0392b"

FONT_SIZE = 15
LEGEND_SIZE = 13
LEGEND_ROW_PX = 640  # what a legend row holds in a full-width chart (the app and the report show one a row)
HEIGHT = 420
STAMP_WRAP = 90  # characters: longer stamps break into two lines so they fit a half-width chart


def _t(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands mark ('1.234,5' in Vietnamese)."""
    return ",." if lang == "vi" else ".,"


def _round(values: np.ndarray, decimals: int) -> list[float]:
    return [round(float(v), decimals) for v in values]


def _years(result: Result) -> list[int]:
    return [int(y) for y in result.years]


def _wrap_stamp(stamp: str) -> str:
    if len(stamp) <= STAMP_WRAP:
        return stamp
    parts = stamp.split(" · ")
    half = len(parts) // 2 + (len(parts) % 2)
    return " · ".join(parts[:half]) + "<br>" + " · ".join(parts[half:])


def _legend_rows(names: list[str]) -> int:
    """Rows a horizontal legend takes in a half-width chart (estimate: ~7.5 px a character)."""
    rows, used = 1, 0.0
    for n in names:
        w = 40 + 7.5 * len(n)
        if used and used + w > LEGEND_ROW_PX:
            rows, used = rows + 1, 0.0
        used += w
    return rows


def _layout(title: str, y_title: str, lang: str, stamp: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {
            "text": title,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 10, "l": 8},
            "font": {"size": 17},
        },
        "separators": separators(lang),
        "font": {"size": FONT_SIZE},
        "height": HEIGHT,
        "margin": {"l": 70, "r": 20, "t": 70, "b": 100},
        "legend": {
            "orientation": "h",
            # Starting left of the plot area gives plotly room to put several entries a row in a
            # half-width chart; at x=0 it stacks long legends one entry a row.
            "x": -0.12,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",  # stacked bars would otherwise reverse and group it, one entry a row
            "font": {"size": LEGEND_SIZE},
        },
        "hovermode": "x unified",
        "xaxis": {"title": {"text": _t(lang, "Năm", "Year")}, "dtick": 5, "showgrid": False},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero", "tickformat": ",~f"},
        "annotations": [
            {
                "text": _wrap_stamp(stamp),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -62,
                "xanchor": "left",
                "yanchor": "top",
                "align": "left",
                "showarrow": False,
                "font": {"size": 10, "color": "#666666"},
            }
        ],
        "plot_bgcolor": "white",
    }
    layout.update(extra)
    return layout


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
        "hovertemplate": f"%{{y:,}} {unit}".rstrip(),
    }
    trace.update(kw)
    return trace


def _finish(spec: Spec) -> Spec:
    """Room under the title for the legend rows."""
    rows = _legend_rows([t["name"] for t in spec["data"] if t.get("showlegend", True)])
    spec["layout"]["margin"]["t"] = 50 + 21 * rows
    spec["layout"]["height"] = HEIGHT + 21 * (rows - 1)
    return spec


def _names(lang: str, name: str | None, baseline_name: str | None) -> tuple[str, str]:
    return (
        name or _t(lang, "Kịch bản đang xem", "This scenario"),
        baseline_name or _t(lang, "Cơ sở", "Baseline"),
    )


def _targets(profile: Profile, metric: str) -> list:
    return [t for t in profile.targets if t.metric == metric and t.year is not None]


def _stamp_text(spec: Spec) -> str:
    """The provenance note of a spec (for tests and the report)."""
    return spec["layout"]["annotations"][0]["text"].replace("<br>", " · ")


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
    unit = _t(lang, "nghìn tỷ đồng", "trillion VND")
    prices = (
        _t(lang, f"giá năm {profile.base_year}", f"{profile.base_year} prices")
        if real
        else _t(lang, "giá hiện hành", "current prices")
    )
    cur, base = _names(lang, name, baseline_name)
    data = [
        _line(base, x, _round(baseline.single(var) / 1000, 1), BASELINE, dash="dash", unit=unit),
        _line(cur, x, _round(result.single(var) / 1000, 1), SCENARIO, unit=unit),
    ]
    if not real:
        tg = _targets(profile, "grdp_nominal")
        if tg:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "name": _t(lang, "Mục tiêu", "Target"),
                    "x": [t.year for t in tg],
                    "y": [round(t.value / 1000, 1) for t in tg],
                    "text": [f"≥ {fmt.number(t.value / 1000, lang, 0)}" for t in tg],
                    "textposition": "top left",
                    "marker": {"symbol": "diamond", "size": 14, "color": TARGET},
                    "hovertemplate": f"%{{y:,}} {unit}",
                }
            )
    title = _t(lang, "GRDP", "GRDP") + (_t(lang, " thực", " (real)") if real else _t(lang, " danh nghĩa", " (nominal)"))
    return _finish({"data": data, "layout": _layout(title, f"{unit} ({prices})", lang, stamp)})


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
    bn = _t(lang, "tỷ đồng", "bn VND")
    _, base = _names(lang, name, baseline_name)
    target_pct = profile.rd_target * 100
    share = result.single("R&D|Non-state Share") * 100
    breach = share < 60.0 - 1e-9
    share_colors = [TARGET if b else MET for b in breach]
    data = [
        {
            "type": "bar",
            "name": _t(lang, "R&D công", "Public R&D"),
            "x": x,
            "y": _round(result.single("R&D|Public"), 1),
            "marker": {"color": SCENARIO},
            "hovertemplate": f"%{{y:,}} {bn}",
        },
        {
            "type": "bar",
            "name": _t(lang, "R&D ngoài NN", "Non-state R&D"),
            "x": x,
            "y": _round(result.single("R&D|Non-state"), 1),
            "marker": {"color": NONSTATE},
            "hovertemplate": f"%{{y:,}} {bn}",
        },
        _line(
            _t(lang, f"Tổng R&D – {base.lower()}", f"Total – {base.lower()}"),
            x,
            _round(baseline.single("R&D|Total"), 1),
            BASELINE,
            dash="dash",
            unit=bn,
        ),
        _line(
            _t(lang, "Mục tiêu {t} % GRDP", "Target {t} % of GRDP").format(t=fmt.short(target_pct, lang)),
            x,
            _round(profile.rd_target * result.single("GRDP|Nominal"), 1),
            TARGET,
            dash="dot",
            unit=bn,
        ),
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _t(lang, "% ngoài NN (trục phải)", "% non-state (right)"),
            "x": x,
            "y": _round(share, 1),
            "yaxis": "y2",
            "line": {"color": NONSTATE, "width": 1.5, "dash": "dot"},
            "marker": {"color": share_colors, "size": 7, "symbol": ["x" if b else "circle" for b in breach]},
            "hovertemplate": "%{y:,} %",
        },
    ]
    layout = _layout(
        _t(lang, "Chi R&D: công và ngoài nhà nước", "R&D spending: public and non-state"),
        _t(lang, "tỷ đồng/năm", "bn VND per year"),
        lang,
        stamp,
        barmode="stack",
        yaxis2={
            "title": {"text": _t(lang, "% R&D ngoài nhà nước", "% of R&D non-state")},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "dtick": 20,
            "showgrid": False,
            "tickformat": ",~f",
        },
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y2",
                "y0": 60,
                "y1": 60,
                "line": {"color": NONSTATE, "width": 1, "dash": "dash"},
            }
        ],
    )
    layout["margin"] = {**layout["margin"], "r": 60}
    layout["annotations"].append(
        {
            "text": _t(lang, "quy tắc 60 %", "60 % rule"),
            "xref": "paper",
            "yref": "y2",
            "x": 1,
            "y": 60,
            "xanchor": "right",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 11, "color": NONSTATE},
        }
    )
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
        _line(base, x, _round(baseline.single(var) * 100, 2), BASELINE, dash="dash", unit=pct),
        _line(cur, x, _round(result.single(var) * 100, 2), SCENARIO, unit=pct),
    ]
    if tg:
        data.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _t(lang, "Mục tiêu", "Target"),
                "x": [t.year for t in tg],
                "y": [t.value for t in tg],
                "text": [f"{t.year}: ≥ {fmt.short(t.value, lang)} %" for t in tg],
                # the label on the side away from the scenario's line, so the two do not overlap
                "textposition": [
                    "bottom left" if result.at(var, t.year)[0] * 100 > t.value else "top left" for t in tg
                ],
                "marker": {"symbol": "diamond", "size": 14, "color": TARGET},
                "hovertemplate": "%{y:,} %",
            }
        )
    return _finish(
        {
            "data": data,
            "layout": _layout(_t(lang, "Kinh tế số", "Digital economy"), _t(lang, "% GRDP", "% of GRDP"), lang, stamp),
        }
    )


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
    bn = _t(lang, "tỷ đồng", "bn VND")
    cur, base = _names(lang, name, baseline_name)
    S = result.single("Budget|STI and DX")
    F = result.single("Budget|Central Floor")
    below = S < F * (1 - 1e-9)
    below[0] = False  # the base year is history, not a target year
    data = [
        _line(base, x, _round(baseline.single("Budget|STI and DX"), 1), BASELINE, dash="dash", unit=bn),
        _line(
            cur,
            x,
            _round(S, 1),
            SCENARIO,
            unit=bn,
            mode="lines+markers",
            marker={"color": [FLOOR if b else SCENARIO for b in below], "size": [9 if b else 5 for b in below]},
        ),
        _line(
            _t(lang, "Mức Trung ương giao", "Central floor"),
            x,
            _round(F, 1),
            FLOOR,
            dash="dot",
            unit=bn,
        ),
    ]
    return _finish(
        {
            "data": data,
            "layout": _layout(
                _t(lang, "Ngân sách KH,CN,ĐMST&CĐS và mức sàn", "S&T/DX envelope and the central floor"),
                _t(lang, "tỷ đồng/năm", "bn VND per year"),
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
    bn = _t(lang, "tỷ đồng", "bn VND")
    cur, base = _names(lang, name, baseline_name)
    target_pct = fmt.short(profile.rd_target * 100, lang)
    data = [
        {
            "type": "bar",
            "name": cur,
            "x": x,
            "y": _round(result.single("R&D|Non-state Gap"), 1),
            "marker": {"color": NONSTATE},
            "hovertemplate": f"%{{y:,}} {bn}",
        },
        _line(base, x, _round(baseline.single("R&D|Non-state Gap"), 1), BASELINE, dash="dash", unit=bn),
    ]
    return _finish(
        {
            "data": data,
            "layout": _layout(
                _t(
                    lang,
                    f"R&D doanh nghiệp cần thêm (để đạt {target_pct} % GRDP, ≥ 60 %)",
                    f"Enterprise R&D still needed ({target_pct} % of GRDP, ≥ 60 %)",
                ),
                _t(lang, "tỷ đồng/năm cần thêm", "bn VND per year to add"),
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
