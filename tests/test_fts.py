"""The govarc_cjk tokenizer: Chinese words of any length match as substrings, nothing else."""

from __future__ import annotations

import sqlite3

import pytest

from archive.errors import TokenizerError
from archive.fts import register_tokenizer, tokenize

DOCS = [
    "曲靖市扶贫工作取得新进展",
    "推动高质量发展是当前的主题",
    "高质量 发展（中间有空格）",
    "昆明曲，靖字被标点隔开",
    "2021年GDP增长8.8%，曲靖名列前茅",
    "Ｂｅｉｊｉｎｇ全角字母与ＧＤＰ",
    "",
]


@pytest.fixture()
def conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    register_tokenizer(conn)
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize='govarc_cjk')")
    conn.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)", list(enumerate(DOCS)))
    return conn


def matches(conn: sqlite3.Connection, query: str) -> set[int]:
    return {row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [query])}


def substring_matches(*needles: str) -> set[int]:
    return {i for i, doc in enumerate(DOCS) if all(n in doc for n in needles)}


@pytest.mark.parametrize("word", ["曲靖", "扶贫", "高质量发展", "发展", "名列前茅", "靖", "主题"])
def test_chinese_words_match_exactly_the_documents_containing_them(conn, word):
    assert matches(conn, word) == substring_matches(word)


def test_mixed_queries_are_and_of_their_words(conn):
    assert matches(conn, "曲靖 扶贫") == substring_matches("曲靖", "扶贫")
    assert matches(conn, "曲靖 gdp") == {4}
    assert matches(conn, "2021 曲靖") == {4}


def test_latin_is_case_and_width_folded(conn):
    assert matches(conn, "GDP") == {4, 5}
    assert matches(conn, "beijing") == {5}


def test_punctuation_breaks_words(conn):
    # 曲，靖 is not the word 曲靖; 高质量 发展 is a phrase but not the word 高质量发展
    assert 3 not in matches(conn, "曲靖")
    assert 2 not in matches(conn, "高质量发展")
    assert 2 in matches(conn, '"高质量 发展"')
    # in a query, punctuation and spaces only separate characters: both spellings match
    assert matches(conn, "曲，靖") == matches(conn, '"曲 靖"') == {0, 3, 4}
    assert matches(conn, '"高质量 发展"') == {1, 2}


def test_prefix_query(conn):
    assert matches(conn, "曲*") == {0, 3, 4}


def test_index_tokens_are_bigrams_with_colocated_unigrams():
    assert tokenize("曲靖市") == ["曲靖", "曲", "靖市", "靖", "市"]
    assert tokenize("高质量发展", query=True) == ["高质", "质量", "量发", "发展"]
    # a trailing character is kept in a query only as a position holder before more tokens
    assert tokenize("曲靖2021", query=True) == ["曲靖", "靖", "2021"]


def test_highlight_covers_the_whole_match(conn):
    (marked,) = conn.execute(
        "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH '高质量发展'"
    ).fetchone()
    assert marked == "推动[高质量发展]是当前的主题"


def test_rejects_what_is_not_a_connection():
    with pytest.raises(TokenizerError):
        register_tokenizer("not a connection")  # type: ignore[arg-type]


def test_closed_connection_is_an_error():
    conn = sqlite3.connect(":memory:")
    conn.close()
    with pytest.raises((TokenizerError, sqlite3.ProgrammingError)):
        register_tokenizer(conn)
