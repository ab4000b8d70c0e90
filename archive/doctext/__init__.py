"""The text of an attachment (PDF, DOCX, DOC, WPS, XLSX, XLS, ET, OFD), read within limits.

Formats are told by their bytes, not their names: `%PDF` (pypdfium2, chosen by
bench/pdf_text.py), a zip holding `word/document.xml` (DOCX), `xl/workbook.xml` (XLSX) or
`OFD.xml` (OFD, GB/T 33190: pages of `ofd:TextCode`), an OLE2 compound file (olefile) with a
`WordDocument` stream (DOC, or WPS: Kingsoft writes .wps in the same format, so only the
name tells them apart) read by Debian's antiword, or a `Workbook`/`Book` stream (XLS, or ET)
read by xlrd (both chosen by bench/doc_text.py), or CEB (`unsupported`). What cannot be
read raises DocumentError with a kind of its own: `encrypted`, `corrupt`, `zip-bomb`,
`too-large`, `image-only`, `unsupported`. A PDF whose pages are only images is `image-only`
unless OCR is asked for: then Tesseract's Simplified Chinese model reads the rendered pages.
DocumentText.method says how the text was read. Every read is bounded: bytes unpacked from
a zip (in all and per member, and their ratio to the packed size), pages, cells, text
length, and the time and output of each program run; past MAX_PAGES pages (PDF, OFD) or
MAX_CELLS cells (XLSX) the text read so far is kept and DocumentText.note says so.
Callers run this in a worker process with a time budget (archive/worker_pool.py): pdfium
is native code. One module per family: pdf, ole2 (with programs), zipped.
"""

from __future__ import annotations

import io
import zipfile

from archive.doctext import base as lim
from archive.doctext.base import (
    MAX_CELLS,
    MAX_MEMBERS,
    MAX_OCR_PAGES,
    MAX_PAGES,
    MAX_RATIO,
    MAX_TEXT,
    MAX_UNPACKED,
    DocumentError,
    DocumentText,
)
from archive.doctext.ole2 import read_ole2
from archive.doctext.pdf import read_pdf
from archive.doctext.zipped import Zip, read_docx, read_ofd, read_xlsx

__all__ = ["MAX_CELLS", "MAX_MEMBERS", "MAX_OCR_PAGES", "MAX_PAGES", "MAX_RATIO", "MAX_TEXT",
           "MAX_UNPACKED", "DocumentError", "DocumentText", "extract_text", "sniff"]
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """The format the bytes are: pdf, docx, xlsx, ofd, ole2, ceb, zip (of something else),
    broken-zip or unknown."""
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2):
        return "ole2"
    if data.startswith(b"CEBX") or data[:4] == b"CEB\x00":
        return "ceb"
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist()[:lim.MAX_MEMBERS])
        except (zipfile.BadZipFile, ValueError, EOFError):
            return "broken-zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return "zip"
    return "unknown"


def extract_text(data: bytes, *, ocr: bool = False, name: str | None = None) -> DocumentText:
    """The text of `data` (see the module); DocumentError if there is none to read.

    `ocr`: read PDFs whose pages are only images with Tesseract (GOVARC_OCR=1). `name`: the
    file's name or URL, which tells a WPS from a DOC and an ET from an XLS (same bytes)."""
    kind = sniff(data)
    if kind == "pdf":
        return read_pdf(data, ocr)
    if kind in ("docx", "xlsx", "ofd"):
        with Zip(data) as archive:
            return {"docx": read_docx, "xlsx": read_xlsx, "ofd": read_ofd}[kind](archive)
    if kind == "ole2":
        return read_ole2(data, _suffix(name))
    if kind == "ceb":
        raise DocumentError("unsupported", "CEB (Apabi) documents are not read: no free "
                            "reader exists; the file is kept in the WARC as served")
    raise DocumentError("unsupported" if kind == "zip" else "corrupt",
                        f"not a document this reader knows ({kind})")


def _suffix(name: str | None) -> str:
    """The lower-case extension of a file name or URL ("" if none)."""
    if not name:
        return ""
    last = name.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""
