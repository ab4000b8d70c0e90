"""The benchmark's table never shows a missed target as met by rounding."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import run as bench_run

RESULTS = Path(__file__).resolve().parent.parent / "bench" / "results-2026-12-05.json"


def test_a_ratio_that_rounds_onto_its_target_keeps_its_digits():
    assert bench_run.times(0.7996, 0.8) == "0.7996x"
    assert bench_run.times(1.1504, 1.15) == "1.1504x"
    assert bench_run.times(0.8, 0.8) == "0.80x"
    assert bench_run.times(0.7234, 0.8) == "0.72x"
    assert bench_run.times(1.2345) == "1.23x"


def test_the_crawl_rows_say_miss_for_a_hair_below_the_target():
    """A full run's results, govarc set at 0.7996x scrapy-webarchive's median."""
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    crawl = results["crawl"]
    peer = statistics.median(r["pages_per_s"] for r in crawl["scrapy-webarchive"])
    for r in crawl["govarc"]:
        r["pages_per_s"] = 0.7996 * peer
    row = next(r for r in bench_run.build_rows(results)
               if "govarc / scrapy-webarchive" in r.measure)
    assert (row.figure, row.status) == ("0.7996x", "MISS")
