"""A WARC file cut short by kill -9 is repaired to its last complete record."""

from __future__ import annotations

import random
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.warc import HttpExchange, WarcRecorder, warc_files
from archive.warc_repair import repair_open_files


def _write_unclosed(folder: Path, n: int) -> tuple[Path, list]:
    recorder = WarcRecorder(folder)
    body = random.Random(1).randbytes(5000)
    locations = [
        recorder.write_exchange(HttpExchange(
            url=f"http://127.0.0.1:8000/a/{i}.html", method="GET", request_headers=[],
            request_body=b"", status=200, response_headers=[("Content-Type", "text/html")],
            response_body=body))
        for i in range(n)
    ]
    recorder.flush()  # what a killed process leaves: bytes on disk, file still `.open`
    recorder._fh.close()  # let go of the file without closing the WARC (no rename)
    recorder._fh = None
    (path,) = folder.glob("*.open")
    return path, locations


def test_truncated_open_file_keeps_every_complete_record(tmp_path: Path):
    path, locations = _write_unclosed(tmp_path, 3)
    cut = locations[2].response.offset + 100  # in the middle of the third response
    with open(path, "r+b") as fh:
        fh.truncate(cut)
    (repair,) = repair_open_files(tmp_path)
    assert repair.kept_bytes == locations[2].response.offset
    assert repair.dropped_bytes == 100
    assert not list(tmp_path.glob("*.open"))
    (closed,) = warc_files(tmp_path)
    with open(closed, "rb") as fh:
        kinds = [r.rec_type for r in ArchiveIterator(fh)]
    assert kinds == ["warcinfo"] + ["response", "request"] * 2


def test_complete_open_file_is_just_closed(tmp_path: Path):
    path, _ = _write_unclosed(tmp_path, 2)
    size = path.stat().st_size
    (repair,) = repair_open_files(tmp_path)
    assert (repair.kept_bytes, repair.dropped_bytes) == (size, 0)


def test_file_without_a_complete_record_is_removed(tmp_path: Path):
    path, _ = _write_unclosed(tmp_path, 1)
    with open(path, "r+b") as fh:
        fh.truncate(50)
    (repair,) = repair_open_files(tmp_path)
    assert repair.kept_bytes == 0 and not list(tmp_path.iterdir())
