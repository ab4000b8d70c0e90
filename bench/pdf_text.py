"""Which library reads Chinese PDFs for the archive: pypdfium2 against pdfminer.six.

Usage: python bench/pdf_text.py [--repeat N] [--json FILE]

Issue 18 asks for the choice by measurement. The PDFs are made here, as government
attachments are made: HTML printed to PDF by Chromium (Debian's `chromium`, through
Playwright) with the CJK fonts a Debian machine has (`fonts-noto-cjk`: Noto Serif CJK as
仿宋-like body text, Noto Sans CJK for headings), so every glyph is a CID font with a
ToUnicode map, as in the PDFs portals serve. The text comes from the sample portal's
generated articles (crawler/sample_portal), so it is known exactly:

- notice: a 1-page 通知 (title, 文号, body, 落款);
- report: a 12-page 工作报告 (headings, many paragraphs);
- table: a 3-page 清单 with a bordered table of 4 columns (数据 in cells);
- long: a 60-page compilation (the kind of file that costs time).

Each library's text is scored against the source text as bench/extraction.py scores
bodies (whitespace removed, character 4-gram multisets: precision, recall, F1), also with both
sides NFKC-normalised, and timed per page (best of --repeat runs); the CJK radical code points
(U+2E80–U+2FDF) a library returns where the page shows ordinary characters are listed.
No page image, no OCR: a text layer only.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import io
import json
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from extraction import body_counts, f1  # noqa: E402  (puts the repository on sys.path)

from crawler.sample_portal import build_site  # noqa: E402

STYLE = """<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.6; }
h1, h2 { font-family: "Noto Sans CJK SC", sans-serif; text-align: center; }
h2 { font-size: 16pt; text-align: left; }
p { text-indent: 2em; margin: 0; }
.no { text-align: center; } .sign { text-align: right; }
table { border-collapse: collapse; width: 100%; font-size: 11pt; }
td, th { border: 1px solid #000; padding: 2pt 4pt; }
</style>"""


def _paragraphs(count: int, offset: int = 0) -> list[str]:
    lines: list[str] = []
    for article in build_site().articles[offset:]:
        lines.extend(article.text.split("\n"))
        if len(lines) >= count:
            break
    return lines[:count]


def documents() -> dict[str, tuple[str, str]]:
    """name -> (HTML to print, the text it shows)."""
    out: dict[str, tuple[str, str]] = {}

    def page(title: str, parts: list[tuple[str, str]]) -> tuple[str, str]:
        body, text = [], []
        for tag, content in parts:
            body.append(content if tag == "raw" else f"<{tag}>{html.escape(content)}</{tag}>")
            text.append(content if tag != "raw" else "")
        return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{STYLE}</head><body>"
                + "".join(body) + "</body></html>", "\n".join(t for t in text if t))

    notice = [("h1", "关于做好2026年度政务信息公开工作的通知"), ("p", "某政办发〔2026〕12号")]
    notice += [("p", line) for line in _paragraphs(8)]
    notice += [("p", "某省人民政府办公厅"), ("p", "2026年3月18日")]
    out["notice"] = page("notice", notice)
    report: list[tuple[str, str]] = [("h1", "2025年政府工作报告")]
    for i, line in enumerate(_paragraphs(120, 40)):
        if i % 15 == 0:
            report.append(("h2", f"{'一二三四五六七八九十'[i // 15 % 10]}、重点工作进展"))
        report.append(("p", line))
    out["report"] = page("report", report)
    rows, cells = [], []
    for i, article in enumerate(build_site().articles[200:290]):
        cols = [str(i + 1), article.title[:18], article.source, article.published_at[:10]]
        cells.extend(cols)
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cols) + "</tr>")
    table_html = ("<table><tr><th>序号</th><th>事项名称</th><th>责任单位</th><th>完成时限</th>"
                  "</tr>" + "".join(rows) + "</table>")
    doc, _ = page("table", [("h1", "重点任务清单"), ("raw", table_html)])
    out["table"] = (doc, "\n".join(["重点任务清单", "序号", "事项名称", "责任单位", "完成时限",
                                    *cells]))
    long = [("h1", "政策文件汇编")] + [("p", line) for line in _paragraphs(700, 100)]
    out["long"] = page("long", long)
    return out


async def _print(docs: dict[str, tuple[str, str]], folder: Path, chromium: str) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, chromium_sandbox=False,
                                          args=["--disable-gpu", "--no-first-run"])
        page = await browser.new_page()
        for name, (markup, _) in docs.items():
            await page.set_content(markup)
            await page.pdf(path=str(folder / f"{name}.pdf"), format="A4")
        await browser.close()


def with_pdfium(data: bytes) -> tuple[str, int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        parts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(parts), len(pdf)
    finally:
        pdf.close()


def with_pdfminer(data: bytes) -> tuple[str, int]:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage

    pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    return extract_text(io.BytesIO(data)), pages


LIBRARIES: dict[str, Callable[[bytes], tuple[str, int]]] = {
    "pypdfium2": with_pdfium, "pdfminer.six": with_pdfminer}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", type=Path, help="write the PDFs into this folder")
    args = ap.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("needs Debian's chromium to make the PDFs", file=sys.stderr)
        return 2
    import tempfile

    docs = documents()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        asyncio.run(_print(docs, folder, chromium))
        files = {name: (folder / f"{name}.pdf").read_bytes() for name in docs}
    results: dict[str, Any] = {}
    print(f"{'document':<8}{'pages':>6}{'KB':>7}  " + "".join(
        f"{name + ' F1':>16}{'ms/page':>9}" for name in LIBRARIES))
    totals = {name: [0, 0, 0, 0.0, 0] for name in LIBRARIES}
    for doc, data in files.items():
        row = f"{doc:<8}"
        for name, read in LIBRARIES.items():
            best, text, pages = float("inf"), "", 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                text, pages = read(data)
                best = min(best, time.perf_counter() - started)
            tp, fp, fn = body_counts(docs[doc][1], text)
            score = f1(tp, fp, fn)
            nfkc = f1(*body_counts(unicodedata.normalize("NFKC", docs[doc][1]),
                                   unicodedata.normalize("NFKC", text)))
            radicals = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF})
            total = totals[name]
            total[0] += tp
            total[1] += fp
            total[2] += fn
            total[3] += best
            total[4] += pages
            results.setdefault(doc, {})[name] = {"f1": score, "f1_nfkc": nfkc,
                                                 "radicals": "".join(radicals),
                                                 "seconds": best, "pages": pages,
                                                 "precision": tp / max(1, tp + fp),
                                                 "recall": tp / max(1, tp + fn)}
            if name == "pypdfium2":
                row += f"{pages:>6}{len(data) // 1024:>7}  "
            row += f"{score:>16.4f}{1000 * best / max(1, pages):>9.1f}"
        print(row)
    line = f"{'all':<8}{totals['pypdfium2'][4]:>6}{'':>7}  "
    for tp, fp, fn, seconds, pages in totals.values():
        line += f"{f1(tp, fp, fn):>16.4f}{1000 * seconds / max(1, pages):>9.1f}"
    print(line)
    a, b = totals["pypdfium2"], totals["pdfminer.six"]
    print(f"pypdfium2 / pdfminer.six time: {a[3] / b[3]:.2f}×")
    for name in LIBRARIES:
        nfkc = min(results[doc][name]["f1_nfkc"] for doc in results)
        radicals = "".join(sorted({c for doc in results for c in results[doc][name]["radicals"]}))
        print(f"{name}: lowest F1 after NFKC {nfkc:.4f}; radical code points in its text "
              f"(U+2E80–U+2FDF, where the page shows ordinary characters): "
              f"{radicals[:20] or 'none'}{'…' if len(radicals) > 20 else ''}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
