"""Shared fixtures: the sample portal served on loopback and a crawl of it."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.sample_portal import serve_sample_portal
from tests.mini_portal import MiniPortal

REPO = Path(__file__).resolve().parents[1]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
# Loopback is where the tests' portals live: allowed explicitly (a crawl refuses private
# addresses), for every crawl the tests start, through the environment they inherit.
os.environ["GOVARC_ALLOWED_NETWORKS"] = "127.0.0.0/8"
# The browser (Chromium) costs seconds a crawl: only the crawls that check what it archives
# use it (env=BROWSER_ON); the others leave the walled portal out or see its challenges.
os.environ["GOVARC_BROWSER"] = "0"
BROWSER_ON = {"GOVARC_BROWSER": "1"}


# Sample portals behind JavaScript walls: archived only when a Chromium is found.
WALLED = frozenset({"sample-hg"})


def has_browser() -> bool:
    """Whether the crawl finds a Chromium (GOVARC_BROWSER_PATH or one on PATH)."""
    from crawler.browser.service import find_browser

    return find_browser(os.environ.get("GOVARC_BROWSER_PATH", "")) is not None


def plain_articles():
    """The sample articles outside the walled portals (what a registry `without=WALLED`
    crawl archives: the tests that do not need the browser leave it out, for time)."""
    from crawler.sample_portal import build_site

    return [a for a in build_site().articles if a.portal_id not in WALLED]


def reachable(articles):
    """The sample articles a crawl on this machine archives (walled ones need Chromium)."""
    if has_browser():
        return list(articles)
    return [a for a in articles if a.portal_id not in WALLED]


def query(db: Path, sql: str, params=()) -> list[tuple]:
    """Rows of one SQL query on an archive database (read without the tokenizer)."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def govarc(*args: str, cwd: Path | None = None, check: bool = False,
           timeout: float = 300, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    """Run the real `govarc` command line in a subprocess (`env`: added variables)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True, text=True, cwd=cwd or REPO, timeout=timeout, check=check,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )


@dataclass
class Crawled:
    base_urls: dict[str, str]
    registry: Path
    db: Path
    warc_dir: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def sample_portal() -> Iterator:
    with serve_sample_portal() as portal:
        yield portal


@pytest.fixture(scope="session")
def crawled(sample_portal, tmp_path_factory) -> Crawled:
    """One full crawl of both sample portals through the real CLI."""
    root = tmp_path_factory.mktemp("crawl")
    registry = sample_portal.write_registry(root / "portals.toml")
    db, warc_dir = root / "archive.db", root / "warc"
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(db),
                    "--warc-dir", str(warc_dir), *FAST, env=BROWSER_ON)
    assert result.returncode in (0, 1), result.stderr
    return Crawled(sample_portal.base_urls, registry, db, warc_dir, result)


@pytest.fixture()
def mini() -> Iterator[MiniPortal]:
    """A small editable portal (three articles) on loopback."""
    portal = MiniPortal()
    yield portal
    portal.close()


# Every table whose rows point into the WARC files: the columns that identify a row.
POINTER_TABLES = {
    "articles": "url",
    "article_versions": "url, version",
    "captures": "url, record_id, request_offset, request_length",
    "attachments": "url",
    "attachment_texts": "url",
    "failures": "url, kind",
    "flags": "url, kind, element_path",
}


def pointer_rows(db: Path, table: str) -> list[tuple]:
    """(identifying columns…, warc_filename, warc_offset, warc_length) of every row, sorted."""
    rows = query(db, f"SELECT {POINTER_TABLES[table]}, warc_filename, warc_offset, warc_length "
                     f"FROM {table}")
    return sorted(rows, key=repr)


def assert_same_pointers(original: Path, rebuilt: Path) -> dict[str, int]:
    """Every pointer of every table is the same in both databases, column by column.
    Returns the number of rows with a pointer per table."""
    counts = {}
    for table in POINTER_TABLES:
        want, got = pointer_rows(original, table), pointer_rows(rebuilt, table)
        missing = [r for r in want if r not in got]
        extra = [r for r in got if r not in want]
        assert not missing and not extra, (table, missing[:5], extra[:5])
        counts[table] = sum(1 for r in want if r[-3] is not None)
    return counts


# -- Datasette over the shared crawl ------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def datasette_url(crawled, tmp_path):
    with serve_datasette(crawled.db, tmp_path / "datasette.log") as base:
        yield f"{base}/{crawled.db.stem}"


@contextlib.contextmanager
def serve_datasette(db: Path, log: Path) -> Iterator[str]:
    """`datasette DB` on a free loopback port, as its docs start it; yields its base URL."""
    port = free_port()
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "datasette", str(db), "-h", "127.0.0.1", "-p",
             str(port)], stdout=sink, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("datasette did not start: " + log.read_text())
        yield base
    finally:
        process.terminate()
        process.wait(10)


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())
