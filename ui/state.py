"""Session state shared by the pages: the current scenario (one :class:`sim.views.current.Current`).

Contract used by every page (simulate, compare, analysis, presenter):
- ``current()`` the scenario on screen with where it came from; ``label(lang)`` its one name.
- ``current_scenario()`` its content (a ``sim.scenario.Scenario``); ``shown_scenario()`` the same under
  its truthful name (for stamps, legends, comparisons and exports).
- ``edit(s)`` the controls changed the content; ``set_scenario(s, start_id, via)`` a page put a scenario
  there (a library scenario opened, a goal-seek answer or the cheapest mix applied); ``mark_saved`` after
  a save; ``open_start`` for the starting-scenario selector.
- ``baseline_scenario()`` the baseline of the current region (always drawn beside the current one).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from sim import links, store
from sim.errors import InputError
from sim.params import Text
from sim.profiles import DEFAULT_PROFILE, list_profiles
from sim.scenario import Scenario, baseline
from sim.views.current import VIA_LINK, Current, same_content

CURRENT_KEY = "current"
SCENARIO_KEY = "scenario"  # a copy of the current content (written by _put only)
PREVIOUS_KEY = "current_before_edit"  # (Current before the last control move, content hash after it)
LINK_DONE_KEY = "link_applied"  # the link of this browser session has been read
NOTICES_KEY = "link_notices"  # notices (sim.params.Text) about the link, shown once
LANG_KEY = "lang"

BUILTIN_BASELINE = ""  # the starting-scenario option for "every default" when the library has none


# ---------------------------------------------------------------- the contract


def current() -> Current:
    """The scenario on screen (the default region's natural start in a new session)."""
    got = st.session_state.get(CURRENT_KEY)
    seeded = st.session_state.get(SCENARIO_KEY)
    if isinstance(seeded, Scenario) and (got is None or seeded != got.scenario):
        # a scenario written to the content key from outside (a test seeding a session) is opened
        sid = _library_id_of(seeded)
        if sid is not None:
            got = Current.of_start(seeded, sid)
        else:
            got = got if got is not None and got.start.region == seeded.region else _fresh(seeded.region)
            got = got.edit(seeded)
        _put(got)
        return got
    if got is None:
        got = _fresh(DEFAULT_PROFILE)
        _put(got)
    return got


def _fresh(region: str) -> Current:
    sid, s = default_start(region)
    return Current.of_start(s, sid)


def _put(c: Current) -> None:
    st.session_state[CURRENT_KEY] = c
    st.session_state[SCENARIO_KEY] = c.scenario  # the content alone, for readers that need no more


def current_scenario() -> Scenario:
    """The content the controls describe."""
    return current().scenario


def shown_scenario() -> Scenario:
    """The current content under its truthful name (see :func:`sim.views.current.label`)."""
    return current().named()


def label(lang: str) -> str:
    """The current scenario's one name in ``lang``."""
    return current().label(lang)


def edit(s: Scenario) -> None:
    """The controls changed the content: store it (the start is kept), remember the state before."""
    before = current()
    st.session_state[PREVIOUS_KEY] = (before, s.content_hash())
    _put(before.edit(s))


def last_move() -> Scenario | None:
    """The content before the last control move, while the content is still the one that move gave."""
    got = st.session_state.get(PREVIOUS_KEY)
    if not got or got[1] != current_scenario().content_hash():
        return None
    return got[0].scenario


def undo_edit() -> None:
    """Take back the last control move (the model refused its result)."""
    got = st.session_state.pop(PREVIOUS_KEY, None)
    if got is not None:
        _put(got[0])


def set_scenario(s: Scenario, start_id: str | None = None, via: str | None = None) -> None:
    """Put ``s`` on screen.

    Args:
        s: the scenario to show.
        start_id: the library id of ``s`` when it was opened from the library (it becomes the start).
        via: how it was made otherwise (``sim.views.current.VIA_GOAL_SEEK`` …): the label says so, and
            the start stays (same region) so the reset buttons still return to it.
    """
    if start_id is None and via is None:
        start_id = _library_id_of(s)
    if start_id is not None:
        _put(Current.of_start(s, start_id))
        return
    cur = current()
    if cur.start.region != s.region:
        cur = _fresh(s.region)
    _put(cur.applied(s, via) if via else cur.edit(s))


def open_start(start_id: str | None, s: Scenario) -> None:
    """Start from ``s`` (the starting-scenario selector, a region change)."""
    _put(Current.of_start(s, start_id or None))


def mark_saved(sid: str) -> None:
    """The current content was saved as library scenario ``sid``: it becomes the start, named as saved."""
    saved = find_scenario(sid)
    if saved is not None:
        _put(Current.of_start(saved, sid))


def saved_as() -> tuple[str, Scenario] | None:
    """(id, scenario) of a library scenario holding exactly the current content, if any."""
    cur = current()
    if cur.saved:
        return cur.start_id, cur.start  # type: ignore[return-value]
    for sid, lib in library(cur.scenario.region).items():
        if same_content(lib, cur.scenario):
            return sid, lib
    return None


def baseline_scenario() -> Scenario:
    """The baseline (every default of the profile) of the current region."""
    return baseline(current_scenario().region)


def starting_scenario() -> tuple[str | None, Scenario]:
    """(library id or None, scenario) the current settings started from."""
    c = current()
    return c.start_id, c.start


def is_modified() -> bool:
    """The current settings differ from the starting scenario."""
    return current().edited


# ---------------------------------------------------------------- library


def library(region: str) -> dict[str, Scenario]:
    """Readable library scenarios of a region, by id (presets first, then newest first)."""
    try:
        everything = store.readable()  # one read of the library (one query on PostgreSQL)
    except (InputError, OSError):  # a folder gone, a database down: the page still works without it
        return {}
    return {sid: s for sid, s in everything.items() if s.region == region}


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
    sid, start = (decoded.start_id, start) if start is not None else default_start(decoded.region)
    cur = Current.of_start(start, sid)
    _put(cur.applied(decoded.scenario, VIA_LINK) if not same_content(decoded.scenario, start) else cur)
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
    c = current()
    return links.encode(c.scenario, lang, c.start_id, c.start)


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
    "current",
    "current_scenario",
    "default_start",
    "edit",
    "find_scenario",
    "init_language_from_link",
    "is_modified",
    "label",
    "last_move",
    "library",
    "link_notices",
    "link_params",
    "mark_saved",
    "open_start",
    "regions",
    "saved_as",
    "set_scenario",
    "shown_scenario",
    "start_options",
    "starting_scenario",
    "undo_edit",
]
