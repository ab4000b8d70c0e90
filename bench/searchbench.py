"""Search latency on a generated archive: `sqlite-utils search`, the library, direct FTS5.

The library is timed three ways: `search_articles` as a long-running program calls it (it
keeps its read-only connection between calls), `search_articles` cold (the kept
connection closed before each call, so every search opens the database with an empty page
cache, as `govarc search` does once per process; reported, no target), and
`archive.search.search` on one connection the benchmark opened ("FTS, open conn").

The archive holds `count` articles from the benchmark portal's generator (the sample
portal's text generator: about 900 characters of text on average, titles, sources), written
through `archive.store.Store`, so the Chinese FTS5 index is govarc's own. It is built once
per count and kept under the temp folder (`govarc-bench/search-<count>-v<format>.db`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import portal

from archive.readonly import open_read_only
from archive.search import close_cached, search, search_articles
from archive.store import Store

QUERIES: list[tuple[str, str]] = [
    ("2 chars", "曲靖"), ("2 chars", "扶贫"), ("4 chars", "乡村振兴"),
    ("multi-word", "高质量发展 云南"), ("multi-word", "曲靖 扶贫"),
]
LIMIT = 20


def cached_archive(name: str, fill: Callable[[Store], None], batch_size: int = 2000) -> Path:
    """The archive `portal.CACHE_DIR/name`, written through `Store` by `fill` on first use
    (into a staging file, moved in place once complete)."""
    path = portal.CACHE_DIR / name
    if path.exists():
        return path
    portal.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for leftover in tmp.parent.glob(tmp.name + "*"):
        leftover.unlink()
    store = Store(tmp, batch_size=batch_size, max_delay=3600)
    fill(store)
    store.close()
    shutil.move(tmp, path)
    for extra in ("-wal", "-shm"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    return path


def build_db(count: int, progress: Callable[[str], None] = print) -> Path:
    """The cached archive of `count` generated articles (built on first use)."""
    def fill(store: Store) -> None:
        started = time.monotonic()
        store.start_run([portal.PORTAL_ID])
        for index in range(count):
            spec, _detail = portal._article(index, count)
            text = spec.text
            store.add_article({
                "url": f"https://www.yn.gov.cn{spec.path}", "portal": portal.PORTAL_ID,
                "section": portal.SECTIONS[index % len(portal.SECTIONS)][1],
                "title": spec.title, "published_at": spec.published_at,
                "source": spec.source, "author": spec.author, "site_name": "云南省人民政府",
                "site_id_code": "5300000033", "text": text,
                "content_hash": hashlib.sha1(text.encode()).hexdigest(), "http_status": 200,
                "warc_filename": "bench.warc.gz", "warc_offset": index * 4096,
                "warc_length": 4096,
            })
            if index and index % 20_000 == 0:
                progress(f"  search archive: {index:,}/{count:,} articles, "
                         f"{time.monotonic() - started:.0f} s")
        store.finish_run("ok", {}, 0)

    return cached_archive(f"search-{count}-v{portal.FORMAT}.db", fill)


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000,
            "n": len(ordered)}


def _timed(func: Callable[[], Any], n: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return samples


def _paired(func: Callable[[], Any], baseline: Callable[[], Any], n: int
            ) -> tuple[list[float], list[float]]:
    """`n` timings of `func` and of `baseline`, taken in turns (which goes first alternates),
    so that a drift of the machine's speed weighs on both alike."""
    func()
    baseline()
    samples: tuple[list[float], list[float]] = ([], [])
    for i in range(n):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            started = time.perf_counter()
            (func, baseline)[which]()
            samples[which].append(time.perf_counter() - started)
    return samples


def sqlite_utils_cli() -> list[str]:
    """The stock `sqlite-utils` command (next to this Python if installed there)."""
    beside = Path(sys.executable).with_name("sqlite-utils")
    return [str(beside)] if beside.exists() else [shutil.which("sqlite-utils") or "sqlite-utils"]


def measure(db: Path, rounds: int, cli_rounds: int) -> dict[str, Any]:
    """Latency of every query through the three ways in; `rounds` samples per query."""
    cli = sqlite_utils_cli()
    env = dict(os.environ)
    results: dict[str, Any] = {"queries": {}, "matches": {}}

    def run_cli(*args: str) -> None:
        subprocess.run([*cli, *args], check=True, env=env, stdout=subprocess.DEVNULL)

    def select_1() -> None:
        run_cli("query", str(db), "select 1")

    pooled: list[float] = []
    conn = open_read_only(db)  # brings a cached archive of an older schema up to date
    for kind, query in QUERIES:
        results["matches"][query] = conn.execute(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", [query]
        ).fetchone()[0]
        results.setdefault("order", {})[query] = (
            "bm25" if search(conn, query, LIMIT).ranked else "newest")
        library = _timed(lambda q=query: search_articles(db, q, limit=LIMIT), rounds)

        def cold(q: str = query) -> None:
            close_cached()
            search_articles(db, q, limit=LIMIT)

        cold_open = _timed(cold, rounds)
        close_cached()
        direct = _timed(lambda q=query: search(conn, q, LIMIT), rounds)
        def stock_search(q: str = query) -> None:
            run_cli("search", str(db), "articles", q, "--limit", str(LIMIT), "-c", "url",
                    "-c", "title", "-c", "published_at")

        stock, startup = _paired(stock_search, select_1, cli_rounds)
        pooled += startup
        results["queries"][query] = {"kind": kind, "library": _summary(library),
                                     "cold": _summary(cold_open),
                                     "direct": _summary(direct),
                                     "sqlite_utils": _summary(stock),
                                     "sqlite_utils_startup": _summary(startup)}
    conn.close()
    results["cli_startup"] = _summary(pooled)
    return results
