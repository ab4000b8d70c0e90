"""Open an existing archive database for reading: never create one, work on read-only media.

Every command that only reads the archive (verify, report, flags, history, export, search)
opens it here. A path that does not exist, or is not a govarc archive, is an error naming
the path: a typo in a crontab line must not turn into an empty, "healthy" archive.

A WAL-mode database (as govarc writes them) needs its `-shm` file to be read; on a
read-only copy (a DVD, a read-only mount, a write-protected folder) SQLite can neither
find nor create it. The archive is then opened `immutable`, as SQLite documents for
read-only media: read as the file stands, without locks.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

import sqlite_utils

from archive.errors import MissingArchive, StoreError
from archive.fts import register_tokenizer
from archive.schema import SCHEMA_VERSION, connect

logger = logging.getLogger(__name__)

# Tables every govarc archive has had since its first version.
_ARCHIVE_TABLES = {"articles", "crawl_runs"}


def _open(path: Path, immutable: bool) -> sqlite3.Connection:
    query = "mode=ro&immutable=1" if immutable else "mode=ro"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=60)
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except BaseException:
        conn.close()
        raise
    if not names >= _ARCHIVE_TABLES:
        conn.close()
        raise MissingArchive(f"{path} is an SQLite database but not a govarc archive "
                             "(it has no articles and crawl_runs tables)")
    return conn


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_read_only(db_path: str | os.PathLike[str], upgrade: bool = True
                   ) -> sqlite3.Connection:
    """A read-only connection to the archive at `db_path`, with the tokenizer registered.

    Raises MissingArchive if there is no file or it is not an archive. With `upgrade`, an
    archive written by an older govarc is brought to the current schema first when it can
    be written (as any crawl would); a read-only one is read as it is."""
    path = Path(db_path)
    if not path.is_file():
        raise MissingArchive(f"no archive database at {path}")
    try:
        try:
            conn = _open(path, immutable=False)
        except sqlite3.OperationalError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith(
                    ("SQLITE_CANTOPEN", "SQLITE_READONLY")):
                raise
            # WAL without a -shm that SQLite may create: read-only media.
            conn = _open(path, immutable=True)
            wal = path.with_name(path.name + "-wal")
            if wal.exists() and wal.stat().st_size:
                logger.warning("%s is read-only: transactions still in %s are not read",
                               path, wal.name)
    except sqlite3.DatabaseError as exc:
        raise MissingArchive(f"{path} is not an SQLite database ({exc})") from None
    try:
        outdated = conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION
        if upgrade and outdated and _writable(path):
            conn.close()
            with contextlib.suppress(StoreError):  # else read as it is
                connect(path).close()  # adds what this version reads, e.g. new columns
            conn = _open(path, immutable=False)
        register_tokenizer(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot read the archive database {path}: {exc}") from exc
    return conn


def read_archive(db_path: str | os.PathLike[str], upgrade: bool = True
                 ) -> sqlite_utils.Database:
    """`open_read_only` wrapped in sqlite-utils (close it with `.close()`)."""
    return sqlite_utils.Database(open_read_only(db_path, upgrade))
