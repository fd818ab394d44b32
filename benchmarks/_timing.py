"""Small timing helper shared by the benchmark scripts: median of repeated runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int = 50, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def report(label: str, seconds: float, goal: float | None = None) -> None:
    ms = seconds * 1000
    if goal is None:
        print(f"{label:<52} median {ms:10.3f} ms")
    else:
        verdict = "OK" if seconds <= goal else "OVER GOAL"
        print(f"{label:<52} median {ms:10.3f} ms   goal ≤ {goal * 1000:g} ms   ratio {seconds / goal:5.2f}  {verdict}")
