"""Room to archive: the archive's folders can be written and keep enough free space.

A crawl checks its folders before it starts (as Heritrix and `wget --warc-file` refuse to
start on storage they cannot use) and watches their free space while it runs, so that it
stops cleanly, its files closed and its rows committed, before the disk is full. A write
that fails all the same (ENOSPC, EROFS, EIO) stops the crawl at once (StorageError).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Mapping
from pathlib import Path

from archive.errors import StorageError

DEFAULT_MIN_FREE = 100_000_000  # bytes; GOVARC_MIN_FREE_SPACE
# SQLite's answers that mean the disk (not the query) failed.
_SQLITE_STORAGE = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN")
_OS_STORAGE = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM,
               errno.EFBIG}


def free_bytes(path: str | os.PathLike[str]) -> int:
    """Bytes an unprivileged writer may still use on the filesystem holding `path` (or its
    nearest existing parent)."""
    here = Path(path).absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    stat = os.statvfs(here)
    return stat.f_bavail * stat.f_frsize


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def check_folder(folder: Path, what: str, min_free: int) -> None:
    """Create `folder` if needed, prove a file can be written in it, and that it has at
    least `min_free` bytes free; StorageError naming the folder otherwise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".govarc-probe-"):
            pass
    except OSError as exc:
        raise StorageError(f"cannot write in the {what} {folder}: "
                           f"{exc.strerror or exc}") from None
    free = free_bytes(folder)
    if free < min_free:
        raise StorageError(
            f"only {_mb(free)} free for the {what} {folder}, less than "
            f"GOVARC_MIN_FREE_SPACE ({_mb(min_free)}): free some space (or lower the setting)")


def check_archive(db: Path, warc_dir: Path, min_free: int) -> None:
    """Before a crawl: the database's folder (and the database, if it exists) and the WARC
    folder can be written and have `min_free` bytes free."""
    check_folder(Path(db).absolute().parent, "database folder", min_free)
    if Path(db).exists() and not os.access(db, os.W_OK):
        raise StorageError(f"cannot write the archive database {db}: it is read-only")
    check_folder(Path(warc_dir), "WARC folder", min_free)


class SpaceWatch:
    """Free space of the archive's folders against GOVARC_MIN_FREE_SPACE, while crawling."""

    def __init__(self, folders: Mapping[str, Path], min_free: int) -> None:
        self.folders = dict(folders)  # what ("WARC folder") -> path
        self.min_free = min_free

    def short(self) -> StorageError | None:
        """The error to stop with if a folder has less than `min_free` bytes free."""
        if self.min_free <= 0:
            return None
        for what, folder in self.folders.items():
            free = free_bytes(folder)
            if free < self.min_free:
                return StorageError(
                    f"only {_mb(free)} left for the {what} {folder}, less than "
                    f"GOVARC_MIN_FREE_SPACE ({_mb(self.min_free)}): the crawl stopped before "
                    "the disk was full")
        return None


def is_storage_failure(exc: BaseException) -> bool:
    """Whether an OSError or sqlite3.Error says the disk failed (full, read-only, I/O)."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorname", "").startswith(_SQLITE_STORAGE)
    return isinstance(exc, OSError) and exc.errno in _OS_STORAGE
