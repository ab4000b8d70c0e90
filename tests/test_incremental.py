"""Cron-grade crawling: cheap second runs, versions, removals, the lock, kill -9 and resume."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.lock import acquire
from archive.warc import warc_files
from tests.conftest import FAST, REPO, WALLED, govarc, plain_articles, query


def crawl(registry: Path, db: Path, warc: Path, *extra: str) -> subprocess.CompletedProcess:
    return govarc("crawl", "--portal-file", str(registry), "--db", str(db),
                  "--warc-dir", str(warc), *FAST, *extra)


def test_second_run_of_an_unchanged_portal_fetches_no_article(crawled, tmp_path):
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    shutil.copy(crawled.db, db)
    shutil.copytree(crawled.warc_dir, warc)
    result = crawl(crawled.registry, db, warc)
    assert result.returncode in (0, 1), result.stderr
    (run,) = query(db, "SELECT max(id) FROM crawl_runs")
    articles = {u for (u,) in query(db, "SELECT url FROM articles")}
    fetched = [u for (u,) in query(db, "SELECT url FROM captures WHERE run_id = ?", run)]
    assert not [u for u in fetched if u in articles]
    first = query(db, "SELECT count(*) FROM captures WHERE run_id = 1")[0][0]
    assert len(fetched) < first / 10
    (new, changed) = query(db, "SELECT articles_new, articles_changed FROM crawl_runs "
                               "WHERE id = ?", run)[0]
    assert (new, changed) == (0, 0)
    # the list pages were asked conditionally and answered 304 Not Modified
    statuses = Counter(s for (s,) in query(db, "SELECT status FROM captures WHERE run_id = ?",
                                           run))
    assert statuses[304] >= 1


def test_recheck_records_changed_and_removed_articles(mini, tmp_path):
    registry = mini.registry(tmp_path / "mini.toml")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    assert crawl(registry, db, warc).returncode == 0
    edited, deleted = list(mini.articles)[:2]
    mini.articles[edited] = "更正后的正文：曲靖市高质量发展取得新成效。" * 8
    del mini.articles[deleted]
    result = crawl(registry, db, warc, "--recheck")
    assert result.returncode in (0, 1), result.stderr
    url = mini.base + edited
    versions = query(db, "SELECT version, text FROM article_versions WHERE url = ? "
                         "ORDER BY version", [url])
    assert [v for v, _ in versions] == [1, 2] and "更正后" in versions[1][1]
    (text,) = query(db, "SELECT text FROM articles WHERE url = ?", [url])[0]
    assert "更正后" in text
    removed = query(db, "SELECT removed_status FROM articles WHERE url = ?",
                    [mini.base + deleted])
    assert removed == [(404,)]
    assert query(db, "SELECT count(*) FROM articles")[0][0] == 3  # removed, never deleted
    history = govarc("history", url, "--db", str(db))
    assert history.returncode == 0
    assert "version 1" in history.stdout and "version 2" in history.stdout
    assert "+更正后的正文" in history.stdout
    report = govarc("report", "--db", str(db))
    assert "changed    1" in report.stdout and "removed    1" in report.stdout


def test_a_second_crawl_while_one_runs_exits_3_at_once(mini, tmp_path):
    registry = mini.registry(tmp_path / "mini.toml")
    db = tmp_path / "a.db"
    lock = acquire(db)
    try:
        started = time.monotonic()
        result = crawl(registry, db, tmp_path / "warc")
    finally:
        lock.release()
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "another govarc crawl" in result.stderr
    assert time.monotonic() - started < 30
    assert crawl(registry, db, tmp_path / "warc").returncode == 0  # the lock is free again


def _children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pids: list[int]) -> bool:
    """Any of `pids` still running (a zombie counts as gone)."""
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            return True
    return False


@pytest.mark.slow
def test_kill_9_mid_crawl_then_the_next_run_finishes_the_work(sample_portal, tmp_path):
    registry = sample_portal.write_registry(tmp_path / "portals.toml", without=WALLED)
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(db), "--warc-dir", str(warc), *FAST],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if query(db, "SELECT count(*) FROM articles")[0][0] >= 60:
                break
        except sqlite3.Error:
            continue
    workers = _children(process.pid)
    assert workers, "the crawl extracts in worker processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list(warc.glob("*.open")), "the kill should leave a WARC file open"
    deadline = time.monotonic() + 15
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(workers), "extraction workers must not outlive a killed crawl"
    stored_before = query(db, "SELECT count(*) FROM articles")[0][0]
    assert 0 < stored_before < len(plain_articles())

    result = crawl(registry, db, warc)
    assert result.returncode in (0, 1), result.stderr
    expected = {sample_portal.base_urls[a.portal_id] + a.path for a in plain_articles()}
    urls = [u for (u,) in query(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(expected)  # every article, once
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert not list(warc.glob("*.open"))
    ((status, error),) = query(db, "SELECT status, error FROM crawl_runs WHERE id = 1")
    assert status == "failed" and "ended without closing its run" in error  # not 'running'
    assert query(db, "SELECT count(*) FROM crawl_runs WHERE status = 'running'") == [(0,)]
    for path in warc_files(warc):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                record.content_stream().read()
    for url, name, offset in query(db, "SELECT url, warc_filename, warc_offset FROM articles"):
        with open(warc / name, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_type in ("response", "revisit")
            assert record.rec_headers.get_header("WARC-Target-URI") == url
