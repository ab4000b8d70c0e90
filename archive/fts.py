"""Chinese full-text search: register the govarc_cjk FTS5 tokenizer on SQLite connections.

The tokenizer is C (`_cjk_tokenizer`, built at install when a compiler is there) or, the
same rules in Python (`archive/cjk_tokens.py`), called by SQLite through ctypes callbacks;
`ENGINE` says which this installation uses. Both give the same tokens.

Registering either needs the connection's `fts5_api` pointer, which SQLite hands out only
through `SELECT fts5(?1)` with a bound pointer; Python's sqlite3 cannot bind pointers,
so this module calls the SQLite C API of the library that Python's own `_sqlite3` module
uses, through ctypes, on the connection's `sqlite3 *` handle. Python has no public way to
get that handle from a `sqlite3.Connection` (an SQLite extension's entry point receives
it, but that takes a compiled extension again): it is read from CPython's object layout,
on the versions this is tested on only, and checked against the connection before use.
"""

from __future__ import annotations

import ctypes
import sqlite3
import sys
from functools import cache
from typing import Any

from archive.errors import TokenizerError

try:
    from archive import _cjk_tokenizer
except ImportError:  # built without a C compiler: the Python tokenizer does the same
    _cjk_tokenizer = None

TOKENIZER = "govarc_cjk"
ENGINE = "c" if _cjk_tokenizer is not None else "python"

# CPython's sqlite3.Connection object starts with PyObject_HEAD, then `sqlite3 *db`
# (Modules/_sqlite/connection.h, unchanged from 3.8 to 3.13; tested on 3.11 to 3.13).
_DB_OFFSET = object.__basicsize__
TESTED_PYTHONS = ((3, 11), (3, 12), (3, 13))


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
    lib.sqlite3_malloc.argtypes = [ctypes.c_int]
    lib.sqlite3_malloc.restype = ctypes.c_void_p
    lib.sqlite3_free.argtypes = [ctypes.c_void_p]
    lib.sqlite3_free.restype = None
    return lib


def _db_handle(conn: sqlite3.Connection) -> int:
    if sys.version_info[:2] not in TESTED_PYTHONS:
        raise TokenizerError(
            f"govarc reads SQLite's handle from CPython's sqlite3.Connection layout, checked "
            f"on Python 3.11 to 3.13; this is {sys.version.split()[0]}")
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


def register_tokenizer(conn: sqlite3.Connection, name: str = TOKENIZER,
                       engine: str = "") -> None:
    """Make the `govarc_cjk` FTS5 tokenizer available on `conn` (`engine` "c" or
    "python" to choose; by default the C one when it was built)."""
    engine = engine or ENGINE
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
    if engine == "c" and _cjk_tokenizer is not None:
        try:
            _cjk_tokenizer.register(api.value, name)
        except RuntimeError as exc:
            raise TokenizerError(str(exc)) from exc
    else:
        _register_python(api.value, name)


def tokenize(text: str, query: bool = False, engine: str = "") -> list[str]:
    """The tokens the index (or, with `query`, a search) sees in `text`; for tests and debugging."""
    if (engine or ENGINE) == "c" and _cjk_tokenizer is not None:
        return [token for token, _start, _end, _colocated in _cjk_tokenizer.tokenize(text, query)]
    from archive import cjk_tokens  # the Python engine, imported only when used

    return [token.decode("utf-8") for _flags, token, _start, _end in
            cjk_tokens.tokenize(text.encode("utf-8"), cjk_tokens.QUERY if query else 0)]


# -- the Python tokenizer, as an fts5_tokenizer of ctypes callbacks ----------------------
@cache
def _python_tokens() -> Any:
    """`cjk_tokens.tokenize`, imported on first use: with the C engine, sqlite-utils and
    Datasette never pay for importing it (10 ms of every `sqlite-utils` call)."""
    from archive import cjk_tokens

    return cjk_tokens.tokenize

_SQLITE_OK, _SQLITE_ERROR = 0, 1
_XTOKEN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p,
                           ctypes.c_int, ctypes.c_int, ctypes.c_int)
_XCREATE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                            ctypes.POINTER(ctypes.c_void_p))
_XDELETE = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_XTOKENIZE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                              ctypes.c_void_p, ctypes.c_int, _XTOKEN)


class _Fts5Tokenizer(ctypes.Structure):
    _fields_ = (("xCreate", _XCREATE), ("xDelete", _XDELETE), ("xTokenize", _XTOKENIZE))


_XCREATE_TOKENIZER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                                      ctypes.c_void_p, ctypes.POINTER(_Fts5Tokenizer),
                                      ctypes.c_void_p)


class _Fts5Api(ctypes.Structure):
    _fields_ = (("iVersion", ctypes.c_int), ("xCreateTokenizer", _XCREATE_TOKENIZER))


def _create(_ctx: Any, _args: Any, _count: int, out: Any) -> int:
    """A tokenizer instance: 8 bytes from sqlite3_malloc, freed by SQLite's own
    sqlite3_free as xDelete. A Python xDelete would be called when a connection is
    collected at interpreter exit, after ctypes' callbacks are gone (a crash)."""
    out[0] = _sqlite_api().sqlite3_malloc(8)
    return _SQLITE_OK if out[0] else 7  # SQLITE_NOMEM


def _tokenize(_tokenizer: Any, ctx: Any, flags: int, text: Any, length: int,
              token: Any) -> int:
    try:
        data = ctypes.string_at(text, length) if length > 0 else b""
        for token_flags, value, start, end in _python_tokens()(data, flags):
            rc = token(ctx, token_flags, value, len(value), start, end)
            if rc != _SQLITE_OK:
                return rc
        return _SQLITE_OK
    except Exception:  # never let a Python error unwind through SQLite's C stack
        return _SQLITE_ERROR


@cache
def _python_tokenizer() -> _Fts5Tokenizer:
    """Kept for the life of the process: SQLite keeps the function pointers."""
    free = ctypes.cast(_sqlite_api().sqlite3_free, ctypes.c_void_p).value
    return _Fts5Tokenizer(_XCREATE(_create), _XDELETE(free), _XTOKENIZE(_tokenize))


def _register_python(api_address: int, name: str) -> None:
    api = ctypes.cast(api_address, ctypes.POINTER(_Fts5Api)).contents
    if api.iVersion < 2:
        raise TokenizerError("not an fts5_api pointer (SQLite without FTS5?)")
    rc = api.xCreateTokenizer(api_address, name.encode(), None,
                              ctypes.byref(_python_tokenizer()), None)
    if rc != _SQLITE_OK:
        raise TokenizerError(f"xCreateTokenizer failed with SQLite code {rc}")
