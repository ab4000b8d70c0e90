"""Attachment text (archive/doctext.py): each format read, each bad document its own kind."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from archive.doctext import MAX_CELLS, DocumentError, extract_text, sniff

PARAGRAPHS = ["关于做好2026年度扶贫资金公开工作的通知", "各州（市）人民政府：",
              "现将曲靖市沾益区乡村振兴工作方案印发给你们，请认真贯彻执行。"]
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


def _zip(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx(body: str | None = None) -> bytes:
    if body is None:
        body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in PARAGRAPHS)
    return _zip({"[Content_Types].xml": "<Types/>",
                 "word/document.xml": f"<w:document {W_NS}><w:body>{body}</w:body>"
                                      "</w:document>"})


def xlsx(rows: list[list[str | int]]) -> bytes:
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for value in row:
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cells.append(f"<c><v>{value}</v></c>")
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return _zip({"xl/workbook.xml": f"<workbook {S_NS}/>",
                 "xl/sharedStrings.xml": f"<sst {S_NS}>{shared}</sst>",
                 "xl/worksheets/sheet1.xml": f"<worksheet {S_NS}><sheetData>"
                                             f"{''.join(xml_rows)}</sheetData></worksheet>"})


def ofd(pages: list[list[str]]) -> bytes:
    members: dict[str, str | bytes] = {
        "OFD.xml": f"<ofd:OFD {OFD_NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
                   "</ofd:DocRoot></ofd:DocBody></ofd:OFD>"}
    refs = []
    for i, lines in enumerate(pages):
        refs.append(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>')
        texts = "".join(f'<ofd:TextObject ID="{i}{j}"><ofd:TextCode X="0" Y="{j * 5}">'
                        f"{line}</ofd:TextCode></ofd:TextObject>" for j, line in enumerate(lines))
        members[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f"<ofd:Page {OFD_NS}><ofd:Content><ofd:Layer>{texts}</ofd:Layer></ofd:Content>"
            "</ofd:Page>")
    members["Doc_0/Document.xml"] = (f"<ofd:Document {OFD_NS}><ofd:Pages>{''.join(refs)}"
                                     "</ofd:Pages></ofd:Document>")
    return _zip(members)


def test_docx_xlsx_and_ofd_give_their_text():
    assert sniff(docx()) == "docx" and extract_text(docx()).text == "\n".join(PARAGRAPHS)
    sheet = xlsx([["序号", "事项", "扶贫资金（万元）"], [1, "曲靖市沾益区", 356.5]])
    result = extract_text(sheet)
    assert result.format == "xlsx"
    assert result.text == "序号\t事项\t扶贫资金（万元）\n1\t曲靖市沾益区\t356.5"
    doc = extract_text(ofd([PARAGRAPHS[:2], PARAGRAPHS[2:]]))
    assert (doc.format, doc.pages) == ("ofd", 2)
    assert doc.text == "\n".join(PARAGRAPHS)


def test_a_chinese_pdf_printed_by_chromium_is_read_exactly(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no Chromium to print a PDF with (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, chromium_sandbox=False,
                                    args=["--disable-gpu", "--no-first-run"])
        page = browser.new_page()
        page.set_content(f"<html><head><meta charset='utf-8'></head><body>{paragraphs}"
                         "</body></html>")
        data = page.pdf(format="A4")
        browser.close()
    result = extract_text(data)
    assert (result.format, result.pages) == ("pdf", 1)
    assert result.text.split() == PARAGRAPHS


def _pdf_with_image() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(200, 200)
    image = pdfium.PdfImage.new(pdf)
    bitmap = pdfium.PdfBitmap.new_native(20, 20, pdfium.raw.FPDFBitmap_BGR)
    bitmap.fill_rect((0, 0, 0, 255), 0, 0, 20, 20)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(100, 100))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (_zip({"word/document.xml": " " * 30_000_000}), "zip-bomb"),
    (xlsx([[i, i * 7 + 1, i * 13 + 5, i % 97] for i in range(MAX_CELLS // 4 + 10)]),
     "too-large"),
    (docx()[:400], "corrupt"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 20, "corrupt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "unsupported"),
    (bytes(range(256)), "corrupt"),
], ids=["zip-bomb", "million-cells", "truncated-docx", "broken-pdf", "ole2-doc", "garbage"])
def test_bad_documents_fail_with_their_own_kind(data, kind):
    with pytest.raises(DocumentError) as caught:
        extract_text(data)
    assert caught.value.kind == kind, caught.value


def test_an_image_only_pdf_says_so():
    with pytest.raises(DocumentError) as caught:
        extract_text(_pdf_with_image())
    assert caught.value.kind == "image-only"
