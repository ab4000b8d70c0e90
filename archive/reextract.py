"""Re-derive articles from the WARC files with the current extractor, with provenance.

For the rows an older extractor produced (`extractor_version` below the one asked for),
the response each row points at is read back (a revisit's original through the captures
table) and extracted again, off the network. What changes is written as the extractor's
doing: a row whose text or displayed metadata (title, date, source, author) change gets a
new `article_versions` row with `cause = 'extractor'` and the capture it was read from, so
`govarc history` never confuses it with a change on the site; a row whose fields stay
the same only has its extractor fields updated. A page the current extractor finds no
text on keeps its row (nothing archived is dropped) and is counted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.errors import ExtractionError, WarcError
from archive.extract import EXTRACTOR_VERSION
from archive.lock import acquire
from archive.ordered_work import OrderedWork
from archive.rebuild import extract_page
from archive.schema import connect, utc_now
from archive.warc_read import PAGE_MAXSIZE, StoredRecord, read_record, rendered_after
from archive.worker_pool import budget_from

SHOWN = ("title", "published_at", "source", "author")  # a change here is a new version
UPDATED = ("site_name", "site_id_code", "canonical_url", "keywords", "description",
           "section", "method", "confidence", "extractor_version", "page_kind", "template")


@dataclass
class ReextractSummary:
    examined: int = 0
    changed: int = 0  # new text or displayed metadata: a version caused by the extractor
    refreshed: int = 0  # the same fields; only the extractor's own columns updated
    no_text: int = 0  # the current extractor finds no text: the row is kept as it was
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.examined} articles re-extracted with extractor {EXTRACTOR_VERSION}: "
                f"{self.changed} changed (new versions caused by the extractor), "
                f"{self.refreshed} the same, {self.no_text} with no text now (kept), "
                f"{len(self.problems)} problems")


def _source(db: Any, warc_dir: Path, row: dict[str, Any]) -> StoredRecord:
    """The response record holding the row's payload (a revisit's original)."""
    record = read_record(warc_dir / row["warc_filename"], row["warc_offset"])
    if record.rec_type == "response":
        return record
    found = db.execute("SELECT warc_filename, warc_offset FROM captures WHERE "
                       "payload_digest = ? AND record_type = 'response' ORDER BY id LIMIT 1",
                       [row["payload_digest"]]).fetchone()
    if found is None:
        raise WarcError(f"{row['url']}: its revisit's original is not in the captures")
    return read_record(warc_dir / found[0], found[1])


def _rendered(warc_dir: Path, row: dict[str, Any]) -> bytes | None:
    """The DOM a browser rendered of the row's page, for pages fetched by the browser."""
    if not str(row.get("method") or "").startswith("rendered-"):
        return None
    record = read_record(warc_dir / row["warc_filename"], row["warc_offset"])
    found = rendered_after(warc_dir / row["warc_filename"], row["warc_offset"],
                           row["warc_length"], record.record_id)
    return found.raw_body if found is not None else None


def reextract(db_path: str | os.PathLike[str], warc_dir: str | os.PathLike[str],
              portal: str | None = None, section: str | None = None,
              before_version: int = EXTRACTOR_VERSION, workers: int = 0,
              budget: float | None = None,
              progress: Callable[[int], None] | None = None) -> ReextractSummary:
    """Re-extract the archive's articles older than `before_version` (see the module)."""
    db_path, warc_dir = Path(db_path), Path(warc_dir)
    lock = acquire(db_path)  # no crawl writes meanwhile
    summary = ReextractSummary()
    try:
        db = connect(db_path)
        where, params = ["coalesce(extractor_version, 1) < ?"], [before_version]
        if portal:
            where.append("portal = ?")
            params.append(portal)
        if section:
            where.append("coalesce(list_section, section) = ?")
            params.append(section)
        rows = list(db.query(f"SELECT * FROM articles WHERE {' AND '.join(where)} ORDER BY id",
                             params))
        work = OrderedWork(workers, budget=budget_from(budget))
        try:
            for row in rows:
                try:
                    source = _source(db, warc_dir, row)
                except WarcError as exc:
                    summary.problems.append(str(exc))
                    continue
                content_type = next((v for k, v in source.headers
                                     if k.lower() == "content-type"), None)
                dom = _rendered(warc_dir, row)
                work.submit(extract_page, source, row["url"], content_type, None,
                            PAGE_MAXSIZE, dom,
                            then=lambda out, r=row, s=source: _apply(db, r, s, *out, summary),
                            on_timeout=lambda error: (None, error))
                if progress:
                    progress(summary.examined)
            work.finish()
        finally:
            work.close(cancel=True)
        db.close()
    finally:
        lock.release()
    return summary


def _apply(db: Any, row: dict[str, Any], source: StoredRecord, result: Any,
           error: ExtractionError | WarcError | None, summary: ReextractSummary) -> None:
    """Write what one re-extraction gave."""
    summary.examined += 1
    if error is not None:
        summary.problems.append(f"{row['url']}: {error}")
        return
    if result is None or result.kind != "article":
        summary.no_text += 1
        return
    fields = result.fields
    changed = fields["content_hash"] != row["content_hash"] or any(
        (fields.get(name) or None) != (row.get(name) or None) for name in SHOWN)
    update = {name: fields.get(name) for name in UPDATED if name in fields}
    if fields.get("section") is None:
        update.pop("section", None)  # keep the section the list gave
    with db.conn:
        if changed:
            version = (row["version"] or 1) + 1
            shown = {name: fields.get(name) for name in SHOWN}
            published_date = (fields.get("published_at") or "")[:10] or None
            db.table("articles").update(row["id"], {
                **update, **shown, "published_date": published_date, "text": fields["text"],
                "content_hash": fields["content_hash"], "version": version})
            db.table("article_versions").insert({
                "url": row["url"], "version": version, "content_hash": fields["content_hash"],
                **shown, "published_date": published_date, "text": fields["text"],
                **{k: update.get(k) for k in ("method", "confidence", "extractor_version",
                                              "page_kind", "template")},
                "captured_at": source.warc_date, "run_id": None, "cause": "extractor",
                "reextracted_at": utc_now(), "warc_filename": row["warc_filename"],
                "warc_offset": row["warc_offset"], "warc_length": row["warc_length"],
                "payload_digest": row["payload_digest"]})
            summary.changed += 1
        else:
            db.table("articles").update(row["id"], update)
            summary.refreshed += 1
