"""Simulate page: one rerun after a lever release, in Streamlit's AppTest (no browser), and the live payload.

A release applies the same edit as the sidebar slider of that breakpoint (``widgets.set_breakpoint``), so a
move of that slider stands for it here. Each move goes to a value not seen before in the run (a fresh
content: nothing cached by content helps), alternating between the three levers of the simple view.

    python benchmarks/bench_rerun.py [--repeat 12] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _apptest import compile_once, profile_page_runs  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

# (slider key, values to step through): each a new content of the scenario.
MOVES = (
    ("w_stid_budget_share_2025", [round(1.0 + 0.1 * i, 1) for i in range(1, 40)]),
    ("w_rd_share_of_stid_2025", [round(20.0 + 1.0 * i, 1) for i in range(1, 40)]),
)


def payload_build(repeat: int) -> tuple[float, int]:
    """Median CPU seconds to build the live payload from scratch (three sweeps, payload, JSON) and its size."""
    from sim import engine
    from sim.profiles import load_profile
    from sim.scenario import baseline
    from sim.views import live

    s = baseline()
    prof = load_profile(s.region)
    run = engine.run(s)
    e0 = float(run.calibrated_enterprise_rd[0]) * 100.0  # type: ignore[index]

    def build() -> str:
        sweeps = [live.lever_sweep(live.live_lever(p, s, prof, e0), s, prof, run, "vi") for p in live.live_pids(False)]
        return live.dumps(live.payload(sweeps, run, run, prof, "vi"))

    text = build()
    times = []
    for _ in range(repeat):
        c = time.process_time()
        build()
        times.append(time.process_time() - c)
    return statistics.median(times), len(text.encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=12)
    ap.add_argument("--profile", help="write a cProfile of the timed reruns to this file")
    args = ap.parse_args()
    compile_once()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    # the year-by-year paths open: their sliders stand for the releases (a release of a live slider runs
    # the main view alone: a lighter run than the one timed here, which AppTest cannot time)
    at.session_state["w_paths_box"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    prof = cProfile.Profile() if args.profile else None
    if prof:
        profile_page_runs(prof, lambda: timing)
    timing = False
    times: list[float] = []
    cpu: list[float] = []  # CPU time of this process: less moved by other work on a shared machine
    for i in range(args.repeat + 2):
        key, values = MOVES[i % len(MOVES)]
        slider = at.slider(key=key)
        slider.set_value(values[i // len(MOVES)])
        timing = i >= 2
        t, c = time.perf_counter(), time.process_time()
        at.run()
        dt, dc = time.perf_counter() - t, time.process_time() - c
        assert not at.exception, [e.value for e in at.exception]
        if i >= 2:  # the first two warm the caches of a new session
            times.append(dt)
            cpu.append(dc)
    data = at.get("bidi_component")[0].proto.bytes
    print(
        f"Simulate rerun after a release (AppTest): median {statistics.median(times) * 1000:5.0f} ms wall, "
        f"{statistics.median(cpu) * 1000:5.0f} ms CPU (min {min(times) * 1000:.0f} ms wall, n={len(times)})"
    )
    print(f"live payload sent: {len(data) / 1000:.0f} kB")
    if prof:
        prof.dump_stats(args.profile)
    build, size = payload_build(args.repeat)
    print(f"live payload from scratch (3 sweeps, payload, JSON): median {build * 1000:4.0f} ms CPU, {size // 1000} kB")


if __name__ == "__main__":
    main()
