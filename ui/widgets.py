"""Widgets built from the parameter schema, and how their values map onto a scenario.

The scenario in the session is the single source of truth. Before each widget is drawn its value is
set from the scenario (:func:`widget_values`); a widget's callback writes the new value back into the
scenario (:func:`apply_control`). Both directions are plain functions of (scenario, values), tested
without a browser: the wiring from widgets to model arguments is where apps go wrong.

How a widget maps onto a parameter (``Control.mode``):

- ``anchored``: values for 2026, 2030 and 2045; the scenario's path is
  ``{base_year: the profile's base-year value, 2026: a, 2030: b, 2045: c}`` (years not after the base
  year are left out, so a profile with base year 2025 gets ``{2025: base, 2026: a, ...}``).
- ``points``: enterprise R&D. The slider sets one breakpoint of the path and keeps the others; the
  engine interpolates from the calibrated base-year value. With no 2045 value the 2030 level holds.
- ``flat``: one value for every projected year (a plain number).
- ``scalar`` / ``choice``: one value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import streamlit as st

from sim import engine, links
from sim.errors import InputError
from sim.params import Parameter, schema
from sim.paths import evaluate
from sim.profiles import Profile
from sim.scenario import Scenario, Value
from sim.views import fmt

PATH_YEARS = (2026, 2030, 2045)
ERROR_KEY = "widget_error"  # a change the model refused (message shown once on the page)
ADVANCED_KEY = "w_advanced"

TAGS = {
    "official": ("chính thức", "official"),
    "preliminary": ("sơ bộ", "preliminary"),
    "plan": ("kế hoạch", "plan"),
    "derived": ("tính toán", "derived"),
    "assumption": ("giả định", "assumption"),
}


@dataclass(frozen=True)
class Control:
    """How one parameter is shown.

    Attributes:
        pid: parameter id.
        mode: 'anchored', 'points', 'flat', 'scalar' or 'choice' (see the module docstring).
        years: the years with a slider (anchored / points).
        simple_years: the years shown in the simple view (None: the control is advanced-only).
    """

    pid: str
    mode: str
    years: tuple[int, ...] = ()
    simple_years: tuple[int, ...] | None = None

    @property
    def param(self) -> Parameter:
        return schema()[self.pid]

    def key(self, year: int | None = None) -> str:
        """The widget key, e.g. ``w_stid_budget_share_2030`` (stable: tests and other pages use it)."""
        return f"w_{self.pid}_{year}" if year is not None else f"w_{self.pid}"

    def shown_years(self, profile: Profile, advanced: bool) -> tuple[int, ...]:
        years = self.years if advanced or self.simple_years is None else self.simple_years
        return tuple(y for y in years if profile.base_year < y <= profile.horizon)

    def keys(self, profile: Profile) -> list[str]:
        if self.mode in ("anchored", "points"):
            return [self.key(y) for y in self.shown_years(profile, True)]
        return [self.key()]


LEVER_CONTROLS = (
    Control("stid_budget_share", "anchored", PATH_YEARS, PATH_YEARS),
    Control("rd_share_of_stid", "flat", simple_years=()),
    Control("enterprise_rd_intensity", "points", (2030, 2045), (2030,)),
    Control("rule_mode", "choice", simple_years=()),
    Control("central_floor_share", "flat"),
)


def _assumption_controls() -> tuple[Control, ...]:
    out = []
    for p in schema().values():
        if p.kind != "assumption":
            continue
        out.append(Control(p.id, "anchored", PATH_YEARS, PATH_YEARS) if p.path else Control(p.id, "scalar", (), ()))
    return tuple(out)


ASSUMPTION_CONTROLS = _assumption_controls()
ALL_CONTROLS = LEVER_CONTROLS + ASSUMPTION_CONTROLS


def control(pid: str) -> Control:
    return next(c for c in ALL_CONTROLS if c.pid == pid)


# ---------------------------------------------------------------- scenario -> widget values


def decimals(p: Parameter) -> int:
    """Decimals a value of ``p`` is shown and stored with (from its step: 0.1 -> 1, 0.05 -> 2)."""
    if p.step is None or p.integer:
        return 0
    return max(0, -math.floor(math.log10(p.step) + 1e-9)) if p.step < 1 else 0


def _on_step(p: Parameter, x: float) -> float | int:
    if p.integer:
        return round(x)
    return round(float(x), decimals(p))


def _enterprise_path(v: Value | None, profile: Profile, e0: float) -> dict[int, float]:
    """Breakpoints of the enterprise R&D path with its calibrated base-year anchor (UI units)."""
    if v is None:
        return {profile.base_year: e0}
    # a plain number holds from the first projected year
    pts = {int(y): float(x) for y, x in v.items()} if isinstance(v, dict) else {profile.base_year + 1: float(v)}
    if min(pts) > profile.base_year:
        pts = {profile.base_year: e0, **pts}
    return pts


def widget_values(scenario: Scenario, profile: Profile, e0: float) -> dict[str, float | int | str]:
    """The value each widget shows for a scenario, by widget key.

    Args:
        scenario: the current scenario.
        profile: its region profile.
        e0: the calibrated base-year enterprise R&D, % of GRDP (shown while the lever is unset).
    """
    out: dict[str, float | int | str] = {}
    for c in ALL_CONTROLS:
        p = c.param
        v = scenario.value(c.pid)
        if c.mode == "choice":
            out[c.key()] = str(v)
        elif c.mode == "points":
            pts = _enterprise_path(v, profile, e0)
            for y in c.shown_years(profile, True):
                out[c.key(y)] = _on_step(p, float(evaluate(pts, [y])[0]))
        elif c.mode == "anchored":
            for y in c.shown_years(profile, True):
                out[c.key(y)] = _on_step(p, float(evaluate(v, [y])[0]))  # type: ignore[arg-type]
        elif c.mode == "flat":
            ref = PATH_YEARS[1] if PATH_YEARS[1] <= profile.horizon else profile.horizon
            out[c.key()] = _on_step(p, float(evaluate(v, [ref])[0]))  # type: ignore[arg-type]
        else:
            out[c.key()] = _on_step(p, float(v))  # type: ignore[arg-type]
    return out


# ---------------------------------------------------------------- widget values -> scenario


def _same(a: Value | None, b: Value | None, profile: Profile) -> bool:
    """Two values of a parameter give the same inputs in every projected year."""
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    years = np.arange(profile.base_year + 1, profile.horizon + 1)
    return bool(np.allclose(evaluate(a, years), evaluate(b, years), rtol=0, atol=1e-12))


def apply_control(
    scenario: Scenario,
    start: Scenario,
    profile: Profile,
    c: Control,
    values: Mapping[int | None, float | int | str],
    e0: float,
) -> Scenario:
    """The scenario after a control's widgets took ``values`` (year -> value, or None -> value).

    A value that gives the same inputs as the starting scenario's is stored as the starting
    scenario's (so moving a slider away and back restores it exactly, same content hash).
    """
    p = c.param
    current = scenario.value(c.pid)
    new: Value
    if c.mode == "choice":
        new = str(values[None])
    elif c.mode in ("scalar", "flat"):
        new = _on_step(p, float(values[None]))  # type: ignore[arg-type]
    elif c.mode == "points":
        if current is None:
            pts: dict[int, float] = {}
        elif isinstance(current, dict):
            pts = {int(y): float(x) for y, x in current.items()}
        else:
            pts = {profile.base_year + 1: float(current)}  # type: ignore[arg-type]
        for y, x in values.items():
            pts[int(y)] = float(_on_step(p, float(x)))  # type: ignore[arg-type]
        new = dict(sorted(pts.items()))
    else:  # anchored
        base_value = float(evaluate(profile.default(c.pid), [profile.base_year])[0])  # type: ignore[arg-type]
        shown = {y: float(evaluate(current, [y])[0]) for y in c.shown_years(profile, True)}  # type: ignore[arg-type]
        shown = {y: float(_on_step(p, x)) for y, x in shown.items()}
        shown.update({int(y): float(_on_step(p, float(x))) for y, x in values.items()})  # type: ignore[arg-type]
        new = {profile.base_year: _on_step(p, base_value), **shown}
    start_value = start.changes.get(c.pid)
    if c.pid in start.changes and _same(new, start_value, profile):
        new = start_value  # type: ignore[assignment]
    elif c.pid not in start.changes and c.mode != "points" and _same(new, profile.default(c.pid), profile):
        return links.derive(start, {k: v for k, v in scenario.with_changes(**{c.pid: None}).changes.items()})
    return links.derive(start, scenario.with_changes(**{c.pid: new}).changes)


def reset(scenario: Scenario, start: Scenario, kind: str) -> Scenario:
    """Levers (``kind='lever'``) or assumptions back to the starting scenario's, the others kept."""
    lever = kind == "lever"
    changes = {**start.levers, **scenario.assumptions} if lever else {**scenario.levers, **start.assumptions}
    return links.derive(start, changes)


