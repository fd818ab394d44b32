"""Attribution: which input changes drove the difference between two scenarios (a Shapley waterfall).

Two scenarios A and B of the same region differ in some inputs (levers, assumptions, the rule mode). The
difference in an outcome, f(B) − f(A), is split among those inputs with the Shapley value of cooperative
game theory: input i gets the average, over every order in which the inputs could be switched from A's
value to B's, of the change in the outcome at the moment i is switched. Equivalently, over every subset
S of the other inputs,

    φ_i = Σ_S |S|! (k − |S| − 1)! / k! · [f(S ∪ {i}) − f(S)],

where f(S) is the outcome with the inputs in S at B's values and all others at A's, and k is the number of
inputs that differ. The parts always add up to the whole difference (each order's changes telescope to
f(B) − f(A)), they do not depend on the order the inputs are listed in, an input that changes nothing
gets zero, and interactions (e.g. a bigger envelope matters more with a higher R&D share) are shared
evenly between the inputs involved, instead of being given to whichever was changed first as in a
one-at-a-time ("step") decomposition.

Computation: with k ≤ :data:`MAX_EXACT` inputs every one of the 2^k subsets is run, in one vectorised
engine call (two when the rule mode differs, one per mode), so the result is exact. With more inputs the
average is taken over :data:`PERMUTATIONS` random orders (seeded); the parts still add up exactly to the
difference, but each part is an estimate.

A path input (e.g. the envelope) is switched as a whole: every year after the base year takes B's path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..params import schema
from ..profiles import Profile
from ..scenario import Scenario
from .batch import (
    ENTERPRISE,
    RULE,
    calibrated_enterprise_rd,
    enterprise_rows,
    repeat,
    run_batch,
    scenario_inputs,
    set_enterprise_rows,
    take,
)
from .outcomes import Outcome, outcome

MAX_EXACT = 10
PERMUTATIONS = 256


@dataclass(frozen=True)
class Part:
    """One input's share of the difference (outcome units)."""

    pid: str
    value: float


@dataclass(frozen=True)
class Attribution:
    """A waterfall from scenario A's outcome to scenario B's.

    Attributes:
        start, end: the outcome under A and under B.
        parts: one per input that differs, the largest first; they sum to ``end − start``.
        exact: True when every subset was run (k ≤ MAX_EXACT); False for the sampled estimate.
        runs: engine draws used.
    """

    a: Scenario
    b: Scenario
    outcome: Outcome
    start: float
    end: float
    parts: list[Part]
    exact: bool
    runs: int

    @property
    def total(self) -> float:
        return self.end - self.start


def differing_inputs(a: Scenario, b: Scenario, profile: Profile | None = None) -> list[str]:
    """Ids of the inputs (in schema order) whose values differ in some year after the base year."""
    prof = profile or a.profile
    ia, ib = scenario_inputs(a, prof), scenario_inputs(b, prof)
    out = []
    for pid, p in schema().items():
        if pid == RULE:
            differs = ia.cap_public != ib.cap_public
        elif pid == ENTERPRISE:
            # Paths are linear in the base-year anchor e0: equal at two anchors means equal at all.
            differs = any(
                not np.allclose(enterprise_rows(ia, e0)[0, 1:], enterprise_rows(ib, e0)[0, 1:], rtol=1e-12, atol=0)
                for e0 in (0.0, 0.01)
            )
        elif p.path:
            differs = not np.allclose(ia.paths[pid][0, 1:], ib.paths[pid][0, 1:], rtol=1e-12, atol=0)
        elif pid in ia.scalars:
            differs = not np.allclose(ia.scalars[pid], ib.scalars[pid], rtol=1e-12, atol=0)
        else:
            differs = False
        if differs:
            out.append(pid)
    return out


