"""Version history (sim.store + sim.history), on both back-ends: every save kept with who, when and what
changed; any version opened or brought back without losing the ones after it."""

from __future__ import annotations

import datetime as dt

import pytest
from store_helpers import plan, put_raw

from sim import store
from sim.history import Change, action_text, change_text, diff
from sim.params import schema


def test_every_save_is_a_version_with_who_when_and_the_parameter_changes(kind):
    before = dt.datetime.now(dt.UTC)
    sid = store.save_new(plan(), by="An")
    # 2030 of the envelope path 3.5 -> 4; inflation 3.5 -> 5: two changes, nothing else.
    second = plan().with_changes(stid_budget_share={2024: 1.0, 2026: 3.0, 2030: 4.0}, inflation=5.0)
    store.update(sid, second, by="Bình")
    # A new breakpoint in 2028 on the line from 2026 (3) to 2030 (4): it was 3.5 there, now 3.8.
    third = second.with_changes(stid_budget_share={2024: 1.0, 2026: 3.0, 2028: 3.8, 2030: 4.0})
    store.update(sid, third, by="Chi")
    store.approve(sid, by="Trưởng phòng")

    history = store.history(sid)
    assert [(v.n, v.by, v.action) for v in history] == [
        (1, "An", "saved"),
        (2, "Bình", "updated"),
        (3, "Chi", "updated"),
        (4, "Trưởng phòng", "approved"),
    ]
    assert all(before <= v.at <= dt.datetime.now(dt.UTC) for v in history)
    assert history[0].changes == ()
    assert history[1].changes == (
        Change("stid_budget_share", 2030, 3.5, 4.0),
        Change("inflation", None, 3.5, 5.0),
    )
    assert history[2].changes == (Change("stid_budget_share", 2028, 3.5, 3.8),)
    assert history[3].changes == (Change("status", None, "draft", "approved"),)
    assert history[3].content_hash == history[2].content_hash == store.load(sid).content_hash()
    # the panel asks for the last ones only: the same versions, the first still saying what changed
    assert store.history(sid, last=2) == history[2:]


def test_an_old_version_opens_and_comes_back_as_a_new_version(kind):
    sid = store.save_new(plan(), by="An")
    store.update(sid, plan().with_changes(inflation=5.0), by="Bình")
    store.update(sid, plan().with_changes(inflation=6.0), by="Chi")
    assert store.load_version(sid, 1).assumptions["inflation"] == 3.5
    assert store.load_version(sid, 2).assumptions["inflation"] == 5.0

    assert store.restore_version(sid, 1, by="Dung") == sid
    assert store.load(sid).assumptions["inflation"] == 3.5
    history = store.history(sid)
    assert [(v.n, v.by, v.action, v.restored_from) for v in history][-1] == (4, "Dung", "restored", 1)
    assert history[-1].changes == (Change("inflation", None, 6.0, 3.5),)
    # Nothing after version 1 was lost.
    assert [store.load_version(sid, n).assumptions["inflation"] for n in (1, 2, 3, 4)] == [3.5, 5.0, 6.0, 3.5]
    with pytest.raises(store.NotFoundError):
        store.load_version(sid, 9)


def test_restoring_a_version_of_an_approved_scenario_saves_a_draft_copy(kind):
    sid = store.save_new(plan(), by="An")
    store.update(sid, plan().with_changes(inflation=5.0), by="Bình")
    store.approve(sid, by="Trưởng phòng")
    approved = store.export_yaml(sid)
    copy = store.restore_version(sid, 1, by="Dung")
    assert copy != sid and store.export_yaml(sid) == approved and len(store.history(sid)) == 3
    assert store.load(copy).status == "draft" and store.load(copy).assumptions["inflation"] == 3.5


def test_a_scenario_saved_before_history_has_one_version_and_its_first_edit_keeps_it(kind):
    preset = store.history("resolution57")
    assert [(v.n, v.action) for v in preset] == [(1, "saved")]
    assert store.load_version("resolution57", 1) == store.load("resolution57")
    # A draft copied into the library by hand: editing it records the copy as version 1 first.
    put_raw(kind, "ban-tay", plan(name="Bản tay", author="Giang").to_yaml().encode())
    store.update("ban-tay", plan(name="Bản tay", author="Giang").with_changes(inflation=4.0), by="Hà")
    assert [(v.n, v.by) for v in store.history("ban-tay")] == [(1, "Giang"), (2, "Hà")]
    assert store.history("ban-tay")[1].changes == (Change("inflation", None, 3.5, 4.0),)


