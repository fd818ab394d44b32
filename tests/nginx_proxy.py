"""Run deploy/nginx.conf for real with Debian's nginx, its app servers replaced by loopback ports (tests only)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_nginx() -> None:
    """Skip (locally) or fail (in CI) when Debian's nginx is not installed."""
    if not Path(NGINX).exists():
        reason = "nginx not installed (apt-get install nginx-light)"
        pytest.fail(reason) if IN_CI else pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_proxy(upstreams: dict[str, int]) -> Iterator[int]:
    """deploy/nginx.conf listening on a free loopback port, ``app-1:8501`` etc. replaced by the given ports.

    Only what ties the file to the containers changes (server addresses, the listening port) plus where a
    non-root nginx may write (temporary folders, no access log); the routing is the file's own.

    Yields:
        The port nginx listens on.
    """
    require_nginx()
    conf = CONF.read_text(encoding="utf-8")
    for name, port in upstreams.items():
        assert f"server {name}:8501" in conf, name
        conf = conf.replace(f"server {name}:8501", f"server 127.0.0.1:{port}")
    port = _free_port()
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    d = Path(tempfile.mkdtemp(prefix="nq57-nginx-"))
    temp = " ".join(f"{k}_temp_path {d / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = conf.replace("http {", f"http {{\n    access_log off;\n    {temp}", 1)
    (d / "nginx.conf").write_text(conf, encoding="utf-8")
    cmd = [NGINX, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([*cmd, "-g", f"daemon off; pid {d / 'nginx.pid'};"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not listen: {(d / 'error.log').read_text()}") from None
                time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(d, ignore_errors=True)
