"""Search the archive's full-text indexes (articles: title, body and 文号; attachments:
their text), Chinese-aware.

The order of the hits depends on how many there are, so that a search stays fast on an
archive of any size:

- at most `RANK_LIMIT` hits (a rare word, or several words together): best matches first,
  by FTS5's bm25 `rank` over every hit (the order `sqlite-utils search` and Datasette give);
- more hits (a common word such as 曲靖 in a provincial archive): newest first, by
  `published_at` (undated articles last), not by relevance. bm25 needs a score for every
  hit, and its cost grows with them (about 30 ms for 10,000 hits, more for phrases).

`search()` says which order it used (`SearchResult.ranked`); `search_articles()` returns
the hits alone. The snippet is FTS5's `snippet()` in both cases, with the match in 【】.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.errors import GovarcError, MissingArchive
from archive.readonly import open_read_only

# Queries with at most this many hits are ranked by bm25; commoner ones come newest first.
RANK_LIMIT = 1000
COLUMNS = ("url", "portal", "section", "title", "published_at", "snippet")
_SNIPPET = "snippet({table}, 1, '【', '】', '…', 24)"
_PROBE = ("SELECT count(*) FROM (SELECT rowid FROM articles_fts "
          "WHERE articles_fts MATCH ? LIMIT ?)")
_RANKED = f"""
SELECT a.url, a.portal, a.section, a.title, a.published_at, h.snippet
FROM (SELECT rowid, rank, {_SNIPPET.format(table="articles_fts")} AS snippet
      FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?) AS h
JOIN articles a ON a.rowid = h.rowid ORDER BY h.rank
"""
# `+rowid` keeps SQLite from driving the query by the hits: it walks the published_at
# index from the newest and stops at the `limit`-th article that is a hit.
_NEWEST = """
SELECT rowid FROM articles WHERE {rowid} IN (
    SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)
ORDER BY published_at DESC, rowid DESC LIMIT ?
"""
# The same with the count in one pass over the hits: no rows when there are at most
# `rank_limit` (the constant condition is checked before the index is walked).
_NEWEST_IF_COMMON = """
WITH hits(id) AS (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)
SELECT rowid FROM articles
WHERE (SELECT count(*) FROM hits) > ? AND {rowid} IN hits
ORDER BY published_at DESC, rowid DESC LIMIT ?
"""
_DATE_INDEX = "idx_articles_published_at"


class SearchError(GovarcError):
    """The query is empty or not valid FTS5 syntax; quote it to search for it literally."""


@dataclass
class SearchResult:
    """Hits (dicts of COLUMNS) and their order: bm25 (`ranked`) or newest first."""

    hits: list[dict[str, Any]]
    ranked: bool


def search(conn: sqlite3.Connection, query: str, limit: int = 20,
           rank_limit: int = RANK_LIMIT) -> SearchResult:
    """Search on an open connection: bm25 order up to `rank_limit` hits, else newest first."""
    if not query.strip():
        raise SearchError("empty query: give a word or a phrase to search for")
    try:
        rowids = _newest_if_common(conn, query, max(limit, 1), rank_limit)
        if rowids is None:
            rows = conn.execute(_RANKED, [query, limit]).fetchall()
            return SearchResult([dict(zip(COLUMNS, row, strict=True)) for row in rows], True)
        return SearchResult(_with_snippets(conn, query, rowids[:limit]), False)
    except sqlite3.OperationalError as exc:
        raise SearchError(f"cannot search for {query!r}: not a valid query ({exc}); put it "
                          "in double quotes to search for it literally") from exc


def _newest_if_common(conn: sqlite3.Connection, query: str, limit: int, rank_limit: int
                      ) -> list[int] | None:
    """The newest `limit` hits' rowids if there are more than `rank_limit` hits, else None.

    Two plans, same answer. For one word (phrase) most documents holding its tokens are
    hits, so counting the first `rank_limit + 1` hits is a short walk, then one pass lists
    the newest. Several words meet in few documents, and finding the first
    `rank_limit + 1` hits can walk most of their lists: one pass gives the count and the
    list instead."""
    indexed = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
                           [_DATE_INDEX]).fetchone()
    rowid = "+rowid" if indexed else "rowid"
    if len(query.split()) <= 1:
        if conn.execute(_PROBE, [query, rank_limit + 1]).fetchone()[0] <= rank_limit:
            return None
        return [row[0] for row in conn.execute(_NEWEST.format(rowid=rowid), [query, limit])]
    found = [row[0] for row in conn.execute(_NEWEST_IF_COMMON.format(rowid=rowid),
                                            [query, rank_limit, limit])]
    return found or None


def _with_snippets(conn: sqlite3.Connection, query: str, rowids: list[int]
                   ) -> list[dict[str, Any]]:
    """The rows of these articles, in this order, with FTS5 snippets of `query`.

    `snippet()` needs the index's cursor on the row, and asking for a single row with
    `rowid = ?` costs a walk of the query's hits each time: one scan bounded to the span of
    these rowids (the newest articles are mostly close together) costs at most one walk."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    found = {row[0]: row[1:] for row in conn.execute(
        f"""SELECT a.rowid, a.url, a.portal, a.section, a.title, a.published_at,
                   {_SNIPPET.format(table="articles_fts")}
            FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            WHERE articles_fts MATCH ? AND articles_fts.rowid BETWEEN ? AND ?
              AND +articles_fts.rowid IN ({marks})""",
        [query, min(rowids), max(rowids), *rowids])}
    return [dict(zip(COLUMNS, found[r], strict=True)) for r in rowids if r in found]


