"""Datasette as an archive browser over loopback, and streaming exports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.request
from urllib.parse import quote

from tests.conftest import get, govarc


def test_datasette_json_api_searches_chinese_with_archive_metadata(crawled, datasette_url):
    from tests.test_crawl_e2e import sqlite_utils_search

    data = get(f"{datasette_url}/articles.json?_search={quote('曲靖')}&_shape=objects"
               "&_col=url&_size=max")
    assert {row["url"] for row in data["rows"]} == sqlite_utils_search(crawled.db, "曲靖")
    assert set(data["facet_results"]) >= {"portal", "section", "published_date"}
    mixed = get(f"{datasette_url}/articles.json?_search={quote('高质量发展 云南')}"
                "&_shape=objects&_col=title&_size=max")
    assert mixed["rows"] and all(row for row in mixed["rows"])
    metadata = get(datasette_url.rsplit("/", 1)[0] + "/-/metadata.json")
    assert metadata["title"].startswith("govarc")
    assert metadata["databases"][crawled.db.stem]["tables"]["articles"]["fts_table"] == (
        "articles_fts")


def test_export_jsonl_filters_and_streams(crawled):
    result = govarc("export", "jsonl", "--db", str(crawled.db), "--portal", "sample-yn",
                    "--section", "州市动态", "--since", "2021-01-01", "--until", "2021-12-31")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines
    for row in lines:
        assert row["portal"] == "sample-yn" and row["section"] == "州市动态"
        assert "2021-01-01" <= row["published_at"][:10] <= "2021-12-31"
        assert row["warc_filename"] and row["warc_offset"] is not None and row["text"]
    assert [r["published_at"] for r in lines] == sorted(r["published_at"] for r in lines)
    assert any(r["url"].endswith("t20211025_229601.html") for r in lines)
    assert f"exported {len(lines)} articles" in result.stderr


def test_export_csv_has_every_article_once(crawled):
    result = govarc("export", "csv", "--db", str(crawled.db))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)) >= 200
    assert {"title", "published_at", "text", "warc_filename", "warc_offset"} <= rows[0].keys()


def _archive_of(path, n: int) -> None:
    import hashlib

    from archive.store import Store

    store = Store(path, batch_size=500)
    store.start_run(["big"])
    paragraph = "曲靖市坚持以高质量发展为主题，扎实推进乡村振兴和巩固拓展脱贫攻坚成果。" * 400
    for i in range(n):
        text = f"{i}{paragraph}"
        store.add_article({"url": f"http://h/{i}.html", "portal": "big", "title": f"稿件{i}",
                           "text": text, "published_at": f"2026-01-01T00:00:{i % 60:02d}+08:00",
                           "content_hash": hashlib.sha1(text.encode()).hexdigest()})
    store.close()


def _export_peak_kb(db) -> int:
    code = ("import resource, sys\n"
            "from archive.export import iter_articles, write_jsonl\n"
            "import io\n"
            "class Null(io.TextIOBase):\n"
            "    def write(self, s): return len(s)\n"
            "n = write_jsonl(iter_articles(sys.argv[1]), Null())\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                         check=True).stdout
    return int(out.split()[-1])


def test_export_memory_does_not_grow_with_the_archive(tmp_path):
    """Exporting 1,500 articles of ~12 KB each (18 MB of text) costs no more memory than 150."""
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    _archive_of(small, 150)
    _archive_of(large, 1500)
    growth_kb = _export_peak_kb(large) - _export_peak_kb(small)
    assert growth_kb < 8_000, f"peak memory grew by {growth_kb} KB"


def test_every_table_and_column_is_described_in_datasette(crawled, datasette_url):
    from archive.schema import TABLES

    metadata = get(datasette_url.rsplit("/", 1)[0] + "/-/metadata.json")
    tables = metadata["databases"][crawled.db.stem]["tables"]
    for name, spec in TABLES.items():
        assert tables[name]["title"] and tables[name]["description"], name
        described = tables[name]["columns"]
        for column in spec["columns"]:
            assert described.get(column), f"{name}.{column} has no description"
    page = urllib.request.urlopen(f"{datasette_url}/crawl_runs", timeout=30).read().decode()
    assert "Why a failed run failed" in page  # shown on the table page


def test_the_readme_datasette_addresses_work(crawled, datasette_url):
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Browsing with Datasette"):readme.index("## Exporting")]
    addresses = [line.strip() for line in section.splitlines()
                 if line.strip().startswith("http://127.0.0.1:8001/archive/")]
    assert len(addresses) >= 4
    base = datasette_url.rsplit("/", 1)[0]
    for address in addresses:
        path = address.removeprefix("http://127.0.0.1:8001")
        path, _, query_string = path.partition("?")
        url = base + quote(path) + "?" + quote(query_string, safe="=&_")
        with urllib.request.urlopen(url, timeout=30) as answer:
            body = answer.read().decode()
        assert answer.status == 200, address
        if ".json" in path:
            data = json.loads(body)
            rows = data if isinstance(data, list) else data["rows"]
            assert rows, address
        else:
            assert "0 rows" not in body, address
            if "_facet=" in query_string:
                facet = query_string.split("_facet=")[1].split("&")[0]
                assert f'data-column="{facet}"' in body, address
