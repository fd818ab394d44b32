"""The presenter page (Trình chiếu / Present) in Streamlit's AppTest: stepping through the story."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sim.story
from sim.engine import run
from sim.scenario import baseline, load_scenario
from sim.story import build_steps, load_story
from sim.views.scorecard import kpis
from ui.safe import shown

ROOT = Path(__file__).resolve().parents[2]
PAGE = "ui/page_present.py"


@pytest.fixture(scope="module")
def steps():
    return build_steps(load_story(ROOT / "stories" / "binh-phuoc.yaml"))


def _open(lang: str = "vi") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    if lang != "vi":
        at.sidebar.segmented_control(key="lang").set_value(lang).run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


TILES = ("digital_share", "rd_intensity", "rd_nonstate_share", "envelope_cost")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """The KPI tiles on screen: metric id -> (value, change line), as a reader sees them."""
    block = next(h.value for h in at.html if 'class="nq-kpis"' in h.value)
    out = {}
    for tile in re.split(r'(?=<div class="nq-kpi")', block)[1:]:
        mid = re.search(r'data-kpi="([a-z_]+)_2030"', tile)[1]
        value = _text(re.search(r'<div class="nq-value">(.*?)</div>', tile)[1])
        delta = re.search(r'<div class="nq-delta[^"]*">(.*?)</div>', tile)
        out[mid] = (value, _text(delta[1]) if delta else "")
    return out


def _expected(step, previous, lang: str) -> dict[str, tuple[str, str]]:
    """KPI tiles computed here from the engine, as the page should show them."""
    res = run(step)
    words = {"vi": ("so với bước trước", "bằng bước trước"), "en": ("vs previous step", "same as the previous step")}
    vs, same = words[lang]
    out = {}
    for k in kpis(res, run(previous) if previous is not None else res, step.profile, 2030):
        if k.id not in TILES:
            continue
        delta = ""  # the first step has nothing before it
        if previous is not None:
            d = k.format_delta(lang)
            delta = f"= {same}" if d == "0" else f"{'▼' if d.startswith('−') else '▲'} {d} {vs}"
        out[k.id] = (k.format_value(lang), delta)
    return out


def _title(at: AppTest) -> str:
    return next(shown(m.value) for m in at.markdown if m.value.startswith("# "))


def test_the_first_step_shows_the_baseline(steps):
    at = _open()
    assert _title(at) == "# 1. Kịch bản cơ sở"
    assert any(m.value == "**Bước 1/4**" for m in at.markdown)
    assert _metrics(at) == _expected(steps[0], None, "vi")
    assert at.button(key="present_prev").disabled
    assert not at.button(key="present_next").disabled
    assert len(at.get("plotly_chart")) == 2


def test_next_and_previous_step_the_story(steps):
    at = _open()
    at.button(key="present_next").click().run()
    assert _title(at) == "# 2. Tăng ngân sách KH,CN,ĐMST&CĐS"
    # KPIs and their change against step 1, as the engine gives them.
    assert _metrics(at) == _expected(steps[1], steps[0], "vi")
    changes = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert changes == [
        "- **Ngân sách KH,CN,ĐMST&CĐS**: 1 % chi ngân sách → **2024: 1, 2026: 3, 2030: 3,5 (% chi ngân sách)**"
    ]
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert _title(at) == "# 4. Phương án rẻ nhất đạt các mục tiêu 2030"
    assert at.button(key="present_next").disabled
    assert _metrics(at) == _expected(steps[3], steps[2], "vi")
    # Every 2030 target tile of the last step is met.
    tiles = next(h.value for h in at.html if 'class="nq-kpis"' in h.value)
    assert tiles.count("nq-met") == 3 and "nq-unmet" not in tiles
    at.button(key="present_prev").click().run()
    assert _title(at) == "# 3. Huy động doanh nghiệp"
    assert _metrics(at) == _expected(steps[2], steps[1], "vi")


def test_replay_shows_the_previous_step_then_the_current_one(steps):
    at = _open("en")
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert at.session_state["present_shown"][-1] == 2
    at.button(key="present_replay").click().run()
    # The replay run showed step 2 (index 1), then reran and showed step 3 again.
    assert at.session_state["present_shown"][-3:] == [2, 1, 2]
    assert _title(at) == "# 3. Enterprises mobilised"
    assert at.session_state["present_step"] == 2
    assert at.session_state["present_replay_phase"] is None
    assert _metrics(at) == _expected(steps[2], steps[1], "en")


def test_the_current_scenario_can_be_presented():
    at = _open("en")
    at.session_state["scenario"] = load_scenario(ROOT / "scenarios" / "resolution57.yaml")  # as the Simulate page
    at.selectbox(key="present_story").set_value("current").run()
    assert not at.exception
    assert any(m.value == "**Step 1/2**" for m in at.markdown)
    assert _title(at) == f"# {baseline().name.en}"
    at.button(key="present_next").click().run()
    assert _title(at) == "# Resolution 57 path"
    assert at.button(key="present_next").disabled
    changes = next(m.value for m in at.markdown if m.value.startswith("- **")).splitlines()
    assert [c.split("**")[1] for c in changes] == ["S&T/innovation/DX budget envelope", "Enterprise R&D (mobilisation)"]


def test_an_edited_current_scenario_is_presented_under_its_truthful_name():
    at = _open("en")
    at.session_state["scenario"] = baseline().with_changes(stid_budget_share=4.0)  # moved from the baseline
    at.selectbox(key="present_story").set_value("current").run()
    assert not at.exception
    at.button(key="present_next").click().run()
    assert _title(at) == "# Unsaved – edited from Baseline – Bình Phước"
    assert _title(at) != f"# {baseline().name.en}"  # not presented as the baseline it no longer is


def test_dark_mode_and_the_scorecard_view():
    at = _open("en")
    at.toggle(key="present_dark").set_value(True).run()
    assert not at.exception
    assert any("#0f1217" in h.value for h in at.html)
    at.segmented_control(key="present_view").set_value("scorecard").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    table = at.table[0].value
    kinds = list(table["Kind"])
    assert kinds.count("Core model") == len(baseline().profile.targets)
    assert kinds.count("Modelled (illustrative)") == 6 and kinds.count("Entered") == 2
    assert any("Illustrative" in c.value for c in at.caption)


def test_an_entered_rank_reaches_the_scorecard():
    at = _open("en")
    at.segmented_control(key="present_view").set_value("scorecard").run()
    at.number_input(key="present_rank_dti_rank").set_value(3).run()
    at.segmented_control(key="present_rank_status_dti_rank").set_value("achieved").run()
    table = at.table[0].value
    dti = table[table["Kind"] == "Entered"].iloc[0]
    assert dti["Reached"] == "rank 3" and "met" in dti["Status"] and "not" not in dti["Status"]
    assert len(at.get("download_button")) == 2


def test_a_bad_story_file_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a-bad.yaml").write_text("title: x\nregion: binh-phuoc\nsteps: [{scenario: baseline}]\n")
    monkeypatch.setattr(sim.story, "STORY_DIR", folder)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert "a-bad.yaml: steps[0].title: a step needs a title" in at.error[0].value


def _viewer(tmp_path, monkeypatch, query: dict[str, str]) -> AppTest:
    """The Present page opened from a link (speaker view or follow link) on a library of its own."""
    monkeypatch.setenv("NQ57_SCENARIO_DIR", str(tmp_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page(PAGE)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_speaker_view_shows_the_presenter_s_step_notes_and_the_next_title(tmp_path, monkeypatch, steps):
    from sim import store

    monkeypatch.setenv("NQ57_SCENARIO_DIR", str(tmp_path))
    store.put_live("talk-1", {"story": "binh-phuoc", "step": 1, "started": time.time() - 125})
    at = _viewer(tmp_path, monkeypatch, {"view": "speaker", "channel": "talk-1"})
    text = shown(" ".join(m.value for m in at.markdown))
    assert "Bước 2/4: 2. Tăng ngân sách KH,CN,ĐMST&CĐS" in text and "**Tiếp theo:** 3. Huy động doanh nghiệp" in text
    envelope = float(run(steps[1]).at("Budget|STI and DX", 2030)[0])  # bn VND, written by hand below
    assert f"{round(envelope):,} tỷ đồng".replace(",", ".") in text  # the note filled from the engine
    assert re.search(r"\b2:[0-5]\d\b", text)  # the timer: two minutes and some since the presenter started
    assert not at.button  # the speaker view moves nothing


def test_a_follow_link_shows_the_presenter_s_step_read_only(tmp_path, monkeypatch, steps):
    from sim import store

    monkeypatch.setenv("NQ57_SCENARIO_DIR", str(tmp_path))
    store.put_live("talk-2", {"story": "binh-phuoc", "step": 2, "started": 0.0})
    at = _viewer(tmp_path, monkeypatch, {"follow": "talk-2"})
    assert _title(at) == "# 3. Huy động doanh nghiệp"
    assert not any(b.key in ("present_next", "present_prev") for b in at.button)
    store.put_live("talk-2", {"story": "binh-phuoc", "step": 3, "started": 0.0})
    at.run()  # what the page's half-second poll does
    assert _title(at) == "# 4. Phương án rẻ nhất đạt các mục tiêu 2030"


def test_a_follow_link_before_the_presenter_starts_waits(tmp_path, monkeypatch):
    at = _viewer(tmp_path, monkeypatch, {"follow": "nobody-yet"})
    assert "Đang chờ người trình bày" in at.info[0].value
