"""Replay: a CDXJ index of the WARC files and a WACZ package of the archive.

The index is made by webrecorder's cdxj-indexer (the indexer behind py-wacz): one line
per `response` and `revisit` record, `SURT-key timestamp {json}`, sorted, each naming its
WARC file relative to the WARC folder, so pywb and ReplayWeb.page can find captures.

The WACZ (https://specs.webrecorder.net/wacz/1.1.1/) is written here rather than by
py-wacz, whose dependencies clash with govarc's. It is a ZIP of the closed WARC files
(`archive/`, stored uncompressed), the index as gzip blocks with their block index
(`indexes/index.cdx.gz` + `indexes/index.idx`, as py-wacz writes them), one page per
archived article (`pages/pages.jsonl`), and `datapackage.json` listing every file with its
size and sha256, itself hashed in `datapackage-digest.json`. Files are streamed into the
ZIP and hashed on the way, so memory stays constant whatever the archive's size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils
from cdxj_indexer.main import CDXJIndexer, CompressedWriter, SortingWriter

from archive.errors import WarcError
from archive.readonly import read_archive
from archive.warc import warc_files
from archive.warc_read import read_record

WACZ_VERSION = "1.1.1"
INDEXED_RECORDS = "response,revisit"  # metadata records share the page URL: keep them out
INDEX_BLOCK_LINES = 1024  # CDXJ lines per gzip block, as py-wacz and ArchiveWeb.page
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
_CHUNK = 1 << 20
_RESOURCE_NAME = re.compile(r"[^-a-z0-9._/]")  # Frictionless: names are lower-case slugs


@dataclass(frozen=True)
class WaczSummary:
    """What `write_wacz` packed."""

    path: Path
    warc_files: int
    index_lines: int
    pages: int
    size: int  # bytes of the .wacz file
    skipped_pages: int = 0  # articles whose record lies in no exported WARC file


class _Indexer(CDXJIndexer):
    """CDXJIndexer counting the lines it writes."""

    lines = 0

    def _do_write(self, urlkey: str, ts: str, index: dict[str, Any], out: Any) -> None:
        self.lines += 1
        super()._do_write(urlkey, ts, index, out)


class _Blocks(CompressedWriter):
    """The ZipNum writer, without the empty gzip block it adds when lines run out evenly."""

    def flush(self) -> None:
        if self.block:
            super().flush()


class _Hashing:
    """A write-through byte stream that counts and sha256-hashes what passes."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.out.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.out.flush()


def _index(inputs: Sequence[Path], warc_dir: Path, out: Any) -> int:
    """Index `inputs` into `out` (a writer of sorted lines); returns the line count."""
    sorter = SortingWriter(out)
    indexer = _Indexer(sorter, [str(p) for p in inputs], post_append=True,
                       records=INDEXED_RECORDS, dir_root=str(warc_dir))
    indexer.process_all()
    sorter.flush()  # writes the sorted lines (merging spilled runs for a large archive)
    return indexer.lines


def write_cdxj(warc_dir: str | os.PathLike[str], out: TextIO) -> int:
    """Write the sorted CDXJ index of every closed WARC file in `warc_dir` to `out`.

    Returns the number of lines: one per response or revisit record.
    """
    warc_dir = Path(warc_dir)
    return _index(list(warc_files(warc_dir)), warc_dir, out)


def _zip_entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, time.gmtime()[:6])
    info.compress_type = compress
    return info


def _resource(path: str, hashing: _Hashing) -> dict[str, Any]:
    name = _RESOURCE_NAME.sub("-", os.path.basename(path).lower())
    return {"name": name, "path": path, "hash": "sha256:" + hashing.sha256.hexdigest(),
            "bytes": hashing.size}


def _iso(date: str) -> str:
    """A WARC-Date as RFC 3339 (it already is; only normalise the zone)."""
    return date.replace("+00:00", "Z")


def _pages(db: sqlite_utils.Database, warc_dir: str | os.PathLike[str],
           filenames: set[str]) -> Iterator[dict[str, Any] | None]:
    """The WACZ page of each article archived in one of `filenames`; None for the others.

    `ts` is the WARC-Date of the article's record (from its capture row, or the record).
    """
    rows = db.conn.execute(
        "SELECT a.url, a.title, a.warc_filename, a.warc_offset, "
        " (SELECT c.warc_date FROM captures c WHERE c.url = a.url "
        "  AND c.warc_filename = a.warc_filename AND c.warc_offset = a.warc_offset "
        "  LIMIT 1) "
        "FROM articles a WHERE a.warc_filename IS NOT NULL ORDER BY a.id")
    for url, title, filename, offset, warc_date in rows:
        if filename not in filenames:
            yield None
            continue
        if not warc_date:
            warc_date = read_record(Path(warc_dir) / filename, offset).warc_date
        ts = _iso(warc_date)
        page = {"id": hashlib.sha1(f"{ts} {url}".encode()).hexdigest()[:16],
                "url": url, "ts": ts}
        if title:
            page["title"] = title
        yield page


