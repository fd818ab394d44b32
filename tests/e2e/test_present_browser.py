"""The Present page in Chromium: a clicker's keys whatever has the focus, one screen at projector sizes,
contrast in light and dark, the speaker view and an audience following the presenter."""

from __future__ import annotations

import re
import time

import pytest
from e2e_helpers import ROOT, wait_for_app

from sim.engine import run
from sim.story import build_steps, load_story
from sim.views import fmt

STORY = load_story(ROOT / "stories" / "binh-phuoc.yaml")
TITLES = [s.title.vi for s in STORY.steps]
N = len(TITLES)
BOUND_MS = 60_000  # a busy CI machine may take this long to rerun; a quiet one takes well under a second


def _open(page, url: str, path: str = "/present") -> None:
    page.set_default_timeout(BOUND_MS)
    page.goto(url + path)
    wait_for_app(page)
    page.wait_for_selector(".st-key-present_stage h1")
    # the charts drawn and fitted to the screen: the first render is complete in the browser too
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-present_charts .main-svg').length >= 2"
        " && document.documentElement.style.getPropertyValue('--nq-chart-h') !== ''"
    )
    if "follow=" not in path:  # the presenter's page: its keys are listened to once the page has drawn
        page.wait_for_function("() => window.__nq57PresentKeys === true")
    wait_for_app(page)


def _title(page) -> str:
    return page.locator(".st-key-present_stage h1").inner_text()


def _expect_step(page, i: int) -> None:
    """Wait (bounded) until step ``i`` (0-based) is the one on screen and the run has finished."""
    try:
        page.wait_for_function(
            "t => { const h = document.querySelector('.st-key-present_stage h1'); return h && h.innerText === t; }",
            arg=TITLES[i],
            timeout=BOUND_MS,
        )
    except Exception as exc:  # say what is on screen instead: a key not taken, or a run still going
        shown = page.evaluate("() => (document.querySelector('.st-key-present_stage h1') || {}).innerText")
        running = page.locator("[data-testid='stStatusWidget']").count()
        raise AssertionError(f"expected step {i + 1} ({TITLES[i]!r}); on screen {shown!r}, running={running}") from exc
    wait_for_app(page)


def _press(page, key: str, expect: int) -> None:
    page.keyboard.press(key)
    _expect_step(page, expect)


def test_clicker_keys_move_the_story_whatever_has_the_focus(page, server):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, server)
    assert _title(page) == TITLES[0]

    # 1. after switching on the dark mode: the focus is on the toggle
    page.locator(".st-key-present_dark label").click()
    wait_for_app(page)
    assert page.evaluate("() => document.activeElement.type") == "checkbox"
    _press(page, "PageDown", 1)
    _press(page, "PageDown", 2)
    _press(page, "PageUp", 1)

    # 2. after choosing a story in the list (the same one: the step stays): the focus is on the list
    page.get_by_role("combobox", name="Câu chuyện").click()
    page.get_by_role("option", name=STORY.title.vi).click()
    wait_for_app(page)
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "combobox"
    _press(page, "PageDown", 2)
    _press(page, "ArrowRight", 3)
    _press(page, "ArrowLeft", 2)

    # 3. after clicking a button (the focus stays on it)
    page.locator(".st-key-present_prev button").first.click()
    _expect_step(page, 1)
    _press(page, "PageDown", 2)
    _press(page, "PageUp", 1)

    # B blanks the screen and brings it back; Escape also brings it back
    page.keyboard.press("b")
    assert page.locator("[data-testid='present-blank']").is_visible()
    page.keyboard.press("b")
    assert page.locator("[data-testid='present-blank']").is_hidden()
    page.keyboard.press("B")
    page.keyboard.press("Escape")
    assert page.locator("[data-testid='present-blank']").is_hidden()
    assert _title(page) == TITLES[1]

    # A text field keeps its keys: typing a rank with the arrows does not move the story.
    page.locator("summary", has_text="Gói tài liệu cuộc họp (HTML, Excel)").click()
    field = page.locator(".st-key-present_rank_dti_rank input")
    field.click()
    field.press("ArrowRight")
    field.press("ArrowLeft")
    field.press("PageDown")
    wait_for_app(page)
    assert _title(page) == TITLES[1]

    # The keys are written on the screen.
    assert "Page Down" in page.locator(".st-key-present_stamp").inner_text()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080), (1024, 768)])
