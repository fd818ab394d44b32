"""The live levers on the Simulate page: a Streamlit v2 component (no iframe) fed the engine's sweeps.

The browser code and style are :mod:`sim.views.live`'s (shared with the offline meeting pack); this module
mounts them, computes each lever's sweep once per content (cached across sessions: the same inputs give
the same numbers) and turns a slider's release into an edit of the current scenario.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from sim.engine import Result
from sim.params import schema
from sim.profiles import Profile
from sim.scenario import Scenario
from sim.views import live

KEY = "w_live"
# One view like En-ROADS (KPI cards, levers and the two main charts without scrolling at 1280×720): less
# space above the title and a smaller title on this page.
PAGE_CSS = (
    "<style>[data-testid='stMainBlockContainer']{padding-top:3.4rem}"
    "[data-testid='stMainBlockContainer'] h1{font-size:1.6rem;padding:0}</style>"
)

_component = st.components.v2.component(
    "nq57.live_levers",
    css=live.style(),
    js=live.script()
    + """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data) return;
  const payload = JSON.parse(new TextDecoder().decode(data));
  nqLive(parentElement, payload, (message) => setTriggerValue("release", message), document);
}
""",
)


def _held(scenario: Scenario, lever: live.LiveLever) -> str:
    """The scenario's content without the lever's moving breakpoint: what its sweep depends on."""
    changes = dict(scenario.changes)
    v = changes.get(lever.pid)
    if isinstance(v, dict):
        changes[lever.pid] = {y: x for y, x in v.items() if int(y) != lever.year}
    elif v is not None:
        changes[lever.pid] = "moved"
    return json.dumps({"r": scenario.region, **changes}, sort_keys=True, default=str)


@st.cache_resource(max_entries=256, show_spinner=False)
def _sweep(
    held: str,
    pid: str,
    year: int,
    lang: str,
    _lever: live.LiveLever,
    _scenario: Scenario,
    _profile: Profile,
    _base: Result,
) -> live.LeverSweep:
    """One lever's steps, shared by all sessions (read-only); a release of this lever leaves its own sweep valid."""
    return live.lever_sweep(_lever, _scenario, _profile, _base, lang)


def data(scenario: Scenario, result: Result, baseline: Result, profile: Profile, lang: str, advanced: bool) -> bytes:
    """The component's data for the current scenario (every live lever's steps), as UTF-8 JSON bytes.

    Bytes, not a dict or a string: Streamlit walks a dict's every list looking for data frames (about a
    second for these few hundred kB), and it checks a string against the data-frame types (importing pandas
    on a cold start) and then JSON-encodes it a second time. Bytes are sent as they are; the browser
    decodes and parses them once.
    """
    return _data(scenario.content_hash(), lang, advanced, scenario, result, baseline, profile)


@st.cache_resource(max_entries=64, show_spinner=False)
def _data(
    content: str, lang: str, advanced: bool, _scenario: Scenario, _result: Result, _base: Result, _profile: Profile
) -> bytes:
    """The payload of one scenario content, shared by all sessions (a rerun with the same content reuses it)."""
    e0 = float(_result.calibrated_enterprise_rd[0]) * 100.0  # type: ignore[index]
    sweeps = []
    for pid in live.live_pids(advanced):
        lever = live.live_lever(pid, _scenario, _profile, e0)
        cached = _sweep(_held(_scenario, lever), pid, lever.year, lang, lever, _scenario, _profile, _base)
        sweeps.append(replace(cached, lever=lever))  # the slider's own position is the current one
    return live.dumps(live.payload(sweeps, _result, _base, _profile, lang)).encode()


def release(message: object) -> tuple[str, int, float] | None:
    """A release message from the browser as (lever, breakpoint year, value), or None if it is not one.

    The browser is not trusted: the lever must be a numeric lever and the value inside its range.
    """
    if not isinstance(message, dict):
        return None
    pid, year, x = message.get("pid"), message.get("year"), message.get("x")
    if pid not in live.live_pids(True) or not isinstance(year, int) or not isinstance(x, int | float):
        return None
    p = schema()[pid]
    if p.min is None or p.max is None or not p.min <= float(x) <= p.max:
        return None
    return pid, year, float(x)


def draw(payload: bytes, on_release: Callable[[], None]) -> None:
    """Mount the live levers and charts (one element; the KPI cards above are updated from it)."""
    _component(key=KEY, data=payload, on_release_change=on_release)


def released() -> tuple[str, int, float] | None:
    """The release that triggered this run, if any (read in the callback)."""
    state = st.session_state.get(KEY)
    try:
        message = state["release"] if state is not None else None
    except (KeyError, TypeError):
        message = None
    return release(message)