def search_articles(
    db_path: str | os.PathLike[str], query: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Hits of `query`: url, portal, section, title, published_at and a text snippet.

    Best matches first when there are at most RANK_LIMIT hits, newest first otherwise
    (see the module docstring). The read-only connection is kept for the next search of
    the same database in this thread (`close_cached` ends them)."""
    return search(_cached(db_path), query, limit).hits


ATTACHMENT_COLUMNS = ("url", "label", "format", "article_url", "article_title", "portal",
                      "published_at", "snippet")
_ATTACHMENTS = """
SELECT t.url, f.label, t.format, t.article_url, a.title, coalesce(a.portal, t.portal),
       a.published_at, h.snippet
FROM (SELECT rowid, rank, snippet(attachment_texts_fts, 0, '【', '】', '…', 24) AS snippet
      FROM attachment_texts_fts WHERE attachment_texts_fts MATCH ? ORDER BY rank LIMIT ?) AS h
JOIN attachment_texts t ON t.rowid = h.rowid
LEFT JOIN attachments f ON f.url = t.url
LEFT JOIN articles a ON a.url = t.article_url
ORDER BY h.rank
"""


def search_attachments(db_path: str | os.PathLike[str], query: str, limit: int = 20
                       ) -> list[dict[str, Any]]:
    """Attachments whose text matches `query`, best first: the file's URL, label and
    format, the article it belongs to (URL, title, date) and a snippet of its text."""
    if not query.strip():
        raise SearchError("empty query: give a word or a phrase to search for")
    conn = _cached(db_path)
    try:
        rows = conn.execute(_ATTACHMENTS, [query, limit]).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []  # an archive from before attachment texts
        raise SearchError(f"cannot search for {query!r}: not a valid query ({exc}); put it "
                          "in double quotes to search for it literally") from exc
    return [dict(zip(ATTACHMENT_COLUMNS, row, strict=True)) for row in rows]


_CACHED = threading.local()  # .conns: {resolved path: ((st_dev, st_ino), connection)}
_CACHED_MAX = 4


def _cached(db_path: str | os.PathLike[str]) -> sqlite3.Connection:
    """This thread's open connection to the archive, reopened if the file was replaced.

    A fresh connection starts with an empty page cache and reads the index pages of the
    query again (on 100,000 articles, up to a few ms of a phrase search). WAL readers see
    every commit made since, so a kept connection is never stale."""
    path = Path(db_path)
    try:
        stat = path.stat()
    except OSError:
        raise MissingArchive(f"no archive database at {path}") from None
    conns: dict[str, tuple[tuple[int, int], sqlite3.Connection]] = _CACHED.__dict__.setdefault(
        "conns", {})
    key, identity = str(path.resolve()), (stat.st_dev, stat.st_ino)
    found = conns.get(key)
    if found is not None and found[0] == identity:
        return found[1]
    if found is not None:
        found[1].close()
        del conns[key]
    conn = open_read_only(path)
    if len(conns) >= _CACHED_MAX:
        oldest = next(iter(conns))
        conns.pop(oldest)[1].close()
    conns[key] = (identity, conn)
    return conn


def close_cached() -> None:
    """Close the connections `search_articles` keeps in this thread."""
    for _identity, conn in getattr(_CACHED, "conns", {}).values():
        conn.close()
    _CACHED.__dict__.pop("conns", None)
