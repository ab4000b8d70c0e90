"""A compressed body is checked and inflated once, at capture: whole gzip/deflate bodies
reach the spider inflated, anything unusual is left to Scrapy's decompression as before."""

from __future__ import annotations

import gzip
import time
import zlib

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.errors import WarcError
from archive.rebuild import rebuild
from archive.transfer import encoding_intact, inflate_whole
from archive.warc_read import StoredRecord
from tests.conftest import query
from tests.test_scope import crawl


def page(number: int) -> bytes:
    """An article page of the mini portal's template, its text its own."""
    return ("<html><head><meta charset='utf-8'><title>稿件标题_测试市人民政府</title></head>"
            "<body><h1>稿件标题</h1><p>发布时间：2026-04-13 10:00</p><div class='TRS_Editor'>"
            + "".join(f"<p>第{n}段：曲靖市第{number}项扶贫工作的新进展，乡村振兴稳步推进。</p>"
                      for n in range(40)) + "</div></body></html>").encode()


PAGE = page(0)


def _bodies() -> dict[str, tuple[str | None, bytes]]:
    half = len(PAGE) // 2
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    return {
        "plain": (None, PAGE),
        "gzip": ("gzip", gzip.compress(PAGE)),
        "x-gzip upper case": (" X-GZIP ", gzip.compress(PAGE)),
        "deflate": ("deflate", zlib.compress(PAGE)),
        "two gzip members": ("gzip", gzip.compress(PAGE[:half]) + gzip.compress(PAGE[half:])),
        "cut gzip": ("gzip", gzip.compress(PAGE)[:-40]),
        "empty gzip": ("gzip", b""),
        "corrupt gzip": ("gzip", b"\x1f\x8b\x08\x00" + b"\xff" * 64),
        "raw deflate": ("deflate", zlib.compress(PAGE)[2:-4]),
        "cut raw deflate": ("deflate", zlib.compress(PAGE)[2:-40]),
        "cut deflate": ("deflate", zlib.compress(PAGE)[:-40]),
        "brotli name": ("br", b"\x0b\x02\x80hello\x03"),
        "bomb": ("gzip", b"".join([bomb.compress(b" " * (1 << 20)) for _ in range(8)]
                                  + [bomb.flush()])),
    }


@pytest.mark.parametrize("name", list(_bodies()))
def test_inflate_whole_agrees_with_encoding_intact(name):
    encoding, body = _bodies()[name]
    limit = 1 << 22  # the bomb inflates to twice this
    intact, inflated = inflate_whole(body, encoding, limit)
    assert intact == encoding_intact(body, encoding, limit)
    expected = {"gzip": PAGE, "x-gzip upper case": PAGE, "deflate": PAGE,
                "raw deflate": PAGE}.get(name)
    assert inflated == expected, name  # None: left to the decompression that follows
    assert intact == (name not in {"cut gzip", "empty gzip", "corrupt gzip",
                                   "cut raw deflate", "cut deflate"})


@pytest.mark.parametrize("name", list(_bodies()))
def test_encoding_intact_reads_a_file_from_where_it_stands(name, tmp_path):
    encoding, body = _bodies()[name]
    path = tmp_path / "body"
    path.write_bytes(b"HTTP/1.1 200 OK\r\n\r\n" + body)
    with path.open("rb") as spooled:
        spooled.seek(19)
        assert encoding_intact(spooled, encoding, 1 << 22) == encoding_intact(
            body, encoding, 1 << 22), name


def test_encoded_articles_reach_the_extractor_whole_and_the_warc_keeps_them_as_sent(
        mini, tmp_path):
    two = page(7)
    sent = {
        "/xw/202604/t20260416_6.html": ("gzip", gzip.compress(page(6))),
        "/xw/202604/t20260417_7.html": ("gzip", gzip.compress(two[:len(two) // 2])
                                        + gzip.compress(two[len(two) // 2:])),
        "/xw/202604/t20260418_8.html": ("deflate", zlib.compress(page(8))),
        "/xw/202604/t20260419_9.html": ("gzip", gzip.compress(page(9))[:-40]),
        "/xw/202604/t20260420_5.html": ("deflate", zlib.compress(page(5))[2:-4]),  # raw
    }
    mini.encoded.update(sent)
    result = crawl(mini.registry(tmp_path / "mini.toml"), tmp_path)
    assert result.returncode in (0, 1), result.stderr
    db = tmp_path / "a.db"
    texts = dict(query(db, "SELECT url, text FROM articles"))
    whole = [mini.base + p for p in list(sent)[:3] + list(sent)[4:]]
    for url in whole:  # one member, two members (Scrapy's decompression), deflate, raw
        number = url[-6]
        assert f"第0段：曲靖市第{number}项" in texts[url], url
        assert f"第39段：曲靖市第{number}项" in texts[url], url
    cut = mini.base + list(sent)[3]
    assert cut not in texts
    assert query(db, "SELECT kind FROM failures WHERE url = ?", [cut]) == [("truncated",)]
    kept = {}
    for path in sorted((tmp_path / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response" and url in {*whole, cut}:
                    kept[url] = (record.http_headers.get_header("Content-Encoding"),
                                 record.raw_stream.read())  # as sent
    assert kept == {mini.base + path: body for path, body in sent.items()}
    rebuild(tmp_path / "warc", tmp_path / "b.db", workers=0)  # the same from the WARC alone
    rebuilt = dict(query(tmp_path / "b.db", "SELECT url, text FROM articles"))
    assert {url: rebuilt.get(url) for url in whole} == {url: texts[url] for url in whole}
    assert query(tmp_path / "b.db", "SELECT kind FROM failures WHERE url = ?",
                 [cut]) == [("truncated",)]


def test_the_head_of_a_stored_body_reads_every_deflate():
    for name in ("gzip", "deflate", "raw deflate"):
        encoding, body = _bodies()[name]
        record = StoredRecord("response", "http://127.0.0.1/a.html", "", "", None, 200,
                              [("Content-Encoding", encoding)], body, 0, len(body))
        assert record.head(40) == PAGE[:40], name
        assert record.body == PAGE, name


def test_a_stored_gzip_body_is_read_member_after_member_in_bounded_time():
    members = b"".join(gzip.compress(PAGE[i:i + 1000]) for i in range(0, len(PAGE), 1000))
    for body in (members, members + b"\0" * 64, members + b"<html>trailing</html>"):
        record = StoredRecord("response", "http://127.0.0.1/a.html", "", "", None, 200,
                              [("Content-Encoding", "gzip")], body, 0, len(body))
        assert record.body == PAGE
        # The head a rebuild reads for a meta refresh crosses members too.
        assert record.head(2500) == PAGE[:2500] and record.head(len(PAGE) + 9) == PAGE
    endless = gzip.compress(b"") * 800_000  # 16 MB of empty members
    record = StoredRecord("response", "http://127.0.0.1/b.html", "", "", None, 200,
                          [("Content-Encoding", "gzip")], endless, 0, len(endless))
    started = time.perf_counter()
    with pytest.raises(WarcError, match="more than 256 gzip members"):
        record.decoded(1 << 24)
    assert record.head(4096) == b""
    assert time.perf_counter() - started < 2.0
