"""The Simulate page in a real browser: charts and KPIs, a keyboard slider move, a copied link."""

from __future__ import annotations

from e2e_helpers import wait_for_app

from sim import engine
from sim.profiles import load_profile
from sim.scenario import baseline
from sim.views import fmt

KPI = '[data-kpi="digital_share_2030"] .nq-value'
THUMB = '.st-key-w_stid_budget_share_2025 input[type="range"]'  # the baseline's one breakpoint: from 2025 on
LINK = '.st-key-share_box [data-testid="stCode"] code'


def digital_2030(s) -> str:
    return fmt.percent(float(engine.run(s).at("Digital Economy|Share of GRDP", 2030)[0]) * 100, "vi", 1)


def open_simulate(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(KPI)
    page.wait_for_selector(".st-key-chart_digital_share .js-plotly-plot .main-svg")


def test_first_page_shows_charts_and_kpis(server, page):
    open_simulate(page, server)
    assert page.inner_text(KPI) == digital_2030(baseline()) == "19,4 %"
    assert page.locator("[data-kpi]").count() == 12
    assert page.locator("tr[data-target]").count() == len(load_profile("binh-phuoc").targets)  # every target
    # the chart shows the 2030 target; picking another chart draws it
    assert "2030: ≥ 30 %" in page.inner_text(".st-key-chart_digital_share")
    page.locator(".st-key-w_chart button", has_text="Chi R&D và quy tắc 60 %").click()
    page.wait_for_selector(".st-key-chart_rd_spending .js-plotly-plot .main-svg")
    assert "quy tắc 60 %" in page.inner_text(".st-key-chart_rd_spending")


def test_keyboard_slider_move_updates_the_kpi(server, page):
    open_simulate(page, server)
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
    # the value is written the Vietnamese way beside the slider
    assert "Từ 2025: 1,1 % chi ngân sách" in page.inner_text(".st-key-w_stid_budget_share_2025")


def test_a_copied_link_shows_the_same_kpis_elsewhere(server, page, browser):
    open_simulate(page, server)
    page.focus(THUMB)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.includes(text); }",
        arg=[LINK, "p=sb_1.5"],
    )
    wait_for_app(page)
    link = page.inner_text(LINK).strip()
    values = page.locator("[data-kpi]").all_inner_texts()
    assert link.startswith(server)

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = ctx.new_page()
        other.set_default_timeout(20_000)
        open_simulate(other, link)
        assert other.locator("[data-kpi]").all_inner_texts() == values
        assert other.input_value(THUMB) == "1.5"
    finally:
        ctx.close()
