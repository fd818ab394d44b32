"""Present and Compare in Streamlit's AppTest (no browser): the Python side of their page switches and actions.

Timed, each from a settled session (wall and CPU ms of this process, medians):

- switch to Present (from Simulate; the first switch of the process apart: caches are cold then);
- next story step on Present (and back, alternately: each step is reached from its neighbour);
- switch to Compare (from Simulate);
- add a scenario on Compare (one more scenario in ``cmp_others``; removing it again is not timed).

With ``--browser`` the same four in Chromium (``streamlit run`` on loopback, as ``benchmarks/bench_ui.py``
does), with what each costs the browser: the script runs it started (a second run doubles the time) and
the bytes the server sent. ``benchmarks/bench_ui.py --only pages`` gives the project's figures.

    python benchmarks/bench_present.py [--repeat 8] [--profile out.prof] [--only present|compare] [--browser]
"""

from __future__ import annotations

import argparse
import cProfile
import os
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

SIMULATE, PRESENT, COMPARE = "ui/page_simulate.py", "ui/page_present.py", "ui/page_compare.py"
OTHERS = "cmp_others_vi"  # the multiselect of other scenarios (its key carries the language: ui/choices.py)
LIBRARY = ("resolution57", "fiscal-constraint", "private-mobilisation")  # presets in scenarios/
PROFILING = {"on": False}


def timed(at: AppTest, act: Callable[[], object], out: dict[str, list[float]], label: str) -> None:
    """Run ``act`` (which ends in a run of the app) timed, into ``out[label]`` (wall) and ``out[label+' cpu']``."""
    PROFILING["on"] = True
    t, c = time.perf_counter(), time.process_time()
    act()
    dt, dc = time.perf_counter() - t, time.process_time() - c
    PROFILING["on"] = False
    assert not at.exception, [e.value for e in at.exception]
    out.setdefault(label, []).append(dt)
    out.setdefault(label + " cpu", []).append(dc)


