"""Chinese full-text search: register the govarc_cjk FTS5 tokenizer on SQLite connections.

The tokenizer itself is C (`_cjk_tokenizer`). Registering it needs the connection's
`fts5_api` pointer, which SQLite hands out only through `SELECT fts5(?1)` with a bound
pointer; Python's sqlite3 cannot bind pointers, so this module calls the SQLite C API
of the library that Python's own `_sqlite3` module uses, through ctypes.
"""

from __future__ import annotations

import ctypes
import sqlite3
from functools import cache

from archive import _cjk_tokenizer
from archive.errors import TokenizerError

TOKENIZER = "govarc_cjk"

# CPython's sqlite3.Connection object starts with PyObject_HEAD, then `sqlite3 *db`
# (Modules/_sqlite/connection.h, unchanged from 3.8 to 3.13).
_DB_OFFSET = object.__basicsize__


@cache
def _sqlite_api() -> ctypes.CDLL:
    import _sqlite3

    lib = ctypes.CDLL(_sqlite3.__file__)
    lib.sqlite3_prepare_v2.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_void_p,
    ]
    lib.sqlite3_bind_pointer.argtypes = [
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_void_p,
    ]
    lib.sqlite3_step.argtypes = [ctypes.c_void_p]
    lib.sqlite3_finalize.argtypes = [ctypes.c_void_p]
    lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.sqlite3_db_filename.restype = ctypes.c_char_p
    return lib


def _db_handle(conn: sqlite3.Connection) -> int:
    if not isinstance(conn, sqlite3.Connection):
        raise TokenizerError(f"expected a sqlite3.Connection, got {type(conn).__name__}")
    handle = ctypes.c_void_p.from_address(id(conn) + _DB_OFFSET).value
    if not handle:
        raise TokenizerError("the SQLite connection is closed")
    # Cross-check that the pointer is this connection's database before using it.
    main_file = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    filename = _sqlite_api().sqlite3_db_filename(handle, b"main") or b""
    if filename.decode("utf-8", "replace") != (main_file or ""):
        raise TokenizerError("cannot reach the SQLite handle of this Python build's connections")
    return handle


def register_tokenizer(conn: sqlite3.Connection) -> None:
    """Make the `govarc_cjk` FTS5 tokenizer available on `conn`."""
    lib = _sqlite_api()
    db = _db_handle(conn)
    stmt = ctypes.c_void_p()
    if lib.sqlite3_prepare_v2(db, b"SELECT fts5(?1)", -1, ctypes.byref(stmt), None) != 0:
        raise TokenizerError("this SQLite has no FTS5; govarc's search needs it")
    api = ctypes.c_void_p()
    try:
        lib.sqlite3_bind_pointer(stmt, 1, ctypes.addressof(api), b"fts5_api_ptr", None)
        lib.sqlite3_step(stmt)
    finally:
        lib.sqlite3_finalize(stmt)
    if not api.value:
        raise TokenizerError("SQLite did not return its fts5_api (FTS5 older than 3.20?)")
    try:
        _cjk_tokenizer.register(api.value, TOKENIZER)
    except RuntimeError as exc:
        raise TokenizerError(str(exc)) from exc


def tokenize(text: str, query: bool = False) -> list[str]:
    """The tokens the index (or, with `query`, a search) sees in `text`; for tests and debugging."""
    return [token for token, _start, _end, _colocated in _cjk_tokenizer.tokenize(text, query)]
