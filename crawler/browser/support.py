"""The crawl's browser: when to use it, the cookies it hands on, and its captures.

`BrowserSupport` is a Scrapy extension (one per crawl). It starts Chromium at the first
page that needs it, archives every exchange of a browser visit through the same recorder
and `captures` rows as plain fetches (crawler.middlewares.archive_exchange), keeps the
rendered DOM of the page as a conversion record, and remembers per portal the cookies a
passed challenge left (the cookie hand-off) and the sections whose walls need the browser
for every page.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from archive.warc import HttpExchange, payload_digest
from crawler.browser import CAPTURED_META, RENDERED_META
from crawler.browser.service import BrowserService, BrowserVisit, find_browser
from crawler.middlewares import DATE_META, DEDUP_MIN_BYTES, ROLE_META, WARC_META, archive_exchange
from crawler.scope import forbidden, parse_networks
from crawler.session import ArchiveSession

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

    from crawler.browser import CAPTURED_META, RENDERED_META
from crawler.browser.service import BrowserExchange

log = logging.getLogger(__name__)

INSTALL_HINT = ("no Chromium for the browser fetch: install Debian's `chromium` (apt-get "
                "install chromium) or set GOVARC_BROWSER_PATH; see README, 'Behind the wall'")


def browser_hint(crawler: Crawler, response: Response) -> str:
    """What to add to a challenge failure's reason: that the browser did not pass it
    either, or how to give the crawl one."""
    if "browser" in response.flags:
        return " (the browser did not pass it either)"
    support = crawler.get_extension(BrowserSupport)
    if support is None or not support.available:
        return "; " + INSTALL_HINT
    portal = getattr(crawler.spider, "by_id", {}).get(response.meta.get("portal"))
    if portal is not None and portal.browser == "off":
        return " (the registry says browser = \"off\" for this portal)"
    return ""


class BrowserFailed(Exception):
    """A browser visit that gave no page: `kind` is the failure kind (browser-timeout …)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


