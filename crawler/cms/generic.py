"""Lists of CMSs we have no adapter for: dated article links and 下一页 / rel=next links."""

from __future__ import annotations

import re

import lxml.html

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import absolute, is_article_url, iter_links, same_site

_NEXT_LABELS = re.compile(r"^\s*(下一页|下页|后一页|next|›|»|>)\s*$", re.I)


def parse_generic(url: str, text: str) -> ListPage:
    page = ListPage()
    for link, _label in iter_links(url, text):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    try:
        root = lxml.html.fromstring(text) if text.strip() else None
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is None:
        return page
    for a in root.iter("a"):
        href = a.get("href")
        rel = (a.get("rel") or "").lower()
        if href and ("next" in rel.split() or _NEXT_LABELS.match(a.text_content() or "")):
            next_url = absolute(url, href)
            if next_url and next_url != url and same_site(next_url, url):
                page.next_pages.append(PageRequest(next_url))
    return page
