"""Chart specifications for the Compare page: plain plotly-JSON dicts (no plotly import in ``sim/``).

Each chart overlays one result variable for a base scenario and up to six others. The base is drawn
thick and dark, the others in distinct colours (:func:`sim.views.theme.series_colour`); the profile's
targets for that variable are marked and labelled inside the plot; the provenance of every scenario is
written under the chart. ``st.plotly_chart`` takes the dict as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim.views.i18n import T_

from ..compare import scenario_labels
from ..engine import PERCENT_VARS, Result
from ..params import Text
from ..provenance import stamp
from ..scenario import Scenario
from . import theme
from .i18n import gettext


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
        T_("Digital-economy share"),
        T_("% of GRDP"),
        "digital_share",
    ),
    ChartSpec(
        "rd_intensity",
        "R&D|Share of GRDP",
        T_("Total R&D intensity"),
        T_("% of GRDP"),
        "rd_intensity",
    ),
    ChartSpec(
        "grdp",
        "GRDP|Nominal",
        T_("GRDP (current prices)"),
        T_("bn VND"),
    ),
    ChartSpec(
        "envelope",
        "Budget|STI and DX",
        T_("S&T/DX envelope"),
        T_("bn VND"),
    ),
    ChartSpec(
        "nonstate_share",
        "R&D|Non-state Share",
        T_("Non-state share of R&D"),
        T_("% of R&D"),
        "rd_nonstate_share",
    ),
    ChartSpec(
        "nonstate_gap",
        "R&D|Non-state Gap",
        T_("Non-state R&D gap (to reach the target)"),
        T_("bn VND/yr"),
    ),
)


def provenance_text(scenarios: Sequence[Scenario], lang: str = "vi") -> str:
    """Lines for under a chart: the base's stamp, then the others' names and content hashes, two a line."""
    parts = stamp(scenarios[0], lang).split(" · ")
    lines = [" · ".join(parts[:2]), " · ".join(parts[2:])]  # model and profile, then scenario and date
    others = [f"«{_short(s.name(lang))}» #{s.content_hash()}" for s in scenarios[1:]]
    word = gettext("compared with", lang)
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
    are star markers at their year and value, labelled inside the plot. ``height`` is the plot area in
    pixels; the margins grow with the legend (one entry per scenario) and the provenance note.
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
                "name": _short(label, 32),
                "x": [int(y) for y in r.years],
                "y": [round(float(v) * factor, 6) for v in r.single(spec.variable)],
                "line": {"color": theme.series_colour(i), "width": 3.5 if i == 0 else 2, "dash": "solid"},
                "hovertemplate": f"%{{y:,.2f}} {unit}",
            }
        )
    years = [int(y) for y in runs[0][1].years]
    notes: list[dict[str, object]] = []
    if spec.target_metric:
        base_values = dict(zip(years, data[0]["y"], strict=True))  # type: ignore[call-overload]
        for t in scens[0].profile.targets:
            if t.metric != spec.target_metric or t.year is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": t.label(lang),
                    "x": [t.year],
                    "y": [t.value],
                    "marker": {
                        "symbol": "star",
                        "size": theme.SIZES["screen"].marker,
                        "color": theme.PALETTE["target"],
                    },
                    "showlegend": False,  # labelled in place: the legend stays for the scenarios
                    "hovertemplate": f"{t.label(lang)}<extra></extra>",
                }
            )
            notes.append(
                theme.point_label(
                    t.year,
                    t.value,
                    gettext("target {year}", lang).format(year=t.year),
                    (years[0], years[-1]),
                    above=float(base_values.get(t.year, 0.0)) <= t.value,
                )
            )
    layout = theme.layout(
        spec.title(lang),
        lang,
        provenance_text(scens, lang).replace("<br>", " · "),
        y=theme.value_axis(unit),
        stamp_width=110,
    )
    layout["annotations"][0]["text"] = provenance_text(scens, lang)  # one line per scenario pair
    layout["annotations"] += notes
    return theme.finish({"data": data, "layout": layout}, height=height)
