"""What every library back-end stores, and the interface it implements (:class:`Library`).

A back-end keeps bytes: scenario files (the YAML text a folder would hold), versions, trash entries,
approvals and live states. It knows nothing of scenarios: the rules (names, numbering, drafts and
approval, read-only scenarios, history) live once in :mod:`sim.store`, which parses every byte it reads
through :mod:`sim.untrusted`, whatever the back-end. A back-end's one duty beyond storage is
exclusion: inside :meth:`Backend.writing` no other process or thread writes to the same library.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from ..errors import InputError

MAX_ID_LENGTH = 100
SLUG_LENGTH = 60
# Device names Windows reserves in any folder, with or without an extension (a shared drive may be SMB).
RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in [*"123456789", "¹", "²", "³"]]
)
# An id is what users could type: letters (any script), digits, '_' and '-'; no dots, no separators.
_ID_RE = re.compile(r"\w[\w-]*")
MAX_LIVE_BYTES = 16 * 1024
LIVE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class NotFoundError(InputError):
    """No scenario (or trash entry, or version) with this id."""


class ReadOnlyError(InputError):
    """The scenario is a preset or approved: it cannot be changed in place."""


class ReadOnlyLibraryError(InputError):
    """The library cannot be written (a read-only share, no permission)."""


class LibraryUnavailableError(InputError):
    """The library's database cannot be reached (stopped, wrong address, wrong password)."""


@dataclass(frozen=True)
class Stored:
    """A scenario as a back-end keeps it.

    Attributes:
        id: the scenario's id.
        body: the scenario file's bytes (untrusted until parsed).
        modified: last change (UTC).
        problem: why the bytes could not be read at all (None for a readable entry).
    """

    id: str
    body: bytes
    modified: dt.datetime
    problem: str | None = None


@dataclass(frozen=True)
class StoredVersion:
    """One saved version as a back-end keeps it (see :class:`sim.history.Version` for the meaning)."""

    n: int
    by: str
    at: dt.datetime
    action: str
    restored_from: int | None
    body: bytes


class Library(Protocol):
    """The storage a back-end offers inside :meth:`Backend.reading` or :meth:`Backend.writing`.

    Ids given to it are already checked (:func:`check_id`); write methods are only called inside
    :meth:`Backend.writing`.
    """

    where: str  # the folder or the database, as a message names it

    def all(self) -> list[Stored]: ...
    # Every scenario with its last approval record (None if never approved), in one read: what a listing shows.
    def listing(self) -> list[tuple[Stored, dict[str, str] | None]]: ...
    def get(self, sid: str) -> Stored | None: ...
    def insert(self, sid: str, body: bytes) -> bool: ...  # False when the id is taken; never replaces
    def replace(self, sid: str, body: bytes) -> None: ...
    def remove(self, sid: str) -> None: ...

    def trash_all(self) -> list[tuple[str, bytes]]: ...  # (trash id, bytes)
    def trash_get(self, tid: str) -> bytes | None: ...
    def trash_add(self, tid: str, body: bytes) -> bool: ...  # False when the trash id is taken
    def trash_remove(self, tid: str) -> None: ...

    def approval_add(self, record: dict[str, str]) -> None: ...
    def approvals(self, sid: str) -> list[dict[str, str]]: ...

    def versions(self, sid: str, last: int | None = None) -> list[StoredVersion]: ...  # oldest first; the newest `last`
    def version(self, sid: str, n: int) -> StoredVersion | None: ...
    def last_version(self, sid: str) -> int: ...  # 0: no history recorded
    def last_versions(self) -> dict[str, int]: ...  # every id with a history -> its newest version
    def version_add(self, sid: str, version: StoredVersion) -> None: ...
    def versions_archive(self, sid: str) -> None: ...  # set a history aside (the id is reused)
    def versions_move(self, old: str, new: str) -> None: ...  # the history follows a renamed scenario

    def live_put(self, channel: str, data: bytes) -> None: ...
    def live_get(self, channel: str) -> bytes | None: ...


class Backend(Protocol):
    """A library back-end: where the bytes live and how writers exclude each other."""

    def reading(self) -> AbstractContextManager[Library]: ...
    def writing(self) -> AbstractContextManager[Library]: ...


def check_id(sid: object, what: str = "scenario id") -> str:
    """Refuse an id that could reach outside the library folder or is not one of its file names.

    Raises:
        InputError: naming the id and the problem.
    """
    if not isinstance(sid, str) or not sid:
        raise InputError(f"{what} must be a non-empty text", key=what)
    shown = sid if len(sid) <= 40 else sid[:40] + "…"
    if len(sid) > MAX_ID_LENGTH:
        raise InputError(f"{shown!r} is longer than {MAX_ID_LENGTH} characters", key=what)
    if "/" in sid or "\\" in sid or "\x00" in sid or ".." in sid or os.path.isabs(sid):
        raise InputError(f"{shown!r} may not contain path separators or '..'", key=what)
    if sid.startswith("."):
        raise InputError(f"{shown!r} may not start with a dot", key=what)
    if not _ID_RE.fullmatch(sid):
        raise InputError(f"{shown!r} may only contain letters, digits, '_' and '-'", key=what)
    if sid.casefold() in RESERVED_IDS:
        raise InputError(f"{shown!r} is a name Windows reserves for a device", key=what)
    return sid


def check_channel(channel: object) -> str:
    """A live channel's name: 1-64 ASCII letters, digits, '_' or '-'."""
    if not isinstance(channel, str) or not LIVE_RE.fullmatch(channel):
        raise InputError("a live channel is 1-64 letters, digits, '_' or '-'", key="channel")
    return channel


def slugify(name: str) -> str:
    """A file-name-safe id from a display name: ASCII letters, digits and dashes.

    ``"Lộ trình Nghị quyết 57"`` -> ``"lo-trinh-nghi-quyet-57"``; a name with nothing usable gives
    ``"scenario"``.
    """
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:SLUG_LENGTH].strip("-")
    if slug in RESERVED_IDS:
        return f"scenario-{slug}"
    return slug or "scenario"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
