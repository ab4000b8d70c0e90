"""The text of an attachment (PDF, DOCX, XLSX, OFD), read within limits.

Formats are told by their bytes, not their names: `%PDF` (pypdfium2, chosen by
bench/pdf_text.py), a zip holding `word/document.xml` (DOCX), `xl/workbook.xml` (XLSX) or
`OFD.xml` (OFD, GB/T 33190: pages of `ofd:TextCode`), an OLE2 file (DOC, WPS, XLS, ET:
`unsupported` here) or CEB (`unsupported`). What cannot be read raises DocumentError with
a kind of its own: `encrypted`, `corrupt`, `zip-bomb`, `too-large`, `image-only`,
`unsupported`. Every read is bounded: bytes unpacked from a zip (in all and per member,
and their ratio to the packed size), pages, cells and text length. Callers run this in a
worker process with a time budget (archive/worker_pool.py): pdfium is native code.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

MAX_UNPACKED = 64 * 1024 * 1024  # bytes read out of one zip, all members together
MAX_RATIO = 200  # unpacked / packed size of one member: past it, a zip bomb
MAX_MEMBERS = 20_000
MAX_PAGES = 1_000  # a 500-page PDF is read; a 10,000-page one is `too-large`
MAX_CELLS = 200_000  # spreadsheet cells read; a million-cell sheet is `too-large`
MAX_TEXT = 8 * 1024 * 1024  # characters of text kept

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFD = "{http://www.ofdspec.org/2016}"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class DocumentError(Exception):
    """An attachment whose text cannot be read; `kind` says why."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


@dataclass(frozen=True)
class DocumentText:
    """The text of a document, the format it was read as and its pages (if it has any)."""

    text: str
    format: str  # pdf, docx, xlsx, ofd
    pages: int | None = None


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
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist()[:MAX_MEMBERS])
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


def extract_text(data: bytes) -> DocumentText:
    """The text of `data` (see the module); DocumentError if there is none to read."""
    kind = sniff(data)
    if kind == "pdf":
        return _pdf(data)
    if kind in ("docx", "xlsx", "ofd"):
        with _Zip(data) as archive:
            return {"docx": _docx, "xlsx": _xlsx, "ofd": _ofd}[kind](archive)
    if kind in ("ole2", "ceb"):
        raise DocumentError("unsupported", f"{kind.upper()} documents are not read yet")
    raise DocumentError("unsupported" if kind == "zip" else "corrupt",
                        f"not a document this reader knows ({kind})")


def _clip(parts: list[str]) -> str:
    text = "\n".join(p for p in parts if p)
    return text[:MAX_TEXT]


# -- PDF ---------------------------------------------------------------------------------------
def _pdf(data: bytes) -> DocumentText:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise DocumentError("encrypted", f"PDF needs a password ({message})") from None
        raise DocumentError("corrupt", f"PDF cannot be opened ({message})") from None
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise DocumentError("too-large", f"PDF of {count} pages (limit {MAX_PAGES})")
        parts, size, images = [], 0, 0
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                text = textpage.get_text_bounded().replace("\r\n", "\n").strip()
                textpage.close()
                if not text:
                    images += any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
                                  for obj in page.get_objects(max_depth=2))
            finally:
                page.close()
            parts.append(text)
            size += len(text)
            if size > MAX_TEXT:
                break
        if not any(parts):
            if images:
                raise DocumentError("image-only", f"PDF of {count} pages with images and no "
                                    "text layer (OCR is off)")
            raise DocumentError("corrupt", f"PDF of {count} pages without text")
        return DocumentText(_clip(parts), "pdf", count)
    finally:
        pdf.close()


# -- zip-based formats ---------------------------------------------------------------------------
class _Zip:
    """A zip read member by member, within MAX_UNPACKED, MAX_RATIO and MAX_MEMBERS."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise DocumentError("corrupt", f"broken zip container: {exc}") from None
        if len(infos) > MAX_MEMBERS:
            raise DocumentError("zip-bomb", f"{len(infos)} members in the zip")
        self.infos = {i.filename: i for i in infos}
        self.read_bytes = 0

    def __enter__(self) -> _Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def names(self) -> list[str]:
        return list(self.infos)

    def read(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise DocumentError("corrupt", f"{name} is missing from the document")
        budget = MAX_UNPACKED - self.read_bytes
        limit = min(budget, max(1, info.compress_size) * MAX_RATIO + 4096)
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
            kind = "encrypted" if "encrypted" in str(exc).lower() else "corrupt"
            raise DocumentError(kind, f"{name}: {exc}") from None
        if len(data) > limit:
            if limit == budget:
                raise DocumentError("zip-bomb", f"more than {MAX_UNPACKED} bytes unpacked")
            raise DocumentError("zip-bomb", f"{name} unpacks to over {MAX_RATIO}× its size")
        self.read_bytes += len(data)
        return data

    def xml(self, name: str) -> etree._Element:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        try:
            return etree.fromstring(self.read(name), parser)
        except etree.XMLSyntaxError as exc:
            raise DocumentError("corrupt", f"{name}: {exc}") from None


def _docx(archive: _Zip) -> DocumentText:
    root = archive.xml("word/document.xml")
    parts = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
            pieces.append(node.text or "" if node.tag == f"{W}t" else
                          "\t" if node.tag == f"{W}tab" else "\n")
        parts.append("".join(pieces).strip())
    return DocumentText(_clip(parts), "docx")


def _xlsx(archive: _Zip) -> DocumentText:
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.infos:
        for item in archive.xml("xl/sharedStrings.xml").iter(f"{S}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{S}t")))
    sheets = sorted(n for n in archive.names()
                    if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    lines, cells = [], 0
    for name in sheets:
        for row in archive.xml(name).iter(f"{S}row"):
            values = []
            for cell in row.iter(f"{S}c"):
                cells += 1
                if cells > MAX_CELLS:
                    raise DocumentError("too-large", f"spreadsheet of over {MAX_CELLS} cells")
                value = cell.find(f"{S}v")
                text = value.text if value is not None else None
                if cell.get("t") == "s" and text is not None:
                    try:
                        text = shared[int(text)]
                    except (ValueError, IndexError):
                        raise DocumentError("corrupt", f"{name}: a shared string that is "
                                            "not there") from None
                elif cell.get("t") == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{S}t"))
                if text:
                    values.append(text)
            if values:
                lines.append("\t".join(values))
    return DocumentText(_clip(lines), "xlsx")


def _ofd(archive: _Zip) -> DocumentText:
    root = archive.xml("OFD.xml")
    parts, pages = [], 0
    for doc_root in root.iter(f"{OFD}DocRoot"):
        document = (doc_root.text or "").strip().lstrip("/")
        base = document.rsplit("/", 1)[0] + "/" if "/" in document else ""
        for page in archive.xml(document).iter(f"{OFD}Page"):
            location = (page.get("BaseLoc") or "").lstrip("/")
            if not location:
                continue
            pages += 1
            if pages > MAX_PAGES:
                raise DocumentError("too-large", f"OFD of over {MAX_PAGES} pages")
            name = location if location in archive.infos else base + location
            content = archive.xml(name)
            lines = ["".join(code.text or "" for code in text.iter(f"{OFD}TextCode"))
                     for text in content.iter(f"{OFD}TextObject")]
            parts.append("\n".join(line for line in lines if line))
    if not pages:
        raise DocumentError("corrupt", "OFD without pages")
    return DocumentText(_clip(parts), "ofd", pages)
