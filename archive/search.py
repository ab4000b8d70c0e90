"""Search the archive's full-text index (title and body, Chinese-aware)."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from archive.errors import GovarcError
from archive.store import connect


class SearchError(GovarcError):
    """The query is not valid FTS5 syntax; quote it to search for it literally."""


def search_articles(
    db_path: str | os.PathLike[str], query: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Best matches first: url, portal, section, title, published_at and a text snippet."""
    db = connect(db_path)
    try:
        rows = db.execute(
            """
            SELECT a.url, a.portal, a.section, a.title, a.published_at,
                   snippet(articles_fts, 1, '【', '】', '…', 24) AS snippet
            FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
            WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?
            """,
            [query, limit],
        )
        columns = [c[0] for c in rows.description]
        return [dict(zip(columns, row, strict=True)) for row in rows.fetchall()]
    except sqlite3.OperationalError as exc:
        raise SearchError(f"cannot search for {query!r}: {exc} (put it in double quotes "
                          "to search for it literally)") from exc
    finally:
        db.close()
