"""The scenario library: a shared folder of scenario files (docs/model.md §7) that many users write at once.

The folder is ``$NQ57_SCENARIO_DIR`` if set, else the repository's ``scenarios/``. A scenario's id is its
file name without ``.yaml``. The rules users rely on:

- **Nothing is lost.** Deleting moves the file to ``.trash/`` inside the library; updating a draft first
  puts the previous version there too. Both can be restored, and a restore never overwrites a file.
- **A name clash never overwrites.** Saving a new scenario whose file name or display name is taken
  picks the next free id ``<slug>-2``, ``<slug>-3``, ... and adds the same number to the display name
  (``"Plan (2)"``), so the user can tell the two apart. The caller learns the id (and so the name)
  that was actually used.
- **Presets and approved scenarios are read-only.** ``update`` on them saves a draft copy instead;
  ``rename`` and ``delete`` refuse. An approved scenario is only superseded by a new version that is
  approved in its turn.
- **Approval is an action.** Every file the store writes is a draft, whatever the file or the caller
  says (an upload claiming ``status: approved`` is stored as a draft); only :func:`approve` makes a
  scenario approved.
- **Ids stay inside the folder.** Ids with path separators, ``..``, a leading dot, absolute paths,
  reserved Windows device names (``CON``, ``NUL``, ``COM1``, ...) or more than :data:`MAX_ID_LENGTH`
  characters are refused; every path is checked to lie in the folder, and symbolic links (a file or the
  trash folder) are never followed.
- **Concurrent writers are safe.** Every write goes through :func:`sim.atomic.atomic_write` (temporary
  file, fsync, rename) under one lock shared by all processes, so the free id and the free name are
  chosen atomically; a new file is created with a hard link, which never replaces one. Temporary
  files left by a killed writer are removed after :data:`STALE_TMP_SECONDS`.
- **What is saved can be opened again.** A file is written only if it reads back as the same scenario
  within the limits of :mod:`sim.untrusted`; a library on a read-only folder says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import math
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

from .atomic import atomic_write
from .errors import InputError
from .params import Text
from .scenario import MAX_FILE_BYTES, Scenario, load_scenario, loads
from .views import fmt

log = logging.getLogger(__name__)

LIBRARY_ENV = "NQ57_SCENARIO_DIR"
REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TRASH_DIR = ".trash"
LOCK_FILE = ".lock"
APPROVALS_FILE = "approvals.jsonl"  # in the trash folder: who approved what, when (one JSON object a line)
SUFFIX = ".yaml"
MAX_ID_LENGTH = 100
SLUG_LENGTH = 60
MAX_NAME_LENGTH = 200
MAX_CLASH_TRIES = 10_000
STALE_TMP_SECONDS = 15 * 60  # a write takes milliseconds; older temporary files are a killed writer's
# Device names Windows reserves in any folder, with or without an extension (a shared drive may be SMB).
RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in [*"123456789", "¹", "²", "³"]]
)

# An id is what users could type: letters (any script), digits, '_' and '-'; no dots, no separators.
_ID_RE = re.compile(r"\w[\w-]*")
# A trash id: "<id>.<UTC timestamp>[-n].<reason>"
_TRASH_RE = re.compile(r"(?P<id>\w[\w-]*)\.(?P<ts>\d{8}T\d{12})(?:-(?P<n>\d+))?\.(?P<reason>deleted|replaced)")
_TS_FORMAT = "%Y%m%dT%H%M%S%f"


class NotFoundError(InputError):
    """No scenario (or trash entry) with this id."""


class ReadOnlyError(InputError):
    """The scenario is a preset or approved: it cannot be changed in place."""


class ReadOnlyLibraryError(InputError):
    """The library folder cannot be written (a read-only share, no permission)."""


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
        id: file name without ``.yaml`` (stable handle for load, rename, delete).
        name: display name (vi/en).
        region: profile id.
        status: ``draft`` or ``approved``.
        author: who saved it.
        modified: last change of the file (local time).
        read_only: a preset or approved (editing saves a copy).
        preset: shipped with the app (cannot be deleted).
        problem: why the file cannot be read (None when it is a valid scenario).
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


@dataclass(frozen=True)
class TrashEntry:
    """A deleted or replaced version kept in the trash.

    Attributes:
        id: trash id (pass it to :func:`restore`).
        original_id: the id the file had in the library.
        name: display name of the kept version.
        when: when it went to the trash (UTC).
        reason: ``deleted`` or ``replaced`` (the previous version of an updated draft).
    """

    id: str
    original_id: str
    name: Text
    when: dt.datetime
    reason: str


# ----------------------------------------------------------------- folder and ids


def library_dir() -> Path:
    """The library folder (read from the environment on every call, so tests and servers can point it)."""
    raw = os.environ.get(LIBRARY_ENV, "").strip()
    return (Path(raw).expanduser() if raw else REPO_SCENARIOS).resolve()


def _trash_dir() -> Path:
    trash = library_dir() / TRASH_DIR
    if trash.is_symlink():  # it could point anywhere: deleting would then write outside the library
        raise InputError("the library's trash folder is a link to another place; it is not used", key=TRASH_DIR)
    return trash


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


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, after checking that it is not a link and lies directly inside ``folder``."""
    path = folder / name
    if path.is_symlink():
        raise InputError(f"{name!r} is a link; the library only reads and writes its own files", key="scenario id")
    if path.resolve().parent != folder.resolve():
        raise InputError(f"{name!r} is outside the scenario library", key="scenario id")
    return path


