"""Page: Trình chiếu / Present. A story on a projector: large KPIs and charts, step by step.

A story (``stories/*.yaml``, see :mod:`sim.story`) is a list of steps, each one scenario; the page shows
one step at a time with what it changes against the previous one (levers and KPI deltas), light or dark,
in type that reads from the back of a room. "Replay" shows the previous step, then the current one again.
The meeting pack (standalone HTML, Excel) of the shown step can be downloaded at the bottom.

Keyboard (a clicker sends Page Down / Page Up), whatever control has the focus: Page Down or → next step,
Page Up or ← previous, B blank screen, F full screen, Escape back (:mod:`ui.present_assets`).

Three views of one story, kept in step through the library's live channel (:func:`sim.store.put_live`):
the presenter's (this page), the speaker view (``?view=speaker&channel=…``: notes, the next step, a timer)
and the audience's (``?follow=…``: read-only, the presenter's step within a second, each step one click
from the reader's own Simulate page).
"""

from __future__ import annotations

import secrets
import time
import urllib.parse
from dataclasses import replace
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from sim import engine, links, store
from sim.errors import InputError
from sim.params import Text
from sim.provenance import stamp
from sim.report.html import html_bytes
from sim.report.pack import Pack, build_pack
from sim.scenario import Scenario, baseline, describe_changes
from sim.story import Story, build_steps, filled, list_stories, load_story, step_changes
from sim.views import cards, charts, fmt, theme
from sim.views.i18n import T_, gettext
from sim.views.scorecard import RankStatus, illustrative_note, kpis, region_spec, scorecard
from ui import state
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.present_assets import COLLAPSE_SIDEBAR_JS, DARK_CSS, FIT_JS, KEYS_JS, LIGHT_CSS
from ui.runs import run
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

CHANNEL_KEY = "present_channel"  # this presenter's live channel (the speaker view and followers read it)
STARTED_KEY = "present_started"  # when this presenter opened the page (the speaker view's timer), Unix s
FOLLOWED_KEY = "present_followed"  # what a follower or speaker view shows: (story, step) last read
POLL_SECONDS = 0.5
# The four tiles on the projector: the targets the story is about and what they cost. The whole scorecard
# is one click away ("Targets").
TILES = ("digital_share", "rd_intensity", "rd_nonstate_share", "envelope_cost")


@st.cache_data(show_spinner=False, max_entries=32)
def _story(path: str, mtime: float) -> Story:
    """A story file, parsed once per version of the file."""
    return load_story(path)


@st.cache_data(show_spinner=False, max_entries=32)
def _built(path: str, mtime: float) -> tuple[list[Scenario], list[Text]]:
    """The scenario of each step (captions filled from its run) and its notes, filled the same way."""
    story = _story(path, mtime)
    steps = build_steps(story)
    return steps, [filled(st_.notes, s) for st_, s in zip(story.steps, steps, strict=True)]


def _stories() -> dict[str, Path]:
    return {p.stem: p for p in list_stories()}


def _steps(choice: str, scenario: Scenario | None = None) -> tuple[Text, list[Scenario], list[Text]]:
    """(story title, the scenario of each step, the speaker's notes of each step).

    ``choice`` is a story id or :data:`CURRENT`: then ``scenario`` (default: the one open on Simulate)
    against its profile's defaults. Each step's caption is its scenario's description.
    """
    if choice == CURRENT:
        cur = scenario if scenario is not None else state.shown_scenario()  # "Unsaved – edited from …"
        base = baseline(cur.region)
        title = {lg: gettext("The current scenario: {name}", lg).format(name=cur.name(lg)) for lg in ("vi", "en")}
        first = replace(base, description=T_("Every default of the profile."))
        return (
            Text(**title),
            [first, replace(cur, description=T_("The scenario open on the Simulate page."))],
            [
                T_(""),
                T_(""),
            ],
        )
    path = _stories()[choice]
    mtime = path.stat().st_mtime
    steps, notes = _built(str(path), mtime)
    return _story(str(path), mtime).title, steps, notes


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


