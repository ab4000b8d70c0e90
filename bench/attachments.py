"""Attachment text: govarc's reader against the chosen libraries called alone, one run.

The same files both ways: Chinese PDFs with a text layer (the sample portal's generator,
several pages of prose each) and Word 97 DOC files. "Alone" is the library as its own
documentation shows it: pypdfium2 opening the bytes and reading each page's text, antiword
run on the file. "govarc" is the whole path an attachment takes in a crawl's document
worker (archive.attachment_text.text_at): the response record read back from a WARC file,
the format told by its bytes, the memory limit set, the text read and bounded, the row
made. Pages per second (PDF) and files per second (DOC); the ratio is govarc / alone
(target >= 0.8). Run: `python bench/attachments.py [--files N] [--pages N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.attachment_text import text_at
from crawler.sample_portal.documents import cjk_pdf
from crawler.sample_portal.msdoc import word97

PROSE = ("为深入贯彻落实党中央、国务院决策部署，进一步优化营商环境，激发市场主体活力，"
         "现就有关事项通知如下。各地区各部门要加强组织领导，压实工作责任，确保各项措施落地见效。")


def pdf_files(count: int, pages: int) -> list[bytes]:
    return [cjk_pdf([[f"第{n}号文件 第{p}页", PROSE[: 40 + (p * 7) % 40], PROSE[20:],
                      PROSE[: 60]] * 6 for p in range(pages)]) for n in range(count)]


def doc_files(count: int) -> list[bytes]:
    return [word97([f"第{n}号文件", *([PROSE] * 30)]) for n in range(count)]


def write_warc(folder: Path, files: list[tuple[str, bytes, str]]) -> list[tuple[str, int]]:
    """A WARC file of one response record per file; (file name, offset) of each."""
    path = folder / "bench.warc.gz"
    places = []
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body, mime in files:
            headers = StatusAndHeaders("200 OK", [("Content-Type", mime),
                                                  ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                               http_headers=headers)
            places.append((path.name, out.tell()))
            writer.write_record(record)
    return places


def pdfium_alone(files: list[bytes]) -> int:
    import pypdfium2 as pdfium

    pages = 0
    for data in files:
        pdf = pdfium.PdfDocument(data)
        for page in pdf:
            page.get_textpage().get_text_bounded()
            pages += 1
        pdf.close()
    return pages


def antiword_alone(folder: Path, files: list[bytes]) -> int:
    for n, data in enumerate(files):
        path = folder / f"{n}.doc"
        path.write_bytes(data)
        subprocess.run(["antiword", "-m", "UTF-8.txt", str(path)], capture_output=True,
                       check=True)
    return len(files)


def govarc_read(folder: Path, places: list[tuple[str, int]]) -> int:
    pages = 0
    for name, offset in places:
        row = text_at(str(folder), name, offset)
        if row["status"] != "ok":
            raise SystemExit(f"govarc could not read {name}:{offset}: {row}")
        pages += row["pages"] or 1
    return pages


def rate(job, repeat: int) -> tuple[float, list[float]]:
    """Median units per second over `repeat` runs, and every run's rate."""
    rates = []
    for _ in range(repeat):
        started = time.perf_counter()
        units = job()
        rates.append(units / (time.perf_counter() - started))
    return statistics.median(rates), rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pdfs, docs = pdf_files(args.files, args.pages), doc_files(args.files)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        places = write_warc(folder, [(f"http://bench.example/{n}.pdf", d, "application/pdf")
                                     for n, d in enumerate(pdfs)]
                            + [(f"http://bench.example/{n}.doc", d, "application/msword")
                               for n, d in enumerate(docs)])
        pdf_places, doc_places = places[: len(pdfs)], places[len(pdfs):]
        rows = [
            ("PDF pages/s", rate(lambda: pdfium_alone(pdfs), args.repeat),
             rate(lambda: govarc_read(folder, pdf_places), args.repeat), "pypdfium2"),
            ("DOC files/s", rate(lambda: antiword_alone(folder, docs), args.repeat),
             rate(lambda: govarc_read(folder, doc_places), args.repeat), "antiword"),
        ]
    print(f"{args.files} PDFs of {args.pages} pages, {args.files} DOCs; median of "
          f"{args.repeat} runs (spread: min-max)")
    print(f"{'':<13} {'alone':>22} {'govarc':>22} {'ratio':>6}  target >= 0.8")
    for label, (alone, alone_all), (ours, ours_all), library in rows:
        ratio = ours / alone
        print(f"{label:<13} {alone:>9.1f} ({min(alone_all):.0f}-{max(alone_all):.0f}) "
              f"{library:<9} {ours:>9.1f} ({min(ours_all):.0f}-{max(ours_all):.0f}){'':>7} "
              f"{ratio:>6.2f}  {'PASS' if ratio >= 0.8 else 'MISS'}")


if __name__ == "__main__":
    main()
