"""Write HTTP exchanges to rotating, per-record-gzipped WARC files with warcio.

A file being written is named `*.warc.gz.open` and renamed to `*.warc.gz` when it is
closed, so a finished file never changes again. Every write returns the location of the
records (file name, offset, length), which the database keeps as its pointer into the
evidence.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import shutil
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.errors import StorageError
from archive.warc_gzip import GzipMemberWriter

OPEN_SUFFIX = ".open"
WARC_SUFFIX = ".warc.gz"
DEFAULT_MAX_SIZE = 1_000_000_000  # IIPC's customary 1 GB per WARC file
METADATA_TYPE = "application/json"  # govarc's metadata records: crawl context as JSON
# Metadata records are about a URL but are not its capture: they get URIs of their own (as
# Browsertrix's `urn:pageinfo:`), so that no replay tool serves one in place of the page.
EXCHANGE_URN = "urn:govarc:exchange:"  # the crawl context of one exchange
RENDERED_TYPE = "text/html; charset=utf-8"  # a conversion record: the DOM a browser rendered
# Its target URI: the page's URL under a URN of its own, so that a replay tool indexing the
# WARC files by URL (pywb) serves the page as received, never the DOM (as Browsertrix keeps
# a page's text and screenshot under urn:text: and urn:view:).
RENDERED_URN = "urn:govarc:rendered:"
FAILURE_URN = "urn:govarc:failure:"  # a URL that gave no article, and why

Headers = list[tuple[str, str]]


@dataclass(frozen=True)
class WarcLocation:
    """Where one record sits: the closed file's name, its byte offset and length."""

    filename: str
    offset: int
    length: int
    record_id: str
    payload_digest: str | None = None
    date: str = ""  # WARC-Date
    rec_type: str = "response"


@dataclass
class HttpExchange:
    """One request and its response, as sent and received on the wire."""

    url: str
    method: str
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    response_body: bytes  # the entity as transferred: still gzip-compressed if it was sent so
    # ... or, for a body kept on disk (archive/spool.py), a file read from its start:
    response_file: BinaryIO | None = None
    response_length: int = 0  # the length of `response_file`
    protocol: str = "HTTP/1.1"
    reason: str | None = None
    ip_address: str | None = None
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class ExchangeLocation:
    response: WarcLocation  # a response record, or a revisit record
    request: WarcLocation
    metadata: WarcLocation | None = None
    rendered: WarcLocation | None = None  # the DOM a browser rendered (a conversion record)


@dataclass
class PreparedRecord:
    """A response record already written, as one gzip member, to a temporary file."""

    file: BinaryIO
    record_id: str
    date: str
    payload_digest: str | None


@dataclass(frozen=True)
class RevisitTarget:
    """The earlier record holding a payload identical to the one just received."""

    record_id: str
    url: str
    date: str  # its WARC-Date
    payload_digest: str
    location: WarcLocation | None = None  # where that response record is


class _RawHeaders(StatusAndHeaders):
    """Headers written back byte for byte: names and values are latin-1 decoded wire bytes.

    warcio percent-encodes non-ASCII header values; an archive must keep them as sent.
    """

    def compute_headers_buffer(self, header_filter=None) -> None:
        self.headers_buff = self.to_str(header_filter).encode("latin-1") + b"\r\n"


