"""What a planner reads about a scenario's outcomes: one metric table, one KPI type, one scorecard.

- :data:`METRICS_SHOWN`: every outcome shown on cards, in Compare and in the report, with its one label
  and unit (variables and factors from :data:`sim.targets.METRICS`).
- :class:`Kpi`: one headline figure of a year (value, baseline, the profile's target, met), used by the
  Simulate cards, the Present page and the meeting pack.
- :class:`Line`: one row of the scorecard, of three kinds, and every view says which kind a line is:

  - ``core``: the targets of the projection model (:func:`sim.targets.evaluate_all`).
  - ``modelled``: adoption rates (online public services, digital citizens, 5G coverage, ...) modelled as
    logistic diffusion curves driven by digital-transformation spending, in the form of docs/model.md eq. 10.
    Their base levels, ceilings and speeds are ILLUSTRATIVE assumptions (``data/scorecard.yaml``): no
    provincial series exists, so they show the direction of the effect, not a forecast.
  - ``entered``: national rankings (DTI, PII) that no model here can predict; the user enters the rank
    achieved or expected.

Only regions with such targets in DATA.md have modelled or entered lines; the others show core lines only.
Numbers are written by :mod:`sim.views.fmt`; words come from the catalog (:mod:`sim.views.i18n`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..engine import MILESTONES, Result
from ..engine import cost_key as engine_cost_key
from ..errors import InputError
from ..params import DATA_DIR, Text, read_data
from ..profiles import Profile, Target
from ..targets import METRICS, evaluate_all
from . import fmt
from .i18n import N_, gettext

# ------------------------------------------------------------------ the metrics shown


@dataclass(frozen=True)
class Metric:
    """An outcome planners read, with its one label and unit.

    Attributes:
        id: the metric id (as in :data:`sim.targets.METRICS` where it is a target metric).
        label: what planners call it (English message, translated where shown).
        unit: the unit code of the values (:data:`sim.views.fmt.UNITS`); shares in percent.
        kind: ``percent`` (a share: changes in percentage points), ``money`` (bn VND) or ``million``.
        variable: the result variable (IAMC name), or None for the cumulative cost of the envelope.
        factor: multiplier from the engine's unit (fractions) to ``unit``.
    """

    id: str
    label: str
    unit: str
    kind: str
    variable: str | None
    factor: float = 1.0

    @property
    def share(self) -> bool:
        """A share in percent: its differences are percentage points."""
        return self.kind == "percent"

    def value(self, result: Result, year: int, draw: int = 0) -> float:
        """The metric in ``year`` (NaN outside the run; for the cost: the period ending then, or NaN)."""
        if not result.years[0] <= year <= result.years[-1]:
            return math.nan
        if self.variable is None:
            key = cost_key(result, year)
            return float(result.costs[key][draw]) if key in result.costs else math.nan
        return float(result.at(self.variable, year)[draw]) * self.factor

    def name(self, lang: str, year: int | None = None, runs: Sequence[Result] = ()) -> str:
        """The label in ``lang``; the cumulative cost names its period ('… 2025-2030': the runs' actual spans)."""
        text = gettext(self.label, lang)
        if self.variable is None and year in MILESTONES:
            spans = sorted({label for r in runs if (label := _period_ending(r, year))})
            return f"{text} {' / '.join(spans) if spans else f'–{year}'}"
        return text

    def unit_text(self, lang: str) -> str:
        return fmt.unit(self.unit, lang)


def _metric(mid: str, label: str, unit: str, kind: str) -> Metric:
    variable, factor = METRICS[mid]
    return Metric(mid, label, unit, kind, variable, factor)


# One label per metric, everywhere (cards, Compare, report, exports).
METRIC_TABLE: dict[str, Metric] = {
    m.id: m
    for m in (
        _metric("digital_share", N_("Digital economy share of GRDP"), "% of GRDP", "percent"),
        _metric("rd_intensity", N_("R&D intensity"), "% of GRDP", "percent"),
        _metric("rd_nonstate_share", N_("Non-state share of R&D"), "% of R&D", "percent"),
        _metric("envelope_share", N_("S&T/DX envelope share of the budget"), "% of budget", "percent"),
        _metric("grdp_nominal", N_("GRDP, current prices"), "bn VND", "money"),
        _metric("grdp_per_capita", N_("GRDP per capita"), "million VND", "million"),
        Metric("envelope", N_("S&T/DX envelope"), "bn VND", "money", "Budget|STI and DX"),
        Metric("envelope_cost", N_("Cumulative envelope cost"), "bn VND", "money", None),
        Metric("nonstate_gap", N_("Non-state R&D gap"), "bn VND", "money", "R&D|Non-state Gap"),
    )
}

# The cards, in the order shown; the outcomes Compare sets side by side.
CARD_METRICS = ("digital_share", "rd_intensity", "rd_nonstate_share", "grdp_nominal", "grdp_per_capita")
COMPARE_METRICS = (*CARD_METRICS, "envelope", "envelope_cost", "nonstate_gap")


def metric_label(mid: str, lang: str) -> str:
    """The one label of a metric in ``lang``."""
    return METRIC_TABLE[mid].name(lang)


def metric_text(mid: str, year: int | None = None) -> Text:
    """The one label of a metric in both languages ('Digital economy share of GRDP in 2030' with ``year``)."""
    m = METRIC_TABLE[mid]
    if year is None:
        return Text(vi=m.name("vi"), en=m.name("en"))
    return Text(
        **{lg: gettext("{label} in {year}", lg).format(label=m.name(lg), year=fmt.year(year)) for lg in ("vi", "en")}
    )


def cost_period(result: Result, year: int) -> str:
    """The cumulative-cost period reported beside a year's figures (its span label, e.g. '2025-2030')."""
    labels = list(result.periods)
    return next((p for p, (_, end) in result.periods.items() if year <= end), labels[-1])


def _period_ending(result: Result, year: int) -> str | None:
    """The label of the run's cost period that ends in ``year`` (None if none does)."""
    return next((label for label, (_, end) in result.periods.items() if end == year), None)


def cost_key(result: Result, year: int) -> str:
    """The engine's cumulative-cost key (nominal envelope) of the run's period that ends in ``year`` ('' if none)."""
    label = _period_ending(result, year)
    return engine_cost_key("Budget|STI and DX", label) if label else ""


def amount_parts(
    x: float, metric: Metric, lang: str, *, like: float | None = None, signed: bool = False
) -> tuple[str, str]:
    """(number, unit) of a metric's value or change: ('231,6', 'nghìn tỷ đồng'), ('+2,1', 'điểm %').

    ``like`` picks the unit (bn or trillion VND), so a change reads in the unit of its value.
    """
    values, decimals, codes = amounts_plan(
        np.array([float(x)]), metric, like=None if like is None else np.array([float(like)]), signed=signed
    )
    return fmt.numbers(values, lang, decimals, is_signed=signed)[0], fmt.unit(codes[0], lang)


def amounts_plan(
    xs: np.ndarray, metric: Metric, *, like: np.ndarray | None = None, signed: bool = False
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """How a metric's values (or changes, ``signed``) are written: (the numbers in the unit shown, their
    decimals, the unit's code). A share in percent, its change in points; money in bn or trillion VND."""
    n = len(xs)
    if metric.kind == "percent":
        if signed:
            return xs, fmt.points_decimals(xs), ["pp"] * n
        return xs, fmt.percents_decimals(xs), ["%"] * n
    if metric.kind == "million":
        return xs, np.ones(n, dtype=int), ["million VND"] * n
    return fmt.money_scale(xs, like)


def format_amount(
    x: float | None, metric: Metric, lang: str, *, like: float | None = None, signed: bool = False
) -> str:
    """A metric's value or change with its unit ('16,0 %', '1.420 tỷ đồng', '+0,2 nghìn tỷ đồng'); '0' for no change."""
    if x is None or not math.isfinite(x):
        return fmt.MISSING
    if signed and abs(x) < 1e-9 * max(1.0, abs(like if like is not None else x)):
        return "0"
    num, unit = amount_parts(x, metric, lang, like=like, signed=signed)
    return f"{num} {unit}"


# ------------------------------------------------------------------ the KPI of a year


@dataclass(frozen=True)
class Kpi:
    """One headline figure of a year.

    Attributes:
        metric: what it measures (:data:`METRIC_TABLE`): value and baseline are in its unit.
        year: the year shown.
        value / baseline: the scenario's and the baseline's value.
        target: the profile's target on this metric for this year, if any.
        met: whether the target is met (None without a target).
        period: the cost period ('2025-2030' or '2031-2045') for ``envelope_cost``.
    """

    metric: Metric
    year: int
    value: float
    baseline: float
    target: Target | None = None
    met: bool | None = None
    period: str | None = None

    @property
    def id(self) -> str:
        return self.metric.id

    @property
    def kind(self) -> str:
        return self.metric.kind

    @property
    def delta(self) -> float:
        return self.value - self.baseline

    def label(self, lang: str) -> str:
        return self.metric.name(lang)

    def format_value(self, lang: str) -> str:
        return format_amount(self.value, self.metric, lang, like=self.value)

    def format_delta(self, lang: str) -> str:
        """The change against baseline with its sign ('+2,1 điểm %', '−310 tỷ đồng'); '0' when equal."""
        return format_amount(self.delta, self.metric, lang, like=self.value, signed=True)

    def parts(self, lang: str) -> tuple[str, str, str, str]:
        """(number, unit, change, unit of the change) as a card shows them; the change is '0' (and its unit
        '') when equal to the baseline."""
        return tuple(col[0] for col in card_parts(self.metric, np.array([self.value]), self.baseline, lang))  # type: ignore[return-value]

    def format_target(self, lang: str) -> str:
        if self.target is None:
            return ""
        return f"≥ {target_text(self.target.value, self.target.unit, lang)}"


def card_parts(
    metric: Metric, values: np.ndarray, baseline: float, lang: str
) -> tuple[list[str], list[str], list[str], list[str]]:
    """:meth:`Kpi.parts` of many values of one metric against one baseline value, as four columns."""
    return cards_parts([(metric, values, baseline)], lang)[0]


def cards_parts(
    cards: Sequence[tuple[Metric, np.ndarray, float]], lang: str
) -> list[tuple[list[str], list[str], list[str], list[str]]]:
    """:func:`card_parts` of several cards (metric, values, baseline value), their numbers written in two
    passes of the formatter (values, then changes) rather than two a card."""
    deltas = [values - base for _, values, base in cards]
    plans = [amounts_plan(values, m) for m, values, _ in cards]
    change_plans = [
        amounts_plan(d, m, like=values, signed=True) for (m, values, _), d in zip(cards, deltas, strict=True)
    ]
    numbers = _split(fmt.numbers(_join(p[0] for p in plans), lang, _join(p[1] for p in plans)), plans)
    changes = _split(
        fmt.numbers(_join(p[0] for p in change_plans), lang, _join(p[1] for p in change_plans), is_signed=True),
        change_plans,
    )
    out = []
    for (_, _, base), d, plan, change_plan, nums, chg in zip(
        cards, deltas, plans, change_plans, numbers, changes, strict=True
    ):
        units, change_units = fmt.units(plan[2], lang), fmt.units(change_plan[2], lang)
        same = np.abs(d) < 1e-9 * max(1.0, abs(base))
        if same.any():
            chg = ["0" if s else c for s, c in zip(same.tolist(), chg, strict=True)]
            change_units = ["" if s else u for s, u in zip(same.tolist(), change_units, strict=True)]
        out.append((nums, units, chg, change_units))
    return out


def _join(arrays: Iterable[np.ndarray]) -> np.ndarray:
    return np.concatenate([np.asarray(a, dtype=float) for a in arrays])


def _split(texts: list[str], plans: Sequence[tuple[np.ndarray, np.ndarray, list[str]]]) -> list[list[str]]:
    ends = np.cumsum([len(p[2]) for p in plans]).tolist()
    return [texts[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


@dataclass(frozen=True)
class CardColumn:
    """One card of a year over the runs of a batch: its texts (as :meth:`Kpi.parts`) and whether each run
    meets the target (None without a target)."""

    metric: Metric
    parts: tuple[list[str], list[str], list[str], list[str]]
    met: np.ndarray | None


def card_columns(result: Result, baseline: Result, profile: Profile, year: int, lang: str) -> list[CardColumn]:
    """The cards of a year (as :func:`kpis`) for every run of a batch at once, against the baseline's run."""
    columns = _kpi_columns(result, baseline, profile, year, None, 0)
    parts = cards_parts([(m, values, base) for m, values, base, _, _ in columns], lang)
    return [
        CardColumn(m, texts, None if target is None else _met(values, target))
        for (m, values, _, target, _), texts in zip(columns, parts, strict=True)
    ]


def _met(values: np.ndarray, target: Target) -> np.ndarray:
    """Whether each value meets the target (its value minus a relative 1e-9 for float noise)."""
    return values >= target.value - 1e-9 * max(1.0, abs(target.value))


def _kpi_columns(
    result: Result, baseline: Result, profile: Profile, year: int, draws: Sequence[int] | None, baseline_draw: int
) -> list[tuple[Metric, np.ndarray, float, Target | None, str | None]]:
    """(metric, value of each run, baseline value, target, cost period) of each card of a year."""
    runs = next(iter(result.variables.values())).shape[0]
    idx = np.arange(runs) if draws is None else np.asarray(list(draws), dtype=int)
    inside = result.years[0] <= year <= result.years[-1]
    columns: list[tuple[Metric, np.ndarray, float, Target | None, str | None]] = []
    for mid in CARD_METRICS:
        m = METRIC_TABLE[mid]
        assert m.variable is not None
        values = result.at(m.variable, year)[idx] * m.factor if inside else np.full(len(idx), math.nan)
        target = next((t for t in profile.targets if t.metric == mid and t.year == year), None)
        columns.append((m, np.asarray(values, dtype=float), m.value(baseline, year, baseline_draw), target, None))
    period = cost_period(result, year)
    key = engine_cost_key("Budget|STI and DX", period)
    cost = METRIC_TABLE["envelope_cost"]
    columns.append(
        (cost, np.asarray(result.costs[key][idx], dtype=float), float(baseline.costs[key][baseline_draw]), None, period)
    )
    return columns


def kpis(result: Result, baseline: Result, profile: Profile, year: int, draw: int = 0) -> list[Kpi]:
    """The six headline figures of a year: the card metrics, then the cumulative envelope cost."""
    return kpis_of_draws(result, baseline, profile, year, draws=[draw], baseline_draw=draw)[0]


def kpis_of_draws(
    result: Result,
    baseline: Result,
    profile: Profile,
    year: int,
    draws: Sequence[int] | None = None,
    baseline_draw: int = 0,
) -> list[list[Kpi]]:
    """The headline figures of a year (as :func:`kpis`) for many runs of a batch at once, against one baseline run.

    Args:
        draws: the runs of ``result`` (default: every one).
        baseline_draw: the run of ``baseline`` every change is measured against.
    """
    columns = _kpi_columns(result, baseline, profile, year, draws, baseline_draw)
    out: list[list[Kpi]] = [[] for _ in range(len(columns[0][1]))]
    for m, values, base, target, period_ in columns:
        met = [None] * len(values) if target is None else _met(values, target).tolist()
        for row, value, ok in zip(out, values.tolist(), met, strict=True):
            row.append(Kpi(m, year, value, base, target, ok, period=period_))
    return out


def target_text(x: float, unit: str, lang: str) -> str:
    """A target value as it is written ('30 %', '1,5 %', '180 triệu đồng'): no more decimals than it has."""
    return fmt.value(x, unit, lang, decimals=fmt.decimals_of(x))


# ------------------------------------------------------------------ status words and marks

# Marks that render with Debian's default fonts (DejaVu has them; emoji need a colour-emoji font).
MARKS = {True: "✓", False: "✗", None: "–"}
STATUS = {True: N_("met"), False: N_("not met"), None: N_("not entered")}


def status_text(met: bool | None, lang: str, mark: bool = False, capital: bool = False) -> str:
    """'đạt' / 'chưa đạt' / 'chưa nhập', the one wording of met / not met.

    ``mark`` puts a mark before it and capitalises it (a badge: '✓ Đạt'); ``capital`` only capitalises.
    """
    words = gettext(STATUS[met], lang)
    if mark or capital:
        words = words[:1].upper() + words[1:]
    return f"{MARKS[met]} {words}" if mark else words


SCORECARD_FILE = DATA_DIR / "scorecard.yaml"
INTENSITY_VAR = "Digital Transformation|Investment Intensity"
K_MAX = 1.0  # as in the engine: the discrete logistic never overshoots its ceiling

Kind = Literal["core", "modelled", "entered"]
KIND_LABEL: dict[str, str] = {
    "core": N_("Core model"),
    "modelled": N_("Modelled (illustrative)"),
    "entered": N_("Entered"),
}
RANK_STATUSES = ("achieved", "expected")


class AdoptionTarget(BaseModel):
    """``value op target`` in ``year``; ``met_from`` where a logistic curve can only approach the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    year: int
    op: Literal[">", ">="]
    value: float
    met_from: float | None = None

    def holds(self, x: np.ndarray | float) -> np.ndarray:
        if self.met_from is not None:
            return np.asarray(x) >= self.met_from
        return np.asarray(x) > self.value if self.op == ">" else np.asarray(x) >= self.value


class Indicator(BaseModel):
    """An adoption rate (percent) on a logistic diffusion curve (illustrative parameters).

    Attributes:
        base: level in the profile's base year (%).
        ceiling: saturation level (%).
        base_speed: diffusion speed with no extra digital spending (1/yr).
        sensitivity: extra speed per percentage point of GRDP of digital investment above the base year
            (1/yr per pp).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Text
    unit: Text
    base: float = Field(gt=0)
    ceiling: float = Field(gt=0, le=100)
    base_speed: float = Field(ge=0, le=K_MAX)
    sensitivity: float = Field(ge=0)
    target: AdoptionTarget
    tag: Literal["assumption"]
    base_source: str
    source: str


class RankTarget(BaseModel):
    """A national ranking target (entered, not modelled): rank ≤ ``top`` by ``year``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Text
    top: int = Field(ge=1)
    year: int
    last_known: Text
    source: str


class RegionScorecard(BaseModel):
    """The extra scorecard lines of one region profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    note: Text
    indicators: tuple[Indicator, ...] = ()
    ranks: tuple[RankTarget, ...] = ()


@cache
def load_spec() -> dict[str, RegionScorecard]:
    """Every region's extra scorecard lines, from ``data/scorecard.yaml``."""
    raw = read_data(SCORECARD_FILE) or {}
    return {region: RegionScorecard.model_validate(v) for region, v in raw.items()}


def region_spec(region: str) -> RegionScorecard | None:
    """The extra lines of a region, or None when DATA.md lists no such targets for it."""
    return load_spec().get(region)


# ------------------------------------------------------------------ diffusion


def diffusion(base: float, ceiling: float, base_speed: float, sensitivity: float, intensity: np.ndarray) -> np.ndarray:
    """Adoption rate on a logistic diffusion curve driven by digital-investment intensity.

    ``k_t = clip(base_speed + sensitivity · 100 · (x_{t−1} − x_0), 0, 1)`` and
    ``a_t = a_{t−1} + k_t · a_{t−1} · (1 − a_{t−1}/ceiling)``, ``a_0 = base`` (docs/model.md eq. 10's form).

    Args:
        base: level in the first year (%).
        ceiling: saturation level (%).
        base_speed: speed with no extra spending (1/yr).
        sensitivity: extra speed per pp of GRDP of digital investment above the first year.
        intensity: digital-investment intensity x (fraction of GRDP), shape (years,) or (draws, years).

    Returns:
        The adoption rate (%), same shape as ``intensity``.
    """
    x = np.atleast_2d(np.asarray(intensity, dtype=float))
    x_prev = np.concatenate([x[:, :1], x[:, :-1]], axis=1)
    k = np.clip(base_speed + sensitivity * 100.0 * (x_prev - x[:, :1]), 0.0, K_MAX)
    out = np.empty_like(x)
    a = np.full(x.shape[0], float(base))
    out[:, 0] = a
    for t in range(1, x.shape[1]):
        a = a + k[:, t] * a * (1.0 - a / ceiling)
        out[:, t] = a
    return out if np.ndim(intensity) == 2 else out[0]


def adoption(result: Result, indicator: Indicator) -> np.ndarray:
    """An indicator's path for every draw of a result (draws, years), in percent."""
    return diffusion(
        indicator.base, indicator.ceiling, indicator.base_speed, indicator.sensitivity, result[INTENSITY_VAR]
    )


def adoption_paths(result: Result, region: str) -> dict[str, np.ndarray]:
    """Every modelled indicator of a region: id -> (draws, years) in percent (empty if none)."""
    spec = region_spec(region)
    return {i.id: adoption(result, i) for i in spec.indicators} if spec else {}


# ------------------------------------------------------------------ entered ranks


@dataclass(frozen=True)
class RankStatus:
    """A rank the user entered: ``rank`` achieved or expected (in ``year``, optional)."""

    rank: int
    status: Literal["achieved", "expected"] = "expected"
    year: int | None = None


_RANK_RE = re.compile(r"^\s*(?P<id>[a-z0-9_]+)\s*=\s*(?P<rank>[^:]+?)\s*(?::\s*(?P<status>[a-z]+)\s*)?$")


def parse_rank(text: str, region: str, source: str = "--rank") -> tuple[str, RankStatus]:
    """Parse ``ID=RANK[:achieved|expected]`` (e.g. ``dti_rank=7:expected``).

    Raises:
        InputError: an unknown id, a rank that is not a whole number from 1 to 63, or an unknown status.
    """
    m = _RANK_RE.match(text or "")
    if not m:
        raise InputError(f"{text!r} is not ID=RANK[:achieved|expected], e.g. dti_rank=7:expected", source)
    rid = m["id"]
    spec = region_spec(region)
    known = [r.id for r in spec.ranks] if spec else []
    if rid not in known:
        raise InputError(f"unknown rank target {rid!r} for {region} (known: {', '.join(known) or 'none'})", source, rid)
    return rid, check_rank(m["rank"], m["status"] or "expected", source, rid)


def check_rank(rank: object, status: object = "expected", source: str = "rank", key: str = "rank") -> RankStatus:
    """Validate an entered rank (1 to 63: the number of provinces before the 2025 merger)."""
    try:
        r = int(str(rank).strip())
    except ValueError:
        raise InputError(f"rank {rank!r} is not a whole number", source, key) from None
    if not 1 <= r <= 63:
        raise InputError(f"rank {r} is outside 1..63", source, key)
    if status not in RANK_STATUSES:
        raise InputError(f"status {status!r} is not one of {', '.join(RANK_STATUSES)}", source, key)
    return RankStatus(rank=r, status=status)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the scorecard


@dataclass(frozen=True)
class Line:
    """One line of the scorecard, for one draw.

    Attributes:
        kind: ``core`` (projection model), ``modelled`` (illustrative diffusion curve) or ``entered``.
        year: the target year; None for a target that must hold every year.
        value: the value reached (the worst year for an every-year target; the rank for an entered line;
            None when nothing was entered).
        target: the target value (the rank ``top`` for entered lines).
        op: the comparison ('>=', '>', '<=' for ranks).
        unit: the unit of value and target ('%', 'bn VND', 'rank', ...).
        met: True / False; None for an entered line without an entry.
        first_year_met: first year the target holds (None: never or unknown).
        note: what the user should know (illustrative, the entered status, the last known rank).
    """

    id: str
    kind: Kind
    label: Text
    year: int | None
    value: float | None
    target: float
    op: str
    unit: str
    met: bool | None
    gap: float | None
    first_year_met: int | None
    source: str
    note: Text | None = None

    def kind_label(self, lang: str) -> str:
        return gettext(KIND_LABEL[self.kind], lang)

    def status_text(self, lang: str, mark: bool = False, capital: bool = False) -> str:
        return status_text(self.met, lang, mark, capital)

    def value_text(self, lang: str) -> str:
        """The value reached in its unit ('30,2 %', '1,12 %', '1.234 tỷ đồng', 'hạng 7')."""
        if self.unit == "rank":
            return (
                fmt.MISSING if self.value is None else gettext("rank {n}", lang).format(n=fmt.short(self.value, lang))
            )
        return fmt.value(self.value, self.unit, lang)

    def target_text(self, lang: str) -> str:
        if self.unit == "rank":
            return gettext("top {n}", lang).format(n=fmt.short(self.target, lang))
        return f"{OP_SIGN.get(self.op, self.op)} {target_text(self.target, self.unit, lang)}"

    def gap_text(self, lang: str) -> str:
        """How far the line is from its target: percentage points for shares ('4,4 điểm %'); '–' when met."""
        if self.gap is None:
            return ""
        if self.met:
            return fmt.MISSING
        if self.unit.startswith("%"):
            # a gap in a share is in percentage points ('4,4 điểm %'), of the floor etc. where the unit says so
            tail = "" if self.unit == "%" else fmt.unit(self.unit, lang)[1:]
            return fmt.points(self.gap, lang, is_signed=False) + tail
        if self.unit == "rank":
            return fmt.short(self.gap, lang)
        return fmt.value(self.gap, self.unit, lang)

    def year_text(self, lang: str) -> str:
        return gettext("every year", lang) if self.year is None else fmt.year(self.year)

    def first_year_text(self, lang: str) -> str:
        """The first year the target holds, or 'chưa đạt' / 'never'."""
        return gettext("never", lang) if self.first_year_met is None else fmt.year(self.first_year_met)


OP_SIGN = {">=": "≥", "<=": "≤", ">": ">"}


def core_lines(result: Result, profile: Profile, draw: int = 0) -> list[Line]:
    """The projection model's targets (docs/model.md §4) as scorecard lines."""
    out = []
    for tr in evaluate_all(result, profile):
        t = tr.target
        fy = int(tr.first_year_met[draw])
        out.append(
            Line(
                id=t.id,
                kind="core",
                label=t.label,
                year=t.year,
                value=float(tr.value[draw]),
                target=t.value,
                op=t.op,
                unit="%" if t.unit == "%" else t.unit,
                met=bool(tr.met[draw]),
                gap=float(tr.gap[draw]),
                first_year_met=fy or None,
                source=t.source,
            )
        )
    return out


def modelled_lines(result: Result, region: str, draw: int = 0) -> list[Line]:
    """The illustrative adoption curves of a region as scorecard lines (empty if it has none)."""
    spec = region_spec(region)
    if spec is None:
        return []
    years = result.years
    out = []
    for ind in spec.indicators:
        path = adoption(result, ind)[draw]
        t = ind.target
        if not years[0] <= t.year <= years[-1]:
            continue
        value = float(path[t.year - years[0]])
        holds = ind.target.holds(path)
        first = int(years[holds.argmax()]) if holds.any() else None
        met = bool(holds[t.year - years[0]])
        out.append(
            Line(
                id=ind.id,
                kind="modelled",
                label=ind.label,
                year=t.year,
                value=value,
                target=t.value,
                op=t.op,
                unit="%",
                met=met,
                gap=max(0.0, (t.met_from if t.met_from is not None else t.value) - value) if not met else 0.0,
                first_year_met=first,
                source=ind.source,
                note=Text(**{lg: _indicator_note(ind, lg) for lg in ("vi", "en")}),
            )
        )
    return out


def _indicator_note(ind: Indicator, lang: str) -> str:
    words = gettext("Base {base}, ceiling {ceiling}", lang)
    return (
        words.format(base=fmt.percent(ind.base, lang), ceiling=fmt.percent(ind.ceiling, lang)) + f" — {ind.base_source}"
    )


def entered_lines(region: str, ranks: Mapping[str, RankStatus] | None = None) -> list[Line]:
    """The rank targets of a region, with the ranks the user entered (not modelled)."""
    spec = region_spec(region)
    if spec is None:
        return []
    ranks = ranks or {}
    out = []
    for r in spec.ranks:
        st = ranks.get(r.id)
        if st is None:
            note = Text(vi=f"Chưa nhập. Gần nhất: {r.last_known.vi}", en=f"Not entered. Last known: {r.last_known.en}")
        else:
            when = f" ({st.year})" if st.year else ""
            note = Text(
                vi=("đã đạt" if st.status == "achieved" else "dự kiến") + when + f". Gần nhất: {r.last_known.vi}",
                en=st.status + when + f". Last known: {r.last_known.en}",
            )
        out.append(
            Line(
                id=r.id,
                kind="entered",
                label=r.label,
                year=r.year,
                value=float(st.rank) if st else None,
                target=float(r.top),
                op="<=",
                unit="rank",
                met=(st.rank <= r.top) if st else None,
                gap=float(max(0, st.rank - r.top)) if st else None,
                first_year_met=None,
                source=r.source,
                note=note,
            )
        )
    return out


def scorecard(
    result: Result, profile: Profile, ranks: Mapping[str, RankStatus] | None = None, draw: int = 0
) -> list[Line]:
    """Every line of the region's scorecard: core targets, then modelled adoption curves, then entered ranks."""
    return [
        *core_lines(result, profile, draw),
        *modelled_lines(result, profile.id, draw),
        *entered_lines(profile.id, ranks),
    ]


def illustrative_note(region: str, lang: str) -> str | None:
    """The region's note on the illustrative lines (None when it has none)."""
    spec = region_spec(region)
    return spec.note(lang).strip() if spec and spec.indicators else None
