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
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

try:  # newer Scrapy reports a failed DNS lookup as an error of its own
    from scrapy.exceptions import CannotResolveHostError
except ImportError:  # pragma: no cover - older Scrapy: Twisted's error reaches the spider
    CannotResolveHostError = DNSLookupError  # type: ignore[misc,assignment]

from archive.extract.attachments import MAX_DOCUMENT_LINKS, is_attachment_url, maybe_document
from crawler.access_check import response_problem
from crawler.browser import RENDERED_META
from crawler.browser.support import BrowserFailed, browser_hint
from crawler.cms import PageRequest, parse_hanweb_proxy, parse_jpaas_api, parse_list
from crawler.cms.canonical import canonical_url
from crawler.cms.links import absolute
from crawler.items import ArticleGone, ArticlePage, AttachmentFile, FetchFailure, PageCheck
from crawler.middlewares import DATE_META, LENGTH_META, ROLE_META, TRUNCATED_META, WARC_META
from crawler.registry import Portal, load_registry, select
from crawler.scope import OffSite, PrivateAddress, PrivateAddressLookup, refused_lookup
from crawler.spooling import SPOOL_META

# Scheduler priorities: an article's attachments, then articles, then further list pages.
# Draining what a list page brought before reading the next keeps the frontier (and the
# crawl's memory) at about one list page per section, however large the portal.
LIST_PRIORITY = 0
ARTICLE_PRIORITY = 10
ATTACHMENT_PRIORITY = 20

# Every quoted href value. Possessive: a value without its closing quote is given up at
# once, so the scan is linear in the page whatever it holds.
_HREF_VALUE = re.compile(r"""href\s*+=\s*+["']([^"'<>]*+)["']""", re.I)


def attachment_links(base: str, html: str) -> list[str]:
    """Links to document files (PDF, Office, WPS, OFD …) in an article page, in page order
    (of its first MAX_DOCUMENT_LINKS)."""
    if not maybe_document(html):
        return []  # most articles: one fast scan instead of reading every href
    found: dict[str, None] = {}  # ordered, and a set for membership
    read = 0
    for match in _HREF_VALUE.finditer(html):
        href = match.group(1)
        if not maybe_document(href):
            continue
        read += 1
        if read > MAX_DOCUMENT_LINKS:
            break
        href = href.replace("&amp;", "&")
        if not is_attachment_url(href):
            continue
        url = absolute(base, href)
        if url:
            found[url] = None
    return list(found)


class SeenSet(set):
    """A set that says whether an item was new when it was added (as Redis's SADD does)."""

    def add_new(self, item: str) -> bool:
        if item in self:
            return False
        self.add(item)
        return True


