"""The Scenarios, Compare and Data & assumptions pages (AppTest), with the save panel of the Simulate page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim import store
from sim.engine import run
from sim.profiles import list_profiles, load_profile
from sim.scenario import baseline, loads
from sim.views.charts_compare import COMPARE_CHARTS
from tests.app.tabs import DATA as DATA_TAB
from tests.app.tabs import each_tab
from ui.library_panels import yaml_download_bytes
from ui.safe import shown

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
LIBRARY, COMPARE, DATA = "ui/page_library.py", "ui/page_compare.py", "ui/page_data.py"
SIMULATE = "ui/page_simulate.py"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.yaml")}


def open_page(page: str | None, scenario=None, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()  # the entry page first, as a browser would
    if scenario is not None:
        at.session_state["scenario"] = scenario
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("region", list_profiles())
@pytest.mark.parametrize("page", [LIBRARY, COMPARE, DATA])
def test_each_page_renders_for_each_region(page, region):
    at = open_page(page, baseline(region))
    assert not at.error, [e.value for e in at.error]
    if page == DATA:
        assert at.selectbox(key="data_region_vi").value == region
        assert load_profile(region).data_vintage in " ".join(c.value for c in at.caption)
        latex = 0
        for tab in each_tab(at, DATA_TAB):  # each tab drawn in turn, none with an error
            assert not tab.error, [e.value for e in tab.error]
            latex += len(tab.latex)
        assert latex >= 16  # the 14 equations and the base-year calibration, the λ limit
    if page == COMPARE:
        assert at.selectbox(key="cmp_base_vi").value == "__current__"
        drawn = []
        for tab in each_tab(at, "cmp_chart_tab"):  # the charts one at a time, one a tab
            assert len(tab.get("plotly_chart")) == 1
            drawn.append(tab.get("plotly_chart")[0].key)
        assert drawn == [f"cmp_chart_{c.id}" for c in COMPARE_CHARTS]


def open_save_box(at: AppTest) -> AppTest:
    """Open the Simulate page's save section (drawn only while open, to keep slider moves fast)."""
    at.session_state["w_save_box"] = True
    return at.run()


def test_save_from_the_panel_appears_in_the_compare_choices(library):
    edited = baseline().with_changes(rd_share_of_stid=30.0)
    at = open_save_box(open_page(None, edited))
    at.text_input(key="save_name").input("Kế hoạch Sở Tài chính")
    at.text_input(key="save_author").input("Phòng Kế hoạch")
    at.text_area(key="save_note").input("Thử nghiệm")
    at.button(key="save_submit").click().run()
    assert [s.value for s in at.success] == ["Đã lưu «Kế hoạch Sở Tài chính» vào thư viện kịch bản."]
    saved = store.load("ke-hoach-so-tai-chinh")
    assert (saved.author, saved.description.vi, saved.status) == ("Phòng Kế hoạch", "Thử nghiệm", "draft")
    assert saved.changes == edited.changes
    at.switch_page(COMPARE).run()
    choices = at.multiselect(key="cmp_others_vi").options
    assert "Kế hoạch Sở Tài chính · Bình Phước" in choices
    # Other content under the same name never overwrites: the second one is numbered, and the page says so.
    at.session_state["scenario"] = baseline().with_changes(rd_share_of_stid=35.0)
    open_save_box(at.switch_page(SIMULATE))
    at.text_input(key="save_name").input("Kế hoạch Sở Tài chính")
    at.button(key="save_submit").click().run()
    assert any("Kế hoạch Sở Tài chính (2)" in shown(i.value) for i in at.info)
    assert store.load("ke-hoach-so-tai-chinh-2").name.vi == "Kế hoạch Sở Tài chính (2)"


def test_saving_unchanged_settings_says_they_are_already_saved(library):
    before = files(library)
    at = open_save_box(open_page(None))  # the library's baseline, unchanged
    at.text_input(key="save_name").input("Bản sao cơ sở")
    at.button(key="save_submit").click().run()
    assert [i.value for i in at.info] == [
        "Thiết lập này đã được lưu trong thư viện với tên «Kịch bản cơ sở – Bình Phước»."
    ]
    assert files(library) == before


