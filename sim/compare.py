"""Comparing scenarios: key 2030/2045 outcomes against a base, the inputs that differ, and downloads.

One set of functions serves the Compare page, its Excel and CSV downloads and ``python -m sim compare``.
The first scenario of every list is the base; differences are ``other − base`` (percentage points for
shares) and ``(other − base) / |base|`` in percent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from openpyxl import Workbook

from . import export
from .engine import MILESTONES, Result, run
from .engine import cost_key as engine_cost_key
from .export import long_frame, to_bytes
from .params import Parameter, Text, schema
from .paths import evaluate
from .provenance import stamp
from .scenario import Scenario, Value
from .targets import METRICS
from .views.i18n import translator

MAX_OTHERS = 6  # the Compare page: a base and up to six others
YEARS = (2030, 2045)


@dataclass(frozen=True)
class Kpi:
    """A key outcome shown side by side.

    Attributes:
        id: stable id.
        label: what planners call it (vi/en).
        unit: the unit of the values (vi/en); shares in percent.
        variable: result variable (IAMC name), or None for the cumulative envelope cost.
        factor: multiplier from the engine's unit (fractions) to ``unit``.
        share: a share in percent: differences are percentage points.
    """

    id: str
    label: Text
    unit: Text
    variable: str | None
    factor: float = 1.0
    share: bool = False

    def value(self, result: Result, year: int, draw: int = 0) -> float:
        """The KPI in ``year`` (NaN if the run does not cover it; for the cost: the period ending then)."""
        if not result.years[0] <= year <= result.years[-1]:
            return math.nan
        if self.variable is None:
            key = cost_key(result, year)
            return float(result.costs[key][draw]) if key in result.costs else math.nan
        return float(result.at(self.variable, year)[draw]) * self.factor


def _metric(metric: str) -> dict[str, str | float]:
    """Variable and factor of a metric, from the one table in :mod:`sim.targets`."""
    variable, factor = METRICS[metric]
    return {"variable": variable, "factor": factor}


_BN = Text(vi="tỷ đồng", en="bn VND")
_PCT_GRDP = Text(vi="% GRDP", en="% of GRDP")

KPIS: tuple[Kpi, ...] = (
    Kpi(
        id="digital_share",
        label=Text(vi="Tỷ trọng kinh tế số", en="Digital economy share"),
        unit=_PCT_GRDP,
        **_metric("digital_share"),
        share=True,
    ),
    Kpi(
        id="rd_intensity",
        label=Text(vi="Chi R&D so với GRDP", en="R&D intensity"),
        unit=_PCT_GRDP,
        **_metric("rd_intensity"),
        share=True,
    ),
    Kpi(
        id="rd_nonstate_share",
        label=Text(vi="Tỷ trọng R&D ngoài nhà nước", en="Non-state share of R&D"),
        unit=Text(vi="% tổng chi R&D", en="% of R&D"),
        **_metric("rd_nonstate_share"),
        share=True,
    ),
    Kpi(
        id="grdp",
        label=Text(vi="GRDP (giá hiện hành)", en="GRDP (current prices)"),
        unit=_BN,
        **_metric("grdp_nominal"),
    ),
    Kpi(
        id="grdp_per_capita",
        label=Text(vi="GRDP bình quân đầu người", en="GRDP per capita"),
        unit=Text(vi="triệu đồng", en="million VND"),
        **_metric("grdp_per_capita"),
    ),
    Kpi(
        id="envelope",
        label=Text(vi="Ngân sách KH,CN,ĐMST&CĐS", en="S&T/DX envelope"),
        unit=_BN,
        variable="Budget|STI and DX",
    ),
    Kpi(
        id="envelope_cost",
        label=Text(vi="Chi lũy kế KH,CN,ĐMST&CĐS", en="Cumulative envelope cost"),
        unit=_BN,
        variable=None,  # the engine's cost of the calendar period ending in the year (nominal)
    ),
    Kpi(
        id="nonstate_gap",
        label=Text(vi="Thiếu hụt R&D ngoài nhà nước", en="Non-state R&D gap"),
        unit=_BN,
        variable="R&D|Non-state Gap",
    ),
)


def _period_ending(result: Result, year: int) -> str | None:
    """The label of the run's cost period that ends in ``year`` (None if none does)."""
    return next((label for label, (_, end) in result.periods.items() if end == year), None)


def cost_key(result: Result, year: int) -> str:
    """The engine's cumulative-cost key (nominal envelope) of the run's period that ends in ``year``."""
    label = _period_ending(result, year)
    return engine_cost_key("Budget|STI and DX", label) if label else ""


def kpi_label(kpi: Kpi, year: int, lang: str, runs: Sequence[Result] = ()) -> str:
    """The KPI's row label; the cumulative cost names its period (``… 2025-2030``; the runs' actual spans)."""
    if kpi.variable is None and year in MILESTONES:
        spans = sorted({label for r in runs if (label := _period_ending(r, year))})
        return f"{kpi.label(lang)} {' / '.join(spans) if spans else f'–{year}'}"
    return kpi.label(lang)


