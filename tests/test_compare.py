"""Scenario comparison (sim.compare, sim.charts_compare): differences, differing inputs, Excel and CSV."""

from __future__ import annotations

import io
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from openpyxl import load_workbook

from sim import compare, export
from sim.cli import main
from sim.engine import run
from sim.export import IAMC_COLUMNS
from sim.params import Text
from sim.provenance import stamp
from sim.scenario import baseline, load_scenario
from sim.views.charts_compare import COMPARE_CHARTS, overlay

ROOT = Path(__file__).resolve().parents[1]
BASE = load_scenario(ROOT / "scenarios" / "baseline.yaml")
R57 = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
PRIVATE = load_scenario(ROOT / "scenarios" / "private-mobilisation.yaml")
FISCAL = load_scenario(ROOT / "scenarios" / "fiscal-constraint.yaml")


@pytest.fixture(scope="module")
def runs():
    return [(s, run(s)) for s in (BASE, R57, FISCAL)]


def numeric(v: object) -> bool:
    """A number cell (Excel stores whole numbers without a fraction, so openpyxl reads them back as int)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cell(df: pd.DataFrame, kpi: str, year: int, column: str) -> float:
    return float(df[(df["kpi"] == kpi) & (df["year"] == year)][column].iloc[0])


# ----------------------------------------------------------------- outcomes


def test_rd_intensity_and_its_difference_match_a_hand_computation(runs):
    table = compare.outcome_table(runs, "en")
    # R&D in 2030 under Resolution 57: (1 + λ)·θ·s·b + e = 1.7 × 0.4 × 3.5 % × 13.4 % + 0.8 % of GRDP.
    hand = 1.7 * 0.4 * 0.035 * 0.134 * 100 + 0.8
    assert_allclose(cell(table, "rd_intensity", 2030, "Resolution 57 path"), hand, rtol=1e-12)
    assert_allclose(cell(table, "rd_intensity", 2030, "Baseline – Bình Phước"), 0.15, rtol=1e-12)
    assert_allclose(cell(table, "rd_intensity", 2030, "Δ Resolution 57 path"), hand - 0.15, rtol=1e-12)
    assert_allclose(cell(table, "rd_intensity", 2030, "Δ% Resolution 57 path"), (hand - 0.15) / 0.15 * 100, rtol=1e-12)


def test_every_outcome_and_difference_equals_the_engine_series(runs):
    table = compare.outcome_table(runs, "en")
    labels = [s.name.en for s, _ in runs]
    variables = {
        "digital_share": ("Digital Economy|Share of GRDP", 100.0),
        "rd_intensity": ("R&D|Share of GRDP", 100.0),
        "rd_nonstate_share": ("R&D|Non-state Share", 100.0),
        "grdp_nominal": ("GRDP|Nominal", 1.0),
        "grdp_per_capita": ("GRDP per Capita", 1.0),
        "envelope": ("Budget|STI and DX", 1.0),
        "nonstate_gap": ("R&D|Non-state Gap", 1.0),
    }
    assert len(table) == 2 * 8
    for year in (2030, 2045):
        for kpi, (var, factor) in variables.items():
            values = [r.single(var)[list(r.years).index(year)] * factor for _, r in runs]
            assert_allclose([cell(table, kpi, year, lab) for lab in labels], values, rtol=1e-12)
            for lab, v in zip(labels[1:], values[1:], strict=True):
                assert_allclose(cell(table, kpi, year, f"Δ {lab}"), v - values[0], rtol=1e-12, atol=1e-9)
                assert_allclose(cell(table, kpi, year, f"Δ% {lab}"), (v - values[0]) / abs(values[0]) * 100)
        # The cumulative envelope cost: the sum of the annual envelope over the calendar period ending this year.
        start = 2025 if year == 2030 else 2031
        for (_, r), lab in zip(runs, labels, strict=True):
            annual = r.single("Budget|STI and DX")
            expected = annual[(r.years >= start) & (r.years <= year)].sum()
            assert_allclose(cell(table, "envelope_cost", year, lab), expected, rtol=1e-12)
    assert set(table[table["kpi"] == "envelope_cost"]["outcome"]) == {
        "Cumulative envelope cost 2025-2030",
        "Cumulative envelope cost 2031-2045",
    }


def test_percent_difference_is_missing_when_the_base_is_zero():
    runs = [(s, run(s)) for s in (PRIVATE, BASE)]
    table = compare.outcome_table(runs, "en")
    assert cell(table, "nonstate_gap", 2045, PRIVATE.name.en) == 0.0  # the mobilisation closes the gap
    assert math.isnan(cell(table, "nonstate_gap", 2045, f"Δ% {BASE.name.en}"))
    assert cell(table, "nonstate_gap", 2045, f"Δ {BASE.name.en}") > 0


def test_scenarios_with_the_same_name_get_distinct_columns():
    twin = replace(R57, levers={**R57.levers, "rd_share_of_stid": 30.0})
    assert compare.scenario_labels([R57, twin, R57]) == [
        "Resolution 57 path",
        "Resolution 57 path [2]",
        "Resolution 57 path [3]",
    ]
    table = compare.outcome_table([(R57, run(R57)), (twin, run(twin))])
    assert "Δ Resolution 57 path [2]" in table.columns
    assert cell(table, "rd_intensity", 2030, "Δ Resolution 57 path [2]") < 0  # less R&D from the envelope


def test_the_command_line_compare_is_served_by_the_same_table(capsys):
    assert (
        main(["compare", str(ROOT / "scenarios" / "baseline.yaml"), str(ROOT / "scenarios" / "resolution57.yaml")]) == 0
    )
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("Cumulative envelope cost 2025-2030"))
    cost = compare.outcome_table([(BASE, run(BASE)), (R57, run(R57))])
    expected = cell(cost, "envelope_cost", 2030, f"Δ {R57.name.en}")
    assert float(row.split()[-1].replace(",", "")) == pytest.approx(expected, abs=1e-3)  # English: 3,027.471


# ----------------------------------------------------------------- inputs


def test_only_the_inputs_that_differ_are_listed():
    table = compare.input_table([BASE, R57], "en")
    assert list(table["id"]) == ["stid_budget_share", "enterprise_rd_intensity"]  # rule_mode 'report' = default
    row = table.set_index("id").loc["stid_budget_share"]
    assert row["Baseline – Bình Phước"] == "1"
    assert row["Resolution 57 path"] == "2024: 1 → 2026: 3 → 2030: 3.5"
    assert table.set_index("id").loc["enterprise_rd_intensity", "Baseline – Bình Phước"] == "calibrated base-year value"
    vi = compare.input_table([BASE, R57], "vi").set_index("id")
    assert vi.loc["stid_budget_share", "Lộ trình Nghị quyết 57"] == "2024: 1 → 2026: 3 → 2030: 3,5"


def test_inputs_with_the_same_effect_are_not_listed_as_different():
    # A flat path equals the number; a base-year breakpoint only anchors the path (the base year is history).
    same = BASE.with_changes(stid_budget_share={2024: 5.0, 2025: 1.0}, inflation={2030: 4.0}, rule_mode="report")
    assert compare.input_table([BASE, same]).empty
    assert_allclose(run(same).single("GRDP|Nominal"), run(BASE).single("GRDP|Nominal"), rtol=1e-12)


def test_different_regions_add_a_region_row():
    table = compare.input_table([BASE, baseline("vietnam")], "en")
    assert table["id"].iloc[0] == "region"
    assert list(table.iloc[0, 3:]) == ["Bình Phước", "Vietnam (national)"]


# ----------------------------------------------------------------- downloads


def test_excel_workbook_holds_real_numbers_and_provenance(runs):
    wb = load_workbook(io.BytesIO(compare.excel_bytes(runs, "en")))
    assert wb.sheetnames == ["Summary", "1. Baseline – Bình Phước", "2. Resolution 57 path", "3. Fiscal constraint"]
    summary = wb["Summary"]
    for i, (s, _) in enumerate(runs):
        assert stamp(s, "en") in summary.cell(2 + i, 1).value
    # The R&D row of 2030 in the summary: the values and the difference are numbers equal to the engine's.
    rows = {(r[0], r[1]): r for r in summary.iter_rows(values_only=True) if r[0] and isinstance(r[1], int)}
    rd = rows[("R&D intensity", 2030)]
    # Shares are Excel percentages: the cell holds the engine's fraction; differences are percentage points.
    expected = [run(s).at("R&D|Share of GRDP", 2030)[0] for s, _ in runs]
    assert all(numeric(v) for v in rd[3:])
    assert_allclose(rd[3:6], expected, rtol=1e-12)
    assert_allclose(rd[6:8], [(expected[1] - expected[0]) * 100, (expected[2] - expected[0]) * 100], rtol=1e-12)
    rd_cells = next(r for r in summary.iter_rows() if r[0].value == "R&D intensity" and r[1].value == 2030)
    assert rd_cells[3].number_format == export.NUMBER_FORMATS["%"]
    assert rd_cells[6].number_format == export.NUMBER_FORMATS["pp"]
    assert rd_cells[8].number_format == export.NUMBER_FORMATS["Δ%"]
    # relative difference of the first other scenario, as a fraction: (b - a) / a
    assert_allclose(rd_cells[8].value, (expected[1] - expected[0]) / expected[0], rtol=1e-12)
    for i, (s, r) in enumerate(runs, start=1):
        ws = wb.worksheets[i]
        assert ws["A1"].value == stamp(s, "en")
        header = [c.value for c in ws[4]]
        assert header[:2] == ["Variable", "Unit"] and header[2:] == list(range(2024, 2046))
        for row in ws.iter_rows(min_row=5, max_row=4 + len(r.variables)):
            var = row[0].value
            values = [c.value for c in row[2:]]
            assert all(numeric(v) for v in values), var
            assert_allclose(values, r.single(var), rtol=1e-12)  # the engine's own values, shares as fractions
            assert {c.number_format for c in row[2:]} == {export.number_format(row[1].value)}
        gdp_row = next(row for row in ws.iter_rows(min_row=5) if row[0].value == "GRDP|Nominal")
        assert gdp_row[2].number_format == "#,##0"
        share_row = next(row for row in ws.iter_rows(min_row=5) if row[0].value == "Digital Economy|Share of GRDP")
        assert share_row[2].number_format.endswith("%")
        assert ws.column_dimensions["A"].width >= 40


def test_sheet_names_are_valid_and_unique_whatever_the_names():
    odd = replace(BASE, name=Text(vi="a/b: [c]? *d* \\ e" * 3, en="a/b: [c]? *d* \\ e" * 3))
    wb = load_workbook(io.BytesIO(compare.excel_bytes([(odd, run(odd)), (odd, run(odd))], "vi")))
    names = wb.sheetnames
    assert names[0] == "Tóm tắt" and len(set(names)) == 3
    for n in names:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\")


def test_csv_is_the_iamc_long_format_with_a_scenario_column(runs):
    df = pd.read_csv(io.BytesIO(compare.csv_bytes(runs, "en")), encoding="utf-8-sig")
    assert list(df.columns) == [*IAMC_COLUMNS, "provenance"]
    assert list(df["scenario"].unique()) == [s.name.en for s, _ in runs]
    n_years = 2045 - 2024 + 1
    assert len(df) == len(runs) * len(runs[0][1].variables) * n_years
    for s, r in runs:
        sub = df[(df["scenario"] == s.name.en) & (df["variable"] == "Digital Economy|Share of GRDP")]
        assert_allclose(sub["value"].to_numpy(), r.single("Digital Economy|Share of GRDP") * 100, rtol=1e-9)
        assert set(df[df["scenario"] == s.name.en]["provenance"]) == {stamp(s, "en")}


# ----------------------------------------------------------------- charts


def test_overlay_chart_draws_every_scenario_and_the_targets(runs):
    spec = next(c for c in COMPARE_CHARTS if c.id == "digital_share")
    fig = overlay(runs, spec, "vi")
    lines = [t for t in fig["data"] if t["mode"] == "lines"]
    assert [t["name"] for t in lines] == [s.name.vi for s, _ in runs]
    for t, (_, r) in zip(lines, runs, strict=True):
        assert_allclose(t["y"], r.single("Digital Economy|Share of GRDP") * 100, atol=1e-6)
    targets = {(t["x"][0], t["y"][0]) for t in fig["data"] if t["mode"] != "lines"}
    assert targets == {(2030, 30.0), (2045, 40.0)}
    layout = fig["layout"]
    assert layout["separators"] == ",." and layout["yaxis"]["title"]["text"] == "% GRDP"
    note = layout["annotations"][0]["text"]
    assert all(s.content_hash() in note for s, _ in runs)
    assert np.isfinite(layout["height"])


def test_money_in_the_outcome_view_follows_one_rule():
    # whole billions for every sum below 100.000 bn VND, whatever its size ("3.127" beside "888", not "887,7");
    # larger sums (GRDP) in trillions with one decimal
    runs = [(s, run(s)) for s in (BASE, R57)]
    text = compare.outcome_text(compare.outcome_table(runs, "vi"), "vi")
    money = text[text["unit"] == "tỷ đồng"]
    cells = [c for col in [BASE.name.vi, R57.name.vi] for c in money[col]]
    billions = [c for c in cells if not c.endswith("nghìn tỷ đồng")]
    trillions = [c for c in cells if c.endswith("nghìn tỷ đồng")]
    assert billions and all(re.fullmatch(r"\d{1,3}(\.\d{3})* tỷ đồng", c) for c in billions), billions
    assert trillions and all(re.fullmatch(r"\d{1,3}(\.\d{3})*,\d nghìn tỷ đồng", c) for c in trillions), trillions
    shares = text[text["outcome"].str.startswith("Tỷ trọng kinh tế số")]
    assert all(c.endswith(" điểm %") for c in shares[f"Δ {R57.name.vi}"])
