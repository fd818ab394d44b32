"""Page: Trình chiếu / Present. A story on a projector: large KPIs and charts, step by step.

A story (``stories/*.yaml``, see :mod:`sim.story`) is a list of steps, each one scenario; the page shows
one step at a time with what it changes against the previous one (levers and KPI deltas), light or dark,
in type that reads from the back of a room. "Replay" shows the previous step, then the current one again.
The meeting pack (standalone HTML, Excel) of the shown step can be downloaded at the bottom.

Keyboard: Page Down / Page Up (what presentation clickers send) go to the next / previous step.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from sim import engine
from sim.errors import InputError
from sim.params import Text
from sim.provenance import stamp
from sim.report.html import html_bytes
from sim.report.pack import build_pack
from sim.report.workbook import render_xlsx
from sim.scenario import Scenario, baseline, describe_changes
from sim.story import Story, build_steps, list_stories, load_story, step_changes
from sim.views import charts, theme
from sim.views.i18n import T_, gettext
from sim.views.scorecard import Kpi, RankStatus, illustrative_note, kpis, region_spec, scorecard
from ui import state
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.safe import md

STORY_KEY = "present_story"
STEP_KEY = "present_step"
DARK_KEY = "present_dark"
VIEW_KEY = "present_view"
REPLAY_KEY = "present_replay_phase"
SHOWN_KEY = "present_shown"  # the steps shown, in order (the replay shows the previous one first)
CURRENT = "current"  # the story option "the scenario of the Simulate page"
REPLAY_SECONDS = 2.0
KPI_YEAR = 2030

LIGHT_CSS = """
<style>
[class*="st-key-present_stage"] h1 { font-size: 2.7rem !important; line-height: 1.15; }
[class*="st-key-present_caption"] p { font-size: 1.45rem !important; line-height: 1.45; }
[class*="st-key-present_changes"] { border-left: 6px solid #f5a623; background: #fff6e0; padding: 0.6rem 1rem;
  border-radius: 6px; }
