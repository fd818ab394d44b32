"""Load benchmark (issue 11): N planners moving sliders at once on one ``streamlit run`` server.

Each session is a websocket client speaking Streamlit's own protocol (the ``BackMsg`` / ``ForwardMsg``
protobufs the browser sends and receives), so 30 sessions cost the machine little besides the server's
own work. A session opens the Simulate page, waits for its first run, then moves a lever: by default it
releases the live slider of the budget lever as the browser does (a rerun request carrying the live
levers' one-shot "release" event with the lever, its year and the value), or with ``--slider KEY`` it opens
the year-by-year paths and moves that sidebar slider (a rerun request carrying the widget's state); it
times until the server reports that the script has finished. Between moves a session pauses as a planner does who reads
the result (KPI cards, charts) before the next move: a random think time, seeded, ``--think`` seconds on
average (6 s), and the sessions start at random offsets. Each session first sets its own R&D share, so no
move finds the projection another session already computed (the page shares projections between sessions).

For N = 1, 10, 30 sessions, each on a fresh server (so one round's memory does not hide in the next's):

- rerun latency p50 / p95: slider value sent → ``script_finished`` received (milliseconds);
- memory per session: the server's resident memory with the N sessions open minus before they connected
  (after one warm-up session had run the page and left), divided by N;
- the server's CPU use while the sessions moved sliders (cores): one server runs every session's script in
  one Python process, so it cannot use much more than one core however many the machine has.

Goal: p95 at 30 sessions ≤ 3 × p50 at 1 session.

Run: python benchmarks/bench_load.py [--sessions 1 10 30] [--moves 12] [--think 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from e2e_helpers import start_server  # noqa: E402
from streamlit.components.v2.bidi_component.constants import EVENT_DELIM  # noqa: E402
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX as INTERNAL  # noqa: E402

LIVE_LEVER = ("stid_budget_share", 2025, 0.1)  # the live lever released: its breakpoint and the slider's step
SETUP_LIVE = ("rd_share_of_stid", 2025)  # released at 10 + i % for session i (a scenario of its own)
PATHS_BOX = "w_paths_box"  # the sidebar's year-by-year paths, drawn while open
SETUP_SLIDER = "w_rd_share_of_stid_2025"  # 0-100 % in steps of 1: a distinct value for each session
FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc), bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(xs: list[float], q: float) -> float:
    """The q-th percentile (0-100) by the nearest-rank method: a value that was actually measured."""
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


class Session:
    """One browser tab, as far as the server can tell: a websocket speaking Streamlit's protobufs.

    Like the browser, every rerun request carries the state of every widget the session has set.
    """

    def __init__(self, url: str):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.sliders: dict[str, Slider] = {}  # by key, as last drawn
        self.states: dict[str, float | bool] = {}  # widget id -> value the session set
        self.boxes: dict[str, str] = {}  # expander key -> widget id, as last drawn
        self.query = ""  # the page's address query, as the page last set it (a browser sends it back)
        self.page = ""  # the page shown (its script hash), sent back as a browser does
        self.live_id = ""  # the live levers' element id, as last drawn
        self.live_data = b""  # the live levers' data, as last drawn
        self.live_fragment = ""  # the fragment the live levers are drawn in (a release reruns it, as in a browser)
        self.lever = 1.0  # the released lever's value (the baseline's 1 % of budget spending)
        self.ws: websockets.ClientConnection | None = None

    async def open(self, paths: bool = False) -> float:
        """Connect and run the page once; seconds until the run finished. With ``paths``, then open the
        year-by-year paths (to move their sliders: a run of the whole page, heavier than a live release,
        which runs the main view alone)."""
        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None)
        took = await self._rerun()
        if paths:
            self.states[self.boxes[PATHS_BOX]] = True
            await self._rerun()
        return took

    async def release(self, pid: str, year: int, x: float) -> float:
        """Release a live slider at ``x``; seconds from sending it until the script finished."""
        before = self.live_data
        event = json.dumps([{"event": "release", "value": {"pid": pid, "year": year, "x": x}}])
        took = await self._rerun({f"{INTERNAL}_{self.live_id}{EVENT_DELIM}events": event}, self.live_fragment)
        if self.live_data == before:  # a release the script saw changes the scenario, so the levers' data
            raise RuntimeError(f"the page did not take the release of {pid} at {x}")
        return took

    async def release_next(self) -> float:
        """The live lever one step up, or down at the top of its range."""
        pid, year, step = LIVE_LEVER
        up = round(self.lever + step, 6)
        self.lever = up if up <= 10.0 else round(self.lever - step, 6)
        return await self.release(pid, year, self.lever)

    async def move(self, key: str, value: float) -> float:
        """Move the slider ``key`` to ``value``; seconds from sending it until the script finished."""
        if key not in self.sliders:
            raise RuntimeError(f"no slider with key {key!r} on the page")
        before = self.sliders[key].label
        self.states[self.sliders[key].id] = value
        took = await self._rerun()
        if self.sliders[key].label == before:  # the label shows the value: a move the script saw changes it
            raise RuntimeError(f"the page did not take the move of {key} to {value} (label still {before!r})")
        self.sliders[key].value = value
        return took

    def step(self, key: str) -> float:
        """The value one step up from the slider's, or down at the top of its range (as an arrow key)."""
        s = self.sliders[key]
        up = s.value + s.step
        return round(up if up <= s.max else s.value - s.step, 6)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self, triggers: dict[str, str] | None = None, fragment: str = "") -> float:
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        msg.rerun_script.page_script_hash = self.page
        msg.rerun_script.fragment_id = fragment
        for wid, payload in (triggers or {}).items():  # one-shot, as the browser sends an event
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = wid
            state.json_trigger_value = payload
        for wid, value in self.states.items():
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = wid
            if isinstance(value, bool):
                state.bool_value = value
            else:
                state.double_array_value.data.append(value)
        t = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "slider":
                    self._saw(element.slider)
                elif element.WhichOneof("type") == "bidi_component":
                    self.live_id, self.live_data = element.bidi_component.id, element.bidi_component.bytes
                    self.live_fragment = fwd.delta.fragment_id
            elif kind == "navigation":
                self.page = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                box = fwd.delta.add_block
                if box.WhichOneof("type") == "expandable" and box.expandable.id:
                    self.boxes[_key(box.expandable.id)] = box.expandable.id
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    continue  # the main view asked for a run of the whole page (the sidebar changes): wait for it
                if fwd.script_finished not in FINISHED:
                    raise RuntimeError(f"the run ended with status {fwd.script_finished}")
                return time.perf_counter() - t

    def _saw(self, proto) -> None:
        key = _key(proto.id)
        old = self.sliders.get(key)
        value = proto.value[0] if proto.set_value and proto.value else (old.value if old else proto.default[0])
        self.sliders[key] = Slider(proto.id, proto.label, proto.min, proto.max, proto.step, value)


