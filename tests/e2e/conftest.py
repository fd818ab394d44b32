"""Browser tests: a real ``streamlit run app.py`` server and Debian's Chromium driven by Playwright.

Outside CI the tests skip, with the reason, when Chromium or Playwright is missing; in CI (CI=true)
a missing browser is an error, so the suite cannot pass without running them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import CHROMIUM_ARGS, ROOT, start_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing_browser() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing_browser()
    for item in items:
        if "/e2e/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.e2e)
        if reason and not IN_CI:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def library_dir() -> Iterator[Path]:
    """A scenario library of its own for the browser tests, seeded with the presets."""
    d = Path(tempfile.mkdtemp(prefix="nq57-e2e-lib-"))
    for f in (ROOT / "scenarios").glob("*.yaml"):
        shutil.copy(f, d / f.name)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def server(library_dir: Path) -> Iterator[str]:
    proc, url = start_server(env={"NQ57_SCENARIO_DIR": str(library_dir)})
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _missing_browser()
    if reason:
        pytest.fail(reason) if IN_CI else pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = ctx.new_page()
    # A bound, not a clock: every step waits for the app (wait_for_app), and a busy 2-core machine can take
    # tens of seconds to draw a page; the bound only ends a test that would otherwise hang.
    pg.set_default_timeout(90_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=60_000)  # expect() waits 5 s by default
    yield pg
    ctx.close()
