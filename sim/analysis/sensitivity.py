"""Sensitivity: which input moves an outcome most (tornado chart) and variance-based Sobol indices.

Tornado (one input at a time): every uncertain assumption is set to the low and to the high end of its
spread (``uncertainty`` in the parameter schema, scaled to the region's levels; on a path the shift ramps in
from the base year to 2030, see :mod:`sim.analysis.batch`; clipped to the allowed range), and each policy
lever is moved down and up by the swing in :data:`LEVER_SWINGS`, all other inputs staying at the scenario's
values. All cases run in one engine call (plus one small call for the calibrated enterprise R&D when that
lever is moved). Bars are sorted by their width, the largest effect on top. The central floor and the rule
mode are left out: the floor does not move any outcome (it only enters the floor target), and the rule mode
is a switch, not a range.

Sobol indices (variance-based, global): the assumptions vary together, each drawn from its triangular
distribution (as in the Monte Carlo). With two independent sample matrices A and B (N draws each) and
A_B^(i) = A with column i taken from B, Saltelli et al. (2010) give the first-order index
``S_i = mean(f(B)·(f(A_B^(i)) − f(A))) / V`` (the share of the variance explained by input i alone)
and, with Jansen's estimator, the total index ``ST_i = mean((f(A) − f(A_B^(i)))²) / (2V)`` (its share
including every interaction), V the variance of f over A and B together. All N·(k+2) runs go in one
engine call. The R&D lag is a whole number of years, so its indices are for the rounded lag.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import project
from ..errors import InputError
from ..profiles import Profile
from ..scenario import Scenario
from .batch import apply_shifts, repeat, run_batch, scenario_inputs
from .montecarlo import limit_crowding_in, spreads, triangular
from .outcomes import Outcome, outcome

# Lever swings for the tornado chart (UI units, ±): a realistic budget-round change, not the full range.
LEVER_SWINGS: dict[str, float] = {
    "stid_budget_share": 0.5,  # ± 0.5 pp of budget spending (half the 2024 envelope of Bình Phước)
    "rd_share_of_stid": 10.0,  # ± 10 pp of the envelope
    "enterprise_rd_intensity": 0.1,  # ± 0.1 pp of GRDP of enterprises' own R&D
}


@dataclass(frozen=True)
class Bar:
    """One input of a tornado chart.

    Attributes:
        pid: parameter id; kind: 'lever' or 'assumption'.
        low_shift, high_shift: the shifts applied (UI units, before clipping to the range).
        low, high: the outcome with the input at its low and its high end (outcome units).
    """

    pid: str
    kind: str
    low_shift: float
    high_shift: float
    low: float
    high: float

    @property
    def swing(self) -> float:
        return abs(self.high - self.low)


@dataclass(frozen=True)
class TornadoResult:
    scenario: Scenario
    outcome: Outcome
    base: float
    bars: list[Bar]


def tornado_cases(profile: Profile | None = None) -> list[tuple[str, str, float, float]]:
    """(parameter id, kind, low shift, high shift) for every input the tornado moves (UI units, the profile's)."""
    cases = [(pid, "lever", -d, d) for pid, d in LEVER_SWINGS.items()]
    cases += [(pid, "assumption", s.low, s.high) for pid, s in spreads(profile).items()]
    return cases


def tornado(scenario: Scenario, outcome_id: str, profile: Profile | None = None) -> TornadoResult:
    """Each input at its low and high end, one at a time; the outcome for each (one engine call).

    Args:
        scenario: the central case.
        outcome_id: an id of :data:`sim.analysis.outcomes.OUTCOMES` (e.g. ``digital_share_2030``).
        profile: the region profile (default: the scenario's).

    Returns:
        The central outcome and one bar per input, the widest first.
    """
    out = outcome(outcome_id)
    inp1 = scenario_inputs(scenario, profile)
    base = float(out.values(project(inp1, strict=True))[0])
    cases = tornado_cases(profile or scenario.profile)
    D = 2 * len(cases)
    inp = repeat(inp1, D)
    shifts: dict[str, np.ndarray] = {}
    for i, (pid, _, lo, hi) in enumerate(cases):
        delta = np.zeros(D)
        delta[2 * i], delta[2 * i + 1] = lo, hi
        shifts[pid] = delta
    limit_crowding_in(shifts, scenario, profile or scenario.profile)  # the base year must still calibrate
    apply_shifts(inp, shifts)
    values = out.values(run_batch(inp))
    bars = [
        Bar(pid, kind, lo, hi, float(values[2 * i]), float(values[2 * i + 1]))
        for i, (pid, kind, lo, hi) in enumerate(cases)
    ]
    bars.sort(key=lambda b: b.swing, reverse=True)
    return TornadoResult(scenario, out, base, bars)


@dataclass(frozen=True)
class SobolResult:
    """First-order and total Sobol indices of each uncertain assumption for one outcome."""

    scenario: Scenario
    outcome: Outcome
    params: list[str]
    first: np.ndarray
    total: np.ndarray
    variance: float
    base_draws: int
    seed: int


def sobol(
    scenario: Scenario, outcome_id: str, base_draws: int = 1024, seed: int = 0, profile: Profile | None = None
) -> SobolResult:
    """Variance-based sensitivity indices (Saltelli 2010 first-order, Jansen total) over the assumptions.

    Args:
        scenario: the central case (levers fixed).
        outcome_id: an id of :data:`sim.analysis.outcomes.OUTCOMES`.
        base_draws: N, the size of each sample matrix; the engine runs N·(k+2) draws (k assumptions).
        seed: seed of the :class:`numpy.random.Generator`.
        profile: the region profile (default: the scenario's).
    """
    if not 16 <= base_draws <= 8192:
        raise InputError(f"{base_draws} base draws: choose 16 to 8,192", key="base_draws")
    out = outcome(outcome_id)
    spread = spreads(profile or scenario.profile)
    params = list(spread)
    k, N = len(params), int(base_draws)
    rng = np.random.default_rng(seed)
    A, B = rng.random((N, k)), rng.random((N, k))
    blocks = [A, B]
    for i in range(k):
        ABi = A.copy()
        ABi[:, i] = B[:, i]
        blocks.append(ABi)
    U = np.concatenate(blocks)  # (N·(k+2), k)
    inp = repeat(scenario_inputs(scenario, profile), len(U))
    shifts = {pid: triangular(U[:, j], spread[pid].low, spread[pid].high) for j, pid in enumerate(params)}
    limit_crowding_in(shifts, scenario, profile or scenario.profile)  # the base year must still calibrate
    apply_shifts(inp, shifts)
    f = out.values(run_batch(inp)).reshape(k + 2, N)
    f = f - f[:2].mean()  # centring leaves the estimators' expectation alone and cuts their noise
    fA, fB, fAB = f[0], f[1], f[2:]
    V = float(np.var(np.concatenate([fA, fB])))
    if V <= 0.0:
        zeros = np.zeros(k)
        return SobolResult(scenario, out, params, zeros, zeros, 0.0, N, seed)
    first = np.mean(fB[None, :] * (fAB - fA[None, :]), axis=1) / V
    total = 0.5 * np.mean((fA[None, :] - fAB) ** 2, axis=1) / V
    return SobolResult(scenario, out, params, first, total, V, N, seed)
