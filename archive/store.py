"""The SQLite archive: schema, batched writes, and the Chinese full-text index.

The database is an index over the WARC files: every row that came from the network
keeps the file, offset and length of its WARC record. Writes are buffered and
committed in batches, in WAL mode, so a crawl never commits once per item.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.errors import StoreError
from archive.fts import TOKENIZER, register_tokenizer

SCHEMA_VERSION = 1

_TABLES: dict[str, dict[str, Any]] = {
    "portals": {
        "columns": {
            "id": str,
            "name": str,
            "domain": str,
            "cms": str,
            "site_id_code": str,
            "updated_at": str,
        },
        "pk": "id",
    },
    "crawl_runs": {
        "columns": {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "portals": str,
            "articles_new": int,
            "articles_updated": int,
            "captures": int,
            "failures": int,
            "warc_bytes": int,
            "stats": str,
        },
        "pk": "id",
    },
    "articles": {
        "columns": {
            "id": int,
            "url": str,
            "portal": str,
            "section": str,
            "title": str,
            "published_at": str,
            "source": str,
            "author": str,
            "site_name": str,
            "site_id_code": str,
            "canonical_url": str,
            "keywords": str,
            "description": str,
            "text": str,
            "content_hash": str,
            "http_status": int,
            "first_seen": str,
            "last_seen": str,
            "run_id": int,
            "warc_filename": str,
            "warc_offset": int,
            "warc_length": int,
            "payload_digest": str,
        },
        "pk": "id",
        "not_null": {"url", "text"},
    },
    "captures": {
        "columns": {
            "id": int,
            "run_id": int,
            "portal": str,
            "url": str,
            "method": str,
            "status": int,
            "mime": str,
            "payload_length": int,
            "captured_at": str,
            "record_id": str,
            "payload_digest": str,
            "warc_filename": str,
            "warc_offset": int,
            "warc_length": int,
            "request_offset": int,
            "request_length": int,
        },
        "pk": "id",
    },
    "attachments": {
        "columns": {
            "id": int,
            "url": str,
            "article_url": str,
            "portal": str,
            "label": str,
            "mime": str,
            "payload_length": int,
            "captured_at": str,
            "payload_digest": str,
            "warc_filename": str,
            "warc_offset": int,
            "warc_length": int,
        },
        "pk": "id",
    },
    "failures": {
        "columns": {
            "id": int,
            "run_id": int,
            "portal": str,
            "url": str,
            "kind": str,
            "reason": str,
            "http_status": int,
            "occurred_at": str,
            "warc_filename": str,
            "warc_offset": int,
            "warc_length": int,
        },
        "pk": "id",
    },
}

_INDEXES: list[tuple[str, Sequence[str], bool]] = [
    ("articles", ["url"], True),
    ("articles", ["portal", "section", "published_at"], False),
    ("captures", ["url"], False),
    ("captures", ["run_id"], False),
    ("attachments", ["url"], True),
    ("failures", ["run_id"], False),
    ("failures", ["url"], False),
]

_ARTICLE_FIELDS = [c for c in _TABLES["articles"]["columns"] if c != "id"]
# On a re-capture these keep their first value; everything else takes the newest.
_ARTICLE_KEEP = {"url", "first_seen"}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def connect(path: str | os.PathLike[str]) -> sqlite_utils.Database:
    """Open (creating if needed) an archive database, with the tokenizer registered."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open the archive database {path}: {exc}") from exc
    register_tokenizer(conn)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables, indexes and full-text index that are missing."""
    with db.conn:
        for name, spec in _TABLES.items():
            table = db.table(name)
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"))
        for table, columns, unique in _INDEXES:
            db.table(table).create_index(columns, unique=unique, if_not_exists=True)
        if not db.table("articles").detect_fts():
            db.table("articles").enable_fts(
                ["title", "text"],
                fts_version="FTS5",
                create_triggers=True,
                tokenize=TOKENIZER,
            )
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


class Store:
    """Buffered writer for one crawl run. Call `flush()` often and `close()` once."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        batch_size: int = 200,
        max_delay: float = 2.0,
    ) -> None:
        self.path = Path(path)
        self.db = connect(self.path)
        self.batch_size = batch_size
        self.max_delay = max_delay
        self._pending: dict[str, list[dict[str, Any]]] = {
            "captures": [],
            "attachments": [],
            "failures": [],
        }
        self._articles: dict[str, dict[str, Any]] = {}
        self._last_flush = time.monotonic()
        self.run_id: int | None = None
        self.counts = {"articles_new": 0, "articles_updated": 0, "captures": 0, "failures": 0}

    # -- runs and portals -----------------------------------------------------------------
    def start_run(self, portals: Iterable[str]) -> int:
        with self.db.conn:
            table = self.db.table("crawl_runs")
            table.insert(
                {"started_at": utc_now(), "status": "running", "portals": ",".join(portals)}
            )
            self.run_id = int(table.last_pk)
        return self.run_id

    def finish_run(self, status: str, stats: dict[str, Any], warc_bytes: int) -> None:
        self.flush()
        if self.run_id is None:
            return
        with self.db.conn:
            self.db.table("crawl_runs").update(
                self.run_id,
                {
                    "finished_at": utc_now(),
                    "status": status,
                    **self.counts,
                    "warc_bytes": warc_bytes,
                    "stats": json.dumps(stats, ensure_ascii=False, default=str, sort_keys=True),
                },
            )

    def upsert_portals(self, portals: Iterable[dict[str, Any]]) -> None:
        rows = [{**p, "updated_at": utc_now()} for p in portals]
        with self.db.conn:
            self.db.table("portals").upsert_all(rows, pk="id")

    # -- buffered rows --------------------------------------------------------------------
    def add_capture(self, row: dict[str, Any]) -> None:
        self._queue("captures", row)

    def add_attachment(self, row: dict[str, Any]) -> None:
        self._queue("attachments", row)

    def add_failure(self, row: dict[str, Any]) -> None:
        row.setdefault("occurred_at", utc_now())
        self._queue("failures", row)

    def add_article(self, row: dict[str, Any]) -> None:
        """Queue an article; one URL is stored once, its latest capture winning."""
        missing = {"url", "text"} - row.keys()
        if missing:
            raise StoreError(f"article row lacks {', '.join(sorted(missing))}")
        self._articles[row["url"]] = {**row, "run_id": self.run_id}
        self._maybe_flush()

    def _queue(self, table: str, row: dict[str, Any]) -> None:
        if table != "attachments":
            row = {**row, "run_id": self.run_id}
        self._pending[table].append(row)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        size = sum(len(rows) for rows in self._pending.values()) + len(self._articles)
        if size >= self.batch_size or time.monotonic() - self._last_flush >= self.max_delay:
            self.flush()

    def flush(self) -> None:
        """Write everything buffered in one transaction."""
        self._last_flush = time.monotonic()
        if not self._articles and not any(self._pending.values()):
            return
        try:
            with self.db.conn:
                self._write_articles(list(self._articles.values()))
                for table in ("captures", "failures"):
                    rows = self._pending[table]
                    if rows:
                        self.db.table(table).insert_all(rows, alter=False)
                        self.counts[table] += len(rows)
                if self._pending["attachments"]:
                    self._write_attachments(self._pending["attachments"])
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}") from exc
        self._articles.clear()
        for rows in self._pending.values():
            rows.clear()

    def _write_articles(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        urls = [r["url"] for r in rows]
        known = {
            row[0]
            for chunk in _chunks(urls, 500)
            for row in self.db.execute(
                f"SELECT url FROM articles WHERE url IN ({','.join('?' * len(chunk))})", chunk
            )
        }
        columns = _ARTICLE_FIELDS
        updates = ", ".join(f"{c}=excluded.{c}" for c in columns if c not in _ARTICLE_KEEP)
        sql = (
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT(url) DO UPDATE SET {updates}"
        )
        now = utc_now()
        values = []
        for row in rows:
            row.setdefault("first_seen", now)
            row.setdefault("last_seen", now)
            values.append([row.get(c) for c in columns])
        self.db.conn.executemany(sql, values)
        new = sum(1 for u in urls if u not in known)
        self.counts["articles_new"] += new
        self.counts["articles_updated"] += len(urls) - new

    def _write_attachments(self, rows: list[dict[str, Any]]) -> None:
        columns = [c for c in _TABLES["attachments"]["columns"] if c != "id"]
        updates = ", ".join(f"{c}=excluded.{c}" for c in columns if c != "url")
        self.db.conn.executemany(
            f"INSERT INTO attachments ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT(url) DO UPDATE SET {updates}",
            [[row.get(c) for c in columns] for row in rows],
        )

    def close(self) -> None:
        self.flush()
        self.db.execute("PRAGMA optimize")
        self.db.close()


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
