"""Browser benchmark (issue 9): the Simulate page beside a minimal one-slider app, in one run.

Starts `streamlit run` for the simulator and for benchmarks/minimal_app.py with the project's
.streamlit/config.toml on loopback, drives Debian's Chromium with Playwright and prints:

- release → update: pointer release on a slider until the page shows the new numbers and the rerun has
  finished (no stale element, script not running), median; the ratio app / minimal app (goal ≤ 1.2). On the
  simulator the numbers are already on screen when the pointer is released (the live levers); what is timed
  is the rerun that confirms them;
- while dragging a live lever: KPI updates per second (goal ≥ 20) and how far the KPI text lags the pointer
  event that moved it, to the next painted frame (goal ≤ 50 ms);
- cold start to the first chart, and the first load's main-thread long tasks (PerformanceObserver): total,
  blocking time (the part of each task over 50 ms) and the longest, against the minimal app's
  (cold-start ratio goal ≤ 1.3);
- page switches and actions (add a scenario on Compare, goal seek → Simulate, uncertainty on, next story
  step), click → settled, medians (goal ≤ 1 s on a quiet machine);
- the meeting pack's size and its offline load time (until every chart and the live levers are drawn).

The machine's load average is printed first: on a shared machine the figures are only comparable
within one run.

Run: python benchmarks/bench_ui.py [--drags 7] [--repeat 3] [--only release|pages|pack]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT))

from e2e_helpers import CHROMIUM_ARGS, SETTLED_JS, start_server  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

TIMEOUT = 120_000
POINTER_RATES: list[float] = []  # pointer moves per second while dragging (context for the update rate)
LONGTASKS_JS = """
window.__nqLong = [];
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__nqLong.push(e.duration); })
    .observe({ type: "longtask", buffered: true });
} catch (e) {}
"""
# Records, while a live lever is dragged, each pointer move and each KPI text change with the painted frame.
DRAG_PROBE_JS = """(sel) => {
  if (!window.__nqProbe) {
    window.__nqProbe = { moves: [], updates: [] };
    document.addEventListener("pointermove", (e) => window.__nqProbe.moves.push(e.timeStamp), { capture: true });
  }
  const probe = window.__nqProbe;
  probe.moves = [];
  probe.updates = [];
  if (window.__nqObserver) window.__nqObserver.disconnect();  // each rerun draws new cards: watch the new one
  const target = document.querySelector(sel);
  window.__nqObserver = new MutationObserver(() => {
    const text = target.innerText;
    requestAnimationFrame((t) => probe.updates.push([t, text]));
  });
  window.__nqObserver.observe(target, { childList: true, characterData: true, subtree: true });
}"""


def settle(page: Page, extra: str = "true", arg: object = None, timeout: int = TIMEOUT) -> None:
    """Wait until the run has finished and ``extra`` (a JS expression of ``arg``) holds."""
    page.wait_for_function(f"(arg) => ({SETTLED_JS})() && ({extra})", arg=arg, timeout=timeout, polling="raf")


STATE_JS = """() => ({
  path: location.pathname,
  state: document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state'),
  stale: document.querySelectorAll('[data-stale="true"]').length,
  status: !!document.querySelector('[data-testid="stStatusWidget"]'),
  h1: (document.querySelector('h1') || {}).innerText,
})"""


def attempt(page: Page, out: dict[str, list[float]], label: str, measure: Callable[[], float]) -> None:
    """Time one action; a failure is reported with the page's state instead of ending the run."""
    try:
        out.setdefault(label, []).append(measure())
    except Exception as exc:
        print(f"{label}: failed ({type(exc).__name__}) with the page at {page.evaluate(STATE_JS)}", flush=True)


