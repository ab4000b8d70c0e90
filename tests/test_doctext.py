"""Attachment text (archive/doctext/): each format read, each bad document its own kind."""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from archive.doctext import MAX_CELLS, DocumentError, base, extract_text, ole2, pdf, programs, sniff
from crawler.sample_portal.documents import cjk_pdf
from crawler.sample_portal.msdoc import compound_file, word97

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


def need(what: str, found: object, package: str) -> None:
    """Skip without `what`, but fail under .ci/run (GOVARC_REQUIRE_BROWSER=1)."""
    if found:
        return
    message = f"{what} is not installed (apt-get install {package})"
    if os.environ.get("GOVARC_REQUIRE_BROWSER"):
        pytest.fail(f"GOVARC_REQUIRE_BROWSER is set but {message}")
    pytest.skip(message)


def test_a_chinese_pdf_printed_by_chromium_is_read_exactly(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need("Chromium, to print a PDF with,", chromium, "chromium")
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
    assert (result.format, result.pages, result.method) == ("pdf", 1, "text-layer")
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
    (docx()[:400], "corrupt"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 20, "corrupt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "corrupt"),
    (compound_file({"PowerPoint Document": bytes(100)}), "unsupported"),
    (compound_file({"EncryptionInfo": bytes(100), "EncryptedPackage": bytes(100)}),
     "encrypted"),
    (word97(PARAGRAPHS, encrypted=True), "encrypted"),
    (word97(PARAGRAPHS)[:6000], "corrupt"),
    (b"CEBX\x00\x01" + bytes(100), "unsupported"),
    (bytes(range(256)), "corrupt"),
], ids=["zip-bomb", "truncated-docx", "broken-pdf", "ole2-header-only",
        "ole2-powerpoint", "encrypted-docx", "encrypted-doc", "truncated-doc", "ceb",
        "garbage"])
def test_bad_documents_fail_with_their_own_kind(data, kind):
    with pytest.raises(DocumentError) as caught:
        extract_text(data)
    assert caught.value.kind == kind, caught.value


def test_an_image_only_pdf_says_so():
    with pytest.raises(DocumentError) as caught:
        extract_text(_pdf_with_image())
    assert caught.value.kind == "image-only"


# -- DOC, WPS, XLS, ET ----------------------------------------------------------------------------
def test_doc_and_wps_are_read_by_antiword():
    need("antiword", shutil.which("antiword"), "antiword")
    data = word97(PARAGRAPHS)
    assert sniff(data) == "ole2"
    result = extract_text(data, name="通知.doc")
    assert (result.format, result.method, result.text) == ("doc", "antiword",
                                                           "\n".join(PARAGRAPHS))
    wps = extract_text(data, name="http://www.yn.gov.cn/附件/通知.WPS")
    assert (wps.format, wps.text) == ("wps", result.text)


def test_a_doc_antiword_cannot_read_is_corrupt():
    need("antiword", shutil.which("antiword"), "antiword")
    data = bytearray(word97(PARAGRAPHS))
    struct.pack_into("<I", data, 512 + 0x1A2, 0x7FFFFF00)  # fcClx far past the table stream
    with pytest.raises(DocumentError) as caught:
        extract_text(bytes(data))
    assert caught.value.kind == "corrupt" and "antiword" in str(caught.value)


def test_without_antiword_a_doc_is_unsupported_and_says_what_to_install(monkeypatch):
    monkeypatch.setattr(ole2.shutil, "which", lambda name: None)
    with pytest.raises(DocumentError) as caught:
        extract_text(word97(PARAGRAPHS), name="a.wps")
    assert caught.value.kind == "unsupported"
    assert "WPS" in str(caught.value) and "apt-get install antiword" in str(caught.value)


