"""Uncertainty: Monte Carlo over the assumptions, in one vectorised engine call.

Each assumption with an ``uncertainty`` spread in the parameter schema (``sim/data/parameters.yaml``) gets
a random shift, drawn independently of the others from a triangular distribution with mode 0 between the
spread's ``low`` and ``high`` (UI units). The shift is added to the scenario's value in every year after
the base year (the base year is history and keeps the profile's value), the result is clipped to the
parameter's allowed range, and the R&D lag is rounded to whole years. Levers are decisions, not
uncertainties: they keep the scenario's values.

Draws come from a :class:`numpy.random.Generator` seeded by the caller (no global random state): the same
seed, draw count and scenario give the same numbers. A draw whose assumptions contradict the base-year
calibration (negative enterprise R&D, possible for a high crowding-in) is kept with enterprise R&D set to
zero and counted in ``clipped_share``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Result, project
from ..errors import InputError
from ..params import Spread, assumptions
from ..profiles import Profile, Target
from ..scenario import Scenario
from ..targets import evaluate
from ..views import fmt
from .batch import apply_shifts, repeat, run_batch, scenario_inputs

DEFAULT_DRAWS = 2_000
MAX_DRAWS = 20_000
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
# Variables shown as fan charts, with the factor from model to display unit.
FAN_VARIABLES: dict[str, float] = {
    "GRDP|Nominal": 1.0,
    "R&D|Share of GRDP": 100.0,
    "Digital Economy|Share of GRDP": 100.0,
}


def spreads() -> dict[str, Spread]:
    """The uncertainty spread of every assumption that has one (UI units), in schema order."""
    return {p.id: p.uncertainty for p in assumptions() if p.uncertainty is not None}


def triangular(u: np.ndarray, low: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution on [low, high] with mode 0, at uniform values ``u``.

    A zero-width spread (low = high = 0) gives zeros; that is how a test switches the uncertainty off.
    """
    lo, hi = float(min(low, 0.0)), float(max(high, 0.0))
    width = hi - lo
    if width <= 0.0:
        return np.zeros_like(u, dtype=float)
    split = -lo / width  # the CDF at the mode
    left = lo + np.sqrt(u * width * -lo)
    right = hi - np.sqrt((1.0 - u) * width * hi)
    return np.where(u < split, left, right)


def sample_shifts(
    draws: int, rng: np.random.Generator, spread: dict[str, Spread] | None = None
) -> dict[str, np.ndarray]:
    """Independent triangular shifts (UI units) for each uncertain assumption, shape (draws,) each.

    The parameters take their uniforms in schema order from one generator, so a seed fixes every draw.
    """
    spread = spreads() if spread is None else spread
    u = rng.random((len(spread), draws))
    return {pid: triangular(u[i], s.low, s.high) for i, (pid, s) in enumerate(spread.items())}


def check_draws(draws: int) -> int:
    """Validate a draw count (1..MAX_DRAWS)."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= MAX_DRAWS:
        most = fmt.number(MAX_DRAWS, "en")
        raise InputError(f"{draws!r} draws: choose a whole number from 1 to {most}", key="draws")
    return int(draws)


def run_draws(
    scenario: Scenario,
    draws: int,
    rng: np.random.Generator,
    spread: dict[str, Spread] | None = None,
    profile: Profile | None = None,
) -> Result:
    """Project the scenario under ``draws`` random draws of the assumptions (one engine call)."""
    inp = repeat(scenario_inputs(scenario, profile), draws)
    apply_shifts(inp, sample_shifts(draws, rng, spread))
    return run_batch(inp)


@dataclass(frozen=True)
class MonteCarloResult:
    """Fan charts and target probabilities.

    Attributes:
        years: calendar years.
        fans: variable -> (len(QUANTILES), years) array of P10, P25, median, P75, P90 (display units:
            bn VND, percent).
        central: variable -> (years,) path of the scenario itself (no uncertainty).
        probabilities: (target, share of draws that meet it) in the profile's order.
        clipped_share: share of draws whose base-year calibration had to be clipped.
    """

    scenario: Scenario
    draws: int
    seed: int
    years: np.ndarray
    fans: dict[str, np.ndarray]
    central: dict[str, np.ndarray]
    probabilities: list[tuple[Target, float]]
    clipped_share: float

    def probability(self, target_id: str) -> float:
        for t, p in self.probabilities:
            if t.id == target_id:
                return p
        raise KeyError(target_id)


def monte_carlo(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    spread: dict[str, Spread] | None = None,
    profile: Profile | None = None,
) -> MonteCarloResult:
    """Monte Carlo over the assumptions: fan-chart percentiles and the probability of meeting each target.

    Args:
        scenario: the scenario (its levers are kept; its assumptions are the centre of each spread).
        draws: number of draws, 1..20,000.
        seed: seed of the :class:`numpy.random.Generator`.
        spread: spreads to use instead of the schema's (UI units), e.g. zero spreads for a check.
        profile: the region profile (default: the scenario's).

    Raises:
        InputError: a draw count out of range, or a scenario whose base year cannot be calibrated.
    """
    draws = check_draws(draws)
    prof = profile or scenario.profile
    central_inp = scenario_inputs(scenario, prof)
    central = project(central_inp, strict=True)  # refuses a scenario that contradicts the profile
    res = run_draws(scenario, draws, np.random.default_rng(seed), spread, prof)
    stacked = np.stack([res[v] * f for v, f in FAN_VARIABLES.items()])  # (vars, draws, years)
    q = np.quantile(stacked, QUANTILES, axis=1)  # (quantiles, vars, years)
    fans = {v: q[:, i, :] for i, v in enumerate(FAN_VARIABLES)}
    probs = [(t, float(evaluate(res, t).met.mean())) for t in prof.targets]
    clipped = res.clipped_calibration
    return MonteCarloResult(
        scenario=scenario,
        draws=draws,
        seed=int(seed),
        years=res.years,
        fans=fans,
        central={v: central.single(v) * f for v, f in FAN_VARIABLES.items()},
        probabilities=probs,
        clipped_share=float(clipped.mean()) if clipped is not None else 0.0,
    )