def check(scenario: Scenario) -> str | None:
    """Why the model refuses the scenario (None when it runs)."""
    try:
        engine.run(scenario)
    except InputError as exc:
        return exc.message
    return None


# ---------------------------------------------------------------- drawing


def _fmt_num(x: float, p: Parameter, lang: str) -> str:
    return fmt.number(x, lang, decimals(p))


def help_text(p: Parameter, profile: Profile, lang: str, extra: str = "") -> str:
    """Help under the (?) of a control: what it is, its range and unit, its source."""
    tag, source = profile.default_source(p.id, lang)
    tag_words = TAGS.get(tag, (tag, tag))[0 if lang == "vi" else 1]
    if p.is_choice:
        rng = " | ".join(p.choices or ())
    else:
        assert p.min is not None and p.max is not None
        rng = f"{_fmt_num(p.min, p, lang)} – {_fmt_num(p.max, p, lang)} {p.unit(lang)}"
    lines = [
        p.help(lang),
        f"**{'Khoảng' if lang == 'vi' else 'Range'}:** {rng}",
        f"**{'Nguồn' if lang == 'vi' else 'Source'}** ({tag_words}): {source}",
    ]
    if extra:
        lines.append(extra)
    return "\n\n".join(lines)


def _format(p: Parameter) -> str:
    return "%d" if p.integer else f"%.{decimals(p)}f"


