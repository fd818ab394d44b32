"""The one Excel writer: every workbook (Compare, the command line, the meeting pack) read back with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook

from sim import compare, export
from sim.cli import main
from sim.engine import PERCENT_VARS, UNITS, run
from sim.report.pack import build_pack
from sim.report.workbook import render_xlsx
from sim.scenario import baseline, load_scenario

R57_PATH = "scenarios/resolution57.yaml"
R57 = load_scenario(R57_PATH)
BASE = baseline("binh-phuoc")
TABLE = set(export.NUMBER_FORMATS.values()) | {export.GENERAL}
BAD = set("[]:*?/\\")


def number_cells(wb):
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, int | float) and not isinstance(c.value, bool):
                    yield ws.title, c


def assert_formats_from_the_table(wb) -> None:
    """Every number cell has a format of the one table (whole numbers such as years may stay General)."""
    for title, c in number_cells(wb):
        if c.number_format == "General":
            assert isinstance(c.value, int), (title, c.coordinate, c.value)
        else:
            assert c.number_format in TABLE, (title, c.coordinate, c.number_format)


def test_the_table_gives_each_unit_its_format():
    assert export.number_format("bn VND") == "#,##0"
    assert export.number_format("bn VND (base-year prices)") == "#,##0"
    assert export.number_format("million VND") == "#,##0.0"
    for unit in ("%", "% of GRDP", "% of floor"):
        assert export.is_percent(unit) and export.number_format(unit).endswith("%")
    assert not export.is_percent("pp")  # a change of a share stays in points
    assert export.number_format("something new") == export.GENERAL
    assert {export.number_format(u) for u in UNITS.values()} <= TABLE


def test_percent_values_become_excel_percentages_and_missing_values_empty():
    assert export.excel_value(30.25, "%") == pytest.approx(0.3025, rel=1e-15)
    assert export.excel_value(1.5, "pp") == 1.5
    assert export.excel_value(float("nan"), "bn VND") is None
    assert export.excel_value(12, "bn VND") == 12 and isinstance(export.excel_value(12, "bn VND"), int)


@pytest.mark.parametrize(
    "labels",
    [
        ["Summary", "summary", "SUMMARY"],  # Excel compares sheet names without case
        ["a/b: [c]? *d* \\ e" * 3, "a/b: [c]? *d* \\ e" * 3],
        ["Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước 2030", "Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước 2045"],
        ["", "'quoted'", "x" * 40],
    ],
)
def test_sheet_names_are_valid_and_unique(labels):
    taken: set[str] = set()
    names = [export.sheet_name(label, taken) for label in labels]
    assert len({n.lower() for n in names}) == len(names)
    for n in names:
        assert 0 < len(n) <= 31 and not set(n) & BAD and not n.startswith("'")


def test_compare_workbook_takes_the_callers_labels():
    runs = [(BASE, run(BASE)), (R57, run(R57))]
    labels = ["Kịch bản cơ sở", "Chưa lưu – sửa từ Lộ trình Nghị quyết 57 [bản nháp]"]
    wb = load_workbook(io.BytesIO(compare.excel_bytes(runs, "vi", labels=labels)))
    assert wb.sheetnames[0] == "Tóm tắt"
    assert wb.sheetnames[1] == "1. Kịch bản cơ sở"
    assert wb.sheetnames[2] == "2. Chưa lưu – sửa từ Lộ trình N"  # 31 characters
    assert wb.worksheets[2]["A2"].value.startswith(labels[1])  # the title keeps the whole label
    header = next(r for r in wb["Tóm tắt"].iter_rows(values_only=True) if r[0] == "Chỉ tiêu")
    assert list(header[3:6]) == [labels[0], labels[1], f"Δ {labels[1]}"]
    assert_formats_from_the_table(wb)
    with pytest.raises(ValueError, match="labels: give 2 different labels"):
        compare.excel_bytes(runs, "vi", labels=["same", "same"])


def test_cli_workbook_holds_the_engines_values(tmp_path: Path):
    out = tmp_path / "r.xlsx"
    assert main(["run", R57_PATH, "--format", "xlsx", "-o", str(out)]) == 0
    wb = load_workbook(out)
    ws = wb.active
    fresh = run(R57)
    cols = [c.value for c in ws[1]]
    got: dict[str, list[float]] = {}
    for row in ws.iter_rows(min_row=2):
        rec = dict(zip(cols, row, strict=True))
        var = rec["variable"].value
        got.setdefault(var, []).append(rec["value"].value)
        assert rec["value"].number_format == export.number_format(UNITS[var])
    assert set(got) == set(fresh.variables)
    for var, values in got.items():
        # shares are the engine's fractions (shown as percentages), the rest in the engine's unit
        assert_allclose(values, fresh.single(var), rtol=1e-12, err_msg=var)
    assert export.number_format(UNITS["R&D|Share of GRDP"]).endswith("%") and "R&D|Share of GRDP" in PERCENT_VARS
    assert_formats_from_the_table(wb)


def test_meeting_pack_workbook_uses_the_same_table():
    pack = build_pack(R57, [], "vi")
    wb = load_workbook(io.BytesIO(render_xlsx(pack)))
    assert_formats_from_the_table(wb)
    names = wb.sheetnames
    assert len({n.lower() for n in names}) == len(names) and all(len(n) <= 31 and not set(n) & BAD for n in names)
    # the digital share of 2030 in the summary: the engine's fraction in the percent format
    ws = wb[names[0]]
    fresh = run(R57)
    (kpi,) = [k for k in pack.kpis[2030] if k.id == "digital_share"]
    row = next(r for r in ws.iter_rows() if r[0].value == kpi.label("vi") and r[1].value == 2030)
    assert row[1].value == 2030
    assert_allclose(row[2].value, fresh.at("Digital Economy|Share of GRDP", 2030)[0], rtol=1e-12)
    assert row[2].number_format == export.NUMBER_FORMATS["%"]
    assert row[7].number_format == export.NUMBER_FORMATS["pp"]  # the change against baseline, in points
