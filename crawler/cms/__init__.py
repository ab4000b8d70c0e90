"""CMS adapters: read a list page and say which articles it lists and which pages follow.

Each adapter is a pure function of (url, decoded page text); none of them imports Scrapy,
so they are tested on fixtures directly. `parse_list` picks the adapter by the registry's
CMS family, or detects it from the page when the registry says `generic`; list APIs whose
URL names them (gov.cn's 政策文件库 search, Hanweb's 信息公开 search.jsp) are read by their
own adapter whatever the portal's family, so a section selects one by its URL.
"""

from __future__ import annotations

from crawler.cms.base import ListPage, PageRequest
from crawler.cms.generic import parse_generic
from crawler.cms.govsearch import is_govsearch_url, parse_govsearch
from crawler.cms.hanweb import is_hanweb_list, parse_hanweb, parse_hanweb_proxy
from crawler.cms.jpaas import is_jpaas_list, parse_jpaas, parse_jpaas_api
from crawler.cms.links import is_article_url
from crawler.cms.trs import is_trs_list, parse_trs
from crawler.cms.xxgk import is_xxgk_url, parse_xxgk

__all__ = [
    "ListPage",
    "PageRequest",
    "detect_cms",
    "is_article_url",
    "parse_hanweb_proxy",
    "parse_jpaas_api",
    "parse_list",
]


def detect_cms(text: str) -> str:
    """Guess the CMS family from a list page's markup."""
    if is_jpaas_list(text):
        return "jpaas"
    if is_hanweb_list(text):
        return "hanweb"
    if is_trs_list(text):
        return "trs"
    return "generic"


def parse_list(cms: str, url: str, text: str, first_page: bool = True) -> ListPage:
    """Article links and further list pages of one list page."""
    if is_govsearch_url(url):
        return parse_govsearch(url, text)
    if is_xxgk_url(url):
        return parse_xxgk(url, text)
    family = cms if cms != "generic" else detect_cms(text)
    if family == "jpaas":
        return parse_jpaas(url, text)
    if family == "hanweb":
        return parse_hanweb(url, text)
    if family == "trs":
        return parse_trs(url, text, first_page=first_page)
    return parse_generic(url, text)