def _request_target(url: str) -> tuple[str, str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target, parts.netloc


def _without_chunking(headers: Headers) -> Headers:
    """The body we get is already de-chunked; keep the original header under another name."""
    out: Headers = []
    for name, value in headers:
        if name.lower() == "transfer-encoding" and "chunked" in value.lower():
            out.append(("X-Archive-Orig-Transfer-Encoding", value))
        else:
            out.append((name, value))
    return out


class WarcRecorder:
    """Appends request/response pairs to WARC files, rotating at `max_size` bytes."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        prefix: str = "govarc",
        max_size: int = DEFAULT_MAX_SIZE,
        info: dict[str, str] | None = None,
        clock: Callable[[], datetime] | None = None,
        record_id: Callable[[], str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self._clock = clock or (lambda: datetime.now(UTC))
        self._record_id = record_id or (lambda: f"<urn:uuid:{uuid.uuid4()}>")
        self._serial = 0
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._name = ""
        self.bytes_written = 0
        self.records_written = 0
        self.closed_files: list[str] = []
        self.broken: StorageError | None = None  # a write failed: the file is left as it is
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the WARC folder {self.directory}: "
                               f"{exc.strerror or exc}") from exc

    # -- file lifecycle -------------------------------------------------------------------
    def _new_name(self) -> str:
        stamp = self._clock().strftime("%Y%m%d%H%M%S%f")[:17]
        host = socket.gethostname().split(".")[0] or "localhost"
        self._serial += 1
        return f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}-{host}{WARC_SUFFIX}"

    def _open(self) -> None:
        self._name = self._new_name()
        path = self.directory / (self._name + OPEN_SUFFIX)
        try:
            self._fh = open(path, "xb")  # noqa: SIM115 - stays open until rotation
        except OSError as exc:
            raise StorageError(f"cannot create {path}: {exc.strerror or exc}") from exc
        self._writer = GzipMemberWriter(self._fh, warc_version="1.1")
        info = {"software": "govarc", "format": "WARC File Format 1.1", **self.info}
        info.setdefault("hostname", socket.gethostname())
        record = self._writer.create_warcinfo_record(self._name, info)
        self._stamp(record, "")
        self._write(record)

    def _failed(self, exc: OSError) -> StorageError:
        """Note that a write failed: nothing more goes into this file, which may end in a
        torn record (the next crawl's repair cuts it off)."""
        self.broken = StorageError(f"cannot write to {self.directory / self._name}{OPEN_SUFFIX}"
                                   f": {exc.strerror or exc}")
        return self.broken

    def flush(self, sync: bool = False) -> None:
        """Push written records to the OS (and with `sync`, to the disk)."""
        if self.broken is not None:
            raise self.broken
        if self._fh is not None:
            try:
                self._fh.flush()
                if sync:
                    os.fsync(self._fh.fileno())
            except OSError as exc:
                raise self._failed(exc) from exc

    def close(self) -> None:
        """Finish the current file: flush, fsync, and drop its `.open` suffix. A file whose
        writing failed is closed as it is and keeps its `.open` suffix."""
        if self._fh is None:
            return
        fh, self._fh, self._writer = self._fh, None, None
        if self.broken is not None:
            with contextlib.suppress(OSError):  # its buffer cannot be written either
                fh.close()
            return
        try:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            final = self.directory / self._name
            os.replace(self.directory / (self._name + OPEN_SUFFIX), final)
        except OSError as exc:
            error = self._failed(exc)
            with contextlib.suppress(OSError):
                fh.close()
            raise error from exc
        self.closed_files.append(self._name)

    def __enter__(self) -> WarcRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def current_file(self) -> str | None:
        return self._name if self._fh is not None else None

    # -- writing --------------------------------------------------------------------------
    def _stamp(self, record, uri: str, when: datetime | None = None) -> None:
        headers = record.rec_headers
        headers.replace_header("WARC-Record-ID", self._record_id())
        date = (when or self._clock()).astimezone(UTC).replace(tzinfo=None)
        headers.replace_header("WARC-Date", datetime_to_iso_date(date, use_micros=True))

    def _write(self, record) -> WarcLocation:
        assert self._fh is not None and self._writer is not None
        offset = self._fh.tell()
        try:
            self._writer.write_record(record)
        except OSError as exc:
            raise self._failed(exc) from exc
        length = self._fh.tell() - offset
        self.bytes_written += length
        self.records_written += 1
        headers = record.rec_headers
        return WarcLocation(
            filename=self._name,
            offset=offset,
            length=length,
            record_id=headers.get_header("WARC-Record-ID"),
            payload_digest=headers.get_header("WARC-Payload-Digest"),
            date=headers.get_header("WARC-Date") or "",
            rec_type=record.rec_type,
        )

    def _rotate_if_full(self) -> None:
        if self.broken is not None:
            raise self.broken
        if self._fh is not None and self._fh.tell() >= self.max_size:
            self.close()
        if self._fh is None:
            self._open()

    def write_exchange(
        self,
        exchange: HttpExchange,
        *,
        revisit_of: RevisitTarget | None = None,
        metadata: dict[str, Any] | None = None,
        prepared: PreparedRecord | None = None,
        rendered: str | None = None,
    ) -> ExchangeLocation:
        """Write the response record (or, for a payload archived before, a revisit record
        pointing at it), the request record, the DOM a browser rendered from it if any (a
        conversion record), and an optional metadata record, together and in that order.

        A response record made by `prepare_response` (off the crawl's thread) is copied
        into the file as it is."""
        self._rotate_if_full()
        assert self._writer is not None
        when = exchange.captured_at
        if prepared is not None:
            response_location = self._append(prepared)
        else:
            response = self._response_record(self._writer, exchange, revisit_of)
            self._stamp(response, exchange.url, when)
            response_location = self._write(response)

        target, host = _request_target(exchange.url)
        request_headers = list(exchange.request_headers)
        if not any(name.lower() == "host" for name, _ in request_headers):
            request_headers.insert(0, ("Host", host))
        request = self._writer.create_warc_record(
            exchange.url,
            "request",
            payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            http_headers=_RawHeaders(
                f"{exchange.method} {target} {exchange.protocol}",
                request_headers,
                protocol="",
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Concurrent-To": response_location.record_id},
        )
        self._stamp(request, exchange.url, when)
        request_location = self._write(request)
        rendered_location = None
        if rendered is not None:
            rendered_location = self._write_rendered(exchange.url, rendered,
                                                     response_location.record_id, when)
        metadata_location = None
        if metadata is not None:
            metadata_location = self._write_metadata(
                EXCHANGE_URN + exchange.url, {**metadata, "url": exchange.url},
                response_location.record_id, when)
        return ExchangeLocation(response_location, request_location, metadata_location,
                                rendered_location)

    @staticmethod
    def _response_record(writer: WARCWriter, exchange: HttpExchange,
                         revisit_of: RevisitTarget | None):  # type: ignore[no-untyped-def]
        reason = exchange.reason
        if reason is None:
            try:
                reason = HTTPStatus(exchange.status).phrase
            except ValueError:
                reason = ""
        statusline = f"{exchange.status} {reason}".rstrip()
        http_headers = _RawHeaders(
            statusline, _without_chunking(exchange.response_headers), protocol=exchange.protocol
        )
        warc_headers: dict[str, str] = {}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        if revisit_of is not None:
            warc_headers["WARC-Refers-To"] = revisit_of.record_id
            return writer.create_revisit_record(
                exchange.url,
                digest=revisit_of.payload_digest,
                refers_to_uri=revisit_of.url,
                refers_to_date=revisit_of.date,
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
        if exchange.response_file is not None:
            exchange.response_file.seek(0)
            payload, length = exchange.response_file, exchange.response_length
        else:
            payload, length = io.BytesIO(exchange.response_body), len(exchange.response_body)
        return writer.create_warc_record(exchange.url, "response", payload=payload,
                                         length=length, http_headers=http_headers,
                                         warc_headers_dict=warc_headers)

    def prepare_response(self, exchange: HttpExchange) -> PreparedRecord:
        """The response record of a large body, compressed into an unnamed temporary file
        in the WARC folder. Touches no open WARC file: safe on another thread, so that the
        crawl's thread only copies the finished bytes (`write_exchange(prepared=...)`)."""
        import tempfile

        try:
            out = tempfile.TemporaryFile(  # noqa: SIM115 - handed to the caller
                dir=self.directory, prefix="govarc-record-")
        except OSError as exc:
            raise StorageError(f"cannot write in {self.directory}: {exc.strerror or exc}"
                               ) from exc
        try:
            writer = GzipMemberWriter(out, warc_version="1.1")
            record = self._response_record(writer, exchange, None)
            self._stamp(record, exchange.url, exchange.captured_at)
            writer.write_record(record)
            out.flush()
        except OSError as exc:
            out.close()
            raise StorageError(f"cannot write in {self.directory}: {exc.strerror or exc}"
                               ) from exc
        headers = record.rec_headers
        return PreparedRecord(out, headers.get_header("WARC-Record-ID"),
                              headers.get_header("WARC-Date") or "",
                              headers.get_header("WARC-Payload-Digest"))

    def _append(self, prepared: PreparedRecord) -> WarcLocation:
        """Copy a prepared record into the current file (a disk-to-disk copy)."""
        assert self._fh is not None
        offset = self._fh.tell()
        try:
            prepared.file.seek(0)
            shutil.copyfileobj(prepared.file, self._fh, 1 << 20)
        except OSError as exc:
            raise self._failed(exc) from exc
        finally:
            prepared.file.close()
        length = self._fh.tell() - offset
        self.bytes_written += length
        self.records_written += 1
        return WarcLocation(filename=self._name, offset=offset, length=length,
                            record_id=prepared.record_id,
                            payload_digest=prepared.payload_digest, date=prepared.date)

    def _write_metadata(self, uri: str, data: dict[str, Any], concurrent_to: str | None,
                        when: datetime | None) -> WarcLocation:
        assert self._writer is not None
        body = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {"WARC-Concurrent-To": concurrent_to} if concurrent_to else {}
        record = self._writer.create_warc_record(
            uri, "metadata", payload=io.BytesIO(body), length=len(body),
            warc_content_type=METADATA_TYPE, warc_headers_dict=headers,
        )
        self._stamp(record, uri, when)
        return self._write(record)

    def _write_rendered(self, url: str, html: str, refers_to: str,
                        when: datetime | None) -> WarcLocation:
        """A `conversion` record of a page's DOM as a browser rendered it (UTF-8 HTML) under
        RENDERED_URN + the page's URL, pointing with WARC-Refers-To (and -Target-URI) at the
        response record of the page as received."""
        assert self._writer is not None
        body = html.encode("utf-8", "replace")
        uri = RENDERED_URN + url
        record = self._writer.create_warc_record(
            uri, "conversion", payload=io.BytesIO(body), length=len(body),
            warc_content_type=RENDERED_TYPE,
            warc_headers_dict={"WARC-Refers-To": refers_to, "WARC-Refers-To-Target-URI": url},
        )
        self._stamp(record, uri, when)
        return self._write(record)

    def write_metadata(self, uri: str, data: dict[str, Any],
                       concurrent_to: str | None = None) -> WarcLocation:
        """A metadata record on its own: a failure, a run summary. `uri` is a `urn:`."""
        self._rotate_if_full()
        return self._write_metadata(uri, data, concurrent_to, None)


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body, as warcio writes it (sha1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def warc_files(directory: str | os.PathLike[str], include_open: bool = False) -> Iterable[Path]:
    """The WARC files of a folder in name order (which is creation order)."""
    root = Path(directory)
    patterns = ["*" + WARC_SUFFIX] + (["*" + WARC_SUFFIX + OPEN_SUFFIX] if include_open else [])
    found: list[Path] = []
    for pattern in patterns:
        found.extend(root.glob(pattern))
    return sorted(found)
