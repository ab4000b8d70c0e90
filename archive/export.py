"""Stream articles out of the archive as JSON Lines or CSV, in constant memory."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from typing import Any, TextIO

from archive.store import connect

COLUMNS = ("url", "portal", "section", "title", "published_at", "source", "author",
           "site_name", "site_id_code", "canonical_url", "text", "content_hash", "version",
           "first_seen", "last_seen", "removed_at", "warc_filename", "warc_offset",
           "warc_length", "payload_digest")


def iter_articles(db_path: str | os.PathLike[str], *, portals: tuple[str, ...] = (),
                  sections: tuple[str, ...] = (), since: str | None = None,
                  until: str | None = None) -> Iterator[dict[str, Any]]:
    """Articles matching the filters, oldest publication first, one row at a time.

    `since`/`until` compare with published_at (ISO 8601): `until` is inclusive of its day.
    """
    where, params = [], []
    if portals:
        where.append(f"portal IN ({','.join('?' * len(portals))})")
        params.extend(portals)
    if sections:
        where.append(f"section IN ({','.join('?' * len(sections))})")
        params.extend(sections)
    if since:
        where.append("published_at >= ?")
        params.append(since)
    if until:
        where.append("published_at < ?")
        params.append(until + "\uffff")  # every time on that day sorts below
    sql = f"SELECT {', '.join(COLUMNS)} FROM articles"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY published_at, id"
    db = connect(db_path)
    try:
        cursor = db.conn.execute(sql, params)  # a cursor streams: rows are fetched lazily
        for row in cursor:
            yield dict(zip(COLUMNS, row, strict=True))
    finally:
        db.close()


def write_jsonl(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
