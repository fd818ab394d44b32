"""Controls built from the parameter schema, and how they edit the current scenario.

The current scenario is the single source of truth. Before the controls are drawn their values are set
from it (:func:`widget_values`); a control's callback edits the scenario and nothing else
(:func:`set_breakpoint`, :func:`set_value`, :func:`add_year`, :func:`remove_year`). Both directions are
plain functions of (scenario, values), tested without a browser.

A path parameter is shown as its breakpoints, every one the model uses (the path editor): one slider a
breakpoint year, a button to remove a year and a box to add one; the base year is history and shown as
a caption. A plain number is the one breakpoint "from the year after the base year"; the enterprise R&D
lever left unset is the calibrated base-year value and has no breakpoint until a year is added.
A slider move changes its breakpoint only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from sim import engine
from sim.params import Kind, Parameter, schema, slider_specs
from sim.paths import evaluate
from sim.profiles import TAG_WORDS, Profile
from sim.scenario import Scenario
from sim.views.i18n import gettext
from sim.views.live import breakpoints, path_value, set_breakpoint, value_text
from sim.views.live import decimals as decimals  # re-exported: the path editor's rules live there
from sim.views.live import on_step as _on_step
from sim.views.live import with_value as _with
from ui.i18n import _

ERROR_KEY = "widget_error"  # a change the model refused (message shown once on the page)
ADVANCED_KEY = "w_advanced"
ENTERPRISE = "enterprise_rd_intensity"
CROWDING_IN = "rd_crowding_in"


@dataclass(frozen=True)
class Control:
    """How one parameter is shown.

    Attributes:
        pid: parameter id.
        mode: 'path' (the path editor), 'scalar' (one slider) or 'choice'.
        simple: shown in the simple view (else only in the advanced view).
    """

    pid: str
    mode: str
    simple: bool = True

    @property
    def param(self) -> Parameter:
        return schema()[self.pid]

    def key(self, year: int | None = None) -> str:
        """The slider key, e.g. ``w_stid_budget_share_2030`` (stable: tests and other pages use it)."""
        return f"w_{self.pid}_{year}" if year is not None else f"w_{self.pid}"


def controls(kind: Kind) -> tuple[Control, ...]:
    """The controls of one panel ('lever' or 'assumption'), as the parameter schema lays them out."""
    # every path is edited by its breakpoints (the path editor), whatever years the schema suggests
    return tuple(
        Control(s.pid, s.mode if s.mode in ("scalar", "choice") else "path", simple=s.simple)
        for s in slider_specs(kind)
    )


LEVER_CONTROLS = controls("lever")
ASSUMPTION_CONTROLS = controls("assumption")
ALL_CONTROLS = LEVER_CONTROLS + ASSUMPTION_CONTROLS
# The levers' choices stay in view; their numbers move on the page (the live levers) and their paths,
# year by year, in a box opened on demand.
LEVER_CHOICES = tuple(c for c in LEVER_CONTROLS if c.mode == "choice")
LEVER_PATHS = tuple(c for c in LEVER_CONTROLS if c.mode != "choice")


def control(pid: str) -> Control:
    return next(c for c in ALL_CONTROLS if c.pid == pid)


# ---------------------------------------------------------------- paths as breakpoints


def base_value(pid: str, profile: Profile, e0: float) -> float:
    """The base-year value a path starts from (history): the profile's, or the calibrated enterprise R&D."""
    if pid == ENTERPRISE:
        return e0
    return float(evaluate(profile.default(pid), [profile.base_year])[0])  # type: ignore[arg-type]


def set_value(scenario: Scenario, start: Scenario, profile: Profile, pid: str, x: float | int | str) -> Scenario:
    """A one-value control (a scalar or a choice) moved."""
    p = schema()[pid]
    return _with(scenario, start, profile, pid, str(x) if p.is_choice else _on_step(p, float(x)))  # type: ignore[arg-type]


