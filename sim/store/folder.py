"""The folder back-end: one YAML file a scenario, in a folder many users (or servers) share.

Layout of the library folder::

    <id>.yaml                      a scenario (the file users can also open, mail or put in git)
    .trash/<id>.<UTC time>[-n].<deleted|replaced>.yaml
    .trash/approvals.jsonl         who approved what, when (one JSON object a line)
    .trash/.lock                   the lock every writer takes (fcntl.flock)
    .history/<id>/v000001.json     each saved version: who, when, how, and the file's text
    .live/<channel>.json           the last state a presenter published

Every write goes through :func:`sim.atomic.atomic_write` (temporary file, fsync, rename) under one lock
shared by all processes, so the free id and the free name are chosen atomically; a new file is created
with a hard link, which never replaces one. Temporary files left by a killed writer are removed after
:data:`STALE_TMP_SECONDS`. Symbolic links (a file, the trash or history folder) are never followed, and
a folder that cannot be written raises :class:`ReadOnlyLibraryError` naming the library, not a
temporary file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

from ..atomic import atomic_write
from ..errors import InputError
from ..untrusted import MAX_FILE_BYTES
from ..views import fmt
from .base import MAX_LIVE_BYTES, ReadOnlyLibraryError, Stored, StoredVersion, check_id

log = logging.getLogger(__name__)

TRASH_DIR = ".trash"
HISTORY_DIR = ".history"
LIVE_DIR = ".live"
LOCK_FILE = ".lock"
APPROVALS_FILE = "approvals.jsonl"
SUFFIX = ".yaml"
STALE_TMP_SECONDS = 15 * 60  # a write takes milliseconds; older temporary files are a killed writer's
MAX_VERSION_BYTES = 3 * MAX_FILE_BYTES  # a version file: the scenario text (JSON-escaped) and a few fields

_BYTES: dict[tuple[str, int, int, int], bytes] = {}  # file bytes by (path, inode, mtime, size)
_THREAD_LOCK = threading.RLock()  # without fcntl: at least the threads of one server are serialised


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, after checking that it is not a link and lies directly inside ``folder``."""
    path = folder / name
    if path.is_symlink():
        raise InputError(f"{name!r} is a link; the library only reads and writes its own files", key="scenario id")
    if path.resolve().parent != folder.resolve():
        raise InputError(f"{name!r} is outside the scenario library", key="scenario id")
    return path


