"""One archive session per crawl: the lock, the WARC recorder, the store, the run record.

The capture middleware, the pipeline and the spider share it through `for_crawler`. It
takes the archive's lock (one crawl at a time), repairs WARC files a killed run left open,
opens the run when the spider opens, and closes files, run and lock when it closes.
"""

from __future__ import annotations

import logging
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from archive.articles import PortalIdentity
from archive.lock import acquire
from archive.store import Store, utc_now
from archive.warc import RevisitTarget, WarcLocation, WarcRecorder
from archive.warc_repair import repair_open_files
from crawler.registry import Portal, identity_of

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)
COPIES_KEPT = 4096  # payload digest -> record entries held in memory (see remember_copy)


def open_recorder(settings: BaseSettings, prefix: str | None = None) -> WarcRecorder:
    """The WARC recorder of a crawl (or of a distributed run's coordinator or worker)."""
    return WarcRecorder(
        Path(settings.get("GOVARC_WARC_DIR")),
        prefix=prefix or settings.get("GOVARC_WARC_PREFIX"),
        max_size=settings.getint("GOVARC_WARC_MAX_SIZE"),
        info={
            "software": f"govarc {version('govarc')} (Scrapy {version('scrapy')}, "
                        f"warcio {version('warcio')})",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "operator": settings.get("GOVARC_CONTACT"),
        },
    )


class ArchiveSession:
    """Owns the WARC files and the database connection for one crawler."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.warc_dir = Path(settings.get("GOVARC_WARC_DIR"))
        self.db_path = Path(settings.get("GOVARC_DB"))
        self.lock = acquire(self.db_path)
        try:
            for repair in repair_open_files(self.warc_dir) if self.warc_dir.exists() else []:
                logger.warning("repaired %s left open by an interrupted run: kept %d bytes, "
                               "dropped %d", repair.path.name, repair.kept_bytes,
                               repair.dropped_bytes)
                self.stats.inc_value("govarc/warc/repaired")
            self.recorder = open_recorder(settings)
            self.store = Store(self.db_path, batch_size=settings.getint("GOVARC_BATCH_SIZE"),
                               before_commit=self.recorder.flush)
        except BaseException:
            self.lock.release()
            raise
        self.portals: dict[str, Portal] = {}
        self.identities: dict[str, PortalIdentity] = {}
        self.copies: dict[str, RevisitTarget] = {}  # payload digest -> first record, this run
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

    def section_name(self, portal: str | None, section: str) -> str:
        known = self.portals.get(portal or "")
        names = {s.id: s.name for s in known.sections} if known else {}
        return names.get(section, section)

    def first_copy(self, digest: str) -> RevisitTarget | None:
        """The record already holding this payload, in this run or an earlier one."""
        target = self.copies.get(digest)
        if target is None:
            found = self.store.first_capture_of(digest)
            if found:
                location = WarcLocation(found["warc_filename"], found["warc_offset"],
                                        found["warc_length"], found["record_id"], digest,
                                        found["warc_date"])
                target = RevisitTarget(found["record_id"], found["url"], found["warc_date"],
                                       digest, location)
                self.remember_copy(target)
        return target

    def remember_copy(self, target: RevisitTarget) -> None:
        """Keep the newest COPIES_KEPT payload records at hand; older ones are in the
        database's captures table by then (rows are committed in far smaller batches),
        where `first_copy` finds them, so memory stays flat however long the crawl."""
        self.copies.setdefault(target.payload_digest, target)
        if len(self.copies) > COPIES_KEPT:
            del self.copies[next(iter(self.copies))]

    def spider_opened(self, spider: Spider) -> None:
        portals = list(getattr(spider, "portals", []))
        self.portals = {p.id: p for p in portals}
        registry = getattr(spider, "registry", self.portals)
        self.identities = {p.id: identity_of(p, registry) for p in portals}
        self.store.upsert_portals(p.as_row() for p in portals)
        completed = self.store.completed_sections()
        run_id = self.store.start_run(self.portals)
        self.store.start_sections(
            {"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
            for p in portals for s in p.sections
        )
        # What rebuild needs to judge this run's pages as the crawl did (the tamper watch).
        self.recorder.write_metadata(f"urn:govarc:run:{run_id}:start", {
            "role": "run-start", "run": run_id, "started_at": self.store.run_started,
            "identities": {pid: i.to_dict() for pid, i in self.identities.items()},
            "page_maxsize": self.crawler.settings.getint("DOWNLOAD_MAXSIZE"),
        })
        if hasattr(spider, "archive_state"):
            spider.archive_state(self.store.known_articles(list(self.portals)), completed)
        self.stats.set_value("govarc/run_id", run_id)
        logger.info("crawl run %s: portals %s", run_id, ", ".join(self.portals))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.store.flush()  # counts cover every row of the run
            failures = self.store.counts["failures"]
            if reason != "finished":
                status = f"stopped: {reason}"
            else:
                captured = self.store.counts["captures"]
                status = ("failed" if not captured else "partial") if failures else "ok"
            finished_at = utc_now()
            self.recorder.write_metadata(f"urn:govarc:run:{self.store.run_id}", {
                "role": "run", "run": self.store.run_id, "status": status,
                "started_at": self.store.run_started, "finished_at": finished_at,
                "portals": [p.as_row() for p in self.portals.values()],
                "sections": [{"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
                             for p in self.portals.values() for s in p.sections],
            })
            self.recorder.close()
            self.stats.set_value("govarc/warc/bytes", self.recorder.bytes_written)
            self.stats.set_value("govarc/warc/files", len(self.recorder.closed_files))
            self.store.flush()
            if reason == "finished":
                troubled = getattr(spider, "troubled", set())
                self.store.complete_sections(
                    f"{p.id}/{s.id}" for p in self.portals.values() for s in p.sections
                    if f"{p.id}/{s.id}" not in troubled
                )
            stats: dict[str, Any] = dict(self.stats.get_stats())
            self.store.finish_run(status, stats, self.recorder.bytes_written, finished_at)
            self.store.close()
        finally:
            self.lock.release()