_RESERVED = frozenset({"kpi", "outcome", "year", "unit", "id", "parameter"})


def scenario_labels(scenarios: Sequence[Scenario], lang: str = "en") -> list[str]:
    """Column labels: the names, made unique with a number where two scenarios share a name."""
    out: list[str] = []
    for s in scenarios:
        label = s.name(lang).strip() or "?"
        candidate, n = label, 2
        while candidate in out or candidate in _RESERVED:
            candidate = f"{label} [{n}]"
            n += 1
        out.append(candidate)
    return out


def runs_of(scenarios: Sequence[Scenario]) -> list[tuple[Scenario, Result]]:
    """Run every scenario once (one draw each)."""
    return [(s, run(s)) for s in scenarios]


def _check_count(n: int) -> None:
    if n == 0:
        raise ValueError("nothing to compare: give a base scenario")


# ----------------------------------------------------------------- outcomes


def outcome_table(
    runs: Sequence[tuple[Scenario, Result]], lang: str = "en", years: Sequence[int] = YEARS
) -> pd.DataFrame:
    """Key outcomes in each year, side by side, with differences against the base (the first run).

    Columns: ``kpi`` (id), ``outcome``, ``year``, ``unit``, one value column per scenario (its label
    from :func:`scenario_labels`), then ``Δ <label>`` (absolute; percentage points for shares) and
    ``Δ% <label>`` (relative to the base, percent; NaN if the base is 0) for each other scenario.
    Values are NaN for a year outside a scenario's run.
    """
    _check_count(len(runs))
    labels = scenario_labels([s for s, _ in runs], lang)
    rows = []
    for year in years:
        for kpi in KPIS:
            vals = [kpi.value(r, year) for _, r in runs]
            if all(math.isnan(v) for v in vals):
                continue
            row: dict[str, object] = {
                "kpi": kpi.id,
                "outcome": kpi_label(kpi, year, lang, [r for _, r in runs]),
                "year": int(year),
                "unit": kpi.unit(lang),
            }
            row.update(zip(labels, vals, strict=True))
            base = vals[0]
            for label, v in zip(labels[1:], vals[1:], strict=True):
                row[f"Δ {label}"] = v - base
            for label, v in zip(labels[1:], vals[1:], strict=True):
                row[f"Δ% {label}"] = (v - base) / abs(base) * 100.0 if base != 0 else math.nan
            rows.append(row)
    return pd.DataFrame(rows)


def cli_table(scenarios: Sequence[Scenario], years: Sequence[int] = YEARS) -> pd.DataFrame:
    """The command line's view of :func:`outcome_table`: outcome, year, unit, values and absolute Δ."""
    df = outcome_table(runs_of(scenarios), "en", years)
    return df[[c for c in df.columns if c != "kpi" and not c.startswith("Δ%")]]


# ----------------------------------------------------------------- inputs


def _num(x: float, lang: str) -> str:
    s = f"{x:.6g}"
    return s.replace(".", ",") if lang == "vi" else s


def format_value(v: Value | None, lang: str = "en") -> str:
    """A parameter value as people write it: ``3,5``; a path ``2024: 1 → 2026: 3 → 2030: 3,5``."""
    if v is None:
        return "hiệu chỉnh theo năm gốc" if lang == "vi" else "calibrated base-year value"
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return " → ".join(f"{int(y)}: {_num(float(x), lang)}" for y, x in sorted(v.items()))
    return _num(float(v), lang)


def _same(p: Parameter, a: Value | None, b: Value | None, years: np.ndarray) -> bool:
    """Whether two values give the same inputs in every projected year (a flat path equals a number)."""
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    return bool(np.allclose(evaluate(a, years), evaluate(b, years), rtol=0, atol=1e-12))


def input_table(scenarios: Sequence[Scenario], lang: str = "en") -> pd.DataFrame:
    """Only the inputs that differ between the scenarios (the profile default where a scenario is silent).

    Columns: ``id``, ``parameter`` (label), ``unit``, then one column per scenario label with the value
    written readably. Paths are compared year by year over the projected years (the base year is the
    profile's in every scenario, so it is left out); a row for the region comes first if they differ.
    """
    _check_count(len(scenarios))
    labels = scenario_labels(scenarios, lang)
    rows: list[dict[str, str]] = []
    regions = [s.region for s in scenarios]
    if len(set(regions)) > 1:
        row = {"id": "region", "parameter": "Vùng" if lang == "vi" else "Region", "unit": ""}
        row.update({lab: s.profile.name(lang) for lab, s in zip(labels, scenarios, strict=True)})
        rows.append(row)
    profiles = [s.profile for s in scenarios]
    years = np.arange(min(p.base_year for p in profiles) + 1, max(p.horizon for p in profiles) + 1)
    for pid, p in schema().items():
        vals = [s.value(pid) for s in scenarios]
        if all(_same(p, vals[0], v, years) for v in vals[1:]):
            continue
        row = {"id": pid, "parameter": p.label(lang), "unit": p.unit(lang)}
        row.update({lab: format_value(v, lang) for lab, v in zip(labels, vals, strict=True)})
        rows.append(row)
    return pd.DataFrame(rows, columns=["id", "parameter", "unit", *labels])


