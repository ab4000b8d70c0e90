"""Facts about a body as transferred: is its Content-Encoding complete?"""

from __future__ import annotations

import zlib


def encoding_intact(body: bytes, content_encoding: str | None,
                    limit: int = 16 * 1024 * 1024) -> bool:
    """False when a gzip/deflate body stops before its end (a cut transfer).

    Inflates at most `limit` bytes (the page size limit): a body that inflates further is
    too large, which the decompression that follows reports; a gzip bomb costs no more
    time or memory here than a page of `limit` bytes."""
    encoding = (content_encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return True
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    inflated = 0
    pending = body
    try:
        while not inflater.eof and inflated <= limit:
            chunk = inflater.decompress(pending, 1 << 20)  # bounded output
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break  # all input read, and no more output: the stream stops short
            inflated += len(chunk)
    except zlib.error:
        return False
    return inflater.eof or inflated > limit


def failure_kind(content_type: str | None) -> str:
    """How to name a page that cannot be extracted: not-html when it was never a page."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
        return "not-html"
    return "parse"
