"""Many engine runs in one call: a scenario's inputs repeated over draws, some of them changed per draw.

Every decision-analysis tool works the same way: build the scenario's inputs once
(:func:`sim.engine.build_inputs`), repeat them over as many draws as there are cases (candidate lever
values, random draws of the assumptions, low/high cases, coalitions of inputs), overwrite the inputs
that differ between the cases with per-draw arrays **in model units**, and call
:func:`sim.engine.project` once. The functions here do the repeating and overwriting, so that each tool
only says *which* values each case gets.

Conventions shared by all tools (stated here once):

- The base year is history: a change (a lever value, an uncertainty shift) applies from the year after the
  base year; the base-year column always keeps the profile's value.
- Shifts are in the parameter's UI unit (percent for shares and rates) and the result is clipped to the
  parameter's allowed range; integer parameters (the R&D lag) are rounded to whole years. A shift of an
  assumption's path ramps in linearly from zero in the base year to its full size in 2030 (uncertainty about
  the world grows from known history; no step after the base year); a lever's shift is a decision and holds
  in full from the year after the base year.
- Enterprise R&D is a path that starts from the *calibrated* base-year value (docs/model.md, calibration), which depends
  on the crowding-in λ. Where λ differs between draws, the path is built per draw from that draw's own
  calibrated value (:func:`calibrated_enterprise_rd` gives it).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..engine import Inputs, Result, build_inputs, project
from ..params import schema
from ..paths import weights
from ..profiles import Profile
from ..scenario import Scenario

ENTERPRISE = "enterprise_rd_intensity"
RULE = "rule_mode"
SHIFT_FULL_YEAR = 2030  # an assumption's shift reaches its full size in the first milestone year


def shift_weights(years: np.ndarray) -> np.ndarray:
    """How much of an assumption's shift applies in each year: 0 in the base year, rising linearly to 1 in
    2030 (or in the year after the base year for a base year from 2029 on), 1 after."""
    t0 = int(years[0])
    full = max(SHIFT_FULL_YEAR, t0 + 1)
    return np.clip((np.asarray(years, dtype=float) - t0) / (full - t0), 0.0, 1.0)


def scenario_inputs(scenario: Scenario, profile: Profile | None = None) -> Inputs:
    """The scenario's engine inputs for one draw (the template every batch repeats)."""
    return build_inputs(profile or scenario.profile, scenario, draws=1)


def repeat(inp: Inputs, draws: int) -> Inputs:
    """A copy of a one-draw input set with ``draws`` identical, writable draws."""
    e_values = None
    if inp.e_values is not None:
        ev = np.atleast_2d(inp.e_values)
        e_values = np.repeat(ev[:1], draws, axis=0)
    return replace(
        inp,
        paths={k: np.repeat(v[:1], draws, axis=0) for k, v in inp.paths.items()},
        scalars={k: np.repeat(v[:1], draws) for k, v in inp.scalars.items()},
        e_years=None if inp.e_years is None else inp.e_years.copy(),
        e_values=e_values,
    )


def calibrated_enterprise_rd(inp: Inputs) -> np.ndarray:
    """Each draw's calibrated base-year enterprise R&D e0 (model units, clipped at 0), shape (draws,).

    Runs the engine once; e0 depends only on base-year values and λ, not on any later path.
    """
    return project(inp, strict=False).calibrated_enterprise_rd  # type: ignore[return-value]


def enterprise_rows(inp: Inputs, e0: np.ndarray | float) -> np.ndarray:
    """The enterprise R&D path over every year (model units), per draw, given each draw's e0.

    The path is the one ``inp`` describes (the scenario's breakpoints, or flat at e0 when the scenario
    leaves it at the calibrated value); its base-year anchor is ``e0``.
    """
    e0 = np.asarray(e0, dtype=float)
    D, T = max(inp.draws, e0.size), len(inp.years)
    e0 = np.broadcast_to(e0, (D,))
    if inp.e_years is None:
        rows = np.repeat(e0[:, None], T, axis=1)
    else:
        vals = np.broadcast_to(inp.e_values, (D, len(inp.e_years))).copy()
        nan = np.isnan(vals)
        vals[nan] = np.broadcast_to(e0[:, None], vals.shape)[nan]
        rows = vals @ weights(inp.e_years, inp.years)
    rows[:, 0] = e0
    return rows


