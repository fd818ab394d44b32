"""The scenario library (docs/model.md §7): many users, possibly on several servers, write it at once.

**Where it lives: one setting.** ``NQ57_STORE_URL`` unset or empty: a folder of YAML files (the default,
nothing to install): ``$NQ57_SCENARIO_DIR`` if set, else the repository's ``scenarios/``
(:mod:`sim.store.folder`). ``NQ57_STORE_URL=postgresql://user:password@host:5432/dbname``: a PostgreSQL
database shared by every server that names it (:mod:`sim.store.postgres`; the tables are created on
first use and the presets copied in). The functions below are the same for both, and so are the rules
users rely on:

- **Nothing is lost.** Deleting moves a scenario to the trash; updating a draft first puts the previous
  version there too. Both can be restored, and a restore never overwrites a scenario.
- **Every version is kept.** Each save, update, approval, rename or restore adds a version with who,
  when and how (:func:`history`); any version can be opened (:func:`load_version`) or brought back as a
  new version (:func:`restore_version`), which never destroys the ones after it.
- **A name clash never overwrites.** Saving a new scenario whose id or display name is taken picks the
  next free id ``<slug>-2``, ``<slug>-3``, ... and adds the same number to the display name (``"Plan
  (2)"``), so the user can tell the two apart. The choice is made while holding the library's one
  write lock (a file lock; a PostgreSQL advisory lock in the writing transaction), so concurrent saves
  from any number of processes and servers get distinct ids and names.
- **Presets and approved scenarios are read-only.** ``update`` (and ``restore_version``) on them saves
  a draft copy instead; ``rename`` and ``delete`` refuse. An approved scenario is only superseded by a
  new version that is approved in its turn.
- **Approval is an action.** Everything the store writes is a draft, whatever the file or the caller
  says (an upload claiming ``status: approved`` is stored as a draft); only :func:`approve` makes a
  scenario approved, and it records who and when.
- **Ids are plain names.** Ids with path separators, ``..``, a leading dot, reserved Windows device
  names (``CON``, ``NUL``, ...) or more than :data:`MAX_ID_LENGTH` characters are refused.
- **What is read is untrusted; what is saved can be opened again.** Every byte read back, from a file or
  from the database, is parsed within the limits of :mod:`sim.untrusted`; a scenario is written only if
  it reads back as the same scenario. A library that cannot be written says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..history import Version, diff
from ..params import Text
from ..scenario import Scenario, loads
from ..untrusted import MAX_FILE_BYTES
from ..views import fmt
from . import folder as _folder
from .base import (
    MAX_ID_LENGTH,
    MAX_LIVE_BYTES,
    RESERVED_IDS,
    SLUG_LENGTH,
    Backend,
    Library,
    LibraryUnavailableError,
    NotFoundError,
    ReadOnlyError,
    ReadOnlyLibraryError,
    Stored,
    StoredVersion,
    check_channel,
    check_id,
    slugify,
    utc_now,
)
from .folder import LOCK_FILE, SUFFIX, TRASH_DIR

__all__ = [
    "LOCK_FILE",
    "MAX_ID_LENGTH",
    "MAX_LIVE_BYTES",
    "RESERVED_IDS",
    "SLUG_LENGTH",
    "TRASH_DIR",
    "LibraryUnavailableError",
    "NotFoundError",
    "ReadOnlyError",
    "ReadOnlyLibraryError",
    "Version",
    "check_id",
    "slugify",
]

log = logging.getLogger(__name__)

STORE_ENV = "NQ57_STORE_URL"
LIBRARY_ENV = "NQ57_SCENARIO_DIR"
REPO_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
MAX_NAME_LENGTH = 200
MAX_CLASH_TRIES = 10_000
# A trash id: "<id>.<UTC timestamp>[-n].<reason>"
_TRASH_RE = re.compile(r"(?P<id>\w[\w-]*)\.(?P<ts>\d{8}T\d{12})(?:-(?P<n>\d+))?\.(?P<reason>deleted|replaced)")
_TS_FORMAT = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class Imported:
    """The outcome of :func:`import_upload`.

    Attributes:
        id: the id the file was stored under.
        claimed_approval: the file said ``status: approved``; it was stored as a draft all the same.
    """

    id: str
    claimed_approval: bool = False


@dataclass(frozen=True)
class Entry:
    """One scenario in the library, as the library page lists it.

    Attributes:
        id: stable handle for load, rename, delete (the file name without ``.yaml`` in a folder).
        name: display name (vi/en).
        region: profile id.
        status: ``draft`` or ``approved``.
        author: who saved it.
        modified: last change (UTC).
        read_only: a preset or approved (editing saves a copy).
        preset: shipped with the app (cannot be deleted).
        problem: why the scenario cannot be read (None when it is a valid scenario).
        approved_by: who approved it last in the library ("" for a draft, or a preset approved when shipped).
        approved_at: when (UTC; None when ``approved_by`` is "").
        body: the file as stored, what a download gives (b"" when it could not be read at all).
    """

    id: str
    name: Text
    region: str
    status: str
    author: str
    modified: dt.datetime
    read_only: bool
    preset: bool
    problem: str | None = None
    approved_by: str = ""
    approved_at: dt.datetime | None = None
    body: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class TrashEntry:
    """A deleted or replaced version kept in the trash.

    Attributes:
        id: trash id (pass it to :func:`restore`).
        original_id: the id the scenario had in the library.
        name: display name of the kept version.
        when: when it went to the trash (UTC).
        reason: ``deleted`` or ``replaced`` (the previous version of an updated draft).
    """

    id: str
    original_id: str
    name: Text
    when: dt.datetime
    reason: str


# ----------------------------------------------------------------- the back-end


def library_dir() -> Path:
    """The library folder of the folder back-end (read from the environment on every call)."""
    raw = os.environ.get(LIBRARY_ENV, "").strip()
    return (Path(raw).expanduser() if raw else REPO_SCENARIOS).resolve()


def store_url() -> str:
    """The setting that chooses the back-end (empty: the folder)."""
    return os.environ.get(STORE_ENV, "").strip()


def backend() -> Backend:
    """The back-end named by ``NQ57_STORE_URL`` (read on every call, so tests and servers can point it).

    Raises:
        InputError: the setting is neither empty nor a ``postgresql://`` address.
    """
    url = store_url()
    if not url:
        return _folder.FolderBackend(library_dir())
    if url.startswith(("postgresql://", "postgres://")):
        from . import postgres  # psycopg is only needed when the setting asks for PostgreSQL

        return postgres.backend(url)
    raise InputError("must be empty (a folder library) or a postgresql:// address", key=STORE_ENV)


_TX = threading.local()  # the library this thread is writing (a write inside a write reuses it)


@contextlib.contextmanager
def _open(write: bool) -> Iterator[Library]:
    """The library this thread is writing, if any (a read or a write inside a write joins it); else a new
    write or read of the back-end."""
    held = getattr(_TX, "library", None)
    if held is not None:
        yield held
        return
    b = backend()
    with b.writing() if write else b.reading() as lib:
        _TX.library = lib if write else None
        try:
            yield lib
        finally:
            _TX.library = None


def _writing() -> contextlib.AbstractContextManager[Library]:
    return _open(write=True)


def _reading() -> contextlib.AbstractContextManager[Library]:
    return _open(write=False)


# ----------------------------------------------------------------- parsing what was read

# Parsed bodies by (id, digest): listing the library on every page rerun stays cheap.
_CACHE: dict[tuple[str, bytes], Scenario | InputError] = {}


def _parse(sid: str, body: bytes) -> Scenario:
    """A stored scenario's bytes, parsed as any untrusted file (naming ``<id>.yaml`` in messages)."""
    key = (sid, hashlib.blake2b(body, digest_size=16).digest())
    hit = _CACHE.get(key)
    if hit is None:
        try:
            hit = loads(body, sid + SUFFIX)
        except InputError as exc:
            hit = exc
        if len(_CACHE) > 4000:
            _CACHE.clear()
        _CACHE[key] = hit
    if isinstance(hit, InputError):
        raise InputError(hit.message, hit.source, hit.key)
    return hit


