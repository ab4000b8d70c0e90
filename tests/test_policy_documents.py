"""Policy documents: 政府信息公开 fields in their columns, attachment text searchable.

The shared crawl of the sample portals (the demo's archive) includes sample-gov, whose
documents carry info tables and attachments in every format; a word found only inside one
attachment must be found by stock `sqlite-utils search`, Datasette and `govarc search`, and
lead to its article. A second crawl serves the bad documents and checks that each ends as a
failure of its own kind, within budget, with its bytes kept in the WARC.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import warc_files
from crawler.sample_portal import serve_sample_portal
from crawler.sample_portal.policy import (
    ATTACHMENT_WORDS,
    BAD_DOCUMENTS,
    DOCUMENTS,
    bad_document_paths,
)
from crawler.sample_portal.site import build_site
from tests.conftest import FAST, get, govarc, query

SITE = build_site()
POLICY = {a.path: a for a in SITE.articles if a.portal_id == "sample-gov"}
EXTENSION = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc", "ofd": ".ofd", "xlsx": ".xlsx",
             "wps": ".wps"}


def sqlite_utils(*args: str) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "sqlite_utils", *args],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("fmt", sorted(ATTACHMENT_WORDS))
def test_a_word_inside_one_attachment_is_found_by_stock_sqlite_utils(crawled, fmt):
    word = ATTACHMENT_WORDS[fmt]
    hits = sqlite_utils("search", str(crawled.db), "attachment_texts", word,
                        "-c", "url", "-c", "article_url", "-c", "format")
    assert len(hits) == 1, hits
    hit = hits[0]
    assert hit["url"].endswith(EXTENSION[fmt]) and hit["format"] == fmt
    # … and leads to its article, which links that file; the word is not in any article.
    article = POLICY[path_of(hit["article_url"])]
    assert path_of(hit["url"]) in {a.path for a in article.attachments}
    assert query(crawled.db, "SELECT title FROM articles WHERE url = ?",
                 [hit["article_url"]]) == [(article.title,)]
    assert sqlite_utils("search", str(crawled.db), "articles", word, "-c", "url") == []


def test_datasette_searches_attachment_text_and_facets_document_fields(crawled, datasette_url):
    word = ATTACHMENT_WORDS["ofd"]
    data = get(f"{datasette_url}/attachment_texts.json?_search={quote(word)}&_shape=objects")
    assert [path_of(r["article_url"]) for r in data["rows"]] == [
        a.path for a in POLICY.values() if any(s.path.endswith(".ofd") for s in a.attachments)]
    facets = get(f"{datasette_url}/articles.json?portal=sample-gov&_shape=objects")
    validity = {f["value"]: f["count"]
                for f in facets["facet_results"]["doc_validity"]["results"]}
    expected: dict[str, int] = {}
    for article in POLICY.values():
        if article.document["doc_validity"]:
            expected[article.document["doc_validity"]] = expected.get(
                article.document["doc_validity"], 0) + 1
    assert validity == expected and "废止" in validity


def test_document_fields_are_columns_and_not_body_text(crawled):
    columns = sorted(next(iter(POLICY.values())).document)
    rows = query(crawled.db, f"SELECT url, text, {', '.join(columns)} FROM articles "
                             "WHERE portal = 'sample-gov'")
    assert len(rows) == len(POLICY) == len(DOCUMENTS)
    for url, text, *values in rows:
        article = POLICY[path_of(url)]
        assert dict(zip(columns, values, strict=True)) == article.document, url
        assert text == article.text
        for label in ("索引号", "索 引 号", "发文字号", "主题分类", "有效性"):
            assert label not in text


@pytest.mark.parametrize("form", ["〔〕", "[]", "【】", "()", "（）"])
def test_a_doc_number_is_found_in_any_bracket_form(crawled, form):
    for doc in DOCUMENTS[:3]:  # written 〔〕, [] and 【】 on their pages
        article = next(a for a in POLICY.values() if a.title == doc.title)
        number = article.document["doc_number"].replace("〔", form[0]).replace("〕", form[1])
        found = govarc("search", number, "--db", str(crawled.db))
        assert found.returncode == 0, found.stderr
        assert article.path in found.stdout, (number, found.stdout)
        hits = sqlite_utils("search", str(crawled.db), "articles", number, "--quote",
                            "-c", "url")
        assert article.path in {path_of(h["url"]) for h in hits}, number


def test_govarc_search_in_attachments_says_which_attachment(crawled):
    word = ATTACHMENT_WORDS["doc"]
    found = govarc("search", word, "--in", "attachments", "--db", str(crawled.db))
    assert found.returncode == 0, found.stderr
    article = next(a for a in POLICY.values()
                   if any(s.path.endswith(".doc") for s in a.attachments))
    name = next(s.filename for s in article.attachments if s.path.endswith(".doc"))
    assert f"附件 {name} (doc) of: {article.title}" in found.stdout
    assert f"【{word}】" in found.stdout and article.path in found.stdout
    both = govarc("search", word, "--in", "all", "--db", str(crawled.db))
    assert "no articles match" in both.stderr and name in both.stdout


def test_export_carries_document_fields_and_attachment_text(crawled, tmp_path):
    out = tmp_path / "gov.jsonl"
    result = govarc("export", "jsonl", "--db", str(crawled.db), "--portal", "sample-gov",
                    "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(POLICY)
    for row in rows:
        article = POLICY[path_of(row["url"])]
        assert {k: row[k] for k in article.document} == article.document
        assert sorted(path_of(a["url"]) for a in row["attachments"]) == sorted(
            s.path for s in article.attachments)
    texts = "\n".join(a["text"] or "" for row in rows for a in row["attachments"])
    assert all(word in texts for word in ATTACHMENT_WORDS.values())
    scan = [a for row in rows for a in row["attachments"] if a["status"] == "image-only"]
    assert len(scan) == 1 and scan[0]["text"] is None and scan[0]["format"] == "pdf"


# -- bad documents ---------------------------------------------------------------------------
def _served(portal, path: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(portal.base_urls["sample-gov"] + path, timeout=30) as answer:
        return answer.read()


def test_each_bad_document_is_a_failure_of_its_own_kind_and_the_crawl_goes_on(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import procmeter

    expected = bad_document_paths()
    assert len(expected) == len(BAD_DOCUMENTS)
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    with serve_sample_portal(portals=["sample-gov"], bad_documents=True) as portal:
        registry = portal.write_registry(tmp_path / "portals.toml")
        measured = procmeter.run(
            [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
             "--db", str(db), "--warc-dir", str(warc_dir), *FAST,
             "-s", "GOVARC_DOCUMENT_BUDGET=20"], stderr=tmp_path / "crawl.err")
        served = {path: hashlib.sha1(_served(portal, path)).hexdigest() for path in expected}
    assert measured.returncode == 1, (tmp_path / "crawl.err").read_text()
    assert measured.peak_tree_rss_mb < 300, measured
    assert measured.seconds < 60, measured
    # Every good document is still archived and read; each bad one failed as itself.
    assert query(db, "SELECT count(*) FROM articles") == [(len(POLICY) + 1,)]
    statuses = {path_of(u): (s, f) for u, s, f in query(
        db, "SELECT url, status, format FROM attachment_texts")}
    failures = {path_of(u): (k, r) for u, k, r in query(
        db, "SELECT url, kind, reason FROM failures")}
    for path, kind in expected.items():
        assert statuses[path][0] == kind, (path, statuses[path], failures.get(path))
        if kind == "unsupported":
            assert path not in failures  # CEB: a status, not a failure of the crawl
        else:
            assert failures[path][0] == f"document-{kind}" and failures[path][1], path
    assert set(failures) <= set(expected)
    # A document that could not be read still says what it is, where its bytes tell it.
    assert all(f == "pdf" for p, (_, f) in statuses.items() if p.endswith(".pdf")), statuses
    assert sum(s == "ok" for s, _ in statuses.values()) == sum(
        len(a.attachments) for a in POLICY.values()) - 1  # all but the scan
    # Nothing is lost: each bad document's bytes are in the WARC as served.
    archived = {}
    for path in warc_files(warc_dir):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    url = path_of(record.rec_headers.get_header("WARC-Target-URI"))
                    if url in served:
                        archived[url] = hashlib.sha1(record.content_stream().read()).hexdigest()
    assert archived == served
    # A rebuild from the WARC files alone reads the same texts and the same failures.
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--warc-dir", str(warc_dir), "--db", str(rebuilt))
    assert result.returncode in (0, 1), result.stderr
    for sql in ("SELECT url, status, format, method, pages, text FROM attachment_texts",
                "SELECT url, kind FROM failures WHERE kind LIKE 'document-%'",
                "SELECT url, doc_number, doc_validity, doc_written FROM articles"):
        assert sorted(query(rebuilt, sql)) == sorted(query(db, sql)), sql


def test_a_document_repealed_without_a_word_of_its_text_changed_is_a_new_version():
    from dataclasses import replace

    from archive.articles import extract_article
    from crawler.sample_portal.policy import article_page

    doc = DOCUMENTS[5]  # a 规范性文件 whose table says 有效
    spec = next(a for a in POLICY.values() if a.title == doc.title)
    before, after = (extract_article(article_page(d, spec.attachments).encode("utf-8"),
                                     "http://127.0.0.1" + spec.path, "text/html")
                     for d in (doc, replace(doc, validity="废止")))
    assert before.fields["text"] == after.fields["text"] == spec.text
    assert (before.fields["doc_validity"], after.fields["doc_validity"]) == ("有效", "废止")
    assert before.fields["content_hash"] != after.fields["content_hash"]
