"""The presenter page (Trình chiếu / Present) in Streamlit's AppTest: stepping through the story."""

from __future__ import annotations

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


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label.split(" · ")[0]: (m.value, m.delta) for m in at.metric}


def _expected(step, previous, lang: str) -> dict[str, tuple[str, str]]:
    """KPI tiles computed here from the engine, as the page should show them."""
    res = run(step)
    out = {}
    for k in kpis(res, run(previous) if previous is not None else res, step.profile, 2030):
        label = k.label(lang) + (f" {k.period}" if k.period else f" {k.year}")
        delta = ""  # AppTest reads a metric without a delta as ''
        if previous is not None:
            delta = k.format_delta(lang)
            delta = "-" + delta[1:] if delta.startswith("−") else delta
        out[label] = (k.format_value(lang), delta)
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
    assert all("chưa đạt" not in m.label for m in at.metric)
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