def test_one_screen_holds_the_step_its_kpis_and_both_charts(page, server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _open(page, server)
    for i in range(1, N):  # the last step has the longest caption and list of changes
        _press(page, "PageDown", i)
    page.wait_for_selector(".st-key-present_charts .js-plotly-plot .main-svg")
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-present_charts .js-plotly-plot').length === 2"
        " && [...document.querySelectorAll('.st-key-present_charts .js-plotly-plot')]"
        ".every(p => Math.abs(p.getBoundingClientRect().height"
        " - parseFloat(getComputedStyle(p).height)) < 1)"
    )
    page.screenshot(path=f"/tmp/present-{width}x{height}.png")
    report = page.evaluate(
        """() => {
        const vw = window.innerWidth, vh = window.innerHeight;
        const box = (e) => { const r = e.getBoundingClientRect();
          return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
        const inView = (b) => b.top >= 0 && b.left >= 0 && b.bottom <= vh + 0.5 && b.right <= vw + 0.5;
        const parts = [
          ['title', document.querySelector('.st-key-present_stage h1')],
          ...[...document.querySelectorAll('.st-key-present_kpis .nq-kpi')].map(e => ['kpi ' + e.dataset.kpi, e]),
          ...[...document.querySelectorAll('.st-key-present_charts .js-plotly-plot')].map((e, i) => ['chart ' + i, e]),
        ];
        const outside = parts.filter(([, e]) => !inView(box(e))).map(([n, e]) => [n, box(e)]);
        const texts = document.querySelectorAll(
          '.st-key-present_kpis .nq-kpi, .st-key-present_kpis .nq-kpi *, .st-key-present_stage h1,'
          + ' .st-key-present_caption p, .st-key-present_changes li');
        const clipped = [...texts].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
          .map(e => [e.className || e.tagName, e.innerText.slice(0, 40), e.scrollWidth, e.clientWidth]);
        const overlaps = [];
        const kpis = [...document.querySelectorAll('.st-key-present_kpis .nq-kpi')].map(box);
        const charts = document.querySelector('.st-key-present_charts').getBoundingClientRect();
        const caption = document.querySelector('.st-key-present_caption').getBoundingClientRect();
        if (kpis.some(k => k.bottom > charts.top + 0.5 || k.top < caption.bottom - 0.5)) overlaps.push('kpis');
        return {outside, clipped, overlaps, n_kpis: kpis.length};
        }"""
    )
    print(f"{width}×{height}: {report}")
    assert report["n_kpis"] == 4
    assert report["outside"] == [], report
    assert report["clipped"] == [], report
    assert report["overlaps"] == [], report


def test_scrolling_to_the_meeting_pack_keeps_the_charts_and_the_box_in_place(page, server):
    """The charts get the screen's height once; scrolling down to the pack box must not make them taller (the
    main area scrolls, not the window), or the box moves away under the presenter's pointer and a click on it
    is lost."""
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, server)
    state = (
        "() => [document.documentElement.style.getPropertyValue('--nq-chart-h'),"
        " Math.round(document.querySelector('[data-testid=\"stExpander\"] summary').getBoundingClientRect().top)]"
    )
    height, _ = page.evaluate(state)
    summary = page.locator("summary", has_text="Gói tài liệu cuộc họp (HTML, Excel)")
    summary.scroll_into_view_if_needed()
    scrolled = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY")
    assert scrolled > 0  # at 1280×720 the box is below the fold: the page had to scroll
    _, top = page.evaluate(state)
    # Any change to the page makes the charts fit again (here, a node added and removed); two frames later:
    page.evaluate(
        "() => new Promise((done) => { const d = document.createElement('div'); document.body.appendChild(d);"
        " d.remove(); requestAnimationFrame(() => requestAnimationFrame(() => done(true))); })"
    )
    assert page.evaluate(state) == [height, top]
    summary.click()
    page.locator(".st-key-present_rank_dti_rank input").wait_for(state="visible")