def _software() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"govarc {version('govarc')}, cdxj-indexer {version('cdxj-indexer')}"
    except PackageNotFoundError:
        return "govarc"


def write_wacz(warc_dir: str | os.PathLike[str], db_path: str | os.PathLike[str],
               out_path: str | os.PathLike[str], *, title: str = "govarc archive",
               description: str | None = None) -> WaczSummary:
    """Package the closed WARC files of `warc_dir` and the articles of the database at
    `db_path` as a WACZ 1.1.1 file at `out_path` (written aside, then moved in place)."""
    warc_dir, out_path = Path(warc_dir), Path(out_path)
    inputs = list(warc_files(warc_dir))
    if not inputs:
        raise WarcError(f"no closed WARC files in {warc_dir}")
    db = read_archive(db_path)
    try:
        return _write_wacz(inputs, warc_dir, db, out_path, title, description)
    finally:
        db.close()


def _write_wacz(inputs: list[Path], warc_dir: Path, db: sqlite_utils.Database,
                out_path: Path, title: str, description: str | None) -> WaczSummary:
    big = sum(p.stat().st_size for p in inputs) >= zipfile.ZIP64_LIMIT
    partial = out_path.with_name(out_path.name + ".part")
    resources: list[dict[str, Any]] = []
    pages = skipped = 0
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as wacz:
            for path in inputs:  # WARCs are gzip already: STORE keeps them range-readable
                info = zipfile.ZipInfo.from_file(path, "archive/" + path.name)
                info.compress_type = zipfile.ZIP_STORED
                with wacz.open(info, "w") as entry, open(path, "rb") as src:
                    hashing = _Hashing(entry)
                    while chunk := src.read(_CHUNK):
                        hashing.write(chunk)
                resources.append(_resource(info.filename, hashing))

            block_index = io.StringIO()  # one line per block of INDEX_BLOCK_LINES records
            info = _zip_entry("indexes/index.cdx.gz", zipfile.ZIP_STORED)
            with wacz.open(info, "w", force_zip64=big) as entry:
                hashing = _Hashing(entry)
                blocks = _Blocks(block_index, hashing, num_lines=INDEX_BLOCK_LINES,
                                 data_out_name="index.cdx.gz")
                index_lines = _index(inputs, warc_dir, blocks)
                blocks.flush()
            resources.append(_resource(info.filename, hashing))
            info = _zip_entry("indexes/index.idx", zipfile.ZIP_DEFLATED)
            with wacz.open(info, "w", force_zip64=big) as entry:
                hashing = _Hashing(entry)
                hashing.write(block_index.getvalue().encode("utf-8"))
            resources.append(_resource(info.filename, hashing))

            info = _zip_entry("pages/pages.jsonl", zipfile.ZIP_DEFLATED)
            with wacz.open(info, "w", force_zip64=big) as entry:
                hashing = _Hashing(entry)
                hashing.write((json.dumps(PAGES_HEADER) + "\n").encode("utf-8"))
                for page in _pages(db, warc_dir, {p.name for p in inputs}):
                    if page is None:
                        skipped += 1
                        continue
                    line = json.dumps(page, ensure_ascii=False) + "\n"
                    hashing.write(line.encode("utf-8"))
                    pages += 1
            resources.append(_resource(info.filename, hashing))

            package: dict[str, Any] = {
                "profile": "data-package",
                "wacz_version": WACZ_VERSION,
                "title": title,
                "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "software": _software(),
                "resources": resources,
            }
            if description:
                package["description"] = description
            data = json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")
            wacz.writestr(_zip_entry("datapackage.json", zipfile.ZIP_DEFLATED), data)
            digest = {"path": "datapackage.json",
                      "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
            wacz.writestr(_zip_entry("datapackage-digest.json", zipfile.ZIP_DEFLATED),
                          json.dumps(digest, indent=2).encode("utf-8"))
        os.replace(partial, out_path)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WarcError(f"cannot write the WACZ file {out_path}: {exc}") from exc
        raise
    return WaczSummary(out_path, len(inputs), index_lines, pages, out_path.stat().st_size,
                       skipped)
