"""End to end: crawl the sample portals over loopback into WARC files and SQLite."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.store import connect
from archive.warc import warc_files
from archive.warc_read import read_record, resolve
from crawler.sample_portal import build_site
from tests.conftest import BROWSER_ON, FAST, REPO, WALLED, govarc, query, reachable

SEED_URL_PATH = "/ywdt/zsdt/202110/t20211025_229601.html"
SEED = json.loads((REPO / "tests/data/seed_yn_zsdt_qujing.json").read_text(encoding="utf-8"))


def expected_articles(base_urls: dict[str, str]) -> dict[str, object]:
    return {base_urls[a.portal_id] + a.path: a for a in reachable(build_site().articles)}


def rows(db: Path, sql: str, params=()) -> list[dict]:
    database = connect(db)
    try:
        cursor = database.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        database.close()


def test_every_sample_article_is_stored_exactly_once(crawled):
    expected = expected_articles(crawled.base_urls)
    stored = rows(crawled.db, "SELECT url FROM articles")
    urls = [r["url"] for r in stored]
    assert len(urls) == len(set(urls))
    assert set(urls) == set(expected)
    assert len(expected) >= 200


def test_stored_text_and_metadata_match_what_the_portal_shows(crawled):
    expected = expected_articles(crawled.base_urls)
    stored = {r["url"]: r for r in rows(crawled.db, "SELECT * FROM articles")}
    wrong = [url for url, spec in expected.items() if stored[url]["text"] != spec.text]
    assert not wrong, f"{len(wrong)} articles differ, e.g. {wrong[:3]}"
    for url, spec in expected.items():
        row = stored[url]
        assert row["title"] == spec.title, url
        assert row["published_at"] == spec.published_at, url
        assert row["source"] == spec.source, url
        assert row["author"] == spec.author, url


def test_the_seed_article_is_stored_as_labelled(crawled):
    url = crawled.base_urls["sample-yn"] + SEED_URL_PATH
    (row,) = rows(crawled.db, "SELECT * FROM articles WHERE url = ?", [url])
    assert row["text"] == SEED["text"]
    assert row["title"] in [SEED["title"], *SEED["title_aliases"]]
    assert row["published_at"] == SEED["published_at"]
    assert row["source"] == SEED["source"]
    assert row["section"] == "州市动态"
    assert row["site_id_code"] == SEED["site_id_code"]


def test_article_warc_pointer_gives_the_exact_bytes_the_server_sent(crawled):
    # (A walled portal answers a plain client with its challenge: tests/test_browser.py.)
    stored = rows(crawled.db, "SELECT url, warc_filename, warc_offset, warc_length, "
                              "payload_digest FROM articles WHERE portal NOT IN "
                              f"({','.join('?' * len(WALLED))})", sorted(WALLED))
    for row in stored[:: max(1, len(stored) // 25)]:
        path = resolve(crawled.warc_dir, row["warc_filename"])
        record = read_record(path, row["warc_offset"])
        assert record.rec_type == "response" and record.url == row["url"]
        assert record.length == row["warc_length"]
        assert record.payload_digest == row["payload_digest"]
        request = urllib.request.Request(row["url"], headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as answer:  # the sample server is deterministic
            sent = answer.read()
            assert answer.headers.get("Content-Encoding") == record.header("Content-Encoding")
        assert record.raw_body == sent


def test_warc_files_are_closed_and_complete(crawled):
    assert not list(crawled.warc_dir.glob("*.open"))
    files = list(warc_files(crawled.warc_dir))
    assert files
    types: dict[str, int] = {}
    for path in files:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                types[record.rec_type] = types.get(record.rec_type, 0) + 1
    assert types["warcinfo"] == len(files)
    # Every response or revisit record has its request record (a browser's page fetched
    # twice with an identical payload is a revisit).
    assert types["request"] == types["response"] + types.get("revisit", 0)
    (captures,) = rows(crawled.db, "SELECT count(*) AS n FROM captures")
    assert captures["n"] == types["request"]


def test_captures_include_lists_posts_robots_and_errors(crawled):
    captures = rows(crawled.db, "SELECT url, method, status FROM captures")
    assert any(c["url"].endswith("/robots.txt") for c in captures)
    assert any(c["method"] == "POST" and "dataproxy.jsp" in c["url"] for c in captures)
    assert any(c["url"].endswith("index_1.html") for c in captures)
    assert any(c["status"] == 404 for c in captures)


def test_broken_pages_are_archived_and_recorded_as_failures(crawled):
    failures = {r["url"]: r for r in rows(crawled.db, "SELECT * FROM failures")}
    for broken in build_site().broken:
        url = crawled.base_urls[broken.portal_id] + broken.path
        assert url in failures, (broken.kind, url)
        failure = failures[url]
        assert failure["kind"] == {"missing": "http", "challenge": "challenge",
                                   "blocked": "blocked"}.get(broken.kind, "parse"), url
        assert failure["reason"]
        record = read_record(resolve(crawled.warc_dir, failure["warc_filename"]),
                             failure["warc_offset"])
        assert record.url == url
    (run,) = rows(crawled.db, "SELECT * FROM crawl_runs")
    assert run["status"] == "partial"
    assert run["failures"] == len(failures)


def test_attachments_are_captured(crawled):
    expected = {
        crawled.base_urls[a.portal_id] + att.path: att
        for a in build_site().articles
        for att in a.attachments
    }
    assert expected
    stored = {r["url"]: r for r in rows(crawled.db, "SELECT * FROM attachments")}
    assert set(stored) == set(expected)
    for url, row in stored.items():
        assert row["mime"].startswith(expected[url].mime)
        assert row["label"] == expected[url].filename
        record = read_record(resolve(crawled.warc_dir, row["warc_filename"]), row["warc_offset"])
        assert record.url == url


def sqlite_utils_search(db: Path, query: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(db), "articles", query, "-c", "url",
         "--limit", "10000"],
        capture_output=True, text=True, check=True,
    ).stdout
    return {row["url"] for row in json.loads(out)}


@pytest.mark.parametrize("query", ["曲靖", "扶贫", "高质量发展", "曲靖 扶贫", "乡村振兴 2024"])
def test_stock_sqlite_utils_search_finds_exactly_the_matching_articles(crawled, query):
    articles = rows(crawled.db, "SELECT url, title, text FROM articles")
    words = query.split()
    expected = {a["url"] for a in articles
                if all(w in (a["title"] or "") + "\n" + a["text"] for w in words)}
    assert expected, f"the sample portal should have articles for {query!r}"
    assert expected != {a["url"] for a in articles}
    assert sqlite_utils_search(crawled.db, query) == expected


def test_search_for_qujing_lists_the_qujing_article(crawled):
    assert crawled.base_urls["sample-yn"] + SEED_URL_PATH in sqlite_utils_search(crawled.db, "曲靖")


def test_crawl_summary_line(crawled):
    line = crawled.result.stderr.strip().splitlines()[-1]
    site = build_site()
    assert f"{len(site.portals)} portals" in line
    assert f"{sum(len(p.sections) for p in site.portals)} sections" in line
    assert "attachments" in line and "WARC bytes" in line and "challenge" in line


def test_unknown_portal_is_one_line_and_exit_2(crawled, tmp_path):
    result = govarc("crawl", "nosuchportal", "--portal-file", str(crawled.registry),
                    "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nosuchportal" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_malformed_registry_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[portal]]\nid = 'x'\nname = 'y'\n", encoding="utf-8")
    result = govarc("crawl", "--portal-file", str(bad), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "portal 'x'" in result.stderr
    assert "Traceback" not in result.stderr


def test_scrapy_crawl_portal_works_for_scrapy_users(sample_portal, tmp_path):
    registry = sample_portal.write_registry(tmp_path / "portals.toml")
    result = subprocess.run(
        ["scrapy", "crawl", "portal", "-a", "portal=sample-zj", "-a", f"portal_file={registry}",
         "-s", f"GOVARC_DB={tmp_path / 'a.db'}", "-s", f"GOVARC_WARC_DIR={tmp_path / 'warc'}",
         "-s", "LOG_LEVEL=WARNING", *FAST],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    expected = {u for u, a in expected_articles(sample_portal.base_urls).items()
                if a.portal_id == "sample-zj"}
    assert {r["url"] for r in rows(tmp_path / "a.db", "SELECT url FROM articles")} == expected


@pytest.mark.slow
def test_demo_leaves_a_searchable_archive_and_reruns_add_nothing(tmp_path):
    db = tmp_path / "data/archive.db"
    result = govarc("demo", cwd=tmp_path, env=BROWSER_ON)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "data/warc").glob("*.warc.gz"))
    n = len(reachable(build_site().articles))
    assert f"{n} articles ({n} new" in result.stdout and "sqlite-utils search" in result.stdout
    found = sqlite_utils_search(db, "曲靖")
    assert found
    articles = query(db, "SELECT url FROM articles")
    for run in (2,):  # the same folder again: the same addresses, an incremental crawl
        result = govarc("demo", cwd=tmp_path, env=BROWSER_ON)
        assert result.returncode == 0, result.stderr
        assert f"run {run} partial: 8 portals, 20 sections, 0 articles (0 new" in result.stdout
        assert query(db, "SELECT url FROM articles") == articles
        assert query(db, "SELECT count(*) FROM captures c JOIN articles a ON a.url = c.url "
                        "WHERE c.run_id = ?", [run]) == [(0,)]  # no article page fetched
        assert sqlite_utils_search(db, "曲靖") == found
        verify = govarc("verify", cwd=tmp_path)
        assert verify.returncode == 0, verify.stdout + verify.stderr
    # A port taken in the meantime: that portal moves, and says so.
    (port,) = query(db, "SELECT substr(domain, 11) FROM portals WHERE id = 'sample-gd'")[0]
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(port)))
        holder.listen()
        result = govarc("demo", cwd=tmp_path, env=BROWSER_ON)
    assert result.returncode == 0, result.stderr
    assert (f"govarc: sample-gd: port {port} is in use, serving on " in result.stderr
            and "archived again under this new address" in result.stderr)
    assert "62 articles (62 new" in result.stdout
    assert govarc("verify", cwd=tmp_path).returncode == 0


def test_datasette_searches_chinese_through_the_plugin(crawled):
    from urllib.parse import quote

    result = subprocess.run(
        ["datasette", str(crawled.db), "--get",
         f"/{crawled.db.stem}/articles.json?_search={quote('曲靖')}&_shape=array&_col=url"
         "&_size=max"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = {row["url"] for row in json.loads(result.stdout)}
    assert found == sqlite_utils_search(crawled.db, "曲靖")
