"""Helpers for the browser tests: start a streamlit server, wait for the app to settle."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A busy 2-core CI machine took 16-25 s for the first render; the bound only stops a hung app.
FIRST_RENDER_MS = 120_000
# Headless Debian Chromium as root, with none of the background connections this closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    app: str = "app.py", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on a free loopback port; return the process and its base URL when healthy."""
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(
        cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + FIRST_RENDER_MS / 1000
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
            raise RuntimeError(f"streamlit exited early:\n{out}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not become healthy within {FIRST_RENDER_MS // 1000} s")


SETTLED_JS = (
    '() => !!document.querySelector(\'[data-testid="stApp"][data-test-script-state="notRunning"]\')'
    ' && !!document.querySelector(\'[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]\')'
    " && !document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


def wait_for_app(page: object, timeout_ms: int = FIRST_RENDER_MS) -> None:
    """Wait until the Streamlit script has finished running and the page shows its result.

    Streamlit's own e2e way: the app reports ``data-test-script-state="notRunning"``, something is drawn,
    no element is left stale from the previous run (``data-stale="true"``) and no 'running' status shows.
    The bound is generous: a slow machine makes the test slower, not red.
    """
    page.wait_for_function(SETTLED_JS, timeout=timeout_ms, polling=100)  # type: ignore[attr-defined]


def open_paths(page: object) -> None:
    """Open the sidebar's year-by-year paths (drawn only while open) and wait for the run that draws them."""
    page.locator(".st-key-w_paths_box summary").click()  # type: ignore[attr-defined]
    page.wait_for_selector(".st-key-w_paths_box [data-testid='stSlider']", timeout=FIRST_RENDER_MS)  # type: ignore[attr-defined]
    wait_for_app(page)
