"""Which tool reads Word and Excel 97-2003 attachments: antiword or catdoc, xlrd or xls2csv.

Usage: python bench/doc_text.py [--repeat N] [--json FILE]

The issue asks for the choice by measurement. Word files (.doc, and Kingsoft .wps, the same
format) come from two writers: crawler/sample_portal/msdoc.py (`ours-N`: N paragraphs) and,
when Debian's LibreOffice is installed, LibreOffice itself (`lo-N`: a DOCX of the same
paragraphs converted to "MS Word 97"), so the tools are not measured on our writer alone.
Excel files come from xlwt (`xlwt-R`: R rows of 10 cells, Chinese text and numbers) and
LibreOffice's re-save of them (`lo-xlwt-R`). The text is the sample portal's generated
articles (crawler/sample_portal), so it is known exactly. Bad files: truncated at half and
at 4 KB, a FAT overwritten with noise, an OLE2 signature followed by noise, encrypted
(fEncrypted in the FIB; a FILEPASS record in the workbook).

OCR (`--ocr`, with Tesseract and its chi_sim model): archive.doctext's OCR of a PDF whose
page is an image of text drawn with Noto Sans CJK SC: the 3 lines of the unit test
(tests/test_doctext.py) and an A4 page of body text (16 pt, a 200 dpi scan), scored by
character F1 as written and NFKC-normalised (Tesseract gives ASCII for full-width `（：`).

Each tool is scored by character F1 (multisets of characters, whitespace and the CSV
punctuation `",` removed on both sides) and timed per file (median of --repeat runs,
the subprocess included); on bad files the exit code, the time and whether it hung (a 10 s
timeout) are shown.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from crawler.sample_portal import build_site  # noqa: E402
from crawler.sample_portal.msdoc import word97  # noqa: E402

TIMEOUT = 10.0
DROP = set(' \t\r\n\f\v",\u3000\ufeff')
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def paragraphs(count: int, offset: int = 0) -> list[str]:
    lines: list[str] = []
    for article in build_site().articles[offset:]:
        lines.extend(line for line in article.text.split("\n") if line)
        if len(lines) >= count:
            break
    return lines[:count]


def char_f1(expected: str, got: str) -> float:
    """F1 of the character multisets, whitespace and CSV punctuation left out."""
    e = Counter(c for c in expected if c not in DROP)
    g = Counter(c for c in got if c not in DROP)
    tp = sum((e & g).values())
    if tp == 0:
        return 1.0 if not e and not g else 0.0
    p, r = tp / sum(g.values()), tp / sum(e.values())
    return 2 * p * r / (p + r)


def docx(lines: list[str]) -> bytes:
    """A minimal DOCX LibreOffice opens (content types, relationships, document)."""
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicat'
            'ion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conte'
            'ntType="application/xml"/><Override PartName="/word/document.xml" ContentType="ap'
            'plication/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openx'
            'mlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sc'
            'hemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Targe'
            't="word/document.xml"/></Relationships>'))
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                         f"<w:document {W_NS}><w:body>{body}</w:body></w:document>")
    return out.getvalue()


def xls(rows: int, offset: int) -> tuple[bytes, str]:
    """An xlwt workbook of `rows` rows × 10 cells, and its text (tab and newline separated)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("清单")
    words = [w for line in paragraphs(200, offset) for w in line.split("，") if w]
    lines = []
    for r in range(rows):
        values: list[str | int | float] = []
        for c in range(10):
            value: str | int | float
            if c % 3 == 0:
                value = r * 10 + c
            elif c % 3 == 1:
                value = round(r * 3.25 + c, 2)
            else:
                value = words[(r * 7 + c) % len(words)][:30].replace(",", "").replace('"', "")
            sheet.write(r, c, value)
            values.append(int(value) if isinstance(value, float) and value.is_integer()
                          else value)
        lines.append("\t".join(map(str, values)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), "\n".join(lines)


def soffice_convert(files: dict[str, bytes], target: str, work: Path) -> dict[str, bytes]:
    """The files converted by LibreOffice to `target` (e.g. 'doc:MS Word 97'); {} without it."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return {}
    src, dst = work / f"src-{target[:3]}", work / f"dst-{target[:3]}"
    src.mkdir(exist_ok=True)
    dst.mkdir(exist_ok=True)
    for name, data in files.items():
        (src / name).write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                    "--convert-to", target, "--outdir", str(dst),
                    *[str(src / n) for n in files]], capture_output=True, timeout=300)
    suffix = "." + target.split(":")[0]
    return {name: (dst / name).with_suffix(suffix).read_bytes() for name in files
            if (dst / name).with_suffix(suffix).exists()}


def bad_variants(prefix: str, good: bytes) -> dict[str, bytes]:
    noise = random.Random(7).randbytes
    fat_at = 512 * (1 + int.from_bytes(good[0x4C:0x50], "little"))
    return {f"{prefix}-truncated-half": good[:len(good) // 2],
            f"{prefix}-truncated-4k": good[:4096],
            f"{prefix}-noise-fat": good[:fat_at] + noise(512) + good[fat_at + 512:],
            f"{prefix}-noise-body": good[:8] + noise(len(good) - 8)}


def with_filepass(data: bytes, work: Path) -> bytes:
    """The workbook with its WRITEACCESS record replaced by a FILEPASS (RC4) of the same size."""
    import olefile

    path = work / "filepass.xls"
    path.write_bytes(data)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        stream = bytearray(ole.openstream("Workbook").read())
        at = 0
        while at + 4 <= len(stream):
            kind, size = int.from_bytes(stream[at:at + 2], "little"), \
                int.from_bytes(stream[at + 2:at + 4], "little")
            if kind == 0x005C:
                stream[at:at + 2] = (0x002F).to_bytes(2, "little")
                stream[at + 4:at + 8] = bytes([1, 0, 1, 0])  # RC4, version 1
                break
            at += 4 + size
        ole.write_stream("Workbook", bytes(stream))
    return path.read_bytes()


# -- the tools --------------------------------------------------------------------------------
def run_tool(argv: list[str], data: bytes, work: Path, suffix: str) -> dict[str, Any]:
    path = work / f"input{suffix}"
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        done = subprocess.run([*argv, str(path)], capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"rc": "hang", "ms": TIMEOUT * 1000, "text": "", "err": "timeout"}
    ms = (time.perf_counter() - start) * 1000
    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return {"rc": done.returncode, "ms": ms, "text": done.stdout.decode("utf-8", "replace"),
            "err": err[0][:60] if err else ""}


def run_xlrd(data: bytes, work: Path, suffix: str) -> dict[str, Any]:
    import xlrd

    start = time.perf_counter()
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
        lines = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            for r in range(sheet.nrows):
                values = []
                for cell in sheet.row(r):
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_NUMBER and value == int(value):
                        value = int(value)
                    values.append(str(value))
                lines.append("\t".join(values))
            book.unload_sheet(index)
        rc, err, text = 0, "", "\n".join(lines)
    except Exception as exc:  # a benchmark records whatever the reader raises
        rc, err, text = 1, f"{type(exc).__name__}: {exc}"[:60], ""
    return {"rc": rc, "ms": (time.perf_counter() - start) * 1000, "text": text, "err": err}


WORD_TOOLS: dict[str, Callable[[bytes, Path, str], dict[str, Any]]] = {
    "antiword": lambda d, w, s: run_tool(["antiword", "-w", "0", "-m", "UTF-8.txt"], d, w, s),
    "catdoc": lambda d, w, s: run_tool(["catdoc", "-w", "-d", "utf-8"], d, w, s),
}
EXCEL_TOOLS: dict[str, Callable[[bytes, Path, str], dict[str, Any]]] = {
    "xlrd": run_xlrd,
    "xls2csv": lambda d, w, s: run_tool(["xls2csv", "-d", "utf-8", "-q", "0"], d, w, s),
}


def measure(tools: dict[str, Callable[[bytes, Path, str], dict[str, Any]]],
            files: dict[str, tuple[bytes, str | None]], suffix: str, repeat: int,
            work: Path) -> list[dict[str, Any]]:
    rows = []
    for name, (data, expected) in files.items():
        row: dict[str, Any] = {"file": name, "bytes": len(data)}
        for tool, fn in tools.items():
            runs = [fn(data, work, suffix) for _ in range(repeat if expected else 1)]
            last = runs[-1]
            row[tool] = {"ms": statistics.median(r["ms"] for r in runs), "rc": last["rc"],
                         "err": last["err"], "chars": len(last["text"].strip())}
            if expected is not None:
                row[tool]["f1"] = char_f1(expected, last["text"])
        rows.append(row)
    return rows


def print_table(title: str, rows: list[dict[str, Any]], tools: list[str]) -> None:
    print(f"\n{title}")
    head = f"{'file':<26}{'bytes':>9}"
    for tool in tools:
        head += f" | {tool + ' F1':>12}{'ms':>8}{'rc':>6}"
    print(head)
    print("-" * len(head))
    for row in rows:
        line = f"{row['file']:<26}{row['bytes']:>9,}"
        for tool in tools:
            cell = row[tool]
            score = f"{cell['f1']:.4f}" if "f1" in cell else f"({cell['chars']} ch)"
            line += f" | {score:>12}{cell['ms']:>8.1f}{cell['rc']!s:>6}"
        print(line)
    for tool in tools:
        good = [r[tool] for r in rows if "f1" in r[tool]]
        if good:
            print(f"  {tool}: mean F1 {statistics.mean(c['f1'] for c in good):.4f}, "
                  f"median {statistics.median(c['ms'] for c in good):.1f} ms per file; "
                  "errors on bad files: "
                  + "; ".join(f"{r['file']}: {r[tool]['err'] or '-'}" for r in rows
                              if "f1" not in r[tool])[:400])


def scan(lines: list[str], width_px: int, font_px: int,
         page_pt: tuple[float, float]) -> tuple[str, bytes]:
    """A one-page PDF whose page is an image of `lines` (wrapped to the width, cut at the
    foot of the page), and the text drawn."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                              font_px, index=2)  # Noto Sans CJK SC
    per_line = (width_px - 2 * font_px) // font_px
    wrapped = [line[i:i + per_line] for line in lines for i in range(0, len(line), per_line)]
    height = int(width_px * page_pt[1] / page_pt[0])
    image = Image.new("RGB", (width_px, height), "white")
    draw = ImageDraw.Draw(image)
    drawn = []
    for i, line in enumerate(wrapped):
        if font_px + i * font_px * 1.8 > height - 2 * font_px:
            break
        draw.text((font_px, font_px + i * font_px * 1.8), line, font=font, fill="black")
        drawn.append(line)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(*page_pt)
    picture = pdfium.PdfImage.new(pdf)
    picture.set_bitmap(pdfium.PdfBitmap.from_pil(image))
    picture.set_matrix(pdfium.PdfMatrix().scale(*page_pt))
    page.insert_obj(picture)
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return "\n".join(drawn), out.getvalue()


def measure_ocr(repeat: int) -> list[dict[str, Any]]:
    from archive.doctext import extract_text

    test_lines = ["关于做好2026年度扶贫资金公开工作的通知", "各州（市）人民政府：",
                  "现将曲靖市沾益区乡村振兴工作方案印发给你们，请认真贯彻执行。"]
    body = paragraphs(12, offset=300)
    cases = {"test image (3 lines)": scan(test_lines, 1240, 36, (595, 192)),
             "A4 page, 16 pt, 200 dpi": scan(body, 1654, 44, (595, 842))}
    rows = []
    for name, (expected, data) in cases.items():
        times, text = [], ""
        for _ in range(max(1, repeat // 2)):
            start = time.perf_counter()
            text = extract_text(data, ocr=True).text
            times.append(time.perf_counter() - start)
        shown = "".join(text.split())
        nfkc = unicodedata.normalize
        rows.append({"case": name, "chars": len(shown), "f1": char_f1(expected, text),
                     "f1_nfkc": char_f1(nfkc("NFKC", expected), nfkc("NFKC", text)),
                     "s": statistics.median(times)})
    print("\nOCR (archive.doctext, tesseract -l chi_sim, pages rendered at 300 dpi)")
    for row in rows:
        print(f"  {row['case']:<26} {row['chars']:>5} chars  F1 {row['f1']:.3f}  "
              f"NFKC F1 {row['f1_nfkc']:.3f}  {row['s']:.2f} s/page")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--ocr", action="store_true", help="also measure OCR (Tesseract)")
    args = parser.parse_args(argv)
    missing = [t for t in ("antiword", "catdoc", "xls2csv") if shutil.which(t) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install antiword catdoc)",
              file=sys.stderr)
        return 2
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docs: dict[str, tuple[bytes, str | None]] = {}
        sources: dict[str, list[str]] = {}
        for count in (1, 10, 50, 200):
            lines = paragraphs(count, offset=count)
            sources[f"{count}"] = lines
            docs[f"ours-{count}"] = (word97(lines), "\n".join(lines))
        converted = soffice_convert({f"lo-{n}.docx": docx(sources[n]) for n in ("10", "200")},
                                    "doc:MS Word 97", work)
        for name, data in converted.items():
            docs[name.removesuffix(".docx")] = (data, "\n".join(sources[name[3:-5]]))
        for name, data in bad_variants("ours-200", docs["ours-200"][0]).items():
            docs[name] = (data, None)
        if "lo-200" in docs:
            docs["lo-200-truncated-half"] = (docs["lo-200"][0][:len(docs["lo-200"][0]) // 2],
                                             None)
        docs["ours-encrypted"] = (word97(sources["10"], encrypted=True), None)
        results["doc"] = measure(WORD_TOOLS, docs, ".doc", args.repeat, work)
        print_table("Word 97-2003 (.doc/.wps)", results["doc"], list(WORD_TOOLS))

        sheets: dict[str, tuple[bytes, str | None]] = {}
        for rows in (10, 1000, 10000):
            sheets[f"xlwt-{rows}"] = xls(rows, offset=rows % 97)
        lo = soffice_convert({f"lo-xlwt-{r}.xls": sheets[f"xlwt-{r}"][0] for r in (10, 1000)},
                             "xls:MS Excel 97", work)
        for name, data in lo.items():
            sheets[name.removesuffix(".xls")] = (data, sheets[name[3:-4]][1])
        for name, data in bad_variants("xlwt-1000", sheets["xlwt-1000"][0]).items():
            sheets[name] = (data, None)
        sheets["xlwt-encrypted"] = (with_filepass(sheets["xlwt-10"][0], work), None)
        results["xls"] = measure(EXCEL_TOOLS, sheets, ".xls", args.repeat, work)
        print_table("Excel 97-2003 (.xls/.et)", results["xls"], list(EXCEL_TOOLS))
    if args.ocr:
        results["ocr"] = measure_ocr(args.repeat)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
