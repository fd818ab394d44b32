"""The meeting pack as an Excel workbook for finance: native numbers with number formats, provenance on top.

Sheets (names in the pack's language): summary (the written summary and KPIs), assumptions (every input
with its source), annual results (one row per variable, one column per year, for the scenario and the
scenarios it is compared with), targets (the whole scorecard), comparison (key outcomes side by side and
the inputs that differ). Numbers are written by :mod:`sim.export`, the one Excel writer: formats by unit
from its one table, shares as Excel percentages (the engine's fractions), money in billion VND.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from sim.views.i18n import T_, gettext

from .. import export
from ..compare import KPI_UNITS
from ..engine import Result
from ..scenario import Scenario
from .pack import Pack

SHEETS = {
    "summary": T_("Summary"),
    "assumptions": T_("Assumptions"),
    "annual": T_("Annual results"),
    "targets": T_("Targets"),
    "comparison": T_("Comparison"),
}
HEADER_ROW = 3  # row 1: provenance stamp; row 3: column headers; data from row 4

# The KPI kinds of sim.views.scorecard in the Excel writer's units; a change of a share is in percentage points.
KIND_UNITS = {"percent": "%", "million": "million VND", "money": "bn VND"}


def _head(ws: Worksheet, stamp: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    export.stamp_row(ws, stamp)
    export.header(ws, HEADER_ROW, headers)
    export.widths(ws, widths)


def _summary(ws: Worksheet, pack: Pack) -> None:
    export.stamp_row(ws, pack.stamp)
    ws.cell(2, 1, pack.title).font = export.styles().title
    ws.cell(3, 1, pack.summary).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=8)
    ws.row_dimensions[3].height = max(60, 15 * (len(pack.summary) // 120 + 1))
    row = 5
    headers = [
        gettext("Indicator", pack.lang),
        gettext("Year", pack.lang),
        gettext("Value", pack.lang),
        gettext("Unit", pack.lang),
        gettext("Target", pack.lang),
        gettext("Met", pack.lang),
        gettext("Baseline", pack.lang),
        gettext("Difference", pack.lang),
    ]
    export.header(ws, row, headers, freeze_col=None)
    for year, ks in pack.kpis.items():
        for k in ks:
            row += 1
            unit = KIND_UNITS[k.kind]
            change = "pp" if export.is_percent(unit) else unit
            ws.cell(row, 1, k.label(pack.lang) + (f" {k.period}" if k.period else ""))
            ws.cell(row, 2, year)
            export.put(ws, row, 3, k.value, unit)
            ws.cell(row, 4, unit)
            if k.target is not None:
                export.put(ws, row, 5, k.target.value, unit)
                ws.cell(row, 6, bool(k.met))
            export.put(ws, row, 7, k.baseline, unit)
            export.put(ws, row, 8, k.delta, change)
    export.widths(ws, [44, 8, 16, 14, 12, 8, 16, 16])


def _assumptions(ws: Worksheet, pack: Pack) -> None:
    headers = [
        gettext("Group", pack.lang),
        gettext("Id", pack.lang),
        gettext("Item", pack.lang),
        gettext("Value (number)", pack.lang),
        gettext("Value", pack.lang),
        gettext("Unit", pack.lang),
        gettext("Default", pack.lang),
        gettext("Changed by scenario", pack.lang),
        gettext("Tag", pack.lang),
        gettext("Source", pack.lang),
    ]
    _head(ws, pack.stamp, headers, [12, 24, 40, 14, 34, 22, 34, 12, 14, 70])
    for i, r in enumerate(pack.assumptions, start=HEADER_ROW + 1):
        vals = [r.group, r.id, r.label, r.value, r.text, r.unit, r.default_text, r.changed, r.tag, r.source]
        # the value as entered (in the parameter's own unit), in the writer's general number format
        export.rows(ws, i, [vals], [None, None, None, "", None, None, None, None, None, None])


def _annual(ws: Worksheet, pack: Pack) -> None:
    runs: list[tuple[Scenario, Result]] = [(pack.scenario, pack.result)]
    seen = {pack.scenario.content_hash()}
    extra = pack.compare_runs or [(pack.baseline, pack.baseline_result)]
    for s, r in extra:
        if s.content_hash() not in seen:
            runs.append((s, r))
            seen.add(s.content_hash())
    years = sorted({int(y) for _, r in runs for y in r.years})
    headers = [
        gettext("Scenario", pack.lang),
        gettext("Hash", pack.lang),
        gettext("Variable", pack.lang),
        gettext("Unit", pack.lang),
        *years,
    ]
    _head(ws, pack.stamp, headers, [34, 12, 40, 22, *([11] * len(years))])
    row = HEADER_ROW + 1
    for s, r in runs:
        row = export.annual_rows(ws, row, r, lead=(s.name(pack.lang), s.content_hash()), years=years) + 1
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 5)


def _targets(ws: Worksheet, pack: Pack) -> None:
    headers = [
        gettext("Kind", pack.lang),
        gettext("Id", pack.lang),
        gettext("Target", pack.lang),
        gettext("Year", pack.lang),
        gettext("Reached", pack.lang),
        gettext("Target value", pack.lang),
        gettext("Comparison", pack.lang),
        gettext("Unit", pack.lang),
        gettext("Gap", pack.lang),
        gettext("Met", pack.lang),
        gettext("First year met", pack.lang),
        gettext("Source", pack.lang),
        gettext("Note", pack.lang),
    ]
    _head(ws, pack.stamp, headers, [20, 24, 56, 10, 12, 12, 10, 14, 12, 8, 10, 60, 60])
    for i, ln in enumerate(pack.lines, start=HEADER_ROW + 1):
        gap_unit = "pp" if export.is_percent(ln.unit) else ln.unit
        vals = [
            ln.kind_label(pack.lang),
            ln.id,
            ln.label(pack.lang),
            ln.year if ln.year is not None else (gettext("every year", pack.lang)),
            ln.value,
            ln.target,
            ln.op,
            ln.unit,
            ln.gap,
            ln.met,
            ln.first_year_met,
            ln.source,
            ln.note(pack.lang) if ln.note else None,
        ]
        units = [None, None, None, None, ln.unit, ln.unit, None, None, gap_unit, None, None, None, None]
        export.rows(ws, i, [vals], units)


def _comparison(ws: Worksheet, pack: Pack) -> None:
    if pack.outcomes is None:
        export.stamp_row(ws, pack.stamp)
        ws.cell(HEADER_ROW, 1, gettext("No scenario to compare with.", pack.lang))
        return
    export.stamp_row(ws, pack.stamp)
    headers = [gettext("Outcome", pack.lang), gettext("Year", pack.lang), gettext("Unit", pack.lang)]
    row = export.outcome_rows(ws, HEADER_ROW, pack.outcomes, KPI_UNITS, headers)
    export.widths(ws, [40, 8, 16, *([18] * (len(pack.outcomes.columns) - 4))])
    row += 2
    for s, _ in pack.compare_runs:
        export.stamp_row(ws, pack.stamp_of(s), row)
        row += 1
    if pack.inputs is not None and not pack.inputs.empty:
        row += 1
        ws.cell(row, 1, gettext("Inputs that differ", pack.lang)).font = export.styles().bold
        cols = [c for c in pack.inputs.columns if c != "id"]
        row += 1
        export.header(ws, row, cols, freeze_col=None)
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
    taken: set[str] = set()
    for i, (key, build) in enumerate(builders.items()):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = export.sheet_name(SHEETS[key](lang), taken)
        build(ws, pack)
    props = wb.properties
    props.title = pack.title
    props.creator = pack.model_label
    props.description = pack.stamp
    props.keywords = f"scenario-hash {pack.scenario.content_hash()}"
    return export.workbook_bytes(wb)
