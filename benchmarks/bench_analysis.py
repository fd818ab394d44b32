"""Speed of the decision analysis: medians beside the goals of issue 4.

Run: ``python benchmarks/bench_analysis.py [--repeat N]``. Each figure is the median of N timed calls after
one warm-up call (imports and caches warm); the command-line figure is a fresh process each time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.analysis.attribution import shapley  # noqa: E402
from sim.analysis.goalseek import goal_seek  # noqa: E402
from sim.analysis.montecarlo import monte_carlo  # noqa: E402
from sim.analysis.optimize import PlanSettings, cheapest_plan  # noqa: E402
from sim.analysis.sensitivity import sobol, tornado  # noqa: E402
from sim.scenario import baseline, load_scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "resolution57.yaml"


def median_ms(fn: Callable[[], object], repeat: int, warm: bool = True) -> float:
    if warm:
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=15)
    n = ap.parse_args().repeat
    base, r57 = baseline("binh-phuoc"), load_scenario(SCENARIO)
    cli = [sys.executable, "-m", "sim", "mc", str(SCENARIO), "--draws", "10000", "--seed", "1"]

    def run_cli() -> None:
        subprocess.run(cli, cwd=ROOT, check=True, capture_output=True)

    wide = r57.with_changes(rd_share_of_stid=30.0, rule_mode="cap_public", inflation=3.0, rd_crowding_in=1.0, rd_lag=3)
    rows = [
        ("goal seek (digital share 2030, envelope, flat)", 50,
         lambda: goal_seek(base, "digital_share_2030", "stid_budget_share")),
        ("goal seek (R&D share, ramp to 2030)", 50,
         lambda: goal_seek(r57, "rd_intensity_2030", "rd_share_of_stid", 2030)),
        ("cheapest plan, year by year (Bình Phước)", 3000, lambda: cheapest_plan(base)),
        ("cheapest plan (Đồng Nai, infeasible)", 3000,
         lambda: cheapest_plan(baseline("dong-nai"), PlanSettings(ceiling=0.5))),
        ("Monte Carlo 10,000 draws + fan percentiles", 150, lambda: monte_carlo(r57, 10_000, seed=1)),
        ("tornado (GRDP 2045, 16 inputs × 2)", 100, lambda: tornado(r57, "grdp_2045")),
        ("Sobol indices, N = 1,024 (15,360 runs)", None, lambda: sobol(r57, "digital_share_2030")),
        ("Shapley waterfall, 7 inputs (128 runs)", None, lambda: shapley(base, wide, "grdp_2045")),
    ]  # fmt: skip
    print(f"{'benchmark':<48} {'median':>10} {'goal':>10}")
    for name, goal, fn in rows:
        ms = median_ms(fn, n)
        verdict = "" if goal is None else ("  ok" if ms <= goal else "  OVER")
        goal_txt = "–" if goal is None else f"≤ {goal:,} ms"
        print(f"{name:<48} {ms:>7.1f} ms {goal_txt:>10}{verdict}")
    ms = median_ms(run_cli, max(3, n // 3), warm=True)
    verdict = "  ok" if ms <= 3000 else "  OVER"
    print(f"{'python -m sim mc --draws 10000 (subprocess)':<48} {ms:>7.0f} ms {'≤ 3,000 ms':>10}{verdict}")


if __name__ == "__main__":
    main()
