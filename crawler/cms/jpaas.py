"""Hanweb JPaaS list pages: an empty container filled from a JSON API.

The page's script calls `/api-gateway/jpaas-publish-server/front/page/build/unit` with the
site's `webId`, `pageId`, `tplSetId`, `tagId` …, and `paramJson={"pageNo":N,"pageSize":M}`;
the answer's `data.html` holds the list items and `data.total` the number of records.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import is_article_url, iter_links, same_site

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
_PARAMS = ("webId", "pageId", "parseType", "pageType", "tagId", "tplSetId", "editType",
           "columnId", "unitId")
_VALUE = {
    name: re.compile(
        rf"""["']?\b{name}["']?\s*[:=]\s*["']([^"']*)["']|[?&]{name}=([^&"'\s]*)"""
    )
    for name in _PARAMS
}
_PAGE_SIZE = re.compile(r"""["']?pageSize["']?\s*[:=]\s*["']?(\d+)""")


def is_jpaas_list(text: str) -> bool:
    return "jpaas-publish-server" in text


def _api_params(text: str) -> dict[str, str]:
    params: dict[str, str] = {}
    for name, pattern in _VALUE.items():
        match = pattern.search(text)
        if match:
            value = match.group(1) if match.group(1) is not None else match.group(2)
            params[name] = value
    return params


def api_request(base: str, params: dict[str, str], page_no: int, page_size: int) -> PageRequest:
    query = dict(params)
    query.setdefault("parseType", "bulidstatic")  # sic: the API's own spelling
    query.setdefault("pageType", "column")
    query["paramJson"] = json.dumps({"pageNo": page_no, "pageSize": page_size},
                                    separators=(",", ":"))
    return PageRequest(urljoin(base, API_PATH) + "?" + urlencode(query), kind="jpaas-api")


def parse_jpaas(url: str, text: str) -> ListPage:
    """Links already in the page, and the first API call for the list."""
    page = ListPage()
    for link, _label in iter_links(url, text):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    params = _api_params(text)
    if "webId" in params and ("pageId" in params or "columnId" in params):
        size = _PAGE_SIZE.search(text)
        page.next_pages.append(api_request(url, params, 1, int(size.group(1)) if size else 15))
    return page


def parse_jpaas_api(url: str, text: str, max_pages: int = 500) -> ListPage:
    """Articles of one API answer; the first answer also schedules the remaining pages."""
    page = ListPage()
    try:
        data = json.loads(text).get("data") or {}
    except (ValueError, AttributeError):
        return page
    html = data.get("html") or ""
    for link, _label in iter_links(url, html):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    query = dict(parse_qsl(urlsplit(url).query))
    try:
        paging = json.loads(query.get("paramJson", "{}"))
        page_no, size = int(paging.get("pageNo", 1)), int(paging.get("pageSize", 15))
        total = int(data.get("total") or 0)
    except (ValueError, TypeError, AttributeError):
        return page
    if page_no == 1 and size > 0 and total > size:
        params = {k: v for k, v in query.items() if k != "paramJson"}
        for n in range(2, min(math.ceil(total / size), max_pages) + 1):
            page.next_pages.append(api_request(url, params, n, size))
    return page
