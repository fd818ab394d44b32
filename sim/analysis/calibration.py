"""Calibration in view: the diffusion speed k0 fitted to the national series, and the crowding-in limit.

Two facts a planner needs to judge the model's defaults:

- **k0** (``digital_diffusion_base``): eq. 10 with no extra spending (κ = 0),
  ``d_t = d_{t−1} + k0·d_{t−1}·(1 − d_{t−1}/D)``, fitted by least squares to the national digital-economy
  share on the MIC method (11.9 % of GDP in 2021, 18.3 % in 2024). The path starts from the first
  observation, as the engine's starts from the base year. The fit depends on the ceiling D, so it is given
  for one D and over the range of D the uncertainty analysis uses (45-75 %).
- **The λ limit** (``rd_crowding_in``): the base-year calibration sets enterprise R&D to the residual
  ``e_T0 = r0 − (1+λ)·P0/Y0`` (docs/model.md §3), which is negative, i.e. the profile contradicts itself, once
  ``λ > r0·Y0/P0 − 1``.

The λ limit itself is the engine's (:func:`sim.engine.crowding_in_limit`, which Monte Carlo also uses);
it is re-exported here beside the base-year public R&D it comes from.

Framework-free: numbers in model units (fractions), no formatting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import K_MAX, build_inputs, crowding_in_limit
from ..profiles import Profile
from ..scenario import baseline

__all__ = ["CEILING_RANGE", "NATIONAL_MIC_SERIES", "K0Fit", "base_public_rd", "crowding_in_limit", "fit_k0", "k0_fit"]

# Digital-economy share of GDP, MIC (revenue-based) method, as fractions: the series docs/model.md v2 and the
# parameter schema cite for k0 (the 2024 value is DATA.md's, preliminary, vietnamnet.vn).
NATIONAL_MIC_SERIES: dict[int, float] = {2021: 0.119, 2024: 0.183}
# The ceilings over which the fit is reported: the digital_ceiling uncertainty band (60 % ± 15 points).
CEILING_RANGE = (0.45, 0.75)


def logistic_path(k0: float, ceiling: float, start: float, steps: int) -> np.ndarray:
    """Eq. 10 with κ = 0: the digital-economy share over ``steps`` years after ``start``.

    Args:
        k0: diffusion speed (1/yr), capped at the engine's ``K_MAX`` as eq. 10 does.
        ceiling: the saturation share D (fraction of GDP).
        start: the share in the first year (fraction).
        steps: how many years to step forward.

    Returns:
        ``steps + 1`` shares (fractions), the first being ``start``.
    """
    k = min(max(k0, 0.0), K_MAX)
    out = np.empty(steps + 1)
    out[0] = d = start
    for i in range(1, steps + 1):
        d = d + k * d * (1.0 - d / ceiling)
        out[i] = d
    return out


def fit_k0(ceiling: float, series: dict[int, float] | None = None) -> float:
    """The k0 (1/yr) that makes eq. 10 with κ = 0 closest to ``series`` in least squares.

    Args:
        ceiling: the ceiling D as a fraction (0.60 for 60 %).
        series: year -> share (fraction), at least two years; the path starts at the first year's
            value and the squared gaps of the later years are minimised. Default: the national MIC series.

    Raises:
        ValueError: fewer than two years, a share outside (0, ceiling), or a ceiling outside (0, 1].
    """
    obs = dict(sorted((series or NATIONAL_MIC_SERIES).items()))
    if len(obs) < 2:
        raise ValueError("series: at least two years are needed to fit k0")
    if not 0.0 < ceiling <= 1.0:
        raise ValueError(f"ceiling: {ceiling} is not a share in (0, 1]")
    if any(not 0.0 < v < ceiling for v in obs.values()):
        raise ValueError(f"series: every share must lie between 0 and the ceiling {ceiling}")
    # imported here: scipy.optimize takes most of a second to import, and the base-year facts of this
    # module (the Data page's first tab, the λ limit) need none of it
    from scipy.optimize import least_squares

    years = np.array(list(obs))
    values = np.array(list(obs.values()))
    steps = years - years[0]

    def residuals(k: np.ndarray) -> np.ndarray:
        path = logistic_path(float(k[0]), ceiling, values[0], int(steps[-1]))
        return path[steps[1:]] - values[1:]

    fit = least_squares(residuals, x0=[0.1], bounds=([0.0], [K_MAX]), xtol=1e-14, ftol=1e-14, gtol=1e-14)
    return float(fit.x[0])


@dataclass(frozen=True)
class K0Fit:
    """The k0 fit for one ceiling, its range over the ceiling band, and the curve to draw.

    Attributes:
        ceiling: D (fraction).
        k0: the fitted speed for ``ceiling`` (1/yr).
        k0_low, k0_high: the smallest and largest fitted k0 over ``ceiling_range``.
        ceiling_range: the band of D (fractions).
        observed: the series (year -> fraction).
        years: the years of the curves, from the first observed year to ``horizon``.
        curve: eq. 10 with the fitted k0 over ``years`` (fractions); past the last observation it shows
            where the fitted speed leads with no extra spending.
        curve_low, curve_high: the curves for the ends of the range (k0_low, k0_high at their D).
    """

    ceiling: float
    k0: float
    k0_low: float
    k0_high: float
    ceiling_range: tuple[float, float]
    observed: dict[int, float]
    years: np.ndarray
    curve: np.ndarray
    curve_low: np.ndarray
    curve_high: np.ndarray


def k0_fit(
    ceiling: float,
    series: dict[int, float] | None = None,
    ceiling_range: tuple[float, float] = CEILING_RANGE,
    horizon: int = 2045,
) -> K0Fit:
    """Fit k0 for ``ceiling`` and over ``ceiling_range`` (every whole percent of D in the band).

    The curves run to ``horizon`` (at least the last observed year): the fits agree on the observed years
    by construction and part where the ceiling starts to bind.

    The fitted k0 falls as D rises (a higher ceiling slows the logistic less), so the range's ends sit at
    the band's ends; the grid makes no such assumption.
    """
    obs = dict(sorted((series or NATIONAL_MIC_SERIES).items()))
    lo, hi = ceiling_range
    grid = np.unique(np.round(np.append(np.arange(lo, hi + 1e-9, 0.01), [lo, hi]), 6))
    fits = np.array([fit_k0(float(D), obs) for D in grid])
    i_low, i_high = int(fits.argmin()), int(fits.argmax())
    k0 = fit_k0(ceiling, obs)
    first, last = min(obs), max(max(obs), horizon)
    steps = last - first
    start = obs[first]
    return K0Fit(
        ceiling=ceiling,
        k0=k0,
        k0_low=float(fits[i_low]),
        k0_high=float(fits[i_high]),
        ceiling_range=(lo, hi),
        observed=obs,
        years=np.arange(first, last + 1),
        curve=logistic_path(k0, ceiling, start, steps),
        curve_low=logistic_path(float(fits[i_low]), float(grid[i_low]), start, steps),
        curve_high=logistic_path(float(fits[i_high]), float(grid[i_high]), start, steps),
    )


def base_public_rd(profile: Profile) -> float:
    """Public R&D in the base year as a share of GRDP, P0/Y0 = θ0·s0·b0 (fraction; the profile's values)."""
    inp = build_inputs(profile, baseline(profile.id))
    p = inp.paths
    return float(p["rd_share_of_stid"][0, 0] * p["stid_budget_share"][0, 0] * p["budget_to_grdp"][0, 0])
