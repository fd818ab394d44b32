"""Goal seek: the smallest value of one lever that meets one target.

A planner asks "how much budget do we need to reach 30 % digital economy by 2030?". The answer is the
smallest value of the chosen lever, within its allowed range, for which the target holds; the lever is
set flat from the year after the base year (default) or rises in a straight line from its base-year
value to the answer in a chosen year and stays there (a ramp). Everything else in the scenario is kept.
The lever's whole path is replaced by the flat value or the ramp. The levers it may move are those marked
``goal_seek: true`` in the parameter schema.

Method (safe where the target is not monotone in the lever):

1. Evaluate the target on an even grid of :data:`GRID_POINTS` lever values across the lever's range in
   one vectorised engine call.
2. No grid point meets the target: "unreachable", with the value reached at the top of the range (and
   the best value found, and where, if the metric peaks inside the range).
3. Otherwise take the first grid point that meets it; if it is not the bottom of the range, the answer
   lies between it and the grid point below, where the target still fails. Polish it with
   :func:`scipy.optimize.brentq` on ``metric(v) − target`` to 1e-10 of the range, and step up until the
   answer meets the target (so the answer meets it and anything a hair lower does not).
4. If the target fails again further up the grid (the metric *falls* as the lever rises), also give the
   largest value that still meets it (``met_up_to``).

Why most targets are monotone in the lever (docs/model.md §2, report mode), so the grid step is a safe net, not
a limitation:

- Envelope share s: R&D intensity r = (1+λ)·θ·s·b + e rises linearly; digital-investment intensity
  x = (1+μ)·(1−θ)·s·b rises, so the diffusion speed k rises, and each logistic step
  d + k·d·(1 − d/D) rises in both k and d while k ≤ 1 (the engine caps k at 1), so the digital share
  rises in every later year; growth rises through ρ and ψ, so GRDP and GRDP per capita rise; envelope
  ÷ floor = s/c rises. The non-state share h = (e + λP)/(e + (1+λ)P) *falls* as public R&D P rises:
  it is met from the bottom of the range up to a limit, which ``met_up_to`` reports.
- R&D share θ: R&D intensity rises; digital share falls (less DX); non-state share falls; growth mixes
  ρ·(1+λ) against ψ·(1+μ), so its direction depends on the assumptions — the grid handles either.
- Enterprise R&D e: R&D intensity and non-state share rise; growth rises; the digital share does not
  move (in ``cap_public`` mode more enterprise R&D lets more public R&D stay R&D, so DX and the digital
  share fall slightly).
- The central floor c only enters the floor target, which falls as c rises.

A met interval narrower than one grid step (range / 160) could be missed; no monotone metric has one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..engine import Inputs, project
from ..errors import InputError
from ..params import schema, seek_levers
from ..paths import evaluate as evaluate_path
from ..profiles import Profile, Target
from ..scenario import Scenario, Value
from ..targets import evaluate
from .batch import ENTERPRISE, calibrated_enterprise_rd, lever_rows, repeat, run_batch, scenario_inputs, set_lever_rows

GRID_POINTS = 161
XTOL = 1e-10  # relative to the lever's range


@dataclass(frozen=True)
class SeekResult:
    """The answer of a goal seek (lever values in the lever's UI unit, metric in the target's unit).

    Attributes:
        reachable: some value within the range meets the target.
        value: the smallest value that meets it (None if unreachable).
        slider_value: ``value`` rounded up to the lever's slider step, if that still meets the target
            (else ``value``): what "apply" sets.
        reached: the metric at ``value``, or at the top of the range when unreachable.
        at_top: the metric with the lever at the top of its range.
        best, best_at: the best metric found on the grid and the lever value giving it.
        met_up_to: when the metric falls as the lever rises, the largest value that still meets it.
        low, high: the lever's range searched.
        grid, curve: the lever values tried first and the metric at each (for a chart of the search).
    """

    scenario: Scenario
    profile: Profile
    target: Target
    lever: str
    ramp_year: int | None
    reachable: bool
    value: float | None
    slider_value: float | None
    reached: float
    at_top: float
    best: float
    best_at: float
    met_up_to: float | None
    low: float
    high: float
    grid: tuple[float, ...] = ()
    curve: tuple[float, ...] = ()

    def lever_value(self, v: float) -> Value:
        """The scenario value (UI units) that sets the lever to ``v`` the way the seek did."""
        return seek_value(self.profile, self.lever, v, self.ramp_year)

    def apply(self) -> Scenario:
        """The scenario with the answer applied (requires a reachable target)."""
        if self.slider_value is None:
            raise ValueError("the target is unreachable: there is no value to apply")
        return self.scenario.with_changes(**{self.lever: self.lever_value(self.slider_value)})


def seek_value(profile: Profile, lever: str, v: float, ramp_year: int | None = None) -> Value:
    """The scenario value (UI units) for a flat lever value ``v``, or a ramp reaching ``v`` in ``ramp_year``.

    A flat value is a plain number (it holds from the year after the base year). A ramp anchors the
    base-year value, except for enterprise R&D, whose path always starts from the calibrated base-year
    value (docs/model.md §3).
    """
    v = float(v)
    if ramp_year is None or ramp_year <= profile.base_year + 1:
        return v
    if lever == ENTERPRISE:
        return {int(ramp_year): v}
    base = float(evaluate_path(profile.default(lever), [profile.base_year])[0])  # type: ignore[arg-type]
    return {profile.base_year: base, int(ramp_year): v}


def _target(profile: Profile, target: str | Target) -> Target:
    if isinstance(target, Target):
        return target
    try:
        return profile.target(target)
    except KeyError:
        known = ", ".join(t.id for t in profile.targets)
        raise InputError(f"unknown target {target!r} for {profile.id} (known: {known})", key="target") from None


def _check_lever(lever: str) -> None:
    if lever not in seek_levers():
        raise InputError(f"cannot seek on {lever!r} (levers: {', '.join(seek_levers())})", key="lever")


def _check_ramp(profile: Profile, ramp_year: int | None) -> None:
    if ramp_year is not None and not profile.base_year < ramp_year <= profile.horizon:
        raise InputError(
            f"ramp year {ramp_year} must lie in {profile.base_year + 1}..{profile.horizon}", key="ramp_year"
        )


class _Evaluator:
    """The target metric as a function of the lever value, for many values at once."""

    def __init__(self, inp1: Inputs, target: Target, lever: str, ramp_year: int | None, e0: float):
        self.inp1, self.target, self.lever, self.ramp_year, self.e0 = inp1, target, lever, ramp_year, e0
        self.tol = 1e-9 * max(1.0, abs(target.value))  # the tolerance sim.targets.evaluate uses

    def __call__(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = np.atleast_1d(np.asarray(values, dtype=float))
        inp = repeat(self.inp1, len(values))
        set_lever_rows(inp, self.lever, lever_rows(self.inp1, self.lever, values, self.ramp_year, self.e0))
        tr = evaluate(run_batch(inp), self.target)
        return tr.value, tr.met

    def gap(self, v: float) -> float:
        """metric(v) − target + tolerance: ≥ 0 exactly where the target is met."""
        value, _ = self(np.array([v]))
        return float(value[0]) - self.target.value + self.tol

    def met(self, v: float) -> bool:
        return bool(self(np.array([v]))[1][0])


def _root(f: _Evaluator, a: float, b: float, xtol: float, want_met_at: str) -> float:
    """A point next to the root of f.gap in [a, b] on the side where the target is met."""
    from scipy.optimize import brentq  # imported here: scipy is slow to import and the CLI starts often

    ga, gb = f.gap(a), f.gap(b)
    if ga == 0.0 or gb == 0.0 or (ga > 0) == (gb > 0):  # a grid point sits on the boundary
        root = a if ga == 0.0 else b
    else:
        root = float(brentq(f.gap, a, b, xtol=xtol, rtol=4 * np.finfo(float).eps))
    step = xtol
    direction = 1.0 if want_met_at == "b" else -1.0
    limit = b if want_met_at == "b" else a
    for _ in range(60):
        if f.met(root):
            return root
        root = min(root + step, limit) if direction > 0 else max(root - step, limit)
        step *= 2
    return limit


def _round_up(v: float, step: float | None, hi: float) -> float:
    if not step:
        return v
    decimals = max(0, -math.floor(math.log10(step)) + 1)
    r = round(math.ceil(v / step - 1e-9) * step, decimals)
    return min(max(r, v), hi)


def goal_seek(
    scenario: Scenario,
    target: str | Target,
    lever: str,
    ramp_year: int | None = None,
    profile: Profile | None = None,
) -> SeekResult:
    """The smallest value of ``lever`` that meets ``target``, or "unreachable".

    Args:
        scenario: the scenario whose other inputs are kept.
        target: a target id of the profile (docs/model.md §4) or a :class:`~sim.profiles.Target`.
        lever: a lever with ``goal_seek: true`` in the parameter schema (:func:`sim.params.seek_levers`).
        ramp_year: None for a flat value from the year after the base year; else the year the value is
            reached along a straight line from the base-year value (flat afterwards).
        profile: the region profile (default: the scenario's).

    Returns:
        A :class:`SeekResult`; lever values in the lever's UI unit, metric values in the target's unit.

    Raises:
        InputError: unknown target or lever, a ramp year outside the run, or a scenario whose base year
            cannot be calibrated.
    """
    prof = profile or scenario.profile
    _check_lever(lever)
    _check_ramp(prof, ramp_year)
    tgt = _target(prof, target)
    p = schema()[lever]
    assert p.min is not None and p.max is not None
    lo, hi = float(p.min), float(p.max)

    inp1 = scenario_inputs(scenario, prof)
    e0 = float(project(inp1, strict=True).calibrated_enterprise_rd[0])  # type: ignore[index]  # refuses a bad base
    f = _Evaluator(inp1, tgt, lever, ramp_year, e0)
    grid = np.linspace(lo, hi, GRID_POINTS)
    values, met = f(grid)
    at_top = float(values[-1])
    ib = int(np.argmax(values))
    best, best_at = float(values[ib]), float(grid[ib])
    common = dict(
        scenario=scenario,
        profile=prof,
        target=tgt,
        lever=lever,
        ramp_year=ramp_year,
        at_top=at_top,
        best=best,
        best_at=best_at,
        low=lo,
        high=hi,
        grid=tuple(float(x) for x in grid),
        curve=tuple(float(x) for x in values),
    )
    if not met.any():
        return SeekResult(reachable=False, value=None, slider_value=None, reached=at_top, met_up_to=None, **common)  # type: ignore[arg-type]

    xtol = XTOL * (hi - lo)
    i = int(np.argmax(met))
    value = lo if i == 0 else _root(f, float(grid[i - 1]), float(grid[i]), xtol, want_met_at="b")
    met_up_to = None
    later_fail = np.nonzero(~met[i:])[0]
    if later_fail.size:
        j = i + int(later_fail[0])
        met_up_to = _root(f, float(grid[j - 1]), float(grid[j]), xtol, want_met_at="a")
    slider = _round_up(value, p.step, hi)
    if slider != value and (not f.met(slider) or (met_up_to is not None and slider > met_up_to)):
        slider = value
    reached = float(f(np.array([value]))[0][0])
    return SeekResult(reachable=True, value=value, slider_value=slider, reached=reached, met_up_to=met_up_to, **common)  # type: ignore[arg-type]


def calibrated_base(scenario: Scenario, profile: Profile | None = None) -> float:
    """The scenario's calibrated base-year enterprise R&D (UI units, % of GRDP)."""
    inp = scenario_inputs(scenario, profile)
    return float(calibrated_enterprise_rd(inp)[0]) / schema()[ENTERPRISE].scale
