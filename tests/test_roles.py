"""Roles from the configuration file: planners save drafts, approvers approve, a bad file grants nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sim import roles
from sim.errors import InputError
from sim.roles import APPROVER, PLANNER, Roles, load_roles


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "roles.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_no_file_means_one_local_user_who_may_do_everything(tmp_path):
    got, from_file = load_roles(tmp_path / "absent.yaml")
    assert from_file is False
    assert roles.PLANNER in got.roles_of("anyone") and roles.APPROVER in got.roles_of("anyone")


def test_planners_save_and_approvers_approve_and_save(tmp_path):
    f = _write(tmp_path, "planners: [minh@example.vn]\napprovers: [Lan@Example.vn]\n")
    got, from_file = load_roles(f)
    assert from_file is True
    assert got.roles_of("minh@example.vn") == {PLANNER}
    assert got.roles_of("lan@example.vn") == {PLANNER, APPROVER}  # an approver may also save drafts
    assert got.roles_of("  LAN@example.VN ") == {PLANNER, APPROVER}  # e-mails are matched without case
    assert got.roles_of("someone.else@example.vn") == frozenset()  # neither listed: reads only
    assert got.roles_of("") == frozenset()


def test_the_wildcard_makes_everyone_signed_in_a_planner_but_not_an_approver(tmp_path):
    got, _ = load_roles(_write(tmp_path, 'planners: ["*"]\napprovers: [lan@example.vn]\n'))
    assert roles.PLANNER in got.roles_of("new.person@example.vn")
    assert roles.APPROVER not in got.roles_of("new.person@example.vn")
    assert roles.APPROVER in got.roles_of("lan@example.vn")


def test_roles_path_follows_the_setting(tmp_path, monkeypatch):
    f = _write(tmp_path, "approvers: [an]\n")
    monkeypatch.setenv(roles.ROLES_ENV, str(f))
    assert roles.roles_path() == f
    got, _ = load_roles()
    assert roles.APPROVER in got.roles_of("an") and roles.APPROVER not in got.roles_of("binh")
    monkeypatch.delenv(roles.ROLES_ENV)
    assert roles.roles_path() == roles.DEFAULT_ROLES_FILE


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("planners: minh@example.vn\n", "planners", "valid list"),
        ("approver: [lan@example.vn]\n", "approver", "unknown key (allowed: planners, approvers)"),
        ("approvers: [lan@example.vn, [nested]]\n", "approvers[1]", "valid string"),
        ("approvers: ['']\n", "approvers[0]", "at least 1 character"),
        ("- lan@example.vn\n", None, "expected a mapping"),
        ("approvers: [lan\n", None, "malformed YAML"),
        ("approvers: &a [x]\nplanners: *a\n", None, "alias"),
        ("", None, "empty"),
    ],
)
def test_a_bad_file_is_refused_in_one_line_naming_the_key(tmp_path, text, key, problem):
    with pytest.raises(InputError) as err:
        load_roles(_write(tmp_path, text))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("roles.yaml")
    assert problem in message
    assert err.value.key == key


def test_a_hostile_file_is_refused_quickly(tmp_path):
    f = tmp_path / "roles.yaml"
    f.write_text("approvers: " + "[" * 9000 + "]" * 9000 + "\n", encoding="utf-8")
    t = time.perf_counter()
    with pytest.raises(InputError, match=r"roles\.yaml"):
        load_roles(f)
    assert time.perf_counter() - t < 1.0


def test_a_file_that_cannot_be_read_is_an_error_not_the_default(tmp_path):
    d = tmp_path / "roles.yaml"
    d.mkdir()  # a folder where the file should be: reading fails with an OSError that is not "missing"
    with pytest.raises(InputError, match=r"roles\.yaml: cannot be read"):
        load_roles(d)


def test_nobody_has_a_role_in_the_broken_file_fallback():
    assert roles.NOBODY.roles_of("lan@example.vn") == frozenset()
    assert Roles() == roles.NOBODY


def test_local_user_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv(roles.LOCAL_USER_ENV, "  Phòng Tài chính ")
    assert roles.local_user() == "Phòng Tài chính"
    monkeypatch.delenv(roles.LOCAL_USER_ENV)
    assert roles.local_user()  # the operating system's user name, or "local"