def _coalition_outcomes(
    a: Scenario, b: Scenario, prof: Profile, inputs: list[str], members: np.ndarray, out: Outcome
) -> np.ndarray:
    """The outcome for each coalition (row of ``members``: True = that input at B's value)."""
    ia, ib = scenario_inputs(a, prof), scenario_inputs(b, prof)
    D = len(members)
    inp = repeat(ia, D)
    for j, pid in enumerate(inputs):
        m = members[:, j]
        if pid in inp.paths:
            inp.paths[pid][m] = ib.paths[pid][0]
        elif pid in inp.scalars:
            inp.scalars[pid][m] = ib.scalars[pid][0]
    if ENTERPRISE in inputs:
        # Each coalition's path starts from its own calibrated base-year value (it depends on λ).
        e0 = calibrated_enterprise_rd(inp)
        j = inputs.index(ENTERPRISE)
        rows = np.where(members[:, j : j + 1], enterprise_rows(ib, e0), enterprise_rows(ia, e0))
        set_enterprise_rows(inp, rows)
    f = np.empty(D)
    if RULE in inputs:
        on_b = members[:, inputs.index(RULE)]
        for use_b, cap in ((False, ia.cap_public), (True, ib.cap_public)):
            rows_idx = np.nonzero(on_b == use_b)[0]
            if rows_idx.size:
                part = take(inp, rows_idx)
                part.cap_public = cap
                f[rows_idx] = out.values(run_batch(part))
    else:
        f = out.values(run_batch(inp))
    return f


def shapley(
    a: Scenario,
    b: Scenario,
    outcome_id: str,
    profile: Profile | None = None,
    max_exact: int = MAX_EXACT,
    permutations: int = PERMUTATIONS,
    seed: int = 0,
) -> Attribution:
    """Split the difference f(B) − f(A) in an outcome among the inputs that differ (Shapley values).

    Args:
        a, b: the two scenarios (same region); the waterfall goes from A to B.
        outcome_id: an id of :data:`sim.analysis.outcomes.OUTCOMES`.
        profile: the region profile (default: A's).
        max_exact: the largest number of differing inputs handled exactly (2^k runs).
        permutations: random orders averaged over when more inputs differ.
        seed: seed for those orders.

    Raises:
        InputError: the scenarios belong to different regions, or an unknown outcome.
    """
    if a.region != b.region:
        raise InputError(
            f"the scenarios belong to different regions ({a.region}, {b.region}); attribution compares inputs "
            "on one region's data",
            key="region",
        )
    out = outcome(outcome_id)
    prof = profile or a.profile
    inputs = differing_inputs(a, b, prof)
    k = len(inputs)
    if k == 0:
        v = float(_coalition_outcomes(a, b, prof, [], np.zeros((1, 0), bool), out)[0])
        return Attribution(a, b, out, v, v, [], True, 1)
    if k <= max_exact:
        masks = np.arange(2**k)
        members = ((masks[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
        f = _coalition_outcomes(a, b, prof, inputs, members, out)
        size = members.sum(axis=1)
        weight = np.array([math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)])
        phi = np.empty(k)
        for j in range(k):
            without = masks[~members[:, j]]
            phi[j] = np.sum(weight[size[without]] * (f[without | (1 << j)] - f[without]))
        start, end, runs, exact = float(f[0]), float(f[-1]), len(masks), True
    else:
        rng = np.random.default_rng(seed)
        orders = np.array([rng.permutation(k) for _ in range(permutations)])  # (P, k)
        # Coalition t of order p holds the first t inputs of that order: P·(k+1) runs.
        rank = np.argsort(orders, axis=1)  # position of each input in each order
        steps = np.arange(k + 1)
        members = (rank[:, None, :] < steps[None, :, None]).reshape(-1, k)
        f = _coalition_outcomes(a, b, prof, inputs, members, out).reshape(permutations, k + 1)
        gains = np.diff(f, axis=1)  # gains[p, t]: switching orders[p, t]
        phi = np.zeros(k)
        np.add.at(phi, orders.ravel(), gains.ravel())
        phi /= permutations
        start, end, runs, exact = float(f[0, 0]), float(f[0, -1]), f.size, False
    parts = sorted((Part(pid, float(v)) for pid, v in zip(inputs, phi, strict=True)), key=lambda p: -abs(p.value))
    return Attribution(a, b, out, start, end, parts, exact, runs)
