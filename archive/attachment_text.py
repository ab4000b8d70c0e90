"""The text of an archived attachment, read from its WARC record within a memory budget.

`archive.doctext` reads the bytes; this module takes them from the WARC record (the crawl
and `govarc rebuild` read the same payload), bounds the memory the read may take and turns
the outcome into an `attachment_texts` row: `status` "ok" with the text, or the kind of
failure (encrypted, corrupt, zip-bomb, too-large, image-only, unsupported, memory) and its
reason; a document past a limit (pages, cells) is `too-large` and keeps the text read.
Callers run it in a worker process whose time budget they enforce (archive/worker_pool.py),
recording `timeout` or `crash` themselves when it overruns or dies. No exception leaves
`read_text`: a hostile document is an outcome, not a crash.
"""

from __future__ import annotations

import contextlib
import os
import resource
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archive.doctext import DocumentError, extract_text, sniff
from archive.errors import WarcError
from archive.warc import OPEN_SUFFIX
from archive.warc_read import StoredRecord, read_record

READER_VERSION = 1  # bumped when a format is read differently (rows say which read them)
DOCUMENT_MAXSIZE = 512 * 1024 * 1024  # bytes of payload, Content-Encoding undone
MEMORY_ENV = "GOVARC_DOCUMENT_MEMORY"
DEFAULT_MEMORY = 384 * 1024 * 1024  # bytes of address space a read may add to its process
OCR_ENV = "GOVARC_OCR"
# Outcomes the crawl itself decides (the read never returns them).
TIMEOUT, CRASH = "timeout", "crash"


def ocr_from(value: Any) -> bool:
    """The OCR setting from a setting's or variable's value ("1", "true", "on": on)."""
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def memory_from(value: Any) -> int:
    """A memory budget in bytes from a setting: bytes, or with a K/M/G suffix."""
    text = str(value or "").strip().upper().removesuffix("B")
    if not text:
        return DEFAULT_MEMORY
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    try:
        amount = int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise ValueError(f"{MEMORY_ENV} must be a size such as 384M, not {value!r}") from None
    if amount < 32 << 20:
        raise ValueError(f"{MEMORY_ENV} must be at least 32M")
    return amount


@contextlib.contextmanager
def address_space(extra: int) -> Iterator[None]:
    """Let this process grow by at most `extra` bytes of address space meanwhile (past it,
    allocations fail: MemoryError in Python, a failed read in native code)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/statm", "rb") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        yield  # no /proc: no limit (the time budget still holds)
        return
    limit = size + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def failed(status: str, reason: str) -> dict[str, Any]:
    """The row fields of an attachment whose text could not be read."""
    return {"status": status, "reason": reason, "format": None, "method": None,
            "pages": None, "chars": None, "text": None, "reader_version": READER_VERSION}


def read_text(data: bytes, name: str | None, ocr: bool = False,
              memory: int = DEFAULT_MEMORY) -> dict[str, Any]:
    """The row fields of a document's text (status, reason, format, method, pages, chars,
    text, reader_version); `name` (the URL's last part) tells WPS from DOC and ET from
    XLS, which share their bytes' format."""
    try:
        with address_space(memory):
            document = extract_text(data, ocr=ocr, name=name)
    except DocumentError as exc:
        row = failed(exc.kind, str(exc))
        row["format"] = _told_format(data)
        return row
    except MemoryError:
        return failed("memory", f"reading it needed more than {memory >> 20} MB "
                      f"({MEMORY_ENV}); kept in the WARC as served")
    except RecursionError:
        return failed("corrupt", "nested too deeply to read")
    # Past a limit (pages, cells, pages OCR'd) the text read so far is kept, and the
    # attachment is `too-large` all the same: not all of it is searchable.
    status, reason = ("too-large", f"only {document.note} read") if document.note else (
        "ok", None)
    return {"status": status, "reason": reason, "format": document.format,
            "method": document.method, "pages": document.pages, "chars": len(document.text),
            "text": document.text, "reader_version": READER_VERSION}


def _told_format(data: bytes) -> str | None:
    """The format of a document that could not be read, where its bytes tell it (an OLE2
    file may be a DOC or a workbook, a broken zip anything)."""
    try:
        told = sniff(data)
    except Exception:  # a read that failed may fail here too: the status says enough
        return None
    return told if told in {"pdf", "docx", "xlsx", "ofd", "ceb"} else None


def text_of_record(record: StoredRecord, ocr: bool = False,
                   memory: int = DEFAULT_MEMORY) -> dict[str, Any]:
    """The row fields of the attachment whose payload `record` holds (a response)."""
    try:
        data = record.decoded(DOCUMENT_MAXSIZE)
    except WarcError as exc:
        return failed("corrupt", f"the payload cannot be read from the WARC: {exc}")
    return read_text(data, record.url.rsplit("/", 1)[-1].split("?", 1)[0], ocr, memory)


def text_at(directory: str, filename: str, offset: int, ocr: bool = False,
            memory: int = DEFAULT_MEMORY) -> dict[str, Any]:
    """Like text_of_record, for the response record at `offset` of a WARC file of
    `directory` still being written (`.open`) or closed since."""
    folder = Path(directory)
    try:
        try:
            record = read_record(folder / (filename + OPEN_SUFFIX), offset)
        except WarcError as exc:
            if not isinstance(exc.__cause__, FileNotFoundError):
                raise
            record = read_record(folder / filename, offset)
    except WarcError as exc:
        return failed("corrupt", str(exc))
    return text_of_record(record, ocr, memory)
