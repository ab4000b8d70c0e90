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


def _looks_zlib(head: bytes) -> bool:
    """True when `head` starts with a zlib header (RFC 1950: deflate method, check bits)."""
    return len(head) >= 2 and head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0


def window_bits(encoding: str, head: bytes) -> tuple[int, ...]:
    """The zlib window bits to try, in order, for a body that starts with `head`.

    `deflate` is a zlib stream (RFC 9110), but some servers (IIS among them) send raw
    deflate; browsers, Scrapy and warcio read both, trying zlib first."""
    if "gzip" in encoding:
        return (16 + zlib.MAX_WBITS,)
    if _looks_zlib(head):
        return (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    return (-zlib.MAX_WBITS,)


def _intact_as(inflater: zlib._Decompress, chunks: Iterator[bytes], limit: int) -> bool:
    """Whether the stream in `chunks` ends (or inflates past `limit`); zlib.error if corrupt."""
    inflated = 0
    for pending in chunks:
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
    return inflater.eof or inflated > limit


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
    is_file = not isinstance(body, bytes | bytearray | memoryview)
    start = body.tell() if is_file else 0
    head = body.read(2) if is_file else bytes(body[:2])
    for wbits in window_bits(encoding, head):
        if is_file:
            body.seek(start)
        try:
            return _intact_as(zlib.decompressobj(wbits), _chunks(body), limit)
        except zlib.error:
            continue  # not this format (or corrupt): the next, if any
    return False


def inflate_whole(body: bytes, content_encoding: str | None,
                  limit: int = 16 * 1024 * 1024) -> tuple[bool, bytes | None]:
    """`encoding_intact` for a body in memory, keeping what it inflates to: (intact, the
    inflated body). The body is None unless it is one whole gzip member or deflate stream
    (zlib or raw) that inflates to at most `limit` bytes (not encoded, cut short, too
    large, or followed by more bytes: whoever decompresses next decides)."""
    encoding = (content_encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return True, None
    for wbits in window_bits(encoding, body[:2]):
        inflater = zlib.decompressobj(wbits)
        try:
            inflated = inflater.decompress(body, limit + 1)  # bounded output
            break
        except zlib.error:
            continue  # not this format (or corrupt): the next, if any
    else:
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
