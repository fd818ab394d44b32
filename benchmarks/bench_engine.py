"""Engine benchmarks (issue 2): one scenario, 10,000 draws in one call, the CLI start to finish.

Run: python benchmarks/bench_engine.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_seconds, report

from sim.engine import build_inputs, project, run
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    scen = load_scenario(ROOT / "scenarios/resolution57.yaml")
    prof = scen.profile
    inp1 = build_inputs(prof, scen)
    report("one scenario 2024→2045 (engine only)", median_seconds(lambda: project(inp1), 500), 0.001)
    report("one scenario 2024→2045 (build inputs + engine)", median_seconds(lambda: run(scen), 500), 0.001)

    rng = np.random.default_rng(1)
    inp = build_inputs(prof, scen, draws=10_000)
    inp.scalars["rd_crowding_in"] = rng.uniform(0.3, 1.1, 10_000)
    inp.scalars["digital_spending_effect"] = rng.uniform(0.2, 1.0, 10_000)
    inp.paths["inflation"] = inp.paths["inflation"] + rng.uniform(-0.015, 0.02, (10_000, 1))
    report("10,000 draws in one call", median_seconds(lambda: project(inp, strict=False), 30), 0.050)

    cmd = [sys.executable, "-m", "sim", "run", str(ROOT / "scenarios/resolution57.yaml"), "--format", "csv"]
    report(
        "python -m sim run (start to finish)",
        median_seconds(lambda: subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True), 7, 1),
        1.5,
    )


if __name__ == "__main__":
    main()