def median_ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:7.0f} ms (n={len(xs)}, min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"


def cold_load(page: Page, url: str, first_chart: str) -> tuple[float, dict[str, float]]:
    """Seconds from navigation to the first chart, and the first load's long tasks (ms) once settled."""
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(first_chart, timeout=TIMEOUT)
    cold = time.perf_counter() - t0
    settle(page)
    page.wait_for_timeout(500)  # let the last long tasks be reported
    long = page.evaluate("window.__nqLong || []")
    return cold, {
        "total": sum(long),
        "blocking": sum(max(0.0, d - 50.0) for d in long),
        "longest": max(long, default=0.0),
        "count": float(len(long)),
    }


def thumb_of(page: Page, sel: str) -> dict[str, float]:
    """Where a native range input's thumb is (from its value, min and max)."""
    slider = page.locator(sel)
    box = slider.bounding_box()
    lo, hi = float(slider.get_attribute("min") or 0), float(slider.get_attribute("max") or 100)
    frac = (float(slider.input_value()) - lo) / (hi - lo)
    h = box["height"]
    return {**box, "x": box["x"] + h / 2 + (box["width"] - h) * frac - h / 2, "width": h}


def drag(page: Page, thumb_box: dict[str, float], dx: float, moves: int) -> None:
    """Press on the thumb and move by ``dx`` pixels in ``moves`` pointer events (the button stays down)."""
    x0, y = thumb_box["x"] + thumb_box["width"] / 2, thumb_box["y"] + thumb_box["height"] / 2
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x0 + dx, y, steps=moves)


# ---------------------------------------------------------------- the minimal app


def minimal_release(page: Page, drags: int) -> list[float]:
    kpi = ".st-key-kpi_x [data-testid='stMetricValue']"
    out = []
    for i in range(drags):
        before = page.inner_text(kpi)
        # Streamlit's slider: the range input sits inside its 12 px thumb; the thumb is what a pointer grabs.
        thumb = page.evaluate(
            "() => { const r = document.querySelector('.st-key-w_x input[type=range]').parentElement"
            ".parentElement.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
        )
        drag(page, thumb, 30 if i % 2 == 0 else -30, 6)
        t = time.perf_counter()
        page.mouse.up()
        settle(page, "document.querySelector(arg[0]).innerText !== arg[1]", [kpi, before])
        out.append(time.perf_counter() - t)
        page.wait_for_timeout(200)
    return out


# ---------------------------------------------------------------- the simulator

KPI = '[data-kpi="digital_share_2030"] .nq-value'
LIVE = '.st-key-live_stid_budget_share input[type="range"]'
# The rerun that confirms a release has written the new value into the page's link (p=sb_<value>).
CONFIRMED_JS = "(new URLSearchParams(location.search).get('p') || '') === arg"


def link_changes(value: float) -> str:
    """The link's changes (``p``) once the live budget lever of the baseline is released at ``value``."""
    from sim import links
    from sim.profiles import load_profile
    from sim.scenario import baseline
    from sim.views.live import set_breakpoint

    start = baseline()
    moved = set_breakpoint(start, start, load_profile(start.region), "stid_budget_share", 2025, value)
    return links.encode(moved, "vi", None, start).get("p", "")


