"""www.gov.cn 政策文件库: the JSON search API at `sousuo.www.gov.cn/search-gov/data`.

The library's list is not an HTML page: its search page calls
`/search-gov/data?t=zhengcelibrary[_gw|_bm]&q=&sort=pubtime&sortType=1&p=N&n=M`, which
answers `{"code":200,"searchVO":{...}}`. Public code reads the items from two shapes:
`searchVO.listVO[]` (with `searchVO.totalpage`/`totalCount`), and items grouped by category
in `searchVO.catMap.<gongwen|bumenfile|otherfile|gongbao|zhongyangfile>.listVO[]`, each
group with its own `totalCount` (the top-level `totalCount` is then 0). Each item carries
`title`, `url` (the document page on www.gov.cn), `pubtimeStr`, `pcode`, `puborg` ….

A registry section selects this adapter by its URL: the API call itself, page `p=1`.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import absolute, is_article_url

API_PATH = "/search-gov/data"
API_PREFIX = "sousuo."  # sousuo.www.gov.cn answers for the documents of www.gov.cn
MAX_BYTES = 8 * 1024 * 1024  # an answer of n=100 items is ~100 KB
MAX_ITEMS = 1000  # items read from one answer, over all categories
MAX_PAGE_SIZE = 500


def is_govsearch_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path == API_PATH and parts.netloc.lower().startswith(API_PREFIX)


def _int(value: Any) -> int | None:
    """A count as JSON gives it (a number, or digits in a string); None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def _groups(search: dict[str, Any]) -> tuple[list[list[Any]], list[int]]:
    """The item lists of an answer and the record counts that come with them."""
    lists: list[list[Any]] = []
    totals: list[int] = []
    if isinstance(search.get("listVO"), list):
        lists.append(search["listVO"])
    categories = search.get("catMap")
    if isinstance(categories, dict):
        for group in categories.values():
            if not isinstance(group, dict):
                continue
            if isinstance(group.get("listVO"), list):
                lists.append(group["listVO"])
            count = _int(group.get("totalCount"))
            if count is not None:
                totals.append(count)
    count = _int(search.get("totalCount"))
    if count is not None:
        totals.append(count)
    return lists, totals


def _page_url(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, str(page) if k == "p" else v)
             for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def parse_govsearch(url: str, text: str, max_pages: int = 500) -> ListPage:
    """Document links of one API answer; page 1 also schedules the pages after it."""
    page = ListPage()
    if len(text) > MAX_BYTES:
        return page
    try:
        data = json.loads(text)
    except ValueError:
        return page
    search = data.get("searchVO") if isinstance(data, dict) else None
    if not isinstance(search, dict):
        return page
    parts = urlsplit(url)
    site = parts.netloc.lower().removeprefix(API_PREFIX)
    lists, totals = _groups(search)
    read = 0
    for items in lists:
        for item in items:
            read += 1
            if read > MAX_ITEMS:
                break
            link = item.get("url") if isinstance(item, dict) else None
            if not isinstance(link, str) or len(link) > 2000:
                continue
            link = absolute(f"{parts.scheme}://{site}/", link)
            if link and urlsplit(link).netloc.lower() == site and is_article_url(link):
                page.add_article(link)
    query = dict(parse_qsl(parts.query))
    number, size = _int(query.get("p", "1")), _int(query.get("n", "10"))
    if number != 1 or not size or size > MAX_PAGE_SIZE:
        return page
    pages = _int(search.get("totalpage")) or math.ceil(max(totals, default=0) / size)
    for n in range(2, min(pages, max_pages) + 1):
        page.next_pages.append(PageRequest(_page_url(url, n)))
    return page
