"""Distributed crawling: a real redis-server on loopback, a coordinator, worker processes.

Checks exactly-once storage with two workers, a worker killed with kill -9 whose leased
requests the other worker crawls, per-worker WARC files, `govarc verify`, and a cheap
second run (incremental) in distributed mode.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from archive.warc_read import iter_records
from tests.conftest import FAST, REPO, WALLED, govarc, plain_articles, query

ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}

pytestmark = pytest.mark.redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_server() -> Iterator[str]:
    """A redis-server of our own on 127.0.0.1 (no persistence); yields its base URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run "
                    "installs it)")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        client.close()
        process.terminate()
        process.wait(10)


def expected_articles(base_urls: dict[str, str], portals: set[str] | None = None) -> set[str]:
    return {base_urls[a.portal_id] + a.path for a in plain_articles()
            if portals is None or a.portal_id in portals}


def leftover_keys(url: str) -> list[bytes]:
    client = redis.Redis.from_url(url)
    try:
        return list(client.scan_iter(match="govarc:*"))
    finally:
        client.close()


def browser_records(warc_dir: Path) -> set[str]:
    """Record ids of the exchanges a browser visit made (its metadata says via browser)."""
    found = set()
    for path in warc_dir.glob("*.warc.gz"):
        for record in iter_records(path):
            if record.rec_type == "metadata" and b'"via": "browser"' in record.raw_body:
                found.add(record.concurrent_to)
    return found


def duplicate_captures(db: Path, run: int, warc_dir: Path | None = None) -> dict[str, int]:
    """GET URLs captured more than once in a run (robots.txt: once per worker). With
    `warc_dir`, the exchanges of browser visits and the plain ones that met a challenge
    (fetched again through the browser by design) are left out."""
    skip = browser_records(warc_dir) if warc_dir is not None else set()
    counts = Counter(u for u, record_id, status in query(
        db, "SELECT url, record_id, status FROM captures WHERE run_id = ? AND method = 'GET'",
        [run]) if record_id not in skip and status not in (202, 412, 521))
    return {u: n for u, n in counts.items() if n > 1 and not u.endswith("/robots.txt")}


@dataclass
class Run:
    db: Path
    warc_dir: Path
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def distributed_run(sample_portal, redis_server, tmp_path_factory) -> Run:
    """The whole sample portal crawled by a coordinator and two local workers."""
    root = tmp_path_factory.mktemp("distributed")
    registry = sample_portal.write_registry(root / "portals.toml", without=WALLED)
    db, warc = root / "archive.db", root / "warc"
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                    str(warc), "--redis", f"{redis_server}/1", "--workers", "2", *FAST,
                    timeout=240)
    return Run(db, warc, result)


