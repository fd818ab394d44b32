"""Page: Mô phỏng / Simulate. Pick a region and a starting scenario, move the levers, see the targets.

The page is thin: the model is :mod:`sim.engine`, the figures :mod:`sim.views.scorecard` and :mod:`sim.views.charts`,
the widgets :mod:`ui.widgets` and the session contract :mod:`ui.state`.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

import streamlit as st

from sim import links
from sim.engine import Result
from sim.errors import InputError
from sim.params import schema
from sim.profiles import Profile, load_profile
from sim.provenance import stamp
from sim.scenario import describe_changes
from sim.views import cards, charts
from sim.views.current import Current
from sim.views.effects import effects
from sim.views.i18n import N_
from sim.views.scorecard import core_lines, kpis
from ui import live as live_levers
from ui import state, widgets
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.library_panels import save_panel, unreadable_note
from ui.runs import run
from ui.safe import md

KPI_YEARS = (2030, 2045)
SIDEBAR_KEY = "simulate_sidebar"  # what the sidebar showed of the scenario at the last full run


# ---------------------------------------------------------------- callbacks


def _on_region() -> None:
    state.open_start(*state.default_start(st.session_state["w_region"]))


def _on_start(key: str) -> None:
    region = state.current_scenario().region
    sid = st.session_state[key]
    options = state.start_options(region)
    if sid in options:
        state.open_start(sid or None, options[sid])
    else:
        state.open_start(*state.default_start(region))


def _reset(kind: str) -> None:
    cur = state.current()
    state.edit(widgets.reset(cur.scenario, cur.start, kind))


def _reset_button(kind: str, label: str, unchanged: bool, help_text: str) -> None:
    """The button that puts the levers or the assumptions back to the starting scenario's (``help_text``
    names it as ``{name}``)."""
    st.button(
        label,
        key=f"w_reset_{kind}s",
        icon=":material/restart_alt:",
        on_click=_reset,
        args=(kind,),
        disabled=unchanged,
        help=help_text.format(name=md(state.current().start.name(lang()))),
    )


def _editor(edit: widgets.Edit) -> Callable[[], None]:
    """A control's callback: apply ``edit`` to the current scenario, nothing else (the page runs the model)."""

    def on_change() -> None:
        cur = state.current()
        state.edit(edit(cur.scenario, cur.start, load_profile(cur.scenario.region)))

    return on_change


def _on_live_release() -> None:
    """A live slider was released: its breakpoint takes the value (the same edit as the path editor's slider)."""
    move = live_levers.released()
    if move is not None:
        pid, year, x = move
        _editor(lambda s, start, prof: widgets.set_breakpoint(s, start, prof, pid, year, x))()


def _page_url() -> str:
    """This page's address as the browser sees it ('' where there is none, as in tests)."""
    base = st.context.url or ""
    if base and not urllib.parse.urlsplit(base).path:
        base += "/"
    return base


# ---------------------------------------------------------------- first load: the link; the model


def _run_current() -> Result:
    """The current scenario's run; a last move whose inputs the model refuses is taken back and named."""
    try:
        return run(state.current_scenario())
    except InputError as exc:
        refused = state.current_scenario().changes
        state.undo_edit()
        kept = state.current_scenario().changes
        moved = [pid for pid in schema() if refused.get(pid) != kept.get(pid)]
        st.session_state[widgets.ERROR_KEY] = (moved, exc.message)
        return run(state.current_scenario())


def _sidebar_shows(cur: Current) -> tuple[object, ...]:
    """What the sidebar shows of the current scenario: a run of the main view alone (a live lever released)
    is enough while this stays the same; otherwise the whole page runs."""
    s, start = cur.scenario, cur.start
    boxes_open = st.session_state.get("w_paths_box") or st.session_state.get("w_assumptions_box")
    return (
        lang(),
        s.region,
        cur.start_id,
        start.content_hash(),
        s.levers == start.levers,
        s.assumptions == start.assumptions,
        s.content_hash() if boxes_open else None,
    )


state.apply_link(st.query_params.to_dict())
L = lang()
result = _run_current()
cur = state.current()
scenario, start_id, start = cur.scenario, cur.start_id, cur.start
profile = load_profile(scenario.region)
e0 = float(result.calibrated_enterprise_rd[0]) * 100.0  # type: ignore[index]

# ---------------------------------------------------------------- sidebar: region, start, levers

