"""The archive an archivist can trust: verify finds damage, rebuild needs only the WARCs."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive.warc import warc_files
from tests.conftest import FAST, assert_same_pointers, govarc, query


def crawl(registry: Path, db: Path, warc: Path, *extra: str) -> subprocess.CompletedProcess:
    return govarc("crawl", "--portal-file", str(registry), "--db", str(db),
                  "--warc-dir", str(warc), *FAST, *extra)


def rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(sql).fetchall(), key=repr)
    finally:
        conn.close()


@pytest.fixture()
def archived(mini, tmp_path) -> tuple[Path, Path]:
    """A mini portal crawled twice, with one article edited in between (two versions)."""
    registry = mini.registry(tmp_path / "mini.toml")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    assert crawl(registry, db, warc).returncode == 0
    first = next(iter(mini.articles))
    mini.articles[first] = "更正后的正文：曲靖市高质量发展取得新成效。" * 8
    assert crawl(registry, db, warc, "--recheck").returncode in (0, 1)
    return db, warc


def test_verify_passes_on_a_fresh_archive(archived):
    db, warc = archived
    result = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "" and ": ok" in result.stderr


def test_verify_reports_a_corrupt_byte_a_truncated_file_and_a_missing_one(archived, tmp_path):
    db, warc = archived
    first, second = warc_files(warc)
    (offset,) = rows(db, f"SELECT warc_offset FROM articles WHERE warc_filename = "
                         f"'{first.name}' ORDER BY warc_offset LIMIT 1")[0]
    data = bytearray(first.read_bytes())
    data[offset + 60] ^= 0xFF  # flip a byte inside one record
    first.write_bytes(bytes(data))
    copy = tmp_path / "copy"
    shutil.copytree(warc, copy)
    result = govarc("verify", "--db", str(db), "--warc-dir", str(copy))
    assert result.returncode == 1
    assert f"{first.name}:{offset}:" in result.stdout

    second.write_bytes(second.read_bytes()[:-40])  # cut the end of the last record
    shutil.rmtree(copy)
    shutil.copytree(warc, copy)
    result = govarc("verify", "--db", str(db), "--warc-dir", str(copy))
    assert "truncated or corrupt record" in result.stdout and second.name in result.stdout

    (copy / first.name).unlink()
    result = govarc("verify", "--db", str(db), "--warc-dir", str(copy))
    assert f"{first.name}: missing, referenced by" in result.stdout
    for line in result.stdout.splitlines():
        assert line.split(":")[0].endswith(".warc.gz")  # every problem names its file


ARTICLE_COLUMNS = ("url, portal, section, title, published_at, source, author, site_name, "
                   "site_id_code, text, content_hash, version, first_seen, last_seen, "
                   "warc_filename, warc_offset, warc_length, payload_digest, removed_status")


@pytest.mark.parametrize("workers", ["0", "2"])  # in this process, and in a pool of two
def test_rebuild_from_warc_alone_gives_the_same_archive(archived, tmp_path, workers):
    db, warc = archived
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--warc-dir", str(warc), "--db", str(rebuilt),
                    "--workers", workers)
    assert result.returncode == 0, result.stdout + result.stderr
    for sql in (
        f"SELECT {ARTICLE_COLUMNS} FROM articles",
        "SELECT url, version, content_hash, title, text, run_id, warc_filename, warc_offset "
        "FROM article_versions",
        "SELECT url, status, record_type, record_id, payload_digest, warc_filename, "
        "warc_offset, warc_length, request_offset FROM captures",
        "SELECT url, kind, http_status FROM failures",
        "SELECT id, status, started_at, finished_at, articles_new, articles_changed FROM "
        "crawl_runs",
    ):
        assert rows(rebuilt, sql) == rows(db, sql), sql
    assert rows(rebuilt, "SELECT count(*) FROM article_versions WHERE version = 2") == [(1,)]


def test_rebuild_of_the_sample_portal_crawl(crawled, tmp_path):
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--warc-dir", str(crawled.warc_dir), "--db", str(rebuilt))
    assert result.returncode == 0, result.stdout + result.stderr
    for sql in (
        f"SELECT {ARTICLE_COLUMNS} FROM articles",
        "SELECT url, article_url, label, mime, warc_filename, warc_offset FROM attachments",
        "SELECT url, kind, http_status FROM failures",
        "SELECT url, kind, evidence, target_host, score, warc_offset FROM flags",
    ):
        assert rows(rebuilt, sql) == rows(crawled.db, sql), sql


def test_rebuild_refuses_to_overwrite(archived):
    db, warc = archived
    result = govarc("rebuild", "--warc-dir", str(warc), "--db", str(db))
    assert result.returncode == 2 and "exists" in result.stderr


def test_one_payload_under_two_urls_verifies_rebuilds_and_verifies_again(mini, tmp_path):
    """Real portals serve one page under two addresses (old and new paths, _wap copies):
    the second copy is a revisit record, and every row about it points at that record."""
    first = next(iter(mini.articles))
    copy = "/xw/202604/t20260419_9.html"
    mini.articles[copy] = mini.articles[first]  # the same bytes under another URL
    listing = ("<html><head><title>专题</title></head><body><ul>" + "".join(
        f'<li><a href="/zt/{i}.html">专题链接{i}</a></li>' for i in range(40)) + "</ul></body>"
        "</html>")
    not_articles = ["/xw/202604/t20260417_7.html", "/xw/202604/t20260418_8.html"]
    for path in not_articles:
        mini.pages[path] = listing  # a page that is no article, twice
    registry = mini.registry(tmp_path / "mini.toml")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    result = crawl(registry, db, warc)
    assert result.returncode == 1, result.stderr  # the two not-article pages
    revisits = {u for (u,) in query(db, "SELECT url FROM captures "
                                        "WHERE record_type = 'revisit'")}
    for pair in ([first, copy], not_articles):  # whichever came second is the revisit
        assert len(revisits & {mini.base + p for p in pair}) == 1, revisits
    own = {u: (f, o) for u, f, o in query(db, "SELECT url, warc_filename, warc_offset "
                                              "FROM captures")}
    for table in ("articles", "article_versions", "failures"):
        for url, filename, offset in query(db, f"SELECT url, warc_filename, warc_offset "
                                               f"FROM {table}"):
            assert own[url] == (filename, offset), (table, url)
    assert {k for (k,) in query(db, "SELECT kind FROM failures")} == {"not-article"}
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--warc-dir", str(warc), "--db", str(rebuilt))
    assert result.returncode == 0, result.stdout + result.stderr
    assert_same_pointers(db, rebuilt)
    verify = govarc("verify", "--db", str(rebuilt), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout


def test_rebuild_reproduces_every_pointer_of_the_sample_crawl(crawled, tmp_path):
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--warc-dir", str(crawled.warc_dir), "--db", str(rebuilt))
    assert result.returncode == 0, result.stdout + result.stderr
    counts = assert_same_pointers(crawled.db, rebuilt)
    assert all(counts.values()), counts
    kinds = {k for (k,) in query(crawled.db, "SELECT DISTINCT kind FROM failures "
                                             "WHERE warc_filename IS NOT NULL")}
    assert kinds >= {"http", "challenge", "blocked", "parse"}
    verify = govarc("verify", "--db", str(rebuilt), "--warc-dir", str(crawled.warc_dir))
    original = govarc("verify", "--db", str(crawled.db), "--warc-dir", str(crawled.warc_dir))
    assert verify.returncode == 0 and verify.stderr == original.stderr
