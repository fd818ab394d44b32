"""Outcomes a planner can put under the microscope (tornado, Sobol indices, attribution)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.views.i18n import T_

from ..engine import Result
from ..errors import InputError
from ..params import Text
from ..targets import METRICS
from ..views.scorecard import metric_text


@dataclass(frozen=True)
class Outcome:
    """One number per draw read off a result, in the unit users see.

    Attributes:
        id: stable id (command line, widget keys).
        label: what it is, vi/en.
        unit: its unit, vi/en.
        variable: the IAMC variable (for a cost total: the summed variable, e.g. ``Budget|STI and DX``).
        year: the year read (None for a cost total over the years after the base year to 2030, base-year prices).
        factor: model unit -> display unit (100 for shares shown in percent).
    """

    id: str
    label: Text
    unit: Text
    variable: str
    year: int | None
    factor: float = 1.0

    def values(self, result: Result) -> np.ndarray:
        """The outcome for every draw of ``result`` (display units), shape (draws,)."""
        if self.year is None:
            return result.cost(self.variable, 0, "Real") * self.factor
        if not result.years[0] <= self.year <= result.years[-1]:
            raise InputError(f"{self.year} is outside the run {result.years[0]}..{result.years[-1]}", key=self.id)
        return result.at(self.variable, self.year) * self.factor


def _at(metric: str, year: int) -> tuple[str, int, float]:
    """(variable, year, factor) of a metric in a year, from the one table in :mod:`sim.targets`."""
    variable, factor = METRICS[metric]
    return variable, year, factor


OUTCOMES: dict[str, Outcome] = {
    o.id: o
    for o in (
        Outcome(
            "digital_share_2030",
            metric_text("digital_share", 2030),
            T_("% of GRDP"),
            *_at("digital_share", 2030),
        ),
        Outcome(
            "rd_intensity_2030",
            metric_text("rd_intensity", 2030),
            T_("% of GRDP"),
            *_at("rd_intensity", 2030),
        ),
        Outcome(
            "grdp_2045",
            metric_text("grdp_nominal", 2045),
            T_("bn VND"),
            *_at("grdp_nominal", 2045),
        ),
        Outcome(
            "digital_share_2045",
            metric_text("digital_share", 2045),
            T_("% of GRDP"),
            *_at("digital_share", 2045),
        ),
        Outcome(
            "rd_nonstate_share_2030",
            metric_text("rd_nonstate_share", 2030),
            T_("%"),
            *_at("rd_nonstate_share", 2030),
        ),
        Outcome(
            "grdp_per_capita_2030",
            metric_text("grdp_per_capita", 2030),
            T_("million VND"),
            *_at("grdp_per_capita", 2030),
        ),
        Outcome(
            "cost_real_2025_2030",
            T_("S&T/DX spending to 2030 (base-year prices)"),
            T_("bn VND"),
            "Budget|STI and DX",
            None,
        ),
    )
}

# The outcomes the tornado chart offers (the three; the others serve attribution too).
TORNADO_OUTCOMES = ("digital_share_2030", "rd_intensity_2030", "grdp_2045")


def outcome(oid: str) -> Outcome:
    """An outcome by id.

    Raises:
        InputError: unknown id, listing the known ones.
    """
    if oid not in OUTCOMES:
        raise InputError(f"unknown outcome {oid!r} (known: {', '.join(OUTCOMES)})", key="outcome")
    return OUTCOMES[oid]
