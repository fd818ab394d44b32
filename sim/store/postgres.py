"""The PostgreSQL back-end: one database shared by every server that names it in ``NQ57_STORE_URL``.

Tables (created on first use, inside one transaction under the library's lock, so servers starting
together do not trip over each other; the shipped presets are copied in if absent)::

    nq57_scenario  (id PRIMARY KEY, body, modified)          the scenario files' text
    nq57_version   (id, n, by_whom, at, action, restored_from, body; PRIMARY KEY (id, n))
    nq57_trash     (tid PRIMARY KEY, body, at)
    nq57_approval  (seq, id, by_whom, at, hash; an index on (id, seq): a listing joins each last approval)
    nq57_live      (channel PRIMARY KEY, payload, at)

A body is the same YAML text a folder library holds, and it is read back through the same untrusted
parsing (:mod:`sim.untrusted`): a row written by hand is refused like a hand-edited file. Every write
runs in one transaction that first takes a transaction-scoped advisory lock (:data:`LOCK_KEY`), the
database's counterpart of the folder's file lock: the free id and the free name are chosen atomically
across processes and servers, and a failed write leaves nothing behind. Primary keys back this up: an
id is never stored twice.

Connections are kept in a small pool per process (a forked child opens its own: a connection must
never be shared across processes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from collections.abc import Iterator

import psycopg
from psycopg import pq

from .base import LibraryUnavailableError, Stored, StoredVersion

log = logging.getLogger(__name__)

LOCK_KEY = 5_757_057  # the advisory lock every writer takes (any constant unique to this app)
POOL_SIZE = 8
CONNECT_TIMEOUT_SECONDS = 10

SCHEMA = """
CREATE TABLE IF NOT EXISTS nq57_scenario (
    id text PRIMARY KEY,
    body bytea NOT NULL,
    modified timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS nq57_version (
    id text NOT NULL,
    n integer NOT NULL,
    by_whom text NOT NULL,
    at timestamptz NOT NULL,
    action text NOT NULL,
    restored_from integer,
    body bytea NOT NULL,
    PRIMARY KEY (id, n)
);
CREATE TABLE IF NOT EXISTS nq57_trash (
    tid text PRIMARY KEY,
    body bytea NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS nq57_approval (
    seq bigserial PRIMARY KEY,
    id text NOT NULL,
    by_whom text NOT NULL,
    at text NOT NULL,
    hash text NOT NULL
);
CREATE INDEX IF NOT EXISTS nq57_approval_id ON nq57_approval (id, seq);
CREATE TABLE IF NOT EXISTS nq57_live (
    channel text PRIMARY KEY,
    payload bytea NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
"""


def _shown(url: str) -> str:
    """The database's address without its password (messages must not leak it)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "the configured database"
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


class PostgresLibrary:
    """The library's tables, through one connection (inside a transaction when writing)."""

    def __init__(self, conn: psycopg.Connection, where: str, bodies: dict[str, tuple[str, bytes]]):
        self.conn = conn
        self.where = where
        self.bodies = bodies  # the back-end's cache: id -> (md5 of the body, body)

    def _rows(self, sql: str, *args: object) -> list[tuple]:
        return self.conn.execute(sql, args).fetchall()

    def _done(self, sql: str, *args: object) -> int:
        return self.conn.execute(sql, args).rowcount

    # ------------------------------------------------------------- scenarios

    def all(self) -> list[Stored]:
        return self._scenarios(self._rows("SELECT id, md5(body), modified FROM nq57_scenario"))

    def listing(self) -> list[tuple[Stored, dict[str, str] | None]]:
        # One query for the page, however many scenarios: each row with its last approval joined in.
        sql = (
            "SELECT s.id, md5(s.body), s.modified, a.id, a.by_whom, a.at, a.hash FROM nq57_scenario s "
            "LEFT JOIN LATERAL (SELECT * FROM nq57_approval p WHERE p.id = s.id ORDER BY p.seq DESC LIMIT 1) a "
            "ON true"
        )
        rows = self._rows(sql)
        approved = {r[0]: {"id": r[3], "by": r[4], "at": r[5], "hash": r[6]} for r in rows if r[3] is not None}
        return [(stored, approved.get(stored.id)) for stored in self._scenarios([r[:3] for r in rows])]

    def _scenarios(self, rows: list[tuple]) -> list[Stored]:
        """The scenarios of ``(id, md5 of the body, modified)`` rows, their bodies from the cache where unchanged.

        Digests first, bodies only for what changed since this process last read them: the whole table is
        read on every listing and, under the lock, at every save.
        """
        missing = [sid for sid, digest, _ in rows if self.bodies.get(sid, (None,))[0] != digest]
        if missing:
            sql = "SELECT id, md5(body), body FROM nq57_scenario WHERE id = ANY(%s)"
            for sid, digest, body in self._rows(sql, missing):
                self.bodies[sid] = (digest, bytes(body))
        if len(self.bodies) > 5000:  # ids of long-deleted scenarios pile up otherwise
            keep = {sid for sid, _, _ in rows}
            for sid in [k for k in self.bodies if k not in keep]:
                self.bodies.pop(sid, None)
        # A row changed between the two reads (no lock when only reading) shows its newer body; one deleted
        # in between is left out, as if listed a moment later.
        return [Stored(sid, self.bodies[sid][1], _utc(modified)) for sid, _, modified in rows if sid in self.bodies]

    def get(self, sid: str) -> Stored | None:
        rows = self._rows("SELECT id, body, modified FROM nq57_scenario WHERE id = %s", sid)
        return Stored(rows[0][0], bytes(rows[0][1]), _utc(rows[0][2])) if rows else None

    def insert(self, sid: str, body: bytes) -> bool:
        sql = "INSERT INTO nq57_scenario (id, body) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING"
        return self._done(sql, sid, body) == 1

    def replace(self, sid: str, body: bytes) -> None:
        self._done("UPDATE nq57_scenario SET body = %s, modified = clock_timestamp() WHERE id = %s", body, sid)

    def remove(self, sid: str) -> None:
        self._done("DELETE FROM nq57_scenario WHERE id = %s", sid)

    # ------------------------------------------------------------- trash

    def trash_all(self) -> list[tuple[str, bytes]]:
        return [(tid, bytes(body)) for tid, body in self._rows("SELECT tid, body FROM nq57_trash")]

    def trash_get(self, tid: str) -> bytes | None:
        rows = self._rows("SELECT body FROM nq57_trash WHERE tid = %s", tid)
        return bytes(rows[0][0]) if rows else None

    def trash_add(self, tid: str, body: bytes) -> bool:
        sql = "INSERT INTO nq57_trash (tid, body) VALUES (%s, %s) ON CONFLICT (tid) DO NOTHING"
        return self._done(sql, tid, body) == 1

    def trash_remove(self, tid: str) -> None:
        self._done("DELETE FROM nq57_trash WHERE tid = %s", tid)

    # ------------------------------------------------------------- approvals

    def approval_add(self, record: dict[str, str]) -> None:
        sql = "INSERT INTO nq57_approval (id, by_whom, at, hash) VALUES (%s, %s, %s, %s)"
        self._done(sql, record["id"], record["by"], record["at"], record["hash"])

    def approvals(self, sid: str) -> list[dict[str, str]]:
        rows = self._rows("SELECT id, by_whom, at, hash FROM nq57_approval WHERE id = %s ORDER BY seq", sid)
        return [{"id": i, "by": b, "at": a, "hash": h} for i, b, a, h in rows]

    # ------------------------------------------------------------- versions

    def versions(self, sid: str, last: int | None = None) -> list[StoredVersion]:
        # The newest `last` (all when None: LIMIT NULL), read newest first and given back oldest first.
        sql = (
            "SELECT n, by_whom, at, action, restored_from, body FROM nq57_version WHERE id = %s "
            "ORDER BY n DESC LIMIT %s"
        )
        rows = self._rows(sql, sid, last)
        return [StoredVersion(n, b, at, a, r, bytes(body)) for n, b, at, a, r, body in reversed(rows)]

    def version(self, sid: str, n: int) -> StoredVersion | None:
        sql = "SELECT n, by_whom, at, action, restored_from, body FROM nq57_version WHERE id = %s AND n = %s"
        rows = self._rows(sql, sid, n)
        return StoredVersion(*rows[0][:5], bytes(rows[0][5])) if rows else None

    def last_version(self, sid: str) -> int:
        return self._rows("SELECT coalesce(max(n), 0) FROM nq57_version WHERE id = %s", sid)[0][0]

    def last_versions(self) -> dict[str, int]:
        return dict(self._rows("SELECT id, max(n) FROM nq57_version GROUP BY id"))

    def version_add(self, sid: str, version: StoredVersion) -> None:
        sql = (
            "INSERT INTO nq57_version (id, n, by_whom, at, action, restored_from, body) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        v = version
        self._done(sql, sid, v.n, v.by, v.at, v.action, v.restored_from, v.body)

    def versions_archive(self, sid: str) -> None:
        # "<id>.<time>.archived" is not an id: the history is kept, never read as another scenario's.
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        self._done("UPDATE nq57_version SET id = %s WHERE id = %s", f"{sid}.{stamp}.archived", sid)

    def versions_move(self, old: str, new: str) -> None:
        self.versions_archive(new)
        self._done("UPDATE nq57_version SET id = %s WHERE id = %s", new, old)

    # ------------------------------------------------------------- live states

    def live_put(self, channel: str, data: bytes) -> None:
        sql = (
            "INSERT INTO nq57_live (channel, payload) VALUES (%s, %s) "
            "ON CONFLICT (channel) DO UPDATE SET payload = excluded.payload, at = now()"
        )
        self._done(sql, channel, data)

    def live_get(self, channel: str) -> bytes | None:
        rows = self._rows("SELECT payload FROM nq57_live WHERE channel = %s", channel)
        return bytes(rows[0][0]) if rows else None


def _utc(moment: dt.datetime) -> dt.datetime:
    """A database time in UTC, as the folder gives file times."""
    return moment.astimezone(dt.UTC)


class PostgresBackend:
    """A library in a PostgreSQL database (see the module docstring)."""

    def __init__(self, url: str):
        self.url = url
        self.where = _shown(url)
        self._idle: list[psycopg.Connection] = []
        self._lock = threading.Lock()
        self._ready = False
        self._bodies: dict[str, tuple[str, bytes]] = {}

    @contextlib.contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        try:
            if conn is None or conn.closed:
                conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise LibraryUnavailableError(
                f"the scenario database {self.where} cannot be reached ({first[:160]})", key="library"
            ) from None
        try:
            yield conn
        except psycopg.OperationalError as exc:
            conn.close()
            raise LibraryUnavailableError(
                f"the scenario database {self.where} stopped answering ({str(exc).strip()[:160]})", key="library"
            ) from None
        except BaseException:
            self._put(conn)  # back to the pool if its transaction ended (rolled back), else closed
            raise
        else:
            self._put(conn)

    def _put(self, conn: psycopg.Connection) -> None:
        if conn.closed or conn.info.transaction_status != pq.TransactionStatus.IDLE:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < POOL_SIZE:
                self._idle.append(conn)
                return
        conn.close()

    def _prepare(self, conn: psycopg.Connection) -> None:
        """Create the tables and copy the presets in, once per process (idempotent; under the lock)."""
        if self._ready:
            return
        from . import preset_files  # the presets are the store's business; imported late (a cycle)

        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            conn.execute(SCHEMA)
            for sid, body in preset_files().items():
                conn.execute(
                    "INSERT INTO nq57_scenario (id, body) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING", (sid, body)
                )
        self._ready = True

    @contextlib.contextmanager
    def reading(self) -> Iterator[PostgresLibrary]:
        with self._connection() as conn:
            self._prepare(conn)
            yield PostgresLibrary(conn, self.where, self._bodies)

    @contextlib.contextmanager
    def writing(self) -> Iterator[PostgresLibrary]:
        with self._connection() as conn:
            self._prepare(conn)
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                yield PostgresLibrary(conn, self.where, self._bodies)


# One back-end (and so one pool) per address and process: a forked child must not use its parent's
# connections, and it must not close them either (that would end the parent's sessions), so they stay
# referenced here, untouched.
_BACKENDS: dict[tuple[int, str], PostgresBackend] = {}
_BACKENDS_LOCK = threading.Lock()


def backend(url: str) -> PostgresBackend:
    """The back-end for a ``postgresql://`` address (one per process and address)."""
    key = (os.getpid(), url)
    with _BACKENDS_LOCK:
        found = _BACKENDS.get(key)
        if found is None:
            found = _BACKENDS[key] = PostgresBackend(url)
        return found


def close(url: str) -> None:
    """Close this process's idle connections to ``url`` (tests; a server keeps its pool for its lifetime)."""
    with _BACKENDS_LOCK:
        found = _BACKENDS.pop((os.getpid(), url), None)
    if found is not None:
        with found._lock:
            idle, found._idle = found._idle, []
        for conn in idle:
            conn.close()
