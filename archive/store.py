"""Batched writes of one crawl run into the archive database.

The database is an index over the WARC files: every row that came from the network keeps
the file, offset and length of its WARC record. Rows are buffered and committed in
batches; before each commit the `before_commit` hook runs (the crawler flushes the WARC
file there), so no committed row ever points at bytes that are not on disk.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from archive import alarms
from archive.errors import DatabaseLocked, StorageError, StoreError
from archive.schema import TABLES, connect, utc_now
from archive.storage import is_storage_failure

__all__ = ["Store", "connect", "utc_now"]

logger = logging.getLogger(__name__)
LOCK_WAIT = 0.5  # seconds a crawl's commit waits for another program's lock, then retries
LOCK_RETRY = 5.0  # seconds before a locked batch is tried again
LOCKED_BUFFER_ROWS = 20_000  # rows buffered while locked before the crawl stops

_ARTICLE_FIELDS = [c for c in TABLES["articles"]["columns"] if c != "id"]
_VERSION_FIELDS = [c for c in TABLES["article_versions"]["columns"] if c != "id"]
_ATTACHMENT_FIELDS = [c for c in TABLES["attachments"]["columns"] if c != "id"]
_TEXT_FIELDS = [c for c in TABLES["attachment_texts"]["columns"] if c != "id"]


class Store:
    """Buffered writer for one crawl run. Call `flush()` often and `close()` once."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        batch_size: int = 200,
        max_delay: float = 2.0,
        before_commit: Callable[[], None] | None = None,
        lock_patience: float | None = None,
    ) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.batch_size = batch_size
        self.max_delay = max_delay
        self.before_commit = before_commit
        # With `lock_patience` (a crawl: its writes run on Scrapy's reactor), a database
        # another program holds locked does not freeze the crawl: a batch waits at most
        # LOCK_WAIT, stays buffered, and is tried again later; only a lock held longer
        # than `lock_patience` seconds in all (or a buffer grown too large) stops it.
        self.lock_patience = lock_patience
        self.locked_since: float | None = None
        self._retry_at = 0.0
        self.lock_waits = 0
        self._pending: dict[str, list[dict[str, Any]]] = {
            "captures": [], "attachments": [], "attachment_texts": [], "failures": [],
            "flags": []}
        self._articles: dict[str, dict[str, Any]] = {}
        self._removed: dict[str, int] = {}
        self._labels: dict[str, str] = {}
        self._last_flush = time.monotonic()
        self.run_id: int | None = None
        self.run_started: str | None = None
        self.alarms: list[alarms.Alarm] = []  # raised by the run, once it is finished
        self.counts = {"articles_new": 0, "articles_changed": 0, "articles_unchanged": 0,
                       "articles_removed": 0, "attachments": 0, "captures": 0, "failures": 0,
                       "flags": 0}

    # -- runs, portals, sections ----------------------------------------------------------
    def start_run(self, portals: Iterable[str]) -> int:
        """Open a run. The caller holds the archive lock, so a run still `running` was left
        by a process that died (killed, or out of storage): it is marked failed first."""
        self.run_started = utc_now()
        with self._writing(), self.db.conn:
            self.db.execute(
                "UPDATE crawl_runs SET status = 'failed', finished_at = coalesce("
                "finished_at, ?), error = coalesce(error, 'the crawl (pid ' || "
                "coalesce(pid, '?') || ') ended without closing its run: killed, or out of "
                "storage; marked failed by the next crawl') WHERE status = 'running'",
                [self.run_started])
            table = self.db.table("crawl_runs")
            table.insert({"started_at": self.run_started, "status": "running",
                          "portals": ",".join(portals), "pid": os.getpid()})
            self.run_id = int(table.last_pk)
        return self.run_id

    def finish_run(self, status: str, stats: dict[str, Any], warc_bytes: int,
                   finished_at: str | None = None, error: str | None = None) -> None:
        self.flush()
        if self.run_id is None:
            return
        if error is None:
            with self._writing():
                self.alarms = alarms.record(self.db, self.run_id)
        with self._writing(), self.db.conn:
            self.db.table("crawl_runs").update(self.run_id, {
                "finished_at": finished_at or utc_now(), "status": status, **self.counts,
                "alarms": len(self.alarms), "warc_bytes": warc_bytes, "error": error,
                "stats": json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True),
            })

    def upsert_portals(self, portals: Iterable[dict[str, Any]]) -> None:
        rows = [{**p, "updated_at": utc_now()} for p in portals]
        with self.db.conn:
            self.db.table("portals").upsert_all(rows, pk="id")

    def start_sections(self, sections: Iterable[dict[str, Any]]) -> None:
        """Note that this run walks these sections (rows: portal, section, name, url)."""
        rows = [{**s, "id": f"{s['portal']}/{s['section']}", "last_started_run": self.run_id}
                for s in sections]
        with self.db.conn:
            self.db.table("sections").upsert_all(rows, pk="id")

    def complete_sections(self, ids: Iterable[str]) -> None:
        """Mark sections walked to the end: the next run may stop at known articles."""
        with self.db.conn:
            self.db.conn.executemany(
                "UPDATE sections SET last_completed_run = ?, last_completed_at = ? WHERE id = ?",
                [(self.run_id, utc_now(), i) for i in ids],
            )

    def completed_sections(self) -> set[str]:
        return {row[0] for row in self.db.execute(
            "SELECT id FROM sections WHERE last_completed_run IS NOT NULL")}

    def known_articles(self, portals: Sequence[str]) -> set[str]:
        """URLs of the portals' articles already archived and not marked removed."""
        marks = ",".join("?" * len(portals))
        return {row[0] for row in self.db.execute(
            f"SELECT url FROM articles WHERE removed_at IS NULL AND portal IN ({marks})",
            list(portals))}

    def known_article_rows(self, portals: Sequence[str]) -> list[tuple[str, str, str]]:
        """(url, portal, section) of the portals' archived articles not marked removed."""
        marks = ",".join("?" * len(portals))
        return list(self.db.execute(
            f"SELECT url, portal, section FROM articles WHERE removed_at IS NULL "
            f"AND portal IN ({marks}) ORDER BY id", list(portals)))

    def first_capture_of(self, digest: str) -> dict[str, Any] | None:
        """The first response record with this payload: id, URL, date, WARC pointer."""
        cursor = self.db.execute(
            "SELECT record_id, url, warc_date, warc_filename, warc_offset, warc_length "
            "FROM captures WHERE payload_digest = ? AND record_type = 'response' "
            "ORDER BY id LIMIT 1", [digest])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the newest successful capture of `url`."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM captures WHERE url = ? AND status = 200 "
            "ORDER BY id DESC LIMIT 1", [url]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    # -- buffered rows --------------------------------------------------------------------
    def add_capture(self, row: dict[str, Any]) -> None:
        self._queue("captures", {**row, "run_id": self.run_id})

    def add_attachment(self, row: dict[str, Any]) -> None:
        self._queue("attachments", dict(row))

    def add_attachment_text(self, row: dict[str, Any]) -> None:
        """An attachment's text (or why it has none); one row per URL, the latest read."""
        self._queue("attachment_texts", {"extracted_at": utc_now(), **row})

    def attachment_text_of(self, url: str, digest: str | None) -> dict[str, Any] | None:
        """A stored read of these bytes: this URL's, or another URL's with the same payload
        digest (None: none yet, or the payload changed)."""
        if not digest:
            return None
        cursor = self.db.execute(
            "SELECT * FROM attachment_texts WHERE payload_digest = ? "
            "ORDER BY url = ? DESC, id LIMIT 1", [digest, url])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None

    def add_failure(self, row: dict[str, Any]) -> None:
        self._queue("failures", {"occurred_at": utc_now(), **row, "run_id": self.run_id})

    def add_flags(self, url: str, portal: str | None, flags: list[dict[str, Any]],
                  pointer: dict[str, Any], when: str | None = None) -> None:
        """Tamper findings on one captured page (the page's stored text is untouched)."""
        for flag in flags:
            self._queue("flags", {**flag, "url": url, "portal": portal,
                                  "flagged_at": when or utc_now(), **pointer,
                                  "run_id": self.run_id})

    def add_article(self, row: dict[str, Any]) -> None:
        """Queue an article; one URL is stored once, a changed text adds a version."""
        missing = {"url", "text", "content_hash"} - row.keys()
        if missing:
            raise StoreError(f"article row lacks {', '.join(sorted(missing))}")
        self._articles[row["url"]] = {**row, "run_id": self.run_id}
        self._maybe_flush()

    def label_attachment(self, url: str, label: str) -> None:
        """Set an attachment's label once its article names it (applied at the next flush)."""
        self._labels[url] = label
        self._maybe_flush()

    def mark_removed(self, url: str, status: int) -> None:
        """The article answers 404/410 now: flag it, keep everything archived."""
        self._removed[url] = status
        self._maybe_flush()

    def _queue(self, table: str, row: dict[str, Any]) -> None:
        self._pending[table].append(row)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        size = (sum(map(len, self._pending.values())) + len(self._articles)
                + len(self._removed) + len(self._labels))
        now = time.monotonic()
        if size < self.batch_size and now - self._last_flush < self.max_delay:
            return
        if self.lock_patience is None:
            self.flush()
            return
        if self.locked_since is not None and now < self._retry_at and (
                size < LOCKED_BUFFER_ROWS):
            return  # locked a moment ago: keep buffering
        try:
            self.db.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT * 1000)}")
            try:
                self.flush()
            finally:
                self.db.execute("PRAGMA busy_timeout=60000")
        except DatabaseLocked as exc:
            self.lock_waits += 1
            if self.locked_since is None:
                self.locked_since = now
                logger.warning("%s; the crawl goes on and writes later", exc)
            waited = now - self.locked_since
            if waited > self.lock_patience or size >= LOCKED_BUFFER_ROWS:
                raise DatabaseLocked(
                    f"database locked: another program has held {self.path} locked for "
                    f"{waited:.0f} s (longer than GOVARC_DB_LOCK_PATIENCE, "
                    f"{self.lock_patience:g} s, or with {size:,} rows waiting)") from None
            self._retry_at = now + LOCK_RETRY
            return
        self.locked_since = None

    def flush(self) -> None:
        """Write everything buffered in one transaction."""
        self._last_flush = time.monotonic()
        if (not self._articles and not self._removed and not self._labels
                and not any(self._pending.values())):
            return
        if self.before_commit:
            self.before_commit()
        added: Counter[str] = Counter()
        with self._writing(), self.db.conn:
            added.update(self._write_articles(list(self._articles.values())))
            added["articles_removed"] += self._write_removed()
            for table in ("captures", "failures", "flags"):
                if self._pending[table]:
                    self.db.table(table).insert_all(self._pending[table], alter=False)
                    added[table] += len(self._pending[table])
            added["attachments"] += self._write_attachments(self._pending["attachments"])
            self._upsert("attachment_texts", _TEXT_FIELDS, self._pending["attachment_texts"])
            if self._labels:
                self.db.conn.executemany("UPDATE attachments SET label = ? WHERE url = ?",
                                         [(v, k) for k, v in self._labels.items()])
        for name, count in added.items():  # counts of what was committed
            self.counts[name] += count
        self.discard()

    def discard(self) -> None:
        """Drop the rows not yet written (after a storage failure: they may point at WARC
        bytes that never reached the disk)."""
        self._articles.clear()
        self._removed.clear()
        self._labels.clear()
        for rows in self._pending.values():
            rows.clear()

    def _write_articles(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        if not rows:
            return {}
        current = {
            url: (digest, version)
            for chunk in _chunks([r["url"] for r in rows], 500)
            for url, digest, version in self.db.execute(
                "SELECT url, content_hash, version FROM articles "
                f"WHERE url IN ({','.join('?' * len(chunk))})", chunk)
        }
        now = utc_now()
        inserts, updates, versions, seen = [], [], [], []
        for row in rows:
            row["last_seen"] = row.get("last_seen") or now
            row["published_date"] = (row.get("published_at") or "")[:10] or None
            known = current.get(row["url"])
            if known and known[0] == row["content_hash"]:
                seen.append((row["last_seen"], self.run_id, row["url"]))
                continue
            row["version"] = (known[1] or 1) + 1 if known else 1
            row["first_seen"] = row.get("first_seen") or row["last_seen"]
            row["removed_at"] = row["removed_status"] = row["removed_run"] = None
            versions.append({**row, "captured_at": row["last_seen"], "cause": "site"})
            (updates if known else inserts).append(row)
        cols = _ARTICLE_FIELDS
        if inserts:
            self.db.conn.executemany(
                f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [[r.get(c) for c in cols] for r in inserts])
        if updates:
            changed = [c for c in cols if c not in ("url", "first_seen")]
            self.db.conn.executemany(
                f"UPDATE articles SET {', '.join(f'{c} = ?' for c in changed)} WHERE url = ?",
                [[r.get(c) for c in changed] + [r["url"]] for r in updates])
        if seen:
            self.db.conn.executemany(
                "UPDATE articles SET last_seen = ?, run_id = ?, removed_at = NULL, "
                "removed_status = NULL, removed_run = NULL WHERE url = ?", seen)
        if versions:
            vcols = _VERSION_FIELDS
            self.db.conn.executemany(
                f"INSERT INTO article_versions ({', '.join(vcols)}) "
                f"VALUES ({', '.join('?' * len(vcols))})",
                [[v.get(c) for c in vcols] for v in versions])
        return {"articles_new": len(inserts), "articles_changed": len(updates),
                "articles_unchanged": len(seen)}

    def _write_removed(self) -> int:
        if not self._removed:
            return 0
        cursor = self.db.conn.executemany(
            "UPDATE articles SET removed_at = ?, removed_status = ?, removed_run = ? "
            "WHERE url = ? AND removed_at IS NULL",
            [(utc_now(), status, self.run_id, url) for url, status in self._removed.items()])
        return max(cursor.rowcount, 0)

    def _write_attachments(self, rows: list[dict[str, Any]]) -> int:
        return self._upsert("attachments", _ATTACHMENT_FIELDS, rows)

    def _upsert(self, table: str, cols: list[str], rows: list[dict[str, Any]]) -> int:
        """Insert rows keyed by URL; a URL already there takes the new row's values."""
        if not rows:
            return 0
        updates = ", ".join(f"{c}=excluded.{c}" for c in cols if c != "url")
        self.db.conn.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT(url) DO UPDATE SET {updates}",
            [[row.get(c) for c in cols] for row in rows])
        return len(rows)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """SQLite errors as StorageError (the disk) or StoreError (anything else)."""
        try:
            yield
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                raise DatabaseLocked(f"database locked: {self.path} is locked by another "
                                     f"program ({exc})") from exc
            if is_storage_failure(exc):
                raise StorageError(f"cannot write to the archive database {self.path}: "
                                   f"{exc}") from exc
            raise StoreError(f"cannot write to {self.path}: {exc}") from exc

    def close(self) -> None:
        self.flush()
        with self._writing():
            self.db.execute("PRAGMA optimize")
        self.db.close()


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