def _read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing links and files over the size limit (read no further than the limit)."""
    if path.is_symlink():
        raise InputError("is a link; the library only reads its own files", path.name)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # refused before reading: a file on a shared drive can be any size
        limit = fmt.number(MAX_FILE_BYTES, "en")
        raise InputError(f"the file is {fmt.number(size, 'en')} bytes; the limit is {limit}", path.name)
    return path.read_bytes()


class FolderLibrary:
    """The library folder (see the module docstring for its layout)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.where = str(folder)

    # ------------------------------------------------------------- folders

    def _sub(self, name: str, create: bool = False) -> Path:
        sub = self.folder / name
        if sub.is_symlink():  # it could point anywhere: writing would then leave the library
            what = {TRASH_DIR: "trash", HISTORY_DIR: "history", LIVE_DIR: "live"}[name]
            raise InputError(f"the library's {what} folder is a link to another place; it is not used", key=name)
        if create:
            sub.mkdir(parents=True, exist_ok=True)
        return sub

    def _path(self, sid: str) -> Path:
        return _inside(self.folder, check_id(sid) + SUFFIX)

    # ------------------------------------------------------------- locking

    @contextlib.contextmanager
    def locked(self) -> Iterator[FolderLibrary]:
        """Serialise every write to the library across processes (and the threads of each). A write inside a
        write joins the outer one in :mod:`sim.store`, not here."""
        try:
            with _THREAD_LOCK, self._flock():
                self._clean_stale_tmp()
                yield self
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyLibraryError(
                    f"the scenario library {self.folder} is read-only here; nothing was saved", key="library"
                ) from None
            raise

    @contextlib.contextmanager
    def _flock(self) -> Iterator[None]:
        trash = self._sub(TRASH_DIR, create=True)  # the lock lives in the trash folder, out of listings
        if fcntl is None:
            yield
            return
        fd = os.open(trash / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _clean_stale_tmp(self) -> None:
        """Remove temporary files a killed writer left behind (never those of a write in progress)."""
        cutoff = time.time() - STALE_TMP_SECONDS
        for folder in (self.folder, self.folder / TRASH_DIR):
            for f in folder.glob(".*.tmp"):
                try:
                    if not f.is_symlink() and f.is_file() and f.stat().st_mtime < cutoff:
                        f.unlink()
                        log.info("removed a stale temporary file %s", f.name)
                except OSError:
                    continue

    # ------------------------------------------------------------- scenarios

    def _stored(self, path: Path) -> Stored:
        st = path.stat()
        mtime = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC)
        # Every write replaces a file (a new inode), so an unchanged (inode, time, size) is unchanged content:
        # listing a large library on every page rerun, or under the lock at every save, reads only what changed.
        key = (str(path), st.st_ino, st.st_mtime_ns, st.st_size)
        hit = _BYTES.get(key)
        if hit is not None:
            return Stored(path.stem, hit, mtime)
        try:
            body = _read_bytes(path)
            if len(_BYTES) > 5000:
                _BYTES.clear()
            _BYTES[key] = body
            return Stored(path.stem, body, mtime)
        except InputError as exc:
            return Stored(path.stem, b"", mtime, str(exc))
        except OSError as exc:
            return Stored(path.stem, b"", mtime, f"{path.name}: cannot read the file ({exc.strerror})")

    def all(self) -> list[Stored]:
        if not self.folder.is_dir():
            return []
        out = []
        for f in self.folder.glob(f"*{SUFFIX}"):  # glob stays in the folder; links are all that can leave it
            try:
                if f.is_symlink():
                    continue
                check_id(f.stem)
                out.append(self._stored(f))
            except (InputError, OSError):  # not a library file name, a link, or gone meanwhile
                continue
        return out

    def listing(self) -> list[tuple[Stored, dict[str, str] | None]]:
        last = {}
        for rec in self._approval_records():  # one read of the log, oldest first: the last one stays
            last[rec["id"]] = rec
        return [(stored, last.get(stored.id)) for stored in self.all()]

    def get(self, sid: str) -> Stored | None:
        path = self._path(sid)
        return self._stored(path) if path.is_file() else None

    def insert(self, sid: str, body: bytes) -> bool:
        path = self._path(sid)
        if path.exists() or path.is_symlink():
            return False
        try:
            atomic_write(path, body, overwrite=False)
        except FileExistsError:  # written meanwhile by a program that does not take the lock
            return False
        return True

    def replace(self, sid: str, body: bytes) -> None:
        atomic_write(self._path(sid), body, overwrite=True)

    def remove(self, sid: str) -> None:
        self._path(sid).unlink()

    # ------------------------------------------------------------- trash

    def _existing(self, name: str, sid: str | None = None) -> Path | None:
        """The library's sub-folder ``name`` (or a scenario's folder in it), None if it is not there."""
        try:
            path = self._sub(name) if sid is None else _inside(self._sub(name), check_id(sid))
        except InputError:
            return None
        return path if path.is_dir() else None

    def trash_all(self) -> list[tuple[str, bytes]]:
        trash = self._existing(TRASH_DIR)
        # through the same stat-keyed cache as the scenarios: the trash grows with every replaced version
        return [] if trash is None else [(f.stem, self._stored(f).body) for f in trash.glob(f"*{SUFFIX}")]

    def trash_get(self, tid: str) -> bytes | None:
        path = _inside(self._sub(TRASH_DIR), tid + SUFFIX)
        return _read_bytes(path) if path.is_file() else None

    def trash_add(self, tid: str, body: bytes) -> bool:
        try:
            atomic_write(_inside(self._sub(TRASH_DIR, create=True), tid + SUFFIX), body, overwrite=False)
        except FileExistsError:
            return False
        return True

    def trash_remove(self, tid: str) -> None:
        _inside(self._sub(TRASH_DIR), tid + SUFFIX).unlink()

    # ------------------------------------------------------------- approvals

    def approval_add(self, record: dict[str, str]) -> None:
        with open(self._sub(TRASH_DIR, create=True) / APPROVALS_FILE, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def approvals(self, sid: str) -> list[dict[str, str]]:
        return [rec for rec in self._approval_records() if rec["id"] == sid]

    def _approval_records(self) -> list[dict[str, str]]:
        """Every record of the approval log, oldest first (lines that are not a record are skipped)."""
        try:
            lines = (self._sub(TRASH_DIR) / APPROVALS_FILE).read_text(encoding="utf-8").splitlines()
        except (OSError, InputError):
            return []
        out = []
        for line in lines:
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(rec, dict) and isinstance(rec.get("id"), str):
                out.append({k: str(rec.get(k, "")) for k in ("id", "by", "at", "hash")})
        return out

    # ------------------------------------------------------------- versions

    def _history(self, sid: str, create: bool = False) -> Path:
        return _inside(self._sub(HISTORY_DIR, create=create), check_id(sid))

    def versions(self, sid: str, last: int | None = None) -> list[StoredVersion]:
        folder = self._existing(HISTORY_DIR, sid)
        if folder is None:
            return []
        out: list[StoredVersion] = []
        # Newest first, so a panel showing the last few versions (or a write checking the last) reads only those.
        for f in sorted(folder.glob("v*.json"), reverse=True):
            if last is not None and len(out) >= last:
                break
            version = _read_version(f)
            if version is not None:
                out.append(version)
        return sorted(out, key=lambda v: v.n)

    def version(self, sid: str, n: int) -> StoredVersion | None:
        folder = self._existing(HISTORY_DIR, sid)
        path = None if folder is None else folder / f"v{n:06d}.json"
        version = _read_version(path) if path is not None and (path.is_file() or path.is_symlink()) else None
        return version if version is not None and version.n == n else None

    def last_version(self, sid: str) -> int:
        folder = self._existing(HISTORY_DIR, sid)
        if folder is None:
            return 0
        numbers = [int(f.stem[1:]) for f in folder.glob("v*.json") if f.stem[1:].isascii() and f.stem[1:].isdigit()]
        return max(numbers, default=0)

    def last_versions(self) -> dict[str, int]:
        root = self._existing(HISTORY_DIR)
        out: dict[str, int] = {}
        for folder in root.glob("*") if root is not None else ():
            try:
                sid = check_id(folder.name)
            except InputError:  # an archived history
                continue
            if not folder.is_symlink() and (n := self.last_version(sid)):
                out[sid] = n
        return out

    def version_add(self, sid: str, version: StoredVersion) -> None:
        record = {
            "n": version.n,
            "by": version.by,
            "at": version.at.isoformat(),
            "action": version.action,
            "restored_from": version.restored_from,
            "body": version.body.decode("utf-8"),
        }
        data = json.dumps(record, ensure_ascii=False).encode("utf-8")
        folder = self._history(sid, create=True)
        folder.mkdir(exist_ok=True)
        atomic_write(_inside(folder, f"v{version.n:06d}.json"), data, overwrite=False)

    def versions_archive(self, sid: str) -> None:
        folder = self._history(sid)
        if folder.is_dir():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
            folder.rename(folder.with_name(f"{sid}.{stamp}.archived"))  # not an id: never read as a history

    def versions_move(self, old: str, new: str) -> None:
        self.versions_archive(new)
        src = self._history(old)
        if src.is_dir():
            src.rename(self._history(new))

    # ------------------------------------------------------------- live states

    def _live(self, channel: str) -> Path:
        return self._sub(LIVE_DIR) / f"{channel}.json"

    def live_put(self, channel: str, data: bytes) -> None:
        try:
            atomic_write(self._live(channel), data)
        except PermissionError as exc:
            raise ReadOnlyLibraryError("the scenario library is read-only; nothing was saved") from exc

    def live_get(self, channel: str) -> bytes | None:
        path = self._live(channel)
        try:
            if path.is_symlink() or path.stat().st_size > MAX_LIVE_BYTES:
                return None
            return path.read_bytes()
        except OSError:
            return None


def _read_version(path: Path) -> StoredVersion | None:
    """One version file, checked field by field (a shared folder's files are untrusted); None if unusable."""
    try:
        if path.is_symlink() or path.stat().st_size > MAX_VERSION_BYTES:
            return None
        rec = json.loads(path.read_bytes())
        n, by, at, action = rec["n"], rec["by"], rec["at"], rec["action"]
        restored_from, body = rec.get("restored_from"), rec["body"]
        if not (isinstance(n, int) and isinstance(by, str) and isinstance(action, str) and isinstance(body, str)):
            return None
        if restored_from is not None and not isinstance(restored_from, int):
            return None
        when = dt.datetime.fromisoformat(str(at))
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        log.warning("skipped an unreadable version file %s", path.name)
        return None
    return StoredVersion(n, by[:200], when, action[:40], restored_from, body.encode("utf-8"))


class FolderBackend:
    """A library in a folder (see the module docstring)."""

    def __init__(self, folder: Path):
        self.library = FolderLibrary(folder)

    @contextlib.contextmanager
    def reading(self) -> Iterator[FolderLibrary]:
        yield self.library

    def writing(self) -> contextlib.AbstractContextManager[FolderLibrary]:
        return self.library.locked()
