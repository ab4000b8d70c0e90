"""PDF text: the text layer by pypdfium2 (chosen by bench/pdf_text.py), or with OCR on, what
Tesseract's Simplified Chinese model reads on the rendered pages of a scan."""

from __future__ import annotations

import os
import shutil
from typing import Any

from archive.doctext import base as lim
from archive.doctext.base import DocumentError, DocumentText, clip
from archive.doctext.programs import first_line, run

OCR_DPI = 300  # Tesseract's models are trained on ~300 dpi scans
OCR_MAX_SIDE = 5_000  # pixels: a poster-sized page is rendered smaller, not at 300 dpi
OCR_TIMEOUT = 120.0  # seconds for one page


def read_pdf(data: bytes, ocr: bool) -> DocumentText:
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
        parts, size, images = [], 0, 0
        for index in range(min(count, lim.MAX_PAGES)):
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
            if size > lim.MAX_TEXT:
                break
        if any(parts):
            note = (f"the first {lim.MAX_PAGES} of {count} pages (MAX_PAGES)"
                    if count > lim.MAX_PAGES else None)
            return DocumentText(clip(parts), "pdf", count, "text-layer", note)
        if not images:
            raise DocumentError("corrupt", f"PDF of {count} pages without text")
        if not ocr:
            raise DocumentError("image-only", f"PDF of {count} pages with images and no "
                                "text layer; OCR is off (GOVARC_OCR=1 reads such scans "
                                "with Tesseract)")
        return _ocr(pdf, count)
    finally:
        pdf.close()


def _ocr(pdf: Any, count: int) -> DocumentText:
    """The text Tesseract (chi_sim) reads on the first MAX_OCR_PAGES pages of `pdf`."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise DocumentError("unsupported", "OCR is on but Tesseract is not installed "
                            "(apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per worker process
    parts: list[str] = []
    size = 0
    for index in range(min(count, lim.MAX_OCR_PAGES)):
        page = pdf[index]
        try:
            width, height = page.get_size()
            scale = min(OCR_DPI / 72, OCR_MAX_SIDE / max(width, height, 1.0))
            bitmap = page.render(scale=scale, grayscale=True)
        finally:
            page.close()
        try:
            image = _pgm(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride)
        finally:
            bitmap.close()
        code, out, err = run([tesseract, "stdin", "stdout", "-l", "chi_sim"], image,
                              OCR_TIMEOUT, 4 * lim.MAX_TEXT, env)
        if code > 0:
            message = first_line(err)
            if "chi_sim" in message or "language" in message.lower():
                raise DocumentError("unsupported", "OCR is on but Tesseract's Simplified "
                                    "Chinese model is missing (apt-get install "
                                    f"tesseract-ocr-chi-sim): {message}")
            raise DocumentError("corrupt", f"Tesseract cannot read page {index + 1}: "
                                f"{message}")
        text = "\n".join(_unspace(line) for line in out.decode("utf-8", "replace").split("\n"))
        parts.append(text.strip())
        size += len(text)
        if size > lim.MAX_TEXT:
            break
    if not any(parts):
        raise DocumentError("image-only", f"PDF of {count} pages with images and no text "
                            "layer, in which OCR found no text")
    note = None
    if count > lim.MAX_OCR_PAGES:
        note = f"OCR of the first {lim.MAX_OCR_PAGES} of {count} pages (MAX_OCR_PAGES)"
    return DocumentText(clip(parts), "pdf", count, "ocr", note)


def _pgm(buffer: Any, width: int, height: int, stride: int) -> bytes:
    """A binary PGM (what Tesseract reads from stdin) of an 8-bit grayscale bitmap."""
    view = memoryview(buffer).cast("B")
    if stride == width:
        rows = bytes(view[:width * height])
    else:
        rows = b"".join(view[r * stride:r * stride + width] for r in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + rows


def _unspace(line: str) -> str:
    """A line of OCR text without the spaces Tesseract puts between Chinese characters
    (a space is kept between two words of Latin letters or digits)."""
    words = line.split()
    out = words[:1]
    for word in words[1:]:
        if not (_wide(out[-1][-1]) or _wide(word[0])):
            out.append(" ")
        out.append(word)
    return "".join(out)


def _wide(char: str) -> bool:
    return char >= "\u2e80"  # CJK radicals onwards: ideographs, kana, full-width forms


