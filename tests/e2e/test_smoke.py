from e2e_helpers import wait_for_app


def test_app_starts_and_shows_navigation(server, page):
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    assert "Mô phỏng" in page.inner_text('[data-testid="stSidebarNav"]')
