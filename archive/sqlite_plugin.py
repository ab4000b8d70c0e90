"""sqlite-utils and Datasette plugin: register the Chinese tokenizer on every connection.

Installed through the `sqlite_utils` and `datasette` entry points in pyproject.toml, so
`sqlite-utils search archive.db articles 曲靖` and `datasette archive.db` just work.
"""

from __future__ import annotations

import sqlite3

import pluggy

from archive.fts import register_tokenizer

_sqlite_utils_impl = pluggy.HookimplMarker("sqlite_utils")
_datasette_impl = pluggy.HookimplMarker("datasette")


@_sqlite_utils_impl
@_datasette_impl
def prepare_connection(conn: sqlite3.Connection) -> None:
    """Add the govarc_cjk FTS5 tokenizer to a connection sqlite-utils or Datasette opened."""
    register_tokenizer(conn)
