"""The command line: outputs users take away, checked against the engine and the specification."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
BASELINE = str(ROOT / "scenarios/baseline.yaml")
R57 = str(ROOT / "scenarios/resolution57.yaml")
MODEL_MD_VARS = [
    "GRDP|Nominal",
    "GRDP|Real",
    "GRDP|Real Growth",
    "GRDP per Capita",
    "Population",
    "Budget|Spending",
    "Budget|STI and DX",
    "Budget|STI and DX|Share",
    "Budget|Central Floor",
    "R&D|Total",
    "R&D|Public",
    "R&D|Non-state",
    "R&D|Share of GRDP",
    "R&D|Non-state Share",
    "R&D|Non-state Gap",
    "R&D|Knowledge Stock",
    "Digital Transformation|Public Spending",
    "Digital Economy|Share of GRDP",
    "Digital Economy|Value Added",
]


def test_run_csv_reproduces_model_md_table_in_iamc_format():
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "run", BASELINE, "--format", "csv"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(io.StringIO(proc.stdout))
    assert list(df.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert set(MODEL_MD_VARS) <= set(df["variable"])
    assert (df["region"] == "binh-phuoc").all()

    def v(var, year):
        return df[(df.variable == var) & (df.year == year)]["value"].item()

    # The reference table of the specification (version 2), ±0.5 %; percent variables are written in percent.
    for year, grdp, share in ((2030, 231_626, 19.4), (2045, 1_139_957, 54.8)):
        assert v("GRDP|Nominal", year) == pytest.approx(grdp, rel=0.005)
        assert v("Digital Economy|Share of GRDP", year) == pytest.approx(share, rel=0.005)
    assert v("R&D|Share of GRDP", 2030) == pytest.approx(0.15, rel=0.005)
    assert v("R&D|Non-state Share", 2045) == pytest.approx(64.3, rel=0.005)
    assert df[df.variable == "GRDP|Nominal"]["unit"].iloc[0] == "bn VND"
    assert df[df.variable == "R&D|Share of GRDP"]["unit"].iloc[0] == "%"


def test_run_writes_xlsx_and_json_with_native_numbers(tmp_path):
    xlsx, js = tmp_path / "r.xlsx", tmp_path / "r.json"
    assert main(["run", R57, "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert main(["run", R57, "--format", "json", "-o", str(js)]) == 0
    ws = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    assert header == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert isinstance(ws.cell(2, 7).value, (int, float)) and ws.cell(2, 6).value == 2024  # numbers, not text
    records = json.loads(js.read_text(encoding="utf-8"))
    assert len(records) == ws.max_row - 1
    assert records[0]["scenario"] == "Resolution 57 path"


def test_xlsx_to_stdout_is_refused(capsys):
    assert main(["run", R57, "--format", "xlsx"]) == 2
    assert "-o FILE.xlsx" in capsys.readouterr().err


def test_targets_tells_met_or_not_and_by_how_much(capsys):
    assert main(["targets", R57]) == 0
    out = capsys.readouterr().out
    lines = {ln.split()[0]: ln for ln in out.splitlines()[2:]}
    expected_ids = {
        "digital_share_2030",
        "digital_share_2045",
        "rd_intensity_2030",
        "rd_nonstate_share_2030",
        "envelope_above_floor",
        "envelope_non_decreasing",
    }
    assert expected_ids <= set(lines)
    # R&D in 2030: (1 + λ)·θ·s·b + e = 1.7 × 0.4 × 3.5 % × 13.4 % + 0.8 % = 1.1189 % → gap 0.381 pp, not met.
    assert "1.119" in lines["rd_intensity_2030"] and "0.381" in lines["rd_intensity_2030"]
    assert "NOT met" in lines["rd_intensity_2030"]
    assert " met" in lines["envelope_above_floor"] and "NOT" not in lines["envelope_above_floor"]


def test_compare_shows_deltas_against_the_first(capsys):
    assert main(["compare", BASELINE, R57]) == 0
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if ln.strip().startswith("R&D intensity") and " 2030 " in ln)
    nums = [float(x) for x in row.split()[-3:]]
    assert nums[0] == pytest.approx(0.15, abs=1e-3)
    assert nums[1] == pytest.approx(1.119, abs=1e-3)
    assert nums[2] == pytest.approx(nums[1] - nums[0], abs=2e-3)


def test_validate_and_params(capsys):
    assert main(["validate", R57]) == 0
    assert "valid scenario 'Resolution 57 path'" in capsys.readouterr().out
    assert main(["params", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "stid_budget_share" in out and "Ngân sách KH,CN,ĐMST&CĐS" in out and "0 to 10" in out


def test_unknown_command_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "sim", "frobnicate"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "invalid choice" in proc.stderr