def _path(sid: str) -> Path:
    return _inside(library_dir(), check_id(sid) + SUFFIX)


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


def _preset_ids() -> frozenset[str]:
    """Ids of the shipped presets: the approved files in the repository's ``scenarios/``."""
    out = set()
    for f in REPO_SCENARIOS.glob(f"*{SUFFIX}"):
        try:
            if _read(f).status == "approved":
                out.add(f.stem)
        except InputError:
            continue
    return frozenset(out)


# Parsed files by (path, mtime_ns, size): listing the library on every page rerun stays cheap.
_CACHE: dict[tuple[str, int, int], Scenario | InputError] = {}


def _read(path: Path) -> Scenario:
    if path.is_symlink():
        raise InputError("is a link; the library only reads its own files", path.name)
    st_ = path.stat()
    key = (str(path), st_.st_mtime_ns, st_.st_size)
    hit = _CACHE.get(key)
    if hit is None:
        try:
            hit = load_scenario(path)
        except InputError as exc:
            hit = exc
        if len(_CACHE) > 2000:
            _CACHE.clear()
        _CACHE[key] = hit
    if isinstance(hit, InputError):
        raise InputError(hit.message, path.name, hit.key)
    return hit


_HELD = threading.local()  # how deep this thread is inside _locked() (the lock is re-entrant)
_THREAD_LOCK = threading.RLock()  # without fcntl: at least the threads of one server are serialised


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Serialise every write to the library across processes (and the threads of each).

    Creating a file needs the lock too: the free id *and* the free display name are chosen together,
    and two names can differ only in Vietnamese while sharing the English one. Replacing or removing a
    file needs it so that two sessions editing the same draft both keep their version (one in the
    trash). A folder that cannot be written raises :class:`ReadOnlyLibraryError`.
    """
    if getattr(_HELD, "depth", 0):
        _HELD.depth += 1
        try:
            yield
        finally:
            _HELD.depth -= 1
        return
    try:
        with _THREAD_LOCK, _flock():
            _HELD.depth = 1
            try:
                _clean_stale_tmp()
                yield
            finally:
                _HELD.depth = 0
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ReadOnlyLibraryError(
                f"the scenario library {library_dir()} is read-only here; nothing was saved", key="library"
            ) from None
        raise


@contextlib.contextmanager
def _flock() -> Iterator[None]:
    trash = _trash_dir()  # the lock lives in the trash folder, out of listings and version control
    trash.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(trash / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _clean_stale_tmp() -> None:
    """Remove temporary files a killed writer left behind (never those of a write in progress)."""
    cutoff = time.time() - STALE_TMP_SECONDS
    for folder in (library_dir(), library_dir() / TRASH_DIR):
        for f in folder.glob(".*.tmp"):
            try:
                if not f.is_symlink() and f.is_file() and f.stat().st_mtime < cutoff:
                    f.unlink()
                    log.info("removed a stale temporary file %s", f.name)
            except OSError:
                continue


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


def list_entries() -> list[Entry]:
    """Every scenario in the library: users' scenarios newest first, then the presets by id.

    Files whose names are not valid ids are skipped; files that do not parse are listed with
    ``problem`` set, so the page can say what is wrong instead of hiding them.
    """
    folder = library_dir()
    if not folder.is_dir():
        return []
    presets = _preset_ids()
    out = []
    for f in folder.glob(f"*{SUFFIX}"):
        sid = f.stem
        try:
            check_id(sid)
            _inside(folder, f.name)
            mtime = dt.datetime.fromtimestamp(f.stat().st_mtime)
        except (InputError, OSError):
            continue
        try:
            s = _read(f)
        except (InputError, OSError) as exc:
            out.append(Entry(sid, Text(vi=sid, en=sid), "", "", "", mtime, False, False, str(exc)))
            continue
        except Exception as exc:  # one bad file must never hide the library from every user
            log.exception("unexpected error reading %s", f.name)
            out.append(Entry(sid, Text(vi=sid, en=sid), "", "", "", mtime, False, False, f"{f.name}: {exc!r}"[:200]))
            continue
        preset = sid in presets and s.status == "approved"
        ro = s.status == "approved"
        out.append(Entry(sid, s.name, s.region, s.status, s.author, mtime, ro, preset))
    # Users look for their own work first; presets keep a stable order after it.
    out.sort(key=lambda e: (e.preset, 0.0 if e.preset else -e.modified.timestamp(), e.id))
    return out


def entry(sid: str) -> Entry:
    """One entry by id.

    Raises:
        NotFoundError: no such scenario.
    """
    check_id(sid)
    for e in list_entries():
        if e.id == sid:
            return e
    raise NotFoundError("no such scenario in the library", key=sid)


def load(sid: str) -> Scenario:
    """Load a scenario by id.

    Raises:
        NotFoundError: no such scenario.
        InputError: a bad id or an invalid file (naming the file, key and problem).
    """
    path = _path(sid)
    if not path.is_file():
        raise NotFoundError("no such scenario in the library", key=sid)
    return _read(path)


def export_yaml(sid: str) -> bytes:
    """The scenario file exactly as stored (for a download)."""
    path = _path(sid)
    if not path.is_file():
        raise NotFoundError("no such scenario in the library", key=sid)
    return path.read_bytes()


def is_read_only(sid: str) -> bool:
    """Approved scenarios (presets included) are read-only."""
    return load(sid).status == "approved"


# ----------------------------------------------------------------- creating


def _numbered(name: Text, n: int) -> Text:
    if n == 1:
        return name
    return Text(vi=f"{name.vi} ({n})", en=f"{name.en} ({n})")


def _check_name(name: Text) -> Text:
    vi, en = name.vi.strip(), name.en.strip()
    if not vi and not en:
        raise InputError("a scenario needs a name", key="name")
    if max(len(vi), len(en)) > MAX_NAME_LENGTH:
        raise InputError(f"the name is longer than {MAX_NAME_LENGTH} characters", key="name")
    return Text(vi=vi or en, en=en or vi)


def _create(scenario: Scenario) -> tuple[str, Scenario]:
    """Write a scenario under a new, unused id; never replaces a file.

    The id is the slug of the Vietnamese name. If that file exists, or another scenario already shows
    the same name (in either language), the next free number is used for both the id and the display
    name. The choice is made under the library lock, so concurrent saves get distinct numbers; the
    hard link still never replaces a file written by a program that does not take the lock. The copy
    is always a draft: approval is :func:`approve`'s alone.
    """
    name = _check_name(scenario.name)
    scenario = replace(scenario, status="draft")
    base = slugify(name.vi)
    folder = library_dir()
    with _locked():
        shown = {n for e in list_entries() for n in (e.name.vi.casefold(), e.name.en.casefold())}
        n = 1
        for _ in range(MAX_CLASH_TRIES):
            sid = base if n == 1 else f"{base}-{n}"
            path = _inside(folder, sid + SUFFIX)
            numbered = _numbered(name, n)
            if path.exists() or path.is_symlink() or numbered.vi.casefold() in shown or numbered.en.casefold() in shown:
                n += 1
                continue
            final = replace(scenario, name=numbered)
            try:
                atomic_write(path, _encode(final), overwrite=False)
            except FileExistsError:  # written meanwhile by something outside the store
                n += 1
                continue
            log.info("saved scenario %s", sid)
            return sid, final
    raise InputError(f"too many scenarios named {name.vi!r}; choose another name", key="name")


def save_new(scenario: Scenario) -> str:
    """Save a scenario as a new draft in the library.

    A name clash never overwrites: the next free id ``<slug>-N`` is used and `` (N)`` is added to the
    name (see the module docstring). The saved copy is a draft whatever the status passed in.

    Returns:
        The id it was saved under (``load(id).name`` gives the name actually used).

    Raises:
        InputError: an empty or too long name.
    """
    sid, _ = _create(scenario)
    return sid


def import_upload(data: bytes, filename: str) -> Imported:
    """Add an uploaded scenario file to the library, validated exactly as the command line does.

    The file is stored in the canonical form (comments are not kept; the user still has the original)
    as a draft: a file cannot approve itself (``claimed_approval`` says when it tried). Name clashes
    follow :func:`save_new`.

    Returns:
        The new id, and whether the file claimed to be approved.

    Raises:
        InputError: with a plain message naming the file, key and problem; nothing is saved.
    """
    shown = Path(str(filename).replace("\\", "/")).name[:80] or "upload"
    scenario = loads(data, shown)
    sid, _ = _create(scenario)
    return Imported(sid, claimed_approval=scenario.status == "approved")


def duplicate(sid: str, new_name: str | Text) -> str:
    """Save a draft copy of a scenario under a new name (read-only sources may be duplicated).

    Returns:
        The id of the copy.
    """
    s = load(sid)
    name = new_name if isinstance(new_name, Text) else Text(vi=new_name, en=new_name)
    return save_new(replace(s, name=name))


# ----------------------------------------------------------------- changing


def _to_trash(path: Path, reason: str) -> str:
    """Hard-link a file into the trash under a fresh timestamped name (never replacing one)."""
    trash = _trash_dir()
    trash.mkdir(parents=True, exist_ok=True)
    ts = dt.datetime.now(dt.UTC).strftime(_TS_FORMAT)
    for n in range(MAX_CLASH_TRIES):
        tid = f"{path.stem}.{ts}{'' if n == 0 else f'-{n}'}.{reason}"
        try:
            os.link(path, trash / (tid + SUFFIX))
            return tid
        except FileExistsError:
            continue
    raise InputError("the trash is full for this scenario", key=path.stem)


def update(sid: str, scenario: Scenario) -> str:
    """Save changes to an existing draft; the previous version goes to the trash (restorable).

    Presets and approved scenarios are read-only: for them a draft copy is saved instead (as
    :func:`save_new` does) and the original stays as it was.

    Returns:
        The id the changes were saved under: ``sid`` for a draft, the new copy's id otherwise.

    Raises:
        NotFoundError: the scenario is gone (e.g. another user deleted it); nothing is written.
    """
    path = _path(sid)
    _check_name(scenario.name)
    with _locked():
        if not path.is_file():
            raise NotFoundError("no such scenario in the library (it may have been deleted)", key=sid)
        if _read(path).status == "approved":
            return save_new(scenario)
        data = _encode(replace(scenario, status="draft"))  # an update never approves
        # Under the lock, two sessions updating at once each keep the other's version in the trash.
        _to_trash(path, "replaced")
        atomic_write(path, data, overwrite=True)
    return sid


def _status(path: Path) -> str | None:
    """A file's status, None when it cannot be read (a broken file can still go to the trash)."""
    try:
        return _read(path).status
    except InputError:
        return None


