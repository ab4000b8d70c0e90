"""Hanweb (大汉) 信息公开 lists: `/module/xxgk/search.jsp` (and `search_custom.jsp`).

A 政府信息公开 column page (`/col/colNNN/index.html`) is an empty frame whose script asks
`/module/xxgk/search.jsp` for the list, with the unit's `infotypeId`, `jdid`, `area`,
`divid`, `sortfield` and the page in `currpage`; public crawlers send them as a form POST
or, equally, in the query of a GET. The answer is an HTML fragment: rows
`<tr class="tr_main_value_odd|even">` whose links go to `/art/YYYY/M/D/art_COL_ID.html`
(`search_custom.jsp` answers `<div class="wip_lists">` items), and a pager
`<table class="tb_title">… 第1页/共N页 …` with `javascript:funGoPage('/module/xxgk/search.jsp',N)`
links to the other pages.

A registry section selects this adapter by its URL: the search.jsp call with every
parameter in its query and `currpage=1`; the other pages are the same call with
`currpage` changed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import is_article_url, iter_links, same_site

SEARCH_PATHS = ("/module/xxgk/search.jsp", "/module/xxgk/search_custom.jsp")
MAX_BYTES = 4 * 1024 * 1024
# "第1页/共118页" (the page count) and funGoPage('/module/xxgk/search.jsp',118) (a pager link)
_PAGE_COUNT = re.compile(r"共\s{0,20}(\d{1,6})\s{0,20}页")
_GO_PAGE = re.compile(
    r"funGoPage\(\s{0,20}['\"][^'\"<>]{0,200}['\"]\s{0,20},\s{0,20}(\d{1,6})\s{0,20}\)"
)


def is_xxgk_url(url: str) -> bool:
    return urlsplit(url).path.lower() in SEARCH_PATHS


def page_count(text: str) -> int:
    """The number of pages the pager announces (0 without a pager)."""
    counts = [int(m.group(1)) for m in _PAGE_COUNT.finditer(text)]
    counts += [int(m.group(1)) for m in _GO_PAGE.finditer(text)]
    return max(counts, default=0)


def _page_url(url: str, page: int) -> str:
    """The same call for another page: every `currpage` in the query set to `page`."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, str(page) if k == "currpage" else v) for k, v in query]
    if not any(k == "currpage" for k, _ in query):
        query.append(("currpage", str(page)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _current_page(url: str) -> int:
    value = dict(parse_qsl(urlsplit(url).query)).get("currpage", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else 1


def parse_xxgk(url: str, text: str, max_pages: int = 500) -> ListPage:
    """Document links of one search.jsp answer; page 1 also schedules the pages after it."""
    page = ListPage()
    if len(text) > MAX_BYTES:
        return page
    for link, _label in iter_links(url, text):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    if _current_page(url) == 1 and page.articles:
        for n in range(2, min(page_count(text), max_pages) + 1):
            page.next_pages.append(PageRequest(_page_url(url, n)))
    return page
