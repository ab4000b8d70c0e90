"""Library search: bm25 order for a few hits, newest first for many, cheap read-only opens."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

import archive.readonly
import archive.search
from archive.errors import MissingArchive, StoreError
from archive.readonly import open_read_only
from archive.schema import SCHEMA_VERSION
from archive.search import SearchError, search, search_articles
from archive.store import Store, connect

TEXTS = {  # url -> (published_at, text); 曲靖 in every one, 扶贫 in some
    "http://h/a": ("2021-03-01T09:00:00+08:00", "曲靖市召开会议。" * 3),
    "http://h/b": ("2023-06-01T09:00:00+08:00", "曲靖扶贫工作，曲靖扶贫成效，曲靖。"),
    "http://h/c": (None, "曲靖的一条消息，没有日期。"),
    "http://h/d": ("2022-01-01T09:00:00+08:00", "昆明与曲靖高质量发展合作，扶贫。"),
    "http://h/e": ("2024-12-31T09:00:00+08:00", "曲靖发布新年贺词，高质量发展。"),
}


@pytest.fixture()
def archive_db(tmp_path: Path) -> Path:
    store = Store(tmp_path / "a.db")
    store.start_run(["yn"])
    for url, (published, text) in TEXTS.items():
        store.add_article({"url": url, "portal": "yn", "title": f"标题 {url[-1]}",
                           "published_at": published, "text": text,
                           "content_hash": hashlib.sha1(text.encode()).hexdigest()})
    store.close()
    return tmp_path / "a.db"


def bm25_urls(db: Path, query: str) -> list[str]:
    conn = connect(db)
    try:
        return [row[0] for row in conn.execute(
            "SELECT a.url FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY articles_fts.rank", [query])]
    finally:
        conn.close()


def test_few_hits_come_in_bm25_order_like_the_stock_tools(archive_db: Path):
    conn = open_read_only(archive_db)
    result = search(conn, "扶贫", limit=20)
    conn.close()
    assert result.ranked
    assert [h["url"] for h in result.hits] == bm25_urls(archive_db, "扶贫")
    assert "【扶贫】" in result.hits[0]["snippet"]


def test_many_hits_come_newest_first_with_undated_last(archive_db: Path):
    conn = open_read_only(archive_db)
    result = search(conn, "曲靖", limit=20, rank_limit=3)
    assert not result.ranked
    assert [h["url"] for h in result.hits] == [
        "http://h/e", "http://h/b", "http://h/d", "http://h/a", "http://h/c"]
    assert [h["url"] for h in search(conn, "曲靖", limit=2, rank_limit=3).hits] == [
        "http://h/e", "http://h/b"]
    several = search(conn, "曲靖 OR 高质量发展", limit=20, rank_limit=3)  # the one-pass plan
    assert not several.ranked
    assert [h["url"] for h in several.hits] == [h["url"] for h in result.hits]
    assert search(conn, "曲靖 OR 高质量发展", limit=20, rank_limit=5).ranked
    conn.close()


def test_newest_first_snippets_are_the_index_snippets(archive_db: Path):
    conn = open_read_only(archive_db)
    for query in ("曲靖", "高质量发展 曲靖", "曲靖 OR 扶贫", "title:标题 曲靖"):
        result = search(conn, query, limit=20, rank_limit=1)
        assert not result.ranked and result.hits, query
        expected = dict(conn.execute(
            "SELECT a.url, snippet(articles_fts, 1, '【', '】', '…', 24) FROM articles_fts "
            "JOIN articles a ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ?",
            [query]))
        assert {h["url"]: h["snippet"] for h in result.hits} == expected, query
        assert {h["title"] for h in result.hits} <= {f"标题 {u[-1]}" for u in TEXTS}
    conn.close()


def test_both_orders_find_the_same_articles(archive_db: Path):
    conn = open_read_only(archive_db)
    for query in ("曲靖", "扶贫", "高质量发展", "曲靖 扶贫", "没有这个词"):
        ranked = search(conn, query, rank_limit=100)
        newest = search(conn, query, rank_limit=0)
        assert ranked.ranked and newest.ranked == (not newest.hits)  # 0 hits: nothing to order
        assert sorted(ranked.hits, key=lambda h: h["url"]) == sorted(
            newest.hits, key=lambda h: h["url"]), query
    conn.close()


def test_bad_syntax_is_a_search_error_in_either_order(archive_db: Path):
    conn = open_read_only(archive_db)
    for rank_limit in (0, 100):
        with pytest.raises(SearchError, match="double quotes"):
            search(conn, 'AND "', rank_limit=rank_limit)
    conn.close()


def test_search_opens_read_only_and_never_creates_a_database(archive_db: Path,
                                                             tmp_path: Path):
    conn = open_read_only(archive_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM articles")
    conn.close()
    with pytest.raises(MissingArchive, match="no archive database"):
        search_articles(tmp_path / "missing.db", "曲靖")
    assert not (tmp_path / "missing.db").exists()


def test_an_archive_of_an_older_schema_gets_the_date_index(archive_db: Path):
    conn = sqlite3.connect(archive_db)
    conn.execute("DROP INDEX idx_articles_published_at")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    assert [h["url"] for h in search_articles(archive_db, "扶贫")] == bm25_urls(
        archive_db, "扶贫")
    conn = sqlite3.connect(archive_db)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = "
                        "'idx_articles_published_at'").fetchone()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_without_the_date_index_newest_first_still_works(archive_db: Path):
    conn = sqlite3.connect(archive_db)
    conn.execute("DROP INDEX idx_articles_published_at")
    conn.commit()
    conn.close()
    conn = open_read_only(archive_db)  # current version: no schema work, index stays absent
    result = search(conn, "曲靖", rank_limit=0)
    assert [h["url"] for h in result.hits][:2] == ["http://h/e", "http://h/b"]
    conn.close()


def test_an_older_archive_that_cannot_be_written_is_searched_as_it_is(archive_db: Path,
                                                                      monkeypatch):
    conn = sqlite3.connect(archive_db)
    conn.execute("DROP INDEX idx_articles_published_at")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()

    def read_only_file(path):
        raise StoreError(f"cannot open the archive database {path}: readonly database")

    monkeypatch.setattr(archive.readonly, "connect", read_only_file)
    hits = search(open_read_only(archive_db), "曲靖", rank_limit=0).hits
    assert [h["url"] for h in hits][:2] == ["http://h/e", "http://h/b"]


def test_search_articles_keeps_its_connection_and_sees_new_rows_and_new_files(
        archive_db: Path, tmp_path: Path):
    archive.search.close_cached()
    assert len(search_articles(archive_db, "扶贫")) == 2
    kept = archive.search._cached(archive_db)
    store = Store(archive_db)  # a crawl commits while the connection is kept
    store.start_run(["yn"])
    text = "扶贫新闻。"
    store.add_article({"url": "http://h/f", "portal": "yn", "title": "标题 f",
                       "published_at": "2025-01-01T09:00:00+08:00", "text": text,
                       "content_hash": hashlib.sha1(text.encode()).hexdigest()})
    store.close()
    assert len(search_articles(archive_db, "扶贫")) == 3
    assert archive.search._cached(archive_db) is kept
    for path in tmp_path.glob("a.db*"):  # the archive deleted and started afresh
        path.unlink()
    store = Store(archive_db)
    store.start_run(["yn"])
    store.close()
    assert search_articles(archive_db, "扶贫") == []
    assert archive.search._cached(archive_db) is not kept
    archive.search.close_cached()
