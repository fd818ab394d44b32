"""Scenario files: the documented format (docs/model.md), round trips, and every kind of bad input refused clearly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from sim.cli import main
from sim.engine import run
from sim.errors import InputError
from sim.scenario import load_scenario, loads, save_scenario

ROOT = Path(__file__).resolve().parents[1]

MODEL_MD_EXAMPLE = """\
name: {vi: "Lộ trình Nghị quyết 57", en: "Resolution 57 path"}
region: binh-phuoc            # profile id
description: {vi: "...", en: "..."}
author: "Sở Tài chính"
status: draft                 # draft | approved (approved files are read-only in the app)
levers:
  stid_budget_share: {2024: 1.0, 2026: 3.0, 2030: 3.5}
  enterprise_rd_intensity: {2030: 0.8}   # from the calibrated base-year value to 0.8 % of GRDP in 2030
  rule_mode: report
assumptions:
  real_growth_base: {2025: 8.0, 2030: 8.0, 2045: 6.0}
  inflation: 4.0
"""


def test_model_md_example_parses_and_runs_by_the_equations():
    scen = loads(MODEL_MD_EXAMPLE, "example.yaml")
    assert scen.name.en == "Resolution 57 path" and scen.author == "Sở Tài chính"
    res = run(scen)
    # 2026: envelope 3 % of budget (13.4 % of GRDP), R&D 40 % of it; e rises by (0.8 % − e0)/6 a year.
    y = float(res.at("GRDP|Nominal", 2026)[0])
    assert_allclose(float(res.at("Budget|STI and DX", 2026)[0]), 0.03 * 0.134 * y)
    e0 = 0.0015 - 1.7 * 0.4 * 0.01 * 0.134
    e2026 = e0 + (0.008 - e0) * 2 / 6
    assert_allclose(float(res.at("R&D|Non-state", 2026)[0]), e2026 * y + 0.7 * 0.4 * 0.03 * 0.134 * y)


@pytest.mark.parametrize("preset", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_round_trip_gives_same_scenario_and_results(preset, tmp_path):
    first = load_scenario(preset)
    out = tmp_path / "copy.yaml"
    save_scenario(first, out)
    again = load_scenario(out)
    assert again == first
    assert again.content_hash() == first.content_hash()
    r1, r2 = run(first), run(again)
    for var in r1.variables:
        assert_allclose(r2[var], r1[var], rtol=0, atol=0)


BAD = {
    "empty": ("", "empty"),
    "blank": ("   \n\n", "empty"),
    "malformed": ("name: [unclosed\n", "malformed YAML"),
    "not a mapping": ("- a\n- b\n", "expected a mapping"),
    "unknown key": ("name: x\nfoo: 1\n", "foo: unknown key"),
    "unknown parameter": ("name: x\nlevers:\n  budget_magic: 3\n", "levers.budget_magic: unknown parameter"),
    "lever under assumptions": ("name: x\nassumptions:\n  stid_budget_share: 3\n", "put it under levers"),
    "wrong type": ("name: x\nlevers:\n  stid_budget_share: lots\n", "expected a number"),
    "bool": ("name: x\nlevers:\n  stid_budget_share: true\n", "expected a number"),
    "out of range": ("name: x\nlevers:\n  stid_budget_share: 55\n", "outside the allowed range 0 to 10"),
    "out of range in path": ("name: x\nlevers:\n  stid_budget_share: {2030: -1}\n", "stid_budget_share.2030"),
    "nan": ("name: x\nassumptions:\n  inflation: .nan\n", "not a finite number"),
    "infinity": ("name: x\nassumptions:\n  inflation: .inf\n", "not a finite number"),
    "year outside horizon": ("name: x\nlevers:\n  stid_budget_share: {2050: 3}\n", "outside 2024..2045"),
    "year before base": ("name: x\nlevers:\n  stid_budget_share: {2019: 3}\n", "outside 2024..2045"),
    "path for scalar": ("name: x\nassumptions:\n  rd_lag: {2030: 2}\n", "not a year-keyed path"),
    "fractional lag": ("name: x\nassumptions:\n  rd_lag: 1.5\n", "whole number"),
    "unknown choice": ("name: x\nlevers:\n  rule_mode: ignore\n", "not one of report, cap_public"),
    "unknown region": ("name: x\nregion: atlantis\n", "unknown region 'atlantis'"),
    "unknown status": ("name: x\nstatus: final\n", "not one of draft, approved"),
    "no name": ("region: binh-phuoc\n", "needs a name"),
    "future model version": ("name: x\nmodel_version: 3\n", "model_version: 3 is not a model version"),
    "text model version": ("name: x\nmodel_version: two\n", "model_version: 'two' is not a model version"),
    "python tag": ("name: !!python/object/apply:os.system ['echo hi']\n", "not allowed"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nname: *c\n",
        "aliases",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_with_exit_2_and_a_message(case, tmp_path, capsys):
    text, expected = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)
    out = tmp_path / "out.csv"
    assert main(["run", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()  # never a partial output file


def test_file_over_one_megabyte_is_refused(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_text("name: x\n" + "# padding\n" * 110_000, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    assert main(["validate", str(path)]) == 2
    assert "limit is 1,000,000" in capsys.readouterr().err


def test_missing_file_is_refused(tmp_path, capsys):
    assert main(["targets", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_python_tag_runs_nothing_in_a_real_process(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"name: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "not allowed" in proc.stderr
    assert not marker.exists()


def test_saved_files_get_the_ordinary_file_mode(tmp_path):
    from sim import atomic

    out = tmp_path / "s.yaml"
    save_scenario(load_scenario(ROOT / "scenarios/baseline.yaml"), out)
    # readable by the team as any new file is (mkstemp alone would make it private to the server's user)
    assert out.stat().st_mode & 0o777 == 0o666 & ~atomic._UMASK
    assert out.stat().st_mode & 0o044 or atomic._UMASK & 0o044


V1_FILE = """\
name: old
region: binh-phuoc
levers:
  stid_budget_share: {2030: 3.5}
  rd_share_of_stid: {2025: 50.0}
  enterprise_rd_intensity: {2030: 0.8}
