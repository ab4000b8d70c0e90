"""An article's archived versions and the changes between them."""

from __future__ import annotations

import difflib
import os
from typing import Any

from archive.readonly import read_archive


def article_history(db_path: str | os.PathLike[str], url: str) -> list[dict[str, Any]]:
    """Every version of the article at `url`, oldest first; the last carries removal facts."""
    db = read_archive(db_path)
    try:
        cursor = db.execute(
            "SELECT v.*, a.removed_at, a.removed_status FROM article_versions v "
            "JOIN articles a ON a.url = v.url WHERE v.url = ? ORDER BY v.version", [url])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        db.close()


def text_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Unified diff of two versions' titles and texts, line by line."""
    def lines(v: dict[str, Any]) -> list[str]:
        return [f"# {v['title'] or ''}", *(v["text"] or "").split("\n")]

    return list(difflib.unified_diff(lines(old), lines(new), f"version {old['version']}",
                                     f"version {new['version']}", lineterm="", n=1))