def app_release_and_drag(page: Page, drags: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """(release → confirmed, KPI on screen at release (0 or the wait), updates/s while dragging, lag ms)."""
    confirm, visible, rates, lags = [], [], [], []
    for i in range(drags):
        slider = page.locator(LIVE)
        box = slider.bounding_box()
        thumb = thumb_of(page, LIVE)
        page.evaluate(DRAG_PROBE_JS, KPI)
        t_drag = time.perf_counter()
        # one slider step a pointer move, as fast as the browser takes the moves
        drag(page, thumb, (1 if i % 2 == 0 else -1) * box["width"] * 0.3, 30)
        dragged = time.perf_counter() - t_drag
        probe = page.evaluate("window.__nqProbe")
        target = int(slider.input_value())  # the live slider's step: 0.1 % of budget spending each
        shown = page.inner_text(KPI)
        t = time.perf_counter()
        page.mouse.up()
        visible.append(0.0 if page.inner_text(KPI) == shown else float("nan"))
        settle(page, CONFIRMED_JS, link_changes(target / 10))
        confirm.append(time.perf_counter() - t)
        ups, moves = probe["updates"], probe["moves"]
        distinct = sum(1 for j, u in enumerate(ups) if j == 0 or u[1] != ups[j - 1][1])
        span = (ups[-1][0] - moves[0]) / 1000 if ups and moves else dragged
        rates.append(distinct / max(span, 1e-3))
        POINTER_RATES.append(len(moves) / max((moves[-1] - moves[0]) / 1000, 1e-3) if len(moves) > 1 else 0.0)
        for frame, _text in ups:
            before = [m for m in moves if m <= frame]
            if before:
                lags.append(frame - before[-1])
        page.wait_for_timeout(200)
    return confirm, visible, rates, lags


NAV = ("simulate", "scenarios", "compare", "analysis", "data", "present")  # the sidebar's order (app.py)


def at_page(path: str) -> str:
    """JS: the browser shows ``path`` (the default page, Simulate, may also be the bare root)."""
    root = " || location.pathname === '/'" if path == NAV[0] else ""
    return f"(location.pathname.endsWith('/{path}'){root})"


H1 = "(document.querySelector('h1') || {}).innerText"
SIDEBAR_OPENER = "[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button"


def nav(page: Page, path: str) -> float:
    """Click a page in the sidebar; seconds until its title is drawn and the run has finished."""
    before = page.evaluate(f"() => {H1}")
    link = page.locator('[data-testid="stSidebarNav"] a').nth(NAV.index(path))
    t = time.perf_counter()
    box = link.bounding_box()
    if box is None or box["x"] + box["width"] <= 0:  # Present folds the sidebar away: open it as a presenter would
        page.locator(SIDEBAR_OPENER).first.click()
    link.click()
    settle(page, f"{at_page(path)} && {H1} !== undefined && {H1} !== arg", before)
    return time.perf_counter() - t


def timed(page: Page, action: Callable[[], None], done: str, arg: object = None) -> float:
    t = time.perf_counter()
    action()
    settle(page, done, arg, timeout=60_000)
    return time.perf_counter() - t


def pages_and_actions(page: Page, repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for _ in range(repeat):
        for path in (*NAV[1:], NAV[0]):
            attempt(page, out, f"switch to {path}", lambda path=path: nav(page, path))

    def add_on_compare() -> float:
        page.locator("[class*='st-key-cmp_others'] [data-testid='stMultiSelect']").click()
        option = page.locator('[role="option"]').nth(2)
        name = option.inner_text().split(" · ")[0]
        took = timed(
            page,
            option.click,
            "!!document.querySelector('.st-key-cmp_outcomes') && "
            "document.querySelector('.st-key-cmp_outcomes').innerText.includes(arg)",
            name,
        )
        page.keyboard.press("Escape")
        clear = page.locator("[class*='st-key-cmp_others'] [aria-label*='lear']")
        if clear.count():  # back to no other scenario, to add one again
            clear.first.click()
            settle(page)
        return took

    def goal_seek() -> float:
        nav(page, "analysis")
        apply = page.locator(".st-key-an_seek_apply button")
        apply.wait_for(timeout=TIMEOUT)
        return timed(
            page,
            apply.click,
            f"{at_page('simulate')} && !!document.querySelector(arg)",
            '[data-kpi="digital_share_2030"]',
        )

    def uncertainty_on() -> float:
        toggle = page.locator(".st-key-w_uncertainty label").first
        took = timed(page, toggle.click, "!!document.querySelector('[class*=\"st-key-unc_\"]')")
        toggle.click()  # off again
        settle(page)
        return took

    def next_step() -> float:
        nxt = page.locator(".st-key-present_next button").first
        if nxt.is_disabled():
            page.locator(".st-key-present_prev button").first.click()
            settle(page)
        before = page.evaluate(f"() => {H1}")
        return timed(page, nxt.click, f"{H1} !== arg", before)

    nav(page, "compare")
    for _ in range(repeat):
        attempt(page, out, "add a scenario on Compare", add_on_compare)
    for _ in range(repeat):
        attempt(page, out, "goal seek → Simulate", goal_seek)
    if not page.evaluate(at_page("simulate")):
        nav(page, "simulate")
    for _ in range(repeat):
        attempt(page, out, "uncertainty on", uncertainty_on)
    nav(page, "present")
    for _ in range(repeat):
        attempt(page, out, "next story step", next_step)
    return out


def pack_figures(browser: object) -> tuple[float, float]:
    """(size in MB, seconds to open offline until every chart and the live levers are drawn)."""
    from sim.report.html import html_bytes
    from sim.report.pack import build_pack
    from sim.scenario import baseline, load_scenario

    pack = build_pack(load_scenario(ROOT / "scenarios/resolution57.yaml"), [baseline()], "vi")
    data = html_bytes(pack)
    n = len(pack.charts) + len(pack.compare_charts)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pack.html"
        path.write_bytes(data)
        ctx = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})  # type: ignore[attr-defined]
        page = ctx.new_page()
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}"
            " && !!document.querySelector('#live svg path[d]')",
            timeout=TIMEOUT,
        )
        load = time.perf_counter() - t
        ctx.close()
    return len(data) / 1e6, load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--drags", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--only",
        choices=("release", "pages", "pack"),
        help="one part: release and dragging with cold start (beside the minimal app), pages and actions, or the pack",
    )
    args = ap.parse_args()
    part = {"release", "pages", "pack"} if args.only is None else {args.only}
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        if "release" in part:
            proc, url = start_server("benchmarks/minimal_app.py", cwd=ROOT)
            try:
                ctx = browser.new_context(viewport={"width": 1440, "height": 900})
                ctx.add_init_script(LONGTASKS_JS)
                page = ctx.new_page()
                min_cold, min_long = cold_load(page, url, ".js-plotly-plot .main-svg")
                min_release = minimal_release(page, args.drags)
                ctx.close()
            finally:
                proc.terminate()
                proc.wait(10)

        if part & {"release", "pages"}:
            proc, url = start_server("app.py", cwd=ROOT)
            try:
                ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
                ctx.add_init_script(LONGTASKS_JS)
                page = ctx.new_page()
                app_cold, app_long = cold_load(page, url, '[data-chart="digital_share"] svg path[d]')
                if "release" in part:
                    confirm, visible, rates, lags = app_release_and_drag(page, args.drags)
                if "pages" in part:
                    actions = pages_and_actions(page, args.repeat)
                ctx.close()
            finally:
                proc.terminate()
                proc.wait(10)
        if "pack" in part:
            size, pack_load = pack_figures(browser)
        browser.close()

    if "release" in part:
        report_release(min_release, confirm, visible, rates, lags, app_cold, min_cold, app_long, min_long)
    if "pages" in part:
        for label, xs in actions.items():
            print(f"{label:<28} {median_ms(xs) if xs else 'no measurement'}")
    if "pack" in part:
        print(f"meeting pack: {size:.2f} MB (goal ≤ 3.5), opened offline in {pack_load:.2f} s")