def _scenario(stored: Stored) -> Scenario:
    if stored.problem:
        raise InputError(stored.problem)
    return _parse(stored.id, stored.body)


@cache
def _preset_ids() -> frozenset[str]:
    """Ids of the shipped presets: the approved files in the repository's ``scenarios/``."""
    out = set()
    for f in REPO_SCENARIOS.glob(f"*{SUFFIX}"):
        try:
            if _parse(f.stem, f.read_bytes()).status == "approved":
                out.add(f.stem)
        except (InputError, OSError):
            continue
    return frozenset(out)


def preset_files() -> dict[str, bytes]:
    """The shipped presets' files by id (a database library starts with them)."""
    return {sid: (REPO_SCENARIOS / f"{sid}{SUFFIX}").read_bytes() for sid in sorted(_preset_ids())}


def _encode(scenario: Scenario) -> bytes:
    """The file text of a scenario, after checking that it will read back as the same scenario.

    Raises:
        InputError: the file would be over the size limit (or otherwise not readable again).
    """
    data = scenario.to_yaml().encode("utf-8")
    if len(data) > MAX_FILE_BYTES:  # folding a long text at 100 columns adds an indent to every line
        data = scenario.to_yaml(width=math.inf).encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        size, limit = fmt.number(len(data), "en"), fmt.number(MAX_FILE_BYTES, "en")
        raise InputError(f"saved, the scenario would be {size} bytes; the limit is {limit}")
    loads(data, "scenario")  # raises if it could not be opened again
    return data


