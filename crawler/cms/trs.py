"""TRS WCM list pages: article links in HTML, the page count only in JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.links import is_article_url, iter_links, same_site

# createPageHTML(countPage, currentPage, "index", "html")
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
# createPageHTML('page_div', countPage, currentPage, 'list', 'shtml', records)
_CREATE_PAGE_DIV = re.compile(
    r"createPageHTML\(\s*[\"'][\w-]+[\"']\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']"
    r"\s*,\s*[\"'](\w+)[\"']"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_PAGE_NAME = re.compile(r"/([\w-]+?)(?:_\d+)?\.(s?html?)$")


def is_trs_list(text: str) -> bool:
    return "createPageHTML" in text or bool(_COUNT_PAGE.search(text))


def page_count(url: str, text: str) -> tuple[int, str, str] | None:
    """(number of pages, file stem, extension) from the pager script, if there is one."""
    match = _CREATE_PAGE_DIV.search(text) or _CREATE_PAGE.search(text)
    if match:
        return int(match.group(1)), match.group(3), match.group(4)
    count = _COUNT_PAGE.search(text)
    if count:
        name = _PAGE_NAME.search(urlsplit(url).path)
        stem, ext = (name.group(1), name.group(2)) if name else ("index", "html")
        return int(count.group(1)), stem, ext
    return None


def list_page_urls(url: str, count: int, stem: str, ext: str) -> list[str]:
    """index.html, index_1.html … index_{count-1}.html next to the list page."""
    base = url if url.endswith("/") else url.rsplit("/", 1)[0] + "/"
    pages = [urljoin(base, f"{stem}.{ext}")]
    pages += [urljoin(base, f"{stem}_{n}.{ext}") for n in range(1, count)]
    return pages


def parse_trs(url: str, text: str, first_page: bool = True, max_pages: int = 500) -> ListPage:
    page = ListPage()
    for link, _label in iter_links(url, text):
        if same_site(link, url) and is_article_url(link):
            page.add_article(link)
    if first_page:
        pager = page_count(url, text)
        if pager:
            count, stem, ext = pager
            # Page 0 is the page in hand (the section URL may be its folder or index.html).
            for next_url in list_page_urls(url, min(count, max_pages), stem, ext)[1:]:
                if next_url != url:
                    page.next_pages.append(PageRequest(next_url))
    return page