# ----------------------------------------------------------------- downloads


def provenance_lines(scenarios: Sequence[Scenario], lang: str = "en") -> list[str]:
    """One provenance stamp per scenario (model, profile and data vintage, scenario and hash, date)."""
    return [stamp(s, lang) for s in scenarios]


def csv_bytes(runs: Sequence[tuple[Scenario, Result]], lang: str = "en") -> bytes:
    """Annual results of every scenario in the IAMC long format, as CSV (UTF-8 with BOM for Excel).

    Columns: ``model, scenario, region, variable, unit, year, value`` (from :func:`sim.export.long_frame`,
    shares in percent) plus ``provenance``: the stamp of the row's scenario. Scenario names are made
    unique as in :func:`scenario_labels`.
    """
    _check_count(len(runs))
    labels = scenario_labels([s for s, _ in runs], lang)
    frames = []
    for (s, r), label in zip(runs, labels, strict=True):
        df = long_frame([(replace(s, name=Text(vi=label, en=label)), r)], lang=lang)
        df["provenance"] = stamp(s, lang)
        frames.append(df)
    return to_bytes(pd.concat(frames, ignore_index=True), "csv")


#: The unit of each key outcome, in the Excel writer's terms (its number format comes from sim.export).
KPI_UNITS: dict[str, str] = {k.id: k.unit.en for k in KPIS}


def excel_bytes(
    runs: Sequence[tuple[Scenario, Result]],
    lang: str = "en",
    years: Sequence[int] = YEARS,
    labels: Sequence[str] | None = None,
) -> bytes:
    """An Excel workbook: a summary sheet and one sheet per scenario with its annual results.

    Every number is a numeric cell in the format of its unit (:data:`sim.export.NUMBER_FORMATS`: shares as
    Excel percentages, money in billion VND); every sheet starts with provenance stamps. The summary
    holds :func:`outcome_table` and :func:`input_table`; scenario sheet ``i`` holds one row per result
    variable and one column per year, then the cumulative envelope costs by period. ``labels`` name the
    scenarios (columns, sheet names and titles); by default :func:`scenario_labels`.
    """
    _check_count(len(runs))
    _ = translator(lang)
    scens = [s for s, _r in runs]
    labels = list(labels) if labels is not None else scenario_labels(scens, lang)
    if len(labels) != len(runs) or len(set(labels)) != len(labels):
        raise ValueError(f"labels: give {len(runs)} different labels, one per scenario (got {labels!r})")
    wb = Workbook()
    taken: set[str] = set()

    # Summary sheet.
    ws = wb.active
    ws.title = export.sheet_name(_("Summary"), taken)
    ws["A1"] = _("Scenario comparison – NQ57")
    ws["A1"].font = export.TITLE
    row = 2
    for i, line in enumerate(provenance_lines(scens, lang)):
        export.stamp_row(ws, _("Base: {stamp}").format(stamp=line) if i == 0 else line, row)
        row += 1
    row += 1
    renames: dict[str, str] = {}
    for old, new in zip(scenario_labels(scens, lang), labels, strict=True):
        renames |= {old: new, f"Δ {old}": f"Δ {new}", f"Δ% {old}": f"Δ% {new}"}
    table = outcome_table(runs, lang, years).rename(columns=renames)
    row = export.outcome_rows(ws, row, table, KPI_UNITS, [_("Outcome"), _("Year"), _("Unit")])
    row += 2
    inputs = input_table(scens, lang)
    ws.cell(row, 1, _("Inputs that differ")).font = export.BOLD
    row += 1
    if inputs.empty:
        ws.cell(row, 1, _("None: every input is the same."))
    else:
        cols = ["parameter", "unit", *scenario_labels(scens, lang)]
        export.header(ws, row, [_("Parameter"), _("Unit"), *labels], freeze_col=None)
        export.rows(ws, row + 1, inputs[cols].itertuples(index=False), [None] * len(cols))
    export.widths(ws, [44, 8, 16, *([20] * (len(table.columns) - 4))])

    # One sheet per scenario: variables × years.
    for i, ((s, r), label) in enumerate(zip(runs, labels, strict=True), start=1):
        ws = wb.create_sheet(export.sheet_name(f"{i}. {label}", taken))
        export.stamp_row(ws, stamp(s, lang))
        ws["A2"] = f"{label} · {s.profile.name(lang)}"
        ws["A2"].font = export.BOLD
        export.header(ws, 4, [_("Variable"), _("Unit"), *[int(y) for y in r.years]], freeze_col=3)
        export.annual_rows(ws, 5, r)
        export.widths(ws, [44, 24, *([11] * len(r.years))])
    return export.workbook_bytes(wb)
