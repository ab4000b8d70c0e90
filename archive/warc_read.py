"""Read records back from the WARC files by the pointers the database keeps."""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError
from archive.transfer import window_bits
from archive.warc import OPEN_SUFFIX

# The largest page a crawl reads, decoded (its DOWNLOAD_MAXSIZE); a bigger one is a
# `too-large` failure there, and is not decoded here either.
PAGE_MAXSIZE = 16 * 1024 * 1024


class BodyTooLarge(WarcError):
    """The body (decoded) is larger than the page limit: the crawl failed it as too-large."""


@dataclass(frozen=True)
class StoredRecord:
    """One WARC record with its HTTP message, as read from disk."""

    rec_type: str
    url: str
    warc_date: str
    record_id: str
    payload_digest: str | None
    status: int | None
    headers: list[tuple[str, str]]
    raw_body: bytes  # the payload exactly as stored (as transferred)
    offset: int
    length: int
    concurrent_to: str | None = None
    refers_to: str | None = None  # a revisit record's original
    content_type: str | None = None  # of the WARC record (metadata records: JSON)
    method: str | None = None  # of a request record

    @cached_property
    def body(self) -> bytes:
        """The payload with Content-Encoding undone (what a browser parses), at most
        PAGE_MAXSIZE bytes; WarcError if broken, BodyTooLarge if it inflates past that."""
        return self.decoded(PAGE_MAXSIZE)

    def decoded(self, limit: int) -> bytes:
        """The payload with Content-Encoding undone, at most `limit` bytes (BodyTooLarge
        past it: a gzip bomb costs `limit` bytes of memory, not what it inflates to)."""
        encoding = (self.header("Content-Encoding") or "").strip().lower()
        if self.rec_type == "response" and encoding in ("gzip", "x-gzip", "deflate", "br"):
            return _decode_content(self.raw_body, encoding, limit)
        if len(self.raw_body) > limit:
            raise BodyTooLarge(f"{self.url}: the body has {len(self.raw_body):,} bytes, more "
                               f"than {limit:,}")
        return self.raw_body

    def head(self, size: int) -> bytes:
        """The first `size` bytes of the payload with Content-Encoding undone, read across
        gzip members as the whole body is (b"" if the encoding is broken): cheap whatever
        the body inflates to."""
        encoding = (self.header("Content-Encoding") or "").strip().lower()
        if self.rec_type != "response" or encoding not in ("gzip", "x-gzip", "deflate"):
            return self.raw_body[:size]
        for wbits in window_bits(encoding, self.raw_body[:2]):
            try:
                return _inflate(self.raw_body, wbits, size, cut=True)
            except zlib.error:
                continue
            except WarcError:  # more gzip members than a body may have
                return b""
        return b""

    def header(self, name: str) -> str | None:
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)


def resolve(directory: str | os.PathLike[str], filename: str) -> Path:
    """The path of a WARC file by its final name, or of the `.open` file still being written."""
    path = Path(directory) / filename
    if path.exists():
        return path
    open_path = path.with_name(path.name + OPEN_SUFFIX)
    if open_path.exists():
        return open_path
    raise WarcError(f"WARC file {filename} is not in {directory}")


def _to_stored(record, offset: int, length: int) -> StoredRecord:
    http = record.http_headers
    status = None
    headers: list[tuple[str, str]] = []
    if http is not None:
        headers = list(http.headers)
        if record.rec_type in ("response", "revisit"):
            try:
                status = int(http.get_statuscode())
            except (TypeError, ValueError):
                status = None
    raw = _read_all(record.raw_stream)
    rec = record.rec_headers
    return StoredRecord(
        rec_type=record.rec_type,
        url=rec.get_header("WARC-Target-URI") or "",
        warc_date=rec.get_header("WARC-Date") or "",
        record_id=rec.get_header("WARC-Record-ID") or "",
        payload_digest=rec.get_header("WARC-Payload-Digest"),
        status=status,
        headers=headers,
        raw_body=raw,
        offset=offset,
        length=length,
        concurrent_to=rec.get_header("WARC-Concurrent-To"),
        refers_to=rec.get_header("WARC-Refers-To"),
        content_type=rec.get_header("Content-Type"),
        method=http.protocol if record.rec_type == "request" and http is not None else None,
    )


def _read_all(stream) -> bytes:
    chunks = []
    while chunk := stream.read(65536):
        chunks.append(chunk)
    return b"".join(chunks)


