"""The meeting pack as an Excel workbook for finance: native numbers with number formats, provenance on top.

Sheets (names in the pack's language): summary (the written summary and KPIs), assumptions (every input
with its source), annual results (one row per variable, one column per year, for the scenario and the
scenarios it is compared with), targets (the whole scorecard), comparison (key outcomes side by side and
the inputs that differ). Shares are in percent (30.25 means 30.25 %), as in the IAMC export; money in
billion VND.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..engine import PERCENT_VARS, UNITS, Result
from ..params import Text
from ..scenario import Scenario
from .pack import Pack

SHEETS = {
    "summary": Text(vi="Tóm tắt", en="Summary"),
    "assumptions": Text(vi="Giả định", en="Assumptions"),
    "annual": Text(vi="Kết quả hằng năm", en="Annual results"),
    "targets": Text(vi="Mục tiêu", en="Targets"),
    "comparison": Text(vi="So sánh", en="Comparison"),
}
HEADER_ROW = 3  # row 1: provenance stamp; row 3: column headers; data from row 4

BOLD = Font(bold=True)
SMALL = Font(italic=True, size=9, color="555555")
HEAD_FILL = PatternFill("solid", fgColor="E8EDF3")
FORMATS = {"%": "0.00", "bn VND": "#,##0.0", "million VND": "#,##0.0", "people": "#,##0"}


def number_format(unit: str) -> str:
    """Excel number format for a unit (percent values are stored as percent numbers, not fractions)."""
    if unit in FORMATS:
        return FORMATS[unit]
    if unit.startswith("bn VND"):
        return "#,##0.0"
    if unit.startswith("%"):
        return "0.00"
    return "0.000"


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else float(x)


def _head(ws: Worksheet, stamp: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    ws.cell(1, 1, stamp).font = SMALL
    for j, h in enumerate(headers, start=1):
        c = ws.cell(HEADER_ROW, j, h)
        c.font = BOLD
        c.fill = HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)


def _summary(ws: Worksheet, pack: Pack) -> None:
    vi = pack.lang == "vi"
    ws.cell(1, 1, pack.stamp).font = SMALL
    ws.cell(2, 1, pack.title).font = Font(bold=True, size=14)
    ws.cell(3, 1, pack.summary).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
    ws.row_dimensions[3].height = max(60, 15 * (len(pack.summary) // 120 + 1))
    row = 5
    headers = (
        ["Chỉ tiêu", "Năm", "Giá trị", "Đơn vị", "Mục tiêu", "Đạt", "Cơ sở", "Chênh lệch"]
        if vi
        else ["Indicator", "Year", "Value", "Unit", "Target", "Met", "Baseline", "Difference"]
    )
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row, j, h)
        c.font = BOLD
        c.fill = HEAD_FILL
    units = {"percent": "%", "million": "million VND", "money": "bn VND"}
    for year, ks in pack.kpis.items():
        for k in ks:
            row += 1
            unit = units[k.kind]
            fmt = number_format(unit)
            ws.cell(row, 1, k.label(pack.lang) + (f" {k.period}" if k.period else ""))
            ws.cell(row, 2, year)
            ws.cell(row, 3, _num(k.value)).number_format = fmt
            ws.cell(row, 4, unit)
            if k.target is not None:
                ws.cell(row, 5, k.target.value).number_format = fmt
                ws.cell(row, 6, bool(k.met))
            ws.cell(row, 7, _num(k.baseline)).number_format = fmt
            ws.cell(row, 8, _num(k.delta)).number_format = fmt
    for i, w in enumerate([44, 8, 16, 14, 12, 8, 16, 16], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _assumptions(ws: Worksheet, pack: Pack) -> None:
    vi = pack.lang == "vi"
    headers = (
        [
            "Nhóm",
            "Mã",
            "Nội dung",
            "Giá trị (số)",
            "Giá trị",
            "Đơn vị",
            "Mặc định",
            "Kịch bản thay đổi",
            "Phân loại",
            "Nguồn",
        ]
        if vi
        else [
            "Group",
            "Id",
            "Item",
            "Value (number)",
            "Value",
            "Unit",
            "Default",
            "Changed by scenario",
            "Tag",
            "Source",
        ]
    )
    _head(ws, pack.stamp, headers, [12, 24, 40, 14, 34, 22, 34, 12, 14, 70])
    for i, r in enumerate(pack.assumptions, start=HEADER_ROW + 1):
        vals = [r.group, r.id, r.label, r.value, r.text, r.unit, r.default_text, r.changed, r.tag, r.source]
        for j, v in enumerate(vals, start=1):
            c = ws.cell(i, j, v)
            if j == 4 and v is not None:
                c.number_format = "#,##0.####"


def _annual(ws: Worksheet, pack: Pack) -> None:
    vi = pack.lang == "vi"
    runs: list[tuple[Scenario, Result]] = [(pack.scenario, pack.result)]
    seen = {pack.scenario.content_hash()}
    extra = pack.compare_runs or [(pack.baseline, pack.baseline_result)]
    for s, r in extra:
        if s.content_hash() not in seen:
            runs.append((s, r))
            seen.add(s.content_hash())
    years = sorted({int(y) for _, r in runs for y in r.years})
    headers = [
        "Kịch bản" if vi else "Scenario",
        "Mã băm" if vi else "Hash",
        "Biến" if vi else "Variable",
        "Đơn vị" if vi else "Unit",
        *years,
    ]
    _head(ws, pack.stamp, headers, [34, 12, 40, 22, *([11] * len(years))])
    row = HEADER_ROW
    for s, r in runs:
        col = {int(y): j for j, y in enumerate(years, start=5)}
        for var, arr in r.variables.items():
            row += 1
            unit = UNITS[var]
            factor = 100.0 if var in PERCENT_VARS else 1.0
            ws.cell(row, 1, s.name(pack.lang))
            ws.cell(row, 2, s.content_hash())
            ws.cell(row, 3, var)
            ws.cell(row, 4, unit)
            fmt = number_format(unit)
            for y, v in zip(r.years, arr[0], strict=True):
                ws.cell(row, col[int(y)], _num(float(v) * factor)).number_format = fmt
        for key, arr in r.costs.items():
            row += 1
            ws.cell(row, 1, s.name(pack.lang))
            ws.cell(row, 2, s.content_hash())
            ws.cell(row, 3, key)
            ws.cell(row, 4, "bn VND" if key.endswith("Nominal") else "bn VND (base-year prices)")
            ws.cell(row, 5, _num(float(arr[0]))).number_format = "#,##0.0"
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 5)


def _targets(ws: Worksheet, pack: Pack) -> None:
    vi = pack.lang == "vi"
    headers = (
        [
            "Loại",
            "Mã",
            "Mục tiêu",
            "Năm",
            "Đạt được",
            "Giá trị mục tiêu",
            "So sánh",
            "Đơn vị",
            "Còn thiếu",
            "Đạt",
            "Năm đạt",
            "Nguồn",
            "Ghi chú",
        ]
        if vi
        else [
            "Kind",
            "Id",
            "Target",
            "Year",
            "Reached",
            "Target value",
            "Comparison",
            "Unit",
            "Gap",
            "Met",
            "First year met",
            "Source",
            "Note",
        ]
    )
    _head(ws, pack.stamp, headers, [20, 24, 56, 10, 12, 12, 10, 14, 12, 8, 10, 60, 60])
    for i, ln in enumerate(pack.lines, start=HEADER_ROW + 1):
        fmt = "0" if ln.unit == "rank" else number_format(ln.unit)
        vals = [
            ln.kind_label(pack.lang),
            ln.id,
            ln.label(pack.lang),
            ln.year if ln.year is not None else ("mọi năm" if vi else "every year"),
            _num(ln.value),
            ln.target,
            ln.op,
            ln.unit,
            _num(ln.gap),
            ln.met,
            ln.first_year_met,
            ln.source,
            ln.note(pack.lang) if ln.note else None,
        ]
        for j, v in enumerate(vals, start=1):
            c = ws.cell(i, j, v)
            if j in (5, 6, 9) and v is not None:
                c.number_format = fmt


_KPI_FORMATS = {"grdp_per_capita": "#,##0.0"}


def _comparison(ws: Worksheet, pack: Pack) -> None:
    vi = pack.lang == "vi"
    if pack.outcomes is None:
        ws.cell(1, 1, pack.stamp).font = SMALL
        ws.cell(HEADER_ROW, 1, "Không có kịch bản để so sánh." if vi else "No scenario to compare with.")
        return
    df = pack.outcomes
    value_cols = [c for c in df.columns if c not in ("kpi", "outcome", "year", "unit")]
    headers = ["Chỉ tiêu" if vi else "Outcome", "Năm" if vi else "Year", "Đơn vị" if vi else "Unit", *value_cols]
    _head(ws, pack.stamp, headers, [40, 8, 16, *([18] * len(value_cols))])
    shares = {"digital_share", "rd_intensity", "rd_nonstate_share"}
    row = HEADER_ROW
    for rec in df.to_dict(orient="records"):
        row += 1
        kid = str(rec["kpi"])
        fmt = "0.00" if kid in shares else _KPI_FORMATS.get(kid, "#,##0")
        ws.cell(row, 1, rec["outcome"])
        ws.cell(row, 2, int(rec["year"]))
        ws.cell(row, 3, rec["unit"])
        for j, c in enumerate(value_cols, start=4):
            ws.cell(row, j, _num(rec[c])).number_format = "0.0" if c.startswith("Δ%") else fmt
    row += 2
    for s, _ in pack.compare_runs:
        ws.cell(row, 1, pack.stamp_of(s)).font = SMALL
        row += 1
    if pack.inputs is not None and not pack.inputs.empty:
        row += 1
        ws.cell(row, 1, "Các đầu vào khác nhau" if vi else "Inputs that differ").font = BOLD
        cols = [c for c in pack.inputs.columns if c != "id"]
        row += 1
        for j, c in enumerate(cols, start=1):
            ws.cell(row, j, c).font = BOLD
        for rec in pack.inputs.to_dict(orient="records"):
            row += 1
            for j, c in enumerate(cols, start=1):
                ws.cell(row, j, rec[c])


def render_xlsx(pack: Pack) -> bytes:
    """The workbook as bytes (write it with :func:`sim.atomic.atomic_write`)."""
    wb = Workbook()
    lang = pack.lang
    builders = {
        "summary": _summary,
        "assumptions": _assumptions,
        "annual": _annual,
        "targets": _targets,
        "comparison": _comparison,
    }
    for i, (key, build) in enumerate(builders.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = SHEETS[key](lang)
        build(ws, pack)
    props = wb.properties
    props.title = pack.title
    props.creator = pack.model_label
    props.description = pack.stamp
    props.keywords = f"scenario-hash {pack.scenario.content_hash()}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
