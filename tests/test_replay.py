"""Replay: the CDXJ index, the WACZ export, and pywb serving the archive byte for byte."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import surt
from warcio.timeutils import iso_date_to_timestamp

from archive.replay import WaczSummary, write_cdxj, write_wacz
from archive.warc import warc_files
from archive.warc_read import StoredRecord, iter_records, read_record
from tests.conftest import FAST, govarc, has_browser
from tests.replay_env import ReplayEnv, ReplayEnvError, replay_env, wayback

REPLAYED_PORTALS = ("sample-yn", "sample-zj")


@dataclass
class Export:
    db: Path
    warc_dir: Path
    wacz: Path
    summary: WaczSummary


pytestmark = pytest.mark.network  # pywb's venv comes from the package index (then cached)


@pytest.fixture(scope="module")
def env() -> ReplayEnv:
    try:
        return replay_env()
    except ReplayEnvError as exc:
        text = str(exc)
        if any(sign in text for sign in UNREACHABLE):
            pytest.skip("pywb's virtual environment cannot be built: the package index "
                        f"cannot be reached ({text.splitlines()[0]})")
        pytest.fail(f"cannot set up pywb and py-wacz for the replay tests: {text}",
                    pytrace=False)


# What pip prints when the package index cannot be reached.
UNREACHABLE = ("Failed to establish a new connection", "Temporary failure in name resolution",
               "Network is unreachable", "No matching distribution found",
               "Could not find a version that satisfies", "connection timed out")


@pytest.fixture(scope="module")
def cdxj(crawled) -> tuple[int, list[str]]:
    out = io.StringIO()
    count = write_cdxj(crawled.warc_dir, out)
    return count, out.getvalue().splitlines()


@pytest.fixture(scope="module")
def exported(crawled, tmp_path_factory) -> Export:
    path = tmp_path_factory.mktemp("wacz") / "sample.wacz"
    summary = write_wacz(crawled.warc_dir, crawled.db, path, title="govarc sample portals")
    return Export(crawled.db, crawled.warc_dir, path, summary)


@pytest.fixture(scope="module")
def recrawled(crawled, sample_portal, tmp_path_factory) -> Export:
    """A copy of the archive crawled again in full: unchanged pages become revisit records."""
    root = tmp_path_factory.mktemp("recrawl")
    db, warc_dir = root / "archive.db", root / "warc"
    source, copy = sqlite3.connect(crawled.db), sqlite3.connect(db)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    shutil.copytree(crawled.warc_dir, warc_dir)
    result = govarc("crawl", *REPLAYED_PORTALS, "--portal-file", str(crawled.registry),
                    "--db", str(db), "--warc-dir", str(warc_dir), "--full", *FAST)
    assert result.returncode in (0, 1), result.stderr
    wacz = root / "recrawl.wacz"
    return Export(db, warc_dir, wacz, write_wacz(warc_dir, db, wacz))


@pytest.fixture(scope="module")
def replay(env, exported, recrawled, tmp_path_factory):
    """pywb on loopback with two collections made from the exported WACZ files."""
    root = tmp_path_factory.mktemp("pywb")
    for coll, export in (("govarc", exported), ("recrawl", recrawled)):
        for args in (("wb-manager", "init", coll),
                     ("wb-manager", "add", "--unpack-wacz", coll, str(export.wacz))):
            result = env.run(*args, cwd=root)
            assert result.returncode == 0, result.stdout + result.stderr
    with wayback(env, root) as base:
        yield base


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def articles(db: Path) -> dict[str, tuple[str, int]]:
    """Article URL -> (WARC file, offset) of its record."""
    return {url: (name, offset) for url, name, offset in query(
        db, "SELECT url, warc_filename, warc_offset FROM articles "
            "WHERE warc_filename IS NOT NULL")}


def payload_record(db: Path, warc_dir: Path, name: str, offset: int) -> StoredRecord:
    """The response record holding the payload of the record at (name, offset): the record
    itself, or the original its WARC-Refers-To names (as a replay tool follows it)."""
    record = read_record(warc_dir / name, offset)
    if record.rec_type == "revisit":
        ((original_name, original_offset),) = query(
            db, "SELECT warc_filename, warc_offset FROM captures WHERE record_id = ?",
            record.refers_to)
        record = read_record(warc_dir / original_name, original_offset)
    assert record.rec_type == "response"
    return record


def sample_articles(db: Path) -> list[str]:
    """An article of the TRS portal, and one of sample-zj's GBK section sxdt if archived."""
    picked = [query(db, "SELECT url FROM articles WHERE portal = 'sample-yn' "
                        "AND warc_filename IS NOT NULL ORDER BY url LIMIT 1")[0][0]]
    picked += [url for (url,) in query(
        db, "SELECT a.url FROM articles a JOIN sections s ON s.portal = a.portal "
            "AND a.section IN (s.section, s.name) WHERE s.portal = 'sample-zj' "
            "AND s.section = 'sxdt' AND a.warc_filename IS NOT NULL ORDER BY a.url LIMIT 1")]
    return picked