def approve(sid: str, by: str) -> str:
    """Approve a draft: the one way a scenario in the library becomes approved (and so read-only).

    Who may approve is decided by the caller (the app's roles, later); the content is kept as it is and
    the approval is recorded (who, when, the content hash) in the library's approval log.

    Args:
        sid: the draft's id.
        by: who approves (a user name as the app knows it).

    Returns:
        ``sid``.

    Raises:
        NotFoundError: no such scenario.
        InputError: no approver named, or the file cannot be read.
    """
    if not isinstance(by, str) or not by.strip():
        raise InputError("an approval needs the approver's name", key="by")
    path = _path(sid)
    with _locked():
        if not path.is_file():
            raise NotFoundError("no such scenario in the library", key=sid)
        s = _read(path)
        if s.status != "approved":
            approved = replace(s, status="approved")
            atomic_write(path, _encode(approved), overwrite=True)
            record = {"id": sid, "by": by.strip()[:120], "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            record["hash"] = approved.content_hash()
            with open(_trash_dir() / APPROVALS_FILE, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.info("approved scenario %s (%s)", sid, record["by"])
    return sid


def approvals(sid: str) -> list[dict[str, str]]:
    """The approvals recorded for an id, oldest first: ``{"id", "by", "at" (UTC, ISO 8601), "hash"}``."""
    check_id(sid)
    try:
        lines = (_trash_dir() / APPROVALS_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, InputError):
        return []
    out = []
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if isinstance(rec, dict) and rec.get("id") == sid:
            out.append({k: str(rec.get(k, "")) for k in ("id", "by", "at", "hash")})
    return out


def rename(sid: str, new_name: str | Text) -> str:
    """Give a draft a new name; its id follows the name (the next free one if that is taken).

    Returns:
        The id after renaming (unchanged when the new name gives the same id).

    Raises:
        ReadOnlyError: presets and approved scenarios cannot be renamed (duplicate them instead).
        NotFoundError: no such scenario.
    """
    name = _check_name(new_name if isinstance(new_name, Text) else Text(vi=new_name, en=new_name))
    path = _path(sid)
    with _locked():
        if not path.is_file():
            raise NotFoundError("no such scenario in the library", key=sid)
        s = _read(path)
        if s.status == "approved":
            raise ReadOnlyError("approved scenarios are read-only; duplicate it to change it", key=sid)
        renamed = replace(s, name=name)
        if slugify(name.vi) == sid:
            atomic_write(path, _encode(renamed), overwrite=True)
            return sid
        # Under the lock no update can slip in between the copy and the removal of the old file.
        new_id, _ = _create(renamed)
        path.unlink()
    return new_id


def delete(sid: str) -> str:
    """Move a scenario to the trash (restorable with :func:`restore`).

    Returns:
        The trash id.

    Raises:
        ReadOnlyError: presets and approved scenarios cannot be deleted (a new approved version
            supersedes them).
        NotFoundError: no such scenario (e.g. another user deleted it first).
    """
    path = _path(sid)
    with _locked():
        if not path.is_file():
            raise NotFoundError("no such scenario in the library", key=sid)
        if _status(path) == "approved":
            if sid in _preset_ids():
                raise ReadOnlyError("presets ship with the app and cannot be deleted", key=sid)
            raise ReadOnlyError("approved scenarios cannot be deleted; approve a new version instead", key=sid)
        tid = _to_trash(path, "deleted")
        path.unlink()
    log.info("moved scenario %s to the trash as %s", sid, tid)
    return tid


# ----------------------------------------------------------------- trash


def list_trash() -> list[TrashEntry]:
    """The trash, newest first (empty when the trash folder is a link: it is never followed)."""
    try:
        trash = _trash_dir()
    except InputError:
        return []
    if not trash.is_dir():
        return []
    out = []
    for f in trash.glob(f"*{SUFFIX}"):
        m = _TRASH_RE.fullmatch(f.stem)
        if not m:
            continue
        when = dt.datetime.strptime(m["ts"], _TS_FORMAT).replace(tzinfo=dt.UTC)
        try:
            name = _read(f).name
        except (InputError, OSError):
            name = Text(vi=m["id"], en=m["id"])
        out.append(TrashEntry(f.stem, m["id"], name, when, m["reason"]))
    out.sort(key=lambda t: (t.when, t.id), reverse=True)
    return out


def restore(trash_id: str) -> str:
    """Bring a trashed file back into the library; never overwrites an existing file.

    The file goes back under its original id if that is free; otherwise it is saved as a new
    scenario (next free id, numbered name, as :func:`save_new`). Either way it leaves the trash.

    Returns:
        The id it was restored under.
    """
    m = _TRASH_RE.fullmatch(trash_id) if isinstance(trash_id, str) and len(trash_id) <= 2 * MAX_ID_LENGTH else None
    if m is None:
        raise InputError(f"{str(trash_id)[:40]!r} is not a trash entry", key="trash id")
    src = _inside(_trash_dir(), trash_id + SUFFIX)
    dest = _inside(library_dir(), check_id(m["id"]) + SUFFIX)
    with _locked():
        if not src.is_file():
            raise NotFoundError("no such entry in the trash", key=trash_id)
        try:
            os.link(src, dest)  # fails if the id is taken: never an overwrite
            new_id = m["id"]
        except FileExistsError:
            new_id, _ = _create(_read(src))
        src.unlink()
    return new_id


# ----------------------------------------------------------------- live state (a presenter's current step)

LIVE_DIR = ".live"
MAX_LIVE_BYTES = 16 * 1024
_LIVE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _live_path(channel: str) -> Path:
    if not isinstance(channel, str) or not _LIVE_RE.fullmatch(channel):
        raise InputError("a live channel is 1-64 letters, digits, '_' or '-'", key="channel")
    folder = library_dir() / LIVE_DIR
    if folder.is_symlink():
        raise InputError("the library's live folder is a link to another place; it is not used", key=LIVE_DIR)
    return folder / f"{channel}.json"


def put_live(channel: str, payload: dict[str, object]) -> None:
    """Publish a small JSON state (at most :data:`MAX_LIVE_BYTES`) on ``channel``, replacing the last one.

    Used by follow mode: the presenter publishes the current step, followers poll :func:`get_live`.
    Every server sharing the library sees it.
    """
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    if len(data) > MAX_LIVE_BYTES:
        raise InputError(f"a live state is at most {MAX_LIVE_BYTES} bytes", key="payload")
    try:
        atomic_write(_live_path(channel), data)
    except PermissionError as exc:
        raise ReadOnlyLibraryError("the scenario library is read-only; nothing was saved") from exc


def get_live(channel: str) -> dict[str, object] | None:
    """The last state published on ``channel``, or None if there is none or it cannot be read."""
    path = _live_path(channel)
    try:
        if path.is_symlink() or path.stat().st_size > MAX_LIVE_BYTES:
            return None
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None