CONTRAST_JS = """() => {
  const parse = (c) => { const m = /rgba?\\(([^)]+)\\)/.exec(c); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const blend = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  const lum = (rgb) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(rgb[0]) + 0.7152 * f(rgb[1]) + 0.0722 * f(rgb[2]); };
  const background = (el) => {  // every ancestor's background, composited from the page down
    const chain = []; for (let e = el; e; e = e.parentElement) chain.push(e);
    let bg = [255, 255, 255];
    for (const e of chain.reverse()) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) bg = blend(c, bg);
    }
    return bg; };
  const opacity = (el) => {
    let o = 1; for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set(); const rows = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el || seen.has(el) || el.closest('svg, script, style')) continue;
    // hidden from screen readers is still seen, except the label copies Streamlit keeps for measuring
    const icon = el.closest('[data-testid="stIconMaterial"]');
    if (!icon && el.closest('[aria-hidden="true"]') && !el.closest('[data-testid="stWidgetLabel"]')) continue;
    seen.add(el);
    const r = el.getBoundingClientRect(); const cs = getComputedStyle(el);
    if (r.width < 1 || r.height < 1 || cs.visibility === 'hidden' || r.bottom < 0 || r.top > innerHeight
        || r.right < 0 || r.left > innerWidth) continue;  // off screen (e.g. a skip link until it has the focus)
    if (el.closest('button:disabled, [aria-disabled="true"]')) continue;  // WCAG exempts inactive controls
    const fg = parse(cs.color); if (!fg) continue;
    const bg = background(el);
    const text = blend([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
    rows.push({ratio: (a + 0.05) / (b + 0.05), text: n.textContent.trim().slice(0, 30), color: cs.color, icon: !!icon});
  }
  rows.sort((x, y) => x.ratio - y.ratio);
  return {min: rows[0].ratio, worst: rows.slice(0, 6), count: rows.length, icons: rows.filter(r => r.icon).length};
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_and_badge_has_a_contrast_of_at_least_4_5(page, server, dark):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, server)
    if dark:
        page.locator(".st-key-present_dark label").click()
        wait_for_app(page)
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.stApp')).backgroundColor !== 'rgb(255, 255, 255)'"
        )
    # the sidebar opened too: its page names and icons
    opener = "[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button"
    page.locator(opener).first.click()
    # the sidebar has slid in: its box is fully on screen
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=stSidebar]');"
        " return s && s.getBoundingClientRect().left >= 0 && s.getBoundingClientRect().width > 200; }"
    )
    badges = page.locator(".st-key-present_kpis .nq-badge").all_inner_texts()
    assert any(b.endswith(" Đạt") for b in badges) and any(b.endswith("Chưa đạt") for b in badges)  # step 1
    first = page.evaluate(CONTRAST_JS)
    _press(page, "PageDown", 1)  # tiles with their changes against step 1
    second = page.evaluate(CONTRAST_JS)
    found = min(first, second, key=lambda f: f["min"])
    assert first["icons"] >= 6  # the sidebar's page icons were measured
    print(
        f"contrast {'dark' if dark else 'light'}: minimum {found['min']:.2f}:1 over {first['count']} + "
        f"{second['count']} texts; worst {found['worst']}"
    )
    assert found["min"] >= 4.5, found["worst"]


def _channel(page) -> str:
    page.get_by_text("Màn hình người trình bày và đường dẫn theo dõi").click()
    href = page.locator(".st-key-present_open_speaker a").get_attribute("href")
    return re.search(r"channel=([A-Za-z0-9_-]+)", href)[1]


def test_the_speaker_view_keeps_in_step_with_notes_next_step_and_timer(browser, page, server):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, server)
    channel = _channel(page)
    speaker = page.context.new_page()
    speaker.goto(f"{server}/present?view=speaker&channel={channel}")
    wait_for_app(speaker)
    speaker.wait_for_selector(".st-key-present_speaker_now")
    assert TITLES[0] in speaker.locator(".st-key-present_speaker_now").inner_text()
    assert TITLES[1] in speaker.locator(".st-key-present_speaker_next").inner_text()
    steps = build_steps(STORY)
    cost = fmt.money(float(run(steps[0]).cost("Budget|STI and DX", "2025-2030")[0]), "vi")
    assert cost in speaker.locator(".st-key-present_notes").inner_text()  # the note filled from the engine
    assert re.fullmatch(r"\d+:\d\d", speaker.locator(".st-key-present_timer").inner_text().strip())

    page.bring_to_front()
    _press(page, "PageDown", 1)
    started = time.monotonic()
    speaker.wait_for_function(
        "t => (document.querySelector('.st-key-present_speaker_now') || {}).innerText?.includes(t)",
        arg=TITLES[1],
        timeout=BOUND_MS,
    )
    print(f"speaker view in step after {time.monotonic() - started:.2f} s")
    wait_for_app(speaker)
    assert TITLES[2] in speaker.locator(".st-key-present_speaker_next").inner_text()
    env = fmt.money(float(run(steps[1]).at("Budget|STI and DX", 2030)[0]), "vi")
    assert env in speaker.locator(".st-key-present_notes").inner_text()


def test_an_audience_follows_the_presenter_in_another_browser(browser, page, server):
    page.set_viewport_size({"width": 1280, "height": 720})
    _open(page, server)
    channel = _channel(page)
    ctx = browser.new_context(viewport={"width": 1024, "height": 768}, locale="vi-VN")
    try:
        viewer = ctx.new_page()
        _open(viewer, server, f"/present?follow={channel}")
        assert _title(viewer) == TITLES[0]
        assert viewer.locator(".st-key-present_next").count() == 0  # read-only: no controls
        page.bring_to_front()
        for i in (1, 2):
            page.keyboard.press("PageDown")
            _expect_step(page, i)
            moved = time.monotonic()
            _expect_step(viewer, i)
            print(f"follower on step {i + 1} {time.monotonic() - moved:.2f} s after the presenter's page showed it")
        href = viewer.get_by_role("link", name="Mở bước này trên trang Mô phỏng").get_attribute("href")
        assert href.startswith("simulate?") and "r=binh-phuoc" in href
        # the link opens the step on the attendee's own Simulate page
        viewer.goto(f"{server}/{href}")
        wait_for_app(viewer)
        viewer.wait_for_selector("[data-kpi='rd_intensity_2030']")
        rd = fmt.percent(float(run(build_steps(STORY)[2]).at("R&D|Share of GRDP", 2030)[0]) * 100, "vi")
        assert rd.replace(" %", "") in viewer.locator("[data-kpi='rd_intensity_2030'] .nq-value").first.inner_text()
    finally:
        ctx.close()
