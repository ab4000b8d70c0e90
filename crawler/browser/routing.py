"""When a request goes through the browser, and the cookie hand-off to plain fetches.

- A section with `fetch = "browser"` in the registry, a portal with `browser = "full"`, and a
  section whose wall defeated the cookie hand-off: every list and article page through it.
- Otherwise (portal `browser = "auto"` or `"cookies"`), a plain fetch that meets a
  challenge is archived as it is, then fetched once more through the browser. The cookies
  the browser's context holds afterwards go with the portal's next plain requests.
- Under `auto`, a plain request that carried those cookies and still met a challenge shows
  that the wall ties each request to a script (瑞数-style tokens): its section is fetched
  through the browser from then on.

Placed at priority 940, next to the capture middleware (950): its process_response sees
each plain response after it was archived, still as transferred.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.access_check import response_problem
from crawler.browser import BROWSER_META, HANDOFF_META
from crawler.browser.support import BrowserSupport, cookie_header
from crawler.middlewares import ROLE_META

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

    from crawler.registry import Portal

log = logging.getLogger(__name__)

PAGE_ROLES = frozenset({"list", "article"})


class BrowserRoutingMiddleware:
    """See the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.support = BrowserSupport.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserRoutingMiddleware:
        return cls(crawler)

    def _portal(self, request: Request) -> Portal | None:
        portal = getattr(self.crawler.spider, "by_id", {}).get(request.meta.get("portal"))
        if portal is None or portal.browser == "off":
            return None
        return portal

    def needs_browser(self, portal: Portal, section: str | None) -> bool:
        """Whether the registry, or what this run learnt, sends the section's pages
        through the browser."""
        if portal.browser == "full" or (portal.id, section) in self.support.full:
            return True
        return any(s.id == section and s.fetch == "browser" for s in portal.sections)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if not self.support.available or request.meta.get(BROWSER_META):
            return None
        portal = self._portal(request)
        if portal is None:
            return None
        section = request.meta.get("section")
        if request.meta.get(ROLE_META) in PAGE_ROLES and self.needs_browser(portal, section):
            request.meta[BROWSER_META] = "full"
            return None
        cookies = cookie_header(self.support.cookies.get(portal.id, []), request.url)
        if cookies:
            present = request.headers.get("Cookie", b"").decode("latin-1")
            names = {part.split("=", 1)[0].strip() for part in present.split(";") if part}
            added = [f"{n}={v}" for n, v in cookies if n not in names]
            if added:
                request.headers["Cookie"] = "; ".join(filter(None, [present, *added]))
            request.meta[HANDOFF_META] = True
        return None

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if not self.support.available or request.meta.get(BROWSER_META):
            return response
        portal = self._portal(request)
        if portal is None or not _is_challenge(response):
            return response
        section = request.meta.get("section")
        stats = self.crawler.stats
        if request.meta.get(HANDOFF_META) and portal.browser == "auto" and section:
            if (portal.id, section) not in self.support.full:
                log.info("%s/%s: the browser's cookies did not carry past the wall; its pages "
                         "go through the browser from now on", portal.id, section)
                stats.inc_value("govarc/browser/sections_switched")
            self.support.full.add((portal.id, section))
        stats.inc_value("govarc/browser/challenge_retries")
        retry = request.replace(dont_filter=True)
        retry.meta[BROWSER_META] = "retry"
        retry.meta.pop(HANDOFF_META, None)
        return retry


def _is_challenge(response: Response) -> bool:
    problem = response_problem(response)
    return problem is not None and problem[0] == "challenge"
