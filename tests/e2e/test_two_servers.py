"""Browser: two ``streamlit run`` servers on different ports share one PostgreSQL library
(``NQ57_STORE_URL``). A scenario saved through one is in the other's library; uploads through both at
the same moment, all of one name, are all kept, each with its own id and name."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
from e2e_helpers import start_server, wait_for_app
from playwright.sync_api import expect

from sim import store
from sim.params import Text
from sim.scenario import baseline

ROUNDS = 5  # uploads per server, each round through both servers at once
WAIT_MS = 30_000  # two servers and a browser share two cores: a page can take seconds to render


@pytest.fixture
def two_servers(pg_url: str, tmp_path) -> Iterator[tuple[str, str]]:
    # An empty folder: if a server ignored the database it would show no presets and the test would fail.
    env = {store.STORE_ENV: pg_url, store.LIBRARY_ENV: str(tmp_path)}
    started: list[subprocess.Popen] = []
    try:
        urls = []
        for _ in range(2):
            proc, url = start_server(env=env)
            started.append(proc)
            urls.append(url)
        yield urls[0], urls[1]
    finally:
        for proc in started:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _library(page, server: str) -> None:
    page.goto(f"{server}/scenarios")
    wait_for_app(page)


def test_two_servers_share_one_postgresql_library(two_servers, browser, pg_url, monkeypatch):
    one, two = two_servers
    tag = uuid.uuid4().hex[:6]
    saved = f"Máy chủ một {tag}"
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    a, b = ctx.new_page(), ctx.new_page()
    for p in (a, b):
        p.set_default_timeout(30_000)

    # 1. Save through server one: a link sets R&D to 30 % of the envelope, the save panel stores it.
    a.goto(f"{one}/?v=1&r=binh-phuoc&l=vi&p=rs_30")
    wait_for_app(a)
    a.locator(".st-key-w_save_box summary").click()
    a.locator(".st-key-save_name input").fill(saved)
    a.locator(".st-key-save_submit button").click()
    expect(a.get_by_text(f"Đã lưu «{saved}» vào thư viện kịch bản.")).to_be_visible(timeout=WAIT_MS)

    # 2. Server two's library lists it, beside the presets the database started with.
    _library(b, two)
    expect(b.get_by_text(saved, exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(b.get_by_text("Lộ trình Nghị quyết 57", exact=True)).to_be_visible(timeout=WAIT_MS)

    # 3. Uploads through both servers at the same moment, all named alike.
    same = f"Cùng tên {tag}"
    _library(a, one)
    for p in (a, b):
        p.get_by_text("Tải lên tệp kịch bản").click()
    for i in range(ROUNDS):
        for p, who in ((a, "one"), (b, "two")):
            plan = replace(baseline(), name=Text(vi=same, en=same), description=Text(vi=f"{who}-{i}", en=f"{who}-{i}"))
            data = plan.with_changes(rd_share_of_stid=20.0 + i).to_yaml().encode()
            # set_input_files returns once the browser has the file: the two uploads run together
            p.locator(".st-key-lib_upload input[type=file]").set_input_files(
                files=[{"name": f"{who}-{i}.yaml", "mimeType": "application/x-yaml", "buffer": data}]
            )
        for p in (a, b):
            expect(p.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=same)).to_be_visible(
                timeout=WAIT_MS
            )
            wait_for_app(p)

    # Nothing lost: every upload is in the database once, with its own id and its own name.
    monkeypatch.setenv(store.STORE_ENV, pg_url)

    def uploaded() -> list[store.Entry]:
        return [e for e in store.list_entries() if e.name.vi.startswith(same)]

    deadline = time.monotonic() + 30  # the last round's reruns may still be finishing on the servers
    while len(kept := uploaded()) < 2 * ROUNDS and time.monotonic() < deadline:
        time.sleep(0.2)
    notes = sorted(store.load(e.id).description.vi for e in kept)
    assert notes == sorted(f"{who}-{i}" for who in ("one", "two") for i in range(ROUNDS))
    assert len({e.id for e in kept}) == len({e.name.vi for e in kept}) == 2 * ROUNDS
    assert any(e.name.vi == saved for e in store.list_entries())

    # And each server shows all of them.
    for p, server in ((a, one), (b, two)):
        _library(p, server)
        for e in kept:
            expect(p.locator(f".st-key-lib_entry_{e.id}")).to_contain_text(e.name.vi, timeout=WAIT_MS)
    ctx.close()
