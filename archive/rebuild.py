"""Re-derive the archive database from the WARC files alone, with no network.

Every exchange in a govarc WARC file is a response (or revisit), a request and a metadata
record holding the crawl context (run, portal, section, role); failures and run summaries
are metadata records too. Reading the files in order and extracting the article responses
again gives the same articles, versions, captures, attachments and failures as the crawl
that wrote them (with today's extractor, so a rebuild also re-extracts).

Extraction and the tamper watch run in a pool of worker processes (`workers`, by default
GOVARC_REBUILD_WORKERS or one per CPU; 0 runs them in this process) while this process
reads the WARC files and writes SQLite. Everything derived from a record is written in the
order of the WARC files all the same (`archive.ordered_work`), so the result does not
depend on the number of workers.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive import alarms
from archive.access import access_problem
from archive.articles import ArticleResult, PortalIdentity, extract_article, tamper_flags
from archive.attachment_text import (
    CRASH,
    MEMORY_ENV,
    TIMEOUT,
    failed,
    memory_from,
    text_of_record,
)
from archive.errors import ExtractionError, NotAnArticle, StoreError, WarcError
from archive.ordered_work import OrderedWork
from archive.refresh import HEAD, refresh_target
from archive.store import Store
from archive.tamper import use_lexicon
from archive.transfer import encoding_intact, failure_kind
from archive.warc import METADATA_TYPE, warc_files
from archive.warc_read import PAGE_MAXSIZE, BodyTooLarge, StoredRecord, iter_records, read_record
from archive.worker_pool import TaskTimeout, budget_from

# Failure kinds the rebuild derives again from the responses themselves.
RECOMPUTED_FAILURES = {"parse", "not-article", "not-html", "extract-timeout"}
DOCUMENT_FAILURE = "document-"  # an attachment's text could not be read: read again
# An attachment text's status that is a failure of its own (the others: ok, image-only and
# unsupported, are only the row's status).
NOT_FAILURES = {"ok", "image-only", "unsupported"}


@dataclass
class RebuildSummary:
    files: int = 0
    records: int = 0
    runs: int = 0
    articles: int = 0
    failures: int = 0
    problems: list[str] = field(default_factory=list)


def _pointer(record: StoredRecord, path: Path) -> dict[str, Any]:
    return {"warc_filename": path.name, "warc_offset": record.offset,
            "warc_length": record.length}


def _header(record: StoredRecord, name: str) -> str | None:
    return record.header(name)


def default_workers() -> int:
    """One extraction process per CPU."""
    return os.cpu_count() or 1


def extract_page(source: StoredRecord, url: str, content_type: str | None,
                 identity: PortalIdentity | None, limit: int = PAGE_MAXSIZE,
                 rendered: bytes | None = None
                 ) -> tuple[ArticleResult | None, ExtractionError | WarcError | None]:
    """(result, None) or (None, why not) for an article response (runs in a pool worker);
    `rendered` is the DOM a browser made of it (its conversion record), if any.

    A body that decodes past `limit` (the crawl's page size limit) gives BodyTooLarge."""
    try:
        return extract_article(source.decoded(limit), url, content_type, identity,
                               rendered), None
    except (ExtractionError, WarcError) as exc:
        return None, exc


def list_page_flags(record: StoredRecord, content_type: str | None,
                    identity: PortalIdentity | None
                    ) -> tuple[list[dict[str, Any]], WarcError | None]:
    """The tamper watch's flags on a list page (runs in a pool worker)."""
    try:
        return tamper_flags(record.body, record.url, content_type, identity), None
    except BodyTooLarge:
        return [], None  # the crawl failed it as too-large and checked nothing
    except WarcError as exc:
        return [], exc


def article_row(result: ArticleResult, record: StoredRecord, path: Path,
                context: dict[str, Any]) -> dict[str, Any]:
    """The articles row for an extracted article, as the crawler's pipeline writes it."""
    fields = result.fields
    return {
        **fields,
        "url": record.url, "portal": context.get("portal"),
        "section": fields["section"] or context.get("section_name") or context.get("section"),
        "list_section": context.get("section"),
        "http_status": record.status, "first_seen": record.warc_date,
        "last_seen": record.warc_date, "payload_digest": record.payload_digest,
        **_pointer(record, path),
    }


class Rebuilder:
    """Reads records in WARC order; `work` runs extraction and the store writes in order."""

    def __init__(self, warc_dir: Path, store: Store, work: OrderedWork | None = None) -> None:
        self.warc_dir = warc_dir
        self.store = store
        self.work = work or OrderedWork(0)
        self.summary = RebuildSummary()
        self.responses: dict[str, tuple[StoredRecord, Path]] = {}  # awaiting their context
        self.requests: dict[str, StoredRecord] = {}
        self.rendered: dict[str, StoredRecord] = {}  # response record id -> its DOM record
        self.payloads: dict[str, tuple[Path, int]] = {}  # response record id -> location
        # response or revisit record id -> pointer: what failure records point at
        self.pointers: dict[str, dict[str, Any]] = {}
        self.runs: dict[int, dict[str, Any]] = {}
        self.attachment_names: dict[str, str] = {}
        self.identities: dict[int, dict[str, PortalIdentity]] = {}  # run -> portal -> identity
        self.page_limits: dict[int, int] = {}  # run -> the crawl's DOWNLOAD_MAXSIZE
        self.ocr_runs: dict[int, bool] = {}  # run -> whether its crawl read images by OCR
        self.document_reads: dict[str | None, dict[str, Any]] = {}  # digest -> its read
        self.document_memory = memory_from(os.environ.get(MEMORY_ENV))

    def run(self, progress: Callable[[Path], None] | None = None) -> RebuildSummary:
        for path in warc_files(self.warc_dir):
            if progress:
                progress(path)
            self.summary.files += 1
            try:
                for record in iter_records(path):
                    self.summary.records += 1
                    self._record(record, path)
            except WarcError as exc:
                self.work.later(lambda p=path, e=exc: self.summary.problems.append(
                    f"{p.name}: {e}"))
        self.work.finish()
        self._finish_runs()
        return self.summary

    def _use_run(self, run: int | None, date: str) -> None:
        if run is None:
            return
        if run not in self.runs:
            self.store.flush()
            # A run whose end record never came: killed, or stopped by its disk.
            self.runs[run] = {"id": run, "started_at": date, "status": "failed",
                              "error": "no end-of-run record in the WARC files: the crawl "
                                       "was killed or ran out of storage"}
            with self.store.db.conn:
                self.store.db.table("crawl_runs").upsert(self.runs[run], pk="id")
        if self.store.run_id != run:
            self.store.flush()
            self.store.run_id = run

    def _record(self, record: StoredRecord, path: Path) -> None:
        if record.rec_type in ("response", "revisit"):
            self.responses[record.record_id] = (record, path)
            self.pointers[record.record_id] = _pointer(record, path)
            if record.rec_type == "response":
                self.payloads[record.record_id] = (path, record.offset)
        elif record.rec_type == "request" and record.concurrent_to:
            self.requests[record.concurrent_to] = record
        elif record.rec_type == "conversion" and record.refers_to:
            self.rendered[record.refers_to] = record  # a browser's DOM of that response
        elif record.rec_type == "metadata" and (record.content_type or "").startswith(
                METADATA_TYPE):
            try:
                context = json.loads(record.raw_body)
            except ValueError:
                self.summary.problems.append(f"{path.name}:{record.offset}: unreadable metadata")
                return
            self._context(context, record, path)

    def _context(self, context: dict[str, Any], record: StoredRecord, path: Path) -> None:
        """Match a metadata record to its exchange; queue what it adds to the database."""
        later = self.work.later
        role = context.get("role")
        if role == "run":
            later(lambda: self._run_summary(context))
            return
        if role == "run-start":
            self.identities[context.get("run")] = {
                pid: PortalIdentity.from_dict(data)
                for pid, data in (context.get("identities") or {}).items()}
            if isinstance(context.get("page_maxsize"), int):
                self.page_limits[context["run"]] = context["page_maxsize"]
            self.ocr_runs[context.get("run")] = context.get("ocr") is True
            return
        later(lambda: self._use_run(context.get("run"), record.warc_date))
        if role == "failure":
            kind = str(context.get("kind"))
            if kind not in RECOMPUTED_FAILURES and not kind.startswith(DOCUMENT_FAILURE):
                pointer = self.pointers.get(record.concurrent_to or "", {})
                later(lambda: self.store.add_failure({
                    # govarc before 0.2 wrote the failing URL as the record's target URI
                    "url": context.get("url") or record.url, "portal": context.get("portal"),
                    "kind": context.get("kind"), "reason": context.get("reason"),
                    "http_status": context.get("http_status"),
                    "occurred_at": record.warc_date, **pointer}))
            return
        response_id = record.concurrent_to or ""
        found = self.responses.pop(response_id, None)
        request = self.requests.pop(response_id, None)
        rendered = self.rendered.pop(response_id, None)
        if found is None:
            return
        response, response_path = found
        later(lambda: self._capture(response, response_path, request, context))
        if role == "article":
            self._article(response, response_path, context, rendered)
        elif role == "list" and context.get("list_kind", "list") == "list":
            self._list_page(response, response_path, context)
        elif role == "attachment" and response.status == 200:
            later(lambda: self._attachment(response, response_path, context))
            self._attachment_text(response, response_path, context)

    def _capture(self, record: StoredRecord, path: Path, request: StoredRecord | None,
                 context: dict[str, Any]) -> None:
        self.store.add_capture({
            "portal": context.get("portal"), "url": record.url,
            "method": request.method if request else None, "status": record.status,
            "mime": _header(record, "Content-Type"), "etag": _header(record, "ETag"),
            "last_modified": _header(record, "Last-Modified"),
            "payload_length": len(record.raw_body) if record.rec_type == "response" else None,
            "captured_at": record.warc_date, "record_type": record.rec_type,
            "record_id": record.record_id, "warc_date": record.warc_date,
            "payload_digest": record.payload_digest, **_pointer(record, path),
            "request_offset": request.offset if request else None,
            "request_length": request.length if request else None,
        })

    def _payload_record(self, record: StoredRecord) -> StoredRecord:
        """The record holding the payload: the response itself, or a revisit's original."""
        if record.rec_type == "response":
            return record
        original = self.payloads.get(record.refers_to or "")
        if original is None:
            raise WarcError(f"revisit of {record.url} refers to {record.refers_to}, "
                            "which is not in these WARC files")
        return read_record(*original)

    def _article(self, record: StoredRecord, path: Path, context: dict[str, Any],
                 rendered: StoredRecord | None = None) -> None:
        """Queue the extraction of an article response (or its removal, or nothing)."""
        status = record.status or 0
        if status in (404, 410):
            self.work.later(lambda: self._removed(record, status))
            return
        if not 200 <= status < 300:
            return  # 304 unchanged, or an HTTP error kept as a failure record
        headers = dict(record.headers)
        raw = record.raw_body if record.rec_type == "response" else b""
        if access_problem(status, headers, raw) is not None or not encoding_intact(
                raw, _header(record, "Content-Encoding")):
            return  # a challenge page or a cut transfer: its failure record is restored
        if refresh_target(record.head(HEAD * 4), record.url) is not None:
            return  # left by meta refresh: the crawl never read it as a page
        try:
            source = self._payload_record(record)
        except WarcError as exc:
            self.work.later(lambda e=exc: self._article_failed(record, context, e,
                                                               _pointer(record, path)))
            return
        identity = self.identities.get(context.get("run"), {}).get(context.get("portal"))
        limit = self.page_limits.get(context.get("run"), PAGE_MAXSIZE)
        dom = rendered.raw_body if rendered is not None else None
        self.work.submit(
            extract_page, source, record.url, _header(record, "Content-Type"), identity, limit,
            dom,
            then=lambda out: self._article_done(record, path, context, *out),
            on_timeout=lambda error: (None, error))

    def _removed(self, record: StoredRecord, status: int) -> None:
        self.store.flush()
        if self.store.db.execute("SELECT 1 FROM articles WHERE url = ?",
                                 [record.url]).fetchone():
            self.store.mark_removed(record.url, status)  # archived before, gone now

    def _article_failed(self, record: StoredRecord, context: dict[str, Any],
                        exc: ExtractionError | WarcError, pointer: dict[str, Any]) -> None:
        kind = ("not-article" if isinstance(exc, NotAnArticle)
                else "extract-timeout" if isinstance(exc, TaskTimeout)
                else failure_kind(_header(record, "Content-Type")))
        self.store.add_failure({"url": record.url, "portal": context.get("portal"),
                                "kind": kind, "reason": str(exc), "http_status": record.status,
                                "occurred_at": record.warc_date, **pointer})

    def _article_done(self, record: StoredRecord, path: Path, context: dict[str, Any],
                      result: ArticleResult | None,
                      error: ExtractionError | WarcError | None) -> None:
        """Write what the extraction of one article response gave (in WARC order)."""
        if isinstance(error, BodyTooLarge):
            return  # the crawl failed it as too-large: its failure record is restored
        pointer = _pointer(record, path)  # the exchange's own record, like the crawl's rows
        if result is not None and result.flags:
            self.store.add_flags(record.url, context.get("portal"), result.flags, pointer,
                                 record.warc_date)
        if result is not None and result.kind != "article":
            error = NotAnArticle(result.reason)
        if error is not None or result is None:
            self._article_failed(record, context, error or NotAnArticle(""), pointer)
            return
        row = article_row(result, record, path, context)
        for attachment in result.attachments:
            self.attachment_names[attachment["url"]] = attachment["name"]
        self.store.add_article(row)
        self.summary.articles += 1

    def _list_page(self, record: StoredRecord, path: Path, context: dict[str, Any]) -> None:
        """The tamper watch on an HTML list page, as the crawl ran it."""
        raw = record.raw_body if record.rec_type == "response" else b""
        mime = (_header(record, "Content-Type") or "").lower()
        if (record.status != 200 or record.rec_type != "response" or "html" not in mime
                or access_problem(200, dict(record.headers), raw) is not None
                or not encoding_intact(raw, _header(record, "Content-Encoding"))):
            return
        identity = self.identities.get(context.get("run"), {}).get(context.get("portal"))
        if identity is None:
            return  # the tamper watch needs the portal's identity (tamper_flags gives [])
        self.work.submit(list_page_flags, record, _header(record, "Content-Type"), identity,
                         then=lambda out: self._list_page_done(record, path, context, *out),
                         on_timeout=lambda error: ([], error))

    def _list_page_done(self, record: StoredRecord, path: Path, context: dict[str, Any],
                        flags: list[dict[str, Any]], error: Exception | None) -> None:
        if isinstance(error, TaskTimeout):
            self.store.add_failure({"url": record.url, "portal": context.get("portal"),
                                    "kind": "extract-timeout", "reason": str(error),
                                    "http_status": record.status,
                                    "occurred_at": record.warc_date, **_pointer(record, path)})
        elif error is not None:
            self.summary.problems.append(f"{path.name}:{record.offset}: {error}")
        elif flags:
            self.store.add_flags(record.url, context.get("portal"), flags,
                                 _pointer(record, path), record.warc_date)

    def _attachment(self, record: StoredRecord, path: Path, context: dict[str, Any]) -> None:
        try:
            source = self._payload_record(record)
        except WarcError as exc:
            self.summary.problems.append(str(exc))
            return
        self.store.add_attachment({
            "url": record.url, "article_url": context.get("article_url"),
            "portal": context.get("portal"),
            "label": self.attachment_names.get(record.url) or record.url.rsplit("/", 1)[-1],
            "mime": _header(record, "Content-Type"), "payload_length": len(source.raw_body),
            "captured_at": record.warc_date, "payload_digest": source.payload_digest,
            **_pointer(record, path)})

    def _attachment_text(self, record: StoredRecord, path: Path,
                         context: dict[str, Any]) -> None:
        """Queue the read of an attachment's text, as the crawl's pipeline reads it."""
        try:
            source = self._payload_record(record)
        except WarcError:
            return  # the attachment row's problem is reported already
        digest = source.payload_digest
        if digest in self.document_reads:
            row = self.document_reads[digest]
            self.work.later(lambda: self._attachment_text_done(record, path, context, row))
            return
        ocr = self.ocr_runs.get(context.get("run"), False)
        self.work.submit(
            text_of_record, source, ocr, self.document_memory,
            then=lambda row: self._attachment_text_done(record, path, context, row),
            on_timeout=lambda error: failed(TIMEOUT, f"{error} (reading the document)"))

    def _attachment_text_done(self, record: StoredRecord, path: Path,
                              context: dict[str, Any], row: dict[str, Any]) -> None:
        digest = record.payload_digest
        if row["status"] not in (TIMEOUT, CRASH):
            self.document_reads[digest] = row
        pointer = _pointer(record, path)
        self.store.add_attachment_text({
            **row, "url": record.url, "article_url": context.get("article_url"),
            "portal": context.get("portal"), "payload_digest": digest,
            "extracted_at": record.warc_date, **pointer})
        if row["status"] not in NOT_FAILURES:
            self.store.add_failure({
                "url": record.url, "portal": context.get("portal"),
                "kind": f"{DOCUMENT_FAILURE}{row['status']}", "reason": row["reason"],
                "http_status": record.status, "occurred_at": record.warc_date, **pointer})

    def _run_summary(self, context: dict[str, Any]) -> None:
        run = context.get("run")
        if run is None:
            return
        self.store.flush()
        info = self.runs.setdefault(run, {"id": run})
        info.update({k: context.get(k) for k in ("status", "started_at", "finished_at",
                                                  "error")})
        info["portals"] = ",".join(p["id"] for p in context.get("portals", []))
        with self.store.db.conn:
            self.store.db.table("crawl_runs").upsert(info, pk="id")
            if context.get("portals"):
                self.store.db.table("portals").upsert_all(
                    [{**p, "updated_at": context.get("finished_at")} for p in context["portals"]],
                    pk="id")
            for section in context.get("sections", []):
                self.store.db.table("sections").upsert(
                    {**section, "id": f"{section['portal']}/{section['section']}",
                     "last_started_run": run}, pk="id")

    def _finish_runs(self) -> None:
        """Counts per run, from the rows the rebuild wrote."""
        self.store.flush()
        db = self.store.db
        with db.conn:
            for run in self.runs:
                counts = {
                    "articles_new": "SELECT count(*) FROM article_versions WHERE run_id = ? "
                                    "AND version = 1",
                    "articles_changed": "SELECT count(*) FROM article_versions "
                                        "WHERE run_id = ? AND version > 1",
                    "articles_removed": "SELECT count(*) FROM articles WHERE removed_run = ?",
                    "captures": "SELECT count(*) FROM captures WHERE run_id = ?",
                    "failures": "SELECT count(*) FROM failures WHERE run_id = ?",
                    "flags": "SELECT count(*) FROM flags WHERE run_id = ?",
                }
                db.table("crawl_runs").update(
                    run, {k: db.execute(sql, [run]).fetchone()[0] for k, sql in counts.items()})
        for run in sorted(self.runs):  # each judged against the runs before it, as the crawl did
            raised = alarms.record(db, run)
            with db.conn:
                db.table("crawl_runs").update(run, {"alarms": len(raised)})
        self.summary.runs = len(self.runs)
        self.summary.failures = db.execute("SELECT count(*) FROM failures").fetchone()[0]


def rebuild(warc_dir: str | os.PathLike[str], db_path: str | os.PathLike[str],
            progress: Callable[[Path], None] | None = None,
            workers: int | None = None, budget: float | None = None,
            lexicon: str | os.PathLike[str] | None = None) -> RebuildSummary:
    """Build a new archive database at `db_path` from the WARC files in `warc_dir`.

    `workers` extraction processes (default: `default_workers()`; 0 extracts in this
    process); they are stopped before this returns or raises. `budget`: seconds a page's
    extraction may take (default 30, as in the crawl); `lexicon`: the tamper lexicon's
    user file, if the crawl had one."""
    db_path, warc_dir = Path(db_path), Path(warc_dir)
    if db_path.exists():
        raise StoreError(f"{db_path} exists; rebuild writes a new database (move the old one "
                         "away or pick another --db)")
    if not any(warc_files(warc_dir)):
        raise WarcError(f"no WARC files in {warc_dir}")
    use_lexicon(lexicon)
    work = OrderedWork(default_workers() if workers is None else workers,
                       budget=budget_from(budget),
                       setup=functools.partial(use_lexicon, lexicon) if lexicon else None)
    try:
        store = Store(db_path, batch_size=500, max_delay=3600)
        try:
            summary = Rebuilder(warc_dir, store, work).run(progress)
        finally:
            store.close()
    finally:
        work.close(cancel=True)
    return summary
