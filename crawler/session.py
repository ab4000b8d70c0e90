"""One archive session per crawl: the WARC recorder, the SQLite store and the run record.

The capture middleware and the archive pipeline share it through `for_crawler`; it opens
the run when the spider opens and closes files and the run when the spider closes.
"""

from __future__ import annotations

import logging
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

import archive
from archive.store import Store
from archive.warc import WarcRecorder
from crawler.registry import Portal

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ArchiveSession:
    """Owns the WARC files and the database connection for one crawler."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.warc_dir = Path(settings.get("GOVARC_WARC_DIR"))
        self.db_path = Path(settings.get("GOVARC_DB"))
        import scrapy

        self.recorder = WarcRecorder(
            self.warc_dir,
            prefix=settings.get("GOVARC_WARC_PREFIX"),
            max_size=settings.getint("GOVARC_WARC_MAX_SIZE"),
            info={
                "software": f"govarc (Scrapy {scrapy.__version__}, warcio {version('warcio')})",
                "http-header-user-agent": settings.get("USER_AGENT"),
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "operator": settings.get("GOVARC_CONTACT"),
                "description": archive.__doc__.splitlines()[0] if archive.__doc__ else "",
            },
        )
        self.store = Store(self.db_path, batch_size=settings.getint("GOVARC_BATCH_SIZE"))
        self.portals: dict[str, Portal] = {}
        self.closed = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> ArchiveSession:
        session = getattr(crawler, "_govarc_session", None)
        if session is None:
            session = cls(crawler)
            crawler._govarc_session = session  # type: ignore[attr-defined]
        return session

    def portal_for(self, url: str) -> str | None:
        return next((p.id for p in self.portals.values() if p.owns(url)), None)

    def spider_opened(self, spider: Spider) -> None:
        self.portals = {p.id: p for p in getattr(spider, "portals", [])}
        self.store.upsert_portals(p.as_row() for p in self.portals.values())
        run_id = self.store.start_run(self.portals)
        self.stats.set_value("govarc/run_id", run_id)
        logger.info("crawl run %s: portals %s", run_id, ", ".join(self.portals))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.recorder.close()
        self.stats.set_value("govarc/warc/bytes", self.recorder.bytes_written)
        self.stats.set_value("govarc/warc/files", len(self.recorder.closed_files))
        self.store.flush()
        failures = self.store.counts["failures"]
        status = f"stopped: {reason}" if reason != "finished" else "partial" if failures else "ok"
        stats: dict[str, Any] = dict(self.stats.get_stats())
        self.store.finish_run(status, stats, self.recorder.bytes_written)
        self.store.close()
