"""Facts about a body as transferred: is its Content-Encoding complete, and what it inflates to."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO


def _chunks(body: bytes | BinaryIO) -> Iterator[bytes]:
    if isinstance(body, bytes | bytearray | memoryview):
        yield bytes(body)
        return
    while chunk := body.read(1 << 20):
        yield chunk


def encoding_intact(body: bytes | BinaryIO, content_encoding: str | None,
                    limit: int = 16 * 1024 * 1024) -> bool:
    """False when a gzip/deflate body stops before its end (a cut transfer).

    Inflates at most `limit` bytes (the page size limit): a body that inflates further is
    too large, which the decompression that follows reports; a gzip bomb costs no more
    time or memory here than a page of `limit` bytes. `body` may be a file (a body kept on
    disk), read in chunks from where it stands."""
    encoding = (content_encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return True
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    inflated = 0
    try:
        for pending in _chunks(body):
            while pending and not inflater.eof and inflated <= limit:
                chunk = inflater.decompress(pending, 1 << 20)  # bounded output
                pending = inflater.unconsumed_tail
                inflated += len(chunk)
            if inflater.eof or inflated > limit:
                break
        # All input read: what remains buffered inside the inflater comes out now.
        while not inflater.eof and inflated <= limit:
            chunk = inflater.decompress(b"", 1 << 20)
            if not chunk:
                break  # no more output: the stream stops short
            inflated += len(chunk)
    except zlib.error:
        return False
    return inflater.eof or inflated > limit


def inflate_whole(body: bytes, content_encoding: str | None,
                  limit: int = 16 * 1024 * 1024) -> tuple[bool, bytes | None]:
    """`encoding_intact` for a body in memory, keeping what it inflates to: (intact, the
    inflated body). The body is None unless it is one whole gzip member or zlib stream that
    inflates to at most `limit` bytes (not encoded, cut short, too large, or followed by
    more bytes: whoever decompresses next decides)."""
    encoding = (content_encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return True, None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        inflated = inflater.decompress(body, limit + 1)  # bounded output
    except zlib.error:
        return False, None
    if len(inflated) > limit:
        return True, None  # too large: the decompression that follows reports it
    if not inflater.eof:
        return False, None  # all input read (the output bound was not reached): cut short
    return True, None if inflater.unused_data else inflated


def failure_kind(content_type: str | None) -> str:
    """How to name a page that cannot be extracted: not-html when it was never a page."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
        return "not-html"
    return "parse"