def _tiles(result: engine.Result, previous: engine.Result | None, s: Scenario, lng: str, suffix: str = "") -> None:
    """Four KPI tiles for 2030 with the change against the previous step (none on the first step)."""
    by_id = {k.id: k for k in kpis(result, previous if previous is not None else result, s.profile, KPI_YEAR)}
    body = "".join(
        cards.card(
            by_id[mid],
            lng,
            versus=_("vs previous step"),
            same=_("same as the previous step"),
            delta=previous is not None,
        )
        for mid in TILES
    )
    with st.container(key=f"present_kpis{suffix}"):
        st.html(f'<div class="nq-kpis" role="list">{body}</div>')


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


def _charts(s: Scenario, prev_s: Scenario, lng: str, dark: bool, suffix: str = "") -> None:
    # Short legend names: the heading and the "what changes" box already name the steps.
    names = (_("This step"), _("previous step") if prev_s is not s else s.name(lng))
    figures = _figures((stamp(s, lng), stamp(prev_s, lng), lng, dark, *names), s, prev_s)
    with st.container(key=f"present_charts{suffix}"):
        cols = st.columns(2)
        for col, (cid, title, fig) in zip(cols, figures, strict=True):
            with col:
                st.markdown(f"### {title}")
                st.plotly_chart(
                    fig, theme=None, config={**CONFIG, "responsive": True}, key=f"present_chart_{cid}{suffix}",
                    width="stretch",
                )  # fmt: skip


@st.cache_resource(max_entries=64, show_spinner=False)
def _figures(
    key: tuple[str, str, str, bool, str, str], _s: Scenario, _prev_s: Scenario
) -> list[tuple[str, str, go.Figure]]:
    """(id, title, figure) of the step's two charts against the step before, shared by all sessions (read-only).

    ``key``: the two steps' provenance stamps (name, content hash, profile, day), the language, dark or
    light, and the two legend names: all the charts depend on.
    """
    _stamp, _prev_stamp, lng, dark, name, baseline_name = key
    result, prev = run(_s), run(_prev_s)
    mark = stamp(_s, lng)
    names = {"name": name, "baseline_name": baseline_name}
    specs = {
        "digital": charts.digital_share(result, prev, _s.profile, lng, mark, **names),
        "rd": charts.rd_spending(result, prev, _s.profile, lng, mark, **names),
    }
    out = []
    for cid, spec in specs.items():
        # the stamp is printed once under both charts: the plot keeps the height
        lay = spec["layout"]
        lay["annotations"] = [a for a in lay.get("annotations", []) if not theme.is_stamp(a)]
        big = theme.present(spec, "projector", dark=dark, compact=True)
        # the height is the screen's: what is left under the tiles (FIT_JS sets it, plotly follows)
        big["layout"].pop("height", None)
        big["layout"]["autosize"] = True
        out.append((cid, theme.title_of(spec), figure(big)))
    return out


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


def _xlsx(pack: Pack) -> bytes:
    """The pack's Excel workbook."""
    from sim.report.workbook import render_xlsx  # with openpyxl, loaded on the first click: not on entering

    return render_xlsx(pack)


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
        data=lambda: _xlsx(build_pack(s, others, lng, ranks)),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="present_pack_xlsx",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


# ---------------------------------------------------------------- page


def _channel() -> str:
    """This presenter's live channel: random, so that only those given the link can follow."""
    if CHANNEL_KEY not in st.session_state:
        st.session_state[CHANNEL_KEY] = secrets.token_urlsafe(9)
        st.session_state[STARTED_KEY] = time.time()
    return st.session_state[CHANNEL_KEY]


def _publish(choice: str, idx: int, steps: list[Scenario], lng: str) -> None:
    """Tell the speaker view and the followers which step is on screen (the current scenario travels as links)."""
    channel = _channel()
    payload: dict[str, object] = {"story": choice, "step": idx, "started": st.session_state[STARTED_KEY]}
    if choice == CURRENT:
        payload["link"] = links.query_string(links.encode(steps[-1], lng))
    try:
        store.put_live(channel, payload)
    except (InputError, OSError) as exc:
        st.warning(_("The speaker view and followers cannot be updated: {exc}").format(exc=exc))


