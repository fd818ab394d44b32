"""The current scenario's identity and its one label; effects with reasons (framework-free)."""

from __future__ import annotations

from dataclasses import replace

from sim import engine
from sim.params import Text
from sim.scenario import baseline, load_scenario
from sim.targets import evaluate
from sim.views.current import VIA_CHEAPEST_MIX, VIA_GOAL_SEEK, VIA_LINK, Current, label
from sim.views.effects import effects, missed

RES57 = load_scenario("scenarios/resolution57.yaml")
BASE = baseline()


def test_an_unchanged_library_scenario_keeps_its_name():
    cur = Current.of_start(RES57, "resolution57")
    assert not cur.edited and cur.saved
    assert label(cur, "en") == "Resolution 57 path" and label(cur, "vi") == "Lộ trình Nghị quyết 57"
    assert cur.named().name == RES57.name


def test_an_edited_scenario_never_carries_its_sources_name():
    cur = Current.of_start(BASE, None).edit(BASE.with_changes(stid_budget_share=4.0))
    assert cur.edited and not cur.saved and not cur.is_baseline
    assert label(cur, "vi") == "Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước"
    assert label(cur, "en") == "Unsaved – edited from Baseline – Bình Phước"
    # the name every export reads is the label, in both languages
    assert cur.named().name == Text(vi=label(cur, "vi"), en=label(cur, "en"))


def test_baseline_names_only_the_profiles_defaults():
    # edited away from Resolution 57 back to every default: that is the baseline, whatever it came from
    cur = Current.of_start(RES57, "resolution57").edit(replace(RES57, levers={}, assumptions={}))
    assert cur.is_baseline and label(cur, "en") == "Baseline – Bình Phước"
    # Resolution 57 content is never called the baseline
    cur = Current.of_start(BASE, None).edit(replace(BASE, levers=RES57.levers))
    assert "Baseline" in label(cur, "en") and label(cur, "en").startswith("Unsaved")


def test_how_the_content_was_set_is_named_until_the_next_edit():
    answer = BASE.with_changes(stid_budget_share=3.8)
    cur = Current.of_start(BASE, None).applied(answer, VIA_GOAL_SEEK)
    assert label(cur, "en") == "Unsaved – goal-seek answer on Baseline – Bình Phước"
    assert (
        label(cur.applied(answer, VIA_CHEAPEST_MIX), "vi")
        == "Chưa lưu – phương án rẻ nhất trên Kịch bản cơ sở – Bình Phước"
    )
    assert label(cur.applied(answer, VIA_LINK), "en").startswith("Unsaved – shared link based on")
    moved = cur.edit(answer.with_changes(stid_budget_share=3.9))
    assert label(moved, "en") == "Unsaved – edited from Baseline – Bình Phước"


def test_effects_name_the_target_and_the_driver():
    # raising public R&D alone: the non-state share (≥ 60 % rule) is lost because public R&D grew faster
    before = engine.run(BASE)
    after_s = BASE.with_changes(stid_budget_share={2025: 1.0, 2030: 3.5})
    after = engine.run(after_s)
    prof = BASE.profile
    rule = prof.target("rd_nonstate_share_2030")
    assert bool(evaluate(before, rule).met[0]) and not bool(evaluate(after, rule).met[0])
    lines = {e.target.id: e for e in effects(before, after, prof, "en")}
    eff = lines["rd_nonstate_share_2030"]
    assert not eff.met_after
    pub = after.at("R&D|Public", 2030)[0] / before.at("R&D|Public", 2030)[0]
    non = after.at("R&D|Non-state", 2030)[0] / before.at("R&D|Non-state", 2030)[0]
    assert pub > non  # by the engine's numbers, so the sentence below is the true one
    assert "public R&D grew faster than non-state R&D" in eff.line("en")
    assert eff.line("vi").startswith(rule.label.vi + ": không còn đạt")
    # every target whose state changed is listed, no other
    changed = {t.id for t in prof.targets if bool(evaluate(before, t).met[0]) != bool(evaluate(after, t).met[0])}
    assert set(lines) == changed
    assert missed(after, prof, exclude="digital_share_2030") == [
        t for t in prof.targets if t.id != "digital_share_2030" and not bool(evaluate(after, t).met[0])
    ]


def test_the_meeting_pack_is_titled_with_the_truthful_name():
    from sim.report.pack import build_pack

    cur = Current.of_start(BASE, None).edit(BASE.with_changes(stid_budget_share=4.0))
    assert (
        build_pack(cur.named(), [], "vi").title
        == "Gói tài liệu cuộc họp – Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước"
    )
    assert build_pack(cur.named(), [], "en").title == "Meeting pack – Unsaved – edited from Baseline – Bình Phước"
