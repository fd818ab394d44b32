"""Headline figures of a scenario for a year, with the region's target and the change against baseline.

Shared by the Simulate page and the meeting report, so both show the same numbers the same way.
Formatting goes through :mod:`sim.fmt` for the language.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import fmt
from .engine import Result, cost_key
from .params import Text
from .profiles import Profile, Target
from .targets import METRICS, TargetResult, evaluate_all

# Money at or above this many billion VND reads better in trillions (nghìn tỷ đồng).
TRILLION_FROM = 100_000.0


@dataclass(frozen=True)
class Kpi:
    """One headline figure.

    Attributes:
        id: what it measures: ``digital_share``, ``rd_intensity``, ``rd_nonstate_share`` (percent),
            ``grdp_nominal`` (bn VND), ``grdp_per_capita`` (million VND), ``envelope_cost`` (bn VND,
            cumulative nominal over ``period``).
        year: the year shown.
        value / baseline: the scenario's and the baseline's value in the unit above.
        target: the region's target on this metric for this year, if any.
        met: whether the target is met (None without a target).
        period: the cost period ('2025-2030' or '2031-2045') for ``envelope_cost``.
    """

    id: str
    year: int
    label: Text
    value: float
    baseline: float
    target: Target | None = None
    met: bool | None = None
    period: str | None = None

    @property
    def delta(self) -> float:
        return self.value - self.baseline

    @property
    def kind(self) -> str:
        """'percent', 'money' or 'million' (how to format it)."""
        if self.id in ("digital_share", "rd_intensity", "rd_nonstate_share"):
            return "percent"
        if self.id == "grdp_per_capita":
            return "million"
        return "money"

    def format_value(self, lang: str) -> str:
        return format_amount(self.value, self.kind, lang, like=self.value)

    def format_delta(self, lang: str) -> str:
        """The change against baseline with its sign ('+2,1 điểm %', '−310 tỷ đồng'); '0' when equal."""
        d = self.delta
        if abs(d) < 1e-9 * max(1.0, abs(self.baseline)):
            return "0"
        return format_amount(d, self.kind, lang, like=self.value, signed=True)

    def unit(self, lang: str) -> str:
        """The unit the value is written in (bn or trillion VND chosen by its size)."""
        return amount_parts(self.value, self.kind, lang)[1]

    def format_number(self, lang: str) -> str:
        """The value without its unit (for cards that name the unit in the label)."""
        return amount_parts(self.value, self.kind, lang)[0]

    def format_delta_number(self, lang: str) -> str:
        """The change against baseline without its unit; '0' when equal."""
        if abs(self.delta) < 1e-9 * max(1.0, abs(self.baseline)):
            return "0"
        return amount_parts(self.delta, self.kind, lang, like=self.value, signed=True)[0]

    def format_target(self, lang: str) -> str:
        if self.target is None:
            return ""
        return f"≥ {format_target_value(self.target, lang)}"


KPI_LABELS = {
    "digital_share": Text(vi="Kinh tế số / GRDP", en="Digital economy / GRDP"),
    "rd_intensity": Text(vi="Chi R&D / GRDP", en="R&D / GRDP"),
    "rd_nonstate_share": Text(vi="R&D ngoài nhà nước", en="Non-state share of R&D"),
    "grdp_nominal": Text(vi="GRDP giá hiện hành", en="GRDP, current prices"),
    "grdp_per_capita": Text(vi="GRDP/người", en="GRDP per capita"),
    "envelope_cost": Text(vi="Chi KH,CN,ĐMST&CĐS", en="S&T/DX spending"),
}

# The card metrics, in the order shown (variables and factors from the one table in sim.targets).
CARD_METRICS = ("digital_share", "rd_intensity", "rd_nonstate_share", "grdp_nominal", "grdp_per_capita")


def cost_period(result: Result, year: int) -> str:
    """The cumulative-cost period reported beside a year's figures (its span label, e.g. '2025-2030')."""
    labels = list(result.periods)
    return next((p for p, (_, end) in result.periods.items() if year <= end), labels[-1])


