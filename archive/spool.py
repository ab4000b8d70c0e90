"""Large bodies kept on disk while they arrive, with their length and payload digest.

A body is held in memory up to `threshold` bytes, then moved to an unnamed temporary file
in the folder given (the WARC folder: the same disk, watched for space, and nothing left
behind by a killed process). The WARC record is then written from the file, so four
100 MB attachments in flight cost disk, not memory.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import tempfile
from pathlib import Path
from typing import BinaryIO

SPOOL_THRESHOLD = 1 << 20  # bytes held in memory before a body moves to disk


class BodySpool:
    """A body written chunk by chunk; `spilled` once it no longer fits in memory."""

    def __init__(self, directory: str | Path | None = None,
                 threshold: int = SPOOL_THRESHOLD) -> None:
        self.directory = directory
        self.threshold = threshold
        self.length = 0
        self.error: OSError | None = None  # the disk refused a write: the body is lost
        self._sha1 = hashlib.sha1()
        self._memory: io.BytesIO | None = io.BytesIO()
        self._file: BinaryIO | None = None
        self.spilled = False  # the body moved to disk (and is read back with `reader`)

    @property
    def digest(self) -> str:
        """The WARC payload digest of what was written (sha1, base32, as warcio writes)."""
        return "sha1:" + base64.b32encode(self._sha1.digest()).decode("ascii")

    def write(self, data: bytes) -> None:
        if self.error is not None:
            return
        self._sha1.update(data)
        self.length += len(data)
        try:
            if self._memory is not None:
                self._memory.write(data)
                if self._memory.tell() > self.threshold:
                    self._spill()
            elif self._file is not None:
                self._file.write(data)
        except OSError as exc:
            self.error = exc
            self.discard()

    def _spill(self) -> None:
        assert self._memory is not None
        self._file = tempfile.TemporaryFile(  # noqa: SIM115 - open until the record is written
            dir=self.directory, prefix="govarc-body-")
        self._file.write(self._memory.getbuffer())
        self._memory = None
        self.spilled = True

    def getvalue(self) -> bytes:
        """The body, if it stayed in memory; b"" once spilled (read it with `reader`)."""
        return self._memory.getvalue() if self._memory is not None else b""

    def reader(self) -> BinaryIO:
        """The spilled body from its start."""
        assert self._file is not None, "only a spilled body is read from disk"
        self._file.flush()
        self._file.seek(0)
        return self._file

    def discard(self) -> None:
        """Drop the bytes (memory or file); length and digest stay."""
        self._memory = None if self.spilled else io.BytesIO()
        if self._file is not None:
            file, self._file = self._file, None
            with contextlib.suppress(OSError):
                file.close()
