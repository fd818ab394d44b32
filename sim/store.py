"""The scenario library: a shared folder of scenario files (MODEL.md §7) that many users write at once.

The folder is ``$NQ57_SCENARIO_DIR`` if set, else the repository's ``scenarios/``. A scenario's id is its
file name without ``.yaml``. The rules users rely on:

- **Nothing is lost.** Deleting moves the file to ``.trash/`` inside the library; updating a draft first
  puts the previous version there too. Both can be restored, and a restore never overwrites a file.
- **A name clash never overwrites.** Saving a new scenario whose file name or display name is taken
  picks the next free id ``<slug>-2``, ``<slug>-3``, ... and adds the same number to the display name
  (``"Plan (2)"``), so the user can tell the two apart. The caller learns the id (and so the name)
  that was actually used.
- **Presets and approved scenarios are read-only.** ``update`` on them saves a draft copy instead;
  ``rename`` refuses; presets (the files shipped in the repository's ``scenarios/``) cannot be deleted.
- **Ids stay inside the folder.** Ids with path separators, ``..``, a leading dot, absolute paths or
  more than :data:`MAX_ID_LENGTH` characters are refused, and every path is resolved and checked to lie
  in the folder (a symbolic link pointing elsewhere is refused too).
- **Concurrent writers are safe.** Every write goes through :func:`sim.atomic.atomic_write` (temporary
  file, fsync, rename); new files are created with a hard link, which fails if another session got the
  name first, and the save then retries with the next free id.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
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
from .scenario import Scenario, load_scenario, loads

log = logging.getLogger(__name__)

LIBRARY_ENV = "NQ57_SCENARIO_DIR"
REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
TRASH_DIR = ".trash"
LOCK_FILE = ".lock"
SUFFIX = ".yaml"
MAX_ID_LENGTH = 100
SLUG_LENGTH = 60
MAX_NAME_LENGTH = 200
MAX_CLASH_TRIES = 10_000

# An id is what users could type: letters (any script), digits, '_' and '-'; no dots, no separators.
_ID_RE = re.compile(r"\w[\w-]*")
# A trash id: "<id>.<UTC timestamp>[-n].<reason>"
_TRASH_RE = re.compile(r"(?P<id>\w[\w-]*)\.(?P<ts>\d{8}T\d{12})(?:-(?P<n>\d+))?\.(?P<reason>deleted|replaced)")
_TS_FORMAT = "%Y%m%dT%H%M%S%f"


class NotFoundError(InputError):
    """No scenario (or trash entry) with this id."""


class ReadOnlyError(InputError):
    """The scenario is a preset or approved: it cannot be changed in place."""


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
    return library_dir() / TRASH_DIR


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
    return sid


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, after checking that it resolves to a file directly inside ``folder``."""
    path = folder / name
    resolved = path.resolve()
    if resolved.parent != folder.resolve():
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


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    """Serialise changes to existing files (update, rename, delete, restore) across processes.

    New files need no lock (a hard link fails if the name is taken); replacing or removing a file
    does, so that two sessions editing the same draft both keep their version (one in the trash).
    On systems without ``fcntl`` the section runs unlocked.
    """
    trash = _trash_dir()  # the lock lives in the trash folder, out of listings and version control
    trash.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(trash / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


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

    The id is the slug of the Vietnamese name. If that file exists (or another session creates it
    first), or another scenario already shows the same name, the next free number is used for both
    the id and the display name. The file system decides ids atomically; distinct names follow from
    distinct numbers.
    """
    name = _check_name(scenario.name)
    base = slugify(name.vi)
    folder = library_dir()
    folder.mkdir(parents=True, exist_ok=True)
    shown = {n for e in list_entries() for n in (e.name.vi.casefold(), e.name.en.casefold())}
    n = 1
    for _ in range(MAX_CLASH_TRIES):
        sid = base if n == 1 else f"{base}-{n}"
        path = _inside(folder, sid + SUFFIX)
        numbered = _numbered(name, n)
        # Cheap skips over ids and names that are clearly taken; the hard link below decides.
        if path.exists() or numbered.vi.casefold() in shown or numbered.en.casefold() in shown:
            n += 1
            continue
        final = replace(scenario, name=numbered)
        try:
            atomic_write(path, final.to_yaml().encode("utf-8"), overwrite=False)
        except FileExistsError:  # another session took this id a moment ago
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
    sid, _ = _create(replace(scenario, status="draft"))
    return sid


def import_upload(data: bytes, filename: str) -> str:
    """Add an uploaded scenario file to the library, validated exactly as the command line does.

    The file is stored in the canonical form (comments are not kept; the user still has the original)
    and keeps its status, so an approved file stays read-only. Name clashes follow :func:`save_new`.

    Returns:
        The new id.

    Raises:
        InputError: with a plain message naming the file, key and problem; nothing is saved.
    """
    shown = Path(str(filename).replace("\\", "/")).name[:80] or "upload"
    scenario = loads(data, shown)
    sid, _ = _create(scenario)
    return sid


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
        # Under the lock, two sessions updating at once each keep the other's version in the trash.
        _to_trash(path, "replaced")
        atomic_write(path, scenario.to_yaml().encode("utf-8"), overwrite=True)
    return sid


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
            atomic_write(path, renamed.to_yaml().encode("utf-8"), overwrite=True)
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
        ReadOnlyError: presets ship with the app and cannot be deleted.
        NotFoundError: no such scenario (e.g. another user deleted it first).
    """
    path = _path(sid)
    with _locked():
        if not path.is_file():
            raise NotFoundError("no such scenario in the library", key=sid)
        if sid in _preset_ids() and _read(path).status == "approved":
            raise ReadOnlyError("presets ship with the app and cannot be deleted", key=sid)
        tid = _to_trash(path, "deleted")
        path.unlink()
    log.info("moved scenario %s to the trash as %s", sid, tid)
    return tid


# ----------------------------------------------------------------- trash


def list_trash() -> list[TrashEntry]:
    """The trash, newest first."""
    trash = _trash_dir()
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