def _bounds(p: Parameter) -> tuple[float | int, float | int, float | int]:
    assert p.min is not None and p.max is not None and p.step is not None
    if p.integer:
        return int(p.min), int(p.max), int(p.step)
    return float(p.min), float(p.max), float(p.step)


RULE_NAMES = {
    "report": ("Chỉ báo vi phạm", "Flag breaches"),
    "cap_public": ("Giới hạn R&D công", "Cap public R&D"),
}


def sync(scenario: Scenario, profile: Profile, e0: float) -> None:
    """Set every widget's state from the scenario before the widgets are drawn."""
    for key, v in widget_values(scenario, profile, e0).items():
        if st.session_state.get(key) != v:
            st.session_state[key] = v


def _callback(
    c: Control,
    year: int | None,
    profile: Profile,
    get: Callable[[], tuple[Scenario, Scenario, float]],
    put: Callable[[Scenario], None],
) -> Callable[[], None]:
    """The on_change of one widget: only the value that moved is written (the others follow the scenario)."""

    def on_change() -> None:
        scenario, start, e0 = get()
        candidate = apply_control(scenario, start, profile, c, {year: st.session_state[c.key(year)]}, e0)
        problem = check(candidate)
        if problem is not None:
            st.session_state[ERROR_KEY] = (c.pid, problem)
            return  # keep the scenario: the next sync puts the widget back
        put(candidate)

    return on_change


def draw_control(
    c: Control,
    profile: Profile,
    lang: str,
    advanced: bool,
    on_change: Callable[[int | None], Callable[[], None]],
    e0: float,
) -> None:
    """Draw one control (its widgets read their values from session state, set by :func:`sync`)."""
    p = c.param
    unit = p.unit(lang)
    if c.mode == "choice":
        st.radio(
            f"{p.label(lang)}",
            options=list(p.choices or ()),
            format_func=lambda v: RULE_NAMES.get(v, (v, v))[0 if lang == "vi" else 1],
            key=c.key(),
            help=help_text(p, profile, lang),
            on_change=on_change(None),
            horizontal=True,
        )
        return
    lo, hi, step = _bounds(p)
    if c.mode in ("anchored", "points"):
        extra = ""
        if c.mode == "points":
            base = _fmt_num(e0, p, lang)
            extra = (
                f"Năm gốc {profile.base_year} (hiệu chỉnh): {base} {unit}. Không đặt năm 2045 thì giữ mức năm 2030."
                if lang == "vi"
                else f"Base year {profile.base_year} (calibrated): {base} {unit}. "
                "Without a 2045 value the 2030 level holds."
            )
        st.markdown(f"**{p.label(lang)}** · {unit}", help=help_text(p, profile, lang, extra))
        for y in c.shown_years(profile, advanced):
            st.slider(
                f"{'Năm' if lang == 'vi' else 'Year'} {y}",
                min_value=lo,
                max_value=hi,
                step=step,
                format=_format(p),
                key=c.key(y),
                on_change=on_change(y),
            )
        return
    st.slider(
        f"{p.label(lang)} ({unit})",
        min_value=lo,
        max_value=hi,
        step=step,
        format=_format(p),
        key=c.key(),
        on_change=on_change(None),
        help=help_text(p, profile, lang),
    )


def draw_controls(
    controls: tuple[Control, ...],
    profile: Profile,
    lang: str,
    advanced: bool,
    get: Callable[[], tuple[Scenario, Scenario, float]],
    put: Callable[[Scenario], None],
    e0: float,
) -> None:
    """Draw the controls visible in this view (simple: only those with ``simple_years``)."""
    for c in controls:
        if not advanced and c.simple_years is None:
            continue
        draw_control(c, profile, lang, advanced, lambda y, c=c: _callback(c, y, profile, get, put), e0)
