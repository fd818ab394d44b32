"""The Simulate page in a real browser: KPIs and the live charts, a live drag, a keyboard move, a copied link."""

from __future__ import annotations

from e2e_helpers import FIRST_RENDER_MS, open_paths, wait_for_app

from sim import engine
from sim.profiles import load_profile
from sim.scenario import baseline
from sim.views import fmt

KPI = '[data-kpi="digital_share_2030"] .nq-value'
THUMB = '.st-key-w_stid_budget_share_2025 input[type="range"]'  # the path editor's: the baseline's one breakpoint
LIVE = '.st-key-live_stid_budget_share input[type="range"]'  # the same lever in the live panel
LINK = '.st-key-share_box [data-testid="stCode"] code'
GRID_STEP = 0.1  # the envelope lever's step (% of budget spending), parameters.yaml


def digital_2030(s) -> str:
    """The card's text for a scenario, from the engine and the formatter (not from the page)."""
    return fmt.percent(float(engine.run(s).at("Digital Economy|Share of GRDP", 2030)[0]) * 100, "vi")


def open_simulate(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-chart="digital_share"] svg path', timeout=FIRST_RENDER_MS)
    wait_for_app(page)


def test_first_page_shows_charts_and_kpis(server, page):
    open_simulate(page, server)
    assert page.inner_text(KPI) == digital_2030(baseline()) == "19,4 %"
    assert page.locator("[data-kpi]").count() == 12
    assert page.locator("tr[data-target]").count() == len(load_profile("binh-phuoc").targets)  # every target
    # the live chart shows the 2030 target; the other charts are a click away
    assert "2030: ≥ 30 %" in page.text_content('[data-chart="digital_share"]')
    assert "Quy tắc 60 %".lower() in page.text_content('[data-chart="rd_spending"]').lower()
    page.locator(".st-key-w_more_charts summary").click()  # the other charts: drawn when the box opens
    page.locator(".st-key-w_chart button", has_text="Chi R&D và quy tắc 60 %").click()
    page.wait_for_selector(".st-key-chart_rd_spending .js-plotly-plot .main-svg")


def test_dragging_a_live_lever_shows_the_engines_numbers_before_release(server, page):
    """Mouse down on the live slider, move step by step: the KPI follows before the mouse is released,
    at each step equal to the engine's value for that step; the release's rerun confirms it."""
    open_simulate(page, server)
    start = page.inner_text(KPI)
    slider = page.locator(LIVE)
    box = slider.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    first = float(slider.input_value())  # step index of 1.0 % (the grid starts at 0)
    x0 = box["x"] + box["width"] * first / 100  # near the thumb: 100 steps over the width
    page.mouse.move(x0, y)
    page.mouse.down()
    seen = []
    for k in range(1, 7):
        page.mouse.move(x0 + k * box["width"] / 100 * 3, y)  # about three steps a move
        index = int(slider.input_value())
        value = round(index * GRID_STEP, 1)
        expected = digital_2030(baseline().with_changes(stid_budget_share=value))
        page.wait_for_function(
            "([sel, text]) => document.querySelector(sel)?.innerText === text", arg=[KPI, expected], timeout=5_000
        )
        seen.append((value, expected))
    assert seen[-1][1] != start  # the KPI moved before the mouse was released
    assert len({v for v, _ in seen}) >= 4  # and at several steps on the way
    page.mouse.up()
    value, expected = seen[-1]
    page.wait_for_function(  # the rerun after the release: the page's link holds the new value
        "([sel, v]) => document.querySelector(sel)?.innerText.includes(v)", arg=[LINK, f"sb_{value:g}"], timeout=60_000
    )
    wait_for_app(page)
    assert page.inner_text(KPI) == expected  # the rerun shows the same number as the drag did
    open_paths(page)  # the path editor shows the released value
    assert f"Từ 2025: {fmt.number(value, 'vi', 1)} % chi ngân sách" in page.inner_text(
        ".st-key-w_stid_budget_share_2025"
    )


def test_keyboard_slider_move_updates_the_kpi(server, page):
    open_simulate(page, server)
    open_paths(page)
    before = page.inner_text(KPI)
    page.focus(THUMB)
    page.keyboard.press("ArrowRight")  # one step: 1.0 -> 1.1 % of budget spending from 2025
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=[KPI, before],
    )
    wait_for_app(page)
    expected = digital_2030(baseline().with_changes(stid_budget_share=1.1))
    assert page.inner_text(KPI) == expected
    assert page.input_value(THUMB) == "1.1"
    # the value is written the Vietnamese way beside the slider, and the live slider follows
    assert "Từ 2025: 1,1 % chi ngân sách" in page.inner_text(".st-key-w_stid_budget_share_2025")
    assert page.input_value(LIVE) == "11"


def test_a_copied_link_shows_the_same_kpis_elsewhere(server, page, browser):
    open_simulate(page, server)
    page.focus(LIVE)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.includes(text); }",
        arg=[LINK, "p=sb_1.5"],
        timeout=60_000,
    )
    wait_for_app(page)
    link = page.inner_text(LINK).strip()
    values = page.locator("[data-kpi]").all_inner_texts()
    assert link.startswith(server)

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = ctx.new_page()
        open_simulate(other, link)
        assert other.locator("[data-kpi]").all_inner_texts() == values
        assert other.input_value(LIVE) == "15"  # 1.5 % on the slider's grid of 0.1 steps
        assert "Từ 2025: 1,5 % chi ngân sách" in other.inner_text(".st-key-live_stid_budget_share")
    finally:
        ctx.close()


def _drag_live(page, steps: int) -> float:
    """Drag the live envelope slider by about ``steps`` steps and release it; the value it was released at."""
    slider = page.locator(LIVE)
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    x0 = box["x"] + box["width"] * float(slider.input_value()) / 100  # near the thumb: 100 steps over the width
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x0 + steps * box["width"] / 100, y, steps=max(1, abs(steps)))
    value = round(int(slider.input_value()) * GRID_STEP, 1)
    page.mouse.up()
    page.wait_for_function(  # the release's run has written the value into the page's link
        "([sel, v]) => document.querySelector(sel)?.innerText.includes(v)", arg=[LINK, f"sb_{value:g}"], timeout=60_000
    )
    wait_for_app(page)
    return value


def test_a_release_updates_what_the_sidebar_shows_of_the_scenario(server, page):
    """A release runs the main view alone while the sidebar would look the same; the sidebar follows when
    it shows the change: the levers' reset button, and the path editor when it is open."""
    open_simulate(page, server)
    reset = page.get_by_role("button", name="Đặt lại đòn bẩy")  # Reset levers
    assert reset.is_disabled()  # the levers are the starting scenario's
    first = _drag_live(page, 6)
    assert reset.is_enabled()  # now they differ: the button can put them back
    expected = digital_2030(baseline().with_changes(stid_budget_share=first))
    assert page.inner_text(KPI) == expected
    open_paths(page)
    second = _drag_live(page, -3)
    assert second != first
    caption = f"Từ 2025: {fmt.number(second, 'vi', 1)} % chi ngân sách"
    page.wait_for_function(
        "([sel, t]) => document.querySelector(sel)?.innerText.includes(t)",
        arg=[".st-key-w_stid_budget_share_2025", caption],
        timeout=60_000,
    )
    assert page.inner_text(KPI) == digital_2030(baseline().with_changes(stid_budget_share=second))
