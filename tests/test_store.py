"""The SQLite archive: schema, batched writes, one row per article, stock tools search it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import StoreError
from archive.search import SearchError, search_articles
from archive.store import Store, connect


def article(url: str, title: str, text: str, **extra) -> dict:
    import hashlib

    return {"url": url, "portal": "yn", "section": "州市动态", "title": title, "text": text,
            "content_hash": hashlib.sha1(text.encode()).hexdigest(), **extra}


def test_article_fetched_twice_is_stored_once_keeping_first_seen(tmp_path: Path):
    store = Store(tmp_path / "a.db", batch_size=1000)
    store.start_run(["yn"])
    store.add_article(article("http://h/1.html", "曲靖", "第一版", first_seen="2026-01-01"))
    store.flush()
    store.add_article(article("http://h/1.html", "曲靖", "第二版", first_seen="2026-02-02"))
    store.flush()
    store.add_article(article("http://h/1.html", "曲靖", "第二版"))
    store.finish_run("ok", {}, 0)
    store.close()
    db = connect(tmp_path / "a.db")
    rows = list(db.table("articles").rows)
    assert len(rows) == 1
    assert rows[0]["text"] == "第二版" and rows[0]["first_seen"] == "2026-01-01"
    run = db.table("crawl_runs").get(1)
    assert (run["articles_new"], run["articles_changed"], run["articles_unchanged"]) == (1, 1, 1)
    versions = list(db.table("article_versions").rows_where(order_by="version"))
    assert [(v["version"], v["text"]) for v in versions] == [(1, "第一版"), (2, "第二版")]
    assert rows[0]["version"] == 2


def test_writes_are_batched_not_committed_per_row(tmp_path: Path):
    store = Store(tmp_path / "a.db", batch_size=50, max_delay=3600)
    store.start_run(["yn"])
    for n in range(49):
        store.add_capture({"url": f"http://h/{n}", "status": 200})
    reader = sqlite3.connect(tmp_path / "a.db")
    assert reader.execute("select count(*) from captures").fetchone()[0] == 0
    store.add_capture({"url": "http://h/49", "status": 200})
    assert reader.execute("select count(*) from captures").fetchone()[0] == 50
    store.close()


def test_database_is_in_wal_mode_with_the_fts_index(tmp_path: Path):
    db = connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.table("articles").detect_fts() == "articles_fts"
    assert {"portals", "articles", "captures", "attachments", "crawl_runs",
            "failures"} <= set(db.table_names())


def test_article_without_its_hash_is_refused(tmp_path: Path):
    store = Store(tmp_path / "a.db")
    with pytest.raises(StoreError, match="content_hash"):
        store.add_article({"url": "http://h/1", "text": "x"})


def test_unwritable_database_path_is_a_store_error(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError):
        Store(tmp_path / "file" / "a.db")


@pytest.fixture()
def searchable(tmp_path: Path) -> Path:
    store = Store(tmp_path / "a.db")
    store.start_run(["yn"])
    store.add_article(article("http://h/1", "曲靖市推进扶贫", "曲靖市坚持高质量发展。"))
    store.add_article(article("http://h/2", "昆明新闻", "昆明扶贫工作取得成效。"))
    store.add_article(article("http://h/3", "玉溪", "高质量 发展不是一个词。"))
    store.close()
    return tmp_path / "a.db"


def test_library_search_with_snippet(searchable: Path):
    hits = search_articles(searchable, "扶贫")
    assert {h["url"] for h in hits} == {"http://h/1", "http://h/2"}
    (hit,) = search_articles(searchable, "高质量发展")
    assert hit["url"] == "http://h/1" and "【高质量发展】" in hit["snippet"]
    with pytest.raises(SearchError, match="double quotes"):
        search_articles(searchable, 'AND "')


def test_stock_sqlite_utils_cli_searches_chinese(searchable: Path):
    def search(query: str) -> set[str]:
        out = subprocess.run(
            [sys.executable, "-m", "sqlite_utils", "search", str(searchable), "articles", query,
             "-c", "url"],
            capture_output=True, text=True, check=True,
        ).stdout
        return {row["url"] for row in json.loads(out)}

    assert search("曲靖") == {"http://h/1"}
    assert search("扶贫") == {"http://h/1", "http://h/2"}
    assert search("高质量发展") == {"http://h/1"}
    assert search("扶贫 昆明") == {"http://h/2"}
