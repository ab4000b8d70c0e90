"""Hanweb (大汉) JCMS list pages: items hidden in a <datastore> script, the rest by POST.

The first group of records sits inside `<script type="text/xml"><datastore>…<![CDATA[…]]>`
where an HTML parser does not see links. Later groups come from `dataproxy.jsp`, POSTed
with `startrecord`/`endrecord`/`perpage` in the query and the unit's parameters as a form;
its answer carries `<totalrecord>` and more CDATA records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import is_article_url, iter_links, same_site

# Each element is found as an opening and the next closing (see `_between`): a lazy `.*?`
# between them costs the square of a page of openings without closings.
_DATASTORE = (re.compile(r"<datastore>", re.I), re.compile(r"</datastore>", re.I))
_RECORD = (re.compile(r"<record>\s*+<!\[CDATA\[", re.I), re.compile(r"\]\]>\s*+</record>", re.I))
_NEXTGROUP = (re.compile(r"<nextgroup>\s*+<!\[CDATA\[", re.I), re.compile(r"\]\]>"))
_HREF = re.compile(r"href\s*+=\s*+[\"']([^\"']++)[\"']", re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_JS_NUMBER = {
    "perpage": re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I),
    "total": re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.I),
    "group": re.compile(r"groupSize\s*[:=]\s*['\"]?(\d+)", re.I),
}
# The unit's <div id=N> right before its <script type="text/xml">, tag by tag.
_DIV_TAG = re.compile(r"<div\b([^<>]*+)>", re.I)
_ID_ATTR = re.compile(r"\bid\s*+=\s*+[\"']?(\d++)", re.I)
_SCRIPT_TAG = re.compile(r"(?<!\s)\s*+<script\b[^<>]*+", re.I)
_COLUMN = re.compile(r"/col/col(\d+)/", re.I)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
_FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid",
              "webname", "permissiontype")


def is_hanweb_list(text: str) -> bool:
    return "<datastore>" in text.lower() or "dataproxy.jsp" in text


def _between(text: str, marks: tuple[re.Pattern[str], re.Pattern[str]]) -> Iterator[str]:
    """The text between each opening and the closing after it, in one pass: once an
    opening has no closing after it, no later one has either."""
    opening, closing = marks
    position = 0
    while (head := opening.search(text, position)) is not None:
        tail = closing.search(text, head.end())
        if tail is None:
            return
        yield text[head.end():tail.start()]
        position = tail.end()


def _unit_id(text: str) -> str | None:
    """The id of the first <div id=N> followed by a <script type="text/xml">."""
    for div in _DIV_TAG.finditer(text):
        unit = _ID_ATTR.search(div.group(1))
        if unit is None:
            continue
        script = _SCRIPT_TAG.match(text, div.end())
        if script is not None and "text/xml" in script.group(0).lower():
            return unit.group(1)
    return None


def _records(base: str, text: str, page: ListPage) -> int:
    count = 0
    for record in _between(text, _RECORD):
        count += 1
        for link, _label in iter_links(base, record):
            if same_site(link, base) and is_article_url(link):
                page.add_article(link)
    return count


def _proxy_params(url: str, text: str) -> tuple[str, dict[str, str]] | None:
    """The dataproxy URL and the unit's form parameters, read from the list page."""
    params: dict[str, str] = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1",
                              "permissiontype": "0"}
    proxy = DEFAULT_PROXY
    nextgroup = next(_between(text, _NEXTGROUP), None)
    if nextgroup is not None:
        href = _HREF.search(nextgroup)
        if href:
            parts = urlsplit(href.group(1).replace("&amp;", "&"))
            if parts.path:
                proxy = parts.path
            params.update({k: v for k, v in parse_qsl(parts.query) if k in _FORM_KEYS})
    if "unitid" not in params:
        unit = _unit_id(text)
        if unit:
            params["unitid"] = unit
    if "columnid" not in params:
        column = _COLUMN.search(url)
        if column:
            params["columnid"] = column.group(1)
    if "unitid" not in params or "columnid" not in params:
        return None
    return urljoin(url, proxy), params


def _js_number(name: str, text: str, default: int) -> int:
    match = _JS_NUMBER[name].search(text)
    return int(match.group(1)) if match else default


def proxy_request(proxy: str, params: dict[str, str], start: int, perpage: int,
                  group: int) -> PageRequest:
    end = start + perpage * group - 1
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": perpage})
    form = tuple((k, params[k]) for k in _FORM_KEYS if k in params)
    return PageRequest(f"{proxy}?{query}", method="POST", formdata=form, kind="hanweb-proxy")


def parse_hanweb(url: str, text: str) -> ListPage:
    """Articles of a JCMS list page, and the first dataproxy call for the records after them."""
    page = ListPage()
    for link, _label in iter_links(url, text):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    datastore = next(_between(text, _DATASTORE), None)
    seen = _records(url, datastore, page) if datastore is not None else 0
    proxy = _proxy_params(url, text)
    if proxy and seen:
        perpage = _js_number("perpage", text, 15)
        group = _js_number("group", text, 3)
        total = _js_number("total", text, 0)
        if total == 0 or total > seen:
            page.next_pages.append(proxy_request(proxy[0], proxy[1], seen + 1, perpage, group))
    return page


def parse_hanweb_proxy(url: str, text: str, formdata: dict[str, str]) -> ListPage:
    """Articles of one dataproxy answer, and the next call while records remain."""
    page = ListPage()
    got = _records(url, text, page)
    total_match = _TOTAL.search(text)
    query = dict(parse_qsl(urlsplit(url).query))
    try:
        end = int(query["endrecord"])
        perpage = int(query.get("perpage", "15"))
        start = int(query.get("startrecord", "1"))
    except (KeyError, ValueError):
        return page
    group = max(1, (end - start + 1) // max(perpage, 1))
    total = int(total_match.group(1)) if total_match else None
    more = total > end if total is not None else got >= end - start + 1
    if got and more:
        proxy = urlsplit(url)._replace(query="").geturl()
        page.next_pages.append(proxy_request(proxy, formdata, end + 1, perpage, group))
    return page
