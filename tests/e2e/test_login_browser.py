"""Browser: sign-in through an OpenID Connect provider (st.login), roles from the roles file.

A local test provider (``oidc-provider-mock``) runs on loopback with two users; the app runs from a
temporary folder whose ``.streamlit/secrets.toml`` configures sign-in against it, with a roles file in
which Minh plans and Lan approves. Minh signs in, sees his name and cannot approve; Lan approves, and
the library records her identity.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import oidc_provider_mock as oidc_mock
import pytest
from e2e_helpers import ROOT, start_server, wait_for_app
from playwright.sync_api import expect

from sim import store
from sim.params import Text
from sim.scenario import baseline

PLANNER = {"sub": "minh", "email": "minh@example.vn", "name": "Trần Văn Minh"}
APPROVER = {"sub": "lan", "email": "lan@example.vn", "name": "Nguyễn Thị Lan"}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The test provider on a free loopback port; its base URL."""
    users = [oidc_mock.User(sub=u.pop("sub"), claims=u) for u in (dict(PLANNER), dict(APPROVER))]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider serves plain HTTP on loopback
        with oidc_mock.run_server_in_thread(user_claims=users) as srv:
            yield f"http://localhost:{srv.server_port}"


@pytest.fixture(scope="module")
def signed_app(provider: str, library_dir: Path) -> Iterator[tuple[str, Path]]:
    """The app with sign-in configured (secrets in a temporary working folder) and a roles file."""
    work = Path(tempfile.mkdtemp(prefix="nq57-login-"))
    (work / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", work / ".streamlit" / "config.toml")
    (work / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "nq57-simulator"\n'
        'client_secret = "not-a-secret-on-loopback"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    roles_file = work / "roles.yaml"
    roles_file.write_text(f'planners: ["*"]\napprovers: ["{APPROVER["email"]}"]\n', encoding="utf-8")
    env = {
        "NQ57_SCENARIO_DIR": str(library_dir),
        "NQ57_ROLES_FILE": str(roles_file),
        "AUTHLIB_INSECURE_TRANSPORT": "1",  # the app fetches tokens from the provider over plain HTTP on loopback
    }
    proc, url = start_server(str(ROOT / "app.py"), env=env, cwd=work)
    yield url, library_dir
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def draft(signed_app: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> str:
    """A draft in the server's library, saved directly through the store."""
    monkeypatch.setenv(store.LIBRARY_ENV, str(signed_app[1]))
    name = f"Nháp {secrets.token_hex(3)}"
    return store.save_new(replace(baseline().with_changes(rd_share_of_stid=28.0), name=Text(vi=name, en=name)))


@pytest.fixture(autouse=True)
def _patient(page):
    page.set_default_timeout(60_000)
    expect.set_options(timeout=60_000)


def _sign_in(page, url: str, user: dict[str, str]) -> None:
    """Open the app, press Sign in, pick the user on the provider's page, come back signed in."""
    page.goto(url)
    wait_for_app(page)
    expect(page.locator("h1").first).to_contain_text("Mô phỏng kịch bản NQ57")
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # no page before signing in
    page.locator(".st-key-auth_login button").click()
    page.get_by_role("button", name=user["sub"], exact=True).click()  # the provider's form
    page.wait_for_url(f"{url}/**")
    wait_for_app(page)
    expect(page.locator(".st-key-identity")).to_contain_text(f"Đã đăng nhập: {user['name']}")


def _library(page) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text="Kịch bản").click()
    wait_for_app(page)


def _approve_button(page, sid: str):
    return page.locator(f".st-key-lib_approve_{sid}").get_by_role("button", name="Phê duyệt")


def test_a_planner_signs_in_sees_their_name_cannot_approve_and_signs_out(signed_app, draft, page):
    url, _ = signed_app
    _sign_in(page, url, PLANNER)
    expect(page.locator(".st-key-identity")).to_contain_text("(người lập kế hoạch)")
    _library(page)
    expect(_approve_button(page, draft)).to_be_disabled()
    expect(page.get_by_text("Chỉ người phê duyệt mới phê duyệt được; Trần Văn Minh không có tên")).to_be_visible()
    assert store.load(draft).status == "draft"
    page.locator(".st-key-auth_logout button").click()
    page.get_by_role("button", name="End session").click()  # the provider ends its session, then sends us back
    expect(page.locator(".st-key-auth_login button")).to_be_visible()
    expect(page.locator(".st-key-identity")).to_have_count(0)


def test_an_approver_approves_and_the_approval_records_who(signed_app, draft, page):
    url, _ = signed_app
    _sign_in(page, url, APPROVER)
    expect(page.locator(".st-key-identity")).to_contain_text("(người lập kế hoạch, người phê duyệt)")
    _library(page)
    _approve_button(page, draft).click()
    wait_for_app(page)
    expect(page.locator(f".st-key-lib_entry_{draft}")).to_contain_text("Phê duyệt bởi lan@example.vn")
    assert store.load(draft).status == "approved"
    assert [a["by"] for a in store.approvals(draft)] == ["lan@example.vn"]