class BrowserSupport:
    """The crawl's browser and what it learnt (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.enabled = settings.getbool("GOVARC_BROWSER", True)
        self.path = find_browser(settings.get("GOVARC_BROWSER_PATH", "")) if self.enabled else None
        allowed = parse_networks(settings.get("GOVARC_ALLOWED_NETWORKS"))

        def refuse(host: str, address: str) -> str | None:
            if forbidden(address, allowed):
                return (f"private-address: {host} resolves to {address}, a loopback, private "
                        "or reserved address (GOVARC_ALLOWED_NETWORKS)")
            return None

        self.service: BrowserService | None = None
        if self.path:
            self.service = BrowserService(
                self.path, user_agent=settings.get("USER_AGENT"),
                pages=settings.getint("GOVARC_BROWSER_PAGES", 2),
                timeout=settings.getfloat("GOVARC_BROWSER_TIMEOUT", 30.0),
                maxsize=settings.getint("DOWNLOAD_MAXSIZE"), refuse=refuse)
        self.cookies: dict[str, list[dict[str, Any]]] = {}  # portal -> handed-on cookies
        self.full: set[tuple[str, str]] = set()  # (portal, section) fetched by browser only
        self.dedup = settings.getbool("GOVARC_DEDUP")
        crawler.signals.connect(self.close, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserSupport:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> BrowserSupport:
        found = crawler.get_extension(cls)
        if found is None:
            raise NotConfigured(f"{cls.__module__}.{cls.__name__} is not in EXTENSIONS")
        return found

    @property
    def available(self) -> bool:
        return self.service is not None

    def close(self) -> None:
        if self.service is not None:
            self.service.close()

    # -- fetching -------------------------------------------------------------------------
    async def fetch(self, request: Request) -> Response:
        """The request through the browser: every exchange archived, the page's response
        (as received; its DOM in meta) returned as Scrapy's downloader would."""
        assert self.service is not None
        portals = getattr(self.crawler.spider, "by_id", {})
        portal = portals.get(request.meta.get("portal"))
        owns = portal.owns if portal is not None else (lambda url: True)
        key = portal.id if portal is not None else ""
        future = self.service.visit(request.url, owns, key)
        visit = await asyncio.wrap_future(future)
        stats = self.crawler.stats
        stats.inc_value("govarc/browser/visits")
        stats.inc_value("govarc/browser/exchanges", len(visit.exchanges))
        page = visit.page
        location = self._archive(request, visit, page)
        if visit.timed_out:
            stats.inc_value("govarc/browser/timeouts")
            raise BrowserFailed("browser-timeout", f"{visit.error} (browser visit of "
                                f"{request.url}; {len(visit.exchanges)} exchanges archived)")
        if page is None or location is None:
            why = visit.error or "; ".join(visit.refused[:3]) or "no document"
            raise BrowserFailed("browser", f"the browser got no page: {why}"[:500])
        if visit.cookies and key:
            self.cookies[key] = visit.cookies
        request.meta[CAPTURED_META] = True
        request.meta[WARC_META] = location
        request.meta[DATE_META] = location.date
        request.meta[RENDERED_META] = visit.rendered or ""
        response = page.response
        headers = Headers()
        for name, value in response.headers:
            headers.appendlist(name, value)
        url = page.request.url  # the document received (page.url may be chrome-error://)
        cls = responsetypes.from_args(headers=headers, url=url, body=response.body)
        return cls(url=url, status=response.status, headers=headers, body=response.body,
                   request=request, protocol=response.protocol, flags=["browser"],
                   ip_address=_ip(response.ip_address))

    def _archive(self, request: Request, visit: BrowserVisit,
                 page: BrowserExchange | None) -> Any:
        """Write every exchange of the visit in order; the page itself with the request's
        role and its rendered DOM. Returns the page's record location (or None)."""
        session = ArchiveSession.of(self.crawler)
        portal = request.meta.get("portal") or session.portal_for(request.url)
        base: dict[str, Any] = {"run": session.store.run_id, "portal": portal,
                                "via": "browser", "visit": request.url}
        section = request.meta.get("section")
        if section:
            base["section"] = section
            base["section_name"] = session.section_name(portal, section)
        found = None
        for item in visit.exchanges:
            context = dict(base)
            rendered = None
            if item is page:
                context["role"] = request.meta.get(ROLE_META) or "other"
                if context["role"] == "list":
                    context["list_kind"] = request.meta.get("list_kind", "list")
                rendered = visit.rendered
            else:
                context["role"] = "browser"
                context["resource_type"] = item.resource_type
            exchange = HttpExchange(
                url=item.request.url, method=item.request.method,
                request_headers=item.request.headers, request_body=item.request.body,
                status=item.response.status, response_headers=item.response.headers,
                response_body=item.response.body, protocol=item.response.protocol,
                reason=item.response.reason, ip_address=item.response.ip_address,
                captured_at=item.captured_at.astimezone(UTC))
            digest = payload_digest(item.response.body)
            revisit = None
            if (self.dedup and item.response.status == 200
                    and len(item.response.body) >= DEDUP_MIN_BYTES):
                revisit = session.first_copy(digest)
            location = archive_exchange(session, exchange, context, digest, revisit,
                                        rendered=rendered)
            if item is page:
                found = location.response
        return found


def cookie_header(cookies: list[dict[str, Any]], url: str) -> list[tuple[str, str]]:
    """(name, value) of the handed-on cookies that apply to `url` (host and path; the
    browser's context belonged to the portal, so no other site's cookies are in it)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = parts.path or "/"
    out = []
    for cookie in cookies:
        domain = str(cookie.get("domain", "")).lower()
        matches = host == domain.lstrip(".") or (domain.startswith(".")
                                                 and host.endswith(domain))
        if matches and path.startswith(str(cookie.get("path") or "/")):
            out.append((str(cookie.get("name", "")), str(cookie.get("value", ""))))
    return out


def _ip(address: str) -> Any:
    import ipaddress

    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None
