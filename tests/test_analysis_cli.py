"""Command line of the decision analysis: answers in the lever's unit and the exit codes 0 / 1 / 2."""

from __future__ import annotations

import re
import shutil

import pytest

from sim.analysis.goalseek import goal_seek
from sim.analysis.montecarlo import monte_carlo
from sim.analysis.optimize import cheapest_plan
from sim.cli import EXIT_INPUT, EXIT_OK, EXIT_UNMET, main
from sim.scenario import load_scenario

BASE, R57 = "scenarios/baseline.yaml", "scenarios/resolution57.yaml"


def cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_seek_prints_the_answer_in_the_levers_unit(capsys):
    code, out, _ = cli(capsys, "seek", BASE, "--target", "digital_share_2030", "--lever", "stid_budget_share")
    assert code == EXIT_OK
    want = goal_seek(load_scenario(BASE), "digital_share_2030", "stid_budget_share").value
    m = re.search(r"stid_budget_share = ([\d.,]+) % of budget spending \(flat from 2025\)", out)
    assert m and float(m.group(1).replace(",", "")) == pytest.approx(want, abs=1e-4)


def test_seek_with_a_ramp(capsys):
    code, out, _ = cli(
        capsys,
        "seek",
        R57,
        "--target",
        "rd_nonstate_share_2030",
        "--lever",
        "enterprise_rd_intensity",
        "--ramp-to",
        "2035",
    )
    assert code == EXIT_OK and "reached in 2035" in out and "% of GRDP" in out


def test_seek_unreachable_exits_1_with_the_top_of_the_range(capsys):
    code, out, _ = cli(capsys, "seek", BASE, "--target", "rd_intensity_2030", "--lever", "stid_budget_share")
    assert code == EXIT_UNMET
    assert out.startswith("unreachable") and "0.9701 %" in out and "10 % of budget spending" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["seek", BASE, "--target", "nope", "--lever", "stid_budget_share"],
        ["seek", BASE, "--target", "digital_share_2030", "--lever", "inflation"],
        ["seek", BASE, "--target", "digital_share_2030", "--lever", "no_such_lever"],
        ["seek", BASE, "--target", "digital_share_2030", "--lever", "stid_budget_share", "--ramp-to", "2050"],
        ["seek", "missing.yaml", "--target", "digital_share_2030", "--lever", "stid_budget_share"],
        ["seek", BASE, "--lever", "stid_budget_share"],
        ["mc", R57, "--draws", "0"],
        ["mc", R57, "--draws", "20001"],
        ["mc", R57, "--draws", "many"],
        ["tornado", R57, "--outcome", "nope"],
        ["optimize", BASE, "--ceiling", "9"],
        ["optimize", BASE, "--skip", "envelope_above_floor"],
        ["optimize", BASE, "--hold-until", "2050"],
        ["optimize", BASE, "--rd-step", "fast"],
        ["optimize", BASE, "--shape", "zigzag"],
        ["attribute", BASE, "scenarios/dong-nai-baseline.yaml"],
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv):
    code = None
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == EXIT_INPUT
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_mc_prints_each_targets_probability(capsys):
    code, out, _ = cli(capsys, "mc", R57, "--draws", "1000", "--seed", "4")
    assert code == EXIT_OK
    mc = monte_carlo(load_scenario(R57), 1000, seed=4)
    for t, p in mc.probabilities:
        assert re.search(rf"^{t.id}\s+{p * 100:.1f} %", out, re.M), t.id
    assert "1,000 draws, seed 4" in out


def test_tornado_and_attribute_run(capsys):
    code, out, _ = cli(capsys, "tornado", R57, "--outcome", "grdp_2045")
    assert code == EXIT_OK and out.splitlines()[1].startswith("real_growth_base")
    code, out, _ = cli(capsys, "attribute", BASE, R57, "--outcome", "rd_intensity_2030")
    assert code == EXIT_OK and "enterprise_rd_intensity" in out and "total" in out


def test_optimize_prints_the_year_by_year_plan_and_saves_it_without_overwriting(capsys, tmp_path):
    out_file = tmp_path / "plan.yaml"
    code, out, _ = cli(capsys, "optimize", BASE, "-o", str(out_file))
    assert code == EXIT_OK and out.startswith("cheapest plan, year by year")
    plan = cheapest_plan(load_scenario(BASE)).best
    saved = load_scenario(out_file)
    assert saved.content_hash() == plan.scenario.content_hash()
    for pid, path in plan.paths.items():
        assert sorted(saved.levers[pid]) == list(range(2025, 2031))
        row = re.search(rf"^  {pid}\s+(.*?)  %", out, re.M)
        assert row and [float(v.replace(",", "")) for v in row.group(1).split()] == pytest.approx(
            list(path.values()), abs=5e-4
        )
    m = re.search(r"real fiscal cost 2025-2030 ([\d,.]+) bn VND", out)
    assert m and float(m.group(1).replace(",", "")) == pytest.approx(plan.cost_real, abs=0.05)
    assert re.search(r"^  straight-line ramp\s+[\d,.]+$", out, re.M)
    assert re.search(r"^  flat shares\s+[\d,.]+  INFEASIBLE", out, re.M)
    before = out_file.read_bytes()
    code, _, err = cli(capsys, "optimize", BASE, "--shape", "ramp", "-o", str(out_file))
    assert code == EXIT_INPUT and out_file.read_bytes() == before
    assert str(out_file) in err


def test_optimize_infeasible_exits_1(capsys, tmp_path):
    path = tmp_path / "dn.yaml"
    shutil.copy("scenarios/dong-nai-baseline.yaml", path)
    code, out, _ = cli(capsys, "optimize", str(path), "--ceiling", "0.5")
    assert code == EXIT_UNMET
    assert out.startswith("INFEASIBLE") and re.search(r"^  rd_intensity_2030 .* SHORT by", out, re.M)
    # the flat plan is infeasible at the default one-point envelope step, whichever plan is printed
    code, out, _ = cli(capsys, "optimize", BASE, "--shape", "flat")
    assert code == EXIT_UNMET and out.startswith("INFEASIBLE: closest plan, flat shares")