def set_enterprise_rows(inp: Inputs, rows: np.ndarray) -> None:
    """Make ``inp`` use the given enterprise R&D path per draw (model units, (draws, years)).

    The base-year column is left to the engine's own calibration.
    """
    vals = np.array(rows, dtype=float, copy=True)
    vals[:, 0] = np.nan
    inp.e_years = inp.years.astype(float)
    inp.e_values = vals


def model_range(pid: str) -> tuple[float, float]:
    """A parameter's allowed range in model units."""
    p = schema()[pid]
    assert p.min is not None and p.max is not None
    return p.min * p.scale, p.max * p.scale


def shift(inp: Inputs, pid: str, delta_ui: np.ndarray, e0: np.ndarray | None = None) -> None:
    """Add a per-draw shift (UI units) to a parameter after the base year, in place.

    A lever's path takes the whole shift from the year after the base year; an assumption's path takes it in a
    straight line from zero in the base year to the full shift in 2030 (:func:`shift_weights`). The result is
    clipped to the parameter's range; an integer parameter is rounded to whole units. Shifting enterprise R&D
    needs each draw's calibrated base-year value ``e0``.
    """
    p = schema()[pid]
    d = np.asarray(delta_ui, dtype=float) * p.scale
    lo, hi = model_range(pid)
    if pid == ENTERPRISE:
        if e0 is None:
            raise ValueError("shifting enterprise R&D needs the calibrated base-year values e0")
        rows = enterprise_rows(inp, e0)
        rows[:, 1:] = np.clip(rows[:, 1:] + d[:, None], lo, hi)
        set_enterprise_rows(inp, rows)
    elif pid in inp.paths:
        arr = inp.paths[pid]
        w = shift_weights(inp.years)[1:] if p.kind == "assumption" else 1.0
        arr[:, 1:] = np.clip(arr[:, 1:] + d[:, None] * w, lo, hi)
    else:
        v = inp.scalars[pid] + d
        if p.integer:
            v = np.rint(v)
        inp.scalars[pid] = np.clip(v, lo, hi)


def apply_shifts(inp: Inputs, shifts: dict[str, np.ndarray]) -> None:
    """Apply per-draw shifts (UI units, see :func:`shift`) to several parameters, in place.

    Enterprise R&D goes last: its path starts from each draw's calibrated base-year value, which depends
    on the (possibly shifted) crowding-in, so that value is computed first with one extra engine call.
    """
    for pid, delta in shifts.items():
        if pid != ENTERPRISE:
            shift(inp, pid, delta)
    if ENTERPRISE in shifts:
        shift(inp, ENTERPRISE, shifts[ENTERPRISE], calibrated_enterprise_rd(inp))


def lever_rows(
    inp: Inputs, pid: str, values_ui: np.ndarray, ramp_year: int | None = None, e0: float | None = None
) -> np.ndarray:
    """Paths (model units, (len(values), years)) that set a lever to each value from the year after the base
    year (flat), or along a straight line from the base-year value to the value in ``ramp_year`` (then flat).
    """
    years = inp.years
    T0 = int(years[0])
    v = np.asarray(values_ui, dtype=float) * schema()[pid].scale
    base = float(e0 if pid == ENTERPRISE else inp.paths[pid][0, 0])
    end = T0 + 1 if ramp_year is None else int(ramp_year)
    w = np.clip((years - T0) / (end - T0), 0.0, 1.0)  # 0 in the base year, 1 from `end` on
    return base * (1.0 - w)[None, :] + v[:, None] * w[None, :]


def set_lever_rows(inp: Inputs, pid: str, rows: np.ndarray) -> None:
    """Overwrite a lever's path per draw (model units)."""
    if pid == ENTERPRISE:
        set_enterprise_rows(inp, rows)
    else:
        base = inp.paths[pid][:, :1].copy()
        inp.paths[pid] = np.array(rows, dtype=float, copy=True)
        inp.paths[pid][:, :1] = base


def run_batch(inp: Inputs) -> Result:
    """Project every draw at once; a draw whose calibration comes out negative is clipped and flagged."""
    return project(inp, strict=False)


def take(inp: Inputs, rows: np.ndarray) -> Inputs:
    """The draws ``rows`` of a batch (to run groups that need different switches, e.g. the rule mode)."""
    return replace(
        inp,
        paths={k: v[rows] for k, v in inp.paths.items()},
        scalars={k: v[rows] for k, v in inp.scalars.items()},
        e_values=None if inp.e_values is None or np.ndim(inp.e_values) == 1 else inp.e_values[rows],
    )