# ----------------------------------------------------------------- reading


def _entry(
    stored: Stored, presets: frozenset[str], approval: dict[str, str] | None = None
) -> tuple[Entry, Scenario | None]:
    """A stored scenario as the page lists it, and the scenario itself (None when it cannot be read)."""
    sid, mtime, body = stored.id, stored.modified, stored.body
    try:
        s = _scenario(stored)
    except InputError as exc:
        return Entry(sid, Text(vi=sid, en=sid), "", "", "", mtime, False, False, str(exc), body=body), None
    except Exception as exc:  # one bad entry must never hide the library from every user
        log.exception("unexpected error reading %s", sid)
        problem = f"{sid}: {exc!r}"[:200]
        return Entry(sid, Text(vi=sid, en=sid), "", "", "", mtime, False, False, problem, body=body), None
    approved = s.status == "approved"
    by, at = "", None
    if approved and approval is not None:
        with contextlib.suppress(ValueError):  # a hand-edited log line: the approval is not shown, the entry is
            at = dt.datetime.fromisoformat(approval["at"])
            at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
            by = approval["by"]
    preset = approved and sid in presets
    return Entry(sid, s.name, s.region, s.status, s.author, mtime, approved, preset, None, by, at, body), s


def _listed(approvals: bool = True) -> list[tuple[Entry, Scenario | None]]:
    """Every scenario of the library with its entry, in the page's order, from one read of the library
    (``approvals``: with each one's last approval; the pages that only pick a scenario need none)."""
    with _reading() as lib:
        rows = lib.listing() if approvals else [(stored, None) for stored in lib.all()]
    presets = _preset_ids()
    return sorted((_entry(stored, presets, approval) for stored, approval in rows), key=lambda pair: _order(pair[0]))


def list_entries() -> list[Entry]:
    """Every scenario in the library with what the library page shows of it (its last approval and its file
    included): users' scenarios newest first, then the presets by id. One query on PostgreSQL, one pass over
    the folder, however many scenarios there are.

    Entries that do not parse are listed with ``problem`` set, so the page can say what is wrong
    instead of hiding them.
    """
    return [e for e, _ in _listed()]


def readable() -> dict[str, Scenario]:
    """Every readable scenario of the library by id, in :func:`list_entries`' order, read in one pass."""
    return {e.id: s for e, s in _listed(approvals=False) if s is not None}


def unreadable() -> list[Entry]:
    """The entries of the library that cannot be read, each with its ``problem`` (no approvals read)."""
    return [e for e, s in _listed(approvals=False) if s is None]


def _order(e: Entry) -> tuple[bool, float, str]:
    """Users look for their own work first; presets keep a stable order after it."""
    return (e.preset, 0.0 if e.preset else -e.modified.timestamp(), e.id)


def _get(lib: Library, sid: str, deleted: bool = False) -> Stored:
    stored = lib.get(check_id(sid))
    if stored is None:
        more = " (it may have been deleted)" if deleted else ""
        raise NotFoundError(f"no such scenario in the library{more}", key=sid)
    return stored


