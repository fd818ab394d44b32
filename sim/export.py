"""Results as files: IAMC long tables (CSV, JSON) and the one Excel writer with its one number-format table.

Every workbook of the product (the Compare page's download, ``python -m sim run --format xlsx`` and the
meeting pack's workbook) writes its numbers through :func:`put`, which takes the number format from
:data:`NUMBER_FORMATS` by unit. Numbers are native cells, never text. Shares are written as Excel
percentages: a value given in percent (30.25 for 30.25 %) is stored as the fraction 0.3025, the engine's
own value, with a percent format, so that formulas work and the cell reads "30.25%". Sheet names come
from the labels the caller passes in, made valid and unique by :func:`sheet_name`.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import MODEL_NAME, __version__
from .atomic import atomic_write
from .engine import PERCENT_VARS, UNITS, Result
from .scenario import Scenario
from .views import fmt
from .views.cells import plain_text_cells

if TYPE_CHECKING:  # openpyxl loads with the first workbook written: the app's first page needs none
    from openpyxl import Workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.worksheet import Worksheet

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit", "year", "value"]
FORMATS = ("csv", "xlsx", "json")

# ---------------------------------------------------------------- the one number-format table

PERCENT = "[<0.1]0.00%;0.0%"  # as on screen: two decimals below 10 % (R&D 1.12 %), one above (31.4 %)
MONEY = "#,##0"

#: Excel number format by unit (the engine's units, the targets' units and the changes').
NUMBER_FORMATS: dict[str, str] = {
    "%": PERCENT,  # a share, given in percent, stored as a fraction
    "pp": "+0.00;-0.00;0.00",  # a change of a share, in percentage points
    "Δ%": "+0.0%;-0.0%;0.0%",  # a relative change, given in percent, stored as a fraction
    "bn VND": MONEY,
    "bn VND (base-year prices)": MONEY,
    "trillion VND": "#,##0.0",
    "million VND": "#,##0.0",
    "people": "#,##0",
    "index (base year = 1)": "0.000",
    "rank": "0",
    "year": "0",
}
GENERAL = "#,##0.####"  # a unit not in the table: up to four decimals, no float noise shown


def number_format(unit: str) -> str:
    """The Excel number format of a unit: the table's, a percent one for '% of …', money for 'bn VND …'."""
    if unit in NUMBER_FORMATS:
        return NUMBER_FORMATS[unit]
    if unit.startswith("%"):
        return PERCENT
    if unit.startswith("bn VND"):
        return MONEY
    return GENERAL


def is_percent(unit: str) -> bool:
    """Whether values of the unit are given in percent and stored as fractions."""
    return number_format(unit).endswith("%")


def excel_value(value: Any, unit: str) -> Any:
    """The cell value: percent → fraction, numpy → Python, NaN/inf → empty; text and booleans as they are."""
    if value is None or isinstance(value, (bool, np.bool_, str)):
        return bool(value) if isinstance(value, np.bool_) else value
    if isinstance(value, (int, np.integer)) and not is_percent(unit):
        return int(value)
    x = float(value)
    if not math.isfinite(x):
        return None
    return x / 100.0 if is_percent(unit) else x


def put(ws: Worksheet, row: int, col: int, value: Any, unit: str) -> Cell:
    """Write one number in its unit's format (see :data:`NUMBER_FORMATS`)."""
    cell = ws.cell(row, col, excel_value(value, unit))
    if cell.value is not None and not isinstance(cell.value, (str, bool)):
        cell.number_format = number_format(unit)
    return cell


# ---------------------------------------------------------------- sheets and styles


@dataclass(frozen=True)
class Styles:
    """The workbooks' cell styles."""

    bold: Font
    small: Font  # the provenance stamp
    title: Font
    head_fill: PatternFill


@cache
def styles() -> Styles:
    """The cell styles, made with the first workbook (openpyxl loads then, not with the app's first page)."""
    from openpyxl.styles import Font, PatternFill

    return Styles(
        Font(bold=True),
        Font(italic=True, size=9, color="555555"),
        Font(bold=True, size=14),
        PatternFill("solid", fgColor="E8EDF3"),
    )


