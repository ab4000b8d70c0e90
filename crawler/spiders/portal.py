"""PortalSpider: walk the news sections of registry portals and capture every article.

    scrapy crawl portal -a portal=yn            (or portal=yn,zj; or no argument for all)
    scrapy crawl portal -a portal=sample-yn -a portal_file=sample.toml
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from OpenSSL.SSL import Error as SSLError
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from archive.extract.attachments import is_attachment_url
from crawler.access import access_problem
from crawler.cms import PageRequest, parse_hanweb_proxy, parse_jpaas_api, parse_list
from crawler.cms.canonical import canonical_url
from crawler.cms.links import absolute
from crawler.items import ArticlePage, AttachmentFile, FetchFailure
from crawler.middlewares import WARC_META
from crawler.registry import Portal, load_registry, select

_HREF = re.compile(r"""href\s*=\s*["']([^"'<>]+)["']""", re.I)


def attachment_links(base: str, html: str) -> list[str]:
    """Links to document files (PDF, Office, WPS, OFD …) in an article page."""
    found: list[str] = []
    for href in _HREF.findall(html):
        url = absolute(base, href.replace("&amp;", "&"))
        if url and url not in found and is_attachment_url(url):
            found.append(url)
    return found


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, portal: str = "", portal_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.portal_arg = portal
        self.portal_file = portal_file
        self.portals: list[Portal] = []
        self.list_pages: Counter[tuple[str, str]] = Counter()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        registry = load_registry(spider.portal_file or crawler.settings.get("GOVARC_PORTAL_FILE")
                                 or None)
        ids = [p.strip() for p in spider.portal_arg.split(",") if p.strip()]
        spider.portals = select(registry, ids)
        spider.by_id = {p.id: p for p in spider.portals}
        spider.section_names = {(p.id, s.id): s.name for p in spider.portals for s in p.sections}
        spider.allowed_domains = sorted(
            {d.split(":")[0] for p in spider.portals for d in p.domains}
        )
        spider.max_list_pages = crawler.settings.getint("GOVARC_MAX_LIST_PAGES")
        spider.attachment_maxsize = crawler.settings.getint("GOVARC_ATTACHMENT_MAXSIZE")
        return spider

    # -- requests -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        for portal in self.portals:
            for section in portal.sections:
                yield self._list_request(portal.id, section.id, PageRequest(section.url),
                                         first_page=True)

    def _list_request(self, portal: str, section: str, page: PageRequest,
                      first_page: bool = False) -> Request:
        meta = {"portal": portal, "section": section, "first_page": first_page,
                "list_kind": page.kind}
        if page.method == "POST":
            meta["formdata"] = dict(page.formdata)
            return FormRequest(page.url, formdata=dict(page.formdata), callback=self.parse_list,
                               errback=self.on_error, meta=meta, priority=10)
        return Request(page.url, callback=self.parse_list, errback=self.on_error, meta=meta,
                       priority=10)

    # -- callbacks ------------------------------------------------------------------------
    def _access_failure(self, response: Response) -> FetchFailure | None:
        problem = access_problem(response.status, response.headers.to_unicode_dict(),
                                 response.body)
        return self._failure(response, *problem) if problem else None

    def parse_list(self, response: Response) -> Iterator[Any]:
        portal = self.by_id[response.meta["portal"]]
        section = response.meta["section"]
        problem = self._access_failure(response)
        if problem:
            yield problem
            return
        if not isinstance(response, TextResponse):
            yield self._failure(response, "not-a-list", "list page is not text")
            return
        text = response.text
        kind = response.meta.get("list_kind")
        if kind == "hanweb-proxy":
            found = parse_hanweb_proxy(response.url, text, response.meta.get("formdata", {}))
        elif kind == "jpaas-api":
            found = parse_jpaas_api(response.url, text, self.max_list_pages)
        else:
            found = parse_list(portal.cms, response.url, text,
                               first_page=response.meta.get("first_page", False))
        self.crawler.stats.inc_value(f"govarc/portal/{portal.id}/list_pages")
        if not found.articles and not found.next_pages:
            yield self._failure(response, "no-articles",
                                "list page holds no article link this crawler recognises")
        for url in dict.fromkeys(canonical_url(u) for u in found.articles):
            if portal.owns(url):
                yield Request(url, callback=self.parse_article, errback=self.on_error,
                              meta={"portal": portal.id, "section": section})
        for page in found.next_pages:
            if not portal.owns(page.url):
                continue
            key = (portal.id, section)
            if self.list_pages[key] >= self.max_list_pages:
                self.crawler.stats.inc_value("govarc/list_pages_capped")
                continue
            self.list_pages[key] += 1
            yield self._list_request(portal.id, section, page)

    def parse_article(self, response: Response) -> Iterator[Any]:
        portal = self.by_id[response.meta["portal"]]
        problem = self._access_failure(response)
        if problem:
            yield problem
            return
        attachments: list[str] = []
        if isinstance(response, TextResponse):
            attachments = [u for u in attachment_links(response.url, response.text)
                           if portal.owns(u)]
        content_type = response.headers.get("Content-Type")
        yield ArticlePage(
            url=response.url,
            portal=portal.id,
            section=self.section_names.get((portal.id, response.meta["section"]),
                                           response.meta["section"]),
            status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            body=response.body,
            warc=response.meta.get(WARC_META),
            attachments=attachments,
        )
        for url in attachments:
            yield Request(url, callback=self.parse_attachment, errback=self.on_error,
                          meta={"portal": portal.id, "article_url": response.url,
                                "section": response.meta["section"],
                                "download_maxsize": self.attachment_maxsize})

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        content_type = response.headers.get("Content-Type")
        location = response.meta.get(WARC_META)
        yield AttachmentFile(
            url=response.url,
            article_url=response.meta["article_url"],
            portal=response.meta["portal"],
            label=response.url.rsplit("/", 1)[-1],
            mime=content_type.decode("latin-1") if content_type else None,
            payload_length=len(response.body),
            captured_at="",
            warc=location,
        )

    # -- failures -------------------------------------------------------------------------
    def _failure(self, response: Response, kind: str, reason: str) -> FetchFailure:
        return FetchFailure(url=response.url, portal=response.meta.get("portal"), kind=kind,
                            reason=reason, http_status=response.status,
                            warc=response.meta.get(WARC_META))

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]
        portal = request.meta.get("portal")
        if failure.check(HttpError):
            response = failure.value.response
            yield self._access_failure(response) or self._failure(
                response, "http", f"HTTP {response.status}")
            return
        message = str(failure.value)
        if failure.check(IgnoreRequest):
            kind = "robots" if "robots.txt" in message else "ignored"
        elif "SSL" in message or "certificate" in message or failure.check(SSLError):
            host = urlsplit(request.url).hostname
            yield FetchFailure(
                url=request.url, portal=portal, kind="tls",
                reason=(f"TLS handshake with {host} failed ({message[:200]}); for a portal "
                        "stuck on old TLS try -s DOWNLOADER_CLIENT_TLS_METHOD=TLSv1.0 or "
                        "-s 'DOWNLOADER_CLIENT_TLS_CIPHERS=DEFAULT:@SECLEVEL=0' (certificate "
                        "chains are not verified, so an incomplete chain is no failure)"))
            return
        elif "maxsize" in message.lower() or "DOWNLOAD_MAXSIZE" in message:
            kind = "too-large"
        elif failure.check(DNSLookupError):
            kind = "dns"
        elif failure.check(TwistedTimeoutError, TCPTimedOutError):
            kind = "timeout"
        else:
            kind = "network"
        yield FetchFailure(url=request.url, portal=portal, kind=kind,
                           reason=f"{failure.type.__name__}: {failure.value}"[:500])
