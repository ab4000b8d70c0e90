"""Another program holding the archive database locked neither freezes the crawl nor turns
its pages into failures; held too long, it stops the crawl as "database locked"."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from tests.conftest import FAST, REPO, query


def hold_lock(db, seconds: float, started: threading.Event, mini=None) -> None:
    """Take the write lock once the crawl has read its list page, hold it `seconds`."""
    deadline = time.monotonic() + 60
    while mini is not None and "/xw/index.html" not in mini.paths:
        if time.monotonic() > deadline:
            return
        time.sleep(0.02)
    conn = sqlite3.connect(db, timeout=60)
    conn.execute("BEGIN IMMEDIATE")  # the write lock, as a busy sqlite3 shell would hold it
    started.set()
    time.sleep(seconds)
    conn.rollback()
    conn.close()


def first_crawl(mini, tmp_path):
    registry = mini.registry(tmp_path / "mini.toml")
    db = tmp_path / "a.db"
    # A first run creates the archive; the second meets the lock.
    subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--portal-file",
                    str(registry), "--db", str(db), "--warc-dir", str(tmp_path / "warc"),
                    *FAST], cwd=REPO, check=False, capture_output=True, timeout=120)
    mini.paths.clear()
    return registry, db


def test_a_lock_held_for_seconds_delays_writes_and_loses_nothing(mini, tmp_path):
    registry, db = first_crawl(mini, tmp_path)
    for n in range(4, 10):
        mini.articles[f"/xw/202604/t2026041{n}_{n}.html"] = f"第{n}篇新稿件的正文。" * 20
    for n in range(4, 10):
        mini.delays[f"/xw/202604/t2026041{n}_{n}.html"] = 0.5
    started = threading.Event()
    holder = threading.Thread(target=hold_lock, args=(db, 6.0, started, mini))
    holder.start()
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(db), "--warc-dir", str(tmp_path / "warc"), *FAST,
         "-s", "GOVARC_BATCH_SIZE=1"], cwd=REPO, capture_output=True, text=True, timeout=180)
    holder.join()
    assert started.is_set()  # the lock was held during the crawl
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - began < 30
    assert query(db, "SELECT count(*) FROM articles") == [(9,)]
    assert query(db, "SELECT kind FROM failures") == []  # no page became a failure
    assert query(db, "SELECT status FROM crawl_runs ORDER BY id") == [("ok",), ("ok",)]


@pytest.mark.slow
def test_a_lock_held_too_long_stops_the_crawl_as_database_locked(mini, tmp_path):
    registry, db = first_crawl(mini, tmp_path)
    for n in range(4, 10):
        mini.articles[f"/xw/202604/t2026041{n}_{n}.html"] = f"第{n}篇新稿件的正文。" * 20
        mini.delays[f"/xw/202604/t2026041{n}_{n}.html"] = 2.0 * (n - 3)  # one every two seconds
    started = threading.Event()
    holder = threading.Thread(target=hold_lock, args=(db, 14.0, started, mini))
    holder.start()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(db), "--warc-dir", str(tmp_path / "warc"), *FAST,
         "-s", "GOVARC_BATCH_SIZE=1", "-s", "GOVARC_DB_LOCK_PATIENCE=2",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
        cwd=REPO, capture_output=True, text=True, timeout=180)
    holder.join()
    assert result.returncode == 5, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govarc: database locked: another program "
                                                    f"has held {db} locked for ")