def _links_area(lng: str) -> None:
    """The speaker view's link and the audience's follow link, under the stage (set up before the talk)."""
    channel = _channel()
    with st.expander(_("Speaker view and follow link"), icon=":material/cast:"):
        c1, c2 = st.columns(2)
        c1.markdown(_("**Speaker view** (notes, next step, timer) for a second screen:"))
        c1.link_button(_("Open the speaker view"), f"present?view=speaker&channel={channel}&l={lng}",
                       icon=":material/speaker_notes:", key="present_open_speaker")  # fmt: skip
        c2.markdown(_("**Follow link** for the audience: it shows the step on screen, read-only."))
        c2.code(f"present?follow={channel}", language=None)
        c2.link_button(_("Open the follow view"), f"present?follow={channel}&l={lng}", icon=":material/group:",
                       key="present_open_follow")  # fmt: skip


def _toolbar(options: list[str], labels: dict[str, str], n: int, idx: int, lng: str) -> tuple[str, bool, str | None]:
    views = {"charts": _("Charts"), "scorecard": _("Targets")}
    with st.container(key="present_bar", horizontal=False):
        bar = st.columns([2.5, 0.5, 0.8, 0.5, 0.5, 1.1, 1.7], vertical_alignment="center")
    choice = bar[0].selectbox(
        _("Story"), options, format_func=labels.__getitem__, key=STORY_KEY, on_change=_on_story,
        label_visibility="collapsed",
    )  # fmt: skip
    # The keys are the page's own (ui/present_assets.py): they work whatever control has the focus.
    bar[1].button(
        "", key="present_prev", icon=":material/arrow_back:", on_click=_go, args=(-1, n),
        disabled=idx == 0, help=_("Previous step (Page Up, ←)"), width="stretch",
    )  # fmt: skip
    bar[2].markdown(f"**{_('Step')} {idx + 1}/{n}**")
    bar[3].button(
        "", key="present_next", icon=":material/arrow_forward:", on_click=_go, args=(1, n),
        disabled=idx == n - 1, help=_("Next step (Page Down, →)"), width="stretch",
    )  # fmt: skip
    bar[4].button(
        "", key="present_replay", icon=":material/replay:", on_click=_replay, disabled=idx == 0,
        help=_("Replay: show the previous step, then this one again"), width="stretch",
    )  # fmt: skip
    dark = bar[5].toggle(_("Dark"), key=DARK_KEY)
    view = bar[6].segmented_control(
        _("Show"), options=["charts", "scorecard"], format_func=views.__getitem__, default="charts",
        key=VIEW_KEY, label_visibility="collapsed",
    )  # fmt: skip
    return choice, dark, view


def _style(dark: bool) -> None:
    st.html(cards.css() + LIGHT_CSS + (DARK_CSS if dark else ""))


def _scripts() -> None:
    """The keys, the charts' fit to the screen and, when the page is entered, the sidebar folded away.

    The page's first elements: the sidebar folds and the fit listens before the tiles and charts are drawn.
    """
    if st.session_state.get("page_before") != "present":
        # collapsed when the page is entered; the presenter may open the sidebar again
        nonce = str(st.session_state.get("page_runs", 0))
        st.html(COLLAPSE_SIDEBAR_JS.replace("NONCE", nonce), unsafe_allow_javascript=True)
    st.html(KEYS_JS + FIT_JS, unsafe_allow_javascript=True)


def main() -> None:
    lng = lang()
    params = st.query_params
    if params.get("view") == "speaker" and params.get("channel"):
        _speaker(str(params["channel"]), lng)
        return
    if params.get("follow"):
        _follow(str(params["follow"]), lng)
        return
    _scripts()
    _story_view(lng)
    _links_area(lng)