def test_two_workers_store_every_article_once(distributed_run, sample_portal, redis_server):
    run = distributed_run
    assert run.result.returncode in (0, 1), run.result.stderr
    n = len(plain_articles())
    assert f"{n} articles ({n} new" in run.result.stderr
    urls = [u for (u,) in query(run.db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(expected_articles(sample_portal.base_urls))
    # the shared seen-request filter: no page fetched twice across the workers
    assert duplicate_captures(run.db, 1, run.warc_dir) == {}
    (stats,) = query(run.db, "SELECT stats FROM crawl_runs WHERE id = 1")[0]
    stats = json.loads(stats)
    workers = stats["govarc/redis/workers"]
    assert len(workers) == 2 and stats["govarc/redis/dead_workers"] == []
    # each worker wrote its own WARC files, named after it, and did part of the crawl
    names = [p.name for p in run.warc_dir.glob("*.warc.gz")]
    for worker in workers:
        assert any(n.startswith(f"govarc-{worker}-") for n in names), names
        assert stats["govarc/redis/per_worker"][worker]["govarc/captures"] > 20
    assert any(n.startswith("govarc-coordinator-") for n in names)
    files = {f for (f,) in query(run.db, "SELECT DISTINCT warc_filename FROM articles")}
    assert len(files) >= 2 and all(f.startswith(tuple(f"govarc-{w}-" for w in workers))
                                   for f in files)
    verify = govarc("verify", "--db", str(run.db), "--warc-dir", str(run.warc_dir))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert leftover_keys(f"{redis_server}/1") == []  # the run's namespace is gone


def test_second_distributed_run_fetches_no_article(distributed_run, sample_portal,
                                                   redis_server, tmp_path):
    db, warc = tmp_path / "archive.db", tmp_path / "warc"
    shutil.copy(distributed_run.db, db)
    shutil.copytree(distributed_run.warc_dir, warc)
    registry = sample_portal.write_registry(tmp_path / "portals.toml", without=WALLED)
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                    str(warc), "--redis", f"{redis_server}/2", "--workers", "2", *FAST,
                    timeout=180)
    assert result.returncode in (0, 1), result.stderr
    articles = {u for (u,) in query(db, "SELECT url FROM articles")}
    fetched = [u for (u,) in query(db, "SELECT url FROM captures WHERE run_id = 2")]
    assert fetched and not [u for u in fetched if u in articles]
    assert query(db, "SELECT articles_new, articles_changed FROM crawl_runs WHERE id = 2"
                 ) == [(0, 0)]
    statuses = Counter(s for (s,) in query(db, "SELECT status FROM captures WHERE run_id = 2"))
    assert statuses[304] >= 1  # list pages asked conditionally, with published validators
    assert govarc("verify", "--db", str(db), "--warc-dir", str(warc)).returncode == 0


def _worker(url: str, warc: Path, name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "worker", "--redis", url, "--warc-dir",
         str(warc), "--name", name, "--wait", "60"],
        cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_killed_with_kill_9_loses_nothing(sample_portal, redis_server, tmp_path):
    portals = {"sample-yn", "sample-zj"}
    registry = sample_portal.write_registry(tmp_path / "portals.toml")
    db, warc, url = tmp_path / "archive.db", tmp_path / "warc", f"{redis_server}/3"
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", *sorted(portals), "--portal-file",
         str(registry), "--db", str(db), "--warc-dir", str(warc), "--redis", url,
         "--workers", "0", "-s", "GOVARC_REDIS_HEARTBEAT=2", *FAST],
        cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim, survivor = _worker(url, warc, "victim"), _worker(url, warc, "survivor")
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and stored < 40:
            time.sleep(0.2)
            try:
                stored = query(db, "SELECT count(*) FROM articles WHERE warc_filename LIKE "
                                   "'govarc-victim-%'")[0][0]
            except sqlite3.Error:
                continue
        assert stored >= 40, "the victim stored no article in time"
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        _, err = coordinator.communicate(timeout=180)
        survivor.wait(60)
    finally:
        for process in (coordinator, victim, survivor):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert coordinator.returncode in (0, 1), err
    assert survivor.returncode == 0, (tmp_path / "logs").glob("worker-survivor-*")
    # every article of the two portals, once
    urls = [u for (u,) in query(db, "SELECT url FROM articles")]
    assert sorted(urls) == sorted(expected_articles(sample_portal.base_urls, portals))
    (stats,) = query(db, "SELECT stats FROM crawl_runs WHERE id = 1")[0]
    stats = json.loads(stats)
    assert stats["govarc/redis/dead_workers"] == ["victim"]
    recovered = stats["govarc/redis/recovered_requests"]
    assert recovered >= 1  # the victim's leased requests went back to the queue
    # a page fetched twice is one the victim held when it died
    assert sum(n - 1 for n in duplicate_captures(db, 1).values()) <= recovered
    # the victim's WARC file was repaired and closed; every pointer is true
    assert not list(warc.glob("*.open"))
    assert any(p.name.startswith("govarc-victim-") for p in warc.glob("*.warc.gz"))
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert leftover_keys(url) == []


def test_a_worker_without_a_run_exits_2(redis_server, tmp_path):
    result = govarc("worker", "--redis", f"{redis_server}/4", "--warc-dir",
                    str(tmp_path / "warc"), "--wait", "0", timeout=60)
    assert result.returncode == 2
    assert "no crawl run is waiting for workers" in result.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_the_redis_url_can_come_from_the_environment_or_a_setting(sample_portal, tmp_path):
    """GOVARC_REDIS_URL (environment or -s) means --redis: no crawl without that Redis."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    registry = sample_portal.write_registry(tmp_path / "portals.toml")
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "GOVARC_REDIS_URL": url}
    worker = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "worker", "--warc-dir", str(tmp_path / "w"),
         "--wait", "0"], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    crawl_env = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(tmp_path / "a.db"), "--warc-dir", str(tmp_path / "warc"), *FAST],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    crawl_setting = govarc("crawl", "--portal-file", str(registry), "--db",
                           str(tmp_path / "b.db"), "--warc-dir", str(tmp_path / "warc"),
                           *FAST, "-s", f"GOVARC_REDIS_URL={url}", timeout=60)
    for result in (worker, crawl_env, crawl_setting):
        assert result.returncode == 2, result.stderr
        assert f"cannot reach Redis at {url}" in result.stderr
    assert not list((tmp_path / "warc").glob("*.warc.gz*"))  # nothing was crawled


def test_shared_list_page_budget_and_seen_set_are_atomic_across_workers(redis_server):
    """Eight workers racing for list pages of one section never pass the limit together,
    and every URL is new to exactly one of them (HINCRBY and SADD, one step each)."""
    import threading

    from crawler.distributed.worker import SharedListPageBudget, SharedSet

    key = f"govarc:test:{os.getpid()}"
    clients = [redis.Redis.from_url(redis_server) for _ in range(8)]
    budgets = [SharedListPageBudget(c, key + ":pages") for c in clients]
    seen = [SharedSet(c, key + ":listed") for c in clients]
    taken = [0] * 8
    new = [0] * 8
    start = threading.Barrier(8)

    def work(n: int) -> None:
        start.wait()
        for page in range(60):
            taken[n] += budgets[n].take(("yn", "zsdt"), 100)
            new[n] += seen[n].add_new(f"http://www.yn.gov.cn/{page}.html")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sum(taken) == 100  # 480 tries, a limit of 100
        assert sum(new) == 60  # each of the 60 URLs new to one worker only
        assert not budgets[0].take(("yn", "zsdt"), 100) and budgets[0].take(("yn", "x"), 100)
    finally:
        clients[0].delete(key + ":pages", key + ":listed")
        for client in clients:
            client.close()
