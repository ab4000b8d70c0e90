"""One crawl at a time per archive: an advisory lock file next to the database.

The lock is an `flock` on `<db>.lock`, so the kernel drops it when its process dies, even
by `kill -9`: a killed run never leaves a lock behind. The file records who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from archive.errors import GovarcError


class LockedError(GovarcError):
    """Another govarc crawl holds the archive; wait for it or let cron try again later."""


_held: dict[Path, ArchiveLock] = {}


class ArchiveLock:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd
        self._users = 1

    def release(self) -> None:
        self._users -= 1
        if self._users == 0:
            _held.pop(self.path, None)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)


def lock_path(db: str | os.PathLike[str]) -> Path:
    db = Path(db).resolve()
    return db.with_name(db.name + ".lock")


def acquire(db: str | os.PathLike[str]) -> ArchiveLock:
    """Take the archive's lock, or raise LockedError naming the holder. Re-entrant."""
    path = lock_path(db)
    if path in _held:
        _held[path]._users += 1
        return _held[path]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        os.close(fd)
        try:
            info = json.loads(holder)
            who = f"pid {info['pid']}, started {info['started']}"
        except (ValueError, KeyError, TypeError):
            who = "another process"
        raise LockedError(f"another govarc crawl is using {Path(db)} ({who}); "
                          "this run did nothing") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(),
                              "started": datetime.now(UTC).isoformat(timespec="seconds")})
              .encode(), 0)
    lock = ArchiveLock(path, fd)
    _held[path] = lock
    return lock
