"""Lists of CMSs we have no adapter for: dated article links and 下一页 / rel=next links.

An item is an article when its URL has the shape of one (a date or a content id in the
path); when the list item around the link shows a date (`[2026-04-13]`, `2026年4月13日`,
or `04-16` without a year, as many lists print it) and its path ends like a page; or,
whatever its URL looks like (JEECMS `.jhtml`/`.jspx`, a `?id=` script), when it is one of
a run of similar items: MIN_RUN or more siblings of one list, each a titled link beside a
date. A list is recognised by what surrounds its links, not only by URL shapes.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import lxml.html

from archive.extract.attachments import DOCUMENT_PATH
from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import absolute, is_article_url, same_site

_NEXT_LABELS = re.compile(r"^\s*(下一页|下页|后一页|next|›|»|>)\s*$", re.I)
_ITEM_DATE = re.compile(
    r"(?:20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|(?<!\d)[01]?\d[-/][0-3]\d(?!\d))"
)
_ITEM_TAGS = ("li", "tr", "dd", "dl", "p")
_PAGE_EXT = re.compile(r"(?:\.s?html?|\.jsp|\.aspx?|\.php|/[^./]+)$", re.I)


ITEM_TEXT_MAX = 2000  # a list item is a line or two; a longer "item" is a page region
TITLE_MIN = 6  # characters of a link label that reads as a headline, not 更多/详情
MIN_RUN = 3  # dated, titled items under one list that make it an article list


def _item_of(a: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The list item (li, tr, dd, dl, p) a link sits in, up to three levels up."""
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in _ITEM_TAGS:
            break
        node = node.getparent()
    return node if node is not None and node.tag in _ITEM_TAGS else None


def _item_text(a: lxml.html.HtmlElement, node: lxml.html.HtmlElement | None,
               texts: dict[lxml.html.HtmlElement, str]) -> str:
    """The text of the list item around a link, the link's own text left out.

    `texts` keeps each item's text: a page region of thousands of links is read once,
    not once per link (and is no list item: longer than ITEM_TEXT_MAX, it gives "")."""
    if node is None:
        return ""
    text = texts.get(node)
    if text is None:
        text = texts[node] = node.text_content() or ""
    if len(text) > ITEM_TEXT_MAX:
        return ""
    return text.replace(a.text_content() or "", " ")


def parse_generic(url: str, text: str) -> ListPage:
    page = ListPage()
    if not text.strip():
        return page
    try:
        root = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return page
    texts: dict[lxml.html.HtmlElement, str] = {}
    # (link, the list it belongs to when only its run can make it an article), page order
    found: list[tuple[str, lxml.html.HtmlElement | None]] = []
    runs: Counter[lxml.html.HtmlElement] = Counter()  # dated, titled items under a list
    for a in root.iter("a"):
        href = a.get("href")
        link = absolute(url, href) if href else None
        if not link or not same_site(link, url):
            continue
        label = (a.text_content() or "").strip()
        rel = (a.get("rel") or "").lower().split()
        if "next" in rel or _NEXT_LABELS.match(label):
            if link != url:
                page.next_pages.append(PageRequest(link))
            continue
        if is_article_url(link):
            found.append((link, None))
            continue
        path = urlsplit(link).path
        if len(label) < TITLE_MIN or DOCUMENT_PATH.search(path):
            continue
        item = _item_of(a)
        if not _ITEM_DATE.search(_item_text(a, item, texts)):
            continue
        parent = item.getparent() if item is not None else None
        if parent is not None:
            runs[parent] += 1
        found.append((link, None if _PAGE_EXT.search(path) else parent))
    for link, run in found:
        if run is None or runs[run] >= MIN_RUN:
            page.add_article(link)
    return page