[class*="st-key-present_changes"] p, [class*="st-key-present_changes"] li { font-size: 1.3rem !important; }
[class*="st-key-present_banner_replay"] p { font-size: 1.4rem !important; font-weight: 600; }
[class*="st-key-present_kpis"] [data-testid="stMetricValue"] { font-size: 2.4rem !important; }
[class*="st-key-present_kpis"] [data-testid="stMetricValue"] div,
[class*="st-key-present_kpis"] [data-testid="stMetricLabel"] div,
[class*="st-key-present_kpis"] [data-testid="stMetricLabel"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
[class*="st-key-present_kpis"] [data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
[class*="st-key-present_kpis"] [data-testid="stMetricDelta"] { font-size: 1.15rem !important; }
[class*="st-key-present_scorecard"] td, [class*="st-key-present_scorecard"] th { font-size: 1.15rem !important; }
</style>
"""
DARK_CSS = """
<style>
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stHeader"],
[data-testid="stBottomBlockContainer"] { background-color: #0f1217 !important; color: #eef0f3 !important; }
[data-testid="stSidebar"], [data-testid="stSidebarContent"] { background-color: #171b22 !important; }
.stApp p, .stApp li, .stApp h1, .stApp h2, .stApp h3, .stApp label, .stApp summary,
[data-testid="stMetricValue"], [data-testid="stCaptionContainer"] { color: #eef0f3 !important; }
[data-testid="stMetricDelta"] { background-color: rgba(255, 255, 255, 0.08) !important; }
.stApp [data-baseweb="select"] div, .stApp [data-baseweb="input"], .stApp input {
  background-color: #1f252e !important; color: #eef0f3 !important; }
.stApp button { background-color: #1f252e !important; color: #eef0f3 !important; border-color: #3a424d !important; }
.stApp button[aria-checked="true"] { border-color: #ff7b6b !important; color: #ff9d90 !important; }
[data-testid="stMetric"] { background-color: #171b22; }
[class*="st-key-present_changes"] { background: #2a2413 !important; border-left-color: #f5a623 !important; }
.stApp table, .stApp th, .stApp td { color: #eef0f3 !important; border-color: #3a424d !important; }
.stApp th { background-color: #1f252e !important; }
[data-testid="stExpander"] details { background-color: #141820 !important; border-color: #3a424d !important; }
</style>
"""


@st.cache_data(show_spinner=False, max_entries=32)
def _story(path: str, mtime: float) -> Story:
    """A story file, parsed once per version of the file."""
    return load_story(path)


def _stories() -> dict[str, Path]:
    return {p.stem: p for p in list_stories()}


def _steps(choice: str, lng: str) -> tuple[Text, list[Scenario], list[Text]]:
    """(story title, the scenario of each step, the caption of each step)."""
    if choice == CURRENT:
        cur = state.shown_scenario()  # named truthfully: "Unsaved – edited from …" once edited
        base = baseline(cur.region)
        caption = T_("The scenario open on the Simulate page.")
        title = {lg: gettext("The current scenario: {name}", lg).format(name=cur.name(lg)) for lg in ("vi", "en")}
        return (
            Text(**title),
            [base, cur],
            [T_("Every default of the profile."), caption],
        )
    path = _stories()[choice]
    story = _story(str(path), path.stat().st_mtime)
    return story.title, build_steps(story), [s.caption for s in story.steps]


# ---------------------------------------------------------------- callbacks


def _go(delta: int, n: int) -> None:
    st.session_state[STEP_KEY] = max(0, min(n - 1, st.session_state.get(STEP_KEY, 0) + delta))
    st.session_state[REPLAY_KEY] = None


def _replay() -> None:
    st.session_state[REPLAY_KEY] = "before"


def _on_story() -> None:
    st.session_state[STEP_KEY] = 0
    st.session_state[REPLAY_KEY] = None


# ---------------------------------------------------------------- pieces


def _kpi_label(k: Kpi, lng: str) -> str:
    label = k.label(lng) + (f" {k.period}" if k.period else f" {k.year}")
    if k.target is not None:
        status = f":green[**{_('met')}**]" if k.met else f":red[**{_('not met')}**]"
        label += f" · {_('target')} {k.format_target(lng)}: {status}"
    return label


def _metric_delta(k: Kpi, lng: str) -> str:
    """The change as st.metric reads it: a leading ASCII '-' makes the arrow point down."""
    text = k.format_delta(lng)
    return "-" + text[1:] if text.startswith("−") else text


def _tiles(result: engine.Result, previous: engine.Result | None, s: Scenario, lng: str, suffix: str = "") -> None:
    """KPI tiles for 2030 with the change against the previous step (none on the first step)."""
    ks = kpis(result, previous if previous is not None else result, s.profile, KPI_YEAR)
    with st.container(key=f"present_kpis{suffix}"):
        cols = st.columns(3)
        for i, k in enumerate(ks):
            with cols[i % 3]:
                st.metric(
                    _kpi_label(k, lng),
                    k.format_value(lng),
                    delta=_metric_delta(k, lng) if previous is not None else None,
                    delta_color="off" if k.id == "envelope_cost" else "normal",
                    border=True,
                )


def _changes(before: Scenario | None, after: Scenario, lng: str, suffix: str = "") -> None:
    with st.container(key=f"present_changes{suffix}"):
        if before is None:
            lines = describe_changes(after, lng)
            st.markdown(f"**{_('Starting point')}**")
            st.markdown("\n".join(f"- {x}" for x in lines) if lines else _("Every default."))
            return
        changes = step_changes(before, after, lng)
        st.markdown(f"**{_('What this step changes')}**")
        if changes:
            st.markdown("\n".join(f"- **{c.label}**: {c.before} → **{c.after}**" for c in changes))
        else:
            st.markdown(_("No lever changes."))


def _charts(
    result: engine.Result, prev: engine.Result, s: Scenario, prev_s: Scenario, lng: str, dark: bool, suffix: str = ""
) -> None:
    prof = s.profile
    mark = stamp(s, lng)
    # Short legend names: the heading and the "what changes" box already name the steps.
    names = {"name": _("This step"), "baseline_name": _("previous step")}
    if prev_s is s:
        names["baseline_name"] = s.name(lng)
    specs = {
        "digital": charts.digital_share(result, prev, prof, lng, mark, **names),
        "rd": charts.rd_spending(result, prev, prof, lng, mark, **names),
    }
    cols = st.columns(2)
    for col, (cid, spec) in zip(cols, specs.items(), strict=True):
        with col:
            st.markdown(f"### {theme.title_of(spec)}")
            big = theme.present(spec, "projector", dark=dark)
            st.plotly_chart(figure(big), theme=None, config=CONFIG, key=f"present_chart_{cid}{suffix}", width="stretch")


def _scorecard_view(
    result: engine.Result, s: Scenario, lng: str, ranks: dict[str, RankStatus], suffix: str = ""
) -> None:
    rows = []
    for ln in scorecard(result, s.profile, ranks):
        colour = "gray" if ln.met is None else ("green" if ln.met else "red")
        rows.append(
            {
                _("Target"): ln.label(lng),
                _("Year"): ln.year_text(lng),
                _("Reached"): ln.value_text(lng),
                # st.table renders Markdown: a leading '>' would start a quotation.
                _("Target") + " ": ln.target_text(lng).replace(">", "\\>"),
                _("Status"): f":{colour}[**{ln.status_text(lng)}**]",
                _("Kind"): ln.kind_label(lng),
            }
        )
    with st.container(key=f"present_scorecard{suffix}"):
        st.table(rows)
        note = illustrative_note(s.region, lng)
        if note:
            st.caption(note)


def _entered_ranks(s: Scenario) -> dict[str, RankStatus]:
    """The ranks entered in the meeting-pack area (their widgets keep their values in the session)."""
    spec = region_spec(s.region)
    out: dict[str, RankStatus] = {}
    for r in spec.ranks if spec else ():
        rank = st.session_state.get(f"present_rank_{r.id}")
        if rank is not None:
            status = st.session_state.get(f"present_rank_status_{r.id}") or "expected"
            out[r.id] = RankStatus(rank=int(rank), status=status)
    return out


def _ranks(s: Scenario, lng: str) -> dict[str, RankStatus]:
    """The rank targets' inputs (DTI, PII): entered by the user, not modelled."""
    spec = region_spec(s.region)
    out: dict[str, RankStatus] = {}
    if spec is None or not spec.ranks:
        return out
    st.markdown(f"**{_('Rankings (entered, not modelled)')}**")
    # Option labels are fixed per run (not looked up later), so the widgets read the same in tests.
    statuses = {"expected": _("expected"), "achieved": _("achieved")}
    for r in spec.ranks:
        c1, c2 = st.columns([2, 1])
        rank = c1.number_input(
            f"{r.label(lng)} – {_('rank')} ({_('last known')}: {r.last_known(lng)})",
            min_value=1,
            max_value=63,
            value=None,
            step=1,
            key=f"present_rank_{r.id}",
        )
        status = c2.segmented_control(
            _("Status"),
            options=["expected", "achieved"],
            format_func=statuses.__getitem__,
            default="expected",
            key=f"present_rank_status_{r.id}",
        )
        if rank is not None:
            out[r.id] = RankStatus(rank=int(rank), status=status or "expected")
    return out


def _pack_area(s: Scenario, others: list[Scenario], lng: str, ranks: dict[str, RankStatus]) -> None:
    st.caption(
        _(
            "The pack of the step on screen, compared with the other steps: one standalone "
            "HTML file (opens offline) and an Excel workbook for finance. Every number "
            "carries its provenance stamp."
        )
        + " "
        + _("For a PDF, open the HTML file and print it (Ctrl+P), or run `python -m sim report … -o file.pdf`.")
    )
    name = f"nq57-{s.region}-{s.content_hash()}"
    c1, c2 = st.columns(2)
    c1.download_button(
        _("HTML report"),
        data=lambda: html_bytes(build_pack(s, others, lng, ranks)),
        file_name=f"{name}.html",
        mime="text/html",
        key="present_pack_html",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
    c2.download_button(
        _("Excel workbook"),
        data=lambda: render_xlsx(build_pack(s, others, lng, ranks)),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="present_pack_xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


# ---------------------------------------------------------------- page


def main() -> None:
    lng = lang()
    stories = _stories()
    options = [*stories, CURRENT]
    if st.session_state.get(STORY_KEY) not in options:
        st.session_state[STORY_KEY] = options[0]

    story_labels = {o: _title_of(p, lng) for o, p in stories.items()}
    story_labels[CURRENT] = _("Current scenario (Simulate page)")
    views = {"charts": _("Charts"), "scorecard": _("Targets")}
    bar = st.columns([2.2, 1.3, 0.8, 1.3, 1.7, 2.0], vertical_alignment="bottom")
    choice = bar[0].selectbox(
        _("Story"),
        options,
        format_func=story_labels.__getitem__,
        key=STORY_KEY,
        on_change=_on_story,
    )
    try:
        title, steps, captions = _steps(choice, lng)
    except InputError as exc:
        st.error(_("Cannot read the story: {exc}").format(exc=exc))
        return
    n = len(steps)
    idx = max(0, min(n - 1, int(st.session_state.get(STEP_KEY, 0))))
    st.session_state[STEP_KEY] = idx

    # Icon and the key it answers to (a presentation clicker sends PageUp / PageDown); the tooltip names it.
    bar[1].button(
        "", key="present_prev", icon=":material/arrow_back:", on_click=_go, args=(-1, n),
        disabled=idx == 0, shortcut="PageUp", help=_("Previous step"), width="stretch",
    )  # fmt: skip
    bar[2].markdown(f"**{_('Step')} {idx + 1}/{n}**")
    bar[3].button(
        "", key="present_next", icon=":material/arrow_forward:", on_click=_go, args=(1, n),
        disabled=idx == n - 1, shortcut="PageDown", help=_("Next step"), width="stretch",
    )  # fmt: skip
    bar[4].button(
        _("Replay change"), key="present_replay", icon=":material/replay:",
        on_click=_replay, disabled=idx == 0, width="stretch",
    )  # fmt: skip
    with bar[5]:
        dark = st.toggle(_("Dark"), key=DARK_KEY)
        view = st.segmented_control(
            _("Show"),
            options=["charts", "scorecard"],
            format_func=views.__getitem__,
            default="charts",
            key=VIEW_KEY,
            label_visibility="collapsed",
        )
    st.html(LIGHT_CSS + (DARK_CSS if dark else ""))

    stage = st.empty()
    if st.session_state.get(REPLAY_KEY) == "before" and idx > 0:
        # Replay: the step before the change, a pause, then the current step again, in the same place.
        with stage.container():
            _stage(title, steps, captions, idx - 1, lng, dark, view, replay=True)
        time.sleep(REPLAY_SECONDS)
    st.session_state[REPLAY_KEY] = None
    with stage.container():
        _stage(title, steps, captions, idx, lng, dark, view)

    s = steps[idx]
    with st.expander(_("Meeting pack (HTML, Excel)"), icon=":material/folder_zip:"):
        ranks = _ranks(s, lng)
        _pack_area(s, [x for i, x in enumerate(steps) if i != idx], lng, ranks)


def _stage(
    title: Text,
    steps: list[Scenario],
    captions: list[Text],
    shown: int,
    lng: str,
    dark: bool,
    view: str | None,
    *,
    replay: bool = False,
) -> None:
    """One step on screen: heading, caption, what it changes, KPI tiles, charts or the scorecard.

    The replay draws the previous step with its own element keys (suffix ``_replay``), then the page
    draws the current step in the same place.
    """
    log = st.session_state.setdefault(SHOWN_KEY, [])
    log.append(shown)
    del log[:-20]
    suffix = "_replay" if replay else ""
    s = steps[shown]
    prev_s = steps[shown - 1] if shown > 0 else None
    result = engine.run(s)
    ref_s = prev_s if prev_s is not None else s
    ref = engine.run(ref_s)
    with st.container(key=f"present_stage{suffix}"):
        # The replay's banner takes the place of the story title: the same layout in both views, so
        # nothing of the step shown before lingers on screen during the pause.
        with st.container(key=f"present_banner{suffix}"):
            if replay:
                before = _("Before the change: step {x}").format(x=shown + 1)
                st.info(before, icon=":material/history:")
            else:
                st.caption(md(title(lng)))
        st.markdown(f"# {md(s.name(lng))}")
        with st.container(key=f"present_caption{suffix}"):
            st.markdown(md(captions[shown](lng)))
        _changes(prev_s, s, lng, suffix)
        _tiles(result, ref if prev_s is not None else None, s, lng, suffix)
        if view == "scorecard":
            _scorecard_view(result, s, lng, _entered_ranks(s), suffix)
        else:
            _charts(result, ref, s, ref_s, lng, dark, suffix)
        st.caption(stamp(s, lng))


def _title_of(path: Path, lng: str) -> str:
    try:
        return _story(str(path), path.stat().st_mtime).title(lng)
    except (InputError, OSError):
        return path.stem


main()
