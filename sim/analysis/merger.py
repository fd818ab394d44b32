"""Bình Phước inside Đồng Nai: what the former province's plan contributes to the merged province.

Since 1 July 2025 Bình Phước is part of Đồng Nai (DATA.md). A planner of the merged province reads a
Bình Phước scenario against the merged province's 2030 targets:

- each 2030 target of the merged profile beside Bình Phước's own 2030 value, and whether it meets it;
- for the targets that are amounts, or shares of an amount (GRDP, the digital-economy value added, R&D
  spending), Bình Phước's amount as a share of what the merged target implies when the merged province
  reaches its GRDP target (e.g. digital economy 30 % × GRDP 1,200,000 bn = 360,000 bn);
- Bình Phước's share of the merged province's GRDP in the merged base year (its projected 2025 GRDP over
  the merged province's preliminary 677,000 bn).

All the shares are **derived** figures (arithmetic on the scenario's result and the profile's data).
Framework-free; money in billion VND, shares in percent.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Result
from ..profiles import Profile, Target
from ..targets import evaluate

PART = "binh-phuoc"
MERGED = "dong-nai"
YEAR = 2030

# Targets whose amount adds up across provinces: metric -> the part's variable (bn VND). A share target's
# amount is the share of the merged GRDP target; a level target's amount is the target itself.
AMOUNTS = {
    "grdp_nominal": "GRDP|Nominal",
    "digital_share": "Digital Economy|Value Added",
    "rd_intensity": "R&D|Total",
}
SHARE_METRICS = {"digital_share", "rd_intensity"}


@dataclass(frozen=True)
class PartRow:
    """One target of the merged province against the part's outcome in the target's year.

    Attributes:
        target: the merged province's target.
        value: the part's value in the target's unit (percent for shares).
        met: whether the part on its own meets the merged target's threshold.
        part_amount: the part's amount (bn VND) where the target adds up across provinces, else None.
        merged_amount: what the merged target implies (bn VND), else None.
        share: ``part_amount / merged_amount`` in percent (derived), else None.
    """

    target: Target
    value: float
    met: bool
    part_amount: float | None = None
    merged_amount: float | None = None
    share: float | None = None


def _at(result: Result, series, year: int) -> float:
    return float(series[0, int(year - result.years[0])])


def _average_growth(result: Result, start: int, end: int) -> float:
    """Average (compound) real growth over start+1..end, %/yr."""
    real = result["GRDP|Real"]
    return float(((_at(result, real, end) / _at(result, real, start)) ** (1.0 / (end - start)) - 1.0) * 100.0)


def merged_grdp_target(merged: Profile, year: int = YEAR) -> float | None:
    """The merged province's GRDP target for ``year`` (bn VND), if it has one."""
    for t in merged.targets:
        if t.metric == "grdp_nominal" and t.year == year:
            return t.value
    return None


def part_in_merged(part: Result, merged: Profile, year: int = YEAR) -> list[PartRow]:
    """The merged province's targets for ``year`` beside the part's outcome (one-draw ``part`` result).

    Every-year targets (the envelope rules) are left out: they concern each budget's own path.
    """
    grdp_target = merged_grdp_target(merged, year)
    rows = []
    for t in merged.targets:
        if t.year != year:
            continue
        if t.metric == "growth_avg":
            # over the merged province's years (its base year + 1 .. year), not the part's own span
            value = _average_growth(part, merged.base_year, year)
            row = PartRow(target=t, value=value, met=value >= t.value)
        else:
            try:
                got = evaluate(part, t)
            except KeyError:  # a metric the result cannot give
                continue
            row = PartRow(target=t, value=float(got.value[0]), met=bool(got.met[0]))
        if t.metric in AMOUNTS and grdp_target is not None:
            part_amount = _at(part, part[AMOUNTS[t.metric]], year)
            merged_amount = t.value / 100.0 * grdp_target if t.metric in SHARE_METRICS else t.value
            row = PartRow(t, row.value, row.met, part_amount, merged_amount, part_amount / merged_amount * 100.0)
        rows.append(row)
    return rows


@dataclass(frozen=True)
class GrdpShare:
    """The part's GRDP as a share of the merged province's, in the merged profile's base year."""

    year: int
    part_grdp: float  # bn VND, the part's scenario result in that year
    merged_grdp: float  # bn VND, the merged profile's base-year figure
    share: float  # percent (derived)


def base_year_grdp_share(part: Result, merged: Profile) -> GrdpShare:
    """The part's projected GRDP in the merged base year over the merged province's GRDP that year."""
    year = merged.base_year
    part_grdp = _at(part, part["GRDP|Nominal"], year)
    merged_grdp = merged.base.grdp_nominal.value
    return GrdpShare(year, part_grdp, merged_grdp, part_grdp / merged_grdp * 100.0)