def _key(widget_id: str) -> str:
    """A widget's key from its id ("$$ID-<hash>-<key>")."""
    return widget_id.rsplit("-", 1)[-1] if widget_id.startswith("$$ID-") else widget_id


@dataclass
class Slider:
    """A slider as the page last drew it (later runs send no value unless the page sets one)."""

    id: str
    label: str
    min: float
    max: float
    step: float
    value: float


async def planner(session: Session, slider: str, moves: int, think: float, rng: random.Random) -> list[float]:
    """A planner's visit: pause, move the lever one step (the live one, or ``slider``), look, again."""
    times = []
    await asyncio.sleep(rng.uniform(0, 2 * think))  # people do not start in step
    for _ in range(moves):
        times.append(await session.move(slider, session.step(slider)) if slider else await session.release_next())
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return times


async def own_scenario(session: Session, i: int, slider: str) -> None:
    """Give the session a scenario no other session has (its own R&D share), so that no move of it finds
    the projection already computed for another session (the page shares projections between sessions)."""
    if slider:
        await session.move(SETUP_SLIDER, float(10 + i))
    else:
        await session.release(*SETUP_LIVE, float(10 + i))


async def run_round(url: str, pid: int, n: int, moves: int, think: float, slider: str, seed: int) -> dict:
    """One round on one server: warm up, connect N sessions, let them move sliders; latencies and memory."""
    warm = Session(url)
    await warm.open(paths=bool(slider))
    await own_scenario(warm, 80, slider)
    for _ in range(3):  # the first moves load what the first run did not (imports, the figure code)
        await (warm.move(slider, warm.step(slider)) if slider else warm.release_next())
    await warm.close()
    await asyncio.sleep(1.0)
    before = rss_bytes(pid)
    sessions = [Session(url) for _ in range(n)]
    first = []
    for i, s in enumerate(sessions):  # tabs are opened one after another, as people arrive
        first.append(await s.open(paths=bool(slider)))
        await own_scenario(s, i, slider)
    rng = random.Random(seed)
    cpu0, t0, mine0 = cpu_seconds(pid), time.perf_counter(), time.process_time()
    results = await asyncio.gather(*(planner(s, slider, moves, think, random.Random(rng.random())) for s in sessions))
    wall = time.perf_counter() - t0
    busy, client = (cpu_seconds(pid) - cpu0) / wall, (time.process_time() - mine0) / wall
    after = rss_bytes(pid)
    for s in sessions:
        await s.close()
    times = [t for r in results for t in r]
    return {
        "n": n,
        "moves": len(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "max": max(times),
        "first_run": statistics.median(first),
        "mem_per_session": (after - before) / n,
        "rss_before": before,
        "rss_after": after,
        "server_cpu": busy,
        "client_cpu": client,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    ap.add_argument("--moves", type=int, default=12, help="slider moves per session")
    ap.add_argument("--think", type=float, default=6.0, help="mean pause between a session's moves, seconds")
    ap.add_argument(
        "--slider",
        default="",
        help="move this sidebar slider of the year-by-year paths (e.g. w_stid_budget_share_2025) instead of "
        "releasing the live budget lever",
    )
    ap.add_argument("--app", default="app.py")
    ap.add_argument("--seed", type=int, default=57)
    args = ap.parse_args()

    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])  # other work on the machine skews timings
    library = Path(tempfile.mkdtemp(prefix="nq57-load-"))
    for f in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(f, library / f.name)
    rows = []
    try:
        for n in args.sessions:
            proc, url = start_server(args.app, env={"NQ57_SCENARIO_DIR": str(library)})
            try:
                rows.append(
                    asyncio.run(run_round(url, proc.pid, n, args.moves, args.think, args.slider, args.seed + n))
                )
            finally:
                proc.terminate()
                proc.wait(10)
            r = rows[-1]
            print(
                f"N={r['n']:>3}  moves {r['moves']:>4}  rerun p50 {r['p50'] * 1000:7.0f} ms"
                f"  p95 {r['p95'] * 1000:7.0f} ms  max {r['max'] * 1000:7.0f} ms  first run {r['first_run']:5.2f} s"
                f"  memory/session {r['mem_per_session'] / 2**20:6.1f} MiB"
                f"  (server {r['rss_before'] / 2**20:.0f} → {r['rss_after'] / 2**20:.0f} MiB,"
                f" busy {r['server_cpu']:.0%} of a core; this client {r['client_cpu']:.0%})",
                flush=True,
            )
    finally:
        shutil.rmtree(library, ignore_errors=True)

    print()
    print(f"Think time {args.think:g} s on average; load average before the run {load_before}")
    print("| sessions | moves | rerun p50 (ms) | rerun p95 (ms) | memory / session (MiB) | server CPU (cores) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']} | {r['moves']} | {r['p50'] * 1000:.0f} | {r['p95'] * 1000:.0f} | "
            f"{r['mem_per_session'] / 2**20:.1f} | {r['server_cpu']:.2f} |"
        )
    by_n = {r["n"]: r for r in rows}
    if 1 in by_n and 30 in by_n:
        ratio = by_n[30]["p95"] / by_n[1]["p50"]
        print(f"p95 at 30 / p50 at 1: {ratio:.2f} (goal ≤ 3)  {'OK' if ratio <= 3 else 'OVER GOAL'}")


if __name__ == "__main__":
    main()
