"""Comparing scenarios: key 2030/2045 outcomes against a base, the inputs that differ, and downloads.

One set of functions serves the Compare page, its Excel and CSV downloads and ``python -m sim compare``.
The first scenario of every list is the base; differences are ``other − base`` (percentage points for
shares) and ``(other − base) / |base|`` in percent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.views.i18n import gettext

from . import export
from .engine import Result, run
from .export import long_frame, to_bytes
from .params import Parameter, Text, schema
from .paths import evaluate
from .provenance import stamp
from .scenario import Scenario, Value, format_value
from .views import fmt
from .views.i18n import translator
from .views.scorecard import COMPARE_METRICS, METRIC_TABLE, Metric, format_amount

MAX_OTHERS = 6  # the Compare page: a base and up to six others
YEARS = (2030, 2045)


# The outcomes set side by side (one table of metrics and labels: sim.views.scorecard).
KPIS: tuple[Metric, ...] = tuple(METRIC_TABLE[m] for m in COMPARE_METRICS)


def kpi_label(kpi: Metric, year: int, lang: str, runs: Sequence[Result] = ()) -> str:
    """The outcome's row label; the cumulative cost names its period (``… 2025-2030``; the runs' actual spans)."""
    return kpi.name(lang, year, runs)


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
                "unit": kpi.unit_text(lang),
            }
            row.update(zip(labels, vals, strict=True))
            base = vals[0]
            for label, v in zip(labels[1:], vals[1:], strict=True):
                row[f"Δ {label}"] = v - base
            for label, v in zip(labels[1:], vals[1:], strict=True):
                row[f"Δ% {label}"] = (v - base) / abs(base) * 100.0 if base != 0 else math.nan
            rows.append(row)
    return pd.DataFrame(rows)


def outcome_text(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`outcome_table` written for people: values in their unit, changes signed (points for shares)."""
    by_id = {k.id: k for k in KPIS}
    out = table.drop(columns=["kpi"]).astype(object)
    for i, rec in enumerate(table.to_dict(orient="records")):
        kpi = by_id[rec["kpi"]]
        values = [c for c in table.columns if c not in ("kpi", "outcome", "year", "unit") and not c.startswith("Δ")]
        like = rec[values[0]]
        for c in table.columns:
            if c in ("kpi", "outcome", "unit"):
                continue
            v = rec[c]
            if c == "year":
                out.iat[i, out.columns.get_loc(c)] = fmt.year(v)
            elif c.startswith("Δ% "):
                out.iat[i, out.columns.get_loc(c)] = fmt.signed(v, lang, 1, " %")
            elif c.startswith("Δ "):
                out.iat[i, out.columns.get_loc(c)] = format_amount(v, kpi, lang, like=like, signed=True)
            else:
                out.iat[i, out.columns.get_loc(c)] = format_amount(v, kpi, lang, like=v)
    return out


def cli_table(scenarios: Sequence[Scenario], years: Sequence[int] = YEARS, lang: str = "en") -> pd.DataFrame:
    """The command line's view of :func:`outcome_table`: outcome, year, unit, values and absolute Δ."""
    df = outcome_table(runs_of(scenarios), lang, years)
    return df[[c for c in df.columns if c != "kpi" and not c.startswith("Δ%")]]


# ----------------------------------------------------------------- inputs


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
        row = {"id": "region", "parameter": gettext("Region", lang), "unit": ""}
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
KPI_UNITS: dict[str, str] = {k.id: k.unit for k in KPIS}


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
    from openpyxl import Workbook  # loaded with the first workbook: the app's first page needs none

    wb = Workbook()
    taken: set[str] = set()

    # Summary sheet.
    ws = wb.active
    ws.title = export.sheet_name(_("Summary"), taken)
    ws["A1"] = _("Scenario comparison – NQ57")
    ws["A1"].font = export.styles().title
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
    ws.cell(row, 1, _("Inputs that differ")).font = export.styles().bold
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
        ws["A2"].font = export.styles().bold
        export.header(ws, 4, [_("Variable"), _("Unit"), *[int(y) for y in r.years]], freeze_col=3)
        export.annual_rows(ws, 5, r)
        export.widths(ws, [44, 24, *([11] * len(r.years))])
    return export.workbook_bytes(wb)
