"""Roles in the app (AppTest): approvers approve, and the approval records who; others see why they cannot."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim import roles, store
from sim.params import Text
from sim.scenario import baseline
from ui.safe import shown

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
LIBRARY = "ui/page_library.py"
ME = "Phòng Kế hoạch"  # the local user's name (no sign-in configured in these tests)


@pytest.fixture(autouse=True)
def local_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(roles.LOCAL_USER_ENV, ME)


def _roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str | None) -> None:
    f = tmp_path / "roles.yaml"
    if text is not None:
        f.write_text(text, encoding="utf-8")
    monkeypatch.setenv(roles.ROLES_ENV, str(f))


def _draft() -> str:
    s = replace(baseline().with_changes(rd_share_of_stid=30.0), name=Text(vi="Nháp của phòng", en="Team draft"))
    return store.save_new(s)


def _library() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "vi"
    at.run()
    at.switch_page(LIBRARY).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    return " | ".join(shown(e.value) for e in [*at.caption, *at.error, *at.success])


def test_without_a_roles_file_the_local_user_approves_and_is_recorded(tmp_path, monkeypatch):
    _roles_file(tmp_path, monkeypatch, None)
    sid = _draft()
    at = _library()
    assert f"Người dùng trên máy: {ME} (người lập kế hoạch, người phê duyệt)" in _texts(at)
    button = at.button(key=f"lib_approve_{sid}")
    assert not button.disabled
    button.click().run()
    assert store.load(sid).status == "approved"
    assert [a["by"] for a in store.approvals(sid)] == [ME]
    assert f"Đã phê duyệt «Nháp của phòng» với tư cách {ME}." in _texts(at)
    assert f"Phê duyệt bởi {ME}," in _texts(at)  # the entry now says who approved it
    assert not [b for b in at.button if b.key == f"lib_approve_{sid}"]  # approved: nothing left to approve


def test_a_planner_cannot_approve_and_is_told_why(tmp_path, monkeypatch):
    _roles_file(tmp_path, monkeypatch, f"planners: ['{ME}']\napprovers: [lan@example.vn]\n")
    sid = _draft()
    at = _library()
    assert at.button(key=f"lib_approve_{sid}").disabled
    why = f"Chỉ người phê duyệt mới phê duyệt được; {ME} không có tên trong danh sách người phê duyệt."
    assert why in _texts(at)
    assert store.load(sid).status == "draft" and store.approvals(sid) == []


def test_a_reader_cannot_save_upload_or_delete(tmp_path, monkeypatch, library):
    _roles_file(tmp_path, monkeypatch, "planners: [lan@example.vn]\napprovers: [lan@example.vn]\n")
    sid = _draft()
    before = sorted(p.name for p in library.glob("*.yaml"))
    at = _library()
    at.file_uploader(key="lib_upload").set_value(("mine.yaml", store.export_yaml(sid), "x"))
    at.run()
    at.button(key=f"lib_del_{sid}").click().run()
    assert sorted(p.name for p in library.glob("*.yaml")) == before
    assert "Chỉ người lập kế hoạch và người phê duyệt mới lưu được" in _texts(at)
    at.session_state["scenario"] = baseline().with_changes(rd_share_of_stid=35.0)
    at.session_state["w_save_box"] = True  # the Simulate page's save section, open
    at.switch_page("ui/page_simulate.py").run()
    assert at.button(key="save_submit").disabled
    assert f"Chỉ người lập kế hoạch và người phê duyệt mới lưu được; {ME} không thuộc nhóm nào." in _texts(at)


def test_a_broken_roles_file_grants_nothing_and_says_why(tmp_path, monkeypatch):
    _roles_file(tmp_path, monkeypatch, "approver: [lan@example.vn]\n")  # misspelled key
    sid = _draft()
    at = _library()
    assert at.button(key=f"lib_approve_{sid}").disabled
    why = "Không đọc được tệp phân quyền nên chưa ai lưu hay phê duyệt được: roles.yaml: approver: unknown key"
    assert why in _texts(at)


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}}


def _signed(user: dict | None) -> AppTest:
    """The app with sign-in configured; ``user``: the provider's claims, or None for nobody signed in."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = AUTH
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    at.session_state["lang"] = "vi"
    return at.run()


def test_with_sign_in_configured_no_page_runs_before_signing_in():
    at = _signed(None)
    assert not at.exception
    assert at.title[0].value == "Mô phỏng kịch bản NQ57"
    assert at.button(key="auth_login").label == "Đăng nhập"
    assert not [b for b in at.button if b.key == "save_submit"] and not at.get("plotly_chart")  # Simulate did not run
    assert not [c for c in at.caption if "Người dùng trên máy" in c.value]  # no local user when sign-in is configured


def test_a_signed_in_planner_saves_as_themselves_and_cannot_approve(tmp_path, monkeypatch):
    _roles_file(tmp_path, monkeypatch, "planners: ['*']\napprovers: [lan@example.vn]\n")
    at = _signed({"email": "Minh@Example.vn", "name": "Trần Văn Minh", "sub": "minh"})
    assert "Đã đăng nhập: Trần Văn Minh (người lập kế hoạch)" in _texts(at)
    assert at.button(key="auth_logout").label == "Đăng xuất"
    at.session_state["scenario"] = baseline().with_changes(rd_share_of_stid=33.0)
    at.session_state["w_save_box"] = True
    at.run()
    assert not [t for t in at.text_input if t.key == "save_author"]  # the author is not typed when signed in
    at.text_input(key="save_name").input("Kế hoạch của Minh")
    at.button(key="save_submit").click().run()
    assert store.load("ke-hoach-cua-minh").author == "Minh@Example.vn"
    assert [v.by for v in store.history("ke-hoach-cua-minh")] == ["Minh@Example.vn"]  # the version history too
    at.switch_page(LIBRARY).run()
    assert at.button(key="lib_approve_ke-hoach-cua-minh").disabled


def test_the_role_is_checked_again_when_approve_is_pressed(tmp_path, monkeypatch):
    """The page was drawn for an approver; the roles file changed before the click: the click is refused."""
    _roles_file(tmp_path, monkeypatch, f"approvers: ['{ME}']\n")
    sid = _draft()
    at = _library()
    assert not at.button(key=f"lib_approve_{sid}").disabled
    (tmp_path / "roles.yaml").write_text(f"planners: ['{ME}']\napprovers: [lan@example.vn]\n", encoding="utf-8")
    at.button(key=f"lib_approve_{sid}").click().run()
    assert store.load(sid).status == "draft" and store.approvals(sid) == []
    assert at.error[0].value.startswith("Chỉ người phê duyệt mới phê duyệt được")
