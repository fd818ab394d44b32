"""Chart specifications for the Compare page: plain plotly-JSON dicts (no plotly import in ``sim/``).

Each chart overlays one result variable for a base scenario and up to six others. The base is drawn
thick and dark, the others in distinct colours; the profile's targets for that variable are marked; the
provenance of every scenario is written under the chart. ``st.plotly_chart`` takes the dict as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .charts import separators
from .compare import scenario_labels
from .engine import PERCENT_VARS, Result
from .params import Text
from .provenance import stamp
from .scenario import Scenario
from .views.scorecard import metric_text

BASE_COLOUR = "#1f2937"
COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2")
TARGET_COLOUR = "#b91c1c"


@dataclass(frozen=True)
class ChartSpec:
    """One overlay chart: which variable, how it is called, its unit, and which target metric it shows."""

    id: str
    variable: str
    title: Text
    unit: Text
    target_metric: str | None = None


COMPARE_CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec(
        "digital_share",
        "Digital Economy|Share of GRDP",
        metric_text("digital_share"),
        Text(vi="% GRDP", en="% of GRDP"),
        "digital_share",
    ),
    ChartSpec(
        "rd_intensity",
        "R&D|Share of GRDP",
        metric_text("rd_intensity"),
        Text(vi="% GRDP", en="% of GRDP"),
        "rd_intensity",
    ),
    ChartSpec(
        "grdp",
        "GRDP|Nominal",
        Text(vi="GRDP (giá hiện hành)", en="GRDP (current prices)"),
        Text(vi="tỷ đồng", en="bn VND"),
    ),
    ChartSpec(
        "envelope",
        "Budget|STI and DX",
        Text(vi="Ngân sách KH,CN,ĐMST&CĐS", en="S&T/DX envelope"),
        Text(vi="tỷ đồng", en="bn VND"),
    ),
    ChartSpec(
        "nonstate_share",
        "R&D|Non-state Share",
        Text(vi="Tỷ trọng R&D ngoài nhà nước", en="Non-state share of R&D"),
        Text(vi="% tổng chi R&D", en="% of R&D"),
        "rd_nonstate_share",
    ),
    ChartSpec(
        "nonstate_gap",
        "R&D|Non-state Gap",
        Text(vi="Thiếu hụt R&D ngoài nhà nước (để đạt mục tiêu)", en="Non-state R&D gap (to reach the target)"),
        Text(vi="tỷ đồng/năm", en="bn VND/yr"),
    ),
)


def colour(i: int) -> str:
    """Line colour of the i-th scenario (0 = base)."""
    return BASE_COLOUR if i == 0 else COLOURS[(i - 1) % len(COLOURS)]


def provenance_text(scenarios: Sequence[Scenario], lang: str = "vi") -> str:
    """Lines for under a chart: the base's stamp, then the others' names and content hashes, two a line."""
    parts = stamp(scenarios[0], lang).split(" · ")
    lines = [" · ".join(parts[:2]), " · ".join(parts[2:])]  # model and profile, then scenario and date
    others = [f"«{_short(s.name(lang))}» #{s.content_hash()}" for s in scenarios[1:]]
    word = "so với" if lang == "vi" else "compared with"
    for i in range(0, len(others), 2):
        lines.append((f"{word}: " if i == 0 else "") + ", ".join(others[i : i + 2]))
    return "<br>".join(lines)


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def overlay(
    runs: Sequence[tuple[Scenario, Result]], spec: ChartSpec, lang: str = "vi", height: int = 280
) -> dict[str, object]:
    """A line chart of ``spec.variable`` for every run (the first is the base), as a plotly-JSON dict.

    Shares are drawn in percent. The targets of the base scenario's profile for ``spec.target_metric``
    are star markers at their year and value. ``height`` is the plot area in pixels; the margins grow
    with the legend and the provenance note.
    """
    scens = [s for s, _ in runs]
    labels = scenario_labels(scens, lang)
    factor = 100.0 if spec.variable in PERCENT_VARS else 1.0
    unit = spec.unit(lang)
    data: list[dict[str, object]] = []
    for i, ((_, r), label) in enumerate(zip(runs, labels, strict=True)):
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": [int(y) for y in r.years],
                "y": [round(float(v) * factor, 6) for v in r.single(spec.variable)],
                "line": {"color": colour(i), "width": 3.5 if i == 0 else 2, "dash": "solid"},
                "hovertemplate": f"%{{y:,.2f}} {unit}",
            }
        )
    if spec.target_metric:
        for t in scens[0].profile.targets:
            if t.metric != spec.target_metric or t.year is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers+text",
                    "name": t.label(lang),
                    "x": [t.year],
                    "y": [t.value],
                    "text": [f"{'mục tiêu' if lang == 'vi' else 'target'} {t.year}"],
                    "textposition": "top left",
                    "textfont": {"color": TARGET_COLOUR, "size": 11},
                    "marker": {"symbol": "star", "size": 14, "color": TARGET_COLOUR},
                    "showlegend": False,  # labelled in place: the legend stays for the scenarios
                    "hovertemplate": f"{t.label(lang)}<extra></extra>",
                }
            )
    note = provenance_text(scens, lang)
    note_lines = note.count("<br>") + 1
    # The legend sits above the plot: short names share a row of a half-width chart, long ones do not.
    legend_rows = len(runs) if max(len(lab) for lab in labels) > 24 else (len(runs) + 1) // 2
    top = 48 + 20 * legend_rows
    bottom = 66 + 13 * note_lines
    return {
        "data": data,
        "layout": {
            "title": {
                "text": spec.title(lang),
                "x": 0,
                "xanchor": "left",
                "yref": "container",
                "y": 1,
                "yanchor": "top",
                "pad": {"t": 12},
                "font": {"size": 16},
            },
            "height": height + top + bottom,
            "font": {"size": 13},
            "margin": {"l": 70, "r": 20, "t": top, "b": bottom},
            "separators": separators(lang),
            "xaxis": {"title": {"text": "Năm" if lang == "vi" else "Year"}, "dtick": 5, "showgrid": False},
            "yaxis": {"title": {"text": unit}, "rangemode": "tozero", "tickformat": ",~f"},
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
            "hovermode": "x unified",
            "plot_bgcolor": "white",
            "annotations": [
                {
                    "text": note,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": 0,
                    "yshift": -48,
                    "xanchor": "left",
                    "yanchor": "top",
                    "showarrow": False,
                    "align": "left",
                    "font": {"size": 9, "color": "#6b7280"},
                }
            ],
        },
    }
