"""The archive database's tables, indexes and full-text index, and opening it.

Columns added in later versions are added to existing databases when they are opened, so
an archive never needs rebuilding to be read by a newer govarc.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.errors import StorageError, StoreError
from archive.fts import TOKENIZER, register_tokenizer
from archive.storage import is_storage_failure

SCHEMA_VERSION = 9  # 9: document fields, attachment_texts (+ their full-text indexes)
# 8: how sure (method, confidence…), alarms, version cause
# 7: crawl_runs.error; 6: articles(published_at) index

_POINTER = {"warc_filename": str, "warc_offset": int, "warc_length": int}
_ARTICLE_META = {
    "title": str,
    "published_at": str,
    "published_date": str,
    "source": str,
    "author": str,
}
# How the text was found (rules, fallback), how sure the extractor is (0-1), which version
# of it, what the page looks like to it (article, or other/list when a page reached as an
# article kept text of its own on a template the rules do not know), and the signature of
# the body's container (the section's alarms notice a new one).
# 政府信息公开 fields of a policy document's page (its info table or meta tags): 索引号,
# 发文机关, 文号 (brackets made 〔〕), 成文日期, 发布日期, 主题分类, 体裁, 有效性, 关键词.
DOCUMENT_COLUMNS = {"doc_index": str, "doc_issuer": str, "doc_number": str, "doc_written": str,
                    "doc_published": str, "doc_topic": str, "doc_genre": str,
                    "doc_validity": str, "doc_keywords": str}
_EXTRACTED_BY = {"method": str, "confidence": float, "extractor_version": int, "page_kind": str,
                 "template": str}

TABLES: dict[str, dict[str, Any]] = {
    "portals": {
        "columns": {"id": str, "name": str, "domain": str, "cms": str, "site_id_code": str,
                    "updated_at": str},
        "pk": "id",
    },
    "sections": {
        "columns": {"id": str, "portal": str, "section": str, "name": str, "url": str,
                    "last_started_run": int, "last_completed_run": int,
                    "last_completed_at": str},
        "pk": "id",  # "portal/section"
    },
    "crawl_runs": {
        "columns": {"id": int, "started_at": str, "finished_at": str, "status": str,
                    "portals": str, "pid": int, "articles_new": int, "articles_changed": int,
                    "articles_unchanged": int, "articles_removed": int, "attachments": int,
                    "captures": int, "failures": int, "flags": int, "alarms": int,
                    "warc_bytes": int, "stats": str, "error": str},
        "pk": "id",
    },
    "articles": {
        "columns": {"id": int, "url": str, "portal": str, "section": str, "list_section": str,
                    **_ARTICLE_META,
                    "site_name": str, "site_id_code": str, "canonical_url": str,
                    "keywords": str, "description": str, "text": str, "content_hash": str,
                    **_EXTRACTED_BY, **DOCUMENT_COLUMNS, "http_status": int, "version": int,
                    "first_seen": str, "last_seen": str,
                    "removed_at": str, "removed_status": int, "removed_run": int,
                    "run_id": int, **_POINTER, "payload_digest": str},
        "pk": "id",
        "not_null": {"url", "text"},
    },
    "article_versions": {
        "columns": {"id": int, "url": str, "version": int, "content_hash": str,
                    **_ARTICLE_META, "text": str, **_EXTRACTED_BY, **DOCUMENT_COLUMNS,
                    "captured_at": str,
                    "run_id": int, "cause": str, "reextracted_at": str,
                    **_POINTER, "payload_digest": str},
        "pk": "id",
    },
    "captures": {
        "columns": {"id": int, "run_id": int, "portal": str, "url": str, "method": str,
                    "status": int, "mime": str, "payload_length": int, "captured_at": str,
                    "record_type": str, "record_id": str, "warc_date": str,
                    "payload_digest": str, "etag": str,
                    "last_modified": str, **_POINTER, "request_offset": int,
                    "request_length": int},
        "pk": "id",
    },
    "attachments": {
        "columns": {"id": int, "url": str, "article_url": str, "portal": str, "label": str,
                    "mime": str, "payload_length": int, "captured_at": str,
                    "payload_digest": str, **_POINTER},
        "pk": "id",
    },
    # The text of each attachment, read from its WARC payload (archive.attachment_text):
    # `status` ok, or why there is none (encrypted, corrupt, zip-bomb, too-large,
    # image-only, unsupported, timeout, memory, crash), with `reason`; `method` how it was
    # read (text-layer, ocr, xml, antiword…). `article_url` leads to the article.
    "attachment_texts": {
        "columns": {"id": int, "url": str, "article_url": str, "portal": str, "status": str,
                    "reason": str, "format": str, "method": str, "pages": int, "chars": int,
                    "text": str, "reader_version": int, "extracted_at": str,
                    "payload_digest": str, **_POINTER},
        "pk": "id",
    },
    "flags": {
        "columns": {"id": int, "run_id": int, "portal": str, "url": str, "kind": str,
                    "evidence": str, "element_path": str, "target_host": str, "score": float,
                    "flagged_at": str, **_POINTER},
        "pk": "id",
    },
    "failures": {
        "columns": {"id": int, "run_id": int, "portal": str, "url": str, "kind": str,
                    "reason": str, "http_status": int, "occurred_at": str, **_POINTER},
        "pk": "id",
    },
    # How each section's extraction went per run, and what crossed a line (archive.alarms);
    # derived from article_versions, so a rebuild measures them again.
    "section_health": {
        "columns": {"id": int, "run_id": int, "portal": str, "section": str, "articles": int,
                    "fallback": float, "undated": float, "untitled": float,
                    "repeated": float, "median_chars": int, "template": str,
                    "template_share": float},
        "pk": "id",
    },
    "alarms": {
        "columns": {"id": int, "run_id": int, "portal": str, "section": str, "kind": str,
                    "value": float, "usual": float, "message": str, "raised_at": str},
        "pk": "id",
    },
}

INDEXES: list[tuple[str, Sequence[str], bool]] = [
    ("articles", ["url"], True),
    ("articles", ["portal", "section", "published_at"], False),
    ("articles", ["published_at"], False),  # archive.search: newest first
    ("article_versions", ["url", "version"], True),
    ("article_versions", ["run_id"], False),
    ("captures", ["url"], False),
    ("captures", ["run_id"], False),
    ("captures", ["payload_digest"], False),
    ("attachments", ["url"], True),
    ("attachment_texts", ["url"], True),
    ("attachment_texts", ["payload_digest"], False),
    ("attachment_texts", ["article_url"], False),
    ("articles", ["doc_number"], False),
    ("failures", ["run_id"], False),
    ("flags", ["url"], False),
    ("flags", ["portal", "kind"], False),
    ("failures", ["url"], False),
    ("section_health", ["portal", "section", "run_id"], False),
    ("alarms", ["run_id"], False),
]


# What each full-text index holds (with the govarc_cjk tokenizer, kept up by triggers).
FTS_COLUMNS = {"articles": ["title", "text", "doc_number"], "attachment_texts": ["text"]}


def _full_text(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """Create the table's full-text index, or re-create it when it lacks a column (an
    archive from before that column was indexed)."""
    fts = db.table(table).detect_fts()
    if fts and [c for c in db.table(fts).columns_dict if c != table] == columns:
        return
    db.table(table).enable_fts(columns, fts_version="FTS5", create_triggers=True,
                               tokenize=TOKENIZER, replace=True)
    if fts:
        db.table(table).rebuild_fts()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def connect(path: str | os.PathLike[str]) -> sqlite_utils.Database:
    """Open (creating if needed) an archive database, with the tokenizer registered."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=60)
        register_tokenizer(conn)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=60000")
        ensure_schema(db)
    except (OSError, sqlite3.Error) as exc:
        if is_storage_failure(exc):
            raise StorageError(f"cannot write the archive database {path}: {exc}") from exc
        raise StoreError(f"cannot open the archive database {path}: {exc}") from exc
    return db


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create what is missing: tables, columns, indexes, the full-text index."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION and all(
        db.table(name).exists() for name in TABLES
    ):
        return
    with db.conn:
        for name, spec in TABLES.items():
            table = db.table(name)
            if not table.exists():
                table.create(spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"))
                continue
            have = table.columns_dict
            for column, kind in spec["columns"].items():
                if column not in have:
                    table.add_column(column, kind)
        for table_name, columns, unique in INDEXES:
            db.table(table_name).create_index(columns, unique=unique, if_not_exists=True)
        for table, columns in FTS_COLUMNS.items():
            _full_text(db, table, columns)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