with st.sidebar:
    regions = state.regions()
    if st.session_state.get("w_region") != scenario.region:
        st.session_state["w_region"] = scenario.region
    st.selectbox(
        _("Region"),
        regions,
        format_func=lambda r: load_profile(r).name(L),
        key="w_region",
        on_change=_on_region,
        help=_("The region's base-year data and targets."),
    )
    options = state.start_options(scenario.region)
    current_option = start_id or state.BUILTIN_BASELINE
    if current_option not in options:
        options = {current_option: start, **options}
    # One key per language: a select box keeps the label it showed, so the names follow the language.
    start_key = f"w_start_{L}"
    if st.session_state.get(start_key) != current_option:
        st.session_state[start_key] = current_option
    st.selectbox(
        _("Starting scenario"),
        list(options),
        format_func=lambda k: options[k].name(L),
        key=start_key,
        on_change=_on_start,
        args=(start_key,),
        help=_("A library scenario to start from; the reset buttons return to it."),
    )
    unreadable_note()
    advanced = st.toggle(
        _("Advanced view"),
        key=widgets.ADVANCED_KEY,
        help=_("Also shows the 60 % rule, the central floor and the assumption paths."),
    )

    widgets.sync(scenario, profile)
    st.subheader(_("Policy levers"))
    widgets.draw_controls(widgets.LEVER_CHOICES, scenario, profile, L, advanced, e0, _editor)
    # The live sliders on the page move each lever's main value; every year of its path is edited here.
    # Drawn only while open: its sliders show every year, so while it is open a release on the page runs
    # the whole page (they follow); while it is closed, the main view alone.
    paths_box = st.expander(_("Year-by-year paths"), key="w_paths_box", icon=":material/timeline:", on_change="rerun")
    with paths_box:
        if paths_box.open:
            st.caption(
                _("The sliders on the page move a lever's 2030 value, or its one value; here every year of its path.")
            )
            widgets.draw_controls(widgets.LEVER_PATHS, scenario, profile, L, advanced, e0, _editor)
    _reset_button("lever", _("Reset levers"), scenario.levers == start.levers, _("Back to the values of «{name}»."))
    n_ass = sum(
        1
        for k in set(scenario.assumptions) | set(start.assumptions)
        if scenario.assumptions.get(k) != start.assumptions.get(k)
    )
    label = _("Assumptions") + (_(" · {n_ass} changed").format(n_ass=n_ass) if n_ass else "")
    # Drawn only while open (about twenty sliders): a lever move does not redraw them.
    box = st.expander(label, key="w_assumptions_box", icon=":material/tune:", on_change="rerun")
    with box:
        if box.open:
            st.caption(
                _("What the province does not decide: growth, inflation, the returns to R&D and digital investment.")
            )
            widgets.draw_controls(widgets.ASSUMPTION_CONTROLS, scenario, profile, L, True, e0, _editor)
            _reset_button(
                "assumption",
                _("Reset assumptions"),
                scenario.assumptions == start.assumptions,
                _("Back to the assumptions of «{name}»."),
            )

CHARTS = {
    "nonstate_gap": N_("Enterprise R&D gap"),
    "envelope": N_("Envelope and floor"),
    "grdp": N_("GRDP"),
    "digital_share": N_("Digital economy"),
    "rd_spending": N_("R&D and the 60 % rule"),
}


@st.fragment
def _charts(result: Result, base_result: Result, profile: Profile, lang_: str, stamp_: str) -> None:
    """One more chart at a time (the two main ones are drawn live above; here with hover values too).

    A fragment: picking another chart or the GRDP price basis reruns only this part of the page.
    """
    cid = st.segmented_control(
        _("Chart"),
        options=list(CHARTS),
        format_func=lambda c: _(CHARTS[c]),
        default="nonstate_gap",
        required=True,
        key="w_chart",
    )
    kw = {}
    if cid == "grdp":
        mode = st.segmented_control(
            _("Prices"),
            options=["nominal", "real"],
            format_func=lambda m: _("Current prices") if m == "nominal" else _("Real (base-year prices)"),
            default="nominal",
            required=True,
            key="w_grdp_mode",
            label_visibility="collapsed",
        )
        kw["real"] = mode == "real"
    spec = charts.CHARTS[cid](result, base_result, profile, lang_, stamp_, **kw)
    st.plotly_chart(figure(spec), key=f"chart_{cid}", config=CONFIG, theme=None)


