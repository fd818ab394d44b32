"""Session state shared by the pages: the current scenario and how widgets map onto it.

Contract used by every page (simulate, compare, analysis, presenter):
- ``current_scenario()`` returns the scenario the sliders describe now (a ``sim.scenario.Scenario``).
- ``set_scenario(s)`` makes the sliders show ``s`` on the next rerun (load, goal-seek answer, link).
- ``baseline_scenario()`` the baseline of the current region (always drawn beside the current one).

Besides the scenario, the session remembers the *starting scenario*: the library scenario the user
picked (or a link named). The reset buttons go back to it, and a scenario that differs from it is
shown as "modified". The scenario itself is the single source of truth: widgets show its values and
their callbacks replace it (see ``ui.widgets``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import streamlit as st

from sim import links, store
from sim.errors import InputError
from sim.params import Text
from sim.profiles import DEFAULT_PROFILE, list_profiles
from sim.scenario import Scenario, baseline

SCENARIO_KEY = "scenario"
START_KEY = "start_scenario"  # (library id or None, Scenario)
LINK_DONE_KEY = "link_applied"  # the link of this browser session has been read
NOTICES_KEY = "link_notices"  # notices (sim.params.Text) about the link, shown once
LANG_KEY = "lang"

BUILTIN_BASELINE = ""  # the starting-scenario option for "every default" when the library has none


# ---------------------------------------------------------------- the contract


def current_scenario() -> Scenario:
    """The scenario the sliders describe now (the default region's baseline in a new session)."""
    got = st.session_state.get(SCENARIO_KEY)
    if got is None:
        sid, got = default_start(DEFAULT_PROFILE)
        st.session_state[START_KEY] = (sid, got)
        st.session_state[SCENARIO_KEY] = got
    return got


def set_scenario(s: Scenario, start_id: str | None = None) -> None:
    """Make the sliders show ``s`` on the next rerun.

    Args:
        s: the scenario to show.
        start_id: the library id of ``s`` when it was loaded from the library; it becomes the
            starting scenario (what the reset buttons return to). Without it, a scenario found
            unchanged in the library becomes the start as well; any other scenario keeps the current
            start when it is of the same region (a goal-seek answer, say), else the region's baseline.
    """
    st.session_state[SCENARIO_KEY] = s
    if start_id is None:
        start_id = _library_id_of(s)
    if start_id is not None:
        st.session_state[START_KEY] = (start_id, s)
        return
    _, start = starting_scenario()
    if start.region != s.region:
        st.session_state[START_KEY] = default_start(s.region)


def replace_scenario(s: Scenario) -> None:
    """The widgets changed the scenario: store it, keep the starting scenario."""
    st.session_state[SCENARIO_KEY] = s


def baseline_scenario() -> Scenario:
    """The baseline (every default of the profile) of the current region."""
    return baseline(current_scenario().region)


# ---------------------------------------------------------------- starting scenario and library


def starting_scenario() -> tuple[str | None, Scenario]:
    """(library id or None, scenario) the current settings started from."""
    got = st.session_state.get(START_KEY)
    if got is None:
        got = default_start(current_scenario().region)
        st.session_state[START_KEY] = got
    return got


def set_start(start_id: str | None, s: Scenario) -> None:
    """Start from ``s``: the sliders show it and the reset buttons return to it."""
    st.session_state[START_KEY] = (start_id, s)
    st.session_state[SCENARIO_KEY] = s


def library(region: str) -> dict[str, Scenario]:
    """Readable library scenarios of a region, by id (presets first, then newest first)."""
    out: dict[str, Scenario] = {}
    try:
        entries = store.list_entries()
    except OSError:
        return out
    for e in entries:
        if e.problem or e.region != region:
            continue
        try:
            out[e.id] = store.load(e.id)
        except (InputError, OSError):
            continue
    return out


def find_scenario(sid: str) -> Scenario | None:
    """A library scenario by id, or None when there is none (or the id is not a valid one)."""
    try:
        return store.load(sid)
    except (InputError, OSError):
        return None


def _library_id_of(s: Scenario) -> str | None:
    for sid, lib in library(s.region).items():
        if lib == s:
            return sid
    return None


def default_start(region: str) -> tuple[str | None, Scenario]:
    """A region's natural starting point: its baseline in the library, else the built-in baseline."""
    for sid, s in library(region).items():
        if not s.changes:
            return sid, s
    return None, baseline(region)


def start_options(region: str) -> dict[str, Scenario]:
    """Starting scenarios offered for a region (the built-in baseline first when the library has none)."""
    lib = library(region)
    if not any(not s.changes for s in lib.values()):
        lib = {BUILTIN_BASELINE: baseline(region), **lib}
    return lib


def is_modified() -> bool:
    """The current settings differ from the starting scenario."""
    _, start = starting_scenario()
    cur = current_scenario()
    return cur.region != start.region or cur.changes != start.changes


def shown_scenario() -> Scenario:
    """The current scenario named as it is shown: marked "(đã chỉnh)" when it differs from its start.

    Use it for stamps and legends; save and compare the plain :func:`current_scenario`.
    """
    cur = current_scenario()
    if not is_modified():
        return cur
    _, start = starting_scenario()
    return replace(cur, name=links.modified_name(start))


# ---------------------------------------------------------------- links


def apply_link(params: Mapping[str, object]) -> None:
    """Read the link the session was opened with (once per browser session) into the state."""
    if st.session_state.get(LINK_DONE_KEY):
        return
    st.session_state[LINK_DONE_KEY] = True
    decoded = links.decode(params, find_scenario)
    if decoded is None:
        return
    start = find_scenario(decoded.start_id) if decoded.start_id else None
    st.session_state[START_KEY] = (decoded.start_id, start) if start is not None else default_start(decoded.region)
    st.session_state[SCENARIO_KEY] = decoded.scenario
    st.session_state[NOTICES_KEY] = (decoded.scenario.content_hash(), links.summarised(decoded.notices))


def link_notices() -> list[Text]:
    """Notices about the link, shown while the settings are still the ones the link gave."""
    got = st.session_state.get(NOTICES_KEY)
    if not got:
        return []
    chash, notices = got
    if current_scenario().content_hash() != chash:
        del st.session_state[NOTICES_KEY]
        return []
    return notices


def link_params(lang: str) -> dict[str, str]:
    """Query parameters that reproduce the current settings."""
    sid, start = starting_scenario()
    return links.encode(current_scenario(), lang, sid or None, start)


def init_language_from_link() -> None:
    """Before the language widget exists: take the link's language on a session's first run."""
    if LANG_KEY not in st.session_state:
        lang = st.query_params.get("l")
        if lang in links.LANGS:
            st.session_state[LANG_KEY] = lang


def regions() -> list[str]:
    return list_profiles()


__all__ = [
    "BUILTIN_BASELINE",
    "DEFAULT_PROFILE",
    "apply_link",
    "baseline_scenario",
    "current_scenario",
    "default_start",
    "find_scenario",
    "init_language_from_link",
    "is_modified",
    "library",
    "link_notices",
    "link_params",
    "regions",
    "replace_scenario",
    "set_scenario",
    "set_start",
    "shown_scenario",
    "start_options",
    "starting_scenario",
]
