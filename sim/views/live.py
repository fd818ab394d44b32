"""Live levers: the engine's results at every step of every lever shown, the others held (framework-free).

While a planner drags a lever, the page (and the offline meeting pack) shows the KPI cards and the two
main charts at each slider step without running Python: each rerun hands the browser, for every visible
lever and every step of its slider, the engine's exact results with every other input held. One engine
call a lever computes all its steps at once (a batch of draws, as :mod:`sim.analysis.batch` does for the
decision-analysis tools); nothing of the model is written again in JavaScript.

What a live slider moves (the issue left it open):

- a lever with one number (a flat path, "from 2025 on") moves that number;
- a lever with a year-by-year path moves its **main breakpoint**: the one in 2030 (the Resolution's first
  milestone) if the path has one, else its first breakpoint after the base year; the other breakpoints
  stay. The path editor in the sidebar edits every year;
- enterprise R&D left at its calibrated base-year value gets, once moved, a value from the year after
  the base year on (a plain number), as the path editor's first breakpoint would.

The edit a release applies is :func:`set_breakpoint`, the same function the sidebar sliders use; the test
``tests/test_live.py`` checks every sweep against ``engine.run`` of that edited scenario.

The KPI texts are written in Python by the one formatter (:mod:`sim.views.fmt`, through
:class:`sim.views.scorecard.Kpi`) and sent as strings; chart lines are sent as 16-bit integers of a fixed
axis range (a pixel needs no more), in base64; the cards' texts as 16-bit positions in each lever's table of texts.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.batch import repeat
from ..engine import Result, build_inputs, path_row, project
from ..params import Parameter, schema, slider_specs
from ..paths import evaluate
from ..profiles import Profile
from ..scenario import Scenario, Value
from . import fmt
from .i18n import gettext
from .scorecard import CARD_METRICS, card_columns, status_text
from .theme import PALETTE

ENTERPRISE = "enterprise_rd_intensity"
MAIN_YEAR = 2030  # the breakpoint a live slider moves when a path has it
KPI_YEARS = (2030, 2045)
ASSETS = Path(__file__).with_name("assets")
LEVELS = 65535  # chart values are sent as uint16 fractions of the chart's fixed axis maximum


# ---------------------------------------------------------------- breakpoints (shared with the path editor)


def decimals(p: Parameter) -> int:
    """Decimals a value of ``p`` is shown and stored with (from its step: 0.1 -> 1, 0.05 -> 2)."""
    return p.decimals


def on_step(p: Parameter, x: float) -> float | int:
    """A slider's value without the browser's float noise (0.30000000000000004 -> 0.3)."""
    if p.integer:
        return round(x)
    return round(float(x), decimals(p))


def value_text(x: float, p: Parameter, lang: str) -> str:
    """A control's value in the language's format, with as many decimals as it holds (up to four)."""
    d = decimals(p)
    while d < 4 and abs(x - round(x, d)) > 1e-9:
        d += 1
    return fmt.number(x, lang, d)


def breakpoints(v: Value | None, profile: Profile) -> dict[int, float]:
    """The breakpoints the model uses for a path value (year -> value, UI units), in year order.

    A plain number holds from the year after the base year: one breakpoint there. None (enterprise R&D
    unset) has none: the calibrated base-year value holds.
    """
    if v is None:
        return {}
    if isinstance(v, dict):
        return {int(y): float(x) for y, x in sorted(v.items())}
    return {profile.base_year + 1: float(v)}  # type: ignore[arg-type]


def path_value(points: dict[int, float], profile: Profile) -> Value | None:
    """The scenario value for a set of breakpoints (the inverse of :func:`breakpoints`)."""
    if not points:
        return None
    if list(points) == [profile.base_year + 1]:
        return points[profile.base_year + 1]
    return dict(sorted(points.items()))


def with_value(scenario: Scenario, start: Scenario, profile: Profile, pid: str, new: Value | None) -> Scenario:
    """The scenario with ``pid`` set to ``new``, stored the way the start or the defaults store it.

    Breakpoints equal to the start's are stored as the start's value and breakpoints equal to the
    profile's default remove the change, so moving a slider away and back restores the content exactly.
    """
    p = schema()[pid]
    if p.path and not isinstance(new, str):
        pts = breakpoints(new, profile)
        if pid in start.changes and pts == breakpoints(start.changes[pid], profile):
            return scenario.with_changes(**{pid: start.changes[pid]})
        if pts == breakpoints(profile.default(pid), profile):
            return scenario.with_changes(**{pid: None})
        return scenario.with_changes(**{pid: path_value(pts, profile)})
    if pid not in start.changes and new == profile.default(pid):
        return scenario.with_changes(**{pid: None})
    return scenario.with_changes(**{pid: new})


def set_breakpoint(scenario: Scenario, start: Scenario, profile: Profile, pid: str, year: int, x: float) -> Scenario:
    """A breakpoint's slider moved: that breakpoint takes ``x`` (rounded to the step), the others stay."""
    p = schema()[pid]
    pts = breakpoints(scenario.value(pid), profile)
    pts[int(year)] = float(on_step(p, x))
    return with_value(scenario, start, profile, pid, path_value(pts, profile))


