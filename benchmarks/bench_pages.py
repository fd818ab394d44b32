"""Page switches in Streamlit's AppTest (no browser): the Python side of opening the Analysis and Data pages.

For each page: the first visit of the process (cold caches), then repeated switches Simulate → page with the
same scenario (what bench_ui.py times in Chromium), then switches after a lever move on Simulate (a scenario
content not seen before: nothing cached by content helps, as when a planner moves a slider and then opens the
page). Medians of wall and CPU time of the page's run, and the size of what the run sends (the delta messages,
serialised), which the browser must receive and draw.

With ``--tabs``, also each tab of the pages that draw one tab at a time: a click on it (the first tab open
before), with the scenario of the last visit and with a new one (its analyses not cached yet).

    python benchmarks/bench_pages.py [--repeat 5] [--pages analysis,data] [--tabs] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _apptest import compile_once, profile_page_runs  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

PAGES = {
    "simulate": "ui/page_simulate.py",
    "scenarios": "ui/page_library.py",
    "compare": "ui/page_compare.py",
    "analysis": "ui/page_analysis.py",
    "data": "ui/page_data.py",
    "present": "ui/page_present.py",
}
HOME = PAGES["simulate"]
TAB_KEYS = {"analysis": "an_tab", "data": "data_tab"}  # the pages' language-neutral tab keys (ui.choices.tabs)


class Sent:
    """Counts the bytes of the delta messages a run sends (AppTest keeps the tree, not the wire size)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.charts = 0
        from streamlit.runtime.scriptrunner import script_runner

        self._orig = script_runner.ScriptRunner._enqueue_forward_msg
        sent = self

        def counting(runner, msg):
            sent.bytes += msg.ByteSize()
            if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "plotly_chart":
                sent.charts += 1
            return sent._orig(runner, msg)

        script_runner.ScriptRunner._enqueue_forward_msg = counting

    def reset(self) -> None:
        self.bytes = 0
        self.charts = 0


def timed_run(at: AppTest) -> tuple[float, float]:
    """Run the page; (wall s, CPU s) of the run."""
    t, c = time.perf_counter(), time.process_time()
    at.run()
    dt, dc = time.perf_counter() - t, time.process_time() - c
    assert not at.exception, [e.value for e in at.exception]
    return dt, dc


def switch(at: AppTest, page: str) -> tuple[float, float]:
    """Switch to ``page``; (wall s, CPU s) of its run."""
    at.switch_page(page)
    return timed_run(at)


def medians(
    repeat: int, prepare: Callable[[], object], act: Callable[[], tuple[float, float]], sent: Sent, timing: list[bool]
) -> str:
    """``prepare`` (not timed) then ``act`` (timed), ``repeat`` times: the medians of wall ms, CPU ms, kB
    sent and charts, as a row of the table."""
    walls, cpus, sizes, charts = [], [], [], []
    for _ in range(repeat):
        timing[0] = False
        prepare()
        timing[0] = True
        sent.reset()
        w, c = act()
        walls.append(w)
        cpus.append(c)
        sizes.append(sent.bytes)
        charts.append(sent.charts)
    timing[0] = False
    return (
        f"{statistics.median(walls) * 1000:8.0f} {statistics.median(cpus) * 1000:8.0f} "
        f"{statistics.median(sizes) / 1000:8.0f} {int(statistics.median(charts)):6d}"
    )


def fresh_content(at: AppTest, i: int) -> None:
    """A lever moved on Simulate to a value not seen before in the run (new content, caches miss): the
    session's scenario content is set as a control's edit would set it, and Simulate runs with it."""
    from sim.scenario import baseline

    at.session_state["scenario"] = baseline().with_changes(stid_budget_share=round(1.0 + 0.01 * (i + 1), 2))
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def click_tab(at: AppTest, name: str, label: str) -> tuple[float, float]:
    """Click the tab ``label`` of the tabs kept under ``name``; (wall s, CPU s) of the run."""
    from ui.choices import language_key

    at.session_state[language_key(name, at.session_state["lang"])] = label
    return timed_run(at)


def tab_clicks(at: AppTest, name: str, repeat: int, sent: Sent, timing: list[bool]) -> None:
    """Each tab of the page ``name`` opened by a click, same scenario and a new one; prints medians."""
    from sim.scenario import baseline

    switch(at, PAGES[name])
    labels = [t.label for t in at.tabs]
    fresh = [0]

    def before(how: str) -> None:
        click_tab(at, TAB_KEYS[name], labels[0])
        if how == "new scenario":  # as a scenario put there by another page (read at the next run)
            fresh[0] += 1
            at.session_state["scenario"] = baseline().with_changes(stid_budget_share=3.0 + 0.01 * fresh[0])

    for label in labels[1:]:
        for how in ("same scenario", "new scenario"):
            row = medians(
                repeat,
                lambda how=how: before(how),
                lambda label=label: click_tab(at, TAB_KEYS[name], label),
                sent,
                timing,
            )
            print(f"{name:<10} {('tab ' + label)[:22]:<22} {row}  {how}")
    timing[0] = False
    click_tab(at, TAB_KEYS[name], labels[0])
    switch(at, HOME)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", default="analysis,data", help="comma-separated: " + ", ".join(PAGES))
    ap.add_argument("--tabs", action="store_true", help="also time a click on each tab")
    ap.add_argument("--profile", help="write a cProfile of the repeated page runs to this file")
    args = ap.parse_args()
    timing = [False]
    prof = cProfile.Profile() if args.profile else None
    if prof:
        profile_page_runs(prof, lambda: timing[0])
    sent = Sent()
    compile_once()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    print(f"{'page':<10} {'visit':<22} {'wall ms':>8} {'CPU ms':>8} {'sent kB':>8} {'charts':>6}")
    moves = [0]  # each move a content not seen before in the run

    def before(move: bool) -> None:
        switch(at, HOME)
        if move:
            fresh_content(at, moves[0])
            moves[0] += 1

    for name in args.pages.split(","):
        page = PAGES[name]
        timing[0] = False  # the profile is of the repeated visits (the cold one is mostly imports)
        sent.reset()
        first = switch(at, page)
        print(
            f"{name:<10} {'first (cold)':<22} {first[0] * 1000:8.0f} {first[1] * 1000:8.0f} "
            f"{sent.bytes / 1000:8.0f} {sent.charts:6d}"
        )
        for label, move in (("again, same scenario", False), ("after a lever move", True)):
            row = medians(args.repeat, lambda move=move: before(move), lambda page=page: switch(at, page), sent, timing)
            print(f"{name:<10} {label:<22} {row}")
        timing[0] = False
        switch(at, HOME)
    if args.tabs:
        for name in args.pages.split(","):
            if name in TAB_KEYS:
                tab_clicks(at, name, args.repeat, sent, timing)
    print(f"(medians of {args.repeat}; wall and CPU of the page's run in this process)")
    if prof:
        prof.dump_stats(args.profile)


if __name__ == "__main__":
    main()
