"""Finding links in list pages and telling article URLs from the rest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html

# TRS WCM: /YYYYMM/tYYYYMMDD_ID.html (.htm, .shtml)
TRS_ARTICLE = re.compile(r"/\d{6}/t\d{8}_\d+(?:_\d+)?\.s?html?$", re.I)
# Hanweb JCMS: /art/YYYY/M/D/art_COL_ID.html
HANWEB_ARTICLE = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$", re.I)
# Other CMSs: a dated path or a content id (/content/post_123.html, /2021-10/25/content_1.html)
DATED_ARTICLE = re.compile(
    r"(?:/20\d{2}[-/]?\d{2}(?:[-/]?\d{2})?/[^/]+\.s?html?$"
    r"|/(?:content|post|art|info|detail)[_/-]?\w*?\d{4,}\w*\.s?html?$"
    r"|/t20\d{6}_\d+\.s?html?$)",
    re.I,
)
ARTICLE_PATTERNS = (TRS_ARTICLE, HANWEB_ARTICLE, DATED_ARTICLE)


def is_article_url(url: str) -> bool:
    path = urlsplit(url).path
    return any(p.search(path) for p in ARTICLE_PATTERNS)


def absolute(base: str, href: str) -> str | None:
    """Resolve an href; None for javascript:, mailto: and other non-web links."""
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
        return None
    url, _ = urldefrag(urljoin(base, href))
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url


def same_site(url: str, base: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(base).netloc.lower()


def iter_links(base: str, html: str) -> Iterator[tuple[str, str]]:
    """(absolute URL, link text) for every <a href> of a fragment or page, in order."""
    if not html.strip():
        return
    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return
    for a in root.iter("a"):
        href = a.get("href")
        if href is None:
            continue
        url = absolute(base, href)
        if url:
            yield url, (a.text_content() or "").strip()