# ---------------------------------------------------------------- which levers, which steps


@dataclass(frozen=True)
class LiveLever:
    """One live slider: a lever's main breakpoint and the values its slider can take.

    Attributes:
        pid: the lever's parameter id.
        year: the breakpoint year the slider moves.
        value: the current value there (UI units; for unset enterprise R&D the calibrated base-year value).
        grid: every value of the slider, from the parameter's minimum to its maximum by its step.
        flat: the lever is one number from the year after the base year (no other breakpoint).
    """

    pid: str
    year: int
    value: float
    grid: tuple[float, ...]
    flat: bool = True

    @property
    def param(self) -> Parameter:
        return schema()[self.pid]


def live_pids(advanced: bool) -> tuple[str, ...]:
    """The numeric levers of the view (the simple view's, or all of them in the advanced view)."""
    return tuple(s.pid for s in slider_specs("lever") if s.mode != "choice" and (advanced or s.simple))


def main_year(pid: str, scenario: Scenario, profile: Profile) -> int:
    """The breakpoint year a live slider moves (see the module's docstring)."""
    after = [y for y in breakpoints(scenario.value(pid), profile) if y > profile.base_year]
    if not after:
        return profile.base_year + 1
    return MAIN_YEAR if MAIN_YEAR in after else after[0]


def grid(p: Parameter) -> tuple[float, ...]:
    """Every value a slider of ``p`` can take, as the slider writes it (rounded to the step's decimals)."""
    assert p.min is not None and p.max is not None and p.step is not None
    n = round((p.max - p.min) / p.step) + 1
    return tuple(float(on_step(p, p.min + i * p.step)) for i in range(n))


def live_lever(pid: str, scenario: Scenario, profile: Profile, e0: float) -> LiveLever:
    """The live slider of ``pid`` for the scenario (``e0``: calibrated base-year enterprise R&D, % of GRDP)."""
    year = main_year(pid, scenario, profile)
    pts = breakpoints(scenario.value(pid), profile)
    value = pts.get(year, e0 if pid == ENTERPRISE and not pts else float("nan"))
    flat = set(pts) <= {profile.base_year + 1}
    return LiveLever(pid, year, float(value), grid(schema()[pid]), flat)


# ---------------------------------------------------------------- the sweep


