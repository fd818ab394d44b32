"""The Scenarios page (AppTest) lists the library from one read: a run costs the same with 2 or 20 scenarios,
on PostgreSQL (queries) and on the folder (files opened); the times it shows are Vietnam time, a time
without a zone taken as UTC."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace

import pytest
from store_helpers import counted_opens, counted_queries
from streamlit.testing.v1 import AppTest
from test_library_history import LIBRARY, open_page

from sim import store
from sim.params import Text
from sim.scenario import baseline
from ui.safe import shown


def _save(n: int, start: int = 0, approved: int = 0) -> list[str]:
    plans = [
        replace(baseline(), name=Text(vi=f"Kế hoạch {i}", en=f"Plan {i}"), author="An") for i in range(start, start + n)
    ]
    ids = [store.save_new(p, by="An") for p in plans]
    for sid in ids[:approved]:
        store.approve(sid, by="Trưởng phòng")
    return ids


def _run_cost(at: AppTest, kind: str) -> int:
    """What one more run of the page reads: queries (PostgreSQL) or files opened (folder)."""
    with counted_queries() if kind == "postgresql" else counted_opens() as reads:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return len(reads)


@pytest.mark.parametrize("kind", ["folder", "postgresql"])
def test_a_run_of_the_page_reads_as_much_for_20_scenarios_as_for_2(kind, request, monkeypatch):
    if kind == "postgresql":
        monkeypatch.setenv(store.STORE_ENV, request.getfixturevalue("pg_url"))
    _save(2, approved=1)
    at = open_page(LIBRARY)
    small = _run_cost(at, kind)
    _save(18, start=2, approved=5)
    at.run()  # the new scenarios are read once
    large = _run_cost(at, kind)
    # Before one listing call served the page, each approved entry cost an approval read and each entry a
    # file read: 2 + 2 * 20 queries on PostgreSQL for this library.
    assert large == small
    captions = [shown(c.value) for c in at.caption]
    assert sum(c.startswith("Phê duyệt bởi Trưởng phòng, ") for c in captions) == 6
    dl = [b for b in at.get("download_button") if b.key == "lib_dl_ke-hoach-19"]
    assert len(dl) == 1 and not dl[0].disabled


def test_times_are_shown_in_vietnam_time_and_a_naive_time_is_utc(library):
    (sid,) = _save(1, approved=1)
    # 14:40 UTC on 1 December 2026 is 21:40 in Vietnam (UTC+7, no daylight saving).
    moment = dt.datetime(2026, 12, 1, 14, 40, tzinfo=dt.UTC)
    os.utime(library / f"{sid}.yaml", (moment.timestamp(), moment.timestamp()))
    log = library / store.TRASH_DIR / "approvals.jsonl"
    record = json.loads(log.read_text(encoding="utf-8"))
    log.write_text(json.dumps({**record, "at": "2026-12-01T14:40:00"}) + "\n", encoding="utf-8")  # no zone
    version = library / ".history" / sid / "v000001.json"
    saved = json.loads(version.read_text(encoding="utf-8"))
    version.write_text(json.dumps({**saved, "at": "2026-12-01T14:40:00"}), encoding="utf-8")  # no zone

    at = open_page(LIBRARY)
    captions = [shown(c.value) for c in at.caption]
    assert f"An · 01/12/2026 21:40 · `{sid}`" in "\n".join(captions)
    assert any(c.startswith("Phê duyệt bởi Trưởng phòng, ") and c.endswith("01/12/2026 21:40") for c in captions), (
        captions
    )
    at.button(key=f"lib_hist_{sid}").click().run()
    panel = shown(" ".join(m.value for m in at.markdown))
    assert "**v1** · An · 01/12/2026 21:40" in panel