SHEET_NAME_MAX = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a label: at most 31 characters, none of ``[]:*?/\\``.

    ``taken`` holds the names used so far (lower case, as Excel compares them) and is updated.
    """
    base = _BAD_SHEET_CHARS.sub("-", label).strip().strip("'")[:SHEET_NAME_MAX].strip() or "-"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def stamp_row(ws: Worksheet, text: str, row: int = 1) -> None:
    """The provenance stamp (small, grey) in column A."""
    ws.cell(row, 1, text).font = styles().small


def header(ws: Worksheet, row: int, headers: Sequence[Any], *, freeze_col: int | None = 1) -> None:
    """A bold, shaded header row; panes frozen under it (and left of ``freeze_col``) unless None."""
    from openpyxl.styles import Alignment

    for j, h in enumerate(headers, start=1):
        c = ws.cell(row, j, h)
        c.font = styles().bold
        c.fill = styles().head_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
    if freeze_col is not None:
        ws.freeze_panes = ws.cell(row + 1, freeze_col)


def widths(ws: Worksheet, values: Iterable[float]) -> None:
    """Column widths (characters) from column A on."""
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def rows(ws: Worksheet, row: int, records: Iterable[Sequence[Any]], units: Sequence[str | None]) -> int:
    """Write records from ``row`` on; a column with a unit gets its number format. Returns the last row."""
    for rec in records:
        for j, (v, unit) in enumerate(zip(rec, units, strict=True), start=1):
            if unit is None:
                ws.cell(row, j, excel_value(v, ""))
            else:
                put(ws, row, j, v, unit)
        row += 1
    return row - 1


def annual_rows(
    ws: Worksheet, row: int, result: Result, lead: Sequence[Any] = (), years: Sequence[int] | None = None
) -> int:
    """One row per result variable (``lead`` cells, variable, unit, a value per year), then the costs.

    Values are the engine's (shares as Excel percentages). ``years`` are the sheet's year columns when
    several runs share a sheet (default: the result's own years). Returns the last row written.
    """
    c0 = len(lead) + 1
    cols = {int(y): c0 + 2 + j for j, y in enumerate(years if years is not None else result.years)}
    for var, arr in result.variables.items():
        unit = UNITS[var]
        for j, v in enumerate(lead, start=1):
            ws.cell(row, j, v)
        ws.cell(row, c0, var)
        ws.cell(row, c0 + 1, unit)
        factor = 100.0 if var in PERCENT_VARS else 1.0  # the table takes shares in percent
        for y, v in zip(result.years, arr[0], strict=True):
            put(ws, row, cols[int(y)], float(v) * factor, unit)
        row += 1
    for key, arr in result.costs.items():
        unit = "bn VND" if key.endswith("Nominal") else "bn VND (base-year prices)"
        for j, v in enumerate(lead, start=1):
            ws.cell(row, j, v)
        ws.cell(row, c0, key)
        ws.cell(row, c0 + 1, unit)
        put(ws, row, c0 + 2, float(arr[0]), unit)
        row += 1
    return row - 1


def outcome_rows(ws: Worksheet, row: int, table: pd.DataFrame, units: Mapping[str, str], headers: Sequence[str]) -> int:
    """The key-outcome table of :func:`sim.compare.outcome_table` under a header row at ``row``.

    ``units`` maps each KPI id to its unit ('% of GRDP', 'bn VND', ...); differences of shares are in
    percentage points, relative differences ('Δ% …' columns) in percent. ``headers`` names the first three
    columns (outcome, year, unit); the scenario columns keep the table's labels. Returns the last row.
    """
    value_cols = [c for c in table.columns if c not in ("kpi", "outcome", "year", "unit")]
    header(ws, row, [*headers, *value_cols], freeze_col=2)
    for rec in table.to_dict(orient="records"):
        row += 1
        unit = units[str(rec["kpi"])]
        ws.cell(row, 1, rec["outcome"])
        ws.cell(row, 2, int(rec["year"]))
        ws.cell(row, 3, rec["unit"])
        for j, c in enumerate(value_cols, start=4):
            if c.startswith("Δ% "):
                col_unit = "Δ%"
            elif c.startswith("Δ "):
                col_unit = "pp" if is_percent(unit) else unit
            else:
                col_unit = unit
            put(ws, row, j, rec[c], col_unit)
    return row


def workbook_bytes(wb: Workbook) -> bytes:
    """A workbook as bytes (write them with :func:`sim.atomic.atomic_write`); text stays text, never a formula."""
    buf = io.BytesIO()
    plain_text_cells(wb).save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- IAMC long tables


def model_label() -> str:
    return f"{MODEL_NAME} {__version__}"


def long_frame(runs: Sequence[tuple[Scenario, Result]], draw: int = 0, lang: str = "en") -> pd.DataFrame:
    """IAMC long format for one or more scenario runs; percent variables are in percent."""
    frames = []
    for scen, res in runs:
        years = res.years
        for var, arr in res.variables.items():
            vals = arr[draw] * (100.0 if var in PERCENT_VARS else 1.0)
            frames.append(
                pd.DataFrame(
                    {
                        "model": model_label(),
                        "scenario": scen.name(lang),
                        "region": scen.region,
                        "variable": var,
                        "unit": UNITS[var],
                        "year": years.astype(int),
                        "value": vals,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)[IAMC_COLUMNS]


SIGNIFICANT_DIGITS = 12  # far beyond any input's precision, well short of binary float noise (~16 digits)


def tidy_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns to :data:`SIGNIFICANT_DIGITS` significant digits (``129568.98240000002`` -> ``129568.9824``).

    The digits past the 12th are rounding noise of binary arithmetic, not information; files that show them
    look wrong to the people who open them.
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind == "f":
            out[col] = [fmt.tidy(float(x), SIGNIFICANT_DIGITS) for x in out[col]]
    return out


# A CSV cell that starts with one of these is read by Excel as a formula (=HYPERLINK(...), a DDE call).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text_cells(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would take for a formula, prefixed with ``'`` so it shows them as text.

    Only text columns change (a scenario's name, a description); numbers, negative ones included, stay
    numbers. The workbook needs none of this: :func:`sim.views.cells.plain_text_cells` marks its cells.
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind in "OUT" or str(out[col].dtype) in ("string", "str"):
            out[col] = ["'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in out[col]]
    return out


def long_workbook(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An IAMC long table as a workbook: one sheet, each value in the format of its row's unit."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(sheet, set())
    cols = list(df.columns)
    header(ws, 1, cols)
    units = df["unit"].astype(str).tolist() if "unit" in cols else [""] * len(df)
    value_col = cols.index("value") + 1 if "value" in cols else None
    for i, (rec, unit) in enumerate(zip(df.itertuples(index=False), units, strict=True), start=2):
        for j, v in enumerate(rec, start=1):
            if j == value_col:
                put(ws, i, j, v, unit)
            else:
                ws.cell(i, j, excel_value(v, ""))
    widths(ws, [22 if c in ("model", "scenario", "variable") else 12 for c in cols])
    return workbook_bytes(wb)


def to_bytes(df: pd.DataFrame, fmt: str, sheet: str = "data") -> bytes:
    """Serialise a table as CSV (UTF-8 with BOM, so Excel reads Vietnamese), XLSX or JSON records.

    CSV and JSON, which write numbers as text, carry no float noise (:func:`tidy_numbers`); the workbook keeps
    the engine's exact doubles (Excel shows them in the row's number format).
    """
    if fmt == "csv":
        return csv_text_cells(tidy_numbers(df)).to_csv(index=False).encode("utf-8-sig")
    if fmt == "json":
        return json.dumps(tidy_numbers(df).to_dict(orient="records"), ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "xlsx":
        return long_workbook(df, sheet)
    raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")


def write(df: pd.DataFrame, path: str | os.PathLike[str], fmt: str) -> None:
    """Write a table to a file atomically: never a partial file."""
    atomic_write(path, to_bytes(df, fmt))
