"""ArchivePipeline: extract captured articles and store rows, batched, in the archive."""

from __future__ import annotations

import asyncio
import functools
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archive.alarms import RULES_METHODS
from archive.articles import extract_article, tamper_flags
from archive.attachment_text import (
    CRASH,
    DEFAULT_MEMORY,
    READER_VERSION,
    TIMEOUT,
    failed,
    memory_from,
    text_at,
)
from archive.errors import ConfigError, ExtractionError, StorageError
from archive.tamper import use_lexicon
from archive.transfer import failure_kind
from archive.warc import FAILURE_URN
from archive.worker_pool import DEFAULT_BUDGET, TaskTimeout, WorkerPool, budget_from, timeout_error
from crawler.items import ArticleGone, ArticlePage, AttachmentFile, FetchFailure, PageCheck
from crawler.session import ArchiveSession

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Page tasks handed to each extraction process at a time. The reactor answers a finished
# page only between its own stretches of work (a batch of inserts, a list page's links):
# with two tasks a process, the worker sat idle through them (2,000-article benchmark, one
# worker: 28.8-30.2 s with 2, 25.9-26.8 s with 4, 22.1-24.7 s with 8).
TASKS_PER_PROCESS = 8
# Niceness added to the extraction and document processes. The reactor thread is the one
# every page waits on (fetch, capture, store, handing tasks out); when it and the workers
# want more CPU than there is, it goes first and the workers take what is left
# (2,000-article benchmark, two workers on two CPUs: median wall 13.80 s at 0, 13.22 s at 10).
WORKER_NICENESS = 10


def auto_workers(cpus: int) -> int:
    """Extraction processes for GOVARC_EXTRACT_WORKERS=auto: one CPU stays with the reactor
    (fetch, capture, store), the rest extract; but two on two CPUs, where the reactor keeps
    its CPU busy only part of the time (2,000-article benchmark: 17.3 s with two processes,
    21.0 s with one, the same CPU time)."""
    return 1 if cpus < 2 else max(2, cpus - 1)


if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


# What a read of an attachment's bytes gives, copied to another URL with the same bytes.
_TEXT_READ = ("status", "reason", "format", "method", "pages", "chars", "text",
              "reader_version")


class WorkerDied(ExtractionError):
    """The worker process died on the task (twice)."""


@dataclass
class DocumentReading:
    """How attachments are read: time budget (s), memory budget (bytes), OCR on or off."""

    budget: float = 60.0
    memory: int = DEFAULT_MEMORY
    ocr: bool = False


@dataclass
class _Lane:
    """A worker pool with its time budget and the tasks handed to it."""

    pool: WorkerPool | None
    budget: float
    slots_count: int
    in_flight: set[asyncio.Future[Any]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.slots_count)


def _pointer(location) -> dict[str, Any]:
    if location is None:
        return {}
    return {
        "warc_filename": location.filename,
        "warc_offset": location.offset,
        "warc_length": location.length,
    }