def fetch(url: str) -> tuple[dict[str, str], bytes]:
    """GET through pywb; a Content-Encoding it kept is undone, as a browser would."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            headers, body = dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        pytest.fail(f"pywb answered {exc.code} for {url}: {exc.read()[:500]!r}")
    if headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
        body = gzip.decompress(body)
    return headers, body


def test_cdxj_indexes_every_response_and_revisit(crawled, cdxj):
    count, lines = cdxj
    records = [(path.name, r.offset, r.url) for path in warc_files(crawled.warc_dir)
               for r in iter_records(path) if r.rec_type in ("response", "revisit")]
    assert count == len(lines) == len(records) > 0
    assert lines == sorted(lines)
    entries = set()
    for line in lines:
        key, timestamp, fields = line.split(" ", 2)
        data = json.loads(fields)
        if data.get("method") == "POST":  # the body joins the key, as pywb looks it up
            assert key.startswith(surt.surt(data["url"]).split("?")[0] + "?__wb_method=post")
        else:
            assert key == surt.surt(data["url"]) and ")/" in key, line
        assert len(timestamp) == 14 and timestamp.isdigit(), line
        entries.add((data["filename"], int(data["offset"]), data["url"]))
    assert entries == set(records)  # filenames are relative to the WARC folder
    archived = articles(crawled.db)
    assert archived
    for url, (name, offset) in archived.items():
        assert (name, offset, url) in entries, url


def test_wacz_export_is_valid_and_complete(crawled, cdxj, exported, env):
    result = env.run("wacz", "validate", "-f", str(exported.wacz))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "succeeded" in result.stdout.lower(), result.stdout

    names = {p.name for p in warc_files(crawled.warc_dir)}
    with zipfile.ZipFile(exported.wacz) as wacz:
        listed = {info.filename: info for info in wacz.infolist()}
        assert set(listed) == {f"archive/{n}" for n in names} | {
            "indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl",
            "datapackage.json", "datapackage-digest.json"}
        for name, info in listed.items():
            if name.startswith("archive/") or name.endswith(".cdx.gz"):
                assert info.compress_type == zipfile.ZIP_STORED, name

        package_bytes = wacz.read("datapackage.json")
        package = json.loads(package_bytes)
        assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
        assert package["title"] == "govarc sample portals" and package["created"]
        resources = {r["path"]: r for r in package["resources"]}
        assert set(resources) == set(listed) - {"datapackage.json", "datapackage-digest.json"}
        for path, resource in resources.items():
            digest, size = hashlib.sha256(), 0
            with wacz.open(path) as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
            assert resource["hash"] == "sha256:" + digest.hexdigest(), path
            assert resource["bytes"] == size == listed[path].file_size, path
        digest_file = json.loads(wacz.read("datapackage-digest.json"))
        assert digest_file == {"path": "datapackage.json",
                               "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}

        assert gzip.decompress(wacz.read("indexes/index.cdx.gz")).decode().splitlines() == \
            cdxj[1]
        idx = wacz.read("indexes/index.idx").decode().splitlines()
        assert json.loads(idx[0].split(" ", 2)[2])["format"] == "cdxj-gzip-1.0"

        header, *pages = (json.loads(line) for line in
                          wacz.read("pages/pages.jsonl").decode().splitlines())
    assert header["format"] == "json-pages-1.0"
    titles = dict(query(crawled.db, "SELECT url, title FROM articles "
                                    "WHERE warc_filename IS NOT NULL"))
    assert sorted(p["url"] for p in pages) == sorted(titles)
    assert exported.summary.pages == len(pages) and exported.summary.index_lines == len(cdxj[1])
    for page in pages:
        assert page["title"] == titles[page["url"]] and page["id"]
        datetime.fromisoformat(page["ts"])  # RFC 3339


def test_pywb_replays_archived_articles_as_served(crawled, replay):
    archived = articles(crawled.db)
    picked = sample_articles(crawled.db)
    assert picked
    for url in picked:
        name, offset = archived[url]
        record = read_record(crawled.warc_dir / name, offset)
        assert record.status == 200
        timestamp = iso_date_to_timestamp(record.warc_date)
        headers, body = fetch(f"{replay}/govarc/{timestamp}id_/{url}")
        payload = payload_record(crawled.db, crawled.warc_dir, name, offset)
        assert body == payload.body, url  # the HTML the portal served, byte for byte
        assert b"<html" in body.lower()
        served = parsedate_to_datetime(headers["Memento-Datetime"])
        assert served.strftime("%Y%m%d%H%M%S") == timestamp


def test_pywb_replays_an_article_through_its_revisit(recrawled, replay):
    archived = articles(recrawled.db)
    replayed = 0
    for url in sample_articles(recrawled.db):
        revisits = query(recrawled.db, "SELECT warc_date FROM captures WHERE url = ? AND "
                                       "record_type = 'revisit' ORDER BY warc_date", url)
        assert revisits, f"the full re-crawl stored no revisit record for {url}"
        original = payload_record(recrawled.db, recrawled.warc_dir, *archived[url])
        revisit_date = revisits[-1][0]
        timestamp = iso_date_to_timestamp(revisit_date)
        headers, body = fetch(f"{replay}/recrawl/{timestamp}id_/{url}")
        served = parsedate_to_datetime(headers["Memento-Datetime"])
        assert served.strftime("%Y%m%d%H%M%S") == timestamp  # the revisit was chosen...
        assert timestamp != iso_date_to_timestamp(original.warc_date)
        assert body == original.body, url  # ...and resolved to the original payload
        replayed += 1
    assert replayed


def test_pywb_indexing_the_raw_warc_files_replays_every_article(env, crawled, tmp_path):
    """The archivist's usual way, with no govarc index: `wb-manager add` the WARC files.
    Every archived article comes back as the portal served it, never a metadata record."""
    root = tmp_path / "pywb"
    root.mkdir()
    files = [str(p) for p in warc_files(crawled.warc_dir)]
    for args in (("wb-manager", "init", "demo"), ("wb-manager", "add", "demo", *files)):
        result = env.run(*args, cwd=root)
        assert result.returncode == 0, result.stdout + result.stderr
    archived = articles(crawled.db)
    assert len(archived) >= 400
    # Pages a browser fetched (a walled portal's) are replayed as received, not as the DOM
    # the browser rendered (kept under urn:govarc:rendered:, never served for the URL).
    rendered = {u for (u,) in query(crawled.db, "SELECT url FROM articles WHERE method LIKE "
                                                "'rendered-%'")}
    assert rendered or not has_browser()
    revisits = 0
    with wayback(env, root) as base:
        for url, (name, offset) in sorted(archived.items()):
            record = read_record(crawled.warc_dir / name, offset)
            revisits += record.rec_type == "revisit"
            timestamp = iso_date_to_timestamp(record.warc_date)
            headers, body = fetch(f"{base}/demo/{timestamp}id_/{url}")
            assert body == payload_record(crawled.db, crawled.warc_dir, name, offset).body, url
            served = parsedate_to_datetime(headers["Memento-Datetime"])
            assert served.strftime("%Y%m%d%H%M%S") == timestamp, url
    print(f"replayed {len(archived)} articles through pywb's own index ({revisits} revisits)")
