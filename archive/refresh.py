"""Pages a crawl leaves by `<meta http-equiv="refresh">`, read as Scrapy reads them.

Scrapy's MetaRefreshMiddleware follows a refresh found in the first 4,096 characters of a
page (outside `<noscript>`) whose delay is under METAREFRESH_MAXDELAY (100 s): such a page
is never given to the spider, so a rebuild must not extract it either.
"""

from __future__ import annotations

from w3lib.html import get_meta_refresh

HEAD = 4096  # characters Scrapy reads for the refresh
MAX_DELAY = 100.0  # METAREFRESH_MAXDELAY's default
IGNORE_TAGS = ("noscript",)  # METAREFRESH_IGNORE_TAGS's default


def refresh_target(head: bytes, url: str, encoding: str = "utf-8") -> str | None:
    """The URL a crawl goes on to from a page starting with `head`, or None."""
    text = head[:HEAD * 4].decode(encoding, "replace")[:HEAD]
    if "refresh" not in text.lower():
        return None
    delay, target = get_meta_refresh(text, url, ignore_tags=IGNORE_TAGS)
    if target is None or delay is None or delay >= MAX_DELAY:
        return None
    return target