_FEED = 1 << 16  # input handed to zlib at a time: what is left after a member is no more
_MEMBERS = 256  # gzip members read at most (servers that concatenate write a handful)


def _inflate(raw: bytes, wbits: int, limit: int, cut: bool = False) -> bytes:
    """`raw` inflated, at most `limit` bytes (BodyTooLarge past it; with `cut`, its first
    `limit` bytes).

    A gzip body may hold several members one after the other: all are read, as browsers
    and Scrapy read them; bytes after a member that do not start another are ignored, as
    they ignore them. Linear in `raw`: input goes to zlib 64 KB at a time, so the copy zlib
    makes of what follows a member's end is short."""
    view = memoryview(raw)
    inflater = zlib.decompressobj(wbits)
    parts: list[bytes] = []
    size = pos = 0
    members = 1
    pending: bytes | memoryview = b""
    while size <= limit:
        if not pending:
            if pos >= len(raw):
                break
            pending = view[pos:pos + _FEED]
            pos += len(pending)
        try:
            out = inflater.decompress(pending, limit + 1 - size)
        except zlib.error:
            if members == 1:
                raise  # not this format at all, or corrupt: the caller decides
            return b"".join(parts)  # trailing bytes that are not a gzip member
        parts.append(out)
        size += len(out)
        if not inflater.eof:
            pending = inflater.unconsumed_tail
            continue
        pending = inflater.unused_data
        if wbits <= zlib.MAX_WBITS or not (pending or pos < len(raw)):
            break  # a zlib stream ends the body; or nothing follows the member
        if members == _MEMBERS:
            raise WarcError(f"more than {_MEMBERS} gzip members")
        members += 1
        inflater = zlib.decompressobj(wbits)
    if size > limit:
        if cut:
            return b"".join(parts)[:limit]
        raise BodyTooLarge(f"the body inflates past {limit:,} bytes")
    return b"".join(parts) + inflater.flush()


def _decode_content(raw: bytes, encoding: str, limit: int) -> bytes:
    try:
        if encoding in ("gzip", "x-gzip", "deflate"):
            *first, last = window_bits(encoding, raw[:2])
            for wbits in first:
                with contextlib.suppress(zlib.error):
                    return _inflate(raw, wbits, limit)
            return _inflate(raw, last, limit)  # its zlib.error says why it is broken
        import brotli  # type: ignore[import-not-found]

        out = brotli.decompress(raw)
        if len(out) > limit:
            raise BodyTooLarge(f"the body inflates past {limit:,} bytes")
        return out
    except BodyTooLarge:
        raise
    except Exception as exc:  # a broken encoding is a fact about the capture, not a crash
        raise WarcError(f"cannot undo Content-Encoding {encoding}: {exc}") from exc


def read_record(path: str | os.PathLike[str], offset: int) -> StoredRecord:
    """Read the single record that starts at `offset` in the WARC file at `path`."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            iterator = ArchiveIterator(fh)
            record = next(iter(iterator), None)
            if record is None:
                raise WarcError(f"no WARC record at {path}:{offset}")
            stored = _to_stored(record, offset, 0)
            iterator.read_to_end()
            return replace(stored, length=iterator.get_record_length())
    except (OSError, ArchiveLoadFailed) as exc:
        raise WarcError(f"cannot read a WARC record at {path}:{offset}: {exc}") from exc


def iter_records(path: str | os.PathLike[str]) -> Iterator[StoredRecord]:
    """Every record of a WARC file with its offset and length."""
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh)
            for record in iterator:
                stored = _to_stored(record, 0, 0)
                iterator.read_to_end()  # offsets are known only once the record is consumed
                yield replace(
                    stored,
                    offset=iterator.get_record_offset(),
                    length=iterator.get_record_length(),
                )
    except ArchiveLoadFailed as exc:
        raise WarcError(f"{path} is not a readable WARC file: {exc}") from exc


def rendered_after(path: str | os.PathLike[str], offset: int, length: int,
                   record_id: str) -> StoredRecord | None:
    """The conversion record holding the DOM a browser rendered from the response (or
    revisit) record `record_id` at `offset`: written just after it and its request record."""
    position = offset + length
    for _ in range(2):
        try:
            record = read_record(path, position)
        except WarcError:
            return None
        if record.rec_type == "conversion" and record.refers_to == record_id:
            return record
        if record.rec_type != "request":
            return None
        position += record.length
    return None