def add_year(scenario: Scenario, start: Scenario, profile: Profile, pid: str, year: int, e0: float) -> Scenario:
    """A new breakpoint in ``year`` at the path's value there, so the numbers do not move until a slider does.

    The value before the first breakpoint runs from the base-year value (docs/model.md v2).
    """
    pts = breakpoints(scenario.value(pid), profile)
    if year in pts or not profile.base_year < year <= profile.horizon:
        return scenario
    anchored = {profile.base_year: base_value(pid, profile, e0), **pts}
    pts[int(year)] = round(float(evaluate(anchored, [year])[0]), 10)
    return _with(scenario, start, profile, pid, path_value(pts, profile))


def remove_year(scenario: Scenario, start: Scenario, profile: Profile, pid: str, year: int) -> Scenario:
    """Drop one breakpoint; the path then runs straight between its neighbours."""
    pts = breakpoints(scenario.value(pid), profile)
    pts.pop(int(year), None)
    if not pts and pid != ENTERPRISE:
        return _with(scenario, start, profile, pid, profile.default(pid))
    return _with(scenario, start, profile, pid, path_value(pts, profile))


def widget_values(scenario: Scenario, profile: Profile) -> dict[str, float | int | str]:
    """The value each slider shows for a scenario, by widget key (breakpoints exactly as stored)."""
    out: dict[str, float | int | str] = {}
    for c in ALL_CONTROLS:
        v = scenario.value(c.pid)
        if c.mode == "choice":
            out[c.key()] = str(v)
        elif c.mode == "path":
            for y, x in breakpoints(v, profile).items():
                out[c.key(y)] = x
        else:
            out[c.key()] = int(v) if c.param.integer else float(v)  # type: ignore[arg-type]
    return out


def reset(scenario: Scenario, start: Scenario, kind: str) -> Scenario:
    """Levers (``kind='lever'``) or assumptions back to the starting scenario's, the others kept."""
    if kind == "lever":
        return replace(scenario, levers=dict(start.levers))
    return replace(scenario, assumptions=dict(start.assumptions))


# ---------------------------------------------------------------- drawing


def help_text(p: Parameter, profile: Profile, lang: str, extra: str = "") -> str:
    """Help under the (?) of a control: what it is, its range and unit, its source."""
    tag, source = profile.default_source(p.id, lang)
    tag_words = gettext(TAG_WORDS[tag], lang) if tag in TAG_WORDS else tag
    if p.is_choice:
        rng = " | ".join(p.choice_label(c, lang) for c in p.choices or ())
    else:
        assert p.min is not None and p.max is not None
        rng = f"{value_text(p.min, p, lang)} – {value_text(p.max, p, lang)} {p.unit(lang)}"
    lines = [
        p.help(lang),
        f"**{gettext('Range', lang)}:** {rng}",
        f"**{gettext('Source', lang)}** ({tag_words}): {source}",
    ]
    if extra:
        lines.append(extra)
    return "\n\n".join(lines)


def _bounds(p: Parameter) -> tuple[float | int, float | int, float | int]:
    assert p.min is not None and p.max is not None and p.step is not None
    if p.integer:
        return int(p.min), int(p.max), int(p.step)
    return float(p.min), float(p.max), float(p.step)


# Streamlit's slider writes numbers with printf (no decimal comma): its own number is left blank and
# the value, written the language's way, is in the label.
HIDDEN_NUMBER = " "


def sync(scenario: Scenario, profile: Profile) -> None:
    """Set every control's state from the scenario before the controls are drawn."""
    for key, v in widget_values(scenario, profile).items():
        if st.session_state.get(key) != v:
            st.session_state[key] = v


Edit = Callable[[Scenario, Scenario, Profile], Scenario]  # (scenario, start, profile) -> the edited scenario
Editor = Callable[[Edit], Callable[[], None]]  # turns an edit into a widget callback


