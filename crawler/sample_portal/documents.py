"""Attachments in the formats government portals publish, built without any library.

Chinese PDFs with a text layer (the Adobe-GB1 font STSong-Light with the UniGB-UCS2-H
encoding, not embedded: how many government PDFs are written, and what every reader
knows), image-only PDFs (scans), OFD (GB/T 33190: a zip of XML), XLSX, and the bad
documents a crawler must survive: an encrypted PDF, a truncated DOCX, a DOCX zip bomb,
a PDF of hundreds of pages and a spreadsheet of a million cells. DOC and WPS files come
from `msdoc`, DOCX from `binaries`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from xml.sax.saxutils import escape

from crawler.sample_portal.binaries import pdf_file

OFD_MIME = "application/ofd"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC_MIME = "application/msword"
WPS_MIME = "application/vnd.ms-works"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 6)
    return (b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra)
            + packed + b"\nendstream")


def _pages(contents: list[bytes], resources: bytes, first: int = 3) -> list[bytes]:
    """Page objects and their content streams, numbered from `first` (page, content …)."""
    kids = b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(len(contents)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents))]
    for index, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
                       b" /Resources %s >>" % (first + 2 * index + 1, resources))
        objects.append(_stream(content))
    return objects


def cjk_pdf(pages: list[list[str]], encrypt: bool = False) -> bytes:
    """A PDF whose pages show these lines in 宋体 (STSong-Light, text as UCS-2 codes);
    `encrypt`: protected by a user password (the standard security handler)."""
    contents = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 18 TL 72 770 Td"]
        ops += [b"<%s> Tj T*" % line.encode("utf-16-be").hex().encode() for line in lines]
        contents.append(b"\n".join([*ops, b"ET"]))
    font = 3 + 2 * len(pages)
    objects = _pages(contents, b"<< /Font << /F1 %d 0 R >> >>" % font)
    objects += [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [%d 0 R] >>" % (font + 1),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo"
        b" << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R"
        b" /DW 1000 >>" % (font + 2),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox"
        b" [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880"
        b" /StemV 93 >>",
    ]
    if not encrypt:
        return pdf_file(objects)
    # RC4 40-bit, owner and user keys that no empty password opens.
    objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -3904 >>"
                   % (b"7a" * 32, b"c3" * 32))
    file_id = b"<" + b"5f" * 16 + b">"
    return pdf_file(objects, b"/Encrypt %d 0 R /ID [%s %s] " % (len(objects), file_id, file_id))


def image_pdf(pages: int = 1) -> bytes:
    """A scan: each page one grey image (ruled like a typed page) and no text layer."""
    width, height = 248, 350
    rows = bytearray()
    for y in range(height):
        inked = 40 <= y < height - 40 and (y // 6) % 3 == 0
        rows += bytes(0x30 if inked and 30 <= x < width - 30 and (x * 7 + y) % 11 else 0xF0
                      for x in range(width))
    image = _stream(bytes(rows), b"/Type /XObject /Subtype /Image /Width %d /Height %d"
                                 b" /ColorSpace /DeviceGray /BitsPerComponent 8 "
                    % (width, height))
    draw = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    xobject = 3 + 2 * pages
    objects = _pages([draw] * pages, b"<< /XObject << /Im1 %d 0 R >> >>" % xobject)
    objects.append(image)
    return pdf_file(objects)


def _zip(members: Iterable[tuple[str, bytes | str]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, (2026, 4, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


_OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def make_ofd(pages: list[list[str]]) -> bytes:
    """An OFD file (GB/T 33190-2016): OFD.xml, a document, one content file per page."""
    page_refs = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                        for i in range(len(pages)))
    members: list[tuple[str, bytes | str]] = [
        ("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {_OFD_NS} Version="1.0" '
                    'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>govarc-sample</ofd:DocID>'
                    '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>'
                    '</ofd:OFD>'),
        ("Doc_0/Document.xml",
         f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {_OFD_NS}><ofd:CommonData>'
         '<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297'
         '</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
         f'</ofd:CommonData><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>'),
        ("Doc_0/PublicRes.xml",
         f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res {_OFD_NS} BaseLoc="Res"><ofd:Fonts>'
         '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'),
    ]
    for index, lines in enumerate(pages):
        objects = "".join(
            f'<ofd:TextObject ID="{100 + n}" Boundary="20 {20 + 8 * n} 170 8" Font="2" '
            f'Size="4.2"><ofd:TextCode X="0" Y="5">{escape(line)}</ofd:TextCode>'
            "</ofd:TextObject>" for n, line in enumerate(lines))
        members.append((f"Doc_0/Pages/Page_{index}/Content.xml",
                        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {_OFD_NS}>'
                        f'<ofd:Content><ofd:Layer ID="{50 + index}">{objects}</ofd:Layer>'
                        "</ofd:Content></ofd:Page>"))
    return _zip(members)


_S_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def make_xlsx(rows: list[list[str | int | float]]) -> bytes:
    """An XLSX workbook of one sheet (strings shared, numbers inline)."""
    strings: dict[str, int] = {}
    xml_rows = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in row:
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c t="s"><v>{index}</v></c>')
            else:
                cells.append(f"<c><v>{value}</v></c>")
        xml_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return _zip([
        ("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
                                'schemas.openxmlformats.org/package/2006/content-types"/>'),
        ("xl/workbook.xml", f'<workbook {_S_NS}><sheets><sheet name="Sheet1" sheetId="1"/>'
                            "</sheets></workbook>"),
        ("xl/sharedStrings.xml", f'<sst {_S_NS} count="{len(strings)}">{shared}</sst>'),
        ("xl/worksheets/sheet1.xml",
         f'<worksheet {_S_NS}><sheetData>{"".join(xml_rows)}</sheetData></worksheet>'),
    ])


def million_cells() -> bytes:
    """An XLSX of 1,000,000 numeric cells (a few MB packed: the numbers do not repeat)."""
    rows = "".join(f'<row r="{r}">' + "".join(f"<c><v>{r * 17 + c * 7919}</v></c>"
                                              for c in range(20)) + "</row>"
                   for r in range(1, 50_001))
    return _zip([("xl/workbook.xml", f"<workbook {_S_NS}/>"),
                 ("xl/worksheets/sheet1.xml",
                  f"<worksheet {_S_NS}><sheetData>{rows}</sheetData></worksheet>")])


def docx_bomb() -> bytes:
    """A DOCX whose document.xml unpacks to 256 MB: one paragraph of millions of runs."""
    head = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            b'main"><w:body><w:p><w:r><w:t>')
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"<w:r><w:t>\xe7\x82\xb8</w:t></w:r>" * (1 << 15)  # 炸, 800 KB of runs
    packed = bytearray(compressor.compress(head))
    size, crc = len(head), zlib.crc32(head)
    for _ in range(320):
        packed += compressor.compress(chunk)
        size += len(chunk)
        crc = zlib.crc32(chunk, crc)
    packed += compressor.flush()
    return _raw_zip("word/document.xml", bytes(packed), size, crc)


def _raw_zip(name: str, packed: bytes, size: int, crc: int) -> bytes:
    """A one-member zip of already deflated bytes (zipfile would inflate them first)."""
    import struct

    encoded = name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x5881, crc, len(packed),
                        size, len(encoded), 0) + encoded
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x5881, crc,
                          len(packed), size, len(encoded), 0, 0, 0, 0, 0, 0) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central),
                      len(local) + len(packed), 0)
    return local + packed + central + end


def truncated(data: bytes) -> bytes:
    """The first 60% of a file: a transfer cut short, a file damaged on the server."""
    return data[: len(data) * 3 // 5]
