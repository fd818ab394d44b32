"""Browser benchmark (issue 3): slider key press → updated KPIs and charts, against a minimal app; cold start.

Starts `streamlit run` for the real app and for benchmarks/minimal_app.py on loopback, drives Debian's
Chromium with Playwright, and prints medians and their ratio (goal ≤ 1.5) and the cold start to the first
chart (goal ≤ 6 s).

Run: python benchmarks/bench_ui.py [--presses 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from e2e_helpers import CHROMIUM_ARGS, start_server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

# What "updated" means: the KPI's text changed and no element is stale (Streamlit marks the elements of
# the previous run with data-stale="true" until the rerun has replaced them, charts included).
SETTLED_JS = """([sel, before]) => {
  const el = document.querySelector(sel);
  if (!el || el.innerText === before) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  return document.querySelectorAll('.js-plotly-plot .main-svg').length > 0;
}"""


def measure(page, url: str, slider_key: str, kpi_selector: str, presses: int) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_selector(kpi_selector, timeout=60_000)
    cold = time.perf_counter() - t0
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    thumb = page.locator(f".st-key-{slider_key} input[type=range]").first
    times = []
    for i in range(presses):
        before = page.inner_text(kpi_selector)
        thumb.focus()
        t = time.perf_counter()
        thumb.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(SETTLED_JS, arg=[kpi_selector, before], timeout=30_000, polling="raf")
        times.append(time.perf_counter() - t)
        page.wait_for_timeout(150)
    return cold, times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presses", type=int, default=15)
    ap.add_argument("--app", default="app.py")
    ap.add_argument("--slider", default="w_stid_budget_share_2030")
    ap.add_argument("--kpi", default='[data-kpi="digital_share_2030"]')
    args = ap.parse_args()

    # The yardstick twice: as any Streamlit app runs (Streamlit's defaults, from a folder of its own) and
    # with this project's .streamlit/config.toml (same server settings as the simulator).
    plain_dir = Path(tempfile.mkdtemp(prefix="nq57-minimal-"))
    shutil.copy(ROOT / "benchmarks/minimal_app.py", plain_dir / "minimal_app.py")
    runs = (
        ("minimal app, Streamlit defaults", "minimal_app.py", plain_dir, "w_x", ".st-key-kpi_x"),
        ("minimal app, project config", "benchmarks/minimal_app.py", ROOT, "w_x", ".st-key-kpi_x"),
        ("NQ57 simulator", args.app, ROOT, args.slider, args.kpi),
    )
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, app, cwd, slider, kpi in runs:
            proc, url = start_server(app, cwd=cwd)
            try:
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                cold, times = measure(page, url, slider, kpi, args.presses)
                ctx.close()
            finally:
                proc.terminate()
                proc.wait(10)
            results[label] = (cold, statistics.median(times))
            print(
                f"{label:<32} cold start to first chart {cold:6.2f} s   slider → updated median "
                f"{statistics.median(times) * 1000:7.1f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
            )
        browser.close()
    shutil.rmtree(plain_dir, ignore_errors=True)
    app_ms = results["NQ57 simulator"][1]
    for label in ("minimal app, Streamlit defaults", "minimal app, project config"):
        ratio = app_ms / results[label][1]
        print(f"ratio app / {label}: {ratio:.2f} (goal ≤ 1.5)  {'OK' if ratio <= 1.5 else 'OVER GOAL'}")
    cold = results["NQ57 simulator"][0]
    print(f"cold start to first chart: {cold:.2f} s (goal ≤ 6 s)  {'OK' if cold <= 6 else 'OVER GOAL'}")


if __name__ == "__main__":
    main()