def test_save_without_a_name_is_refused(library):
    before = files(library)
    at = open_save_box(open_page(None, baseline().with_changes(rd_share_of_stid=30.0)))
    at.button(key="save_submit").click().run()
    assert at.error[0].value == "Hãy đặt tên cho kịch bản trước khi lưu."
    assert files(library) == before


def test_compare_shows_the_differences_the_engine_gives():
    at = open_page(COMPARE)
    at.selectbox(key="cmp_base_vi").set_value("baseline").run()
    at.multiselect(key="cmp_others_vi").set_value(["resolution57", "fiscal-constraint"]).run()
    assert not at.exception
    y2030 = at.table[0].value
    assert [shown(c) for c in y2030.columns] == [
        "Kịch bản cơ sở – Bình Phước",
        "Lộ trình Nghị quyết 57",
        "Ràng buộc tài khóa",
    ]
    # R&D in 2030: 0.15 % in the baseline; 1.7 × 0.4 × 3.5 % × 13.4 % + 0.8 % = 1.119 % under Resolution 57.
    base = run(baseline()).at("R&D|Share of GRDP", 2030)[0] * 100
    assert base == pytest.approx(0.15)
    assert y2030.loc["Chi R&D so với GRDP", "Lộ trình Nghị quyết 57"] == "1,12 % · Δ +0,97 điểm % (+645,9 %)"
    inputs = at.table[2].value
    assert "Ngân sách KH,CN,ĐMST&CĐS" in inputs.index
    assert inputs.loc["Ngân sách KH,CN,ĐMST&CĐS", "Lộ trình Nghị quyết 57"] == "2024: 1 → 2026: 3 → 2030: 3,5"
    assert {b.key for b in at.get("download_button")} == {"cmp_dl_xlsx", "cmp_dl_csv"}


def test_a_bad_upload_shows_an_error_and_saves_nothing(library):
    before = files(library)
    at = open_page(LIBRARY)
    at.file_uploader(key="lib_upload").set_value(("ke-hoach.yaml", b"name: x\nlevers: {stid_budget_share: 50}\n", "x"))
    at.run()
    (err,) = at.error
    assert err.value.startswith("Tệp không hợp lệ, chưa lưu gì.")
    assert "ke-hoach.yaml: levers.stid_budget_share: 50 is outside the allowed range" in shown(err.value)
    assert files(library) == before
    at.run()  # the message stays while the file is in the uploader; the file is not imported again
    assert len(at.error) == 1 and files(library) == before


