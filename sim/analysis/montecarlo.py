"""Uncertainty: Monte Carlo over the assumptions, in one vectorised engine call.

Each assumption with an ``uncertainty`` spread in the parameter schema (``sim/data/parameters.yaml``) gets
a random shift, drawn independently of the others from a triangular distribution with mode 0 between the
spread's ``low`` and ``high``. Spreads are scaled to the region: a ``relative`` spread (baseline growth,
budget/GRDP, population growth) is a percentage of the profile's own base-year value, so Đồng Nai (budget
10 % of GRDP) and Vietnam (20 %) get spreads of their size, not Bình Phước's. On a path the shift ramps in
linearly from zero in the base year (history) to its full size in 2030, so the fan opens smoothly instead of
stepping at the first projected year (see :mod:`sim.analysis.batch`); the result is clipped to the
parameter's allowed range, and the R&D lag is rounded to whole years. Levers are decisions, not
uncertainties: they keep the scenario's values.

Draws come from a :class:`numpy.random.Generator` seeded by the caller (no global random state): the same
seed, draw count and scenario give the same numbers. A draw of the crowding-in λ beyond the limit where the
base year can be calibrated (:func:`sim.engine.crowding_in_limit`; enterprise R&D of the base year would be
negative) is set to that limit, and the number of such draws is returned (``clipped``) so it can be shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Result, crowding_in_limit, project
from ..errors import InputError
from ..params import Spread, assumptions, schema
from ..paths import evaluate as path_value
from ..profiles import Profile, Target, load_profile
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


CROWDING_IN = "rd_crowding_in"


def spreads(profile: Profile | None = None) -> dict[str, Spread]:
    """The uncertainty spread of every assumption that has one, in UI units for ``profile``, in schema order.

    A relative spread (percent of the level) is scaled by the profile's base-year value of the parameter:
    baseline growth ±25 % is ±2 pp for Bình Phước's 8 %/yr and ±1.9 pp for Vietnam's 7.5 %/yr.

    Args:
        profile: the region (default: the default profile).
    """
    prof = profile or load_profile()
    out = {}
    for p in assumptions():
        s = p.uncertainty
        if s is None:
            continue
        if s.relative:
            level = abs(float(path_value(prof.default(p.id), [prof.base_year])[0]))  # type: ignore[arg-type]
            s = Spread(low=s.low * level / 100.0, high=s.high * level / 100.0)
        out[p.id] = s
    return out


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


def limit_crowding_in(shifts: dict[str, np.ndarray], scenario: Scenario, profile: Profile) -> int:
    """Hold each draw's crowding-in λ at or below the base-year calibration limit, in place.

    Returns:
        The number of draws whose λ had to be lowered to the limit.
    """
    if CROWDING_IN not in shifts:
        return 0
    central = float(scenario.value(CROWDING_IN))  # type: ignore[arg-type]
    # A hair inside the limit so that rounding cannot make the calibrated base-year value negative.
    room = (crowding_in_limit(profile) * (1.0 - 1e-12) - central) / schema()[CROWDING_IN].scale
    over = shifts[CROWDING_IN] > room
    shifts[CROWDING_IN] = np.where(over, room, shifts[CROWDING_IN])
    return int(over.sum())


def run_draws(
    scenario: Scenario,
    draws: int,
    rng: np.random.Generator,
    spread: dict[str, Spread] | None = None,
    profile: Profile | None = None,
) -> tuple[Result, int]:
    """Project the scenario under ``draws`` random draws of the assumptions (one engine call).

    Returns:
        The result and the number of draws whose crowding-in was lowered to the calibration limit.
    """
    prof = profile or scenario.profile
    inp = repeat(scenario_inputs(scenario, prof), draws)
    shifts = sample_shifts(draws, rng, spreads(prof) if spread is None else spread)
    clipped = limit_crowding_in(shifts, scenario, prof)
    apply_shifts(inp, shifts)
    return run_batch(inp), clipped


@dataclass(frozen=True)
class MonteCarloResult:
    """Fan charts and target probabilities.

    Attributes:
        years: calendar years.
        fans: variable -> (len(QUANTILES), years) array of P10, P25, median, P75, P90 (display units:
            bn VND, percent).
        central: variable -> (years,) path of the scenario itself (no uncertainty).
        probabilities: (target, share of draws that meet it) in the profile's order.
        clipped: number of draws whose crowding-in λ was lowered to the calibration limit.
        clipped_share: that number as a share of the draws.
        crowding_in_limit: the limit (the largest λ for which the base year can be calibrated).
    """

    scenario: Scenario
    draws: int
    seed: int
    years: np.ndarray
    fans: dict[str, np.ndarray]
    central: dict[str, np.ndarray]
    probabilities: list[tuple[Target, float]]
    clipped: int
    clipped_share: float
    crowding_in_limit: float

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
        spread: spreads to use instead of the profile's (UI units), e.g. zero spreads for a check.
        profile: the region profile (default: the scenario's).

    Raises:
        InputError: a draw count out of range, or a scenario whose base year cannot be calibrated.
    """
    draws = check_draws(draws)
    prof = profile or scenario.profile
    central_inp = scenario_inputs(scenario, prof)
    central = project(central_inp, strict=True)  # refuses a scenario that contradicts the profile
    res, clipped = run_draws(scenario, draws, np.random.default_rng(seed), spread, prof)
    stacked = np.stack([res[v] * f for v, f in FAN_VARIABLES.items()])  # (vars, draws, years)
    q = np.quantile(stacked, QUANTILES, axis=1)  # (quantiles, vars, years)
    fans = {v: q[:, i, :] for i, v in enumerate(FAN_VARIABLES)}
    probs = [(t, float(evaluate(res, t).met.mean())) for t in prof.targets]
    return MonteCarloResult(
        scenario=scenario,
        draws=draws,
        seed=int(seed),
        years=res.years,
        fans=fans,
        central={v: central.single(v) * f for v, f in FAN_VARIABLES.items()},
        probabilities=probs,
        clipped=clipped,
        clipped_share=clipped / draws,
        crowding_in_limit=crowding_in_limit(prof),
    )