@st.fragment
def _main_view() -> None:
    """Everything right of the sidebar. A live lever's release (or any control here) runs only this part:
    the sidebar and the navigation are not sent again. When the sidebar would show something else (the
    reset button, an open path editor, a new starting scenario), the whole page runs instead.
    """
    L = lang()
    result = _run_current()
    cur = state.current()
    if _sidebar_shows(cur) != st.session_state.get(SIDEBAR_KEY):
        st.rerun(scope="app")
    scenario = cur.scenario
    profile = load_profile(scenario.region)
    base_scn = state.baseline_scenario()
    base_result = run(base_scn)
    advanced = bool(st.session_state.get(widgets.ADVANCED_KEY))
    stamp_line = stamp(cur.named(), L)

    # ---------------------------------------------------------------- main: header, notices

    rows = core_lines(result, profile)
    n_met = sum(r.met for r in rows)
    st.markdown(
        f"**{_('Scenario')}:** {md(cur.label(L))}"
        + f" &nbsp; · &nbsp; {_('against')} {md(base_scn.name(L))}"
        + f" &nbsp; · &nbsp; :{'green' if n_met == len(rows) else 'blue'}-badge[:material/flag: "
        + _("{n_met} of {len} targets met").format(n_met=n_met, len=len(rows))
        + "]"
    )
    for notice in state.link_notices():
        st.warning(md(notice(L)), icon=":material/link_off:")
    err = st.session_state.pop(widgets.ERROR_KEY, None)
    if err:
        moved, problem = err
        st.error(
            _("The change to {names} was not applied: the model cannot run with it. {problem}").format(
                names=", ".join(f"«{schema()[pid].label(L)}»" for pid in moved), problem=problem
            ),
            icon=":material/block:",
        )
    changes = describe_changes(scenario, L)
    if changes:
        changes_box = st.expander(
            _("Differs from the region's defaults ({len})").format(len=len(changes)),
            key="w_changes_box",
            on_change="rerun",
        )
        with changes_box:
            if changes_box.open:  # drawn only while open
                st.markdown("\n".join(f"- {line}" for line in changes))

    # ------------------------------------------------------------ one view: KPI cards, live levers, two main charts

    by_year = {
        year: kpis(result, base_result, profile, year)
        for year in KPI_YEARS
        if profile.base_year < year <= profile.horizon
    }
    st.html(cards.years(by_year, L))
    # The levers and the two main charts in one element: while a slider is dragged it shows the engine's results
    # for each step (computed here, cached by content) and updates the cards above; a release edits the scenario.
    live_levers.draw(live_levers.data(scenario, result, base_result, profile, L, advanced), _on_live_release)
    before = state.last_move()
    if before is not None:
        moved = effects(run(before), result, profile, L)
        if moved:
            # one element, a line each (each element is one more message for the browser to draw)
            st.markdown(
                "  \n".join(
                    (":green[:material/check_circle:] " if e.met_after else ":red[:material/cancel:] ") + e.line(L)
                    for e in moved
                )
            )

    # ---------------------------------------------------------------- target scorecard

    st.html(cards.scorecard(rows, L, title=_("Target scorecard"), note=stamp_line))

    # ---------------------------------------------------------------- more charts

    # Drawn only while open: the first view needs no plotly (the two main charts are the live levers'), so the
    # browser loads plotly.js when a planner asks for another chart.
    more_box = st.expander(_("More charts"), key="w_more_charts", icon=":material/bar_chart:", on_change="rerun")
    with more_box:
        if more_box.open:
            _charts(result, base_result, profile, L, stamp_line)

    # ---------------------------------------------------------------- share and save

    params = state.link_params(L)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    url = f"{_page_url()}?{links.query_string(params)}"
    with st.container(key="share_box"):
        st.markdown(
            "**"
            + _("Share these settings")
            + "** · "
            + _(
                "the link holds the region, the starting scenario, every change and the "
                "language: opening it shows the same numbers (copy button on the right)."
            )
        )
        st.code(url, language=None, wrap_lines=True)
    # Drawn only while open: the form costs a slider move about a fifth of its time (benchmarks/bench_ui.py).
    save_box = st.expander(
        _("Save to the scenario library"),
        key="w_save_box",
        icon=":material/save:",
        on_change="rerun",
    )
    with save_box:
        if save_box.open:
            save_panel()

    # ---------------------------------------------------------------- uncertainty

    if st.toggle(
        _("Uncertainty"),
        key="w_uncertainty",
        help=_("Uncertain assumptions: ranges of outcomes and the chance of meeting each target."),
    ):
        from ui.analysis_panels import uncertainty_panel  # loaded on first use: a faster first page

        uncertainty_panel(scenario, L)


st.session_state[SIDEBAR_KEY] = _sidebar_shows(cur)
# The page's style and title are the same in every run of the main view: drawn by the page's own runs only.
st.html(live_levers.PAGE_CSS + cards.css())
st.title(f"{_('Simulate')} · {profile.name(L)}")
_main_view()
