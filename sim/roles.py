"""Who may do what in the scenario library: roles read from a configuration file.

Two roles:

- **planner**: saves drafts (save as new, save changes, upload, duplicate, rename, delete a draft);
- **approver**: approves a draft (:func:`sim.store.approve`); an approver is a planner too.

Everyone else may read: open, compare, download. The file is ``config/roles.yaml`` in the repository, or
the path in ``$NQ57_ROLES_FILE``::

    planners: ["*"]                  # "*": everyone who is signed in
    approvers:
      - lan.nguyen@example.gov.vn    # as the sign-in provider gives it: e-mail, else the subject

A user is matched by the identity the app knows (:mod:`ui.identity`): the e-mail the sign-in provider
gives (its subject when it gives none), or, without sign-in, the local user's name
(:func:`local_user`). Matching ignores case and surrounding spaces.

**Without the file** the app runs as before there were roles: one local user who may do everything
(:data:`EVERYONE`). A file that cannot be read gives no one a role (:func:`load_roles` raises; the app
shows the one-line reason and lets everybody read), so a typo never hands out approval.
"""

from __future__ import annotations

import functools
import getpass
import os
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .errors import InputError
from .untrusted import parse_yaml, validate

ROLES_ENV = "NQ57_ROLES_FILE"
LOCAL_USER_ENV = "NQ57_LOCAL_USER"
DEFAULT_ROLES_FILE = Path(__file__).resolve().parents[1] / "config" / "roles.yaml"
ANYONE = "*"
PLANNER = "planner"
APPROVER = "approver"
MAX_USERS = 10_000

# An identity as a sign-in provider gives it (an e-mail or a subject), or the wildcard.
UserId = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=320)]


class Roles(BaseModel):
    """The roles file: who plans and who approves.

    Attributes:
        planners: users who save drafts (``"*"``: everyone signed in).
        approvers: users who approve drafts; they may also do what planners do.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    planners: list[UserId] = Field(default_factory=list, max_length=MAX_USERS)
    approvers: list[UserId] = Field(default_factory=list, max_length=MAX_USERS)

    def roles_of(self, user: str) -> frozenset[str]:
        """The roles of ``user`` (an e-mail, a subject or a local user name): a subset of planner, approver."""
        who = user.strip().lower()
        if not who:
            return frozenset()
        approver = who in self.approvers or ANYONE in self.approvers
        planner = approver or who in self.planners or ANYONE in self.planners
        return frozenset(r for r, has in ((PLANNER, planner), (APPROVER, approver)) if has)


EVERYONE = Roles(planners=[ANYONE], approvers=[ANYONE])  # no roles file: one local user who may do everything
NOBODY = Roles()  # what a broken roles file grants: reading only


def roles_path() -> Path:
    """Where the roles file is: ``$NQ57_ROLES_FILE`` if set, else ``config/roles.yaml`` in the repository."""
    raw = os.environ.get(ROLES_ENV, "").strip()
    return Path(raw).expanduser() if raw else DEFAULT_ROLES_FILE


def load_roles(path: Path | None = None) -> tuple[Roles, bool]:
    """Read the roles file.

    Args:
        path: the file; :func:`roles_path` when not given.

    Returns:
        The roles, and whether they came from a file (``False``: no file, so :data:`EVERYONE`).

    Raises:
        InputError: the file exists but cannot be read or is not a valid roles file (one line naming
            the file, the key and the problem).
    """
    path = path or roles_path()
    source = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return EVERYONE, False
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source) from None
    return _parsed(data, source), True


@functools.lru_cache(maxsize=8)
def _parsed(data: bytes, source: str) -> Roles:
    """The roles in a file's content: parsed once per content, since every page run asks (edits apply at once)."""
    return validate(Roles, parse_yaml(data, source), source, "roles file")


def local_user() -> str:
    """The one user of an app without sign-in: ``$NQ57_LOCAL_USER``, else the operating system's user name."""
    name = os.environ.get(LOCAL_USER_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in a bare container
        return "local"