def xls(rows: list[list[str | int | float]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("清单")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHEET: list[list[str | int | float]] = [["序号", "事项", "扶贫资金（万元）"],
                                        [1, "曲靖市沾益区", 356.5]]


def test_xls_and_et_are_read_by_xlrd():
    result = extract_text(xls(SHEET))
    assert (result.format, result.method) == ("xls", "xlrd")
    assert result.text == "序号\t事项\t扶贫资金（万元）\n1\t曲靖市沾益区\t356.5"
    assert extract_text(xls(SHEET), name="表.et").format == "et"


def test_an_xls_past_max_cells_is_too_large(monkeypatch):
    monkeypatch.setattr(base, "MAX_CELLS", 5)
    with pytest.raises(DocumentError) as caught:
        extract_text(xls(SHEET))
    assert caught.value.kind == "too-large"


def test_an_xls_with_a_filepass_record_is_encrypted():
    import olefile

    with olefile.OleFileIO(io.BytesIO(xls(SHEET))) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
    at = 0
    while int.from_bytes(stream[at:at + 2], "little") != 0x005C:  # WRITEACCESS, after BOF
        at += 4 + int.from_bytes(stream[at + 2:at + 4], "little")
    stream[at:at + 2] = struct.pack("<H", 0x002F)  # a FILEPASS record in its place: RC4
    stream[at + 4:at + 8] = struct.pack("<HH", 1, 1)
    with pytest.raises(DocumentError) as caught:
        extract_text(compound_file({"Workbook": bytes(stream)}))
    assert caught.value.kind == "encrypted"


# -- OCR ----------------------------------------------------------------------------------------
FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]


def scanned_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF whose pages are each a grayscale image of `lines` (a scan: no text layer)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFont

    font_path = next((f for f in FONTS if Path(f).exists()), None)
    need("A CJK font", font_path, "fonts-noto-cjk")
    index = 2 if "Noto" in str(font_path) else 0  # Noto Sans CJK SC in the collection
    font = ImageFont.truetype(str(font_path), 36, index=index)
    image = Image.new("RGB", (1240, 100 + 80 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 50 + 80 * i), line, font=font, fill="black")
    pdf = pdfium.PdfDocument.new()
    width, height = 595, 595 * image.height / image.width
    for _ in range(pages):
        page = pdf.new_page(width, height)
        picture = pdfium.PdfImage.new(pdf)
        picture.set_bitmap(pdfium.PdfBitmap.from_pil(image))
        picture.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def need_tesseract() -> None:
    tesseract = shutil.which("tesseract")
    need("tesseract", tesseract, "tesseract-ocr tesseract-ocr-chi-sim")
    langs = subprocess.run([str(tesseract), "--list-langs"], capture_output=True, text=True)
    need("Tesseract's chi_sim model", "chi_sim" in langs.stdout.split(),
         "tesseract-ocr-chi-sim")


def test_ocr_reads_the_chinese_of_a_scanned_pdf():
    need_tesseract()
    result = extract_text(scanned_pdf(PARAGRAPHS), ocr=True)
    assert (result.format, result.pages, result.method, result.note) == ("pdf", 1, "ocr",
                                                                         None)
    # Tesseract misreads a character or two (关→天, 益→蔓 at some sizes) and gives ASCII
    # punctuation for full-width; whole words are found all the same.
    for words in ("2026年度扶贫资金公开工作的通知", "人民政府", "乡村振兴工作方案",
                  "请认真贯彻执行"):
        assert words in result.text


def test_with_ocr_off_a_scan_is_image_only_and_says_how_to_turn_it_on():
    with pytest.raises(DocumentError) as caught:
        extract_text(scanned_pdf(PARAGRAPHS[:1]))
    assert caught.value.kind == "image-only" and "GOVARC_OCR=1" in str(caught.value)


def test_ocr_stops_at_max_ocr_pages_and_says_so(monkeypatch):
    need_tesseract()
    monkeypatch.setattr(base, "MAX_OCR_PAGES", 1)
    result = extract_text(scanned_pdf(["乡村振兴工作方案"], pages=2), ocr=True)
    assert (result.pages, result.method) == (2, "ocr")
    assert result.note == "OCR of the first 1 of 2 pages (MAX_OCR_PAGES)"
    assert result.text == "乡村振兴工作方案"


def test_ocr_without_tesseract_or_its_model_is_unsupported(monkeypatch, tmp_path):
    data = scanned_pdf(["曲靖市沾益区"])
    if shutil.which("tesseract"):
        monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # no chi_sim.traineddata there
        with pytest.raises(DocumentError) as caught:
            extract_text(data, ocr=True)
        assert caught.value.kind == "unsupported"
        assert "tesseract-ocr-chi-sim" in str(caught.value)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(DocumentError) as caught:
        extract_text(data, ocr=True)
    assert caught.value.kind == "unsupported"
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in str(caught.value)


def test_programs_run_within_their_time_and_output_bounds():
    assert programs.run(["cat"], b"x" * 200_000, 5, 10**6) == (0, b"x" * 200_000, b"")
    code, out, _ = programs.run(["yes"], b"", 5, 1000)
    assert (code, out) == (-1, b"y\n" * 500)
    with pytest.raises(DocumentError) as caught:
        programs.run(["sleep", "5"], b"", 0.2, 1000)
    assert caught.value.kind == "too-large"


def test_past_max_cells_or_max_pages_the_text_read_so_far_is_kept_with_a_note(monkeypatch):
    sheet = extract_text(xlsx([[i, i * 7 + 1, i * 13 + 5, i % 97]
                               for i in range(MAX_CELLS // 4 + 10)]))
    assert sheet.note == f"the first {MAX_CELLS:,} cells (MAX_CELLS)"
    assert sheet.text.count("\n") == MAX_CELLS // 4 - 1
    monkeypatch.setattr(base, "MAX_PAGES", 2)
    long = extract_text(cjk_pdf([[f"第{n}页"] for n in range(1, 6)]))
    assert (long.pages, long.text, long.note) == (5, "第1页\n第2页",
                                                  "the first 2 of 5 pages (MAX_PAGES)")
