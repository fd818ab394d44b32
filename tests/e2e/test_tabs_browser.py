"""Browser: the Analysis and Data pages draw the open tab alone; a click on another tab draws it, and the tab
stays open through the language toggle and a visit to another page."""

from __future__ import annotations

from e2e_helpers import wait_for_app
from playwright.sync_api import expect

CHARTS = "[data-testid='stPlotlyChart']"
TABLES = "[data-testid='stDataFrame']"
KPI = '[data-kpi="digital_share_2030"] .nq-value'


def _nav(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    wait_for_app(page)


def _tab(page, label: str) -> None:
    page.get_by_role("tab", name=label, exact=True).click()
    wait_for_app(page)


def test_analysis_draws_the_tab_opened_and_keeps_it(server, page):
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector(KPI)
    _nav(page, "Phân tích")
    expect(page.locator(".st-key-an_seek_apply button")).to_be_visible()  # goal seek, the first tab
    expect(page.locator(CHARTS)).to_have_count(1)  # its chart alone: the other tabs are not drawn
    _tab(page, "Bất định")
    expect(page.locator(".st-key-an_unc_prob")).to_be_visible()  # the probability chart of the draws
    expect(page.locator(CHARTS)).to_have_count(4)  # three fans and the probabilities, nothing else
    expect(page.locator(".st-key-an_seek_apply")).to_have_count(0)
    page.locator(".st-key-lang button", has_text="English").click()
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Uncertainty", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator(".st-key-an_unc_prob")).to_be_visible()
    _nav(page, "Simulate")
    _nav(page, "Analysis")
    expect(page.get_by_role("tab", name="Uncertainty", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator(".st-key-an_unc_prob")).to_be_visible()
    _tab(page, "Goal seek")
    expect(page.locator(".st-key-an_seek_apply button")).to_be_visible()


def test_data_draws_the_tab_opened(server, page):
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector(KPI)
    _nav(page, "Dữ liệu & giả định")
    expect(page.get_by_role("tab", name="Số liệu năm gốc", exact=True)).to_have_attribute("aria-selected", "true")
    expect(page.locator(TABLES)).to_have_count(1)  # the base-year table alone: the other tabs are not drawn
    expect(page.locator(CHARTS)).to_have_count(0)
    _tab(page, "Tham số")
    expect(page.locator(TABLES)).to_have_count(2)  # levers and assumptions
    _tab(page, "Hiệu chỉnh")
    expect(page.locator(".st-key-data_k0_chart")).to_be_visible()  # the k0 fit, drawn once its tab is open
    expect(page.locator(TABLES)).to_have_count(1)  # the crowding-in limits
