"""Page: So sánh / Compare — a base scenario and up to six others from the library (or the current settings).

Earlier versions of a library scenario are choices too (``Name · v3``), so two versions of one scenario
can stand side by side.

Overlay charts, 2030 and 2045 outcomes with differences against the base, the inputs that differ, and
Excel / CSV downloads. Numbers come from ``sim.compare``; chart specs from ``sim.views.charts_compare``.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sim import store
from sim.compare import (
    MAX_OTHERS,
    YEARS,
    csv_bytes,
    excel_bytes,
    input_table,
    outcome_table,
    provenance_lines,
    scenario_labels,
)
from sim.engine import Result
from sim.errors import InputError
from sim.history import labelled
from sim.profiles import load_profile
from sim.scenario import Scenario
from sim.views import fmt
from sim.views.charts_compare import COMPARE_CHARTS, overlay
from sim.views.scorecard import METRIC_TABLE, format_amount
from ui import state
from ui.choices import choice_key, keep, tabs
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.library_panels import unreadable_note
from ui.runs import run
from ui.safe import md

CURRENT = "__current__"
BASELINE = "__baseline__"  # the region's plain baseline: every default of the profile
_KINDS = {"grdp_per_capita": "million"}


def _kind(kpi_id: str) -> str:
    """The metric id of a Compare row (its formatting rules live in sim.views.scorecard)."""
    return kpi_id


def _amount(x: float, kind: str, *, like: float, signed: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    if signed and abs(x) < 1e-9 * max(1.0, abs(like)):
        return "0"
    return format_amount(x, METRIC_TABLE[kind], lang(), like=like, signed=signed)


def _outcome_view(table: pd.DataFrame, labels: list[str], year: int) -> pd.DataFrame:
    """Formatted rows of one year: each other scenario's cell gives its value, its change and the % change."""
    rows = []
    for rec in table[table["year"] == year].to_dict(orient="records"):
        kind = _kind(rec["kpi"])
        base = rec[labels[0]]
        row = {_("Outcome"): rec["outcome"], labels[0]: _amount(base, kind, like=base)}
        for lab in labels[1:]:
            v, d, p = rec[lab], rec[f"Δ {lab}"], rec[f"Δ% {lab}"]
            cell = _amount(v, kind, like=v)
            if math.isfinite(d):
                change = _amount(d, kind, like=v, signed=True)
                pct = "" if not math.isfinite(p) or change == "0" else f" ({fmt.signed(p, lang(), 1, ' %')})"
                cell += f" · Δ {change}{pct}"
            row[lab] = cell
        rows.append(row)
    return pd.DataFrame(rows)


@st.cache_resource(max_entries=256, show_spinner=False)
def _chart(stamps: tuple[str, ...], lng: str, chart_id: str, _runs: list[tuple[Scenario, Result]]) -> go.Figure:
    """One overlay chart of one set of scenarios, shared by all sessions (read-only).

    ``stamps`` (each scenario's provenance: name, content hash, profile, day), the language and the chart
    are all a chart depends on.
    """
    return figure(overlay(_runs, next(c for c in COMPARE_CHARTS if c.id == chart_id), lng))


def _version_options(entries: dict[str, store.Entry]) -> dict[str, tuple[str, int]]:
    """``"<id>@v<n>"`` -> (id, n) for every earlier version of the listed scenarios, newest first."""
    out: dict[str, tuple[str, int]] = {}
    for sid, latest in store.latest_versions().items():
        if sid in entries:
            out.update({f"{sid}@v{n}": (sid, n) for n in range(latest - 1, 0, -1)})
    return out


def _choice_label(
    option: str,
    entries: dict[str, store.Entry],
    versions: dict[str, tuple[str, int]],
    current: Scenario,
    plain: Scenario,
) -> str:
    if option in versions:
        sid, n = versions[option]
        return f"{entries[sid].name(lang())} · v{n}"
    if option == CURRENT:
        return _("Current settings: {name}").format(name=current.name(lang()))
    if option == BASELINE:
        return plain.name(lang())
    e = entries[option]
    lock = f" ({_('read-only')})" if e.read_only else ""  # words, not an emoji: Debian's fonts lack it
    return f"{e.name(lang())} · {load_profile(e.region).name(lang())}{lock}"


st.title(_("Compare scenarios"))
st.caption(
    _(
        "Pick a base and up to {MAX_OTHERS} other scenarios from the library. "
        "Differences are scenario − base (percentage points for shares)."
    ).format(MAX_OTHERS=MAX_OTHERS)
)