@st.fragment
def _story_view(lng: str) -> None:
    """The toolbar, the step on screen and its meeting pack: a step, a story, dark or the view change only these
    (the rest of the page, the sidebar and the navigation are not run again)."""
    stories = _stories()
    options = [*stories, CURRENT]
    if st.session_state.get(STORY_KEY) not in options:
        st.session_state[STORY_KEY] = options[0]
    story_labels = {o: _title_of(p, lng) for o, p in stories.items()}
    story_labels[CURRENT] = _("Current scenario (Simulate page)")
    choice = st.session_state[STORY_KEY]
    try:
        title, steps, _notes = _steps(choice)
    except InputError as exc:
        _toolbar(options, story_labels, 1, 0, lng)
        st.error(_("Cannot read the story: {exc}").format(exc=exc))
        return
    n = len(steps)
    idx = max(0, min(n - 1, int(st.session_state.get(STEP_KEY, 0))))
    st.session_state[STEP_KEY] = idx
    choice, dark, view = _toolbar(options, story_labels, n, idx, lng)
    _style(dark)
    _publish(choice, idx, steps, lng)

    stage = st.empty()
    if st.session_state.get(REPLAY_KEY) == "before" and idx > 0:
        # Replay: the step before the change, a pause, then the current step again, in the same place.
        with stage.container():
            _stage(title, steps, idx - 1, lng, dark, view, replay=True)
        time.sleep(REPLAY_SECONDS)
    st.session_state[REPLAY_KEY] = None
    with stage.container():
        _stage(title, steps, idx, lng, dark, view)

    s = steps[idx]
    with st.expander(_("Meeting pack (HTML, Excel)"), icon=":material/folder_zip:"):
        ranks = _ranks(s, lng)
        _pack_area(s, [x for i, x in enumerate(steps) if i != idx], lng, ranks)


def _stage(
    title: Text,
    steps: list[Scenario],
    shown: int,
    lng: str,
    dark: bool,
    view: str | None,
    *,
    replay: bool = False,
    keys: bool = True,
) -> None:
    """One step on screen: heading, caption, what it changes, KPI tiles, charts or the scorecard.

    The replay draws the previous step with its own element keys (suffix ``_replay``) under a banner,
    then the page draws the current step in the same place. (The story's title is in the story list.)
    ``keys=False`` (the audience's view) leaves out the hint of the presenter's keys.
    """
    log = st.session_state.setdefault(SHOWN_KEY, [])
    log.append(shown)
    del log[:-20]
    suffix = "_replay" if replay else ""
    s = steps[shown]
    prev_s = steps[shown - 1] if shown > 0 else None
    result = run(s)
    ref_s = prev_s if prev_s is not None else s
    ref = run(ref_s)
    with st.container(key=f"present_stage{suffix}"):
        # The replay's banner takes the place of the story title: the same layout in both views, so
        # nothing of the step shown before lingers on screen during the pause.
        if replay:
            with st.container(key=f"present_banner{suffix}"):
                st.info(_("Before the change: step {x}").format(x=shown + 1), icon=":material/history:")
        st.markdown(f"# {md(s.name(lng))}")
        left, right = st.columns([1.45, 1])
        with left, st.container(key=f"present_caption{suffix}"):
            st.markdown(md(s.description(lng)))
        with right:
            _changes(prev_s, s, lng, suffix)
        _tiles(result, ref if prev_s is not None else None, s, lng, suffix)
        if view == "scorecard":
            _scorecard_view(result, s, lng, _entered_ranks(s), suffix)
        else:
            _charts(s, ref_s, lng, dark, suffix)
        with st.container(key=f"present_stamp{suffix}"):
            hint = _("Keys: Page Down or → next · Page Up or ← back · B blank screen · F full screen · Esc leave")
            st.markdown(md(f"{hint}  ·  {stamp(s, lng)}" if keys else stamp(s, lng)))


def _title_of(path: Path, lng: str) -> str:
    try:
        return _story(str(path), path.stat().st_mtime).title(lng)
    except (InputError, OSError):
        return path.stem


# ---------------------------------------------------------------- speaker view and followers


def _live_steps(live: dict[str, object]) -> tuple[str, int, Text, list[Scenario], list[Text]] | None:
    """What a presenter's live state points at: (story, step, title, steps, notes); None if unreadable."""
    choice, idx = live.get("story"), live.get("step")
    if not isinstance(choice, str) or not isinstance(idx, int):
        return None
    try:
        if choice == CURRENT:
            link = live.get("link")
            decoded = links.decode(dict(urllib.parse.parse_qsl(str(link))), None) if isinstance(link, str) else None
            if decoded is None:
                return None
            title, steps, notes = _steps(CURRENT, decoded.scenario)
        elif choice in _stories():
            title, steps, notes = _steps(choice)
        else:
            return None
    except InputError:
        return None
    return (choice, idx, title, steps, notes) if 0 <= idx < len(steps) else None