assumptions:
  inflation: {2027: 3.0, 2030: 3.0}
"""


def test_saved_files_record_the_model_version(tmp_path):
    path = tmp_path / "s.yaml"
    save_scenario(load_scenario(ROOT / "scenarios" / "resolution57.yaml"), path)
    assert "\nmodel_version: 2\n" in path.read_text(encoding="utf-8")
    again = load_scenario(path)
    assert again.notices == [] and again.reread == ()


def test_a_version_1_file_loads_with_a_notice_of_the_new_reading(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text(V1_FILE, encoding="utf-8")
    scen = load_scenario(path)
    # Paths that start after 2025 change reading; a path from 2025 (T0 + 1) and enterprise R&D (which
    # already ramped from its calibrated value) do not.
    assert scen.reread == ("stid_budget_share", "inflation")
    (line,) = scen.notices
    assert str(path) in line and "stid_budget_share, inflation" in line and "model version 2" in line
    # It is read the version-2 way: 1 % in 2024 to 3.5 % in 2030 in a line.
    assert_allclose(run(scen).single("Budget|STI and DX|Share")[1] * 100, 1.0 + 2.5 / 6)
    # The command line shows the notice on stderr and still runs.
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "targets", str(path)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == line and "digital_share_2030" in proc.stdout
    # Saved again, the file is a version-2 file: no notice.
    resaved = tmp_path / "new.yaml"
    save_scenario(scen, resaved)
    assert load_scenario(resaved).notices == []
    # Marked version 1 explicitly: the same notice.
    marked = tmp_path / "marked.yaml"
    marked.write_text("model_version: 1\n" + V1_FILE, encoding="utf-8")
    assert load_scenario(marked).reread == ("stid_budget_share", "inflation")