def entry(sid: str) -> Entry:
    """One entry by id.

    Raises:
        NotFoundError: no such scenario.
    """
    with _reading() as lib:
        stored = _get(lib, sid)
        approved = lib.approvals(sid)
    return _entry(stored, _preset_ids(), approved[-1] if approved else None)[0]


def load(sid: str) -> Scenario:
    """Load a scenario by id.

    Raises:
        NotFoundError: no such scenario.
        InputError: a bad id or an invalid scenario (naming it, the key and the problem).
    """
    with _reading() as lib:
        stored = _get(lib, sid)
    return _scenario(stored)


def export_yaml(sid: str) -> bytes:
    """The scenario file exactly as stored (for a download)."""
    with _reading() as lib:
        return _get(lib, sid).body


def is_read_only(sid: str) -> bool:
    """Approved scenarios (presets included) are read-only."""
    return load(sid).status == "approved"


# ----------------------------------------------------------------- versions


def _add_version(lib: Library, sid: str, body: bytes, by: str, action: str, restored_from: int | None = None) -> None:
    n = lib.last_version(sid) + 1
    lib.version_add(sid, StoredVersion(n, by.strip()[:120], utc_now(), action, restored_from, body))


def _keep_current(lib: Library, stored: Stored) -> None:
    """Before a write replaces a scenario, make sure its history holds what is stored now.

    A scenario saved before history was kept (a preset, a file copied in) gets it as version 1; one whose
    stored text differs from its last version (a file edited on the shared drive, a row changed by hand)
    gets it as a version of its own, so a restore can bring that back too.
    """
    last = lib.versions(stored.id, last=1)  # a write needs the last version only, however long the history
    if last and last[-1].body == stored.body:
        return
    try:
        author = _parse(stored.id, stored.body).author
    except InputError:
        return  # unreadable: it goes to the trash as it is, and could not be restored as a version
    n, action = (last[-1].n + 1, "edited") if last else (1, "saved")
    lib.version_add(stored.id, StoredVersion(n, author, stored.modified, action, None, stored.body))


def history(sid: str, last: int | None = None) -> list[Version]:
    """Every saved version of a scenario (or the ``last`` ones), oldest first, each with what changed from
    the one before.

    A scenario saved before history was kept (or a preset) has one version: what is stored now.
    Versions whose stored text cannot be read are left out (they could not be restored either).

    Raises:
        NotFoundError: no such scenario.
    """
    with _reading() as lib:
        stored = _get(lib, sid)
        # one more than shown: the first shown says what changed from it
        kept = lib.versions(sid, last=None if last is None else last + 1)
    if not kept:
        s = _scenario(stored)
        return [Version(1, s.author, stored.modified, "saved", s.content_hash())]
    out: list[Version] = []
    previous: Scenario | None = None
    for v in kept:
        try:
            s = _parse(sid, v.body)
        except InputError:
            log.warning("version %s of %s cannot be read; left out of its history", v.n, sid)
            continue
        changes = diff(previous, s) if previous is not None else ()
        out.append(Version(v.n, v.by, v.at, v.action, s.content_hash(), changes, v.restored_from))
        previous = s
    return out if last is None else out[-last:]


def latest_versions() -> dict[str, int]:
    """The newest version number of every id with more than its first version (for choosing one).

    An id may also be that of a deleted scenario (its history is kept): intersect with :func:`list_entries`.
    """
    with _reading() as lib:
        counts = lib.last_versions()
    return {sid: n for sid, n in counts.items() if n > 1}


def load_version(sid: str, n: int) -> Scenario:
    """Version ``n`` of a scenario (as :func:`history` numbers them).

    Raises:
        NotFoundError: no such scenario or version.
    """
    with _reading() as lib:
        stored = _get(lib, sid)
        version = lib.version(sid, n)
        unversioned = version is None and n == 1 and not lib.versions(sid, last=1)
    if version is not None:
        return _parse(sid, version.body)
    if unversioned:  # saved before history was kept: what is stored is its version 1
        return _scenario(stored)
    raise NotFoundError(f"the scenario has no version {n}", key=sid)


