"""Zip-based documents read as streams: DOCX, XLSX and OFD (GB/T 33190: pages of
`ofd:TextCode`).

Members are parsed as they are unpacked (lxml's iterparse over a bounded reader), each
element dropped once read: memory stays near the size of one paragraph or row whatever
the document's size. The reader stops a member past MAX_RATIO times its packed size and
the zip past MAX_UNPACKED bytes in all (`zip-bomb`), before those bytes are held.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from archive.doctext import base as lim
from archive.doctext.base import DocumentError, DocumentText, clip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFD = "{http://www.ofdspec.org/2016}"
CHUNK = 64 * 1024


class _Member(io.RawIOBase):
    """One zip member's bytes, counted against its own and the zip's limits."""

    def __init__(self, archive: Zip, info: zipfile.ZipInfo) -> None:
        self.archive, self.name = archive, info.filename
        self.limit = max(1, info.compress_size) * lim.MAX_RATIO + 4096
        self.read_here = 0
        self.error: DocumentError | None = None  # a limit crossed: the parser saw an end
        try:
            self.stream = archive.zip.open(info)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
            raise _broken(info.filename, exc) from None

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            data = self.stream.read(CHUNK if size is None or size < 0 else min(size, CHUNK))
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError) as exc:
            raise _broken(self.name, exc) from None
        self.read_here += len(data)
        self.archive.read_bytes += len(data)
        # lxml turns an exception raised here into a parse error: the error is kept, the
        # parser told the member ended, and the caller raises the error.
        if self.read_here > self.limit:
            self.error = DocumentError("zip-bomb", f"{self.name} unpacks to over "
                                       f"{lim.MAX_RATIO}× its size")
        elif self.archive.read_bytes > lim.MAX_UNPACKED:
            self.error = DocumentError("zip-bomb", f"more than {lim.MAX_UNPACKED} bytes "
                                       "unpacked")
        return b"" if self.error else data

    def close(self) -> None:
        self.stream.close()
        super().close()


def _broken(name: str, exc: Exception) -> DocumentError:
    kind = "encrypted" if "encrypted" in str(exc).lower() else "corrupt"
    return DocumentError(kind, f"{name}: {exc}")


class Zip:
    """A zip read member by member, within MAX_UNPACKED, MAX_RATIO and MAX_MEMBERS."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise DocumentError("corrupt", f"broken zip container: {exc}") from None
        if len(infos) > lim.MAX_MEMBERS:
            raise DocumentError("zip-bomb", f"{len(infos)} members in the zip")
        self.infos = {i.filename: i for i in infos}
        self.read_bytes = 0

    def __enter__(self) -> Zip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def elements(self, name: str, *tags: str) -> Iterator[etree._Element]:
        """The `tags` elements of member `name`, each complete when yielded and cleared
        after (with the siblings before it), as the member is unpacked."""
        info = self.infos.get(name)
        if info is None:
            raise DocumentError("corrupt", f"{name} is missing from the document")
        self._measure(info)
        with _Member(self, info) as member:
            events = etree.iterparse(member, events=("end",), tag=tags or None,
                                     resolve_entities=False, no_network=True,
                                     huge_tree=False, load_dtd=False)
            try:
                for _, element in events:
                    if member.error:
                        raise member.error
                    yield element
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
            except etree.XMLSyntaxError as exc:
                if member.error:
                    raise member.error from None
                # libxml2's own bounds (a text node over 10 MB, nesting over 256 deep).
                kind = "too-large" if "limit exceeded" in str(exc).lower() else "corrupt"
                raise DocumentError(kind, f"{name}: {exc}") from None
            if member.error:
                raise member.error

    def _measure(self, info: zipfile.ZipInfo) -> None:
        """Unpack the member once without parsing it (inflating is ~100× faster than
        parsing): a zip bomb is found in a fraction of a second, before any tree is built.
        Its bytes are counted again as they are parsed."""
        before = self.read_bytes
        with _Member(self, info) as member:
            while member.read(CHUNK) and not member.error:
                pass
        self.read_bytes = before
        if member.error:
            raise member.error

    def text_of(self, name: str, tag: str) -> str | None:
        """The text of the first `tag` element of member `name` (None without one)."""
        for element in self.elements(name, tag):
            return (element.text or "").strip()
        return None

    def attributes(self, name: str, tag: str, attribute: str) -> list[str]:
        """`attribute` of every `tag` element of member `name`."""
        return [element.get(attribute) or "" for element in self.elements(name, tag)]


def read_docx(archive: Zip) -> DocumentText:
    """Paragraphs of text; runs are read and dropped one by one, so that a paragraph of a
    million runs costs no more memory than its text."""
    parts: list[str] = []
    pieces: list[str] = []
    size = 0
    tags = (f"{W}t", f"{W}tab", f"{W}br", f"{W}r", f"{W}p")
    for node in archive.elements("word/document.xml", *tags):
        if node.tag == f"{W}t":
            pieces.append(node.text or "")
        elif node.tag in (f"{W}tab", f"{W}br"):
            pieces.append("\t" if node.tag == f"{W}tab" else "\n")
        elif node.tag == f"{W}p":
            parts.append("".join(pieces).strip())
            pieces.clear()
            size += len(parts[-1])
        if size > lim.MAX_TEXT:
            break
    return DocumentText(clip(parts), "docx", None, "xml")


def read_xlsx(archive: Zip) -> DocumentText:
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.infos:
        for item in archive.elements("xl/sharedStrings.xml", f"{S}si"):
            shared.append("".join(t.text or "" for t in item.iter(f"{S}t")))
    sheets = sorted(n for n in archive.infos
                    if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
    lines: list[str] = []
    cells = 0
    for name in sheets:
        for row in archive.elements(name, f"{S}row"):
            values = []
            for cell in row.iter(f"{S}c"):
                cells += 1
                if cells > lim.MAX_CELLS:
                    return DocumentText(clip(lines), "xlsx", None, "xml",
                                        f"the first {lim.MAX_CELLS:,} cells (MAX_CELLS)")
                text = _cell(cell, shared, name)
                if text:
                    values.append(text)
            if values:
                lines.append("\t".join(values))
    return DocumentText(clip(lines), "xlsx", None, "xml")


def _cell(cell: etree._Element, shared: list[str], sheet: str) -> str | None:
    value = cell.find(f"{S}v")
    text = value.text if value is not None else None
    if cell.get("t") == "s" and text is not None:
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            raise DocumentError("corrupt", f"{sheet}: a shared string that is not "
                                "there") from None
    if cell.get("t") == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{S}t"))
    return text


def read_ofd(archive: Zip) -> DocumentText:
    parts: list[str] = []
    pages = 0
    for document in [d.lstrip("/") for d in (archive.text_of("OFD.xml", f"{OFD}DocRoot"),)
                     if d]:
        base = document.rsplit("/", 1)[0] + "/" if "/" in document else ""
        for location in archive.attributes(document, f"{OFD}Page", "BaseLoc"):
            location = location.lstrip("/")
            if not location:
                continue
            pages += 1
            if pages > lim.MAX_PAGES:
                return DocumentText(clip(parts), "ofd", pages, "xml",
                                    f"the first {lim.MAX_PAGES} pages (MAX_PAGES)")
            name = location if location in archive.infos else base + location
            lines = ["".join(code.text or "" for code in text.iter(f"{OFD}TextCode"))
                     for text in archive.elements(name, f"{OFD}TextObject")]
            parts.append("\n".join(line for line in lines if line))
    if not pages:
        raise DocumentError("corrupt", "OFD without pages")
    return DocumentText(clip(parts), "ofd", pages, "xml")
