"""Downloader middleware that writes every HTTP exchange to WARC as it was transferred."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy.http import Request, Response

from archive.warc import HttpExchange
from crawler.items import FetchFailure
from crawler.session import ArchiveSession

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

WARC_META = "govarc_warc"  # request.meta key: the WarcLocation of the response record


def _header_list(headers) -> list[tuple[str, str]]:
    """Every header line, repeated ones included, as latin-1 text (wire bytes kept)."""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        for value in values:
            pairs.append((key, value.decode("latin-1")))
    return pairs


class WarcCaptureMiddleware:
    """Record each request/response pair; put the response's WARC location in request.meta."""

    def __init__(self, session: ArchiveSession) -> None:
        self.session = session
        self.stats = session.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        return cls(ArchiveSession.for_crawler(crawler))

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        captured_at = datetime.now(UTC)
        exchange = HttpExchange(
            url=response.url,
            method=request.method,
            request_headers=_header_list(request.headers),
            request_body=request.body or b"",
            status=response.status,
            response_headers=_header_list(response.headers),
            response_body=response.body,
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
            captured_at=captured_at,
        )
        location = self.session.recorder.write_exchange(exchange)
        request.meta[WARC_META] = location.response
        portal = request.meta.get("portal") or self.session.portal_for(response.url)
        headers = response.headers
        content_type, etag, modified = (headers.get(name) for name in
                                        ("Content-Type", "ETag", "Last-Modified"))
        self.session.store.add_capture(
            {
                "portal": portal,
                "url": response.url,
                "method": request.method,
                "status": response.status,
                "mime": content_type.decode("latin-1") if content_type else None,
                "etag": etag.decode("latin-1") if etag else None,
                "last_modified": modified.decode("latin-1") if modified else None,
                "payload_length": len(response.body),
                "captured_at": captured_at.isoformat(timespec="microseconds"),
                "record_id": location.response.record_id,
                "payload_digest": location.response.payload_digest,
                "warc_filename": location.response.filename,
                "warc_offset": location.response.offset,
                "warc_length": location.response.length,
                "request_offset": location.request.offset,
                "request_length": location.request.length,
            }
        )
        self.stats.inc_value("govarc/warc/records", 2)
        self.stats.inc_value("govarc/captures")
        return response


class CallbackErrorMiddleware:
    """A bug or surprise in a callback becomes a `crawler-error` failure row, not a log line."""

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Spider | None = None
    ) -> list[FetchFailure]:
        return [
            FetchFailure(
                url=response.url,
                portal=response.meta.get("portal"),
                kind="crawler-error",
                reason=f"{type(exception).__name__}: {exception}"[:500],
                http_status=response.status,
                warc=response.meta.get(WARC_META),
            )
        ]


class RobotsOverrideMiddleware:
    """Skip robots.txt for portals whose registry entry says `obey_robots = false`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsOverrideMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        portals = getattr(self.crawler.spider, "by_id", {})
        portal = portals.get(request.meta.get("portal"))
        if portal is not None and not portal.obey_robots:
            request.meta.setdefault("dont_obey_robotstxt", True)