def present(at: AppTest, repeat: int, out: dict[str, list[float]]) -> None:
    for _ in range(repeat):
        at.switch_page(SIMULATE).run()
        timed(at, lambda: at.switch_page(PRESENT).run(), out, "switch to Present")
    for i in range(repeat):
        # Four steps: 0 → 1 → 2 → 3 → 2 → 1 → 0 → 1 …
        nxt, prev = at.button(key="present_next"), at.button(key="present_prev")
        button = nxt if (i // 3) % 2 == 0 else prev
        timed(at, lambda b=button: b.click().run(), out, "next story step")


def compare(at: AppTest, repeat: int, out: dict[str, list[float]]) -> None:
    for _ in range(repeat):
        at.switch_page(SIMULATE).run()
        timed(at, lambda: at.switch_page(COMPARE).run(), out, "switch to Compare")
    for i in range(repeat):
        option = LIBRARY[i % len(LIBRARY)]
        timed(at, lambda o=option: at.multiselect(key=OTHERS).set_value([o]).run(), out, "add a scenario on Compare")
        assert len(at.table[0].value.columns) == 2, "the outcomes table shows the base and the added scenario"
        at.multiselect(key=OTHERS).set_value([]).run()


# Chromium's own counters of main-thread work (seconds), read before and after each action.
BROWSER_WORK = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
# Counts the script runs the browser sees start (the app's state turning to "running").
RUNS_JS = """
window.__nqRuns = 0;
new MutationObserver((list) => {
  for (const m of list) if (m.target.getAttribute("data-test-script-state") === "running") window.__nqRuns++;
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-test-script-state"] });
"""


COLUMNS = "document.querySelectorAll('.st-key-cmp_outcomes table')[0]?.querySelectorAll('thead th').length || 0"


def browser(repeat: int, only: str | None = None) -> None:
    """Click → settled in Chromium, with the script runs started and the bytes received per action."""
    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from bench_ui import H1, NAV, SIDEBAR_OPENER, at_page, settle
    from e2e_helpers import CHROMIUM_ARGS, start_server
    from playwright.sync_api import sync_playwright

    received = [0]
    out: dict[str, list[tuple[float, int, int, dict[str, float]]]] = {}

    def metrics() -> dict[str, float]:
        got = cdp.send("Performance.getMetrics")["metrics"]
        return {m["name"]: m["value"] for m in got if m["name"] in BROWSER_WORK}

    def measure(label: str, act: Callable[[], None], done: str, arg: object = None) -> None:
        runs, got, work = page.evaluate("window.__nqRuns"), received[0], metrics()
        t = time.perf_counter()
        act()
        settle(page, done, arg, timeout=120_000)
        dt = time.perf_counter() - t
        page.wait_for_timeout(300)  # a second run would start within this
        settle(page)
        spent = {k: v - work[k] for k, v in metrics().items()}
        out.setdefault(label, []).append((dt, page.evaluate("window.__nqRuns") - runs, received[0] - got, spent))

    def nav(path: str) -> None:
        link = page.locator('[data-testid="stSidebarNav"] a').nth(NAV.index(path))
        box = link.bounding_box()
        if box is None or box["x"] + box["width"] <= 0:  # the sidebar folded by Present: open it
            page.locator(SIDEBAR_OPENER).first.click()
            page.wait_for_timeout(400)
        before = page.evaluate(f"() => {H1}")
        measure(f"switch to {path}", link.click, f"{at_page(path)} && {H1} !== undefined && {H1} !== arg", before)

    def add_on_compare() -> None:
        others = "[class*='st-key-cmp_others']"
        page.locator(f"{others} [data-testid='stMultiSelect']").click()
        option = page.locator('[role="option"]').nth(2)
        # done when the outcomes table has one more column (the base's name may be the added one's)
        measure("add a scenario on Compare", option.click, f"{COLUMNS} > arg", page.evaluate(f"() => {COLUMNS}"))
        page.keyboard.press("Escape")
        page.locator(f"{others} [aria-label*='lear']").first.click()
        settle(page)

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        proc, url = start_server("app.py", cwd=ROOT)
        try:
            ctx = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
            ctx.add_init_script(RUNS_JS)
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda f: received.__setitem__(0, received[0] + len(f))),
            )
            page.goto(url)
            settle(page, "!!document.querySelector('[data-kpi]')")
            for _ in range(repeat):
                nav("compare")
                if only != "present":
                    add_on_compare()
                if only == "compare":
                    continue
                nav("present")
                nxt = page.locator(".st-key-present_next button").first
                for _ in range(2):
                    before = page.evaluate(f"() => {H1}")
                    if nxt.is_disabled():  # the last step: one back first
                        page.locator(".st-key-present_prev button").first.click()
                        settle(page, f"{H1} !== arg", before)
                        before = page.evaluate(f"() => {H1}")
                    measure("next story step", nxt.click, f"{H1} !== arg", before)
            ctx.close()
        finally:
            proc.terminate()
            proc.wait(10)
            chromium.close()
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    for label, xs in out.items():
        times = [x[0] for x in xs]
        print(
            f"{label:<28} median {statistics.median(times) * 1000:6.0f} ms (min {min(times) * 1000:.0f}, "
            f"max {max(times) * 1000:.0f}, n={len(xs)}); runs {[x[1] for x in xs]}; "
            f"received {statistics.median([x[2] for x in xs]) / 1000:.0f} kB"
        )
        work = {k: statistics.median([x[3][k] for x in xs]) * 1000 for k in BROWSER_WORK}
        print(f"{'':<28} browser main thread (ms, medians): " + ", ".join(f"{k} {v:.0f}" for k, v in work.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=8)
    ap.add_argument("--profile", help="write a cProfile of the timed runs to this file")
    ap.add_argument("--only", choices=("present", "compare"))
    ap.add_argument("--browser", action="store_true", help="measure in Chromium instead (a few minutes)")
    args = ap.parse_args()
    if args.browser:
        browser(args.repeat, args.only)
        return
    compile_once()
    prof = cProfile.Profile() if args.profile else None
    if prof:
        profile_page_runs(prof, lambda: PROFILING["on"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    out: dict[str, list[float]] = {}
    first: dict[str, float] = {}
    for name, page, fn in (("Present", PRESENT, present), ("Compare", COMPARE, compare)):
        if args.only and args.only != name.lower():
            continue
        t = time.perf_counter()
        at.switch_page(page).run()  # cold: caches of this process empty
        first[name] = time.perf_counter() - t
        assert not at.exception, [e.value for e in at.exception]
        fn(at, args.repeat, out)
    for name, dt in first.items():
        print(f"{'first switch to ' + name + ' (cold)':<34} {dt * 1000:7.0f} ms wall")
    for label, xs in out.items():
        if label.endswith(" cpu"):
            continue
        cpu = out[label + " cpu"]
        print(
            f"{label:<34} median {statistics.median(xs) * 1000:7.0f} ms wall, {statistics.median(cpu) * 1000:7.0f} ms "
            f"CPU (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f}, n={len(xs)})"
        )
    if prof:
        prof.dump_stats(args.profile)


if __name__ == "__main__":
    main()
