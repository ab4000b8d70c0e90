"""sqlite-utils and Datasette plugin: Chinese search and an archive browser out of the box.

Installed through the `sqlite_utils` and `datasette` entry points in pyproject.toml:
every connection sqlite-utils or Datasette opens gets the govarc_cjk tokenizer, so
`sqlite-utils search archive.db articles 曲靖` and Datasette's search work, and Datasette
gets titles, descriptions, facets and search settings for every govarc archive it serves.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from importlib import resources
from typing import Any

import pluggy

from archive.fts import register_tokenizer
from archive.schema import TABLES

_sqlite_utils_impl = pluggy.HookimplMarker("sqlite_utils")
_datasette_impl = pluggy.HookimplMarker("datasette")


@_sqlite_utils_impl
@_datasette_impl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Add the govarc_cjk FTS5 tokenizer to a connection sqlite-utils or Datasette opened."""
    register_tokenizer(conn)


@cache
def archive_metadata() -> dict[str, Any]:
    """Table titles, descriptions, facets and search settings for a govarc archive; every
    column described (columns many tables share are described once, in common_columns)."""
    text = resources.files("archive").joinpath("datasette_metadata.json").read_text("utf-8")
    spec = json.loads(text)
    common = spec.pop("common_columns")
    for name, table in spec["database"]["tables"].items():
        if name in TABLES:
            table["columns"] = {column: table.get("columns", {}).get(column) or common[column]
                                for column in TABLES[name]["columns"]}
    return spec


@cache
def _is_archive(path: str) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return {"articles", "captures", "crawl_runs", "articles_fts"} <= names


@_datasette_impl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None
                 ) -> dict[str, Any] | None:
    """Datasette metadata for each served database that is a govarc archive."""
    archives = _archives(datasette)
    if not archives:
        return None
    spec = archive_metadata()
    return {
        "title": spec["title"],
        "description": spec["description"],
        "databases": {name: spec["database"] for name in archives},
    }


def _archives(datasette: Any) -> list[str]:
    """Names of the served databases that are govarc archives."""
    return [name for name, db in datasette.databases.items()
            if getattr(db, "path", None) and _is_archive(db.path)]


@_datasette_impl
def register_routes() -> list[tuple[str, Any]]:
    """The archive report (`govarc report --html`) at /-/govarc-report[/DATABASE]."""
    async def report_page(datasette: Any, request: Any) -> Any:
        from archive.datasette_report import report_response

        return await report_response(datasette, request, _archives(datasette))

    return [(r"^/-/govarc-report(/(?P<database>[^/]+))?$", report_page)]


@_datasette_impl
def menu_links(datasette: Any, actor: Any) -> Any:
    """A menu entry for each archive's report the visitor may view."""
    async def links() -> list[dict[str, str]]:
        names = [name for name in _archives(datasette)
                 if await datasette.permission_allowed(actor, "view-database", name,
                                                       default=True)]
        return [{"href": datasette.urls.path(f"/-/govarc-report/{name}"),
                 "label": f"govarc report: {name}" if len(names) > 1 else "govarc report"}
                for name in names]
    return links
