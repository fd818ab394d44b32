"""The standalone HTML report opens in Chromium with no network and draws its charts; Chromium prints it."""

from __future__ import annotations

import os
from pathlib import Path

from sim.cli import EXIT_OK, main
from sim.report.html import html_bytes
from sim.report.pack import build_pack
from sim.scenario import baseline, load_scenario

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_renders_offline(browser, tmp_path):
    scen = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
    pack = build_pack(scen, [baseline()], "vi")
    path = tmp_path / "report.html"
    path.write_bytes(html_bytes(pack))
    n_charts = len(pack.charts) + len(pack.compare_charts)

    ctx = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    blocked: list[str] = []

    def route(r):  # anything but the file itself would need the network: refuse and remember it
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n_charts}", timeout=20_000
        )
        plots = page.locator(".js-plotly-plot")
        assert plots.count() == n_charts
        for i in range(n_charts):
            # Every chart has drawn traces: line paths or bars inside its SVG.
            traces = plots.nth(i).locator(".scatterlayer .trace path.js-line, .barlayer .trace path")
            assert traces.count() > 0, f"chart {i} drew nothing"
        assert pack.stamp in page.inner_text("#stamp")
        assert errors == []
        assert blocked == []  # nothing tried to reach the network
    finally:
        ctx.close()


def test_the_pdf_is_printed_by_the_machine_s_chromium(tmp_path, monkeypatch):
    # The e2e conftest skips (outside CI) or fails (in CI) this module when Chromium is missing.
    monkeypatch.setenv("CHROMIUM_PATH", os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    out = tmp_path / "pack.pdf"
    assert main(["report", str(ROOT / "scenarios" / "resolution57.yaml"), "-o", str(out)]) == EXIT_OK
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 50_000


def test_a_reader_moves_a_lever_of_the_pack_offline(browser, tmp_path):
    """The pack's live levers: one step of the envelope lever shows the engine's value for that step."""
    from sim import engine
    from sim.views import fmt, live

    scen = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
    path = tmp_path / "report.html"
    path.write_bytes(html_bytes(build_pack(scen, [], "vi")))
    ctx = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(path.as_uri())
        kpi = '.live-levers [data-kpi="digital_share_2030"] .nq-value'
        page.wait_for_selector(".live-levers .nq-lever input")
        before = page.inner_text(kpi)
        slider = page.locator('.live-levers [data-live="stid_budget_share"] input')
        slider.focus()
        page.keyboard.press("ArrowRight")  # 3.5 -> 3.6 % in 2030, the path's other years kept
        moved = live.set_breakpoint(scen, scen, scen.profile, "stid_budget_share", 2030, 3.6)
        expected = fmt.percent(float(engine.run(moved).at("Digital Economy|Share of GRDP", 2030)[0]) * 100, "vi")
        assert page.inner_text(kpi) == expected != before
    finally:
        ctx.close()


def test_numbers_arriving_while_a_slider_is_held_keep_it_in_the_hand(browser, tmp_path):
    """On the page each rerun hands the levers new numbers, possibly while a planner holds another slider
    (the rerun of the previous release). The held slider must stay the same element, under the pointer,
    and keep showing the engine's value for its step; the drawing is the same code here and on the page."""
    from sim import engine
    from sim.views import fmt, live

    scen = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
    pack = build_pack(scen, [], "vi")
    path = tmp_path / "report.html"
    path.write_bytes(html_bytes(pack))
    ctx = browser.new_context(offline=True, viewport={"width": 1300, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(path.as_uri())
        kpi = '.live-levers [data-kpi="digital_share_2030"] .nq-value'
        sel = '.live-levers [data-live="stid_budget_share"] input'
        page.wait_for_selector(sel)
        page.evaluate("(sel) => { document.querySelector(sel).dataset.held = 'yes'; }", sel)
        page.locator(sel).scroll_into_view_if_needed()
        box = page.locator(sel).bounding_box()
        grid = live.grid(live.schema()["stid_budget_share"])
        steps = len(grid) - 1
        y = box["y"] + box["height"] / 2
        x_at = lambda j: box["x"] + 8 + (box["width"] - 16) * j / steps  # noqa: E731 (the thumb's centre at step j)
        start = int(page.input_value(sel))
        page.mouse.move(x_at(start), y)
        page.mouse.down()
        page.mouse.move(x_at(start + 5), y, steps=5)
        held = int(page.input_value(sel))
        assert held != start
        # the numbers of a rerun arrive (the same scenario) while the slider is held
        page.evaluate("(data) => nqLive(document.getElementById('live'), data, null, document)", pack.live)
        assert page.evaluate("(sel) => document.querySelector(sel).dataset.held", sel) == "yes"  # same element
        assert int(page.input_value(sel)) == held  # not put back to the scenario's value
        page.mouse.move(x_at(held + 3), y, steps=3)  # the drag goes on
        step = int(page.input_value(sel))
        assert step > held
        moved = live.set_breakpoint(scen, scen, scen.profile, "stid_budget_share", 2030, grid[step])
        expected = fmt.percent(float(engine.run(moved).at("Digital Economy|Share of GRDP", 2030)[0]) * 100, "vi")
        assert page.inner_text(kpi) == expected
        page.mouse.up()
    finally:
        ctx.close()
