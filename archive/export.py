"""Stream articles out of the archive as JSON Lines or CSV, in constant memory.

JSON Lines is exact. CSV is for spreadsheet programs, which run a cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return as a formula: such text cells are written
with a leading `'`, as OWASP advises against CSV injection. With `bom`, the CSV starts
with a UTF-8 byte-order mark, without which spreadsheet programs show Chinese garbled.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, TextIO

import sqlite_utils

from archive.errors import GovarcError
from archive.readonly import read_archive
from archive.schema import DOCUMENT_COLUMNS

DOCUMENT = tuple(DOCUMENT_COLUMNS)  # 政府信息公开 fields: 索引号, 发文机关, 文号 …
COLUMNS = ("url", "portal", "section", "title", "published_at", "source", "author",
           "site_name", "site_id_code", "canonical_url", "text", *DOCUMENT, "content_hash",
           "version", "first_seen", "last_seen", "removed_at", "warc_filename", "warc_offset",
           "warc_length", "payload_digest")
# Each article's attachments: JSON Lines gives them whole (text included), CSV their URLs.
ATTACHMENT = ("url", "label", "mime", "payload_length", "status", "format", "method", "pages",
              "text")
_ATTACHMENTS = """
SELECT f.url, f.label, f.mime, f.payload_length, t.status, t.format, t.method, t.pages, t.text
FROM attachments f LEFT JOIN attachment_texts t ON t.url = f.url
WHERE f.article_url = ? ORDER BY f.id
"""
CHINA = timezone(timedelta(hours=8))  # the offset published_at is stored in
FORMULA_START = frozenset("=+-@\t\r")  # a spreadsheet evaluates cells starting so
BOM = "\ufeff"


class FilterError(GovarcError):
    """A filter value is malformed (e.g. a date that is not ISO 8601)."""


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to export: portals, sections (names), publication bounds."""

    portals: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    since: str | None = None  # ISO 8601 day or time, inclusive
    until: str | None = None  # ISO 8601 day (the whole day) or time, inclusive

    def where(self) -> tuple[str, list[str]]:
        """The SQL condition and its parameters; FilterError on a malformed date."""
        where, params = ["1"], []
        if self.portals:
            where.append(f"portal IN ({','.join('?' * len(self.portals))})")
            params.extend(self.portals)
        if self.sections:
            where.append(f"section IN ({','.join('?' * len(self.sections))})")
            params.extend(self.sections)
        if self.since:
            where.append("published_at >= ?")
            params.append(bound(self.since, "--since"))
        if self.until:
            day = _day(self.until)
            if day is not None:
                where.append("published_at < ?")
                params.append((day + timedelta(days=1)).isoformat())
            else:
                where.append("published_at <= ?")
                params.append(bound(self.until, "--until"))
        return " AND ".join(where), params

    def unknown(self, db: sqlite_utils.Database) -> list[str]:
        """Warnings for filter values that name no portal or section of the archive."""
        warnings = []
        if self.portals:
            known = {r[0] for r in db.execute("SELECT id FROM portals")} | {
                r[0] for r in db.execute("SELECT DISTINCT portal FROM articles")}
            for portal in self.portals:
                if portal not in known:
                    warnings.append(f"no portal {portal!r} in this archive "
                                    f"(it has {', '.join(sorted(k for k in known if k))})")
        if self.sections:
            known = {r[0] for r in db.execute("SELECT name FROM sections")} | {
                r[0] for r in db.execute("SELECT DISTINCT section FROM articles")}
            for section in self.sections:
                if section not in known:
                    warnings.append(f"no section {section!r} in this archive (sections are "
                                    "named as the portal names them, e.g. 州市动态)")
        return warnings


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def bound(text: str, option: str = "date") -> str:
    """An ISO 8601 day or time as the text it is compared with in published_at
    (`YYYY-MM-DDTHH:MM:SS+08:00`): a time without an offset is China's time."""
    text = text.strip()
    day = _day(text)
    if day is not None:
        return day.isoformat()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise FilterError(f"{option}: {text!r} is not an ISO 8601 day or time (e.g. "
                          "2021-10-25 or 2021-10-25T08:00:00+08:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=CHINA)
    return when.astimezone(CHINA).isoformat()


def check_filter(db_path: str | os.PathLike[str], wanted: ArticleFilter) -> list[str]:
    """Validate `wanted` against the archive: FilterError for a malformed date, and the
    warnings for portals or sections it does not hold."""
    wanted.where()
    db = read_archive(db_path)
    try:
        return wanted.unknown(db)
    finally:
        db.close()


def iter_articles(db_path: str | os.PathLike[str], wanted: ArticleFilter = ArticleFilter()
                  ) -> Iterator[dict[str, Any]]:
    """Articles matching the filter, oldest publication first, one row at a time, each
    with its `attachments` (dicts of ATTACHMENT: the file and the text read from it)."""
    where, params = wanted.where()
    have = set(read_columns(db_path))
    picked = ", ".join(c if c in have else f"NULL AS {c}" for c in COLUMNS)
    sql = f"SELECT {picked} FROM articles WHERE {where} ORDER BY published_at, id"
    db = read_archive(db_path)
    texts = db.table("attachment_texts").exists()
    try:
        cursor = db.conn.execute(sql, params)  # a cursor streams: rows are fetched lazily
        for row in cursor:
            article = dict(zip(COLUMNS, row, strict=True))
            article["attachments"] = [
                dict(zip(ATTACHMENT, found, strict=True))
                for found in db.conn.execute(_ATTACHMENTS, [article["url"]])] if texts else []
            yield article
    finally:
        db.close()


def read_columns(db_path: str | os.PathLike[str]) -> list[str]:
    """The articles table's columns (an older archive lacks the newer ones)."""
    db = read_archive(db_path)
    try:
        return list(db.table("articles").columns_dict)
    finally:
        db.close()


def write_jsonl(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, prefixed with `'`; anything else as is."""
    if isinstance(value, str) and value and value[0] in FORMULA_START:
        return "'" + value
    return value


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO, bom: bool = False) -> int:
    if bom:
        out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=(*COLUMNS, "attachments"))
    writer.writeheader()
    count = 0
    for row in rows:
        row["attachments"] = "\n".join(a["url"] for a in row.get("attachments", ()))
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        count += 1
    return count
