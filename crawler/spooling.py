"""A download handler that keeps large attachment bodies on disk while they arrive.

Scrapy's HTTP/1.1 handler gathers every body in memory. For requests marked with
`SPOOL_META` (the spider marks attachments), this handler gives Scrapy's body reader a
`BodySpool` instead: past 1 MB the bytes go to an unnamed file in the WARC folder. The
response then carries an empty body and the spool is in `request.meta[BODY_META]`; the capture
middleware writes the WARC record from the file and closes it. Smaller bodies and other
requests are handled exactly as Scrapy does.

It touches two internals of Scrapy's handler (the agent class and the reader's body
buffer), which is why pyproject.toml bounds Scrapy's version.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.utils._download_handlers import wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future

from archive.spool import BodySpool

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

SPOOL_META = "govarc_spool"  # request.meta key: True to keep a large body on disk
BODY_META = "_govarc_body"  # request.meta key: the BodySpool of a body kept on disk


class _SpoolBuffer:
    """What Scrapy's `_ResponseReader` expects of its body buffer, over a `BodySpool`."""

    def __init__(self, spool: BodySpool) -> None:
        self.spool = spool

    def write(self, data: bytes) -> None:
        self.spool.write(data)

    def truncate(self, size: int = 0) -> None:  # the reader's "too large" path
        self.spool.discard()

    def getvalue(self) -> bytes:
        return self.spool.getvalue()


class _SpoolingAgent(_ScrapyAgent):
    def __init__(self, directory: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spool = BodySpool(directory)

    def _cb_bodyready(self, txresponse, request):  # type: ignore[no-untyped-def]
        deliver = txresponse.deliverBody

        def deliver_to_spool(protocol):  # type: ignore[no-untyped-def]
            protocol._bodybuf = _SpoolBuffer(self.spool)
            deliver(protocol)

        txresponse.deliverBody = deliver_to_spool
        self._request = request
        return super()._cb_bodyready(txresponse, request)

    def _cb_bodydone(self, result, url):  # type: ignore[no-untyped-def]
        response = super()._cb_bodydone(result, url)
        if self.spool.spilled or self.spool.error is not None:
            self._request.meta[BODY_META] = self.spool
        return response


class SpoolingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, with large bodies of marked requests kept on disk."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._spool_dir = Path(crawler.settings.get("GOVARC_WARC_DIR"))

    async def download_request(self, request: Request) -> Response:
        request.meta.pop(BODY_META, None)  # a retry's copy of an earlier attempt's
        if not request.meta.get(SPOOL_META):
            return await super().download_request(request)
        self._spool_dir.mkdir(parents=True, exist_ok=True)
        agent = _SpoolingAgent(
            self._spool_dir,
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except BaseException:
            agent.spool.discard()
            raise