class ListPageBudget:
    """List pages requested per (portal, section) in this run, up to GOVARC_MAX_LIST_PAGES."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def take(self, key: tuple[str, str], limit: int) -> bool:
        """Count one more page for `key`; False (and nothing counted) past `limit`."""
        if self.counts[key] >= limit:
            return False
        self.counts[key] += 1
        return True


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, portal: str = "", portal_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.portal_arg = portal
        self.portal_file = portal_file
        self.portals: list[Portal] = []
        self.list_pages = ListPageBudget()
        self.known: set[str] = set()  # article URLs already archived
        self.incremental: set[str] = set()  # "portal/section" walked to the end before
        self.troubled: set[str] = set()  # sections with a list page that failed this run
        self.listed = SeenSet()  # article URLs seen on list pages this run

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        registry = load_registry(spider.portal_file or crawler.settings.get("GOVARC_PORTAL_FILE")
                                 or None)
        ids = [p.strip() for p in spider.portal_arg.split(",") if p.strip()]
        spider.registry = registry
        spider.portals = select(registry, ids)
        spider.by_id = {p.id: p for p in spider.portals}
        spider.section_names = {(p.id, s.id): s.name for p in spider.portals for s in p.sections}
        spider.allowed_domains = sorted(
            {d.split(":")[0] for p in spider.portals for d in p.domains}
        )
        spider.max_list_pages = crawler.settings.getint("GOVARC_MAX_LIST_PAGES")
        spider.attachment_maxsize = crawler.settings.getint("GOVARC_ATTACHMENT_MAXSIZE")
        spider.recheck_pages = max(1, crawler.settings.getint("GOVARC_RECHECK_PAGES"))
        spider.recheck_articles = crawler.settings.getbool("GOVARC_RECHECK_ARTICLES")
        return spider

    def archive_state(self, known: set[str], completed: set[str]) -> None:
        """What the archive already holds, set by the session before the crawl starts.

        With GOVARC_FULL the crawl ignores it and fetches every page again."""
        if self.crawler.settings.getbool("GOVARC_FULL"):
            known, completed = set(), set()
        self.known = known
        self.incremental = {
            f"{p.id}/{s.id}" for p in self.portals for s in p.sections
        } & completed

    # -- requests -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        for portal in self.portals:
            for section in portal.sections:
                yield self._list_request(portal.id, section.id, PageRequest(section.url),
                                         first_page=True)
        if self.recheck_articles:
            # Every archived article, asked conditionally: 304 unchanged, 200 maybe a new
            # version, 404/410 removed. Links found on list pages are the same requests.
            from crawler.session import ArchiveSession

            store = ArchiveSession.of(self.crawler).store
            for url, portal_id, section in store.known_article_rows(list(self.by_id)):
                request = self._article_request(self.by_id[portal_id], section, url)
                if request is not None:
                    yield request

    def _list_request(self, portal: str, section: str, page: PageRequest,
                      first_page: bool = False, pending: tuple[PageRequest, ...] = (),
                      quiet: int = 0) -> Request:
        meta: dict[str, Any] = {"portal": portal, "section": section, "first_page": first_page,
                                "list_kind": page.kind, "pending": pending, "quiet": quiet,
                                ROLE_META: "list"}
        if page.method == "POST":
            meta["formdata"] = dict(page.formdata)
            return FormRequest(page.url, formdata=dict(page.formdata), callback=self.parse_list,
                               errback=self.on_error, meta=meta,
                               priority=LIST_PRIORITY)
        headers = {}
        if f"{portal}/{section}" in self.incremental:
            # Ask only for a changed list: an unchanged one answers 304 and ends the walk.
            headers = self._conditional_headers(page.url)
            meta["handle_httpstatus_list"] = [304]
        return Request(page.url, callback=self.parse_list, errback=self.on_error, meta=meta,
                       headers=headers, priority=LIST_PRIORITY)

    def _conditional_headers(self, url: str) -> dict[str, str]:
        from crawler.session import ArchiveSession

        etag, modified = ArchiveSession.of(self.crawler).store.validators(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def _article_request(self, portal: Portal, section: str, url: str) -> Request | None:
        meta: dict[str, Any] = {"portal": portal.id, "section": section, ROLE_META: "article"}
        headers: dict[str, str] = {}
        if url in self.known:
            if not self.recheck_articles:
                self.crawler.stats.inc_value("govarc/articles/known_skipped")
                return None
            meta["known"] = True
            meta["handle_httpstatus_list"] = [304]
            headers = self._conditional_headers(url)
        return Request(url, callback=self.parse_article, errback=self.on_error, meta=meta,
                       headers=headers, priority=ARTICLE_PRIORITY)

    # -- callbacks ------------------------------------------------------------------------
    def _access_failure(self, response: Response) -> FetchFailure | None:
        if response.meta.get(TRUNCATED_META):
            return self._failure(response, "truncated", "the compressed body ends before its "
                                 "end: the transfer was cut (kept in the WARC as received)")
        problem = response_problem(response)
        if not problem:
            return None
        kind, reason = problem
        if kind == "challenge":
            reason += browser_hint(self.crawler, response)
        return self._failure(response, kind, reason)

    def parse_list(self, response: Response) -> Iterator[Any]:
        portal = self.by_id[response.meta["portal"]]
        section = response.meta["section"]
        problem = self._access_failure(response)
        if problem:
            self.troubled.add(f"{portal.id}/{section}")
            yield problem
            return
        if response.status == 304:
            self.crawler.stats.inc_value("govarc/list_pages_unchanged")
            yield from self._follow(portal, section, response, [], new=False)
            return
        if not isinstance(response, TextResponse):
            self.troubled.add(f"{portal.id}/{section}")
            yield self._failure(response, "not-a-list", "list page is not text")
            return
        rendered = response.meta.get(RENDERED_META)
        text = rendered or response.text  # a list a script wrote is read from the DOM
        kind = response.meta.get("list_kind")
        content_type = response.headers.get("Content-Type")
        if kind == "list" and response.status == 200:
            yield PageCheck(url=response.url, portal=portal.id,
                            content_type=content_type.decode("latin-1") if content_type else None,
                            body=response.body, warc=response.meta.get(WARC_META),
                            captured_at=response.meta.get(DATE_META))
        if kind == "hanweb-proxy":
            found = parse_hanweb_proxy(response.url, text, response.meta.get("formdata", {}))
        elif kind == "jpaas-api":
            found = parse_jpaas_api(response.url, text, self.max_list_pages)
        else:
            found = parse_list(portal.cms, response.url, text,
                               first_page=response.meta.get("first_page", False))
        self.crawler.stats.inc_value(f"govarc/portal/{portal.id}/list_pages")
        if not found.articles and not found.next_pages and not response.meta.get("pending"):
            if rendered is None and self._wants_browser(portal, section):
                yield self._failure(response, "challenge", "the section's list is written by "
                                    "script (fetch = \"browser\")" + browser_hint(
                                        self.crawler, response))
            else:
                yield self._failure(response, "no-articles",
                                    "list page holds no article link this crawler recognises")
        new = fresh = False
        for url in dict.fromkeys(canonical_url(u) for u in found.articles):
            if portal.owns(url):
                new = new or url not in self.known
                fresh = self.listed.add_new(url) or fresh
                request = self._article_request(portal, section, url)
                if request is not None:
                    yield request
        if not fresh and not response.meta.get("first_page") and kind == "list":
            # A page found by following links that lists nothing unseen (a calendar view,
            # an archive without end) is where a chain of 下一页 links stops.
            self.crawler.stats.inc_value("govarc/list_pages_stale")
            found.next_pages = []
        yield from self._follow(portal, section, response, found.next_pages, new)

    def _follow(self, portal: Portal, section: str, response: Response,
                next_pages: list[PageRequest], new: bool) -> Iterator[Request]:
        """Further list pages: all at once on a first walk; one by one, while they bring
        new articles (plus GOVARC_RECHECK_PAGES quiet pages), in a section walked before."""
        pages = [p for p in [*next_pages, *response.meta.get("pending", ())]
                 if portal.owns(p.url)]
        if f"{portal.id}/{section}" in self.incremental:
            quiet = 0 if new else response.meta.get("quiet", 0) + 1
            if not pages or quiet >= self.recheck_pages:
                return
            pages, pending = pages[:1], tuple(pages[1:])
        else:
            quiet, pending = 0, ()
        key = (portal.id, section)
        for page in pages:
            if not self.list_pages.take(key, self.max_list_pages):
                self.crawler.stats.inc_value("govarc/list_pages_capped")
                return
            yield self._list_request(portal.id, section, page, pending=pending, quiet=quiet)

    def parse_article(self, response: Response) -> Iterator[Any]:
        portal = self.by_id[response.meta["portal"]]
        if response.status == 304:
            self.crawler.stats.inc_value("govarc/articles/unchanged_304")
            return
        problem = self._access_failure(response)
        if problem:
            yield problem
            return
        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type") or b"?"
            yield self._failure(response, "not-html",
                                f"article URL answered {content_type.decode('latin-1')}, "
                                "not a page (kept in the WARC)")
            return
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
            captured_at=response.meta.get(DATE_META),
            section_id=response.meta["section"],
            rendered=(response.meta[RENDERED_META].encode("utf-8")
                      if response.meta.get(RENDERED_META) else None),
        )
        for url in attachments:
            yield Request(url, callback=self.parse_attachment, errback=self.on_error,
                          meta={"portal": portal.id, "article_url": response.url,
                                "section": response.meta["section"],
                                "download_maxsize": self.attachment_maxsize,
                                ROLE_META: "attachment", SPOOL_META: True},
                          priority=ATTACHMENT_PRIORITY)

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        content_type = response.headers.get("Content-Type")
        location = response.meta.get(WARC_META)
        yield AttachmentFile(
            url=response.url,
            article_url=response.meta["article_url"],
            portal=response.meta["portal"],
            label=response.url.rsplit("/", 1)[-1],
            mime=content_type.decode("latin-1") if content_type else None,
            payload_length=response.meta.get(LENGTH_META) or len(response.body),
            captured_at=response.meta.get(DATE_META) or "",
            warc=location,
            status=response.status,
        )

    def _wants_browser(self, portal: Portal, section: str) -> bool:
        return portal.browser == "full" or any(
            s.id == section and s.fetch == "browser" for s in portal.sections)

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
            if request.meta.get("known") and response.status in (404, 410):
                yield ArticleGone(url=request.url, status=response.status)
                return
            if request.callback == self.parse_list:
                self.troubled.add(f"{portal}/{request.meta.get('section')}")
            yield self._access_failure(response) or self._failure(
                response, "http", f"HTTP {response.status}")
            return
        if request.callback == self.parse_list:
            self.troubled.add(f"{portal}/{request.meta.get('section')}")
        message = str(failure.value)
        lowered = message.lower()
        if failure.check(BrowserFailed):
            kind = failure.value.kind
        elif failure.check(OffSite):
            kind = "off-site"
        elif failure.check(PrivateAddress, PrivateAddressLookup):
            kind = "private-address"
        elif "max size" in lowered or "maxsize" in lowered:
            kind = "too-large"
        elif "redirect" in lowered:
            kind = "redirect"
        elif failure.check(IgnoreRequest):
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
        elif any(w in lowered for w in ("gzip", "decompress", "zlib", "dataloss", "data loss")):
            kind = "truncated"
        elif failure.check(DNSLookupError, CannotResolveHostError):
            refused = refused_lookup(urlsplit(request.url).hostname)
            kind = "private-address" if refused else "dns"
        elif failure.check(TwistedTimeoutError, TCPTimedOutError, DownloadTimeoutError):
            kind = "timeout"
        else:
            kind = "network"
        # A redirected request fails under the URL the crawl asked for, not the last hop.
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        reason = (refused_lookup(urlsplit(request.url).hostname) if kind == "private-address"
                  else None) or f"{failure.type.__name__}: {failure.value}"
        if url != request.url:
            reason += f" (last hop {request.url})"
        yield FetchFailure(url=url, portal=portal, kind=kind, reason=reason[:500])
