"""What a listing and a write cost, on both back-ends: the library page's listing is one query (one pass over
the folder) however many scenarios there are, and a write reads the last version, not the whole history.
Also the names a write stores, normalised once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from store_helpers import counted_opens, counted_queries, plan

from sim import store
from sim.errors import InputError
from sim.params import Text
from sim.store import folder as folder_backend


def _library_of(n: int, approved: int = 0) -> list[str]:
    """``n`` drafts saved by hand-picked people; the first ``approved`` of them approved by Trưởng phòng."""
    ids = [store.save_new(plan(name=f"Kế hoạch {i}"), by="An") for i in range(n)]  # a clash numbers the name
    for sid in ids[:approved]:
        store.approve(sid, by="Trưởng phòng")
    return ids


def _listing_cost(kind: str) -> int:
    """What one more listing reads: queries sent (PostgreSQL), files opened (folder)."""
    if kind == "postgresql":
        with counted_queries() as queries:
            store.list_entries()
        return len(queries)
    with counted_opens() as opened:
        store.list_entries()
    return len(opened)


def test_a_listing_costs_the_same_for_2_and_20_scenarios(kind):
    _library_of(2, approved=1)
    store.list_entries()  # the process has read every file once: a listing then reads only what changed
    small = _listing_cost(kind)
    _library_of(18, approved=5)
    store.list_entries()
    large = _listing_cost(kind)
    # One query on PostgreSQL (the scenarios with their last approvals); on the folder, the approval log
    # (the files are listed in one pass and read again only when changed). Before: 1 + 2 per entry.
    assert small == large == 1
    entries = store.list_entries()
    assert len(entries) >= 20 and sum(e.approved_by != "" for e in entries) == 6


def test_what_the_simulate_page_reads_leaves_the_approvals_out(kind):
    """Simulate and Compare pick scenarios on every rerun: their reads send one query on PostgreSQL (the
    scenarios, no approvals joined) and open no file on the folder once the files are known."""
    _library_of(3, approved=2)
    store.readable(), store.unreadable()  # the process has read every file once
    if kind == "postgresql":
        with counted_queries() as queries:
            store.readable()
            store.unreadable()
        assert len(queries) == 2 and not any("approval" in str(q).lower() for q in queries)
    else:
        with counted_opens() as opened:
            store.readable()
            store.unreadable()
        assert opened == []


def test_a_listing_carries_the_last_approval_and_the_file_of_every_entry(kind):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    approved, draft = _library_of(2, approved=1)
    entries = {e.id: e for e in store.list_entries()}
    assert entries[approved].approved_by == "Trưởng phòng" and before <= entries[approved].approved_at
    assert entries[approved].approved_at <= dt.datetime.now(dt.UTC)
    assert entries[draft].approved_by == "" and entries[draft].approved_at is None
    assert entries["baseline"].approved_by == ""  # approved when shipped, never in the library
    for e in entries.values():
        assert e.body == store.export_yaml(e.id)
        assert e.modified.tzinfo is not None  # UTC, whatever the server's clock


def test_readable_parses_each_file_once(kind, monkeypatch):
    _library_of(3)
    calls: list[str] = []
    parse = store._parse

    def counting(sid: str, body: bytes):
        calls.append(sid)
        return parse(sid, body)

    monkeypatch.setattr(store, "_parse", counting)
    got = store.readable()
    assert sorted(calls) == sorted(got) and len(got) == len(store.list_entries())


def _history_read(kind: str, monkeypatch: pytest.MonkeyPatch, sid: str, inflation: float) -> int:
    """How much one update of ``sid`` reads: version files (folder), rows read or written (PostgreSQL)."""
    content = replace(store.load(sid).with_changes(inflation=inflation), status="draft")
    if kind == "folder":
        read = folder_backend._read_version
        seen: list[object] = []
        monkeypatch.setattr(folder_backend, "_read_version", lambda path: seen.append(path) or read(path))
        store.update(sid, content, by="Bình")
        monkeypatch.setattr(folder_backend, "_read_version", read)
        return len(seen)
    with counted_queries() as queries:
        store.update(sid, content, by="Bình")
    return sum(rows for _, rows in queries)


def test_a_write_reads_the_last_version_not_the_whole_history(kind, monkeypatch):
    short = store.save_new(plan(name="Ngắn"), by="An")
    long = store.save_new(plan(name="Dài"), by="An")
    for i in range(12):
        store.update(long, plan(name="Dài").with_changes(inflation=4.0 + i / 10), by="An")
    assert len(store.history(long)) == 13
    assert _history_read(kind, monkeypatch, long, 9.0) == _history_read(kind, monkeypatch, short, 9.0)
    if kind == "folder":
        assert _history_read(kind, monkeypatch, long, 9.5) == 1
    else:
        store.update(long, store.load(long).with_changes(inflation=9.5), by="Bình")
    assert [(v.action, v.by) for v in store.history(long)][-2:] == [("updated", "Bình"), ("updated", "Bình")]
    assert store.load(long).assumptions["inflation"] == 9.5 and store.load(long).name.vi == "Dài"


def test_an_update_stores_the_name_trimmed_and_filled_in(kind):
    sid = store.save_new(plan(name="Kế hoạch thử"), by="An")
    store.update(sid, replace(plan(), name=Text(vi="  Kế hoạch thử ", en="")))
    assert store.load(sid).name == Text(vi="Kế hoạch thử", en="Kế hoạch thử")


def test_a_rename_to_a_blank_or_too_long_name_is_refused_and_changes_nothing(kind):
    sid = store.save_new(plan(), by="An")
    before = store.export_yaml(sid)
    for bad in ("   ", "x" * (store.MAX_NAME_LENGTH + 1)):
        with pytest.raises(InputError, match="name"):
            store.rename(sid, bad)
    assert store.export_yaml(sid) == before and len(store.history(sid)) == 1
