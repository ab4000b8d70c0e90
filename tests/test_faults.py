"""A crawl against a fault-injecting server finishes, retries what is worth it, records
every failure with its kind, keeps its limits, and stays small in memory."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from tests.conftest import REPO, assert_same_pointers, query
from tests.fault_portal import FaultServer

CLIENT_TIMEOUT = 5  # seconds; the server's timeout fault sleeps longer than this


@pytest.fixture(scope="module")
def faulted(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults")
    with FaultServer(client_timeout=CLIENT_TIMEOUT) as server:
        registry = server.write_registry(root / "faults.toml")
        db = root / "a.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
             "--db", str(db), "--warc-dir", str(root / "warc"),
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", f"DOWNLOAD_TIMEOUT={CLIENT_TIMEOUT}", "-s", "RETRY_TIMES=2",
             "-s", "GOVARC_MAX_LIST_PAGES=15"],
            cwd=REPO, capture_output=True, text=True, timeout=300)
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        yield server, db, result, max(peak_kb, before)




def test_the_crawl_finishes_with_partial_failure(faulted):
    _, db, result, _ = faulted
    assert result.returncode == 1, result.stderr
    assert query(db, "SELECT status FROM crawl_runs") == [("partial",)]
    assert "Traceback" not in result.stderr


def test_every_fault_ends_as_expected(faulted):
    server, db, _, _ = faulted
    base = server.base_url
    articles = {u for (u,) in query(db, "SELECT url FROM articles")}
    failures = {u: k for u, k in query(db, "SELECT url, kind FROM failures")}
    for fault in server.site.faults:
        url = base + fault.path
        if fault.expect in ("article", "retry-then-article"):
            assert url in articles, (fault.kind, failures.get(url))
            assert url not in failures, fault.kind
        elif fault.expect.startswith("failure:"):
            assert failures.get(url) == fault.expect.split(":", 1)[1], (fault.kind, url)
            assert url not in articles


def test_retries_happened_for_500_and_503(faulted):
    server, db, _, _ = faulted
    for kind, attempts in (("retry-500", 2), ("retry-503", 3)):
        path = server.site.fault(kind).path
        assert server.attempts[path] >= attempts, kind
        statuses = [s for (s,) in query(db, "SELECT status FROM captures WHERE url = ? "
                                            "ORDER BY id", [server.base_url + path])]
        assert statuses[-1] == 200, (kind, statuses)
    url = server.base_url + server.site.fault("retry-503").path
    statuses = [s for (s,) in query(db, "SELECT status FROM captures WHERE url = ?", [url])]
    assert statuses.count(503) == 2  # every attempt is in the WARC, failed ones too


def test_every_normal_article_is_stored(faulted):
    server, db, _, _ = faulted
    stored = {u for (u,) in query(db, "SELECT url FROM articles")}
    assert {server.base_url + a.path for a in server.site.articles} <= stored


def test_endless_pagination_is_bounded(faulted):
    _, db, _, _ = faulted
    pages = query(db, "SELECT count(*) FROM captures WHERE url LIKE '%/index_%'")[0][0]
    assert pages <= 16


def test_size_limits_hold_and_memory_stays_bounded(faulted):
    _, db, _, peak_kb = faulted
    biggest = query(db, "SELECT max(payload_length) FROM captures")[0][0]
    assert biggest < 17 * 1024 * 1024  # DOWNLOAD_MAXSIZE; the 50 MB page never came in
    assert peak_kb < 400 * 1024, f"peak RSS {peak_kb / 1024:.0f} MB"


def test_rebuild_reproduces_every_pointer_of_every_failure_kind(faulted, tmp_path):
    _, db, _, _ = faulted
    rebuilt = tmp_path / "rebuilt.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "rebuild", "--warc-dir", str(db.parent / "warc"),
         "--db", str(rebuilt)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same_pointers(db, rebuilt)
    kinds = {k for (k,) in query(db, "SELECT DISTINCT kind FROM failures")}
    assert len(kinds) >= 8, kinds
    pointed = {k for (k,) in query(db, "SELECT DISTINCT kind FROM failures "
                                       "WHERE warc_filename IS NOT NULL")}
    assert pointed >= {"challenge", "no-articles", "not-html", "truncated"}, pointed
