"""The govarc_cjk tokenizer: Chinese words of any length match as substrings, nothing else."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import fts
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


ENGINES = ["c", "python"] if fts.ENGINE == "c" else ["python"]


@pytest.fixture(params=ENGINES)
def conn(request) -> sqlite3.Connection:
    """A table of DOCS indexed by each tokenizer this installation has (C and Python)."""
    conn = sqlite3.connect(":memory:")
    register_tokenizer(conn, engine=request.param)
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


# -- the Python tokenizer gives the C tokenizer's tokens -----------------------------------
TEXTS = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(
        [*"曲靖扶贫高质量发展々〇 ，。、ａＢ１AbZ9é—-_.·ＡＺｚ０９×한かカ",
         "\U00020001", "\ue000", "\U0001f600", "\x00", "\u3000", "\ufffd"])),
    st.builds(lambda n, c: c * n, st.integers(200, 300), st.sampled_from("aÅＡ曲é")),
)


@pytest.mark.skipif(fts.ENGINE != "c", reason="the C tokenizer was not built here")
@settings(max_examples=1500, deadline=None)
@given(TEXTS, st.booleans())
def test_python_and_c_tokenizers_give_identical_tokens(text, query):
    from archive import _cjk_tokenizer, cjk_tokens

    want = [(cjk_tokens.COLOCATED if colocated else 0, token.encode(), start, end)
            for token, start, end, colocated in _cjk_tokenizer.tokenize(text, query)]
    assert cjk_tokens.tokenize(text.encode(), cjk_tokens.QUERY if query else 0) == want


@pytest.mark.skipif(fts.ENGINE != "c", reason="the C tokenizer was not built here")
def test_both_tokenizers_index_and_find_the_same_even_in_broken_utf8():
    """Through SQLite itself: the same index (every term, row, offset) and the same hits
    in the same order, also for text that is not valid UTF-8 (a blob cast to TEXT)."""
    import random

    conn = sqlite3.connect(":memory:")
    for engine in ("c", "python"):
        register_tokenizer(conn, f"cjk_{engine}", engine)
        conn.execute(f"CREATE VIRTUAL TABLE t_{engine} USING fts5(body, tokenize='cjk_{engine}')")
        conn.execute(f"CREATE VIRTUAL TABLE v_{engine} USING fts5vocab(t_{engine}, 'instance')")
    rng = random.Random(14)
    docs = []
    for n in range(400):
        text = "".join(rng.choice(["曲靖", "扶贫", "高质量发展", "ＧＤＰ", "Abc", " ", "，", "é"])
                       for _ in range(30)).encode()
        if n % 3 == 0:  # a few random bytes: torn multi-byte characters, stray continuations
            broken = bytearray(text)
            for _ in range(6):
                broken[rng.randrange(len(broken))] = rng.randrange(256)
            text = bytes(broken)
        docs.append(text)
    for engine in ("c", "python"):
        conn.executemany(f"INSERT INTO t_{engine}(rowid, body) VALUES (?, CAST(? AS TEXT))",
                         list(enumerate(docs)))
    conn.text_factory = bytes  # terms of broken text are not UTF-8 either
    vocab = [conn.execute(f"SELECT term, doc, col, offset FROM v_{e} ORDER BY 1, 2, 3, 4")
             .fetchall() for e in ("c", "python")]
    assert vocab[0] == vocab[1] and len(vocab[0]) > 10_000
    for query in ("曲靖", "扶贫 gdp", '"高质量 发展"', "靖", "abc*", "é"):
        hits = [conn.execute(f"SELECT rowid FROM t_{e} WHERE t_{e} MATCH ? ORDER BY rank",
                             [query]).fetchall() for e in ("c", "python")]
        assert hits[0] == hits[1] and hits[0], query


def test_stock_sqlite_utils_search_with_the_python_tokenizer(tmp_path):
    """The sqlite-utils CLI, its plugin loading the Python tokenizer (as on an install
    without a compiler), indexes and finds 曲靖."""
    import subprocess
    import sys

    db = tmp_path / "a.db"
    run = ("import sys; sys.modules['archive._cjk_tokenizer'] = None\n"
           "from archive import fts; assert fts.ENGINE == 'python'\n"
           "from sqlite_utils.cli import cli; cli()")
    docs = '[{"id": 1, "body": "曲靖市扶贫工作"}, {"id": 2, "body": "昆明曲，靖字"}]'
    for args in (["insert", str(db), "t", "-", "--pk", "id"],
                 ["enable-fts", str(db), "t", "body", "--tokenize", "govarc_cjk"]):
        subprocess.run([sys.executable, "-c", run, *args], input=docs, text=True, check=True,
                       capture_output=True)
    found = subprocess.run([sys.executable, "-c", run, "search", str(db), "t", "曲靖", "-c", "id"],
                           text=True, check=True, capture_output=True).stdout
    assert '"id": 1' in found and '"id": 2' not in found
