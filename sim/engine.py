"""The projection engine (model version 2, docs/model.md), vectorised over a leading axis of parameter draws.

All arrays have shape ``(draws, years)`` for paths and ``(draws,)`` for scalars; one scenario is one
draw. Values here are in model units: fractions for shares and rates, billion VND for money.

The base year is history: its lever and assumption values are the profile's (the calibration point).
A scenario's path runs linearly from that base-year value to its first breakpoint, then linearly between
breakpoints and flat after the last (a breakpoint in the base year only anchors the interpolation); a
plain number is a flat path from the year after the base year.

Every intensity (R&D, digital investment, envelope) is a ratio to GRDP that does
not depend on the level of GRDP, so growth needs no iteration and whole paths are computed at once;
only the logistic diffusion and the knowledge stock step through the years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import CalibrationError
from .params import path_ids, scalar_ids, schema
from .paths import PathLike, breakpoints, evaluate, weights
from .profiles import Profile
from .scenario import Scenario
from .views import fmt

RULE_NONSTATE_MIN = 0.6
RULE_RATIO = 1.5  # non-state R&D / public R&D when non-state is exactly 60 % of the total
K_MAX = 1.0  # per-year diffusion speed cap: the discrete logistic never overshoots the ceiling
# Cumulative costs are summed over the years after the base year up to each milestone of the Resolution.
MILESTONES = (2030, 2045)
# What is summed: result variable -> the name used in the cost keys (``Cost|<name>|<span>|<Nominal|Real>``).
COST_ITEMS = {
    "Budget|STI and DX": "STI and DX",
    "Budget|R&D Incentives": "R&D Incentives",
    "Budget|Fiscal Cost": "Fiscal Cost",
}


def cost_periods(base_year: int, horizon: int) -> dict[str, tuple[int, int]]:
    """The cumulative-cost periods of a run, labelled with their actual span, in time order.

    The first runs from the year after the base year to 2030, the next from 2031 to 2045 (each cut at the
    horizon; a period with no year is left out). Example: base year 2024 gives ``{"2025-2030": (2025, 2030),
    "2031-2045": (2031, 2045)}``; base year 2025 gives ``{"2026-2030": ...}``.
    """
    out: dict[str, tuple[int, int]] = {}
    start = base_year + 1
    for end in MILESTONES:
        z = min(end, horizon)
        if z >= start:
            out[f"{start}-{z}"] = (start, z)
        start = max(start, end + 1)
    return out


def cost_key(variable: str, period: str, kind: str = "Nominal") -> str:
    """The key of a cumulative cost in ``Result.costs``, e.g. ``Cost|Fiscal Cost|2025-2030|Real``.

    Args:
        variable: the summed result variable (a key of ``COST_ITEMS``), e.g. ``Budget|Fiscal Cost``.
        period: a period label of :func:`cost_periods` (``Result.periods``).
        kind: ``Nominal`` (current prices) or ``Real`` (base-year prices).
    """
    return f"Cost|{COST_ITEMS[variable]}|{period}|{kind}"


@dataclass
class Inputs:
    """Everything the equations need, in model units, with a leading draw axis.

    Attributes:
        years: calendar years, base year first.
        paths: id -> (draws, years) array; the enterprise R&D path is built after calibration from
            ``e_breaks`` (breakpoint years and values, NaN meaning "the calibrated base-year value").
        scalars: id -> (draws,) array.
        cap_public: the ≥ 60 % non-state rule moves excess public R&D to DX.
    """

    years: np.ndarray
    paths: dict[str, np.ndarray]
    scalars: dict[str, np.ndarray]
    e_years: np.ndarray | None
    e_values: np.ndarray | None
    cap_public: bool
    grdp0: float
    growth0: float
    population0: float
    rd_intensity0: float
    digital_share0: float
    rd_target: float

    @property
    def draws(self) -> int:
        return next(iter(self.paths.values())).shape[0]


def _ui_to_model(pid: str, v: float | np.ndarray) -> float | np.ndarray:
    return v * schema()[pid].scale


def path_row(path: PathLike, base_value: float, years: np.ndarray) -> np.ndarray:
    """A path's value in every year (UI units), the base-year column being ``base_value``.

    Before its first breakpoint a path runs linearly from the base-year value (model version 2); a plain
    number holds from the year after the base year. Example with base year 2024 and base value 1.0:
    ``{2030: 3.5}`` gives 1.0, 1.4167, ..., 3.5 for 2024..2030; ``2.0`` gives 1.0, 2.0, 2.0, ...
    """
    t0 = float(years[0])
    if isinstance(path, dict):
        bx, by = breakpoints(path)
        if bx[0] > t0:
            bx, by = np.concatenate([[t0], bx]), np.concatenate([[base_value], by])
        row = np.interp(np.asarray(years, dtype=float), bx, by)
    else:
        row = np.full(len(years), float(path))
    row[0] = base_value
    return row


def build_inputs(profile: Profile, scenario: Scenario, draws: int = 1) -> Inputs:
    """Turn a scenario (UI units, changes to the profile's defaults) into engine inputs."""
    years = np.arange(profile.base_year, profile.horizon + 1)
    paths: dict[str, np.ndarray] = {}
    e_years = e_values = None
    changes = scenario.changes

    def value(pid: str):  # the scenario's change, else this profile's default (UI units)
        return changes[pid] if pid in changes else profile.default(pid)

    for pid in path_ids():
        if pid == "enterprise_rd_intensity":
            v = value(pid)  # None: flat at the calibrated base-year value
            if v is not None:
                if isinstance(v, dict):
                    bx, by = breakpoints(v)
                else:  # a plain number holds from the year after the base year
                    bx, by = np.array([profile.base_year + 1.0]), np.array([float(v)])
                if bx[0] > profile.base_year:
                    # Ramp from the calibrated base-year value (docs/model.md), marked NaN here.
                    bx, by = np.concatenate([[float(profile.base_year)], bx]), np.concatenate([[np.nan], by])
                e_years, e_values = bx, by * schema()[pid].scale
            continue
        base = float(evaluate(profile.default(pid), years[:1])[0])  # the base year is the profile's
        row = path_row(value(pid), base, years)
        paths[pid] = np.broadcast_to(_ui_to_model(pid, row), (draws, len(years))).copy()
    scalars = {pid: np.full(draws, float(_ui_to_model(pid, value(pid)))) for pid in scalar_ids()}
    b = profile.base
    return Inputs(
        years=years,
        paths=paths,
        scalars=scalars,
        e_years=e_years,
        e_values=e_values,
        cap_public=value("rule_mode") == "cap_public",
        grdp0=b.grdp_nominal.value,
        growth0=b.real_growth.value / 100,
        population0=b.population.value,
        rd_intensity0=b.rd_intensity.value / 100,
        digital_share0=b.digital_share.value / 100,
        rd_target=profile.rd_target,
    )


def crowding_in_limit(profile: Profile, scenario: Scenario | None = None) -> float:
    """The largest crowding-in λ for which the base year can be calibrated (docs/model.md, calibration).

    Enterprise R&D of the base year, e0 = r0 − (1+λ)·P0/Y0, is not negative exactly when
    λ ≤ r0·Y0/P0 − 1. Only base-year values enter (the profile's envelope, R&D share and budget/GRDP;
    the scenario's later paths do not), so the limit is a property of the profile. Returns ``inf`` when the
    base year has no public R&D. Bình Phước: 0.15 % / (40 % × 1 % × 13.4 %) − 1 = 1.7985.
    """
    del scenario  # the base year is history: no scenario value enters the calibration
    t0 = [profile.base_year]
    share = 1.0
    for pid in ("stid_budget_share", "rd_share_of_stid", "budget_to_grdp"):
        share *= float(evaluate(profile.default(pid), t0)[0]) * schema()[pid].scale
    r0 = profile.base.rd_intensity.value / 100
    return r0 / share - 1.0 if share > 0 else float("inf")


@dataclass
class Result:
    """Projection results: IAMC variable name -> (draws, years) array, plus what produced them."""

    years: np.ndarray
    variables: dict[str, np.ndarray]
    costs: dict[str, np.ndarray] = field(default_factory=dict)
    periods: dict[str, tuple[int, int]] = field(default_factory=dict)
    calibrated_enterprise_rd: np.ndarray | None = None
    clipped_calibration: np.ndarray | None = None

    def __getitem__(self, name: str) -> np.ndarray:
        return self.variables[name]

    def at(self, name: str, year: int) -> np.ndarray:
        """Values of a variable in one year, one per draw."""
        return self.variables[name][:, int(year - self.years[0])]

    def single(self, name: str) -> np.ndarray:
        """A variable's path for a one-draw result."""
        return self.variables[name][0]

    def cost(self, variable: str = "Budget|STI and DX", period: int | str = 0, kind: str = "Nominal") -> np.ndarray:
        """A cumulative cost per draw (bn VND): the sum of ``variable`` over a period of :func:`cost_periods`.

        Args:
            variable: ``Budget|STI and DX``, ``Budget|R&D Incentives`` or ``Budget|Fiscal Cost``.
            period: the period's label (``"2025-2030"``) or its position (0: to 2030, 1: 2031-2045).
            kind: ``Nominal`` (current prices) or ``Real`` (base-year prices).
        """
        label = list(self.periods)[period] if isinstance(period, int) else period
        return self.costs[cost_key(variable, label, kind)]

    def period_label(self, period: int) -> str:
        """The span label of a cost period of this run (``"2025-2030"`` for a 2024 base year)."""
        return list(self.periods)[period]


UNITS = {
    "GRDP|Nominal": "bn VND",
    "GRDP|Real": "bn VND (base-year prices)",
    "GRDP|Real Growth": "%",
    "GRDP|Deflator": "index (base year = 1)",
    "GRDP per Capita": "million VND",
    "Population": "people",
    "Budget|Spending": "bn VND",
    "Budget|STI and DX": "bn VND",
    "Budget|STI and DX|Share": "%",
    "Budget|Central Floor": "bn VND",
    "R&D|Total": "bn VND",
    "R&D|Public": "bn VND",
    "R&D|Non-state": "bn VND",
    "R&D|Share of GRDP": "%",
    "R&D|Non-state Share": "%",
    "R&D|Non-state Gap": "bn VND",
    "R&D|Knowledge Stock": "bn VND (base-year prices)",
    "Digital Transformation|Public Spending": "bn VND",
    "Digital Transformation|Investment Intensity": "%",
    "Digital Economy|Share of GRDP": "%",
    "Digital Economy|Value Added": "bn VND",
    "Budget|R&D Incentives": "bn VND",
    "Budget|Fiscal Cost": "bn VND",
}
# Variables stored as fractions and shown in percent.
PERCENT_VARS = {k for k, u in UNITS.items() if u == "%"}


def project(inp: Inputs, *, strict: bool = True) -> Result:
    """Run the equations (docs/model.md) for every draw at once.

    Args:
        inp: engine inputs (see :func:`build_inputs`).
        strict: refuse a negative calibrated enterprise R&D (docs/model.md, calibration). With ``strict=False`` it is
            set to zero and the affected draws are flagged in ``Result.clipped_calibration`` (for
            Monte Carlo, where a draw may contradict the profile).

    Returns:
        A :class:`Result` whose percent variables are fractions and money is billion VND.
    """
    p, sc = inp.paths, inp.scalars
    D, T = inp.draws, len(inp.years)
    s, theta, c = p["stid_budget_share"], p["rd_share_of_stid"], p["central_floor_share"]
    gb, infl, b = p["real_growth_base"], p["inflation"], p["budget_to_grdp"]
    lam, rho, psi = sc["rd_crowding_in"], sc["rd_return"], sc["dx_growth_effect"]
    delta, ceil_, k0 = sc["rd_depreciation"], sc["digital_ceiling"], sc["digital_diffusion_base"]
    kappa, mu, n = sc["digital_spending_effect"], sc["dx_private_multiplier"], sc["population_growth"]
    tau = sc["rd_incentive_cost"]
    lag = sc["rd_lag"].astype(int)

    # Ratios to GRDP (eq. 4-5): independent of the GRDP level.
    budget = b
    envelope = s * b
    floor = c * b
    public_rd = theta * envelope
    dx = (1.0 - theta) * envelope

    # Calibration (docs/model.md): e0 = r0 - (1+λ)·P0/Y0.
    e0 = inp.rd_intensity0 - (1.0 + lam) * public_rd[:, 0]
    clipped = e0 < -1e-15
    if clipped.any() and strict:
        pub = public_rd[clipped.argmax(), 0]
        raise CalibrationError(
            "the profile and assumptions contradict each other in the base year: public R&D "
            f"({fmt.number(pub * 100, 'en', 3)} % of GRDP) times 1 + crowding-in "
            f"({fmt.number(1 + lam[clipped.argmax()], 'en', 2)}) exceeds the base-year R&D intensity "
            f"({fmt.number(inp.rd_intensity0 * 100, 'en', 3)} % of GRDP); lower the envelope, "
            "the R&D share or the crowding-in, or check the profile's R&D intensity",
            key="calibration",
        )
    e0 = np.maximum(e0, 0.0)
    if inp.e_years is None:
        ent = np.repeat(e0[:, None], T, axis=1)
    else:
        W = weights(inp.e_years, inp.years)  # (breakpoints, years)
        vals = np.broadcast_to(inp.e_values, (D, len(inp.e_years))).copy()
        nan = np.isnan(vals)  # e_values may also be per draw, (draws, breakpoints), for decision analysis
        vals[nan] = np.broadcast_to(e0[:, None], vals.shape)[nan]
        ent = vals @ W
        ent[:, 0] = e0

    # Eq. 6-7: non-state R&D, then the rule (computed once with the step-6 non-state R&D).
    nonstate = ent + lam[:, None] * public_rd
    if inp.cap_public:
        excess = np.maximum(0.0, public_rd - nonstate / RULE_RATIO)
        excess[:, 0] = 0.0  # the base year is history
        public_rd = public_rd - excess
        dx = dx + excess
    total_rd = public_rd + nonstate  # eq. 8, as r_t
    with np.errstate(invalid="ignore", divide="ignore"):
        nonstate_share = np.where(total_rd > 0, nonstate / np.where(total_rd > 0, total_rd, 1.0), 0.0)
    dx_intensity = (1.0 + mu[:, None]) * dx  # eq. 9

    # Eq. 1: real growth with the lagged R&D and last year's digital intensity.
    r0 = total_rd[:, :1]
    x0 = dx_intensity[:, :1]
    if (lag == lag[0]).all():  # one lag for every draw (the usual case): a shifted view, no gather
        L = min(int(lag[0]), T)
        r_lagged = np.concatenate([np.repeat(r0, L, axis=1), total_rd[:, : T - L]], axis=1) if L else total_rd
    else:
        idx = np.clip(np.arange(T)[None, :] - lag[:, None], 0, None)
        r_lagged = np.take_along_axis(total_rd, idx, axis=1)
    x_prev = np.concatenate([x0, dx_intensity[:, :-1]], axis=1)
    growth = gb + rho[:, None] * (r_lagged - r0) + psi[:, None] * (x_prev - x0)
    growth[:, 0] = inp.growth0

    # Eq. 2-3: GRDP real and nominal, population.
    real_factor = np.cumprod(np.concatenate([np.ones((D, 1)), 1.0 + growth[:, 1:]], axis=1), axis=1)
    deflator = np.cumprod(np.concatenate([np.ones((D, 1)), 1.0 + infl[:, 1:]], axis=1), axis=1)
    grdp_real = inp.grdp0 * real_factor
    grdp = grdp_real * deflator
    t_idx = np.arange(T)[None, :]
    population = inp.population0 * (1.0 + n[:, None]) ** t_idx

    # Eq. 10: logistic diffusion of the digital economy.
    # The year loops run on (years, draws) copies so that each step reads contiguous memory.
    k = np.clip(k0[:, None] + kappa[:, None] * 100.0 * (x_prev - x0), 0.0, K_MAX).T.copy()
    digital_t = np.empty((T, D))
    d = digital_t[0] = inp.digital_share0
    inv_ceiling = 1.0 / ceil_
    for t in range(1, T):
        d = d + k[t] * d * (1.0 - d * inv_ceiling)
        digital_t[t] = d
    digital = digital_t.T

    # Levels (billion VND).
    B, S, F = budget * grdp, envelope * grdp, floor * grdp
    P, N, R, X = public_rd * grdp, nonstate * grdp, total_rd * grdp, dx * grdp

    # Eq. 11: knowledge stock in base-year prices (perpetual inventory).
    real_rd = (R / deflator).T.copy()
    stock_t = np.empty((T, D))
    stock_t[0] = real_rd[0] / (inp.growth0 + delta)
    keep = 1.0 - delta
    for t in range(1, T):
        stock_t[t] = keep * stock_t[t - 1] + real_rd[t]
    stock = stock_t.T

    # Eq. 12: what enterprises must add to reach the R&D target with ≥ 60 % non-state.
    needed = np.maximum(inp.rd_target * grdp - P, RULE_RATIO * P)
    gap = np.maximum(0.0, needed - N)

    # Eq. 13: the public cost of mobilising enterprise R&D above its base-year intensity, and the fiscal cost.
    incentives = tau[:, None] * np.maximum(0.0, ent - e0[:, None]) * grdp
    fiscal = S + incentives

    # Eq. 14: cumulative costs over the years after the base year to 2030, and 2031-2045; nominal and real.
    periods = cost_periods(int(inp.years[0]), int(inp.years[-1]))
    costs: dict[str, np.ndarray] = {}
    for var, money in (("Budget|STI and DX", S), ("Budget|R&D Incentives", incentives), ("Budget|Fiscal Cost", fiscal)):
        real = money / deflator
        for label, (a, z) in periods.items():
            mask = (inp.years >= a) & (inp.years <= z)
            costs[cost_key(var, label, "Nominal")] = money[:, mask].sum(axis=1)
            costs[cost_key(var, label, "Real")] = real[:, mask].sum(axis=1)

    variables = {
        "GRDP|Nominal": grdp,
        "GRDP|Real": grdp_real,
        "GRDP|Real Growth": growth,
        "GRDP|Deflator": deflator,
        "GRDP per Capita": grdp * 1000.0 / population,
        "Population": population,
        "Budget|Spending": B,
        "Budget|STI and DX": S,
        "Budget|STI and DX|Share": s,
        "Budget|Central Floor": F,
        "R&D|Total": R,
        "R&D|Public": P,
        "R&D|Non-state": N,
        "R&D|Share of GRDP": total_rd,
        "R&D|Non-state Share": nonstate_share,
        "R&D|Non-state Gap": gap,
        "R&D|Knowledge Stock": stock,
        "Digital Transformation|Public Spending": X,
        "Digital Transformation|Investment Intensity": dx_intensity,
        "Digital Economy|Share of GRDP": digital,
        "Digital Economy|Value Added": digital * grdp,
        "Budget|R&D Incentives": incentives,
        "Budget|Fiscal Cost": fiscal,
    }
    return Result(
        years=inp.years,
        variables=variables,
        costs=costs,
        periods=periods,
        calibrated_enterprise_rd=e0,
        clipped_calibration=clipped,
    )


def run(scenario: Scenario, profile: Profile | None = None) -> Result:
    """Project one scenario on its region's profile (one draw)."""
    prof = profile or scenario.profile
    return project(build_inputs(prof, scenario))
