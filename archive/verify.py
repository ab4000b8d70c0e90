"""Prove the archive: WARC files whole and digests right, database pointers true.

Two checks. Every WARC file reads end to end (each gzip member inflates completely and
holds a whole record) and every record's block and payload digests match. Every row of
`articles`, `article_versions`, `captures`, `attachments`, `failures` and `flags` that
points into a WARC file leads to a record of its own URL (a response, or a revisit where
the payload was deduplicated) whose payload digest is the stored one; a revisit record's
WARC-Refers-To must lead to the response holding that payload.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from archive.errors import WarcError
from archive.readonly import read_archive
from archive.warc import OPEN_SUFFIX, warc_files
from archive.warc_repair import members


@dataclass(frozen=True)
class IndexedRecord:
    rec_type: str
    url: str
    payload_digest: str | None
    refers_to: str | None
    record_id: str
    length: int


@dataclass
class VerifyReport:
    files: int = 0
    records: int = 0
    rows: int = 0
    problems: list[str] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_file(path: Path, index: dict[tuple[str, int], IndexedRecord],
                by_id: dict[str, IndexedRecord]) -> Iterator[str]:
    damaged = False
    with open(path, "rb") as fh:
        end = 0
        for member in members(fh):
            if not member.complete:
                damaged = True
                yield (f"{path.name}:{member.offset}: truncated or corrupt record "
                       f"({path.stat().st_size - member.offset} bytes to the end of the file "
                       "cannot be read)")
                break
            end = member.offset + member.length
    good_end = end
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=True)
        try:
            for record in iterator:
                while record.raw_stream.read(1 << 16):
                    pass
                iterator.read_to_end()
                offset = iterator.get_record_offset()
                if offset >= good_end:
                    break
                headers = record.rec_headers
                indexed = IndexedRecord(
                    rec_type=record.rec_type,
                    url=headers.get_header("WARC-Target-URI") or "",
                    payload_digest=headers.get_header("WARC-Payload-Digest"),
                    refers_to=headers.get_header("WARC-Refers-To"),
                    record_id=headers.get_header("WARC-Record-ID") or "",
                    length=iterator.get_record_length(),
                )
                index[(path.name, offset)] = indexed
                by_id[indexed.record_id] = indexed
                checker = record.digest_checker
                if checker.passed is False:
                    for problem in checker.problems:
                        yield f"{path.name}:{offset}: {problem}"
        except Exception as exc:  # any damage warcio stumbles on is a finding, not a crash
            if not damaged:
                yield f"{path.name}: unreadable after offset {good_end}: {exc}"


_POINTER_TABLES = {
    "articles": "url, payload_digest",
    "article_versions": "url, payload_digest",
    "captures": "url, payload_digest",
    "attachments": "url, payload_digest",
    "failures": "url, NULL",
    "flags": "url, NULL",
}


def verify(warc_dir: str | os.PathLike[str], db_path: str | os.PathLike[str] | None
           ) -> VerifyReport:
    """Check the WARC files of `warc_dir`, and the pointers of the database at `db_path`.

    A missing database or WARC folder is an error (MissingArchive, WarcError), never an
    empty archive that verifies; a WARC folder without WARC files is a problem."""
    warc_dir = Path(warc_dir)
    db = read_archive(db_path) if db_path is not None else None
    try:
        return _verify(warc_dir, db)
    finally:
        if db is not None:
            db.close()


def _verify(warc_dir: Path, db: sqlite_utils.Database | None) -> VerifyReport:
    if not warc_dir.is_dir():
        raise WarcError(f"no WARC folder at {warc_dir}")
    report = VerifyReport(problems=[])
    assert report.problems is not None
    index: dict[tuple[str, int], IndexedRecord] = {}
    by_id: dict[str, IndexedRecord] = {}
    for leftover in sorted(warc_dir.glob("*" + OPEN_SUFFIX)):
        report.problems.append(f"{leftover.name}: still open (a crawl is running, or one was "
                               "killed: the next crawl repairs it)")
    files = list(warc_files(warc_dir))
    if not files:
        report.problems.append(f"{warc_dir}: no WARC files")
    present = {p.name for p in files}
    for path in files:
        report.files += 1
        report.problems.extend(_check_file(path, index, by_id))
    report.records = len(index)
    if db is None:
        return report
    missing: dict[str, int] = {}
    for table, columns in _POINTER_TABLES.items():
        for url, digest, filename, offset, length in db.execute(
            f"SELECT {columns}, warc_filename, warc_offset, warc_length FROM {table} "
            "WHERE warc_filename IS NOT NULL"
        ):
            report.rows += 1
            if filename not in present:
                missing[filename] = missing.get(filename, 0) + 1
                continue
            report.problems.extend(_check_pointer(table, url, digest, filename, offset, length,
                                                  index, by_id))
    for filename, rows in sorted(missing.items()):
        report.problems.append(f"{filename}: missing, referenced by {rows} database rows")
    return report


def _check_pointer(table: str, url: str, digest: str | None, filename: str, offset: int,
                   length: int | None, index: dict[tuple[str, int], IndexedRecord],
                   by_id: dict[str, IndexedRecord]) -> Iterator[str]:
    """Problems of one row's pointer: its record must be of its URL, of its length, with
    its payload digest; a revisit record's WARC-Refers-To must lead to the response that
    holds that payload (the way a replay tool finds it)."""
    where = f"{filename}:{offset}"
    record = index.get((filename, offset))
    if record is None:
        yield f"{where}: no record starts here ({table} row for {url})"
        return
    if record.url != url:
        yield f"{where}: record is for {record.url}, the {table} row for {url}"
    if length is not None and record.length != length:
        yield f"{where}: record is {record.length} bytes, the {table} row says {length}"
    if digest and record.payload_digest != digest:
        yield (f"{where}: payload digest {record.payload_digest} ≠ {digest} stored in "
               f"{table} for {url}")
    if record.rec_type == "revisit":
        original = by_id.get(record.refers_to or "")
        if original is None:
            yield (f"{where}: revisit of {url} refers to {record.refers_to}, which is in no "
                   "WARC file here")
        elif original.rec_type != "response" or original.payload_digest != record.payload_digest:
            yield (f"{where}: revisit of {url} refers to {record.refers_to}, a "
                   f"{original.rec_type} record with payload {original.payload_digest}")