def _watch(channel: str, *, timer: bool = False) -> None:
    """Poll the presenter's channel; rerun the page when the presenter's step is not the one shown.

    With ``timer`` the poll also writes the time since the presenter opened the page (the speaker view).
    """

    @st.fragment(run_every=POLL_SECONDS)
    def poll() -> None:
        live = store.get_live(channel)
        key = (live.get("story"), live.get("step")) if live else None
        if key != st.session_state.get(FOLLOWED_KEY):
            st.session_state[FOLLOWED_KEY] = key
            st.rerun()
        if timer and live and isinstance(live.get("started"), (int, float)):
            with st.container(key="present_timer"):
                st.markdown(fmt.duration(time.time() - float(live["started"])))

    poll()


def _waiting(channel: str) -> tuple[bool, dict[str, object] | None]:
    """(whether the channel's name is valid, the presenter's last state or None)."""
    try:
        live = store.get_live(channel)
    except InputError as exc:
        st.error(_("This link is not valid: {exc}").format(exc=exc))
        return False, None
    if live is None:
        st.info(_("Waiting for the presenter to open the Present page…"), icon=":material/hourglass_empty:")
    return True, live


def _speaker(channel: str, lng: str) -> None:
    """The presenter's second screen: the step on the projector, its notes, the next step, a timer."""
    st.html(LIGHT_CSS)
    valid, live = _waiting(channel)
    if live is not None:
        got = _live_steps(live)
        if got is None:
            st.warning(_("The presenter's story cannot be shown here."))
        else:
            _choice, idx, title, steps, notes = got
            n = len(steps)
            st.caption(md(title(lng)))
            with st.container(key="present_speaker_now"):
                st.markdown(f"## {_('Step')} {idx + 1}/{n}: {md(steps[idx].name(lng))}")
            with st.container(key="present_notes"):
                st.markdown(md(notes[idx](lng)) if notes[idx](lng) else _("No notes for this step."))
            with st.container(key="present_speaker_next"):
                nxt = md(steps[idx + 1].name(lng)) if idx + 1 < n else _("(end of the story)")
                st.markdown(f"**{_('Next')}:** {nxt}")
            st.caption(md(steps[idx].description(lng)))
    if valid:
        st.markdown(f"**{_('Time since the presenter opened the page')}**")
        _watch(channel, timer=True)


def _follow(channel: str, lng: str) -> None:
    """The audience's read-only view: the presenter's step, and each step one click from Simulate."""
    valid, live = _waiting(channel)
    got = _live_steps(live) if live is not None else None
    if live is not None and got is None:
        st.warning(_("The presenter's story cannot be shown here."))
    if got is not None:
        _choice, idx, title, steps, _notes = got
        dark = bool(st.session_state.get(DARK_KEY))
        _style(dark)
        with st.container(key="present_follow_bar"):
            c1, c2 = st.columns([3, 1.4], vertical_alignment="center")
            c1.markdown(f"**{_('Following the presenter')}** · {_('Step')} {idx + 1}/{len(steps)}")
            c2.link_button(
                _("Open this step on Simulate"), _simulate_link(steps[idx], lng), icon=":material/tune:",
                width="stretch",
            )  # fmt: skip
        _stage(title, steps, idx, lng, dark, "charts", keys=False)
        with st.expander(_("Open any step on your own Simulate page")):
            for i, s in enumerate(steps):
                st.link_button(md(s.name(lng)), _simulate_link(s, lng), key=f"present_follow_open_{i}")
        st.html(FIT_JS, unsafe_allow_javascript=True)
    if valid:
        _watch(channel)


def _simulate_link(s: Scenario, lng: str) -> str:
    """A link that opens ``s`` on the Simulate page (the share-link format of :mod:`sim.links`)."""
    return "simulate?" + links.query_string(links.encode(s, lng))


main()
