"""Library benchmarks on both back-ends (issue 11): medians of save, list, load and history, and
concurrent saves from several processes (same name: every save must be kept, with its own id and name).

Run: python benchmarks/bench_store.py [--processes 8] [--saves 25]
The PostgreSQL half starts a throw-away server (Debian's initdb/pg_ctl, as tests/pg_cluster.py does) and
is left out, with a note, when those programs are missing.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import pg_cluster
from _timing import median_seconds, report

from sim import store
from sim.params import Text
from sim.scenario import baseline

ROOT = Path(__file__).resolve().parents[1]
PLAN = baseline().with_changes(stid_budget_share={2026: 3.0, 2030: 3.5}, rd_share_of_stid=30.0)


def _named(name: str, note: str = "") -> object:
    return replace(PLAN, name=Text(vi=name, en=name), description=Text(vi=note, en=note), author="bench")


def _writer(worker: int, saves: int, barrier: mp.synchronize.Barrier, failures: mp.Queue) -> None:
    barrier.wait()  # all writers start together
    for i in range(saves):
        try:
            store.save_new(_named("Cùng một tên", f"w{worker}-{i}"))
        except Exception as exc:  # counted, not hidden: a lost save is the figure this measures
            failures.put(f"{type(exc).__name__}: {exc}")


def concurrent_saves(processes: int, saves: int) -> tuple[int, int, int, int, float]:
    """(attempted, kept, distinct ids, distinct names, seconds) for processes × saves of one name."""
    ctx = mp.get_context("fork")
    barrier, failures = ctx.Barrier(processes), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(w, saves, barrier, failures)) for w in range(processes)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(600)
    seconds = time.perf_counter() - start
    saved = [e for e in store.list_entries() if e.id.startswith("cung-mot-ten")]
    notes = {store.load(e.id).description.vi for e in saved}
    expected = {f"w{w}-{i}" for w in range(processes) for i in range(saves)}
    kept = len(notes & expected)
    while not failures.empty():
        print("  failed save:", failures.get())
    return processes * saves, kept, len({e.id for e in saved}), len({e.name.vi for e in saved}), seconds


def bench(label: str, processes: int, saves: int) -> None:
    print(f"\n== {label}")
    n = [0]

    def save() -> None:
        n[0] += 1
        store.save_new(_named(f"Kế hoạch {n[0]}"))

    report(f"{label}: save_new (a new draft, v1)", median_seconds(save, repeat=40))
    ids = [e.id for e in store.list_entries()]
    report(f"{label}: list_entries ({len(ids)} scenarios)", median_seconds(store.list_entries, repeat=30))
    report(f"{label}: load one scenario", median_seconds(lambda: store.load(ids[0]), repeat=50))
    sid = ids[0]
    k = [0]

    def update() -> None:
        k[0] += 1
        store.update(sid, store.load(sid).with_changes(inflation=3.0 + k[0] % 5))

    report(f"{label}: update (new version + trash)", median_seconds(update, repeat=30))
    report(f"{label}: history ({len(store.history(sid))} versions)", median_seconds(lambda: store.history(sid), 20))
    attempted, kept, ids_, names, seconds = concurrent_saves(processes, saves)
    lost = attempted - kept
    print(
        f"{label}: concurrent saves, {processes} processes × {saves} saves of one name: attempted {attempted}, "
        f"kept {kept}, distinct ids {ids_}, distinct names {names}, lost {lost}, "
        f"{seconds:.2f} s ({attempted / seconds:.0f} saves/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--saves", type=int, default=25)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        shutil.copytree(ROOT / "scenarios", folder)
        os.environ[store.LIBRARY_ENV] = str(folder)
        os.environ.pop(store.STORE_ENV, None)
        bench("folder", args.processes, args.saves)

    try:
        cluster = pg_cluster.start()
    except pg_cluster.Unavailable as exc:
        print(f"\n== postgresql: left out ({exc})")
        return
    try:
        os.environ[store.STORE_ENV] = cluster.new_database()
        bench("postgresql", args.processes, args.saves)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
