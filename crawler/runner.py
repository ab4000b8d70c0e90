"""Run a crawl in-process (for the CLI) and summarise it from the archive database."""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.python.failure import Failure

from archive.errors import GovarcError, StorageError
from archive.lock import acquire
from archive.storage import check_archive
from archive.store import connect
from crawler.exit_codes import EXIT_ALARM, EXIT_OK, EXIT_PARTIAL, EXIT_STOPPED
from crawler.registry import Portal, load_registry, select
from crawler.session import ArchiveSession
from crawler.spiders.portal import PortalSpider


@dataclass
class RunSummary:
    run_id: int | None
    status: str
    portals: int
    sections: int
    articles: int
    articles_new: int
    articles_changed: int
    articles_removed: int
    attachments: int
    captures: int
    failures: int
    failures_by_kind: dict[str, int]
    flags: int
    warc_bytes: int
    seconds: float
    log_file: str | None = None
    alarms: list[str] = field(default_factory=list)  # "portal/section: what crossed a line"

    def line(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.failures_by_kind.items()))
        return (
            f"run {self.run_id} {self.status}: {self.portals} portals, {self.sections} sections, "
            f"{self.articles} articles ({self.articles_new} new, {self.articles_changed} changed, "
            f"{self.articles_removed} removed), {self.attachments} attachments, "
            f"{self.captures} captures, "
            f"{self.failures} failures{f' ({kinds})' if kinds else ''}, "
            f"{self.flags} tamper flags, {len(self.alarms)} alarms, "
            f"{self.warc_bytes:,} WARC bytes, {self.seconds:.1f} s"
            + (f"; log: {self.log_file}" if self.log_file and self.status != "ok" else "")
            + "".join(f"\nalarm: {alarm}" for alarm in self.alarms)
        )

    @property
    def exit_code(self) -> int:
        if self.status not in ("ok", "partial", "failed"):
            return EXIT_STOPPED
        if self.alarms:
            return EXIT_ALARM
        return EXIT_OK if self.status == "ok" else EXIT_PARTIAL


def user_agent(contact: str) -> str:
    """A User-Agent that names govarc, its version and whom to contact."""
    from importlib.metadata import version

    return f"govarc/{version('govarc')} (archiving public government news; +{contact})"


def build_settings(db: Path, warc_dir: Path, portal_file: Path | None,
                   overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    contact = (overrides or {}).get("GOVARC_CONTACT") or settings.get("GOVARC_CONTACT")
    settings.set("USER_AGENT", user_agent(contact), priority="project")
    settings.update(
        {
            "GOVARC_DB": str(db),
            "GOVARC_WARC_DIR": str(warc_dir),
            "GOVARC_PORTAL_FILE": str(portal_file) if portal_file else "",
            **(overrides or {}),
        },
        priority="cmdline",
    )
    return settings


def resolve_portals(ids: list[str], portal_file: Path | None) -> list[Portal]:
    """Validate the registry and the requested ids before any crawling starts."""
    return select(load_registry(portal_file), ids)


def crawl(ids: list[str], db: Path, warc_dir: Path, portal_file: Path | None = None,
          overrides: dict[str, Any] | None = None) -> RunSummary:
    """Crawl the portals `ids` into the archive; the run's summary.

    Raises ConfigError (bad registry or setting), LockedError (another crawl holds the
    archive) or StorageError (the archive cannot be written, or its disk failed or ran
    short of space during the crawl: the crawl stopped at once)."""
    portals = resolve_portals(ids, portal_file)
    settings = build_settings(db, warc_dir, portal_file, overrides)
    check_archive(db, warc_dir, settings.getint("GOVARC_MIN_FREE_SPACE"))
    # A log on a full disk must not pour "--- Logging error ---" tracebacks into cron mail.
    logging.raiseExceptions = False
    lock = acquire(db)  # fail fast, before Scrapy starts; the session re-enters it
    failures: list[Failure] = []
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        started = time.monotonic()
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler, portal=",".join(p.id for p in portals),
                      portal_file=str(portal_file or "")).addErrback(failures.append)
        process.start()
        # The reactor is gone and with it Scrapy's signal handlers: a late SIGTERM must not
        # kill the process while it closes the run.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        session = ArchiveSession.existing(crawler)
        if session is not None and not session.closed:
            # A second SIGINT/SIGTERM stops the reactor before the spider closes.
            session.spider_closed(crawler.spider, "shutdown (forced)")
        run_id = crawler.stats.get_value("govarc/run_id") if crawler.stats else None
    finally:
        lock.release()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for failure in failures:  # the crawl could not start (its components failed)
        if isinstance(failure.value, GovarcError):
            raise failure.value
    if session is not None and session.storage_error is not None:
        counts = session.store.counts
        raise StorageError(
            f"{session.storage_error}; run {run_id} stopped with {counts['captures']:,} "
            f"captures and {counts['articles_new'] + counts['articles_changed']:,} articles "
            "stored: free space and run again (the next crawl repairs the WARC files and goes "
            "on)")
    summary = summarise(db, run_id, portals, time.monotonic() - started)
    summary.log_file = settings.get("LOG_FILE")
    return summary


def summarise(db: Path, run_id: int | None, portals: list[Portal], seconds: float) -> RunSummary:
    database = connect(db)
    try:
        run = database.table("crawl_runs").get(run_id) if run_id else {}
        by_kind = {
            kind: n
            for kind, n in database.execute(
                "SELECT kind, count(*) FROM failures WHERE run_id = ? GROUP BY kind", [run_id]
            )
        }
        alarms = [f"{portal}/{section}: {message}" for portal, section, message in
                  database.execute("SELECT portal, section, message FROM alarms "
                                   "WHERE run_id = ? ORDER BY id", [run_id])]
    finally:
        database.close()
    return RunSummary(
        run_id=run_id,
        status=run.get("status") or "not run",
        portals=len(portals),
        sections=sum(len(p.sections) for p in portals),
        articles=sum(run.get(k) or 0 for k in ("articles_new", "articles_changed",
                                                 "articles_unchanged")),
        articles_new=run.get("articles_new") or 0,
        articles_changed=run.get("articles_changed") or 0,
        articles_removed=run.get("articles_removed") or 0,
        attachments=run.get("attachments") or 0,
        captures=run.get("captures") or 0,
        failures=run.get("failures") or 0,
        failures_by_kind=by_kind,
        flags=run.get("flags") or 0,
        warc_bytes=run.get("warc_bytes") or 0,
        seconds=seconds,
        alarms=alarms,
    )
