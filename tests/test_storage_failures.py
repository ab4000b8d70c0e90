"""A full, read-only or vanishing disk stops the crawl at once with its own exit code and one
line; nothing committed points at bytes that are not on disk; the next run repairs."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.warc_read import read_record, resolve
from tests.conftest import FAST, POINTER_TABLES, REPO, WALLED, govarc, plain_articles, query
from tests.mounts import mounted_tmpfs

EXIT_STORAGE = 5

pytestmark = pytest.mark.root


def crawl(registry: Path, db: Path, warc: Path, *extra: str) -> subprocess.CompletedProcess:
    return govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                  str(warc), *FAST, *extra)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text[-3000:]
    return lines[0]


def committed_pointers_read_back(db: Path, warc: Path) -> int:
    """Every row's pointer leads to a whole record of its URL, in a closed file or in the
    `.open` one a failed write left. Returns the number of pointers."""
    count = 0
    for table in POINTER_TABLES:
        for url, name, offset in query(db, f"SELECT url, warc_filename, warc_offset FROM "
                                           f"{table} WHERE warc_filename IS NOT NULL"):
            assert read_record(resolve(warc, name), offset).url == url, (table, url)
            count += 1
    return count


def all_articles_once(db: Path, sample_portal) -> None:
    expected = {sample_portal.base_urls[a.portal_id] + a.path for a in plain_articles()}
    urls = [u for (u,) in query(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(expected)


@pytest.fixture()
def registry(sample_portal, tmp_path) -> Path:
    return sample_portal.write_registry(tmp_path / "portals.toml", without=WALLED)


def test_a_crawl_does_not_start_on_storage_it_cannot_use(registry, tmp_path):
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    with mounted_tmpfs(warc, size_mb=1):  # less free than GOVARC_MIN_FREE_SPACE (100 MB)
        result = crawl(registry, db, warc)
        assert result.returncode == EXIT_STORAGE
        assert one_line(result.stderr).startswith(f"govarc: only 1.0 MB free for the WARC "
                                                  f"folder {warc}, less than "
                                                  "GOVARC_MIN_FREE_SPACE (100.0 MB)")
        assert not db.exists() and list(warc.iterdir()) == []
    with mounted_tmpfs(warc, size_mb=200) as remount:  # a read-only WARC folder
        remount(read_only=True)
        result = crawl(registry, db, warc)
        assert result.returncode == EXIT_STORAGE
        assert one_line(result.stderr) == (f"govarc: cannot write in the WARC folder {warc}: "
                                           "Read-only file system")
        assert not db.exists()
    folder = tmp_path / "ro"
    with mounted_tmpfs(folder, size_mb=1) as remount:  # a read-only database folder
        remount(read_only=True)
        result = crawl(registry, folder / "a.db", warc)
        assert result.returncode == EXIT_STORAGE
        assert one_line(result.stderr) == (f"govarc: cannot create the log folder "
                                           f"{folder / 'logs'}: Read-only file system")


@pytest.mark.slow
def test_a_full_warc_disk_stops_the_crawl_and_the_next_run_repairs(registry, sample_portal,
                                                                  tmp_path):
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    with mounted_tmpfs(warc, size_mb=2) as remount:  # the sample portals need about 4.5 MB
        result = crawl(registry, db, warc, "-s", "GOVARC_MIN_FREE_SPACE=0")
        assert result.returncode == EXIT_STORAGE, result.stderr
        line = one_line(result.stderr)
        assert line.startswith("govarc: cannot write to ") and "No space left on device" in line
        assert "stopped with" in line and "free space and run again" in line
        ((status, error, captures),) = query(db, "SELECT status, error, captures "
                                                 "FROM crawl_runs")
        assert status == "failed" and "No space left on device" in error
        stored = query(db, "SELECT count(*) FROM captures")[0][0]
        assert captures == stored > 0  # the run's counts are what was committed
        assert f"stopped with {stored:,} captures" in line
        assert list(warc.glob("*.open"))  # left for the next run's repair
        report = govarc("report", "--db", str(db)).stdout
        assert "failed" in report and "    error: cannot write to " in report
        assert committed_pointers_read_back(db, warc) > stored

        remount(size_mb=150)  # space freed
        result = crawl(registry, db, warc)
        assert result.returncode == 1, result.stderr  # the sample's broken pages
        assert query(db, "SELECT id, status FROM crawl_runs") == [(1, "failed"),
                                                                  (2, "partial")]
        all_articles_once(db, sample_portal)
        verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
        assert verify.returncode == 0, verify.stdout


def test_running_short_of_space_stops_cleanly_before_the_disk_is_full(registry, tmp_path):
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    with mounted_tmpfs(warc, size_mb=6):
        result = crawl(registry, db, warc, "-s", "GOVARC_MIN_FREE_SPACE=4000000")
        assert result.returncode == EXIT_STORAGE, result.stderr
        line = one_line(result.stderr)
        assert f"left for the WARC folder {warc}, less than GOVARC_MIN_FREE_SPACE (4.0 MB)" in (
            line)
        assert query(db, "SELECT status FROM crawl_runs") == [("failed",)]
        assert not list(warc.glob("*.open"))  # closed as usual, its run record written
        verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
        assert verify.returncode == 0, verify.stdout
        articles = query(db, "SELECT count(*) FROM articles")[0][0]
        assert 0 < articles < 440


@pytest.mark.slow
def test_a_full_database_disk_is_one_line_and_the_next_run_goes_on(registry, sample_portal,
                                                                  tmp_path):
    folder, warc = tmp_path / "dbfs", tmp_path / "warc"
    db = folder / "a.db"
    with mounted_tmpfs(folder, size_mb=4) as remount:  # database, its WAL and the log
        result = crawl(registry, db, warc, "-s", "GOVARC_MIN_FREE_SPACE=0")
        assert result.returncode == EXIT_STORAGE
        line = one_line(result.stderr)  # no "--- Logging error ---" from the full log disk
        assert line.startswith(f"govarc: cannot write to the archive database {db}: "
                               "database or disk is full")
        remount(size_mb=200)
        result = crawl(registry, db, warc)
        assert result.returncode == 1, result.stderr
        runs = query(db, "SELECT id, status FROM crawl_runs")
        assert runs == [(1, "failed"), (2, "partial")], runs
        all_articles_once(db, sample_portal)
        verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
        assert verify.returncode == 0, verify.stdout


def test_a_second_sigterm_ends_the_run_consistently(mini, tmp_path):
    for path in list(mini.articles)[1:]:
        mini.delays[path] = 30  # downloads a graceful shutdown would wait for
    registry = mini.registry(tmp_path / "mini.toml")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(db), "--warc-dir", str(warc), *FAST],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    # until the slow article requests are under way (robots.txt, the list, 3 articles)
    while len(mini.user_agents) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mini.user_agents) >= 4
    time.sleep(0.5)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert time.monotonic() - started < 15  # not waiting for the 30 s downloads
    assert process.returncode == 4, err
    ((status,),) = query(db, "SELECT status FROM crawl_runs")
    assert status in ("stopped: shutdown (forced)", "stopped: shutdown")  # as the 2nd came
    assert one_line(err).startswith(f"run 1 {status}: 1 portals")  # the summary agrees
    assert not list(warc.glob("*.open"))
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout
    mini.delays.clear()
    result = crawl(registry, db, warc)
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FROM articles") == [(len(mini.articles),)]