def restore_version(sid: str, n: int, *, by: str | None = None) -> str:
    """Bring back version ``n`` as a new version (the versions after it are kept).

    The content (region, note, levers and assumptions) is version ``n``'s; the name stays the current
    one, since the id follows the name. As for :func:`update`, an approved scenario gets a draft copy.

    Returns:
        The id the restored content was saved under.
    """
    old = load_version(sid, n)
    current = load(sid)
    content = replace(old, name=current.name, status="draft")
    return update(sid, content, by=by, _action="restored", _restored_from=n)


# ----------------------------------------------------------------- creating


def _numbered(name: Text, n: int) -> Text:
    if n == 1:
        return name
    return Text(vi=f"{name.vi} ({n})", en=f"{name.en} ({n})")


def _named(scenario: Scenario, name: str | Text | None = None) -> Scenario:
    """The scenario as it will be stored: a draft with its name (or ``name``) normalised, the one place names
    are checked: trimmed, one language filling in for a missing other, at most :data:`MAX_NAME_LENGTH`.

    Raises:
        InputError: an empty or too long name.
    """
    name = scenario.name if name is None else name
    if not isinstance(name, Text):
        name = Text(vi=name, en=name)
    vi, en = name.vi.strip(), name.en.strip()
    if not vi and not en:
        raise InputError("a scenario needs a name", key="name")
    if max(len(vi), len(en)) > MAX_NAME_LENGTH:
        raise InputError(f"the name is longer than {MAX_NAME_LENGTH} characters", key="name")
    return replace(scenario, name=Text(vi=vi or en, en=en or vi), status="draft")


def _create(scenario: Scenario, by: str | None = None, history_of: str | None = None) -> tuple[str, Scenario]:
    """Store a scenario under a new, unused id; never replaces one.

    ``scenario`` comes from :func:`_named` (every caller names it once). The id is the slug of the
    Vietnamese name. If that id is taken, or another scenario already shows the same name (in either
    language), the next free number is used for both the id and the display name, chosen under the
    library's write lock. ``history_of``: the id whose history the new one continues (a rename);
    otherwise its history starts at version 1.
    """
    name = scenario.name
    base = slugify(name.vi)
    with _writing() as lib:
        rows = lib.all()
        taken = {r.id for r in rows}
        shown = set()
        for r in rows:
            with contextlib.suppress(InputError):
                s = _scenario(r)
                shown.update((s.name.vi.casefold(), s.name.en.casefold()))
        n = 1
        for _ in range(MAX_CLASH_TRIES):
            sid = base if n == 1 else f"{base}-{n}"
            numbered = _numbered(name, n)
            if sid in taken or numbered.vi.casefold() in shown or numbered.en.casefold() in shown:
                n += 1
                continue
            final = replace(scenario, name=numbered)
            body = _encode(final)
            if not lib.insert(sid, body):  # written meanwhile by something outside the store
                n += 1
                continue
            who = final.author if by is None else by
            if history_of is not None:
                lib.versions_move(history_of, sid)
                _add_version(lib, sid, body, who, "renamed")
            else:
                lib.versions_archive(sid)  # a deleted scenario's history under the same id is set aside
                _add_version(lib, sid, body, who, "saved")
            log.info("saved scenario %s", sid)
            return sid, final
    raise InputError(f"too many scenarios named {name.vi!r}; choose another name", key="name")


def save_new(scenario: Scenario, *, by: str | None = None) -> str:
    """Save a scenario as a new draft in the library (its version 1).

    A name clash never overwrites: the next free id ``<slug>-N`` is used and `` (N)`` is added to the
    name (see the module docstring). The saved copy is a draft whatever the status passed in.

    Args:
        scenario: what to save.
        by: who saves it (recorded in the history; default: the scenario's author).

    Returns:
        The id it was saved under (``load(id).name`` gives the name actually used).

    Raises:
        InputError: an empty or too long name.
    """
    sid, _ = _create(_named(scenario), by)
    return sid


def import_upload(data: bytes, filename: str, *, by: str | None = None) -> Imported:
    """Add an uploaded scenario file to the library, validated exactly as the command line does.

    The file is stored in the canonical form (comments are not kept; the user still has the original)
    as a draft: a file cannot approve itself (``claimed_approval`` says when it tried). Name clashes
    follow :func:`save_new`.

    Raises:
        InputError: with a plain message naming the file, key and problem; nothing is saved.
    """
    shown = Path(str(filename).replace("\\", "/")).name[:80] or "upload"
    scenario = loads(data, shown)
    sid, _ = _create(_named(scenario), by)
    return Imported(sid, claimed_approval=scenario.status == "approved")


