"""Browser: the app through deploy/nginx.conf in front of two ``streamlit run`` servers, as in the compose file.

Each server names itself as the local user, so the page shows which server holds the browser's session.
A browser stays on its server across reloads, whatever other requests it makes in between (with plain
round-robin routing one extra request sends the next page to the other server); a slider move (the
websocket, through the proxy) updates the page; and an upload, which Streamlit accepts only on the server
that holds the session, goes through.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from e2e_helpers import start_server, wait_for_app
from playwright.sync_api import expect

from sim.params import Text
from sim.scenario import baseline
from tests.nginx_proxy import running_proxy

KPI = '[data-kpi="digital_share_2030"] .nq-value'


@pytest.fixture(scope="module")
def proxied(library_dir: Path) -> Iterator[str]:
    """Two app servers on one library folder behind the proxy; the proxy's URL."""
    lib = str(library_dir)
    servers = [start_server(env={"NQ57_SCENARIO_DIR": lib, "NQ57_LOCAL_USER": f"server-{i}"}) for i in (1, 2)]
    try:
        ports = {f"app-{i + 1}": int(url.rsplit(":", 1)[1]) for i, (_, url) in enumerate(servers)}
        with running_proxy(ports) as port:
            yield f"http://127.0.0.1:{port}"
    finally:
        for proc, _ in servers:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _server(page) -> str:
    """Which server holds this page's session (its local user's name, in the sidebar)."""
    wait_for_app(page)
    text = page.locator(".st-key-identity").inner_text()
    return text.split("server-")[1][0]


def test_a_browser_stays_on_its_server_across_reloads(proxied, browser):
    for _ in range(3):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(proxied)
            first = _server(page)
            assert [c["name"] for c in ctx.cookies()].count("nq57_route") == 1
            for extra in (1, 2):  # other requests of the same browser in between (with its cookies)
                for _ in range(extra):
                    assert ctx.request.get(f"{proxied}/_stcore/health").ok
                page.reload()
                assert _server(page) == first
        finally:
            ctx.close()


def test_through_the_proxy_a_slider_moves_and_an_upload_goes_through(proxied, page):
    page.set_default_timeout(60_000)
    page.goto(proxied)
    wait_for_app(page)
    before = page.inner_text(KPI)
    page.focus('.st-key-live_stid_budget_share input[type="range"]')
    page.keyboard.press("End")  # the live slider's top, 10 % of budget spending: the 2030 share moves
    page.wait_for_function("([sel, before]) => document.querySelector(sel)?.innerText !== before", arg=[KPI, before])
    name = f"Qua proxy {uuid.uuid4().hex[:6]}"
    scenario = replace(baseline().with_changes(rd_share_of_stid=30.0), name=Text(vi=name, en=name))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Kịch bản").click()
    wait_for_app(page)
    page.get_by_text("Tải lên tệp kịch bản").click()
    page.locator(".st-key-lib_upload input[type=file]").set_input_files(
        files=[{"name": "proxy.yaml", "mimeType": "application/x-yaml", "buffer": scenario.to_yaml().encode()}]
    )
    expect(page.get_by_text(f"Đã thêm «{name}» vào thư viện.")).to_be_visible(timeout=60_000)
