"""Comparing scenarios: key 2030/2045 outcomes against a base, the inputs that differ, and downloads.

One set of functions serves the Compare page, its Excel and CSV downloads and ``python -m sim compare``.
The first scenario of every list is the base; differences are ``other − base`` (percentage points for
shares) and ``(other − base) / |base|`` in percent.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .engine import PERCENT_VARS, UNITS, Result, run
from .export import long_frame, to_bytes
from .params import Parameter, Text, schema
from .paths import evaluate
from .provenance import stamp
from .scenario import Scenario, Value
from .views import fmt
from .views.scorecard import COMPARE_METRICS, METRIC_TABLE, Metric, format_amount

MAX_OTHERS = 6  # the Compare page: a base and up to six others
YEARS = (2030, 2045)


# The outcomes set side by side (one table of metrics and labels: sim.views.scorecard).
KPIS: tuple[Metric, ...] = tuple(METRIC_TABLE[m] for m in COMPARE_METRICS)


def kpi_label(kpi: Metric, year: int, lang: str) -> str:
    """The outcome's row label; the cumulative cost names its period (``… 2025-2030``)."""
    return kpi.name(lang, year)


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
                "outcome": kpi_label(kpi, year, lang),
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


def cli_table(scenarios: Sequence[Scenario], years: Sequence[int] = YEARS) -> pd.DataFrame:
    """The command line's view of :func:`outcome_table`: outcome, year, unit, values and absolute Δ."""
    df = outcome_table(runs_of(scenarios), "en", years)
    return df[[c for c in df.columns if c != "kpi" and not c.startswith("Δ%")]]


# ----------------------------------------------------------------- inputs


def format_value(v: Value | None, lang: str = "en") -> str:
    """A parameter value as people write it: ``3,5``; a path ``2024: 1 → 2026: 3 → 2030: 3,5``."""
    if v is None:
        return "hiệu chỉnh theo năm gốc" if lang == "vi" else "calibrated base-year value"
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return " → ".join(f"{fmt.year(y)}: {fmt.short(float(x), lang, 6)}" for y, x in sorted(v.items()))
    return fmt.short(float(v), lang, 6)


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


_NUMBER_FORMATS = {
    "%": "0.00",
    "bn VND": "#,##0",
    "million VND": "#,##0.0",
    "people": "#,##0",
}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _number_format(unit: str) -> str:
    if unit in _NUMBER_FORMATS:
        return _NUMBER_FORMATS[unit]
    if unit.startswith("bn VND"):
        return "#,##0"
    return "0.000"


def _kpi_format(kpi: Metric) -> str:
    if kpi.share:
        return "0.00"
    return "#,##0.0" if kpi.id == "grdp_per_capita" else "#,##0"


def _sheet_title(label: str, index: int, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", f"{index}. {label}").strip("'")[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _cell(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, np.floating):
        return None if not np.isfinite(v) else float(v)
    return v


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def excel_bytes(runs: Sequence[tuple[Scenario, Result]], lang: str = "en", years: Sequence[int] = YEARS) -> bytes:
    """An Excel workbook: a summary sheet and one sheet per scenario with its annual results.

    Every number is a numeric cell (shares in percent, money in billion VND) with a number format;
    every sheet starts with provenance stamps. The summary holds :func:`outcome_table` and
    :func:`input_table`; scenario sheet ``i`` holds one row per result variable and one column per year,
    then the cumulative envelope costs by period.
    """
    _check_count(len(runs))
    vi = lang == "vi"
    scens = [s for s, _ in runs]
    labels = scenario_labels(scens, lang)
    wb = Workbook()
    bold = Font(bold=True)
    small = Font(italic=True, size=9, color="555555")
    taken: set[str] = set()

    # Summary sheet.
    ws = wb.active
    ws.title = "Tóm tắt" if vi else "Summary"
    taken.add(ws.title.lower())
    ws["A1"] = "So sánh kịch bản – NQ57" if vi else "Scenario comparison – NQ57"
    ws["A1"].font = Font(bold=True, size=13)
    row = 2
    for i, line in enumerate(provenance_lines(scens, lang)):
        ws.cell(row, 1, f"{'Cơ sở' if vi else 'Base'}: {line}" if i == 0 else line).font = small
        row += 1
    row += 1
    table = outcome_table(runs, lang, years)
    headers = ["Chỉ tiêu" if vi else "Outcome", "Năm" if vi else "Year", "Đơn vị" if vi else "Unit"]
    value_cols = [c for c in table.columns if c not in ("kpi", "outcome", "year", "unit")]
    for j, h in enumerate(headers + value_cols, start=1):
        ws.cell(row, j, h).font = bold
        ws.cell(row, j).alignment = Alignment(wrap_text=True, vertical="top")
    header_row = row
    kpis = {k.id: k for k in KPIS}
    for rec in table.to_dict(orient="records"):
        row += 1
        kpi = kpis[str(rec["kpi"])]
        ws.cell(row, 1, rec["outcome"])
        ws.cell(row, 2, int(rec["year"]))
        ws.cell(row, 3, rec["unit"])
        for j, c in enumerate(value_cols, start=4):
            cell = ws.cell(row, j, _cell(rec[c]))
            cell.number_format = "0.0" if c.startswith("Δ%") else _kpi_format(kpi)
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    row += 2
    inputs = input_table(scens, lang)
    ws.cell(row, 1, "Các đầu vào khác nhau" if vi else "Inputs that differ").font = bold
    row += 1
    if inputs.empty:
        ws.cell(row, 1, "Không có: mọi đầu vào như nhau." if vi else "None: every input is the same.")
    else:
        in_headers = ["Tham số" if vi else "Parameter", "Đơn vị" if vi else "Unit", *labels]
        for j, h in enumerate(in_headers, start=1):
            ws.cell(row, j, h).font = bold
        for rec in inputs.to_dict(orient="records"):
            row += 1
            for j, c in enumerate(["parameter", "unit", *labels], start=1):
                ws.cell(row, j, rec[c])
    _widths(ws, [44, 8, 16, *([20] * len(value_cols))])

    # One sheet per scenario: variables × years.
    for i, ((s, r), label) in enumerate(zip(runs, labels, strict=True), start=1):
        ws = wb.create_sheet(_sheet_title(label, i, taken))
        ws["A1"] = stamp(s, lang)
        ws["A1"].font = small
        ws["A2"] = f"{s.name(lang)} · {s.profile.name(lang)}"
        ws["A2"].font = bold
        years_all = [int(y) for y in r.years]
        head = ["Biến" if vi else "Variable", "Đơn vị" if vi else "Unit", *years_all]
        for j, h in enumerate(head, start=1):
            ws.cell(4, j, h).font = bold
        row = 4
        for var, arr in r.variables.items():
            row += 1
            unit = UNITS[var]
            factor = 100.0 if var in PERCENT_VARS else 1.0
            ws.cell(row, 1, var)
            ws.cell(row, 2, unit)
            fmt = _number_format(unit)
            for j, v in enumerate(arr[0], start=3):
                cell = ws.cell(row, j, _cell(float(v) * factor))
                cell.number_format = fmt
        row += 2
        ws.cell(row, 1, "Chi lũy kế theo giai đoạn" if vi else "Cumulative cost by period").font = bold
        for key, arr in r.costs.items():
            row += 1
            ws.cell(row, 1, key)
            ws.cell(row, 2, "bn VND" if key.endswith("Nominal") else "bn VND (base-year prices)")
            ws.cell(row, 3, float(arr[0])).number_format = "#,##0"
        ws.freeze_panes = "C5"
        _widths(ws, [44, 24, *([11] * len(years_all))])

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
