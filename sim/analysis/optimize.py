"""The cheapest plan: the least real fiscal cost that meets the 2030 targets, held for years, and the rules.

Three answers to one problem, each a restriction of the next:

- ``flat``: the envelope share and the R&D share flat from the year after the base year, enterprise R&D
  along a straight line from its calibrated base-year value to a 2030 value (three numbers);
- ``ramp``: the same with the envelope on a straight line from the first year to 2030 (four numbers:
  the old "cheapest mix");
- ``yearly``: the envelope share s_t, the R&D share θ_t and enterprise R&D e_t chosen for each year
  T0+1..2030 (three numbers a year).

After 2030 every lever holds its 2030 value: the plan is a plan to 2030, and the years after it show
whether what it built lasts.

Objective: the real fiscal cost over T0+1..2030 (docs/model.md v2 eq. 13-14), the envelope S_t plus the
mobilisation incentives I_t = τ·max(0, e_t − e_T0)·Y_t, each year deflated to base-year prices.
Enterprise R&D never falls below its calibrated base-year value in a plan (asking enterprises to do
less R&D saves nothing), so I_t is smooth in the decision.

Constraints (``PlanSettings``):

- every kept 2030 target of the profile (digital share, R&D intensity, GRDP per capita, ...) in every
  year 2030..``hold_until`` (default 2035), not only in 2030: a plan that switches everything into the
  target year in order to tick it once does not count;
- the rules in every year after the base year to the horizon: the envelope at or above the central floor,
  the envelope (VND) never falling year on year, at least 60 % non-state R&D;
- pace limits, from the base year on: the envelope share rises by at most ``envelope_step`` points of
  budget spending a year (default 1), total R&D by at most ``rd_step`` points of GRDP a year (default
  0.4) and the R&D share of the envelope moves by at most ``share_step`` points a year (default 10);
- optionally the profile's 2045 targets (in 2045) and a ceiling on enterprise R&D (% of GRDP).

Why the two R&D pace limits: holding the targets to 2035 does not by itself stop a one-year switch. After
2030 the levers hold their 2030 values, so R&D stays at its 2030 level and the digital share keeps rising
even with no DX money; and money spent in 2030 counts once in the cost. Without the limits the cheapest
Bình Phước plan (v2 defaults) keeps the whole envelope on DX and enterprise R&D at today's level until 2029,
then moves the envelope to 100 % R&D and lifts enterprise R&D from 0.06 % to 1.04 % of GRDP in 2030 alone
(2,904 bn VND real 2025-2030). Research capacity (researchers, labs, firms' R&D units) takes years to build
whoever pays, and a budget is not reallocated wholesale in one year: the limits say so, and are settings.

Method: the flat and ramp answers start from the cheapest feasible case of a coarse grid (one vectorised
engine call); the year-by-year answer starts from the ramp answer (which is one of its plans). Each is
refined with SLSQP (:func:`scipy.optimize.minimize`) whose gradients come from one vectorised engine
call per step (forward differences over every decision at once). A refinement is kept only when the
plain check finds it feasible and cheaper, so ``yearly ≤ ramp ≤ flat`` in cost. When no start is
feasible, SLSQP first minimises the total relative shortfall (each constraint's worst year, summed); if
that stays above zero the problem is called infeasible and the report names each constraint still short
at that closest plan, its worst year and by how much (a sum, not the largest shortfall, so constraints
that can be met are met and the ones in conflict stand out).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..engine import Inputs, Result, project
from ..errors import InputError
from ..params import Text, schema
from ..paths import weights
from ..profiles import Profile, Target
from ..scenario import Scenario
from ..targets import metric_series
from ..views import fmt
from ..views.i18n import N_, T_, gettext
from .batch import ENTERPRISE, enterprise_rows, model_range, repeat, run_batch, scenario_inputs, set_lever_rows

ENVELOPE, RD_SHARE = "stid_budget_share", "rd_share_of_stid"
LEVERS = (ENVELOPE, RD_SHARE, ENTERPRISE)
DECISION_YEAR = 2030
HOLD_UNTIL = 2035  # default last year the 2030 targets must still hold
ENVELOPE_STEP = 1.0  # default: the envelope share rises by at most 1 point of budget spending a year
RD_STEP = 0.4  # default: total R&D rises by at most 0.4 points of GRDP a year (see PlanSettings)
SHARE_STEP = 10.0  # default: the R&D share of the envelope moves by at most 10 points a year (see PlanSettings)
RULE_METRICS = ("envelope_to_floor", "envelope_growth", "rd_nonstate_share")
NOT_BY_DEFAULT = ("growth_avg",)  # an economy-wide plan, not a budget target: asked for by name only
SHAPES = ("yearly", "ramp", "flat")
SHAPE_NAMES = {"yearly": N_("year by year"), "ramp": N_("straight-line ramp"), "flat": N_("flat shares")}
TOL = 1e-9  # relative tolerance of every constraint (as sim.targets.evaluate)
BINDING = 1e-4  # relative slack under which a constraint counts as binding
GRID = {"envelope": 11, "rd_share": 11, "enterprise": 6}
POLISH_STARTS = 3


@dataclass(frozen=True)
class PlanSettings:
    """What the plan must hold (UI units).

    Attributes:
        hold_until: the 2030 targets must hold in every year 2030..hold_until.
        envelope_step: the largest rise of the envelope share in one year (points of budget spending);
            None for no limit.
        targets_2045: also meet the profile's 2045 targets (in 2045).
        rd_step: the largest rise of total R&D intensity in one year (points of GRDP); None for no limit.
            Research capacity (researchers, labs, firms' R&D units) is built over years whoever pays; without
            this limit the cheapest plan lifts enterprise R&D in 2030 alone (see the module text). 0.4 lets
            R&D go from 0.15 % to 1.5 % of GRDP in four years and Đồng Nai's from 0.3 % to 2 % in five, well
            above the fastest national rises on record (Korea, China: about 0.1-0.15 points a year).
        share_step: the largest change, up or down, of the R&D share of the envelope in one year (points);
            None for no limit. Without it the cheapest plan spends the whole envelope on digital
            transformation until 2029 and on R&D from 2030 (the digital effect comes a year later, so DX
            money in the target year buys nothing the targets see).
        ceiling: the most enterprise R&D a plan may count on in any year (% of GRDP); None for the
            parameter's own range.
        keep: ids of the targets to meet besides the rules (see :func:`optional_targets`); None for
            :func:`default_targets`. The rules always hold.
    """

    hold_until: int = HOLD_UNTIL
    envelope_step: float | None = ENVELOPE_STEP
    rd_step: float | None = RD_STEP
    share_step: float | None = SHARE_STEP
    targets_2045: bool = False
    ceiling: float | None = None
    keep: tuple[str, ...] | None = None


# The pace limits: metric -> the variable whose yearly rise is limited (shown in percent).
# The R&D share is the one actually spent (after the cap_public rule moves money to DX).
STEP_VARIABLES = {
    "envelope_step": "Budget|STI and DX|Share",
    "rd_step": "R&D|Share of GRDP",
    "share_step": ("R&D|Public", "Budget|STI and DX"),
}
PACE_LIMITS = ("envelope_step", "rd_step", "share_step")
LIMIT_LABELS = {
    "envelope_step": N_("Envelope rises by at most {step} points of budget spending a year"),
    "rd_step": N_("R&D rises by at most {step} points of GRDP a year"),
    "share_step": N_("R&D share of the envelope moves by at most {step} points a year"),
}


@dataclass(frozen=True)
class Constraint:
    """One constraint family: a metric held at or above (or below, ``upper``) a value in some years."""

    id: str
    metric: str
    years: tuple[int, ...]
    value: float
    unit: str
    kind: str  # "target", "rule" or "limit"
    target: Target | None = None
    upper: bool = False

    def label(self, lang: str) -> str:
        if self.target is not None:
            return self.target.label(lang)
        return gettext(LIMIT_LABELS[self.metric], lang).format(step=self.value)

    def span(self) -> str:
        """The years it is checked in, as text (``2030-2035``)."""
        a, z = self.years[0], self.years[-1]
        return str(a) if a == z else f"{a}-{z}"

    def series(self, res: Result) -> np.ndarray:
        """The metric in the constraint's years, (draws, len(years)), in the target's unit."""
        idx = np.asarray(self.years) - int(res.years[0])
        if self.metric in STEP_VARIABLES:
            var = STEP_VARIABLES[self.metric]
            if isinstance(var, str):
                x = res[var] * 100.0
            else:  # a share of a total that may be zero (no envelope: no R&D share to speak of)
                num, den = res[var[0]], res[var[1]]
                x = np.divide(num, den, out=np.zeros_like(num), where=den > 0) * 100.0
            step = np.diff(x, axis=1, prepend=x[:, :1])[:, idx]
            return np.abs(step) if self.metric == "share_step" else step
        return metric_series(res, self.metric)[:, idx]

    def slack(self, res: Result) -> np.ndarray:
        """How far inside the constraint each year is (target unit; negative: the shortfall)."""
        x = self.series(res)
        return self.value - x if self.upper else x - self.value


@dataclass(frozen=True)
class Check:
    """One constraint at a plan: its worst year, the value there and whether it holds."""

    constraint: Constraint
    year: int
    value: float
    slack: float

    @property
    def met(self) -> bool:
        return self.slack >= -TOL * max(1.0, abs(self.constraint.value))

    @property
    def binding(self) -> bool:
        return abs(self.slack) <= BINDING * max(1.0, abs(self.constraint.value))


@dataclass(frozen=True)
class Plan:
    """One answer (or, when infeasible, the closest plan of its shape).

    Attributes:
        shape: ``yearly``, ``ramp`` or ``flat``.
        feasible: the plan meets every constraint (checked with a plain run of ``scenario``).
        scenario: the plan as a scenario (year-keyed paths for the three levers), ready to save or open.
        paths: lever id -> {year: value in UI units} for every year T0+1..2030.
        cost_real: real fiscal cost T0+1..2030 (bn VND, base-year prices) = envelope_real + incentives_real.
        checks: every constraint family at the plan.
    """

    shape: str
    feasible: bool
    scenario: Scenario
    paths: dict[str, dict[int, float]]
    cost_real: float
    envelope_real: float
    incentives_real: float
    checks: list[Check]

    @property
    def violated(self) -> list[Check]:
        return [c for c in self.checks if not c.met]


@dataclass(frozen=True)
class PlanResult:
    """The three answers, the settings and the scenario the user started from."""

    plans: dict[str, Plan]
    settings: PlanSettings
    first_year: int
    current_cost_real: float
    constraints: list[Constraint]
    seconds: float = 0.0
    runs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def best(self) -> Plan:
        return self.plans["yearly"]

    @property
    def feasible(self) -> bool:
        return self.best.feasible

    @property
    def span(self) -> str:
        return f"{self.first_year}-{DECISION_YEAR}"


def plan_constraints(profile: Profile, settings: PlanSettings = PlanSettings()) -> list[Constraint]:
    """Every constraint of the plan (see the module text), in the profile's order, then the pace limits."""
    T0, H = profile.base_year, profile.horizon
    after = tuple(range(T0 + 1, H + 1))
    keep = set(settings.keep) if settings.keep is not None else {t.id for t in default_targets(profile)}
    out: list[Constraint] = []
    for t in profile.targets:
        if t.metric in RULE_METRICS and (t.year is None or t.year == DECISION_YEAR):
            # The rules hold in every year after the base year (the 60 % non-state rule too).
            out.append(Constraint(t.id, t.metric, after, t.value, t.unit, "rule", t))
        elif t.year is not None and t.year > DECISION_YEAR:  # the 2045 targets, when asked for
            if settings.targets_2045 and t.year <= H:
                out.append(Constraint(t.id, t.metric, (t.year,), t.value, t.unit, "target", t))
        elif t.id not in keep:
            continue
        elif t.year is None:  # an every-year target (the 3 % budget rule): from its first year on
            years = tuple(y for y in after if y >= (t.from_year or 0))
            out.append(Constraint(t.id, t.metric, years, t.value, t.unit, "target", t))
        elif t.year == DECISION_YEAR:
            years = tuple(range(DECISION_YEAR, settings.hold_until + 1))
            out.append(Constraint(t.id, t.metric, years, t.value, t.unit, "target", t))
    years = tuple(range(T0 + 1, DECISION_YEAR + 1))
    for metric in PACE_LIMITS:
        step = getattr(settings, metric)
        if step is not None:
            out.append(Constraint(metric, metric, years, step, "pp", "limit", upper=True))
    return out


def optional_targets(profile: Profile) -> list[Target]:
    """The targets a plan may be asked to meet besides the rules (``keep``): the 2030 targets and every-year
    targets that are not rules (the 3 % budget rule). The 2045 targets come with ``targets_2045``."""
    return [t for t in profile.targets if t.metric not in RULE_METRICS and (t.year is None or t.year == DECISION_YEAR)]


def default_targets(profile: Profile) -> list[Target]:
    """The targets a plan meets unless told otherwise: the 2030 targets, growth plans apart.

    A growth plan is economy-wide (the budget levers alone do not reach it under the baseline growth
    assumption) and the 3 % budget rule is a national reference for a province that sets no share of its
    own (Đồng Nai's plan adopts it): both are there to ask for by name (``keep``).
    """
    return [t for t in optional_targets(profile) if t.year == DECISION_YEAR and t.metric not in NOT_BY_DEFAULT]


def fiscal_cost_real(res: Result) -> tuple[np.ndarray, np.ndarray]:
    """(envelope, incentives) summed over T0+1..2030 in base-year prices, per draw (bn VND).

    Their sum is the engine's ``Cost|Fiscal Cost|<T0+1>-2030|Real`` (docs/model.md v2 eq. 13-14).
    """
    return res.cost("Budget|STI and DX", 0, "Real"), res.cost("Budget|R&D Incentives", 0, "Real")


class _Problem:
    """One shape of the plan: the decision (knot values per lever) evaluated for many cases per engine call.

    A lever's path is linear between its knot years and flat after the last (2030); enterprise R&D in the
    ramp and flat shapes is anchored at its calibrated base-year value. Decisions are handled in the
    unit cube (0..1 per knot); ``lo + z·span`` gives model units.
    """

    def __init__(
        self,
        scenario: Scenario,
        prof: Profile,
        constraints: list[Constraint],
        knots: dict[str, tuple[int, ...]],
        anchored: frozenset[str],
        ceiling: float | None,
        fixed: dict[str, np.ndarray] | None = None,
    ):
        self.scenario, self.prof, self.constraints = scenario, prof, constraints
        self.inp1 = scenario_inputs(scenario, prof)
        self.e0 = float(project(self.inp1, strict=True).calibrated_enterprise_rd[0])  # type: ignore[index]
        self.T0 = prof.base_year
        self.first_year = self.T0 + 1
        self.years = self.inp1.years
        self.knots, self.anchored = knots, anchored
        self.fixed = fixed or {}  # lever -> full-year row (model units) that is not decided
        self.cols: dict[str, slice] = {}
        self.W: dict[str, np.ndarray] = {}
        lo: list[float] = []
        hi: list[float] = []
        e_hi = model_range(ENTERPRISE)[1] if ceiling is None else ceiling * schema()[ENTERPRISE].scale
        bounds = {
            ENVELOPE: model_range(ENVELOPE),
            RD_SHARE: model_range(RD_SHARE),
            ENTERPRISE: (self.e0, max(self.e0, e_hi)),
        }
        for pid in LEVERS:
            if pid in self.fixed:
                continue
            ks = knots[pid]
            self.cols[pid] = slice(len(lo), len(lo) + len(ks))
            bx = ([self.T0] if pid in anchored else []) + list(ks)
            self.W[pid] = weights(np.array(bx, dtype=float), self.years)
            lo += [bounds[pid][0]] * len(ks)
            hi += [bounds[pid][1]] * len(ks)
        self.lo, self.hi = np.array(lo), np.array(hi)
        self.span = np.where(self.hi > self.lo, self.hi - self.lo, 1.0)
        # Each constraint-year up to 2030 is a row for SLSQP; a constraint's later years (the levers hold their
        # 2030 values there) are one row, their minimum: fewer rows, a faster SLSQP step.
        self.cutoff = DECISION_YEAR
        self.rows_of = [int(np.sum(np.asarray(c.years) <= self.cutoff)) for c in constraints]
        widths = [n + (n < len(c.years)) for c, n in zip(constraints, self.rows_of, strict=True)]
        sizes = [max(1.0, abs(c.value)) for c in constraints]
        self.scale = np.repeat(sizes, widths)
        self.family = np.repeat(np.arange(len(constraints)), widths)
        self.runs = 0

    @property
    def size(self) -> int:
        return len(self.lo)

    def rows(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Full-year lever rows (model units) for decisions X (cases, size) in model units."""
        out = {}
        for pid in LEVERS:
            if pid in self.fixed:
                out[pid] = np.repeat(self.fixed[pid][None, :], len(X), axis=0)
                continue
            vals = X[:, self.cols[pid]]
            if pid in self.anchored:
                vals = np.column_stack([np.full(len(X), self.e0), vals])
            out[pid] = vals @ self.W[pid]
        return out

    def run(self, Z: np.ndarray) -> tuple[Result, Inputs]:
        Z = np.atleast_2d(Z)
        X = self.lo + np.clip(Z, 0.0, 1.0) * self.span
        inp = repeat(self.inp1, len(X))
        for pid, r in self.rows(X).items():
            set_lever_rows(inp, pid, r)
        self.runs += len(X)
        return run_batch(inp), inp

    def evaluate(self, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Real fiscal cost (bn VND) and relative slack of every constraint-year (cases, m) for Z."""
        if np.size(Z) == 0:
            return np.empty(0), np.empty((0, len(self.scale)))
        res, _ = self.run(Z)
        env, inc = fiscal_cost_real(res)
        parts = []
        for c, n in zip(self.constraints, self.rows_of, strict=True):
            sl = c.slack(res)
            parts.append(sl[:, :n])
            if n < sl.shape[1]:
                parts.append(sl[:, n:].min(axis=1, keepdims=True))
        slack = np.concatenate(parts, axis=1) / self.scale
        return env + inc, np.nan_to_num(slack, nan=-1e6)

    def embed(self, rows: dict[str, np.ndarray]) -> np.ndarray:
        """The decision of this shape that reproduces full-year rows at its knots (unit cube)."""
        x = np.empty(self.size)
        for pid, sl in self.cols.items():
            x[sl] = rows[pid][np.asarray(self.knots[pid]) - self.T0]
        return np.clip((x - self.lo) / self.span, 0.0, 1.0)

    def grid(self) -> np.ndarray:
        """A coarse grid over the decision (unit cube) for the flat and ramp shapes."""
        axes = []
        for pid, sl in self.cols.items():
            n = GRID["envelope" if pid == ENVELOPE else "rd_share" if pid == RD_SHARE else "enterprise"]
            g = np.linspace(0.0, 1.0, n)
            if sl.stop - sl.start == 1:
                axes.append(g[:, None])
            elif sl.stop - sl.start == 2 and pid == ENVELOPE:  # a rising pair (first year ≤ 2030)
                i, j = np.triu_indices(n)
                axes.append(np.column_stack([g[i], g[j]]))
            else:
                raise ValueError("the grid is for the flat and ramp shapes")
        idx = np.meshgrid(*[np.arange(len(a)) for a in axes], indexing="ij")
        return np.column_stack([a[i.ravel()] for a, i in zip(axes, idx, strict=True)])

    def _at(self):
        """Cost, slack and their forward-difference derivatives at z, one engine call per new z."""
        h = 1e-7
        cache: dict[bytes, tuple[float, np.ndarray, np.ndarray, np.ndarray]] = {}

        def at(z: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
            key = z.tobytes()
            if key not in cache:
                # Step inwards at the upper bound so every case stays inside the box.
                steps = np.where(z + h <= 1.0, h, -h)
                Z = np.vstack([z, z + np.diag(steps)])
                c, g = self.evaluate(Z)
                cache.clear()
                cache[key] = (float(c[0]), (c[1:] - c[0]) / steps, g[0], ((g[1:] - g[0]) / steps[:, None]).T)
            return cache[key]

        return at

    def minimise_cost(self, z0: np.ndarray) -> np.ndarray | None:
        """SLSQP from z0; None unless it ends at a feasible plan."""
        from scipy.optimize import minimize  # slow import: only when the optimiser runs

        at = self._at()
        c0 = max(at(z0)[0], 1e-9)
        try:
            sol = minimize(
                lambda z: at(z)[0] / c0,
                z0,
                jac=lambda z: at(z)[1] / c0,
                bounds=[(0.0, 1.0)] * self.size,
                constraints=[{"type": "ineq", "fun": lambda z: at(z)[2], "jac": lambda z: at(z)[3]}],
                method="SLSQP",
                options={"maxiter": 300, "ftol": 1e-10},
            )
        except (ValueError, np.linalg.LinAlgError):
            return None
        z = np.clip(sol.x, 0.0, 1.0)
        return z if self.evaluate(z)[1].min() >= -TOL else None

    def shortfall(self, g: np.ndarray) -> float:
        """The total relative shortfall of one case: each constraint's worst year, summed over constraints."""
        worst = np.zeros(len(self.constraints))
        np.maximum.at(worst, self.family, -g)
        return float(worst.sum())

    def closest(self, z0: np.ndarray) -> tuple[np.ndarray, float]:
        """The plan with the least total shortfall, from z0: (plan, shortfall; ≤ TOL means feasible).

        SLSQP on an elastic problem: one slack variable per constraint (its worst year's relative
        shortfall), their sum minimised. A sum rather than the largest shortfall leaves the constraints that
        can be met met, so the report names the ones that conflict.
        """
        from scipy.optimize import minimize

        at = self._at()
        n, m = self.size, len(self.constraints)
        E = np.eye(m)[self.family]  # constraint-year row -> its constraint
        t0 = np.zeros(m)
        np.maximum.at(t0, self.family, -at(z0)[2])
        try:
            sol = minimize(
                lambda v: v[n:].sum(),
                np.concatenate([z0, t0 + 1e-6]),
                jac=lambda v: np.concatenate([np.zeros(n), np.ones(m)]),
                bounds=[(0.0, 1.0)] * n + [(0.0, None)] * m,
                constraints=[
                    {
                        "type": "ineq",
                        "fun": lambda v: at(v[:n])[2] + E @ v[n:],
                        "jac": lambda v: np.column_stack([at(v[:n])[3], E]),
                    }
                ],
                method="SLSQP",
                options={"maxiter": 300, "ftol": 1e-12},
            )
            z = np.clip(sol.x[:n], 0.0, 1.0)
        except (ValueError, np.linalg.LinAlgError):
            z = z0
        short0, short = self.shortfall(self.evaluate(z0)[1][0]), self.shortfall(self.evaluate(z)[1][0])
        return (z, short) if short <= short0 else (z0, short0)


def _knots(shape: str, T0: int) -> tuple[dict[str, tuple[int, ...]], frozenset[str]]:
    first = T0 + 1
    every = tuple(range(first, DECISION_YEAR + 1))
    if shape == "yearly":
        return {pid: every for pid in LEVERS}, frozenset()
    envelope = (first, DECISION_YEAR) if shape == "ramp" else (first,)
    return {ENVELOPE: envelope, RD_SHARE: (first,), ENTERPRISE: (DECISION_YEAR,)}, frozenset({ENTERPRISE})


def _validate(prof: Profile, settings: PlanSettings, e0: float) -> None:
    if prof.base_year >= DECISION_YEAR - 1:
        raise InputError(f"the base year {prof.base_year} leaves no years to plan before 2030", key="region")
    if not DECISION_YEAR <= settings.hold_until <= prof.horizon:
        raise InputError(
            f"{settings.hold_until} is outside {DECISION_YEAR} to {prof.horizon} (the years the 2030 targets "
            "must hold)",
            key="hold_until",
        )
    for key in PACE_LIMITS:
        step = getattr(settings, key)
        if step is not None and not 0 < step <= 100:
            raise InputError(f"{fmt.short(step, 'en')} is not a yearly rise above 0 and at most 100 points", key=key)
    if settings.ceiling is not None:
        p = schema()[ENTERPRISE]
        e0_ui = e0 / p.scale
        if not (p.min is not None and p.max is not None and p.min <= settings.ceiling <= p.max):
            raise InputError(
                f"{fmt.short(settings.ceiling, 'en')} % of GRDP is outside {p.range_text()}", key="ceiling"
            )
        if settings.ceiling < e0_ui:
            raise InputError(
                f"{fmt.short(settings.ceiling, 'en')} % of GRDP is below enterprises' R&D today "
                f"({fmt.number(e0_ui, 'en', 4)} %)",
                key="ceiling",
            )
    known = {t.id for t in optional_targets(prof)}
    for tid in settings.keep or ():
        if tid not in known:
            raise InputError(f"{tid!r} is not a target of {prof.id} (known: {', '.join(sorted(known))})", key="keep")


def _round(rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Paths as people read them: 6 decimals in UI units, the envelope and enterprise R&D rounded up."""
    out = {}
    for pid, r in rows.items():
        sc = schema()[pid].scale
        v = r / sc
        v = np.round(v, 6) if pid == RD_SHARE else np.ceil(np.round(v * 1e6, 3)) / 1e6
        out[pid] = v * sc
    return out


def _scenario_for(pb: _Problem, rows: dict[str, np.ndarray]) -> Scenario:
    """The plan as a scenario: one breakpoint per knot (per year in the yearly shape), UI units."""
    changes: dict[str, Any] = {}
    for pid in LEVERS:
        sc = schema()[pid].scale
        ks = pb.knots[pid]
        vals = {int(y): float(rows[pid][y - pb.T0] / sc) for y in ks}
        if len(ks) == 1 and ks[0] == pb.first_year:
            changes[pid] = vals[ks[0]]  # a plain number: flat from the year after the base year
        else:
            changes[pid] = vals
    return pb.scenario.with_changes(**changes)


def _decision_rows(pb: _Problem, z: np.ndarray) -> dict[str, np.ndarray]:
    rows = pb.rows((pb.lo + np.clip(z, 0.0, 1.0) * pb.span)[None, :])
    return {pid: r[0] for pid, r in rows.items()}


def _plan(pb: _Problem, shape: str, rows: dict[str, np.ndarray]) -> Plan:
    """The plan with these lever rows (model units), checked with a plain run of the scenario it makes.

    The paths are rounded for people (:func:`_round`) when the rounded plan still meets every constraint.
    """
    for candidate in (_round(rows), rows):
        sc = _scenario_for(pb, candidate)
        inp = scenario_inputs(sc, pb.prof)
        res = project(inp, strict=False)
        if all(float(c.slack(res).min()) >= -TOL * max(1.0, abs(c.value)) for c in pb.constraints):
            break
    env, inc = fiscal_cost_real(res)
    checks = []
    for c in pb.constraints:
        sl = c.slack(res)[0]
        i = int(np.argmin(sl))
        checks.append(Check(c, c.years[i], float(c.series(res)[0, i]), float(sl[i])))
    ent = enterprise_rows(inp, res.calibrated_enterprise_rd)[0]
    full = {ENVELOPE: inp.paths[ENVELOPE][0], RD_SHARE: inp.paths[RD_SHARE][0], ENTERPRISE: ent}
    plan_years = range(pb.first_year, DECISION_YEAR + 1)
    paths = {pid: {y: float(full[pid][y - pb.T0] / schema()[pid].scale) for y in plan_years} for pid in LEVERS}
    feasible = all(c.met for c in checks)
    return Plan(
        shape=shape,
        feasible=feasible,
        scenario=_named(sc, shape, feasible),
        paths=paths,
        cost_real=float(env[0] + inc[0]),
        envelope_real=float(env[0]),
        incentives_real=float(inc[0]),
        checks=checks,
    )


def solve(pb: _Problem, starts: list[np.ndarray]) -> tuple[np.ndarray, bool]:
    """The cheapest feasible decision from the given starts (unit cube) and True, or the closest one and False."""
    if not starts:
        raise ValueError("no start")
    S = np.array(starts)
    cost, slack = pb.evaluate(S)
    ok = slack.min(axis=1) >= -TOL
    if not ok.any():
        z, short = pb.closest(S[int(np.argmin([pb.shortfall(g) for g in slack]))])
        if short > TOL:
            return z, False
        S, cost, ok = z[None, :], pb.evaluate(z)[0], np.array([True])
    order = np.nonzero(ok)[0][np.argsort(cost[ok])]
    best_z, best_c = S[order[0]], float(cost[order[0]])
    for i in order[:POLISH_STARTS]:
        z = pb.minimise_cost(S[i])
        if z is not None:
            c = float(pb.evaluate(z)[0][0])
            if c < best_c:
                best_z, best_c = z, c
    return best_z, True


def make_problem(
    scenario: Scenario,
    shape: str = "yearly",
    settings: PlanSettings = PlanSettings(),
    profile: Profile | None = None,
    knots: dict[str, tuple[int, ...]] | None = None,
    fixed: dict[str, dict[int, float]] | None = None,
) -> _Problem:
    """The plan problem of one shape (for the solver and for checking it with another one).

    Args:
        knots: lever id -> decision years (overrides the shape's; paths are linear between them).
        fixed: lever id -> {year: UI value} for each year T0+1..2030: a lever the plan may not change.
    """
    prof = profile or scenario.profile
    e0 = float(project(scenario_inputs(scenario, prof), strict=True).calibrated_enterprise_rd[0])  # type: ignore[index]
    _validate(prof, settings, e0)
    ks, anchored = _knots(shape, prof.base_year)
    if knots is not None:
        ks, anchored = {**ks, **knots}, anchored - set(knots)
    fixed_rows = {}
    for pid, path in (fixed or {}).items():
        years = np.arange(prof.base_year, prof.horizon + 1)
        row = np.interp(years, np.array(sorted(path), dtype=float), [path[y] for y in sorted(path)])
        fixed_rows[pid] = row * schema()[pid].scale
    return _Problem(scenario, prof, plan_constraints(prof, settings), ks, anchored, settings.ceiling, fixed_rows)


def cheapest_plan(
    scenario: Scenario, settings: PlanSettings = PlanSettings(), profile: Profile | None = None
) -> PlanResult:
    """The cheapest year-by-year plan, with the cheapest ramp and flat plans beside it.

    Args:
        scenario: the starting scenario (its assumptions, central floor and rule mode are kept).
        settings: what the plan must hold (see :class:`PlanSettings`).
        profile: the region profile (default: the scenario's).

    Returns:
        A :class:`PlanResult`; each plan carries its scenario, paths, real fiscal cost and checks.

    Raises:
        InputError: a setting out of range, an unknown target id, or a base year of 2029 or later.
    """
    t_start = time.perf_counter()
    prof = profile or scenario.profile
    problems = {shape: make_problem(scenario, shape, settings, prof) for shape in SHAPES}
    plans: dict[str, Plan] = {}
    rows_of: dict[str, dict[str, np.ndarray]] = {}
    for shape in ("flat", "ramp", "yearly"):
        pb = problems[shape]
        starts = list(pb.grid()) if shape != "yearly" else []
        for prev in rows_of.values():  # the answers of the narrower shapes are plans of this one
            starts.append(pb.embed(prev))
        z, _ = solve(pb, starts)
        plan = _plan(pb, shape, _decision_rows(pb, z))
        # A narrower answer is a plan of this shape too: keep it when the refinement could not beat it.
        for p in list(plans.values()):
            if p.feasible and (not plan.feasible or p.cost_real < plan.cost_real):
                plan = _plan(pb, shape, _rows_of_plan(pb, p))
        plans[shape] = plan
        rows_of[shape] = _rows_of_plan(pb, plan)
    inp = scenario_inputs(scenario, prof)
    env, inc = fiscal_cost_real(project(inp, strict=False))
    return PlanResult(
        plans={s: plans[s] for s in SHAPES},
        settings=settings,
        first_year=prof.base_year + 1,
        current_cost_real=float(env[0] + inc[0]),
        constraints=problems["yearly"].constraints,
        seconds=time.perf_counter() - t_start,
        runs=sum(p.runs for p in problems.values()),
    )


def _rows_of_plan(pb: _Problem, plan: Plan) -> dict[str, np.ndarray]:
    """Full-year rows (model units) of a plan's paths (base year: the scenario's)."""
    out = {}
    for pid in LEVERS:
        sc = schema()[pid].scale
        row = np.empty(len(pb.years))
        row[0] = np.nan
        for y, v in plan.paths[pid].items():
            row[y - pb.T0] = v * sc
        row[DECISION_YEAR - pb.T0 + 1 :] = row[DECISION_YEAR - pb.T0]
        out[pid] = row
    return out


PLAN_NAMES = {
    "yearly": N_("Cheapest plan, year by year"),
    "ramp": N_("Cheapest plan, straight-line ramp"),
    "flat": N_("Cheapest plan, flat shares"),
}
PLAN_TEXT = N_(
    "The S&T/DX envelope, R&D share and enterprise R&D mobilisation paths with the least fiscal cost (envelope "
    "plus incentives, base-year prices, to 2030) that hold the 2030 targets in every year to the year required and "
    "the rules; found by the decision-analysis tool."
)
CLOSEST_NAME = N_("{name} (closest)")
CLOSEST_TEXT = N_("No plan within the allowed ranges meets every constraint; this one falls short the least.")


def _named(sc: Scenario, shape: str, feasible: bool) -> Scenario:
    """The plan's scenario with a name and description in both languages (from the message catalog)."""
    if feasible:
        name, desc = T_(PLAN_NAMES[shape]), T_(PLAN_TEXT)
    else:
        base = T_(PLAN_NAMES[shape])
        closest = T_(CLOSEST_NAME)
        name = Text(vi=closest.vi.format(name=base.vi), en=closest.en.format(name=base.en))
        desc = T_(CLOSEST_TEXT)
    return replace(sc, name=name, description=desc, status="draft")