def test_a_good_upload_is_added_once(library):
    data = baseline().with_changes(rd_share_of_stid=25.0).to_yaml().replace("Kịch bản cơ sở", "Tải lên").encode()
    at = open_page(LIBRARY)
    at.file_uploader(key="lib_upload").set_value(("mine.yaml", data, "x"))
    at.run()
    assert at.success[0].value.startswith("Đã thêm «Tải lên")
    at.run()
    added = set(files(library)) - {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    assert len(added) == 1


def test_library_actions_duplicate_rename_delete_restore_and_open(library):
    at = open_page(LIBRARY)
    at.text_input(key="lib_dup_name_resolution57").input("Bản của tôi")
    at.button(key="lib_dup_resolution57").click().run()
    assert at.success[0].value == "Đã tạo bản sao «Bản của tôi»."
    assert at.button(key="lib_ren_ban-cua-toi") is not None
    at.text_input(key="lib_ren_name_ban-cua-toi").input("Bản mới")
    at.button(key="lib_ren_ban-cua-toi").click().run()
    assert store.load("ban-moi").name.vi == "Bản mới"
    at.button(key="lib_del_ban-moi").click().run()
    assert "thùng rác" in at.success[0].value
    assert not (library / "ban-moi.yaml").exists()
    (t,) = store.list_trash()
    at.button(key=f"lib_restore_{t.id}").click().run()
    assert (library / "ban-moi.yaml").exists() and store.list_trash() == []
    # Presets cannot be deleted or renamed: their buttons are disabled.
    assert at.button(key="lib_del_baseline").disabled
    # Open: the simulator shows the scenario.
    at.button(key="lib_load_private-mobilisation").click().run()
    assert not at.exception
    assert at.session_state["scenario"] == store.load("private-mobilisation")
    assert at.title[0].value.startswith("Mô phỏng")


@pytest.mark.parametrize(
    ("page", "vi", "en"),
    [
        (LIBRARY, "Kịch bản", "Scenarios"),
        (COMPARE, "So sánh kịch bản", "Compare scenarios"),
        (DATA, "Dữ liệu & giả định", "Data & assumptions"),
    ],
)
def test_language_toggle(page, vi, en):
    if page == DATA:  # the caveats tab open: it stays open in the other language
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["lang"] = "vi"
        at.session_state[DATA_TAB] = "caveats"
        at.run()
        at.switch_page(page).run()
    else:
        at = open_page(page)
    assert at.title[0].value == vi
    at.button_group(key="lang").set_value("en").run()
    assert at.title[0].value == en
    assert not at.exception
    if page == DATA:
        assert any("This profile uses" in m.value for m in at.markdown)


def test_compare_choices_survive_the_language_toggle():
    at = open_page(COMPARE)
    at.selectbox(key="cmp_base_vi").set_value("baseline").run()
    at.multiselect(key="cmp_others_vi").set_value(["resolution57"]).run()
    at.button_group(key="lang").set_value("en").run()
    assert at.selectbox(key="cmp_base_en").value == "baseline"
    assert at.multiselect(key="cmp_others_en").value == ["resolution57"]
    assert "Resolution 57 path · Bình Phước (read-only)" in at.multiselect(key="cmp_others_en").options
    assert [shown(c) for c in at.table[0].value.columns] == ["Baseline – Bình Phước", "Resolution 57 path"]


def test_changes_to_an_opened_draft_are_saved_back_and_an_approved_one_gets_a_copy(library):
    sid = store.save_new(baseline().with_changes(rd_share_of_stid=25.0))
    at = open_page(LIBRARY)
    at.button(key=f"lib_load_{sid}").click().run()
    open_save_box(at.switch_page(SIMULATE))  # AppTest reruns the page it was last switched to
    assert not [b for b in at.button if b.key == "save_update"]  # nothing to save back yet
    at.session_state["scenario"] = store.load(sid).with_changes(rd_share_of_stid=30.0)  # as a slider would
    at.run()
    assert at.button(key="save_update").label.startswith("Lưu thay đổi vào")
    at.button(key="save_update").click().run()
    assert at.success[0].value.startswith("Đã lưu thay đổi")
    assert [t.reason for t in store.list_trash()] == ["replaced"]
    assert store.load(sid).changes == {"rd_share_of_stid": 30.0}
    at.switch_page(LIBRARY).run()
    at.button(key="lib_load_fiscal-constraint").click().run()
    at.session_state["scenario"] = store.load("fiscal-constraint").with_changes(rd_share_of_stid=30.0)
    open_save_box(at.switch_page(SIMULATE))
    assert at.button(key="save_update").label == "Lưu thành bản sao của «Ràng buộc tài khóa»"
    before = (library / "fiscal-constraint.yaml").read_bytes()
    at.button(key="save_update").click().run()
    assert (library / "fiscal-constraint.yaml").read_bytes() == before
    copy = store.load("rang-buoc-tai-khoa-2")
    assert copy.changes == {**store.load("fiscal-constraint").changes, "rd_share_of_stid": 30.0}


def test_the_yaml_download_of_the_current_settings_loads_back():
    s = baseline().with_changes(rd_share_of_stid=25.0, rule_mode="cap_public")
    data = yaml_download_bytes(s)
    assert data.startswith(b"# NQ57 simulator") and f"#{s.content_hash()}".encode() in data.splitlines()[0]
    assert loads(data) == s


def _capture_excel(monkeypatch) -> list[bytes]:
    """The workbook bytes the Compare page hands to its download button (the page calls sim.compare).

    The page writes the workbook when the button is clicked (a deferred download): :func:`_download` clicks.
    """
    from streamlit.testing.v1 import app_test

    import sim.compare

    got: list[bytes] = []
    real = sim.compare.excel_bytes

    def spy(*args, **kwargs):
        got.append(real(*args, **kwargs))
        return got[-1]

    class Recorded(app_test.MediaFileManager):  # each run's file manager, where the deferred downloads wait
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            MANAGERS.append(self)

    monkeypatch.setattr(sim.compare, "excel_bytes", spy)
    monkeypatch.setattr(app_test, "MediaFileManager", Recorded)
    return got


MANAGERS: list = []


def _download(at: AppTest, key: str) -> None:
    """Click the download button ``key`` of the last run: the server writes its file as it does on a click."""
    button = next(b for b in at.get("download_button") if b.key == key)
    MANAGERS[-1].execute_deferred(button.proto.deferred_file_id)


def test_an_edited_scenario_is_named_truthfully_on_compare_and_in_the_excel_summary(monkeypatch):
    import io

    from openpyxl import load_workbook

    workbooks = _capture_excel(monkeypatch)
    edited = baseline().with_changes(stid_budget_share=4.0)  # the envelope at 4 % from 2025
    at = open_page(COMPARE, edited)
    unsaved = "Chưa lưu – sửa từ Kịch bản cơ sở – Bình Phước"  # started from the library's baseline
    base_box = at.selectbox(key="cmp_base_vi")
    assert base_box.value == "__current__"
    assert base_box.format_func("__current__") == f"Thiết lập hiện tại: {unsaved}"
    assert base_box.format_func("__baseline__") == "Kịch bản cơ sở – Bình Phước"  # the plain baseline
    at.multiselect(key="cmp_others_vi").set_value(["__baseline__"]).run()
    assert not at.exception
    y2030 = at.table[0].value
    y2030.columns = [shown(c) for c in y2030.columns]  # table headers are markdown: user text comes escaped
    assert list(y2030.columns) == [unsaved, "Kịch bản cơ sở – Bình Phước"]
    # the edited column shows the edited numbers: the digital share by the engine, written by hand
    share = run(edited).at("Digital Economy|Share of GRDP", 2030)[0] * 100
    plain = run(baseline()).at("Digital Economy|Share of GRDP", 2030)[0] * 100
    assert share > plain + 5  # 4 % of budget is far from the baseline's 1 %
    assert y2030.loc["Tỷ trọng kinh tế số trong GRDP", unsaved] == f"{share:.1f} %".replace(".", ",")
    plain_cell = y2030.loc["Tỷ trọng kinh tế số trong GRDP", "Kịch bản cơ sở – Bình Phước"]
    assert plain_cell.startswith(f"{plain:.1f}".replace(".", ","))
    # the Excel summary names the columns the same way and holds the same numbers
    _download(at, "cmp_dl_xlsx")
    wb = load_workbook(io.BytesIO(workbooks[-1]))
    summary = wb.worksheets[0]
    rows = [[c.value for c in r] for r in summary.iter_rows()]
    header = next(r for r in rows if r[0] == "Chỉ tiêu")
    assert header[3:5] == [unsaved, "Kịch bản cơ sở – Bình Phước"]
    i = next(i for i, r in enumerate(rows) if r[0] == "Tỷ trọng kinh tế số trong GRDP" and r[1] == 2030)
    cells = list(summary.iter_rows())[i]
    # shares are stored as fractions shown with a percent format
    assert "%" in cells[3].number_format
    assert cells[3].value * 100 == pytest.approx(share) and cells[4].value * 100 == pytest.approx(plain)
    # no sheet calls the edited scenario the baseline
    assert wb.sheetnames[1].startswith("1. Chưa lưu")
    assert wb.worksheets[1]["A2"].value.startswith(unsaved)


def test_compare_against_the_plain_baseline():
    at = open_page(COMPARE)
    at.selectbox(key="cmp_base_vi").set_value("__baseline__").run()
    at.multiselect(key="cmp_others_vi").set_value(["resolution57"]).run()
    assert not at.exception
    y2030 = at.table[0].value
    assert list(y2030.columns) == ["Kịch bản cơ sở – Bình Phước", "Lộ trình Nghị quyết 57"]
    # R&D in 2030 by hand (MODEL.md eq. 5): 0.15 % in the baseline
    assert y2030.loc["Chi R&D so với GRDP", "Kịch bản cơ sở – Bình Phước"] == "0,15 %"