def duplicate(sid: str, new_name: str | Text, *, by: str | None = None) -> str:
    """Save a draft copy of a scenario under a new name (read-only sources may be duplicated).

    Returns:
        The id of the copy.
    """
    sid, _ = _create(_named(load(sid), new_name), by)
    return sid


# ----------------------------------------------------------------- changing


def _to_trash(lib: Library, sid: str, body: bytes, reason: str) -> str:
    """Put bytes in the trash under a fresh timestamped id (never replacing an entry)."""
    ts = utc_now().strftime(_TS_FORMAT)
    for n in range(MAX_CLASH_TRIES):
        tid = f"{sid}.{ts}{'' if n == 0 else f'-{n}'}.{reason}"
        if lib.trash_add(tid, body):
            return tid
    raise InputError("the trash is full for this scenario", key=sid)


def update(
    sid: str,
    scenario: Scenario,
    *,
    by: str | None = None,
    _action: str = "updated",
    _restored_from: int | None = None,
) -> str:
    """Save changes to an existing draft as its next version; the previous one also goes to the trash.

    Presets and approved scenarios are read-only: for them a draft copy is saved instead (as
    :func:`save_new` does) and the original stays as it was.

    Args:
        sid: the draft's id.
        scenario: the new content (its status is ignored: an update never approves).
        by: who saves (recorded in the history; default: the scenario's author).

    Returns:
        The id the changes were saved under: ``sid`` for a draft, the new copy's id otherwise.

    Raises:
        NotFoundError: the scenario is gone (e.g. another user deleted it); nothing is written.
    """
    check_id(sid)
    scenario = _named(scenario)
    with _writing() as lib:
        current = _get(lib, sid, deleted=True)
        if _status(current) == "approved":
            return _create(scenario, by)[0]
        data = _encode(scenario)
        _keep_current(lib, current)
        # Under the lock, two sessions updating at once each keep the other's version.
        _to_trash(lib, sid, current.body, "replaced")
        lib.replace(sid, data)
        _add_version(lib, sid, data, scenario.author if by is None else by, _action, _restored_from)
    return sid


def _status(stored: Stored) -> str | None:
    """A stored scenario's status, None when it cannot be read (a broken one can still go to the trash)."""
    try:
        return _scenario(stored).status
    except InputError:
        return None


def approve(sid: str, by: str) -> str:
    """Approve a draft: the one way a scenario in the library becomes approved (and so read-only).

    Who may approve is decided by the caller (the app's roles); the content is kept as it is, and the
    approval is recorded (who, when, the content hash) in the approval log and as a new version.

    Returns:
        ``sid``.

    Raises:
        NotFoundError: no such scenario.
        InputError: no approver named, or the scenario cannot be read.
    """
    if not isinstance(by, str) or not by.strip():
        raise InputError("an approval needs the approver's name", key="by")
    with _writing() as lib:
        current = _get(lib, sid)
        s = _scenario(current)
        if s.status != "approved":
            approved = replace(s, status="approved")
            body = _encode(approved)
            _keep_current(lib, current)
            lib.replace(sid, body)
            record = {"id": sid, "by": by.strip()[:120], "at": utc_now().isoformat(timespec="seconds")}
            record["hash"] = approved.content_hash()
            lib.approval_add(record)
            _add_version(lib, sid, body, by, "approved")
            log.info("approved scenario %s (%s)", sid, record["by"])
    return sid


def approvals(sid: str) -> list[dict[str, str]]:
    """The approvals recorded for an id, oldest first: ``{"id", "by", "at" (UTC, ISO 8601), "hash"}``."""
    check_id(sid)
    with _reading() as lib:
        return lib.approvals(sid)


