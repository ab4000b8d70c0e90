"""Downloader and spider middlewares: WARC capture, robots override, callback errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.responsetypes import responsetypes
from twisted.internet import threads

from archive.errors import StorageError
from archive.transfer import encoding_intact, inflate_whole
from archive.warc import (
    ExchangeLocation,
    HttpExchange,
    PreparedRecord,
    RevisitTarget,
    payload_digest,
)
from crawler.browser import CAPTURED_META
from crawler.items import FetchFailure
from crawler.session import ArchiveSession
from crawler.spooling import BODY_META

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred
    from twisted.python.failure import Failure

    from archive.spool import BodySpool

WARC_META = "govarc_warc"  # request.meta key: the WarcLocation of this exchange's response
# (or revisit) record: every row about the exchange points at its own record
ROLE_META = "govarc_role"  # request.meta key: list | article | attachment (set by the spider)
DATE_META = "govarc_date"  # request.meta key: the WARC-Date of this exchange
TRUNCATED_META = "govarc_truncated"  # request.meta key: the compressed body was cut short
LENGTH_META = "govarc_length"  # request.meta key: length of a body kept on disk (spooled)
DEDUP_MIN_BYTES = 512  # smaller payloads are cheaper to store again than to point at


def _header_list(headers) -> list[tuple[str, str]]:
    """Every header line, repeated ones included, as latin-1 text (wire bytes kept)."""
    pairs: list[tuple[str, str]] = []
    for name, values in headers.items():
        key = name.decode("latin-1")
        for value in values:
            pairs.append((key, value.decode("latin-1")))
    return pairs


def _decode(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None


def _still_encoded(response: Response) -> Response:
    """A compressed text response as a plain `Response`, for HttpCompressionMiddleware.

    Its `response.replace(...)` reads every attribute of the old response, and a
    TextResponse's `encoding` is then guessed from the compressed bytes (charset detection
    over gzip data: several ms a page, for an answer that is thrown away). The decompressed
    response gets its class and encoding from the decompressed body as before."""
    if not isinstance(response, TextResponse) or not response.headers.get("Content-Encoding"):
        return response
    return Response(url=response.url, status=response.status, headers=response.headers,
                    body=response.body, flags=response.flags, request=response.request,
                    certificate=response.certificate, ip_address=response.ip_address,
                    protocol=response.protocol)


class WarcCaptureMiddleware:
    """Record each exchange with its crawl context; put the WARC location in request.meta.

    A 200 payload identical to one already archived is written as a `revisit` record
    (identical-payload-digest profile) pointing at the first copy instead of a second copy.
    """

    def __init__(self, session: ArchiveSession, dedup: bool, maxsize: int = 0,
                 decompress: bool = True, warnsize: int = 0) -> None:
        self.session = session
        self.stats = session.stats
        self.dedup = dedup
        self.maxsize = maxsize or 16 * 1024 * 1024  # DOWNLOAD_MAXSIZE
        self.decompress = decompress  # COMPRESSION_ENABLED
        self.warnsize = warnsize or 32 * 1024 * 1024  # DOWNLOAD_WARNSIZE

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        return cls(ArchiveSession.of(crawler), settings.getbool("GOVARC_DEDUP"),
                   settings.getint("DOWNLOAD_MAXSIZE"), settings.getbool("COMPRESSION_ENABLED"),
                   settings.getint("DOWNLOAD_WARNSIZE"))

    def _context(self, request: Request, url: str) -> dict[str, Any]:
        portal = request.meta.get("portal") or self.session.portal_for(url)
        role = request.meta.get(ROLE_META) or (
            "robots" if url.endswith("/robots.txt") else "other")
        context: dict[str, Any] = {"run": self.session.store.run_id, "portal": portal,
                                   "role": role}
        section = request.meta.get("section")
        if section:
            context["section"] = section
            context["section_name"] = self.session.section_name(portal, section)
        if role == "list":
            context["list_kind"] = request.meta.get("list_kind", "list")
        if "article_url" in request.meta:
            context["article_url"] = request.meta["article_url"]
        return context

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response | Deferred[Response]:
        if self.session.storage_error is not None:
            raise IgnoreRequest("not archived: the archive's storage failed")
        if request.meta.get(CAPTURED_META):
            return response  # a browser visit: its exchanges are archived already
        spool = request.meta.pop(BODY_META, None)
        try:
            if spool is not None:
                return self._capture_spooled(request, response, spool)
            return self._capture(request, response)
        except StorageError as exc:
            self.session.storage_failed(exc)
            raise IgnoreRequest(f"not archived: {exc}") from exc

    def _exchange(self, request: Request, response: Response, **body: Any) -> HttpExchange:
        return HttpExchange(
            url=response.url,
            method=request.method,
            request_headers=_header_list(request.headers),
            request_body=request.body or b"",
            status=response.status,
            response_headers=_header_list(response.headers),
            protocol=response.protocol or "HTTP/1.1",
            ip_address=str(response.ip_address) if response.ip_address else None,
            captured_at=datetime.now(UTC),
            **body,
        )

    def _revisit_of(self, response: Response, digest: str, length: int) -> RevisitTarget | None:
        if self.dedup and response.status == 200 and length >= DEDUP_MIN_BYTES:
            return self.session.first_copy(digest)
        return None

    def _capture(self, request: Request, response: Response) -> Response:
        body = response.body
        digest = payload_digest(body)
        revisit = self._revisit_of(response, digest, len(body))
        exchange = self._exchange(request, response, response_body=body)
        limit = request.meta.get("download_maxsize") or self.maxsize
        encodings = response.headers.getlist("Content-Encoding")
        intact, inflated = inflate_whole(body, _decode(encodings[-1]) if encodings else None,
                                         limit)
        self._record(request, response, exchange, digest, revisit, intact)
        if (inflated is not None and self.decompress and len(encodings) == 1
                and request.method != "HEAD"
                and len(inflated) < (request.meta.get("download_warnsize") or self.warnsize)):
            return self._inflated(response, inflated)
        return _still_encoded(response)

    def _inflated(self, response: Response, body: bytes) -> Response:
        """The response with the body this capture inflated, as HttpCompressionMiddleware
        would make it (class from the inflated body, no Content-Encoding, its stats): the
        body is inflated once, not again there and by the browser's challenge check."""
        headers = response.headers.copy()
        del headers["Content-Encoding"]
        self.stats.inc_value("httpcompression/response_bytes", len(body))
        self.stats.inc_value("httpcompression/response_count")
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        return cls(url=response.url, status=response.status, headers=headers, body=body,
                   flags=response.flags, request=response.request,
                   certificate=response.certificate, ip_address=response.ip_address,
                   protocol=response.protocol)

    def _capture_spooled(self, request: Request, response: Response,
                         spool: BodySpool) -> Deferred[Response]:
        """A body kept on disk: its record is compressed on a thread from the file (a
        100 MB attachment would hold the reactor for seconds), then copied in."""
        if spool.error is not None:
            spool.discard()
            raise StorageError(f"cannot keep the body of {response.url} on disk: "
                               f"{spool.error.strerror or spool.error}")
        request.meta[LENGTH_META] = spool.length
        revisit = self._revisit_of(response, spool.digest, spool.length)
        exchange = self._exchange(request, response, response_body=b"",
                                  response_file=spool.reader(),
                                  response_length=spool.length)
        encoding = _decode(response.headers.get("Content-Encoding"))
        limit = request.meta.get("download_maxsize") or self.maxsize
        recorder = self.session.recorder

        def prepare() -> tuple[PreparedRecord | None, bool]:
            intact = encoding_intact(spool.reader(), encoding, limit)
            return (None if revisit else recorder.prepare_response(exchange)), intact

        def written(result: tuple[PreparedRecord | None, bool]) -> Response:
            prepared, intact = result
            spool.discard()
            if self.session.storage_error is not None:
                raise IgnoreRequest("not archived: the archive's storage failed")
            try:
                self._record(request, response, exchange, spool.digest, revisit, intact,
                             prepared=prepared)
            except StorageError as exc:
                self.session.storage_failed(exc)
                raise IgnoreRequest(f"not archived: {exc}") from exc
            headers = response.headers.copy()
            headers.pop("Content-Encoding", None)  # the body is in the WARC, not here
            return response.replace(body=b"", headers=headers)

        def failed(failure: Failure) -> Failure:
            spool.discard()
            if failure.check(StorageError):
                self.session.storage_failed(failure.value)
                raise IgnoreRequest(f"not archived: {failure.value}")
            return failure

        return threads.deferToThread(prepare).addCallbacks(written, failed)

    def _record(self, request: Request, response: Response, exchange: HttpExchange,
                digest: str, revisit: RevisitTarget | None, intact: bool,
                prepared: PreparedRecord | None = None) -> None:
        context = self._context(request, response.url)
        location = archive_exchange(self.session, exchange, context, digest, revisit,
                                    prepared=prepared)
        request.meta[WARC_META] = location.response
        request.meta[DATE_META] = location.response.date
        if not intact:
            request.meta[TRUNCATED_META] = True


