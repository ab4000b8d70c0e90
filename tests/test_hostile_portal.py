"""A compromised portal neither stops nor slows the archive: each attack of the security
review is archived and recorded as what it is, while an ordinary portal crawled at the
same time goes on being captured."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import FAST, REPO, assert_same_pointers, govarc, query
from tests.hostile_portal import HostilePortal, OrdinaryPortal

BUDGET = "2"  # seconds of extraction per page: the 15 MB page and 50,000 attributes pass it


def crawl(registry: Path, folder: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(folder / "a.db"), "--warc-dir", str(folder / "warc"), *FAST,
         "-s", f"GOVARC_EXTRACT_BUDGET={BUDGET}", "-s", "GOVARC_EXTRACT_WORKERS=1"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return result, time.perf_counter() - started


def capture_gaps(db: Path, portal: str) -> list[float]:
    times = sorted(datetime.fromisoformat(at) for (at,) in query(
        db, "SELECT captured_at FROM captures WHERE portal = ?", [portal]))
    return [(later - earlier).total_seconds() for earlier, later in pairwise(times)]


@pytest.mark.slow
def test_a_hostile_portal_neither_stops_nor_slows_the_archive(tmp_path):
    ordinary = OrdinaryPortal()
    baseline = HostilePortal(hostile=False)
    try:
        (tmp_path / "baseline").mkdir()
        result, plain_time = crawl(baseline.registry(tmp_path / "baseline.toml", ordinary),
                                   tmp_path / "baseline")
        assert result.returncode == 0, result.stderr
    finally:
        baseline.close()
    hostile = HostilePortal()
    try:
        folder = tmp_path / "hostile"
        folder.mkdir()
        result, hostile_time = crawl(hostile.registry(tmp_path / "hostile.toml", ordinary),
                                     folder)
        db = folder / "a.db"
        gaps = capture_gaps(db, "ordinary")
        print(f"baseline {plain_time:.1f} s, hostile {hostile_time:.1f} s, "
              f"longest gap {max(gaps):.2f} s")
        assert result.returncode == 1, result.stderr  # failures recorded, the run complete
        assert query(db, "SELECT status FROM crawl_runs") == [("partial",)]  # not stopped
        assert hostile_time < 3 * plain_time, (hostile_time, plain_time)

        # The ordinary portal was captured all along: no gap of 5 s between its captures,
        # and its captures span the hostile portal's.
        gaps = capture_gaps(db, "ordinary")
        assert len(gaps) == ordinary.articles + 1 - 1 and max(gaps) < 5, max(gaps)
        span = query(db, "SELECT min(captured_at), max(captured_at) FROM captures "
                         "WHERE portal = ?", ["ordinary"])[0]
        hostile_span = query(db, "SELECT min(captured_at), max(captured_at) FROM captures "
                                 "WHERE portal = ?", ["hostile"])[0]
        assert span[0] < hostile_span[1] and span[1] > hostile_span[0]
        assert query(db, "SELECT count(*) FROM articles WHERE portal = 'ordinary'") == [
            (ordinary.articles,)]

        # Every hostile page is in the WARC and recorded as what it is.
        base = hostile.trs.base
        captured = {url for (url,) in query(db, "SELECT url FROM captures")}
        assert {base + path for path in hostile.expected} <= captured
        failures = dict(query(db, "SELECT url, kind FROM failures WHERE portal = 'hostile'"))
        articles = {url for (url,) in query(db, "SELECT url FROM articles")}
        for path, kind in hostile.expected.items():
            if kind == "article":
                assert base + path in articles, (path, failures.get(base + path))
            else:
                assert failures.get(base + path) == kind, (path, failures.get(base + path))
        assert {base + path for path in HostilePortal.ORDINARY} <= articles
        assert hostile.elsewhere.asked == []  # the other port was never asked
        flags = set(query(db, "SELECT url, kind FROM flags"))
        assert (base + "/xw/202604/t20260418_18.html", "injected-terms") in flags
        assert (base + "/xw/202604/t20260417_17.html", "deep-nesting") in flags
        # The Hanweb list page under attack still gave its two articles.
        assert query(db, "SELECT count(*) FROM articles WHERE portal = 'hostile-hw'") == [(2,)]

        verify = govarc("verify", "--db", str(db), "--warc-dir", str(folder / "warc"))
        assert verify.returncode == 0, verify.stdout + verify.stderr

        # The WARC alone gives the same archive back, timeouts included (same budget).
        rebuilt = folder / "rebuilt.db"
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "rebuild", "--warc-dir", str(folder / "warc"),
             "--db", str(rebuilt)], capture_output=True, text=True, cwd=REPO, timeout=600,
            env={**os.environ, "PYTHONWARNINGS": "ignore", "GOVARC_EXTRACT_BUDGET": BUDGET})
        assert result.returncode == 0, result.stderr
        assert_same_pointers(db, rebuilt)
        assert sorted(query(rebuilt, "SELECT url, kind FROM failures")) == sorted(
            query(db, "SELECT url, kind FROM failures"))
    finally:
        hostile.close()
        ordinary.close()