def draw_control(c: Control, scenario: Scenario, profile: Profile, lang: str, e0: float, editor: Editor) -> None:
    """Draw one control; its callbacks pass an edit (a function of the current scenario) to ``editor``."""
    p = c.param
    unit = p.unit(lang)
    if c.mode == "choice":
        st.radio(
            f"{p.label(lang)}",
            options=list(p.choices or ()),
            format_func=lambda v: p.choice_label(v, lang),
            key=c.key(),
            help=help_text(p, profile, lang),
            on_change=editor(lambda s, start, prof: set_value(s, start, prof, c.pid, st.session_state[c.key()])),
            horizontal=True,
        )
        return
    lo, hi, step = _bounds(p)
    if c.mode == "scalar":
        x = st.session_state.get(c.key(), scenario.value(c.pid))
        extra = ""
        if c.pid == CROWDING_IN:  # beyond this the base year cannot be calibrated: the slider stops there
            limit = engine.crowding_in_limit(profile)
            if limit < hi:
                hi = max(lo, math.floor(limit / step + 1e-9) * step)
                extra = _("Stops at {limit}: above it the base-year R&D of this profile cannot be calibrated.").format(
                    limit=value_text(limit, p, lang)
                )
        st.slider(
            f"{p.label(lang)}: {value_text(float(x), p, lang)} {unit}",  # type: ignore[arg-type]
            min_value=lo,
            max_value=hi,
            step=step,
            format=HIDDEN_NUMBER,
            key=c.key(),
            on_change=editor(lambda s, start, prof: set_value(s, start, prof, c.pid, st.session_state[c.key()])),
            help=help_text(p, profile, lang, extra),
        )
        return
    _draw_path(c, scenario, profile, lang, e0, editor)


def _draw_path(c: Control, scenario: Scenario, profile: Profile, lang: str, e0: float, editor: Editor) -> None:
    """The path editor: the base year (history), one slider per breakpoint, remove and add a year."""
    p = c.param
    unit = p.unit(lang)
    lo, hi, step = _bounds(p)
    pts = breakpoints(scenario.value(c.pid), profile)
    base = base_value(c.pid, profile, e0)
    with st.container(key=f"path_{c.pid}"):
        st.markdown(f"**{p.label(lang)}** · {unit}", help=help_text(p, profile, lang))
        base_words = _("Base year {year}: {value} {unit}").format(
            year=profile.base_year, value=value_text(base, p, lang), unit=unit
        )
        if c.pid == ENTERPRISE:
            base_words += " " + _("(calibrated)")
        if not pts:
            base_words += " · " + _("held in every year; add a year to set a path")
        st.caption(base_words)
        for y, x in pts.items():
            left, right = st.columns([6, 1], vertical_alignment="bottom")
            if y == profile.base_year + 1 and len(pts) == 1:
                words = _("From {year} on: {value} {unit}")
            else:
                words = _("{year}: {value} {unit}")
            left.slider(
                words.format(year=y, value=value_text(x, p, lang), unit=unit),
                min_value=lo,
                max_value=hi,
                step=step,
                format=HIDDEN_NUMBER,
                key=c.key(y),
                on_change=editor(
                    lambda s, start, prof, y=y: set_breakpoint(s, start, prof, c.pid, y, st.session_state[c.key(y)])
                ),
            )
            can_remove = len(pts) > 1 or c.pid == ENTERPRISE
            right.button(
                "",
                key=f"w_{c.pid}_del_{y}",
                icon=":material/close:",
                help=_("Remove the year {year} from the path").format(year=y),
                disabled=not can_remove,
                on_click=editor(lambda s, start, prof, y=y: remove_year(s, start, prof, c.pid, y)),
            )
        free = [y for y in range(profile.base_year + 1, profile.horizon + 1) if y not in pts]
        if free:
            left, right = st.columns([3, 2], vertical_alignment="bottom")
            year_key = f"w_{c.pid}_add_year"
            if st.session_state.get(year_key) not in free:
                st.session_state[year_key] = 2030 if 2030 in free else free[0]
            left.selectbox(_("Add a year"), free, key=year_key)
            right.button(
                _("Add"),
                key=f"w_{c.pid}_add",
                icon=":material/add:",
                on_click=editor(
                    lambda s, start, prof: add_year(s, start, prof, c.pid, int(st.session_state[year_key]), e0)
                ),
            )


def draw_controls(
    controls: tuple[Control, ...],
    scenario: Scenario,
    profile: Profile,
    lang: str,
    advanced: bool,
    e0: float,
    editor: Editor,
) -> None:
    """Draw the controls visible in this view (simple: only those marked ``simple``)."""
    for c in controls:
        if advanced or c.simple:
            draw_control(c, scenario, profile, lang, e0, editor)