def _first(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def archive_exchange(session: ArchiveSession, exchange: HttpExchange, context: dict[str, Any],
                     digest: str, revisit: RevisitTarget | None,
                     prepared: PreparedRecord | None = None,
                     rendered: str | None = None) -> ExchangeLocation:
    """Write an exchange's records (response or revisit, request, the DOM a browser
    rendered, metadata) and its `captures` row; remember a 200 payload for revisits."""
    location = session.recorder.write_exchange(exchange, revisit_of=revisit,
                                               metadata=context, prepared=prepared,
                                               rendered=rendered)
    record = location.response
    if revisit is None and exchange.status == 200:
        session.remember_copy(RevisitTarget(record.record_id, exchange.url, record.date,
                                            digest, record))
    headers = exchange.response_headers
    session.store.add_capture(
        {
            "portal": context["portal"],
            "url": exchange.url,
            "method": exchange.method,
            "status": exchange.status,
            "mime": _first(headers, "content-type"),
            "etag": _first(headers, "etag"),
            "last_modified": _first(headers, "last-modified"),
            "payload_length": exchange.response_length or len(exchange.response_body),
            "captured_at": exchange.captured_at.isoformat(timespec="microseconds"),
            "record_type": record.rec_type,
            "record_id": record.record_id,
            "warc_date": record.date,
            "payload_digest": digest,
            "warc_filename": record.filename,
            "warc_offset": record.offset,
            "warc_length": record.length,
            "request_offset": location.request.offset,
            "request_length": location.request.length,
        }
    )
    session.stats.inc_value("govarc/warc/records", 3 + (rendered is not None))
    session.stats.inc_value("govarc/captures")
    if revisit is not None:
        session.stats.inc_value("govarc/warc/revisits")
    return location


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


class RedirectLoopMiddleware:
    """A redirect back to a URL of its own chain is a loop: fail it as one.

    Scrapy's duplicate filter would otherwise drop the looping request without a word."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if response.status in (301, 302, 303, 307, 308):
            location = response.headers.get("Location")
            if location:
                target = response.urljoin(location.decode("latin-1"))
                chain = [*request.meta.get("redirect_urls", []), request.url]
                if target in chain:
                    raise IgnoreRequest(f"redirect loop: {' -> '.join(chain)} -> {target}")
        return response
