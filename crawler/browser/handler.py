"""The download handler: a request marked for the browser is fetched by it, others as before."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.browser import BROWSER_META, CAPTURED_META, RENDERED_META
from crawler.browser.support import BrowserSupport
from crawler.spooling import SpoolingDownloadHandler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


class BrowserDownloadHandler(SpoolingDownloadHandler):
    """Scrapy's HTTP/1.1 handler (with spooling), or the browser for marked requests.

    Being the download handler, the browser's visits take their turn in Scrapy's per-host
    slots: the same concurrency, delays and AutoThrottle as plain fetches."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._govarc_crawler = crawler

    async def download_request(self, request: Request) -> Response:
        request.meta.pop(CAPTURED_META, None)  # an earlier attempt's
        request.meta.pop(RENDERED_META, None)
        if request.meta.get(BROWSER_META):
            support = BrowserSupport.of(self._govarc_crawler)
            if support.available:
                return await support.fetch(request)
        return await super().download_request(request)
