"""What every reader of archive.doctext shares: its limits, its errors, its result."""

from __future__ import annotations

from dataclasses import dataclass

# Limits, read at call time (tests lower them): bytes unpacked from a zip in all, and per
# member as a ratio to its packed size; members; pages read; cells; characters kept.
MAX_UNPACKED = 64 * 1024 * 1024  # bytes read out of one zip, all members together
MAX_RATIO = 200  # unpacked / packed size of one member: past it, a zip bomb
MAX_MEMBERS = 20_000
MAX_PAGES = 300  # pages read; a longer PDF or OFD keeps their text and is `too-large`
MAX_CELLS = 200_000  # spreadsheet cells read; a million-cell sheet is `too-large`
MAX_TEXT = 8 * 1024 * 1024  # characters of text kept
MAX_OCR_PAGES = 50  # pages OCR'd (a few seconds each); the rest of a longer scan is not read


class DocumentError(Exception):
    """An attachment whose text cannot be read; `kind` says why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True)
class DocumentText:
    """The text of a document, the format it was read as, its pages (if it has any), how
    it was read and, when not all of it was (past a limit), a note saying what was left
    out."""

    text: str
    format: str  # pdf, docx, doc, wps, xlsx, xls, et, ofd
    pages: int | None = None
    method: str = "xml"  # text-layer, ocr, antiword, xlrd, xml (docx, xlsx, ofd)
    note: str | None = None


def clip(parts: list[str]) -> str:
    """Non-empty parts, one per line, cut at MAX_TEXT characters."""
    text = "\n".join(p for p in parts if p)
    return text[:MAX_TEXT]