def report_release(
    min_release: list[float],
    confirm: list[float],
    visible: list[float],
    rates: list[float],
    lags: list[float],
    app_cold: float,
    min_cold: float,
    app_long: dict[str, float],
    min_long: dict[str, float],
) -> None:
    ratio = statistics.median(confirm) / statistics.median(min_release)
    print(f"minimal app   release → updated         {median_ms(min_release)}")
    print(f"simulator     release → numbers shown   {statistics.median(visible) * 1000:7.0f} ms (shown while dragging)")
    print(f"simulator     release → rerun confirmed {median_ms(confirm)}")
    print(f"release → update ratio (confirmed / minimal): {ratio:.2f} (goal ≤ 1.2)")
    print(
        f"dragging: KPI updates per second, median {statistics.median(rates):.1f} (goal ≥ 20), with the pointer "
        f"moving {statistics.median(POINTER_RATES):.0f} times a second, one slider step a move"
    )
    lag = sorted(lags)
    print(
        f"dragging: KPI lag behind the pointer to the painted frame, median {statistics.median(lag):.1f} ms, "
        f"p95 {lag[int(0.95 * (len(lag) - 1))]:.1f} ms (goal ≤ 50 ms)"
    )
    print(
        f"cold start to first chart: app {app_cold:.2f} s, minimal {min_cold:.2f} s, ratio {app_cold / min_cold:.2f}"
        " (goal ≤ 1.3)"
    )
    for label, lt in (("app", app_long), ("minimal", min_long)):
        print(
            f"first load long tasks ({label}): {lt['count']:.0f} tasks, total {lt['total']:.0f} ms, "
            f"blocking {lt['blocking']:.0f} ms, longest {lt['longest']:.0f} ms"
        )


if __name__ == "__main__":
    main()