def kpis(result: Result, baseline: Result, profile: Profile, year: int, draw: int = 0) -> list[Kpi]:
    """The six headline figures for one year (digital share, R&D, non-state share, GRDP, per capita, cost)."""
    out = []
    for kid in CARD_METRICS:
        var, factor = METRICS[kid]
        value = float(result.at(var, year)[draw]) * factor
        base = float(baseline.at(var, year)[draw]) * factor
        target = next((t for t in profile.targets if t.metric == kid and t.year == year), None)
        met = None if target is None else bool(value >= target.value - 1e-9 * max(1.0, abs(target.value)))
        out.append(Kpi(kid, year, KPI_LABELS[kid], value, base, target, met))
    period = cost_period(result, year)
    key = cost_key("Budget|STI and DX", period)
    out.append(
        Kpi(
            "envelope_cost",
            year,
            KPI_LABELS["envelope_cost"],
            float(result.costs[key][draw]),
            float(baseline.costs[key][draw]),
            period=period,
        )
    )
    return out


def amount_parts(x: float, kind: str, lang: str, *, like: float | None = None, signed: bool = False) -> tuple[str, str]:
    """(number, unit) of a KPI value or change, e.g. ('231,6', 'nghìn tỷ đồng') or ('+2,1', 'điểm %').

    ``like`` picks the unit (bn or trillion VND, decimals) so that a change reads in the unit of the
    value it belongs to.
    """
    ref = abs(like if like is not None else x)
    vi = lang == "vi"
    if kind == "percent":
        # two decimals below 10 % (R&D intensity 1,12 % against 1,5 %), one above; a small change keeps its digits
        decimals = 2 if (abs(x) if signed else ref) < (1 if signed else 10) else 1
        unit = ("điểm %" if vi else "pp") if signed else "%"
        scale = 1.0
    elif kind == "million":
        decimals, unit, scale = 1, ("triệu đồng" if vi else "million VND"), 1.0
    elif ref >= TRILLION_FROM:
        decimals, unit, scale = 1, ("nghìn tỷ đồng" if vi else "trillion VND"), 1000.0
    else:
        decimals, unit, scale = (0 if ref >= 1000 else 1), ("tỷ đồng" if vi else "bn VND"), 1.0
    num = fmt.signed(x / scale, lang, decimals) if signed else fmt.number(x / scale, lang, decimals)
    return num, unit


def format_amount(x: float, kind: str, lang: str, *, like: float | None = None, signed: bool = False) -> str:
    """A KPI value or change with its unit ('16,0 %', '1.420 tỷ đồng', '+0,2 nghìn tỷ đồng')."""
    num, unit = amount_parts(x, kind, lang, like=like, signed=signed)
    return f"{num} {unit}"


def format_target_value(target: Target, lang: str, value: float | None = None) -> str:
    """A value in a target's unit ('30 %', '1.200 nghìn tỷ đồng', '180 triệu đồng')."""
    x = target.value if value is None else value
    unit = target.unit
    if unit.startswith("%"):
        decimals = 2 if abs(x) < 1 and x != 0 else 1
        s = fmt.percent(x, lang, decimals)
        if unit == "% of floor":
            s += " mức sàn" if lang == "vi" else " of floor"
        elif unit == "% of budget":
            s += " chi ngân sách" if lang == "vi" else " of budget"
        elif unit == "%/yr":
            s += "/năm" if lang == "vi" else "/yr"
        return s
    if unit == "million VND":
        return fmt.million(x, lang, 1)
    if unit == "bn VND":
        return format_amount(x, "money", lang)
    return f"{fmt.number(x, lang, 1)} {unit}"


@dataclass(frozen=True)
class ScoreRow:
    """One line of the target scorecard, formatted for a language."""

    id: str
    label: str
    year: str
    value: str
    target: str
    gap: str
    met: bool
    status: str
    first_year_met: str


def scorecard(result: Result, profile: Profile, lang: str, draw: int = 0) -> list[ScoreRow]:
    """Every target of the profile: value reached, target, gap, status and first year met."""
    rows = []
    for tr in evaluate_all(result, profile):
        rows.append(_row(tr, lang, draw))
    return rows


def _row(tr: TargetResult, lang: str, draw: int) -> ScoreRow:
    t = tr.target
    met = bool(tr.met[draw])
    fy = int(tr.first_year_met[draw])
    every = "mọi năm (năm thấp nhất)" if lang == "vi" else "every year (lowest year)"
    return ScoreRow(
        id=t.id,
        label=t.label(lang),
        year=str(t.year) if t.year is not None else every,
        value=format_target_value(t, lang, float(tr.value[draw])),
        target=f"≥ {format_target_value(t, lang)}",
        gap="–" if met else format_target_value(t, lang, float(tr.gap[draw])),
        met=met,
        status=("✓ Đạt" if met else "✗ Chưa đạt") if lang == "vi" else ("✓ Met" if met else "✗ Not met"),
        first_year_met=str(fy) if fy else ("chưa đạt" if lang == "vi" else "never"),
    )
