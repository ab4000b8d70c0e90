"""One archive session per crawl, a Scrapy extension: the WARC recorder, the store, the run.

The capture middleware, the pipeline and the spider share it (`ArchiveSession.of`). Its
`LocalRun` takes the archive's lock (one crawl at a time), repairs WARC files a killed run
left open, opens the run when the spider opens, and closes files, run and lock when it
closes; a distributed worker's `WorkerRun` does the same against Redis.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object

from archive.articles import PortalIdentity
from archive.errors import StorageError
from archive.lock import acquire
from archive.storage import SpaceWatch
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


class LocalRun:
    """A crawl that writes its own database: holds the archive's lock while it runs, repairs
    WARC files a killed run left open, opens and closes the run's rows and records."""

    def __init__(self, crawler: Crawler, before_commit: Callable[[], None]) -> None:
        settings = crawler.settings
        self.crawler = crawler
        warc_dir = Path(settings.get("GOVARC_WARC_DIR"))
        db_path = Path(settings.get("GOVARC_DB"))
        self.folders = {"WARC folder": warc_dir, "database folder": db_path.absolute().parent}
        self.lock = acquire(db_path)
        try:
            try:
                repairs = repair_open_files(warc_dir) if warc_dir.exists() else []
            except OSError as exc:
                raise StorageError(f"cannot repair the WARC files in {warc_dir}: "
                                   f"{exc.strerror or exc}") from exc
            for repair in repairs:
                logger.warning("repaired %s left open by an interrupted run: kept %d bytes, "
                               "dropped %d", repair.path.name, repair.kept_bytes,
                               repair.dropped_bytes)
                crawler.stats.inc_value("govarc/warc/repaired")
            self.recorder = open_recorder(settings)
            self.store = Store(db_path, batch_size=settings.getint("GOVARC_BATCH_SIZE"),
                               before_commit=before_commit,
                               lock_patience=settings.getfloat("GOVARC_DB_LOCK_PATIENCE"))
        except BaseException:
            self.lock.release()
            raise

    def start(self, session: ArchiveSession, spider: Spider) -> None:
        """Record the portals and sections, open the run, hand the spider what is known."""
        portals = session.portals
        self.store.upsert_portals(p.as_row() for p in portals.values())
        completed = self.store.completed_sections()
        run_id = self.store.start_run(portals)
        self.store.start_sections(
            {"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
            for p in portals.values() for s in p.sections
        )
        session.write_run_start(run_id)
        if hasattr(spider, "archive_state"):
            spider.archive_state(self.store.known_articles(list(portals)), completed)
        logger.info("crawl run %s: portals %s", run_id, ", ".join(portals))

    def copy_seen(self, target: RevisitTarget) -> None:
        """Nothing to share: the database's captures table finds earlier copies."""

    def _run_record(self, session: ArchiveSession, status: str, finished_at: str,
                    **extra: Any) -> None:
        portals = session.portals.values()
        self.recorder.write_metadata(f"urn:govarc:run:{self.store.run_id}", {
            "role": "run", "run": self.store.run_id, "status": status,
            "started_at": self.store.run_started, "finished_at": finished_at,
            "portals": [p.as_row() for p in portals],
            "sections": [{"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
                         for p in portals for s in p.sections],
            **extra,
        })

    def finish(self, session: ArchiveSession, spider: Spider, reason: str) -> None:
        """Close the run: its record in the WARC, the WARC file, its row, the database."""
        stats = session.stats
        self.store.flush()  # counts cover every row of the run
        failures = self.store.counts["failures"]
        if reason != "finished":
            status = f"stopped: {reason}"
        else:
            captured = self.store.counts["captures"]
            status = ("failed" if not captured else "partial") if failures else "ok"
        finished_at = utc_now()
        self._run_record(session, status, finished_at)
        self.recorder.close()
        stats.set_value("govarc/warc/bytes", self.recorder.bytes_written)
        stats.set_value("govarc/warc/files", len(self.recorder.closed_files))
        self.store.flush()
        if reason == "finished":
            troubled = getattr(spider, "troubled", set())
            self.store.complete_sections(
                f"{p.id}/{s.id}" for p in session.portals.values() for s in p.sections
                if f"{p.id}/{s.id}" not in troubled
            )
        self.store.finish_run(status, dict(stats.get_stats()), self.recorder.bytes_written,
                              finished_at)
        self.store.close()

    def finish_after_storage_failure(self, session: ArchiveSession) -> None:
        """End a run the disk stopped: keep what was committed, write what still can be.

        After a failed write the rows not yet committed are dropped (they may point at WARC
        bytes that never reached the disk) and the WARC file is left `.open`, to be cut
        after its last whole record by the next crawl. Each step that fails again is
        skipped; a run row that cannot be written is marked failed by the next crawl."""
        error = str(session.storage_error)
        finished_at = utc_now()
        if not session.stopped_cleanly:
            self.store.discard()
        with contextlib.suppress(StorageError):
            if self.recorder.broken is None and self.store.run_id is not None:
                self._run_record(session, "failed", finished_at, error=error)
            self.recorder.close()
        session.stats.set_value("govarc/warc/bytes", self.recorder.bytes_written)
        with contextlib.suppress(StorageError):
            self.store.finish_run("failed", dict(session.stats.get_stats()),
                                  self.recorder.bytes_written, finished_at, error=error)
        with contextlib.suppress(StorageError, sqlite3.Error):
            self.store.close()

    def release(self) -> None:
        """Let the next crawl in."""
        self.lock.release()


class ArchiveSession:
    """The archive of one crawler, a Scrapy extension: the WARC recorder, the store, the run.

    The capture middleware, the pipeline and the spider reach it with `ArchiveSession.of`.
    What differs between a crawl writing its own database and a distributed run's worker
    (the lock, the store, how the run opens and closes) is its `run`: a `LocalRun` or the
    worker's `WorkerRun`, named by the setting `GOVARC_RUN_CLASS`.
    """

    def __init__(self, crawler: Crawler, run: Callable[[Crawler, Callable[[], None]], Run]
                 ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.storage_error: StorageError | None = None
        self.stopped_cleanly = False  # stopped for low space, before any write failed
        self.closed = False
        self.portals: dict[str, Portal] = {}
        self.identities: dict[str, PortalIdentity] = {}
        self.copies: dict[str, RevisitTarget] = {}  # payload digest -> first record, this run
        self.run = run(crawler, self._before_commit)
        self.recorder = self.run.recorder
        self.store = self.run.store
        self.space = SpaceWatch(self.run.folders, crawler.settings.getint("GOVARC_MIN_FREE_SPACE"))
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        """A session with the run class the settings name (`GOVARC_RUN_CLASS`)."""
        return cls(crawler, load_object(crawler.settings.get("GOVARC_RUN_CLASS")))

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveSession:
        """The crawler's session (the extension must be enabled in EXTENSIONS)."""
        session = crawler.get_extension(cls)
        if session is None:
            raise NotConfigured(f"{cls.__module__}.{cls.__name__} is not in EXTENSIONS")
        return session

    @classmethod
    def existing(cls, crawler: Crawler) -> ArchiveSession | None:
        """The crawler's session, if its extensions were made (None if the crawl never
        got that far)."""
        try:
            return crawler.get_extension(cls)
        except RuntimeError:
            return None

    # -- storage -------------------------------------------------------------------------
    def _before_commit(self) -> None:
        """Rows are committed only once the WARC bytes they point at are written; a folder
        running short of space stops the crawl cleanly (this commit still goes ahead)."""
        self.recorder.flush()
        if self.storage_error is None and not self.closed:
            short = self.space.short()
            if short is not None:
                self.storage_failed(short, clean=True)

    def storage_failed(self, exc: StorageError, clean: bool = False) -> None:
        """The archive's disk is full, read-only or failing: stop the crawl at once; nothing
        more is fetched or written. `clean`: stopped for low space before any write failed,
        so the files are closed and the rows committed as usual."""
        if self.storage_error is not None:
            return
        self.storage_error = exc
        self.stopped_cleanly = clean
        self.stats.set_value("govarc/storage_error", str(exc))
        logger.error("archive storage: %s; stopping the crawl", exc)
        if not self.closed:
            stop_crawl(self.crawler, "storage-error")

    # -- portals ---------------------------------------------------------------------------
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
        if target.payload_digest in self.copies:
            return
        self.copies[target.payload_digest] = target
        if len(self.copies) > COPIES_KEPT:
            del self.copies[next(iter(self.copies))]
        self.run.copy_seen(target)

    # -- the run ---------------------------------------------------------------------------
    def write_run_start(self, run_id: int, **extra: Any) -> None:
        """The run's context at the head of its WARC files, so a rebuild judges its pages
        as the crawl did (the tamper watch's identities, the page size limit)."""
        self.recorder.write_metadata(f"urn:govarc:run:{run_id}:start", {
            "role": "run-start", "run": run_id, "started_at": self.store.run_started, **extra,
            "identities": {pid: i.to_dict() for pid, i in self.identities.items()},
            "page_maxsize": self.crawler.settings.getint("DOWNLOAD_MAXSIZE"),
            "ocr": self.crawler.settings.getbool("GOVARC_OCR"),
        })

    def spider_opened(self, spider: Spider) -> None:
        portals = list(getattr(spider, "portals", []))
        self.portals = {p.id: p for p in portals}
        registry = getattr(spider, "registry", self.portals)
        self.identities = {p.id: identity_of(p, registry) for p in portals}
        try:
            self.run.start(self, spider)
        except StorageError as exc:
            self.storage_failed(exc)
        if self.store.run_id is not None:
            self.stats.set_value("govarc/run_id", self.store.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the run, the files, the store; let go of the archive."""
        if self.closed:
            return
        self.closed = True
        try:
            if self.storage_error is None:
                try:
                    self.run.finish(self, spider, reason)
                    return
                except StorageError as exc:
                    self.storage_failed(exc)
            self.run.finish_after_storage_failure(self)
        finally:
            self.run.release()


class Run(Protocol):
    """How a session's run opens, closes and shares what it archived."""

    folders: dict[str, Path]
    recorder: WarcRecorder
    store: Any

    def start(self, session: ArchiveSession, spider: Spider) -> None: ...
    def copy_seen(self, target: RevisitTarget) -> None: ...
    def finish(self, session: ArchiveSession, spider: Spider, reason: str) -> None: ...
    def finish_after_storage_failure(self, session: ArchiveSession) -> None: ...
    def release(self) -> None: ...


def stop_crawl(crawler: Crawler, reason: str) -> None:
    """Ask the engine to close the spider (its in-flight requests are dropped)."""
    engine = crawler.engine
    if engine is None or getattr(engine, "spider", None) is None:
        return
    if hasattr(engine, "close_spider_async"):
        deferred_from_coro(engine.close_spider_async(reason=reason))
    else:  # Scrapy < 2.14
        engine.close_spider(spider=crawler.spider, reason=reason)