class ArchivePipeline:
    """Extracts in a pool of worker processes (GOVARC_EXTRACT_WORKERS; 0 = inline), so the
    reactor thread only fetches, captures and stores."""

    def __init__(self, session: ArchiveSession, workers: int,
                 budget: float = DEFAULT_BUDGET, lexicon: str | None = None,
                 documents: DocumentReading | None = None) -> None:
        self.session = session
        self.store = session.store
        self.stats = session.stats
        # Workers leave Ctrl-C to the crawl and exit if it dies without shutting them down
        # (kill -9): a pool worker would otherwise wait for work forever. A task past its
        # time budget has its processes replaced (archive.worker_pool).
        use_lexicon(lexicon)  # for pages checked in this process, and each worker's
        # Up to TASKS_PER_PROCESS tasks per process, one running and the rest queued behind
        # it, so that no process waits for the reactor between pages. A task's budget runs
        # from when it starts: when fewer tasks handed over before it are unfinished than
        # there are processes (the pool is FIFO).
        self.pages = _Lane(WorkerPool(workers, functools.partial(use_lexicon, lexicon)
                                      if lexicon else None, nice=WORKER_NICENESS)
                           if workers > 0 else None,
                           budget, TASKS_PER_PROCESS * max(1, workers))
        # Attachments are read in a process of their own (started at the first one), so
        # that a slow or hostile document never holds up the pages' extraction.
        self.documents = documents or DocumentReading()
        self.docs = _Lane(WorkerPool(1, nice=WORKER_NICENESS), self.documents.budget, 2)
        # The article and its attachment files arrive in either order: whichever comes
        # second settles the attachment's label (the name the article shows for it).
        self.attachment_names: dict[str, str] = {}  # named by an article, file not yet in
        self.unnamed_attachments: set[str] = set()  # file in, article not yet extracted

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        reactor = crawler.settings.get("TWISTED_REACTOR")
        if reactor != ASYNCIO_REACTOR:
            # The pipeline awaits asyncio futures (worker processes, budgets): under another
            # reactor every item would be lost without a word.
            raise ConfigError(f"TWISTED_REACTOR={reactor} is not supported: govarc's pipeline "
                              f"needs {ASYNCIO_REACTOR}")
        workers = crawler.settings.get("GOVARC_EXTRACT_WORKERS")
        if workers in (None, "", "auto"):
            workers = auto_workers(os.cpu_count() or 1)
        settings = crawler.settings
        try:
            documents = DocumentReading(
                budget_from(settings.get("GOVARC_DOCUMENT_BUDGET")),
                memory_from(settings.get("GOVARC_DOCUMENT_MEMORY")),
                settings.getbool("GOVARC_OCR"))
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        return cls(ArchiveSession.of(crawler), int(workers),
                   budget_from(settings.get("GOVARC_EXTRACT_BUDGET")),
                   settings.get("GOVARC_TAMPER_LEXICON") or None, documents)

    def close_spider(self, spider: Spider | None = None) -> None:
        for lane in (self.pages, self.docs):
            if lane.pool is not None:
                lane.pool.shutdown(cancel=True)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if self.session.storage_error is not None:
            return item  # the crawl is stopping: nothing more is stored
        try:
            await self._store(item)
        except StorageError as exc:
            self.session.storage_failed(exc)
        return item

    async def _store(self, item: Any) -> None:
        if isinstance(item, ArticlePage):
            await self._article(item)
        elif isinstance(item, PageCheck):
            await self._check(item)
        elif isinstance(item, AttachmentFile):
            if item.url not in self.attachment_names:
                self.unnamed_attachments.add(item.url)
            self.store.add_attachment(
                {
                    "url": item.url,
                    "article_url": item.article_url,
                    "portal": item.portal,
                    "label": self.attachment_names.pop(item.url, None) or item.label,
                    "mime": item.mime,
                    "payload_length": item.payload_length,
                    "captured_at": item.captured_at or None,
                    "payload_digest": item.warc.payload_digest if item.warc else None,
                    **_pointer(item.warc),
                }
            )
            self.stats.inc_value("govarc/attachments")
            await self._attachment_text(item)
        elif isinstance(item, ArticleGone):
            self.store.mark_removed(item.url, item.status)
            self.stats.inc_value("govarc/articles/removed")
        elif isinstance(item, FetchFailure):
            self._failure(item.url, item.portal, item.kind, item.reason, item.http_status,
                          item.warc)

    def _failure(self, url, portal, kind, reason, status=None, warc=None) -> None:
        # The WARC keeps the failure too (next to the response, if there was one), so that
        # `govarc rebuild` restores the failures table from the WARC files alone.
        self.session.recorder.write_metadata(
            FAILURE_URN + url,
            {"run": self.store.run_id, "portal": portal, "role": "failure", "kind": kind,
             "reason": reason, "http_status": status, "url": url},
            concurrent_to=warc.record_id if warc else None,
        )
        self.store.add_failure(
            {"url": url, "portal": portal, "kind": kind, "reason": reason,
             "http_status": status, **_pointer(warc)}
        )
        self.stats.inc_value(f"govarc/failures/{kind}")

    async def _run(self, function, *args, lane: _Lane | None = None):
        """Run `function(*args)` in a lane's worker pool (by default the pages'; inline
        without one, unbounded); TaskTimeout past the lane's budget."""
        lane = lane or self.pages
        if lane.pool is None:
            return function(*args)
        pool = lane.pool
        async with lane.slots:
            if self.session.storage_error is not None:
                # The crawl is stopping on a storage failure: pages still queued here would
                # only be extracted to be dropped (Scrapy waits for them before closing).
                raise self.session.storage_error
            deaths = 0
            for _ in range(10):  # resubmitted when another task's overrun replaced the pool
                ahead = set(lane.in_flight)
                future, generation = pool.submit(function, *args)
                task = asyncio.wrap_future(future)
                lane.in_flight.add(task)
                try:
                    await self._started(ahead, pool.workers)
                    return await asyncio.wait_for(task, lane.budget)
                except TimeoutError:
                    pool.replace(generation)
                    self.stats.inc_value("govarc/extract/replaced_workers")
                    raise timeout_error(lane.budget) from None
                except (BrokenProcessPool, asyncio.CancelledError) as exc:
                    current = asyncio.current_task()
                    if isinstance(exc, asyncio.CancelledError) and (
                            not future.cancelled() or (current and current.cancelling())):
                        raise  # this coroutine is being cancelled, not the pool's task
                    if pool.generation != generation:
                        continue  # killed for another task's overrun: not this page's doing
                    deaths += 1  # the process died by itself (this page, or another's)
                    if deaths == 2:
                        raise WorkerDied("the extraction process died on this page "
                                         "(twice)") from None
                    pool.replace(generation)
                finally:
                    lane.in_flight.discard(task)
        raise ExtractionError("the extraction processes were replaced ten times while this "
                              "page waited for them")

    @staticmethod
    async def _started(ahead: set[asyncio.Future[Any]], workers: int) -> None:
        """Until a task handed over after `ahead` starts in a process."""
        while len(waiting := [f for f in ahead if not f.done()]) >= workers:
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)

    async def _attachment_text(self, item: AttachmentFile) -> None:
        """Read the attachment's text from its WARC record (in the documents' worker) into
        `attachment_texts`; a document that defeats the reader is a `document-<kind>`
        failure (image-only and unsupported formats are only its row's status)."""
        location = item.warc
        if location is None or item.status != 200 or location.rec_type not in (
                "response", "revisit"):
            return
        digest = location.payload_digest
        row = self.store.attachment_text_of(item.url, digest)
        if row is not None and row["reader_version"] == READER_VERSION and row[
                "status"] not in (TIMEOUT, CRASH) and not (self.documents.ocr and row[
                "status"] == "image-only"):
            if row["url"] == item.url:
                return  # these bytes were read before
            row = {k: row[k] for k in _TEXT_READ}  # the same bytes under another URL
        else:
            row = await self._read_document(item, location)
        self.store.add_attachment_text({
            **row, "url": item.url, "article_url": item.article_url, "portal": item.portal,
            "payload_digest": digest, **_pointer(location)})
        status = row["status"]
        self.stats.inc_value(f"govarc/attachment_texts/{status}")
        if status not in ("ok", "image-only", "unsupported"):
            self._failure(item.url, item.portal, f"document-{status}", row["reason"],
                          item.status, location)

    async def _read_document(self, item: AttachmentFile, location) -> dict[str, Any]:
        source = (location.filename, location.offset)
        if location.rec_type == "revisit":
            self.store.flush()  # the original may be a row of this run still buffered
            first = self.store.first_capture_of(location.payload_digest or "")
            if first is None:
                return failed("corrupt", "a revisit whose original capture is not indexed")
            source = (first["warc_filename"], first["warc_offset"])
        self.session.recorder.flush()  # the worker reads the record from the file
        reading = self.documents
        try:
            return await self._run(text_at, str(self.session.recorder.directory), *source,
                                   reading.ocr, reading.memory, lane=self.docs)
        except TaskTimeout:
            return failed(TIMEOUT, f"reading it took more than {reading.budget:g} s "
                          "(GOVARC_DOCUMENT_BUDGET); kept in the WARC as served")
        except WorkerDied:
            return failed(CRASH, "the reader's process died on it (twice); kept in the "
                          "WARC as served")
        except ExtractionError as exc:
            return failed(CRASH, str(exc))

    def _flags(self, url, portal, flags, warc, when) -> None:
        if flags:
            self.store.add_flags(url, portal, flags, _pointer(warc), when)
            self.stats.inc_value("govarc/flags", len(flags))

    async def _check(self, page: PageCheck) -> None:
        identity = self.session.identities.get(page.portal)
        try:
            flags = await self._run(tamper_flags, page.body, page.url, page.content_type,
                                    identity)
        except TaskTimeout as exc:
            self._failure(page.url, page.portal, "extract-timeout", str(exc), None, page.warc)
            return
        self._flags(page.url, page.portal, flags, page.warc, page.captured_at)

    async def _article(self, page: ArticlePage) -> None:
        identity = self.session.identities.get(page.portal)
        try:
            result = await self._run(extract_article, page.body, page.url, page.content_type,
                                     identity, page.rendered)
        except ExtractionError as exc:
            kind = ("extract-timeout" if isinstance(exc, TaskTimeout)
                    else failure_kind(page.content_type))
            self._failure(page.url, page.portal, kind, str(exc), page.status, page.warc)
            return
        self._flags(page.url, page.portal, result.flags, page.warc, page.captured_at)
        if result.kind != "article":
            self._failure(page.url, page.portal, "not-article", result.reason, page.status,
                          page.warc)
            return
        fields = result.fields
        for attachment in result.attachments:
            url, name = attachment["url"], attachment["name"]
            if url not in page.attachments:
                continue
            if url in self.unnamed_attachments:
                self.unnamed_attachments.discard(url)
                self.store.label_attachment(url, name)
            else:
                self.attachment_names[url] = name
        self.store.add_article({
            **fields,
            "url": page.url,
            "portal": page.portal,
            "section": fields["section"] or page.section,
            "list_section": page.section_id,
            "http_status": page.status,
            "first_seen": page.captured_at,
            "last_seen": page.captured_at,
            "payload_digest": page.warc.payload_digest if page.warc else None,
            **_pointer(page.warc),
        })
        self.stats.inc_value("govarc/articles")
        if fields["method"] not in RULES_METHODS:
            self.stats.inc_value("govarc/articles/fallback")
        self.stats.inc_value(f"govarc/portal/{page.portal}/articles")
