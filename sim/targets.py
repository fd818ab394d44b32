"""Target evaluation (docs/model.md, targets): value reached, target, gap, met, first year met — per draw."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .engine import Result
from .profiles import Profile, Target

# The outcomes planners read, by metric id: (result variable, factor from the engine's unit to the one
# shown: 100 for shares in percent). Targets, KPI cards, comparisons and the analysis all read this table.
METRICS = {
    "digital_share": ("Digital Economy|Share of GRDP", 100.0),
    "rd_intensity": ("R&D|Share of GRDP", 100.0),
    "rd_nonstate_share": ("R&D|Non-state Share", 100.0),
    "envelope_share": ("Budget|STI and DX|Share", 100.0),
    "grdp_nominal": ("GRDP|Nominal", 1.0),
    "grdp_per_capita": ("GRDP per Capita", 1.0),
}


@dataclass
class TargetResult:
    """One target's outcome for every draw (arrays of shape (draws,)).

    ``first_year_met`` is 0 where the target is never met. For an every-year target the value is the
    worst year after the base year (from the target's ``from_year`` if later) and the first year met is the
    first year from which it holds in every later year.
    """

    target: Target
    value: np.ndarray
    gap: np.ndarray
    met: np.ndarray
    first_year_met: np.ndarray

    @property
    def id(self) -> str:
        return self.target.id

    def every_year_text(self) -> str:
        """'every year', or 'every year from 2026' for a rule that starts later."""
        return "every year" + (f" from {self.target.from_year}" if self.target.from_year else "")

    def summary(self, draw: int = 0) -> dict[str, object]:
        """Plain values for one draw (for tables, JSON and the CLI)."""
        fy = int(self.first_year_met[draw])
        return {
            "id": self.target.id,
            "label_vi": self.target.label.vi,
            "label_en": self.target.label.en,
            "year": self.target.year if self.target.year is not None else self.every_year_text(),
            "value": float(self.value[draw]),
            "target": self.target.value,
            "unit": self.target.unit,
            "gap": float(self.gap[draw]),
            "met": bool(self.met[draw]),
            "first_year_met": fy if fy else None,
            "source": self.target.source,
        }


def metric_series(result: Result, metric: str) -> np.ndarray:
    """A target metric over all years (draws, years), in the target's unit."""
    if metric in METRICS:
        var, factor = METRICS[metric]
        return result[var] * factor
    if metric == "growth_avg":
        # Average (compound) real growth from the base year to each year, %/yr: T0+1..t. The base year has no
        # average of its own (NaN: never "met" in history).
        real = result["GRDP|Real"]
        n = np.arange(real.shape[1], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            avg = ((real / real[:, :1]) ** (1.0 / np.where(n > 0, n, 1.0)) - 1.0) * 100.0
        avg[:, 0] = np.nan
        return avg
    S = result["Budget|STI and DX"]
    if metric == "envelope_to_floor":
        F = result["Budget|Central Floor"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(F > 0, S / np.where(F > 0, F, 1.0) * 100.0, np.inf)
        return ratio
    if metric == "envelope_growth":
        prev = np.concatenate([S[:, :1], S[:, :-1]], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(prev > 0, (S / np.where(prev > 0, prev, 1.0) - 1.0) * 100.0, 0.0)
    raise KeyError(metric)


def evaluate(result: Result, target: Target, tol: float = 1e-9) -> TargetResult:
    """Evaluate one target against a result (all draws)."""
    series = metric_series(result, target.metric)
    years = result.years
    holds = series >= target.value - tol * max(1.0, abs(target.value))
    if target.year is not None:
        i = int(target.year - years[0])
        if not 0 <= i < len(years):
            raise ValueError(f"target {target.id}: year {target.year} is outside the run {years[0]}..{years[-1]}")
        value = series[:, i]
        met = holds[:, i]
        any_ = holds.any(axis=1)
        first = np.where(any_, years[holds.argmax(axis=1)], 0)
    else:
        start = max(1, int((target.from_year or 0) - years[0]))
        after = series[:, start:]
        h = holds[:, start:]
        value = after.min(axis=1)
        met = h.all(axis=1)
        # first year from which the condition holds in every later year
        tail_ok = np.flip(np.logical_and.accumulate(np.flip(h, axis=1), axis=1), axis=1)
        any_ = tail_ok.any(axis=1)
        first = np.where(any_, years[start:][tail_ok.argmax(axis=1)], 0)
    gap = np.maximum(0.0, target.value - value)
    gap = np.where(np.isfinite(gap), gap, 0.0)
    return TargetResult(target, value, gap, met, first)


def evaluate_all(result: Result, profile: Profile) -> list[TargetResult]:
    """Every target of the profile, in the profile's order."""
    return [evaluate(result, t) for t in profile.targets]