def sweep(lever: LiveLever, scenario: Scenario, profile: Profile) -> Result:
    """The engine's results with the lever's breakpoint at every value of its grid (one draw a value).

    The inputs are the scenario's (:func:`sim.engine.build_inputs`), repeated; only the lever's path differs
    between draws, built by the engine's own path rule (:func:`sim.engine.path_row`) from the breakpoints
    :func:`set_breakpoint` would store.
    """
    p = lever.param
    inp = repeat(build_inputs(profile, scenario), len(lever.grid))
    pts = breakpoints(scenario.value(lever.pid), profile)
    values = np.asarray(lever.grid, dtype=float)
    if lever.pid == ENTERPRISE:
        # Breakpoint years shared by every draw, values per draw; NaN: the calibrated base-year value.
        bp_years = sorted({*pts, lever.year})
        vals = np.array([[pts.get(y, 0.0) for y in bp_years]] * len(values), dtype=float)
        vals[:, bp_years.index(lever.year)] = values
        bx = np.array(bp_years, dtype=float)
        if bx[0] > profile.base_year:
            bx = np.concatenate([[float(profile.base_year)], bx])
            vals = np.concatenate([np.full((len(values), 1), np.nan), vals], axis=1)
        inp = replace(inp, e_years=bx, e_values=vals * p.scale)
    else:
        base = float(evaluate(profile.default(lever.pid), inp.years[:1])[0])
        rows = np.stack([path_row({**pts, lever.year: float(v)}, base, inp.years) for v in values])
        inp.paths[lever.pid] = rows * p.scale
    return project(inp, strict=False)


# ---------------------------------------------------------------- what the browser gets


