"""Browser: the current scenario's truthful name on Compare, the path editor, goal seek → controls, the language."""

from __future__ import annotations

import pytest
from e2e_helpers import open_paths, wait_for_app
from playwright.sync_api import expect

from sim import engine
from sim.analysis.goalseek import goal_seek
from sim.scenario import baseline
from sim.targets import evaluate_all

KPI = '[data-kpi="digital_share_2030"] .nq-value'
LIVE = '.st-key-live_stid_budget_share input[type="range"]'  # the budget lever's live slider
LINK = '.st-key-share_box [data-testid="stCode"] code'


@pytest.fixture(autouse=True)
def _patient(page):
    """A shared machine can take a while to rerun the app: wait for it, however long (up to a minute)."""
    page.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)


def _digital_2030(s) -> str:
    """The 2030 digital share by the engine, written by hand the Vietnamese way."""
    x = float(engine.run(s).at("Digital Economy|Share of GRDP", 2030)[0]) * 100
    return f"{x:.1f} %".replace(".", ",")


def _met(s) -> int:
    return sum(bool(t.met[0]) for t in evaluate_all(engine.run(s), s.profile))


def _open(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(KPI)


def _nav(page, title: str) -> None:
    """Go to another page through the sidebar (the session, and so the current scenario, stays)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    wait_for_app(page)


def _link_has(page, text: str) -> None:
    page.wait_for_function(
        "([sel, text]) => { const e = document.querySelector(sel); return e && e.innerText.includes(text); }",
        arg=[LINK, text],
    )
    wait_for_app(page)


def test_the_language_clicked_twice_stays(server, page):
    _open(page, server)
    viet = page.locator(".st-key-lang button", has_text="Tiếng Việt")
    viet.click()  # the language already selected
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text("Mô phỏng")
    _link_has(page, "l=vi")
    page.locator(".st-key-lang button", has_text="English").click()
    wait_for_app(page)
    page.locator(".st-key-lang button", has_text="English").click()
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text("Simulate")
    _link_has(page, "l=en")
    expect(page.locator(".st-key-w_start_en input")).to_have_value("Baseline – Bình Phước")


def test_path_editor_adds_a_year_and_a_move_keeps_the_other_breakpoints(server, page):
    _open(page, server)
    open_paths(page)
    page.locator(".st-key-w_stid_budget_share_add button").click()  # the year box offers 2030 first
    wait_for_app(page)
    thumb = '.st-key-w_stid_budget_share_2030 input[type="range"]'
    page.focus(thumb)
    page.keyboard.press("ArrowRight")
    _link_has(page, "sb_2025_1_2030_1.1")
    expect(page.locator(".st-key-w_stid_budget_share_2025")).to_contain_text("2025: 1,0 % chi ngân sách")
    expect(page.locator(".st-key-w_stid_budget_share_2030")).to_contain_text("2030: 1,1 % chi ngân sách")
    assert page.inner_text(KPI) == _digital_2030(baseline().with_changes(stid_budget_share={2025: 1.0, 2030: 1.1}))
    page.locator(".st-key-w_stid_budget_share_del_2025 button").first.click()
    _link_has(page, "p=sb_2030_1.1")
    assert page.locator(".st-key-w_stid_budget_share_2025").count() == 0
    assert page.inner_text(KPI) == _digital_2030(baseline().with_changes(stid_budget_share={2030: 1.1}))


def test_an_edited_scenario_is_named_truthfully_on_compare_against_the_plain_baseline(server, page):
    _open(page, server)
    page.focus(LIVE)
    page.keyboard.press("End")  # the live slider's top: 10 % of budget spending from 2025
    _link_has(page, "p=sb_10")
    _nav(page, "So sánh")
    unsaved = "Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước"
    expect(page.locator(".st-key-cmp_base_vi input")).to_have_value(f"Thiết lập hiện tại: {unsaved}")
    page.locator(".st-key-cmp_others_vi input").click()
    # the option named exactly so (the unsaved edit's name contains it too)
    page.get_by_role("option", name="Kịch bản cơ sở – Bình Phước", exact=True).first.click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    outcomes = page.locator(".st-key-cmp_outcomes")
    expect(outcomes).to_contain_text(unsaved)
    expect(outcomes).to_contain_text("Kịch bản cơ sở – Bình Phước")
    expect(outcomes).to_contain_text(_digital_2030(baseline().with_changes(stid_budget_share=10.0)))
    expect(outcomes).to_contain_text(_digital_2030(baseline()))


def test_goal_seek_apply_shows_the_answer_on_the_controls(server, page):
    _open(page, server)
    _nav(page, "Phân tích")
    want = goal_seek(baseline(), "digital_share_2030", "stid_budget_share")
    shown = f"{want.slider_value:.1f}".replace(".", ",")  # 3,0: MODEL.md's version-2 check
    assert want.slider_value == pytest.approx(3.0, abs=1e-6)
    page.locator(".st-key-an_seek_apply button").click()
    wait_for_app(page)
    page.wait_for_selector(KPI)
    expect(page.locator(".st-key-live_stid_budget_share")).to_contain_text(f"Từ 2025: {shown} % chi ngân sách")
    from_controls = baseline().with_changes(stid_budget_share={2025: want.slider_value})
    header = page.locator('[data-testid="stMarkdownContainer"]', has_text="Kịch bản:").first
    expect(header).to_contain_text(f"đạt {_met(from_controls)}/{len(baseline().profile.targets)} mục tiêu")
    expect(header).to_contain_text("Chưa lưu – đáp án tìm mục tiêu trên Kịch bản cơ sở – Bình Phước")
    assert page.inner_text(KPI) == _digital_2030(from_controls)
