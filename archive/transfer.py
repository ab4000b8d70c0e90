"""Facts about a body as transferred: is its Content-Encoding complete?"""

from __future__ import annotations

import zlib


def encoding_intact(body: bytes, content_encoding: str | None) -> bool:
    """False when a gzip/deflate body stops before its end (a cut transfer)."""
    encoding = (content_encoding or "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return True
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        remaining = body
        while remaining:
            inflater.decompress(remaining, 1 << 20)  # bounded output: a bomb costs no memory
            remaining = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return False
    return inflater.eof


def failure_kind(content_type: str | None) -> str:
    """How to name a page that cannot be extracted: not-html when it was never a page."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and not (mime.startswith("text/") or "html" in mime or "xml" in mime):
        return "not-html"
    return "parse"
