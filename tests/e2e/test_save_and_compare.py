"""Browser: save one scenario from the Simulate page, upload another, compare the two on the Compare page."""

from __future__ import annotations

import uuid

from e2e_helpers import wait_for_app
from playwright.sync_api import expect

from sim.scenario import baseline


def _pick(page, key: str, text: str) -> None:
    """Choose the option containing ``text`` in the selectbox or multiselect with this key."""
    page.locator(f".st-key-{key} input").click()
    page.get_by_role("option").filter(has_text=text).first.click()
    page.keyboard.press("Escape")
    wait_for_app(page)


def test_save_two_scenarios_and_compare_them(server, page):
    tag = uuid.uuid4().hex[:6]
    saved, uploaded = f"Đã lưu {tag}", f"Tải lên {tag}"

    # 1. Move a slider, then save the settings from the save panel of the Simulate page.
    page.goto(server)  # the Simulate page is the default page, served at the root
    wait_for_app(page)
    page.focus('.st-key-live_stid_budget_share input[type="range"]')  # the live slider: one step
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    header = page.locator('[data-testid="stMarkdownContainer"]', has_text="Kịch bản:").first
    expect(header).to_contain_text("Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước")
    page.locator(".st-key-w_save_box summary").click()  # the save section is drawn only while open
    page.locator(".st-key-save_name input").fill(saved)
    page.locator(".st-key-save_submit button").click()
    expect(page.get_by_text(f"Đã lưu «{saved}» vào thư viện kịch bản.")).to_be_visible()
    wait_for_app(page)
    expect(header).to_contain_text(f"Kịch bản: {saved}")  # the header names the saved scenario
    # saving the same settings again says they are saved and makes no copy
    page.locator(".st-key-save_name input").fill(saved)
    page.locator(".st-key-save_submit button").click()
    expect(page.get_by_text(f"Thiết lập này đã được lưu trong thư viện với tên «{saved}».")).to_be_visible()

    # 2. Upload a second scenario (more for S&T/DX, less of it for R&D) on the Scenarios page.
    other = baseline().with_changes(stid_budget_share={2026: 3.0}, rd_share_of_stid=25.0)
    # Both names replaced: an English name equal to the preset's ("Baseline – Bình Phước") would be numbered.
    data = other.to_yaml().replace("Kịch bản cơ sở – Bình Phước", uploaded).replace("Baseline – Bình Phước", uploaded)
    data = data.encode()
    page.goto(f"{server}/scenarios")
    wait_for_app(page)
    page.get_by_text("Tải lên tệp kịch bản").click()
    page.locator(".st-key-lib_upload input[type=file]").set_input_files(
        files=[{"name": f"{tag}.yaml", "mimeType": "application/x-yaml", "buffer": data}]
    )
    expect(page.get_by_text(f"Đã thêm «{uploaded}» vào thư viện.")).to_be_visible()

    # 3. Compare: the saved one as the base, the uploaded one against it.
    page.goto(f"{server}/compare")
    wait_for_app(page)
    _pick(page, "cmp_base_vi", saved)
    _pick(page, "cmp_others_vi", uploaded)
    outcomes = page.locator(".st-key-cmp_outcomes")
    expect(outcomes).to_contain_text(saved)
    expect(outcomes).to_contain_text(uploaded)
    expect(outcomes).to_contain_text("Δ +")  # a difference against the base
    inputs = page.locator(".st-key-cmp_inputs")
    expect(inputs).to_contain_text("Tỷ trọng R&D trong ngân sách KH,CN")
    expect(inputs).to_contain_text("2026: 3")
    wait_for_app(page)
    expect(page.locator('.st-key-cmp_dl_xlsx[data-stale="false"]')).to_be_visible()
