"""The cheapest budget mix: the least public money that meets every 2030 target and the rules.

Decision (four numbers, UI units):

- the envelope share of budget spending in the first year after the base year and in 2030, with a
  straight line between them and flat after 2030 (``stid_budget_share: {T0+1: s1, 2030: s30}``);
- the R&D share of the envelope, flat from the year after the base year (``rd_share_of_stid``);
- enterprise R&D in 2030, reached along a straight line from the calibrated base-year value and flat
  afterwards (``enterprise_rd_intensity: {2030: e}``), at most a plausibility ceiling the user sets:
  enterprise R&D costs the budget nothing in this model, so without a ceiling the answer would always
  "mobilise" enterprises to the top of the range.

Objective: the cumulative envelope from the year after the base year to 2030, in base-year prices.

Constraints: every target of the profile for 2030 that the user keeps (digital share, R&D intensity,
GRDP per capita, ...) and, always, the rules: the envelope at or above the central floor and never
falling in any year after the base year (to the horizon), and at least 60 % non-state R&D in 2030. The
envelope path must not fall (s1 ≤ s30). Assumptions and the rule mode stay as in the scenario.

Method: a coarse grid over the four numbers (about 12,700 cases, one vectorised engine call) finds the
cheapest feasible cases; each of the best few is polished with SLSQP (:func:`scipy.optimize.minimize`),
whose gradients come from one small vectorised call per step (forward differences). The answer is
checked with a plain run of the returned scenario. When no case of the grid meets every constraint the
problem is called infeasible: the report names the targets no decision within the ranges can meet even
on its own (with the best value reachable), the constraints whose removal alone would make the problem
feasible, and the shortfalls at the case that comes closest to meeting all of them (smallest worst
relative shortfall).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine import Inputs, project
from ..errors import InputError
from ..params import Text, schema
from ..paths import weights
from ..profiles import Profile, Target
from ..scenario import Scenario
from ..targets import evaluate, evaluate_all
from ..views import fmt
from .batch import (
    ENTERPRISE,
    enterprise_rows,
    lever_rows,
    model_range,
    repeat,
    run_batch,
    scenario_inputs,
    set_lever_rows,
)

ENVELOPE, RD_SHARE = "stid_budget_share", "rd_share_of_stid"
COST = "Budget|STI and DX"  # summed over the years after the base year to 2030, base-year prices
DECISION_YEAR = 2030
DEFAULT_CEILING = 0.8  # % of GRDP: the Resolution-57 preset's 2030 mobilisation
RULE_METRICS = ("envelope_to_floor", "envelope_growth", "rd_nonstate_share")
NOT_BY_DEFAULT = ("growth_avg",)  # an economy-wide plan, not a budget target: asked for by name only
MARGIN = 1e-6  # relative slack the polish keeps inside every constraint
GRID = {"envelope": 21, "rd_share": 11, "enterprise": 5}
POLISH_STARTS = 3
DECISION_NAMES = ("envelope_first", "envelope_2030", "rd_share", "enterprise_2030")


@dataclass(frozen=True)
class Check:
    """One constraint at the answer (target units)."""

    target: Target
    value: float
    met: bool

    @property
    def slack(self) -> float:
        """How far above the target (negative: the shortfall)."""
        return self.value - self.target.value

    @property
    def binding(self) -> bool:
        """The answer sits on this constraint (within 0.01 % of the target's size)."""
        return abs(self.slack) <= 1e-4 * max(1.0, abs(self.target.value))


@dataclass(frozen=True)
class MixResult:
    """The cheapest mix, or why there is none.

    Attributes:
        feasible: some decision within the ranges meets every constraint.
        scenario: the cheapest mix as a scenario (the closest case when infeasible).
        decision: ``envelope_first`` (share in ``first_year``), ``envelope_2030``, ``rd_share`` (% of the
            envelope) and ``enterprise_2030`` (% of GRDP), UI units.
        cost_real, current_cost_real: cumulative real envelope 2025-2030 of the answer and of the scenario
            the user started from (bn VND, base-year prices).
        checks: every constraint at the answer.
        unreachable_alone: (target, best value reachable) for targets no decision meets even on its own.
        feasible_without: when infeasible, the constraints whose removal alone would leave a feasible mix.
    """

    feasible: bool
    scenario: Scenario
    decision: dict[str, float]
    first_year: int
    ceiling: float
    cost_real: float
    current_cost_real: float
    checks: list[Check]
    unreachable_alone: list[tuple[Target, float]] = field(default_factory=list)
    feasible_without: list[Target] = field(default_factory=list)
    runs: int = 0

    @property
    def saving(self) -> float:
        return self.current_cost_real - self.cost_real

    @property
    def violated(self) -> list[Check]:
        return [c for c in self.checks if not c.met]


def mix_targets(profile: Profile, keep: list[str] | None = None) -> list[Target]:
    """The constraints: the profile's 2030 targets (those in ``keep``; default all but the growth plan, which
    the budget levers alone cannot reach under the baseline growth assumption) plus the rules."""
    out = []
    for t in profile.targets:
        is_rule = t.metric in RULE_METRICS and (t.year is None or t.year == DECISION_YEAR)
        default = t.metric not in NOT_BY_DEFAULT
        if is_rule or (t.year == DECISION_YEAR and (t.id in keep if keep is not None else default)):
            out.append(t)
    return out


class _Problem:
    """The four-number decision evaluated for many cases in one engine call."""

    def __init__(self, scenario: Scenario, prof: Profile, targets: list[Target], ceiling: float):
        self.scenario, self.prof, self.targets = scenario, prof, targets
        self.inp1: Inputs = scenario_inputs(scenario, prof)
        self.e0 = float(project(self.inp1, strict=True).calibrated_enterprise_rd[0])  # type: ignore[index]
        T0 = prof.base_year
        self.first_year = T0 + 1
        self.W = weights(np.array([T0 + 1.0, float(DECISION_YEAR)]), self.inp1.years)  # (2, years)
        s_lo, s_hi = (v / schema()[ENVELOPE].scale for v in model_range(ENVELOPE))
        t_lo, t_hi = (v / schema()[RD_SHARE].scale for v in model_range(RD_SHARE))
        e_lo = model_range(ENTERPRISE)[0] / schema()[ENTERPRISE].scale
        self.lo = np.array([s_lo, s_lo, t_lo, e_lo])
        self.hi = np.array([s_hi, s_hi, t_hi, ceiling])
        self.scale = np.array([max(1.0, abs(t.value)) for t in targets])
        self.runs = 0

    def evaluate(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cost (bn VND), relative slack (cases, constraints) and met flags for decisions X (cases, 4)."""
        X = np.atleast_2d(X)
        D = len(X)
        inp = repeat(self.inp1, D)
        env = (X[:, :2] @ self.W) * schema()[ENVELOPE].scale
        set_lever_rows(inp, ENVELOPE, env)
        set_lever_rows(inp, RD_SHARE, lever_rows(self.inp1, RD_SHARE, X[:, 2]))
        set_lever_rows(inp, ENTERPRISE, lever_rows(self.inp1, ENTERPRISE, X[:, 3], DECISION_YEAR, self.e0))
        res = run_batch(inp)
        self.runs += D
        trs = [evaluate(res, t) for t in self.targets]
        slack = np.stack([(tr.value - t.value) / s for tr, t, s in zip(trs, self.targets, self.scale, strict=True)], 1)
        met = np.stack([tr.met for tr in trs], axis=1)
        return res.cost(COST, 0, "Real"), slack, met

    def scenario_for(self, x: np.ndarray) -> Scenario:
        s1, s30, theta, e = (float(v) for v in x)
        return self.scenario.with_changes(
            **{
                ENVELOPE: {self.first_year: s1, DECISION_YEAR: s30},
                RD_SHARE: theta,
                ENTERPRISE: {DECISION_YEAR: e},
            }
        )

    def grid(self) -> np.ndarray:
        s = np.linspace(self.lo[0], self.hi[0], GRID["envelope"])
        i, j = np.triu_indices(len(s))  # s1 ≤ s30
        th = np.linspace(self.lo[2], self.hi[2], GRID["rd_share"])
        e = np.linspace(self.lo[3], self.hi[3], GRID["enterprise"])
        P, Q, R = np.meshgrid(np.arange(len(i)), np.arange(len(th)), np.arange(len(e)), indexing="ij")
        P, Q, R = P.ravel(), Q.ravel(), R.ravel()
        return np.column_stack([s[i][P], s[j][P], th[Q], e[R]])

    def polish(self, x0: np.ndarray) -> np.ndarray | None:
        """SLSQP from x0 in the unit cube; None if it fails to reach a feasible point."""
        from scipy.optimize import minimize  # slow import: only when the optimiser runs

        span = self.hi - self.lo
        span = np.where(span > 0, span, 1.0)
        h = 1e-6
        cache: dict[bytes, tuple[float, np.ndarray, np.ndarray, np.ndarray]] = {}
        cost0 = max(float(self.evaluate(x0)[0][0]), 1e-9)

        def at(z: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
            key = z.tobytes()
            if key not in cache:
                Z = np.vstack([z, z + h * np.eye(4)])
                c, g, _ = self.evaluate(self.lo + np.clip(Z, 0.0, 1.0 + h) * span)
                c = c / cost0
                cache.clear()
                cache[key] = (float(c[0]), (c[1:] - c[0]) / h, g[0], (g[1:] - g[0]) / h)
            return cache[key]

        z0 = (x0 - self.lo) / span
        cons: list[dict[str, Any]] = [
            {"type": "ineq", "fun": lambda z: at(z)[2] - MARGIN, "jac": lambda z: at(z)[3].T},
            {
                "type": "ineq",
                "fun": lambda z: np.array([z[1] * span[1] - z[0] * span[0]]),
                "jac": lambda z: np.array([[-span[0], span[1], 0.0, 0.0]]),
            },
        ]
        try:
            sol = minimize(
                lambda z: at(z)[0],
                z0,
                jac=lambda z: at(z)[1],
                bounds=[(0.0, 1.0)] * 4,
                constraints=cons,
                method="SLSQP",
                options={"maxiter": 200, "ftol": 1e-12},
            )
        except (ValueError, np.linalg.LinAlgError):
            return None
        x = self.lo + np.clip(sol.x, 0.0, 1.0) * span
        x[1] = max(x[1], x[0])
        _, _, met = self.evaluate(x)
        return x if met.all() else None


def decision_of(scenario: Scenario, profile: Profile | None = None) -> dict[str, float]:
    """The four numbers of the decision as any scenario sets them (UI units), to show beside the answer.

    The envelope in the first year after the base year and in 2030, the R&D share in 2030 and enterprise
    R&D in 2030 (from the calibrated base-year value when the scenario leaves it at the default).
    """
    prof = profile or scenario.profile
    inp = scenario_inputs(scenario, prof)
    e0 = project(inp, strict=False).calibrated_enterprise_rd
    i1, i30 = 1, DECISION_YEAR - prof.base_year
    ent = enterprise_rows(inp, e0)[0]
    env, rd = inp.paths[ENVELOPE][0], inp.paths[RD_SHARE][0]
    return {
        "envelope_first": float(env[i1]) / schema()[ENVELOPE].scale,
        "envelope_2030": float(env[i30]) / schema()[ENVELOPE].scale,
        "rd_share": float(rd[i30]) / schema()[RD_SHARE].scale,
        "enterprise_2030": float(ent[i30]) / schema()[ENTERPRISE].scale,
    }


def _tidy(x: np.ndarray, problem: _Problem) -> np.ndarray:
    """Round the answer for people (6 decimals; the envelope and enterprise R&D upwards) if it stays feasible."""
    r = np.array([np.ceil(x[0] * 1e6) / 1e6, np.ceil(x[1] * 1e6) / 1e6, round(x[2], 6), np.ceil(x[3] * 1e6) / 1e6])
    r = np.minimum(r, problem.hi)
    r[1] = max(r[1], r[0])
    _, _, met = problem.evaluate(r)
    return r if met.all() else x


def cheapest_mix(
    scenario: Scenario,
    ceiling: float = DEFAULT_CEILING,
    keep: list[str] | None = None,
    profile: Profile | None = None,
) -> MixResult:
    """The decision that meets every kept 2030 target and the rules at the least real cost 2025-2030.

    Args:
        scenario: the starting scenario (its assumptions and rule mode are kept).
        ceiling: plausibility ceiling on enterprise R&D in 2030 (% of GRDP).
        keep: ids of the 2030 targets to meet (default: all of them); the rules are always kept.
        profile: the region profile (default: the scenario's).

    Returns:
        A :class:`MixResult` with the answer as a scenario the user can save.

    Raises:
        InputError: a ceiling outside the enterprise R&D range, or a profile whose base year is 2030
            or later (nothing left to decide).
    """
    prof = profile or scenario.profile
    p_e = schema()[ENTERPRISE]
    if not (p_e.min is not None and p_e.max is not None and p_e.min <= ceiling <= p_e.max):
        raise InputError(f"{fmt.short(ceiling, 'en')} % of GRDP is outside {p_e.range_text()}", key="ceiling")
    if prof.base_year >= DECISION_YEAR - 1:
        raise InputError(f"the base year {prof.base_year} leaves no years to plan before 2030", key="region")
    targets = mix_targets(prof, keep)
    pb = _Problem(scenario, prof, targets, float(ceiling))
    current = float(project(scenario_inputs(scenario, prof)).cost(COST, 0, "Real")[0])

    X = pb.grid()
    cost, slack, met = pb.evaluate(X)
    ok = met.all(axis=1)
    unreachable = [
        (t, float(t.value + slack[:, j].max() * pb.scale[j])) for j, t in enumerate(targets) if not met[:, j].any()
    ]
    if ok.any():
        order = np.nonzero(ok)[0][np.argsort(cost[ok])]
        best_x, best_c = X[order[0]], float(cost[order[0]])
        for idx in order[:POLISH_STARTS]:
            x = pb.polish(X[idx])
            if x is not None:
                c = float(pb.evaluate(x)[0][0])
                if c < best_c:
                    best_x, best_c = x, c
        best_x = _tidy(best_x, pb)
        feasible = True
        without: list[Target] = []
    else:
        worst = (-slack).max(axis=1)  # each case's worst relative shortfall
        best_x = X[int(np.argmin(worst))]
        feasible = False
        without = [t for j, t in enumerate(targets) if np.delete(met, j, axis=1).all(axis=1).any()]

    sc = pb.scenario_for(best_x)
    sc = _named(sc, feasible)
    res = project(scenario_inputs(sc, prof), strict=False)
    checks = [
        Check(tr.target, float(tr.value[0]), bool(tr.met[0])) for tr in evaluate_all(res, prof) if tr.target in targets
    ]
    return MixResult(
        feasible=feasible and all(c.met for c in checks),
        scenario=sc,
        decision=dict(zip(DECISION_NAMES, (float(v) for v in best_x), strict=True)),
        first_year=pb.first_year,
        ceiling=float(ceiling),
        cost_real=float(res.cost(COST, 0, "Real")[0]),
        current_cost_real=current,
        checks=checks,
        unreachable_alone=unreachable,
        feasible_without=without,
        runs=pb.runs,
    )


def _named(sc: Scenario, feasible: bool) -> Scenario:
    from dataclasses import replace

    if feasible:
        name = Text(vi="Phương án chi phí thấp nhất", en="Cheapest budget mix")
        desc = Text(
            vi="Đường ngân sách KH,CN,ĐMST&CĐS, tỷ trọng R&D và mức huy động R&D doanh nghiệp rẻ nhất (giá năm gốc, "
            "2025-2030) đạt mọi mục tiêu năm 2030 và các quy tắc; tìm bằng công cụ phân tích quyết định.",
            en="The least-cost S&T/DX envelope path, R&D share and enterprise R&D mobilisation (base-year prices, "
            "2025-2030) that meets every 2030 target and the rules; found by the decision-analysis tool.",
        )
    else:
        name = Text(vi="Phương án gần đạt nhất", en="Closest budget mix")
        desc = Text(
            vi="Không có phương án nào trong phạm vi cho phép đạt mọi mục tiêu năm 2030; "
            "đây là phương án thiếu hụt ít nhất.",
            en="No mix within the allowed ranges meets every 2030 target; this one falls short the least.",
        )
    return replace(sc, name=name, description=desc, status="draft")
