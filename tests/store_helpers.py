"""Helpers of the store tests (both back-ends): a plan to save, what a user sees of the library, raw writes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from sim import store
from sim.params import Text
from sim.scenario import Scenario


def plan(name: str = "Kế hoạch thử", **kw: object) -> Scenario:
    s = Scenario(
        name=Text(vi=name, en=name),
        region="binh-phuoc",
        description=Text(vi="ghi chú", en="note"),
        author="Sở Tài chính",
        levers={"stid_budget_share": {2024: 1.0, 2026: 3.0, 2030: 3.5}, "rule_mode": "cap_public"},
        assumptions={"inflation": 3.5, "rd_lag": 3},
    )
    return replace(s, **kw) if kw else s


def state() -> dict[str, object]:
    """Everything a user can see of the library: each scenario's bytes, the trash, every history."""
    entries = store.list_entries()
    return {
        "entries": {e.id: e.problem or store.export_yaml(e.id) for e in entries},
        "trash": sorted(t.id for t in store.list_trash()),
        "history": {e.id: [(v.n, v.action) for v in store.history(e.id)] for e in entries if not e.problem},
    }


def put_raw(kind: str, sid: str, body: bytes) -> None:
    """Write a scenario's bytes behind the store's back (a file on the shared drive, a row typed in psql)."""
    if kind == "folder":
        (store.library_dir() / f"{sid}.yaml").write_bytes(body)
        return
    import psycopg

    with psycopg.connect(store.store_url(), autocommit=True) as conn:
        store.list_entries()  # the tables exist once the store has been used
        sql = "INSERT INTO nq57_scenario (id, body) VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET body = excluded.body"
        conn.execute(sql, (sid, body))


@contextlib.contextmanager
def counted_queries() -> Iterator[list[tuple[str, int]]]:
    """Every statement sent to PostgreSQL meanwhile (from any thread of this process), with its row count."""
    import psycopg

    seen: list[tuple[str, int]] = []
    execute = psycopg.Connection.execute

    def counting(self: psycopg.Connection, query: object, *args: object, **kwargs: object) -> psycopg.Cursor:
        cursor = execute(self, query, *args, **kwargs)
        seen.append((str(query), cursor.rowcount))
        return cursor

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(psycopg.Connection, "execute", counting)
        yield seen


@contextlib.contextmanager
def counted_opens() -> Iterator[list[Path]]:
    """Every file opened through pathlib meanwhile (the folder library reads its files so)."""
    seen: list[Path] = []
    open_ = Path.open

    def counting(self: Path, *args: object, **kwargs: object) -> object:
        seen.append(self)
        return open_(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "open", counting)
        yield seen