def rename(sid: str, new_name: str | Text, *, by: str | None = None) -> str:
    """Give a draft a new name; its id follows the name (the next free one if that is taken).

    The history follows the scenario to its new id.

    Returns:
        The id after renaming (unchanged when the new name gives the same id).

    Raises:
        ReadOnlyError: presets and approved scenarios cannot be renamed (duplicate them instead).
        NotFoundError: no such scenario.
    """
    with _writing() as lib:
        current = _get(lib, sid)
        s = _scenario(current)
        if s.status == "approved":
            raise ReadOnlyError("approved scenarios are read-only; duplicate it to change it", key=sid)
        renamed = _named(s, new_name)
        who = s.author if by is None else by
        _keep_current(lib, current)
        if slugify(renamed.name.vi) == sid:
            body = _encode(renamed)
            lib.replace(sid, body)
            _add_version(lib, sid, body, who, "renamed")
            return sid
        # Under the lock no update can slip in between the copy and the removal of the old one.
        new_id, _ = _create(renamed, who, history_of=sid)
        lib.remove(sid)
    return new_id


def delete(sid: str) -> str:
    """Move a scenario to the trash (restorable with :func:`restore`; its history is kept).

    Returns:
        The trash id.

    Raises:
        ReadOnlyError: presets and approved scenarios cannot be deleted (a new approved version
            supersedes them).
        NotFoundError: no such scenario (e.g. another user deleted it first).
    """
    with _writing() as lib:
        current = _get(lib, sid)
        if _status(current) == "approved":
            if sid in _preset_ids():
                raise ReadOnlyError("presets ship with the app and cannot be deleted", key=sid)
            raise ReadOnlyError("approved scenarios cannot be deleted; approve a new version instead", key=sid)
        tid = _to_trash(lib, sid, current.body, "deleted")
        lib.remove(sid)
    log.info("moved scenario %s to the trash as %s", sid, tid)
    return tid


# ----------------------------------------------------------------- trash


def list_trash() -> list[TrashEntry]:
    """The trash, newest first."""
    with _reading() as lib:
        items = lib.trash_all()
    out = []
    for tid, body in items:
        m = _TRASH_RE.fullmatch(tid)
        if not m:
            continue
        when = dt.datetime.strptime(m["ts"], _TS_FORMAT).replace(tzinfo=dt.UTC)
        try:
            name = _parse(m["id"], body).name
        except InputError:
            name = Text(vi=m["id"], en=m["id"])
        out.append(TrashEntry(tid, m["id"], name, when, m["reason"]))
    out.sort(key=lambda t: (t.when, t.id), reverse=True)
    return out


def restore(trash_id: str, *, by: str = "") -> str:
    """Bring a trashed scenario back into the library; never overwrites one.

    It goes back under its original id if that is free (its history continues); otherwise it is saved
    as a new scenario (next free id, numbered name, as :func:`save_new`). Either way it leaves the trash.

    Returns:
        The id it was restored under.
    """
    m = _TRASH_RE.fullmatch(trash_id) if isinstance(trash_id, str) and len(trash_id) <= 2 * MAX_ID_LENGTH else None
    if m is None:
        raise InputError(f"{str(trash_id)[:40]!r} is not a trash entry", key="trash id")
    original = check_id(m["id"])
    with _writing() as lib:
        body = lib.trash_get(trash_id)
        if body is None:
            raise NotFoundError("no such entry in the trash", key=trash_id)
        if lib.insert(original, body):  # fails if the id is taken: never an overwrite
            new_id = original
            _add_version(lib, new_id, body, by, "untrashed")
        else:
            new_id, _ = _create(_named(_parse(original, body)), by or None)
        lib.trash_remove(trash_id)
    return new_id


# ----------------------------------------------------------------- live state (a presenter's current step)


def put_live(channel: str, payload: dict[str, object]) -> None:
    """Publish a small JSON state (at most :data:`MAX_LIVE_BYTES`) on ``channel``, replacing the last one.

    Used by follow mode: the presenter publishes the current step, followers poll :func:`get_live`.
    Every server sharing the library (the folder or the database) sees it.
    """
    check_channel(channel)
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    if len(data) > MAX_LIVE_BYTES:
        raise InputError(f"a live state is at most {MAX_LIVE_BYTES} bytes", key="payload")
    with _reading() as lib:  # one state replaces the last: no lock needed
        lib.live_put(channel, data)


def get_live(channel: str) -> dict[str, object] | None:
    """The last state published on ``channel``, or None if there is none or it cannot be read."""
    check_channel(channel)
    with _reading() as lib:
        data = lib.live_get(channel)
    if data is None or len(data) > MAX_LIVE_BYTES:
        return None
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