current = state.shown_scenario()  # the current settings under their truthful name
plain = state.baseline_scenario()
try:
    entries = {e.id: e for e in store.list_entries() if e.problem is None}
    versions = _version_options(entries)
except (InputError, OSError) as exc:  # the current settings and the baseline can still be compared
    st.warning(_("The scenario library cannot be read: ") + md(exc))
    entries, versions = {}, {}
# The plain baseline of the current region is always a choice; earlier versions come after the scenarios.
options = [CURRENT, BASELINE, *entries, *versions]

c1, c2 = st.columns([1, 2])
base_id = c1.selectbox(
    _("Base scenario"),
    options,
    format_func=lambda o: _choice_label(o, entries, versions, current, plain),
    key=choice_key("cmp_base", options, CURRENT),
)
keep("cmp_base", base_id)
others_ids = c2.multiselect(
    _("Compare with (up to {MAX_OTHERS})").format(MAX_OTHERS=MAX_OTHERS),
    options,
    format_func=lambda o: _choice_label(o, entries, versions, current, plain),
    key=choice_key("cmp_others", options, [], multi=True),
    max_selections=MAX_OTHERS,
    placeholder=_("Choose scenarios…"),
)
keep("cmp_others", others_ids)
unreadable_note()

chosen: list[Scenario] = []
for option in [base_id, *[o for o in others_ids if o != base_id]]:
    if option == CURRENT:
        chosen.append(current)
        continue
    if option == BASELINE:
        chosen.append(plain)
        continue
    try:
        if option in versions:
            sid, n = versions[option]
            chosen.append(labelled(store.load_version(sid, n), n))
        else:
            chosen.append(store.load(option))
    except InputError as exc:  # deleted or broken since the list was read
        st.warning(_("Could not open a scenario: ") + md(exc))

if not chosen:
    st.info(_("Choose a base scenario to start."))
    st.stop()
if len(chosen) == 1:
    st.info(_("Choose more scenarios to compare with the base."))

if len({s.region for s in chosen}) > 1:
    st.warning(
        _(
            "The scenarios belong to different regions: base-year data, scale and targets "
            "differ; the targets drawn are those of the base scenario's region."
        )
    )

try:
    runs = [(s, run(s)) for s in chosen]  # each content run once, whoever compares it
except InputError as exc:
    st.error(_("Cannot compute: ") + md(exc))
    st.stop()
labels = scenario_labels(chosen, lang())

# Outcomes with differences: the numbers first, side by side.
st.subheader(_("Outcomes in 2030 and 2045"))
table = outcome_table(runs, lang())
with st.container(key="cmp_outcomes"):
    for year in YEARS:
        view = _outcome_view(table, labels, year)
        if view.empty:
            continue
        st.markdown(f"**{year}**")
        st.table(view.set_index(_("Outcome")).rename(columns=md))  # st.table renders markdown

# Charts: one at a time, full width, in tabs of which only the open one is drawn (adding a scenario redraws
# one chart, not six).
st.subheader(_("Charts"))
stamps = tuple(provenance_lines(chosen, lang()))


def _draw_chart(chart_id: str) -> None:
    fig = _chart(stamps, lang(), chart_id, runs)
    st.plotly_chart(fig, key=f"cmp_chart_{chart_id}", config=CONFIG, theme=None)


tabs(
    "cmp_chart_tab",
    {spec.id: (spec.title(lang()), lambda cid=spec.id: _draw_chart(cid)) for spec in COMPARE_CHARTS},
)

# Inputs that differ.
st.subheader(_("Inputs that differ"))
inputs = input_table(chosen, lang())
with st.container(key="cmp_inputs"):
    if inputs.empty:
        st.caption(_("Every input is the same."))
    else:
        shown = inputs.drop(columns="id").rename(columns={"parameter": _("Parameter"), "unit": _("Unit")})
        st.table(shown.set_index(_("Parameter")).rename(columns=md))

# Downloads, with the provenance of every scenario: written when asked for, not on every change of the choice.
st.subheader(_("Downloads"))
d1, d2 = st.columns(2)
lng = lang()
d1.download_button(
    _("Excel workbook"),
    data=lambda: excel_bytes(runs, lng),
    file_name=_("nq57-comparison.xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="cmp_dl_xlsx",
    on_click="ignore",
    icon=":material/table:",
)
d2.download_button(
    _("CSV (IAMC format)"),
    data=lambda: csv_bytes(runs, lng),
    file_name=_("nq57-comparison.csv"),
    mime="text/csv",
    key="cmp_dl_csv",
    on_click="ignore",
    icon=":material/download:",
)
for line in provenance_lines(chosen, lang()):
    st.caption(md(line))
