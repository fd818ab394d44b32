"""The scenario library (sim.store): round trips, clashes, read-only files, trash, traversal, concurrency.

Every test taking ``kind`` runs twice: on the folder library and on a real PostgreSQL database (the
``pg_url`` fixture); the same calls must give the same results. Tests taking ``lib`` are about the
folder's own edges (files, links, permissions).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from store_helpers import plan, put_raw, state

from sim import store
from sim.errors import InputError
from sim.params import Text
from sim.scenario import load_scenario, loads
from sim.store import folder as folder_backend

ROOT = Path(__file__).resolve().parents[1]
PRESETS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (hidden ones and the trash included) with its bytes; the lock file is
    bookkeeping, not content."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != store.LOCK_FILE
    }


def test_library_folder_follows_the_environment(lib):
    assert store.library_dir() == lib.resolve()
    assert {e.id for e in store.list_entries()} == set(PRESETS)


def test_save_then_load_round_trip(kind, lib):
    s = plan()
    sid = store.save_new(s)
    assert sid == "ke-hoach-thu"
    got = store.load(sid)
    assert got == s  # name, region, description, author, status draft, every lever and assumption
    assert got.content_hash() == s.content_hash()
    if kind == "folder":
        assert store.export_yaml(sid) == (lib / "ke-hoach-thu.yaml").read_bytes()
    assert loads(store.export_yaml(sid)) == s


def test_a_new_save_is_a_draft_even_from_an_approved_scenario(kind, lib):
    sid = store.save_new(plan(status="approved"))
    assert store.load(sid).status == "draft"
    assert not store.entry(sid).read_only


def test_name_clash_never_overwrites(kind, lib):
    first = store.save_new(plan(author="A"))
    before = store.export_yaml(first)
    second = store.save_new(plan(author="B"))
    third = store.save_new(plan(author="C"))
    assert (first, second, third) == ("ke-hoach-thu", "ke-hoach-thu-2", "ke-hoach-thu-3")
    assert store.export_yaml(first) == before
    assert [store.load(i).author for i in (first, second, third)] == ["A", "B", "C"]
    assert store.load(second).name == Text(vi="Kế hoạch thử (2)", en="Kế hoạch thử (2)")


def test_a_name_that_clashes_with_a_preset_gets_its_own_file(kind, lib):
    preset = store.export_yaml("baseline")
    sid = store.save_new(plan(name="Baseline"))
    assert sid == "baseline-2"
    assert store.export_yaml("baseline") == preset == (ROOT / "scenarios" / "baseline.yaml").read_bytes()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Lộ trình Nghị quyết 57 – Đồng Nai", "lo-trinh-nghi-quyet-57-dong-nai"),
        ("ĐỔI MỚI sáng tạo 2030!", "doi-moi-sang-tao-2030"),
        ("Kịch bản: 3,5 % / năm", "kich-ban-3-5-nam"),
        ("../../etc/passwd", "etc-passwd"),
        ("数字经济", "scenario"),
        ("!!!", "scenario"),
    ],
)
def test_unicode_and_odd_names_are_slugged(kind, lib, name, slug):
    sid = store.save_new(plan(name=name))
    assert sid == slug
    assert store.load(sid).name.vi == name
    assert {e.id for e in store.list_entries()} == {*PRESETS, slug}


def test_very_long_names_are_cut_for_the_file_and_refused_beyond_the_limit(kind, lib):
    sid = store.save_new(plan(name="Kịch bản " * 20))
    assert len(sid) <= store.SLUG_LENGTH and sid.startswith("kich-ban-kich-ban")
    before = state()
    with pytest.raises(InputError, match="longer than 200"):
        store.save_new(plan(name="x" * 201))
    with pytest.raises(InputError, match="needs a name"):
        store.save_new(plan(name="   "))
    assert state() == before


# ----------------------------------------------------------------- read-only files


def test_presets_are_listed_as_read_only(kind, lib):
    entries = {e.id: e for e in store.list_entries()}
    for pid in PRESETS:
        assert entries[pid].preset and entries[pid].read_only and entries[pid].status == "approved"
    sid = store.save_new(plan())
    e = store.entry(sid)
    assert not e.preset and not e.read_only and e.author == "Sở Tài chính" and e.region == "binh-phuoc"
    assert store.list_entries()[0].id == sid  # users' own scenarios come first


def test_editing_a_preset_saves_a_copy(kind, lib):
    before = state()
    changed = store.load("resolution57").with_changes(rd_share_of_stid=30.0)
    new_id = store.update("resolution57", changed)
    assert new_id != "resolution57"
    assert store.export_yaml("resolution57") == before["entries"]["resolution57"]
    copy = store.load(new_id)
    assert copy.status == "draft" and copy.levers["rd_share_of_stid"] == 30.0
    assert copy.name.en == "Resolution 57 path (2)"


def test_presets_cannot_be_renamed_or_deleted(kind, lib):
    before = state()
    with pytest.raises(store.ReadOnlyError):
        store.rename("resolution57", "Mới")
    with pytest.raises(store.ReadOnlyError):
        store.delete("baseline")
    assert state() == before


def test_an_upload_cannot_approve_itself(kind, lib):
    data = plan(name="Đã duyệt", status="approved").to_yaml().encode()
    got = store.import_upload(data, "da-duyet.yaml")
    assert got.claimed_approval
    assert store.load(got.id).status == "draft" and not store.entry(got.id).read_only
    # Editing it is editing a draft (in place); an update does not approve it either.
    assert store.update(got.id, plan(name="Đã duyệt", status="approved")) == got.id
    assert store.load(got.id).status == "draft"


def test_an_approved_scenario_is_read_only_and_stays(kind, lib):
    sid = store.approve(store.save_new(plan(name="Kế hoạch duyệt")), by="Trưởng phòng")
    (record,) = store.approvals(sid)
    assert record["by"] == "Trưởng phòng" and record["hash"] == store.load(sid).content_hash()
    draft = store.save_new(plan(name="Chưa duyệt"))
    with pytest.raises(InputError, match="approver"):
        store.approve(draft, by=" ")
    assert store.load(draft).status == "draft" and store.approvals(draft) == []
    assert store.entry(sid).read_only and not store.entry(sid).preset
    with pytest.raises(store.ReadOnlyError):
        store.rename(sid, "Khác")
    with pytest.raises(store.ReadOnlyError, match="cannot be deleted"):
        store.delete(sid)
    kept = store.load(sid)
    copy = store.update(sid, plan(name="Kế hoạch duyệt").with_changes(stid_budget_share=1.0))
    assert copy != sid and store.load(copy).status == "draft"
    assert store.load(sid) == kept  # same numbers, same approval
    # An upload of the same name and id with other numbers becomes a numbered draft beside it.
    other = plan(name="Kế hoạch duyệt", status="approved").with_changes(stid_budget_share=2.0)
    up = store.import_upload(other.to_yaml().encode(), f"{sid}.yaml")
    assert up.id != sid and store.load(up.id).name.vi.endswith(")")
    assert store.load(sid) == kept


# ----------------------------------------------------------------- changing drafts


def test_updating_a_draft_keeps_the_previous_version_in_the_trash(kind, lib):
    sid = store.save_new(plan())
    old = store.export_yaml(sid)
    assert store.update(sid, plan().with_changes(inflation=5.0)) == sid
    assert store.load(sid).assumptions["inflation"] == 5.0
    (kept,) = store.list_trash()
    assert kept.reason == "replaced" and kept.original_id == sid
    if kind == "folder":
        assert (lib / ".trash" / f"{kept.id}.yaml").read_bytes() == old
    # The original id is taken, so the old version comes back as a numbered copy; nothing is overwritten.
    now = store.export_yaml(sid)
    back = store.restore(kept.id)
    assert back == f"{sid}-2"
    assert store.export_yaml(sid) == now
    assert store.load(back).assumptions["inflation"] == 3.5
    assert store.list_trash() == []


def test_update_of_a_deleted_scenario_writes_nothing(kind, lib):
    sid = store.save_new(plan())
    store.delete(sid)
    before = state()
    with pytest.raises(store.NotFoundError):
        store.update(sid, plan())
    assert state() == before


def test_rename_moves_the_file_to_the_new_name(kind, lib):
    sid = store.save_new(plan(name="Tên cũ"))
    new_id = store.rename(sid, "Tên mới")
    assert new_id == "ten-moi"
    assert sid not in {e.id for e in store.list_entries()}
    assert store.load(new_id).name == Text(vi="Tên mới", en="Tên mới")
    assert store.load(new_id).changes == plan().changes
    # Same slug: the file keeps its id, only the name changes.
    assert store.rename(new_id, "TÊN MỚI") == "ten-moi"
    assert store.load("ten-moi").name.vi == "TÊN MỚI"


def test_rename_onto_a_taken_name_numbers_it(kind, lib):
    store.save_new(plan(name="Một"))
    other = store.save_new(plan(name="Hai"))
    new_id = store.rename(other, "Một")
    assert new_id == "mot-2" and store.load(new_id).name.vi == "Một (2)"
    assert store.load("mot").name.vi == "Một"


def test_duplicate_makes_a_draft_copy_of_anything(kind, lib):
    sid = store.duplicate("private-mobilisation", "Bản sao của tôi")
    s = store.load(sid)
    assert s.status == "draft" and s.name.vi == "Bản sao của tôi"
    assert s.changes == store.load("private-mobilisation").changes


def test_delete_goes_to_the_trash_and_restores_byte_for_byte(kind, lib):
    sid = store.save_new(plan())
    data = store.export_yaml(sid)
    tid = store.delete(sid)
    assert sid not in {e.id for e in store.list_entries()}
    with pytest.raises(store.NotFoundError):
        store.load(sid)
    (t,) = store.list_trash()
    assert (t.id, t.original_id, t.reason, t.name.vi) == (tid, sid, "deleted", "Kế hoạch thử")
    assert store.restore(tid) == sid
    assert store.export_yaml(sid) == data
    assert store.list_trash() == []
    with pytest.raises(store.NotFoundError):
        store.restore(tid)


def test_restore_never_overwrites_a_newer_file(kind, lib):
    sid = store.save_new(plan(author="old"))
    tid = store.delete(sid)
    again = store.save_new(plan(author="new"))
    assert again == sid
    newer = store.export_yaml(sid)
    back = store.restore(tid)
    assert back != sid
    assert store.export_yaml(sid) == newer
    assert store.load(back).author == "old"


# ----------------------------------------------------------------- ids that try to leave the folder

BAD_IDS = [
    "../x",
    "../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".hidden",
    ".trash",
    "",
    "x" * 200,
    "a\x00b",
    "ok\n",
    "name.yaml",
]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_cannot_reach_outside_the_library(kind, lib, tmp_path, bad):
    outside, before = snapshot(tmp_path), state()
    for call in (
        lambda: store.load(bad),
        lambda: store.export_yaml(bad),
        lambda: store.update(bad, plan()),
        lambda: store.rename(bad, "x"),
        lambda: store.delete(bad),
        lambda: store.duplicate(bad, "x"),
        lambda: store.restore(bad),
    ):
        with pytest.raises(InputError):
            call()
    assert snapshot(tmp_path) == outside and state() == before


def test_a_symbolic_link_out_of_the_library_is_refused(lib, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_bytes(plan(name="Bí mật").to_yaml().encode())
    (lib / "evil.yaml").symlink_to(secret)
    with pytest.raises(InputError, match="is a link"):
        store.load("evil")
    assert "evil" not in {e.id for e in store.list_entries()}


def test_a_broken_file_is_listed_with_its_problem(kind, lib):
    put_raw(kind, "broken", b"name: [unclosed\n")
    e = store.entry("broken")
    assert e.problem and "malformed YAML" in e.problem and "broken.yaml" in e.problem
    with pytest.raises(InputError):
        store.load("broken")
    store.delete("broken")  # a broken file can still be cleared away (to the trash)
    assert store.list_trash()[0].original_id == "broken"


def test_the_pickers_read_names_a_broken_file_and_offers_only_readable_ones(kind, lib):
    put_raw(kind, "broken", b"name: [unclosed\n")
    bad = store.unreadable()
    assert [e.id for e in bad] == ["broken"] and "malformed YAML" in (bad[0].problem or "")
    assert "broken" not in store.readable() and set(PRESETS) <= set(store.readable())


# ----------------------------------------------------------------- uploads

BAD_UPLOADS = [
    (b"", "empty"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"name: [unclosed", "malformed YAML"),
    (b"name: x\nbase: &a 1\nother: *a\n", "aliases"),
    (b"name: x\ncolour: blue\n", "unknown key"),
    (b"name: x\nlevers: {stid_budget_share: 50}\n", "outside the allowed range"),
    (b"name: x\nregion: atlantis\n", "unknown region"),
    (b"name: x\nlevers: {stid_budget_share: {1999: 2}}\n", "outside 2024..2045"),
    (b"!!python/object:os.system {}\n", "not allowed"),
    (b"name: x\n# " + b"a" * 1_000_001, "limit"),
]


@pytest.mark.parametrize(("data", "problem"), BAD_UPLOADS)
def test_a_bad_upload_raises_a_plain_message_and_saves_nothing(kind, lib, data, problem):
    before = state()
    with pytest.raises(InputError) as err:
        store.import_upload(data, "C:\\Users\\me\\ke-hoach.yaml")
    msg = str(err.value)
    assert problem in msg and msg.startswith("ke-hoach.yaml")  # names the file, not the uploader's path
    assert "Traceback" not in msg
    assert state() == before


def test_a_good_upload_is_added_as_a_draft(kind, lib):
    data = (ROOT / "scenarios" / "resolution57.yaml").read_bytes()
    sid = store.import_upload(data, "resolution57.yaml").id
    # The preset shows the same name, so the upload is numbered; the preset's own file is untouched.
    assert sid == "lo-trinh-nghi-quyet-57-2"
    assert store.load(sid).name.en == "Resolution 57 path (2)"
    assert store.load(sid).changes == load_scenario(ROOT / "scenarios" / "resolution57.yaml").changes
    assert not store.entry(sid).read_only  # the preset is approved; its uploaded copy is not


# ----------------------------------------------------------------- concurrency

WRITERS, SAVES = 8, 20


def _save_many(folder: str, worker: int, barrier: mp.synchronize.Barrier) -> None:
    os.environ[store.LIBRARY_ENV] = folder
    barrier.wait()  # every writer starts at the same moment
    for i in range(SAVES):
        store.save_new(plan(name="Cùng một tên", description=Text(vi=f"w{worker}-{i}", en=f"w{worker}-{i}")))


def test_concurrent_writers_lose_nothing(kind, lib):
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WRITERS)
    procs = [ctx.Process(target=_save_many, args=(str(lib), w, barrier)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    saved = [e.id for e in store.list_entries() if e.id.startswith("cung-mot-ten")]
    assert len(saved) == len(set(saved)) == WRITERS * SAVES
    notes = sorted(store.load(sid).description.vi for sid in saved)  # every one parses
    assert notes == sorted(f"w{w}-{i}" for w in range(WRITERS) for i in range(SAVES))  # each save exactly once
    names = {store.load(sid).name.vi for sid in saved}
    assert len(names) == WRITERS * SAVES  # and each can be told apart
    assert all([v.n for v in store.history(sid)] == [1] for sid in saved)
    assert not [p for p in lib.rglob("*") if p.name.endswith(".tmp")]


def _update_many(folder: str, sid: str, worker: int, barrier: mp.synchronize.Barrier) -> None:
    os.environ[store.LIBRARY_ENV] = folder
    barrier.wait()
    for i in range(10):
        store.update(sid, plan(description=Text(vi=f"u{worker}-{i}", en=f"u{worker}-{i}")))


def test_concurrent_updates_keep_every_version(kind, lib):
    sid = store.save_new(plan(description=Text(vi="v0", en="v0")))
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_update_many, args=(str(lib), sid, w, barrier)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    expected = sorted(["v0", *(f"u{w}-{i}" for w in range(4) for i in range(10))])
    history = store.history(sid)
    assert [v.n for v in history] == list(range(1, 42))  # one version a save, numbered without a gap
    assert sorted(store.load_version(sid, v.n).description.vi for v in history) == expected
    assert store.load(sid).description.vi == store.load_version(sid, 41).description.vi
    assert len(store.list_trash()) == 40  # and each replaced version in the trash, as before


def _save_vi_names(folder: str, worker: int, barrier: mp.synchronize.Barrier) -> None:
    os.environ[store.LIBRARY_ENV] = folder
    barrier.wait()
    for i in range(SAVES):
        # Every name differs in Vietnamese (so the ids differ) and is the same in English.
        store.save_new(replace(plan(), name=Text(vi=f"Tên riêng {worker}-{i}", en="Shared English name")))


def test_concurrent_saves_of_names_differing_only_in_vietnamese_get_distinct_numbers(kind, lib):
    ctx = mp.get_context("fork")
    writers = 4
    barrier = ctx.Barrier(writers)
    procs = [ctx.Process(target=_save_vi_names, args=(str(lib), w, barrier)) for w in range(writers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    english = [e.name.en for e in store.list_entries() if e.name.en.startswith("Shared English name")]
    assert len(english) == writers * SAVES
    assert sorted(english) == sorted(
        ["Shared English name"] + [f"Shared English name ({n})" for n in range(2, writers * SAVES + 1)]
    )


# ----------------------------------------------------------------- the folder's edges


def test_stale_temporary_files_are_removed_and_never_listed(lib):
    old, fresh = lib / ".plan.yaml.abc123.tmp", lib / ".plan.yaml.def456.tmp"
    for f in (old, fresh):
        f.write_text("name: half writ", encoding="utf-8")
    an_hour_ago = os.path.getmtime(old) - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert not [e for e in store.list_entries() if "tmp" in e.id]
    store.save_new(plan())  # any write tidies up
    assert not old.exists()
    assert fresh.exists()  # it may be a write in progress


def test_a_symlinked_trash_is_never_followed(lib, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    sid = store.save_new(plan())
    shutil.rmtree(lib / ".trash", ignore_errors=True)
    (lib / ".trash").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InputError, match="trash folder is a link"):
        store.delete(sid)
    assert (lib / f"{sid}.yaml").exists() and list(outside.iterdir()) == []
    assert store.list_trash() == []


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "LPT9", "aux", "prn", "COM²"])
def test_reserved_windows_names_are_refused_as_ids(kind, lib, name):
    with pytest.raises(InputError, match="Windows reserves"):
        store.check_id(name)
    with pytest.raises(InputError):
        store.load(name)
    sid = store.save_new(plan(name=name))
    assert sid.casefold() not in store.RESERVED_IDS and store.load(sid).name.vi == name


def test_a_read_only_library_says_so(lib, monkeypatch):
    def refuse(path, *args, **kwargs):  # what a read-only share does to the temporary file
        raise PermissionError(13, "Permission denied", str(Path(path).parent / ".ke-hoach.yaml.x1y2.tmp"))

    monkeypatch.setattr(folder_backend, "atomic_write", refuse)
    with pytest.raises(store.ReadOnlyLibraryError) as err:
        store.save_new(plan())
    msg = str(err.value)
    assert "read-only" in msg and str(lib) in msg and ".tmp" not in msg


# ----------------------------------------------------------------- the setting


def test_an_unknown_store_setting_is_refused_by_name(lib, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, "mysql://db.internal/nq57")
    with pytest.raises(InputError, match=r"NQ57_STORE_URL: must be empty .* or a postgresql:// address"):
        store.list_entries()


def test_an_unreachable_database_says_so_without_its_password(lib, monkeypatch):
    monkeypatch.setenv(store.STORE_ENV, "postgresql://nq57:bi-mat-123@127.0.0.1:1/nq57?connect_timeout=2")
    with pytest.raises(store.LibraryUnavailableError) as err:
        store.save_new(plan())
    msg = str(err.value)
    assert "cannot be reached" in msg and "127.0.0.1:1/nq57" in msg and "bi-mat-123" not in msg