class Strings:
    """A table of the texts of a payload: each text is sent once and referred to by its position."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def positions(self, texts: Sequence[str]) -> list[int]:
        """The positions of many texts (new ones added)."""
        index = self.index
        for t in dict.fromkeys(texts):  # a sweep's texts repeat: add each new one once, then look all up in C
            if t not in index:
                index[t] = len(index)
        return list(map(index.__getitem__, texts))

    def table(self) -> list[str]:
        return list(self.index)


def kpi_ids() -> list[str]:
    """The KPI cards the live levers update, as ``<metric>_<year>`` (the cards' ``data-kpi``)."""
    return [f"{mid}_{year}" for year in KPI_YEARS for mid in (*CARD_METRICS, "envelope_cost")]


def kpi_cells(result: Result, baseline: Result, profile: Profile, lang: str, strings: Strings) -> np.ndarray:
    """Every run's card texts, one row a run (cards in :func:`kpi_ids` order): per card its number, unit,
    change and unit of the change (positions in ``strings``), then met (1, 0, or -1 without a target)."""
    columns: list[list[int]] = []
    for year in KPI_YEARS:
        for card in card_columns(result, baseline, profile, year, lang):
            columns += [strings.positions(texts) for texts in card.parts]
            columns.append([-1] * len(card.parts[0]) if card.met is None else card.met.astype(int).tolist())
    return np.array(columns, dtype=np.int64).T


# The chart series the live charts draw, per run: (chart, result variable, factor to the chart's unit).
SERIES = (
    ("digital", "Digital Economy|Share of GRDP", 100.0),
    ("rd", "R&D|Public", 1.0),
    ("rd", "R&D|Non-state", 1.0),
    ("rd", "target", 1.0),  # the R&D target intensity times the run's nominal GRDP
    ("share", "R&D|Non-state Share", 100.0),
)


def series(result: Result, profile: Profile) -> np.ndarray:
    """The live charts' series of every run, shape (runs, len(SERIES), years), in the charts' units."""
    cols = []
    for _, var, factor in SERIES:
        if var == "target":
            cols.append(profile.rd_target * result["GRDP|Nominal"])
        else:
            cols.append(result[var] * factor)
    return np.stack(cols, axis=1)


def nice_max(x: float) -> tuple[float, float]:
    """An axis maximum at or above ``x`` and its tick step (1, 2 or 5 times a power of ten, 4-6 ticks)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0, 0.2
    raw = x / 5.0
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return float(np.ceil(x / step - 1e-9) * step), float(step)


def encode_cells(cells: np.ndarray) -> str:
    """Card cells (runs × cards·5; met as -1, 0, 1) as base64 of little-endian uint16, met stored plus one."""
    q = np.asarray(cells, dtype=int).copy()
    q[:, 4::5] += 1
    return base64.b64encode(q.astype("<u2").tobytes()).decode("ascii")


def _encode(values: np.ndarray, top: float) -> str:
    q = np.clip(np.rint(values / top * LEVELS), 0, LEVELS).astype("<u2")
    return base64.b64encode(q.tobytes()).decode("ascii")


def chart_frame(
    runs: Sequence[np.ndarray], current: np.ndarray, baseline: Result, profile: Profile, lang: str, years: list[int]
) -> dict[str, Any]:
    """The fixed parts of the two live charts: titles, axes (tick texts by the formatter), baseline, targets.

    The axes stay put while a slider moves (as in En-ROADS): the digital share's covers every step of every
    lever (it is bounded by the ceiling); the R&D axis covers the current run, the baseline and the target
    line with room to grow, and a bar beyond it is cut at the top.
    """
    digital_targets = [t for t in profile.targets if t.metric == "digital_share" and t.year is not None]
    top_d = max(
        [float(np.nanmax(r[:, 0])) for r in runs]
        + [float(baseline["Digital Economy|Share of GRDP"].max()) * 100]
        + [t.value for t in digital_targets]
    )
    top_r = 1.2 * max(
        float(np.nanmax(current[1] + current[2])),
        float(np.nanmax(current[3])),
        float(baseline["R&D|Total"].max()),
    )
    top_d, step_d = nice_max(top_d * 1.05)
    top_r, step_r = nice_max(top_r * 1.05)

    def ticks(top: float, step: float) -> list[list[Any]]:
        n = round(top / step)
        return [[i * step, fmt.short(i * step, lang)] for i in range(n + 1)]

    target_pct = profile.rd_target * 100
    return {
        "years": years,
        "digital": {
            "title": gettext("Digital economy share of GRDP", lang),
            "unit": gettext("% of GRDP", lang),
            "top": top_d,
            "ticks": ticks(top_d, step_d),
            "baseline": [round(float(v) * 100, 3) for v in baseline.single("Digital Economy|Share of GRDP")],
            "targets": [[t.year, t.value, f"{t.year}: ≥ {fmt.short(t.value, lang)} %"] for t in digital_targets],
        },
        "rd": {
            "title": gettext("R&D spending: public and non-state", lang),
            "unit": gettext("bn VND per year", lang),
            "top": top_r,
            "ticks": ticks(top_r, step_r),
            "baseline": [round(float(v), 1) for v in baseline.single("R&D|Total")],
            "share_unit": gettext("% of R&D non-state", lang),
            "share_ticks": [[v, fmt.short(v, lang)] for v in (0, 20, 40, 60, 80, 100)],
            "rule": gettext("60 % rule", lang),
            "target": gettext("Target {t} %", lang).format(t=fmt.short(target_pct, lang)),
        },
        "legend": {
            "scenario": gettext("This scenario", lang),
            "baseline": gettext("Baseline", lang),
            "target": gettext("Target", lang),
            "public": gettext("Public R&D", lang),
            "nonstate": gettext("Non-state R&D", lang),
            "share": gettext("% non-state", lang),
        },
        "colors": {k: PALETTE[k] for k in ("scenario", "baseline", "nonstate", "target", "met", "grid", "text")},
    }


def lever_words(lever: LiveLever, lang: str) -> str:
    """The slider's caption pattern, '{value}' to be filled: 'From 2025 on: {value} % of budget spending'."""
    words = gettext("From {year} on: {value} {unit}", lang) if lever.flat else gettext("{year}: {value} {unit}", lang)
    return words.format(year=lever.year, value="{value}", unit=lever.param.unit(lang))


@dataclass
class LeverSweep:
    """One lever's precomputed steps: what the browser needs, and the series to fix the chart axes."""

    lever: LiveLever
    texts: list[str]  # the slider's value at each step, written the language's way
    cells: np.ndarray  # KPI card texts per step (rows; positions in ``strings``, met as -1, 0, 1)
    series: np.ndarray  # (steps, len(SERIES), years)
    strings: list[str]  # this sweep's own table of texts (the cells' positions point into it)


def lever_sweep(lever: LiveLever, scenario: Scenario, profile: Profile, baseline: Result, lang: str) -> LeverSweep:
    """Everything the browser needs to show ``lever`` at each of its steps (cacheable: depends on the inputs)."""
    res = sweep(lever, scenario, profile)
    strings = Strings()
    cells = kpi_cells(res, baseline, profile, lang, strings)
    return LeverSweep(lever, list(grid_texts(lever.pid, lang)), cells, series(res, profile), strings.table())


@lru_cache(maxsize=64)
def grid_texts(pid: str, lang: str) -> tuple[str, ...]:
    """The slider's value at each step of its grid, written the language's way (the same for every scenario)."""
    p = schema()[pid]
    return tuple(value_text(v, p, lang) for v in grid(p))


def payload(
    sweeps: Sequence[LeverSweep],
    result: Result,
    baseline: Result,
    profile: Profile,
    lang: str,
    *,
    keys: Sequence[str] = (),
) -> dict[str, Any]:
    """The live component's data: the current run and every lever's steps, with one table of texts.

    Args:
        sweeps: the levers shown, in order (:func:`lever_sweep`).
        result: the current scenario's run (what the page shows when no slider is held).
        baseline: the baseline's run (the KPI changes and the charts' dashed lines).
        keys: each lever's element key (for tests and the release message), default ``live_<pid>``.
    """
    strings = Strings()
    current_cells = kpi_cells(result, baseline, profile, lang, strings)[0]
    cur_series = series(result, profile)[0]
    frame = chart_frame([s.series for s in sweeps], cur_series, baseline, profile, lang, _years(result))
    tops = np.array([frame["digital"]["top"], frame["rd"]["top"], frame["rd"]["top"], frame["rd"]["top"], 100.0])
    scale = tops[None, :, None]
    levers = []
    for i, s in enumerate(sweeps):
        p = s.lever.param
        levers.append(
            {
                "pid": s.lever.pid,
                "key": keys[i] if i < len(keys) else f"live_{s.lever.pid}",
                "year": s.lever.year,
                "label": p.label(lang),
                "words": lever_words(s.lever, lang),
                "value": None if np.isnan(s.lever.value) else s.lever.value,
                "value_text": "" if np.isnan(s.lever.value) else value_text(s.lever.value, p, lang),
                "grid": list(s.lever.grid),
                "texts": s.texts,
                "cells": encode_cells(s.cells),
                "strings": s.strings,  # the texts the cells point to
                "series": _encode(s.series / scale, 1.0),
            }
        )
    return {
        "kpis": kpi_ids(),
        "words": {
            "same": gettext("same as baseline", lang),
            "vs": gettext("vs baseline", lang),
            "met": status_text(True, lang, mark=True),
            "unmet": status_text(False, lang, mark=True),
        },
        "neutral": [i for i, k in enumerate(kpi_ids()) if k.startswith("envelope_cost")],
        "current": {"cells": encode_cells(current_cells[None]), "series": _encode(cur_series[None] / scale, 1.0)},
        "frame": frame,
        "nseries": len(SERIES),
        "levers": levers,
        "strings": strings.table(),
    }


def _years(result: Result) -> list[int]:
    return [int(y) for y in result.years]


def script() -> str:
    """The live levers' browser code (plain JavaScript, no network): defines ``nqLive(root, data, send)``."""
    return (ASSETS / "live.js").read_text(encoding="utf-8")


def style() -> str:
    """The live levers' style sheet."""
    return (ASSETS / "live.css").read_text(encoding="utf-8")


def dumps(data: dict[str, Any]) -> str:
    """The payload as compact JSON (for the offline pack)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
