"""Bring WARC files left open by a killed crawl back to their last complete record.

Each record is its own gzip member, so a file cut short by `kill -9` (or a full disk)
ends in at most one broken member. The file is truncated after the last member that
inflates completely and holds a whole WARC record, then renamed to drop `.open`.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.warc import OPEN_SUFFIX

_CHUNK = 1 << 16
_LENGTH = re.compile(rb"\r\nContent-Length:\s*(\d+)\r\n", re.I)


@dataclass(frozen=True)
class Member:
    offset: int
    length: int
    complete: bool  # inflates to its end and holds a whole WARC record


def _record_is_whole(data: bytes) -> bool:
    head_end = data.find(b"\r\n\r\n")
    if not data.startswith(b"WARC/") or head_end < 0:
        return False
    match = _LENGTH.search(data[: head_end + 2])
    if not match:
        return False
    return len(data) - head_end - 4 == int(match.group(1)) + 4 and data.endswith(b"\r\n\r\n")


def members(fh: BinaryIO) -> Iterator[Member]:
    """The gzip members of a WARC file, in order; the last may be incomplete."""
    offset, pending = 0, b""
    while True:
        if not pending:
            pending = fh.read(_CHUNK)
            if not pending:
                return
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        start, parts = offset, []
        try:
            while not inflater.eof:
                if not pending:
                    pending = fh.read(_CHUNK)
                    if not pending:
                        yield Member(start, offset - start, False)
                        return
                parts.append(inflater.decompress(pending))
                used = len(pending) - len(inflater.unused_data)
                offset += used
                pending = inflater.unused_data
        except zlib.error:
            yield Member(start, offset - start, False)
            return
        yield Member(start, offset - start, _record_is_whole(b"".join(parts)))


@dataclass(frozen=True)
class Repair:
    path: Path  # the file as it is now
    kept_bytes: int
    dropped_bytes: int


def repair_open_file(path: Path) -> Repair:
    """Truncate an `.open` WARC after its last whole record and close it."""
    size = path.stat().st_size
    good_end = 0
    with open(path, "rb") as fh:
        for member in members(fh):
            if not member.complete:
                break
            good_end = member.offset + member.length
    final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
    if good_end == 0:
        path.unlink()
        return Repair(final, 0, size)
    with open(path, "r+b") as fh:
        fh.truncate(good_end)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(path, final)
    return Repair(final, good_end, size - good_end)


def repair_open_files(directory: str | os.PathLike[str]) -> list[Repair]:
    """Repair every `.open` file of a WARC folder (call only while holding the crawl lock)."""
    return [repair_open_file(p) for p in sorted(Path(directory).glob("*" + OPEN_SUFFIX))]
