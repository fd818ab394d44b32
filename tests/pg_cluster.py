"""A throw-away PostgreSQL server for the tests and benchmarks: Debian's ``initdb`` and ``pg_ctl`` in a
temporary folder, run as the ``postgres`` user when we are root, listening on 127.0.0.1 only.

``start()`` returns a :class:`Cluster` (or raises :class:`Unavailable` when the binaries are missing);
``Cluster.new_database()`` gives a fresh, empty database's URL; ``Cluster.stop()`` stops the server and
removes the folder. Durability is switched off (fsync, synchronous commit): the data die with the test.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/bin", "/usr/bin")
SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=400 -c shared_buffers=32MB"
)


class Unavailable(RuntimeError):
    """PostgreSQL's server programs are not installed (Debian: ``apt-get install postgresql``)."""


def binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl`` (the newest Debian version first)."""
    for pattern in SEARCH:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if os.access(Path(folder) / "initdb", os.X_OK) and os.access(Path(folder) / "pg_ctl", os.X_OK):
                return Path(folder)
    raise Unavailable("PostgreSQL's initdb and pg_ctl were not found (Debian: apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running server: its folder, port and the superuser's name."""

    folder: Path
    port: int
    bin: Path
    as_postgres: bool
    _n: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        with self._lock:
            self._n += 1
            name = f"nq57_{os.getpid()}_{self._n}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)

    def stop(self) -> None:
        _run(self, [str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(cluster_or_flag: Cluster | bool, cmd: list[str]) -> subprocess.CompletedProcess:
    as_postgres = cluster_or_flag if isinstance(cluster_or_flag, bool) else cluster_or_flag.as_postgres
    if as_postgres:  # initdb refuses to run as root
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def start() -> Cluster:
    """Initialise and start a server in a new temporary folder.

    Raises:
        Unavailable: the server programs are missing.
        RuntimeError: they are there but the server did not start (the log's tail says why).
    """
    bin_dir = binaries()
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="nq57-pg-"))
    if as_postgres:
        pw = pwd.getpwnam("postgres")
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    data = folder / "data"
    init = _run(
        as_postgres,
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-800:]}")
    last = ""
    for _ in range(5):  # another process may take the free port between choosing and binding it
        port = _free_port()
        options = f"{SERVER_OPTIONS} -p {port} -k {folder}"
        started = _run(
            as_postgres,
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
        )
        if started.returncode == 0:
            return Cluster(folder, port, bin_dir, as_postgres)
        last = (folder / "log").read_text(errors="replace")[-800:] if (folder / "log").exists() else started.stderr
    shutil.rmtree(folder, ignore_errors=True)
    raise RuntimeError(f"PostgreSQL did not start: {last.strip()}")
