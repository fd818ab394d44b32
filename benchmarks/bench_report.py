"""Meeting-pack benchmarks (issue 5): build the pack, render HTML and Excel, step a story, the CLI.

Run: python benchmarks/bench_report.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import median_seconds, report

from sim.report.html import render_html
from sim.report.pack import build_pack
from sim.report.workbook import render_xlsx
from sim.scenario import baseline, load_scenario
from sim.story import build_steps, load_story

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    scen = load_scenario(ROOT / "scenarios/resolution57.yaml")
    others = [baseline(), load_scenario(ROOT / "scenarios/private-mobilisation.yaml")]
    pack = build_pack(scen, others, "vi")
    report("build the pack (3 scenarios)", median_seconds(lambda: build_pack(scen, others, "vi"), 20))
    report("render the HTML (plotly.js inline, ~4.9 MB)", median_seconds(lambda: render_html(pack), 20))
    report("render the Excel workbook", median_seconds(lambda: render_xlsx(pack), 20))
    story_file = ROOT / "stories/binh-phuoc.yaml"
    report("load and build the Bình Phước story (4 steps)", median_seconds(lambda: build_steps(load_story(story_file))))
    times = []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(3):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "sim", "report", "scenarios/resolution57.yaml", "--compare", "baseline",
                 "-o", f"{d}/pack.html"], cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            times.append(time.perf_counter() - t)
    report("python -m sim report … -o pack.html (start to finish)", sorted(times)[1])


if __name__ == "__main__":
    main()
