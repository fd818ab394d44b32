"""The meeting pack as PDF, printed from the standalone HTML by a Chromium already on the machine.

No Python package is added for this: the HTML report is printed with Chromium's own headless
``--print-to-pdf`` (Debian's ``chromium`` package). Where no Chromium is installed, the PDF is refused
with a message and the HTML report (which prints from any browser) remains.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def chromium_path() -> str | None:
    """A Chromium executable: ``$CHROMIUM_PATH`` if set, else the first of :data:`CANDIDATES` on the PATH."""
    env = os.environ.get("CHROMIUM_PATH", "").strip()
    if env:
        return env if Path(env).is_file() else None
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def html_to_pdf(html: bytes) -> bytes:
    """Print a standalone HTML document to PDF with headless Chromium (network off, charts drawn first).

    Raises:
        InputError: no Chromium on the machine, or printing failed.
    """
    exe = chromium_path()
    if exe is None:
        raise InputError("PDF needs Chromium on this machine (apt-get install chromium); use .html", key="--format")
    with tempfile.TemporaryDirectory(prefix="nq57-pdf-") as d:
        src, out = Path(d) / "report.html", Path(d) / "report.pdf"
        src.write_bytes(html)
        cmd = [
            exe,
            "--headless=new",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",  # let plotly draw before printing
            f"--user-data-dir={Path(d) / 'profile'}",
            f"--print-to-pdf={out}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
        cmd.append(src.as_uri())
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(f"Chromium could not print the report ({exc})", key="--format") from None
        if proc.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise InputError(f"Chromium could not print the report: {tail[0]}", key="--format")
        return out.read_bytes()