def test_a_change_made_outside_the_app_is_kept_as_a_version_before_the_next_save(kind):
    sid = store.save_new(plan(), by="An")
    put_raw(kind, sid, plan().with_changes(inflation=4.5).to_yaml().encode())  # edited on the shared drive
    store.update(sid, plan().with_changes(inflation=5.0), by="Bình")
    history = store.history(sid)
    assert [(v.n, v.action) for v in history] == [(1, "saved"), (2, "edited"), (3, "updated")]
    assert [v.changes for v in history[1:]] == [
        (Change("inflation", None, 3.5, 4.5),),
        (Change("inflation", None, 4.5, 5.0),),
    ]


def test_the_history_follows_a_rename_and_survives_the_trash(kind):
    sid = store.save_new(plan(name="Tên cũ"), by="An")
    store.update(sid, plan(name="Tên cũ").with_changes(inflation=5.0), by="An")
    new_id = store.rename(sid, "Tên mới", by="Bình")
    assert [(v.n, v.action) for v in store.history(new_id)] == [(1, "saved"), (2, "updated"), (3, "renamed")]
    assert store.history(new_id)[2].changes == (Change("name", None, "Tên cũ", "Tên mới"),)

    tid = store.delete(new_id)
    # A new scenario under the same id starts its own history.
    again = store.save_new(plan(name="Tên mới"), by="Chi")
    assert again == new_id and [v.by for v in store.history(again)] == ["Chi"]
    store.delete(again)
    # The first one's trash entry comes back under its id; its own history is set aside, not mixed in.
    assert store.restore(tid, by="Dung") == new_id
    assert [v.action for v in store.history(new_id)][-1] == "untrashed"


def test_history_of_a_missing_scenario_is_not_found(kind):
    with pytest.raises(store.NotFoundError):
        store.history("khong-co")
    with pytest.raises(store.NotFoundError):
        store.restore_version("khong-co", 1)


# ----------------------------------------------------------------- the changes in words


def test_a_path_change_reads_with_the_parameter_label_its_year_and_unit():
    p = schema()["stid_budget_share"]
    change = Change("stid_budget_share", 2030, 3.5, 4.0)
    assert change_text(change, "vi") == f"{p.label('vi')} 2030: 3,5 → 4 ({p.unit('vi')})"
    assert change_text(change, "en") == f"{p.label('en')} 2030: 3.5 → 4 ({p.unit('en')})"


def test_a_choice_and_the_status_read_as_words():
    rule = schema()["rule_mode"]
    got = change_text(Change("rule_mode", None, "report", "cap_public"), "en")
    assert got == f"{rule.label('en')}: {rule.choice_label('report', 'en')} → {rule.choice_label('cap_public', 'en')}"
    assert change_text(Change("status", None, "draft", "approved"), "vi") == "Trạng thái: bản nháp → đã duyệt"


def test_action_words_name_the_version_restored():
    from sim.history import Version

    v = Version(4, "Dung", dt.datetime.now(dt.UTC), "restored", "x", (), restored_from=1)
    assert action_text(v, "en") == "restored from an earlier version (v1)"


def test_diff_ignores_float_noise_and_a_flat_path_equal_to_its_number():
    a = plan().with_changes(inflation=3.5, rd_share_of_stid=30.0)
    b = plan().with_changes(inflation=3.5 + 1e-12, rd_share_of_stid={2026: 30.0, 2035: 30.0})
    assert diff(a, b) == ()
    assert diff(a, b.with_changes(rd_share_of_stid={2026: 30.0, 2035: 40.0})) == (
        Change("rd_share_of_stid", 2035, 30.0, 40.0),
    )
    assert diff(plan(name="A"), plan(name="B")) == (Change("name", None, "A", "B"),)
