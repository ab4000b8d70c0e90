"""`govarc worker`: crawl the live run's frontier from Redis; WARC files here, rows there.

A worker runs PortalSpider with the scrapy-redis scheduler (`queue.LeasingScheduler`) and
duplicate filter, keyed inside the run's namespace. Its WARC files are named after it
(`govarc-{worker}-…`); its store is `ops.OpsStore`, so its rows reach the database
through the coordinator. A request's lease is deleted only when the engine is done with
it: its response or failure went through the callback, every item through the pipeline,
every child request into Redis, and the resulting store operations were pushed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis
from scrapy import Request, signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from archive.errors import ConfigError, StorageError
from archive.warc import OPEN_SUFFIX, RevisitTarget
from archive.warc_repair import Repair, repair_open_file
from crawler.distributed.heartbeat import Heartbeat
from crawler.distributed.keys import RunKeys, connect, redact, redact_logs, run_keys
from crawler.distributed.ops import OpsStore
from crawler.distributed.queue import LEASE_META, recover
from crawler.engine_hooks import on_request_done, set_idle_poll
from crawler.session import ArchiveSession, open_recorder, stop_crawl
from crawler.spiders.portal import ListPageBudget, PortalSpider

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# The settings of `govarc crawl -s` a worker takes from Redis, with their types: how fast
# and how much to crawl. Anything else published there (feeds, pipelines, middlewares,
# robots.txt, networks, paths) is ignored: whoever can write to Redis must not be able to
# reconfigure a worker. A worker's own `-s` sets anything.
PUBLISHED_SETTINGS: dict[str, type] = {
    "CONCURRENT_REQUESTS": int, "CONCURRENT_REQUESTS_PER_DOMAIN": int,
    "DOWNLOAD_DELAY": float, "RANDOMIZE_DOWNLOAD_DELAY": bool,
    "AUTOTHROTTLE_ENABLED": bool, "AUTOTHROTTLE_START_DELAY": float,
    "AUTOTHROTTLE_MAX_DELAY": float, "AUTOTHROTTLE_TARGET_CONCURRENCY": float,
    "DOWNLOAD_TIMEOUT": float, "RETRY_TIMES": int, "DOWNLOAD_MAXSIZE": int,
    "GOVARC_ATTACHMENT_MAXSIZE": int, "GOVARC_MAX_LIST_PAGES": int, "GOVARC_RECHECK_PAGES": int,
    "GOVARC_RECHECK_ARTICLES": bool, "GOVARC_FULL": bool, "GOVARC_DEDUP": bool,
    "GOVARC_BATCH_SIZE": int, "GOVARC_REDIS_HEARTBEAT": float, "GOVARC_REDIS_POLL": float,
    "GOVARC_EXTRACT_WORKERS": str,
}


def published_settings(raw: str | None) -> dict[str, Any]:
    """The allowed settings of the run's published JSON, each of its type; others are
    logged and ignored, as is anything malformed."""
    try:
        given = json.loads(raw or "{}")
    except ValueError:
        logger.error("the run's published settings are not JSON: ignored")
        return {}
    if not isinstance(given, dict):
        return {}
    taken: dict[str, Any] = {}
    for name, value in given.items():
        kind = PUBLISHED_SETTINGS.get(name)
        if kind is None:
            logger.warning("setting %s published in Redis is not taken by workers", name)
            continue
        text = str(value).strip()
        try:
            if kind is bool:
                if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError(text)
                taken[name] = text.lower() in ("1", "true", "yes")
            elif kind is str:
                taken[name] = text[:64]
            else:
                number = kind(text)
                if number < 0 or number != number:  # negative or NaN
                    raise ValueError(text)
                taken[name] = number
        except ValueError:
            logger.warning("setting %s=%r published in Redis is malformed: ignored",
                           name, value)
    return taken
_OPEN_NAME = re.compile(r"-\d{17}-\d{5}-(\d+)-(.+)\.warc\.gz" + re.escape(OPEN_SUFFIX) + "$")


def default_name() -> str:
    host = socket.gethostname().split(".")[0] or "localhost"
    return f"{host}-{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def repair_orphans(warc_dir: Path, dead_prefixes: Iterable[str] = ()) -> list[Repair]:
    """Close `.open` WARC files whose writer is gone: written on this host by a process
    that no longer exists, or named with a prefix of a worker known to be dead."""
    if not warc_dir.exists():
        return []
    host = socket.gethostname().split(".")[0] or "localhost"
    prefixes = tuple(f"{p}-" for p in dead_prefixes)
    repaired = []
    for path in sorted(warc_dir.glob("*" + OPEN_SUFFIX)):
        found = _OPEN_NAME.search(path.name)
        if not found:
            continue
        orphan = found.group(2) == host and not _alive(int(found.group(1)))
        if orphan or (prefixes and path.name.startswith(prefixes)):
            repaired.append(repair_open_file(path))
    return repaired


class SharedSet(set):
    """A set whose members are also in a Redis set shared by every worker of the run."""

    def __init__(self, client: redis.Redis, key: str) -> None:
        super().__init__()
        self.client = client
        self.key = key

    def __contains__(self, item: object) -> bool:
        if super().__contains__(item):
            return True
        if self.client.sismember(self.key, str(item)):
            super().add(item)
            return True
        return False

    def add(self, item: Any) -> None:
        self.add_new(item)

    def add_new(self, item: Any) -> bool:
        """Add `item`; True if no worker of the run had added it before (SADD's answer,
        one atomic step: two workers never both see an item as new)."""
        if super().__contains__(item):
            return False
        super().add(item)
        return bool(self.client.sadd(self.key, str(item)))


class SharedListPageBudget(ListPageBudget):
    """List pages per (portal, section) counted in a Redis hash shared by every worker,
    with HINCRBY: one atomic step, so workers together never pass the limit."""

    def __init__(self, client: redis.Redis, key: str) -> None:
        super().__init__()
        self.client = client
        self.key = key

    def take(self, key: tuple[str, str], limit: int) -> bool:
        taken = int(self.client.hincrby(self.key, "/".join(key), 1))
        if taken > limit:
            self.client.hincrby(self.key, "/".join(key), -1)
            return False
        return True


class DistributedPortalSpider(PortalSpider):
    """PortalSpider sharing its crawl state through Redis; one worker seeds the run."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.redis = connect(settings.get("REDIS_URL"))
        spider.run_keys = RunKeys(settings.get("GOVARC_REDIS_RUN"))
        spider.worker = settings.get("GOVARC_WORKER_NAME")
        spider.listed = SharedSet(spider.redis, spider.run_keys.listed)
        spider.troubled = SharedSet(spider.redis, spider.run_keys.troubled)
        spider.list_pages = SharedListPageBudget(spider.redis, spider.run_keys.list_pages)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        """The start requests, from the one worker that wins the `seeded` flag. If that
        worker dies before it queued them all, another one seeds again (the seen filter
        drops what was queued already)."""
        client, keys = self.redis, self.run_keys
        while not client.exists(keys.seeded_done, keys.done):
            if client.set(keys.seeded, self.worker, nx=True):
                async for request in super().start():
                    yield request
                client.set(keys.seeded_done, self.worker)
                return
            holder = client.get(keys.seeded)
            if holder and not client.exists(keys.heartbeat(holder.decode())):
                client.delete(keys.seeded)
                continue
            await asyncio.sleep(0.5)


class WorkerRun:
    """The run of a distributed worker: its own WARC files, no lock, no database; rows go to
    Redis as operations the coordinator applies, first copies are shared through Redis."""

    def __init__(self, crawler: Crawler, before_commit: Callable[[], None]) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.client = connect(settings.get("REDIS_URL"))
        self.keys = RunKeys(settings.get("GOVARC_REDIS_RUN"))
        self.name = settings.get("GOVARC_WORKER_NAME")
        warc_dir = Path(settings.get("GOVARC_WARC_DIR"))
        self.folders = {"WARC folder": warc_dir}
        for repair in repair_orphans(warc_dir):
            logger.warning("repaired %s left open by a killed worker: kept %d bytes",
                           repair.path.name, repair.kept_bytes)
        self.recorder = open_recorder(settings, prefix=f"govarc-{self.name}")
        meta = {k.decode(): v.decode() for k, v in self.client.hgetall(self.keys.meta).items()}
        if "run_id" not in meta:
            raise ConfigError(f"run {self.keys.token} is no longer in Redis")
        self.store = OpsStore(self.client, self.keys, self.name, int(meta["run_id"]),
                              meta.get("started_at"), before_commit)
        self.started = time.monotonic()
        self.heartbeat = Heartbeat(self.client, self.keys.heartbeat(self.name),
                                   settings.getfloat("GOVARC_REDIS_HEARTBEAT"),
                                   on_beat=self._register).start()

    def _register(self) -> None:
        self.client.sadd(self.keys.workers, self.name)

    def start(self, session: ArchiveSession, spider: Spider) -> None:
        """Join the run: its context at the head of this worker's files (so a rebuild reads
        them alone), what the archive knows handed to the spider."""
        run_id = self.store.run_id
        session.write_run_start(run_id, worker=self.name)
        if hasattr(spider, "archive_state"):
            spider.archive_state(self.store.known_articles(list(session.portals)),
                                 self.store.completed_sections())
        session.stats.set_value("govarc/worker", self.name)
        logger.info("worker %s joins run %s: portals %s", self.name, run_id,
                    ", ".join(session.portals))

    def copy_seen(self, target: RevisitTarget) -> None:
        """Tell the other workers where this payload's first record is."""
        where = target.location
        if where is not None:
            self.store.note_copy(target.payload_digest, {
                "record_id": target.record_id, "url": target.url, "warc_date": target.date,
                "warc_filename": where.filename, "warc_offset": where.offset,
                "warc_length": where.length})

    def release_request(self, request: Request) -> None:
        """The engine is done with `request`: push its operations, drop its lease."""
        lease = request.meta.get(LEASE_META)
        self.store.flush(release=[lease] if lease else [])

    def finish(self, session: ArchiveSession, spider: Spider, reason: str) -> None:
        """Push what is left, put unfinished requests back, close the files, report."""
        stats = session.stats
        self.store.flush()
        put_back = recover(self.client, self.keys, self.name, force=True)
        if put_back:
            logger.warning("worker %s put %d unfinished requests back in the queue",
                           self.name, put_back)
        self.recorder.close()
        self._report(stats)

    def _report(self, stats: StatsCollector) -> None:
        """This worker's numbers, for the coordinator's summary."""
        stats.set_value("govarc/warc/bytes", self.recorder.bytes_written)
        stats.set_value("govarc/warc/files", len(self.recorder.closed_files))
        stats.set_value("govarc/worker/seconds", time.monotonic() - self.started)
        numbers = {k: v for k, v in stats.get_stats().items()
                   if isinstance(v, int | float) and not isinstance(v, bool)}
        self.client.hset(self.keys.stats, self.name, json.dumps(numbers))

    def finish_after_storage_failure(self, session: ArchiveSession) -> None:
        """The disk stopped this worker: what it leased goes back to the queue for others;
        its open WARC file is cut after its last whole record when it starts again."""
        with contextlib.suppress(redis.RedisError):
            recover(self.client, self.keys, self.name, force=True)
        with contextlib.suppress(StorageError):
            self.recorder.close()
        with contextlib.suppress(redis.RedisError):
            self._report(session.stats)

    def release(self) -> None:
        """Leave the run's worker set."""
        self.heartbeat.stop()
        with contextlib.suppress(redis.RedisError):
            self.client.srem(self.keys.workers, self.name)


class WorkerExtension:
    """Wires a worker into Scrapy: its session, lease release, idling until the run ends."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.keys = RunKeys(settings.get("GOVARC_REDIS_RUN"))
        self.client = connect(settings.get("REDIS_URL"))
        self.poll = settings.getfloat("GOVARC_REDIS_POLL")
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        self.watch: task.LoopingCall | None = None
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        if not crawler.settings.get("GOVARC_REDIS_RUN"):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        engine = self.crawler.engine
        run = ArchiveSession.of(self.crawler).run
        if not isinstance(run, WorkerRun):
            raise RuntimeError("a worker's archive session must have a WorkerRun")
        on_request_done(engine, run.release_request)
        # How often an idle worker asks Redis for work others queued, and for the end.
        set_idle_poll(engine, self.poll)
        self.watch = task.LoopingCall(self._watch)
        self.watch.start(self.poll, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.watch is not None and self.watch.running:
            self.watch.stop()

    def _watch(self) -> None:
        """Stop at once when the coordinator stopped the run or is gone."""
        if self.stopping:
            return
        try:
            aborted = self.client.exists(self.keys.abort)
            gone = not self.client.exists(self.keys.coordinator)
        except redis.RedisError:
            return
        if aborted or gone:
            self.stopping = True
            reason = "stopped by the coordinator" if aborted else "coordinator gone"
            logger.error("run %s: %s; stopping", self.keys.token, reason)
            stop_crawl(self.crawler, reason)

    def spider_idle(self, spider: Spider) -> None:
        if self.client.exists(self.keys.done) or self.stopping:
            return  # the run is over: close
        if not self.client.exists(self.keys.coordinator):
            logger.error("the coordinator of run %s is gone; stopping", self.keys.token)
            return
        raise DontCloseSpider


@dataclass
class WorkerSummary:
    name: str
    run_id: int | None
    reason: str
    responses: int
    captures: int
    articles: int
    warc_bytes: int
    warc_files: int
    seconds: float

    def line(self) -> str:
        rate = self.responses / self.seconds if self.seconds else 0.0
        return (f"worker {self.name} run {self.run_id} {self.reason}: {self.responses} "
                f"responses, {self.captures} captures, {self.articles} articles, "
                f"{self.warc_bytes:,} WARC bytes in {self.warc_files} files, "
                f"{self.seconds:.1f} s ({rate:.1f} pages/s)")

    @property
    def exit_code(self) -> int:
        return 0 if self.reason == "finished" else 4


def wait_for_run(client: redis.Redis, wait: float) -> RunKeys | None:
    """The live run, waiting up to `wait` seconds for a coordinator to publish one."""
    deadline = time.monotonic() + wait
    while True:
        keys = run_keys(client)
        if (keys is not None and client.exists(keys.meta) and client.exists(keys.coordinator)
                and not client.exists(keys.done)):
            return keys
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.5)


def worker_settings(url: str, keys: RunKeys, meta: dict[str, str], name: str,
                    warc_dir: Path, registry: Path, overrides: dict[str, Any]) -> Settings:
    from crawler.runner import build_settings

    published = published_settings(meta.get("settings"))
    settings = build_settings(warc_dir.parent / "unused-by-workers.db", warc_dir, registry, {
        **published,
        **overrides,
        "REDIS_URL": url,
        "SCHEDULER": "crawler.distributed.queue.LeasingScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.queue.LeasingPriorityQueue",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "GOVARC_REDIS_RUN": keys.token,
        "GOVARC_RUN_CLASS": "crawler.distributed.worker.WorkerRun",
        "GOVARC_WORKER_NAME": name,
        "GOVARC_WARC_PREFIX": f"govarc-{name}",
    })
    extensions = {**settings.getdict("EXTENSIONS"), "crawler.distributed.worker.WorkerExtension": 0}
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    return settings


def run_worker(url: str, warc_dir: Path, name: str | None = None, wait: float = 300,
               overrides: dict[str, Any] | None = None) -> WorkerSummary:
    """Join the live run of the Redis at `url` and crawl until the coordinator ends it."""
    name = name or default_name()
    if not re.fullmatch(r"[\w.-]+", name):
        raise ConfigError(f"worker name {name!r}: use letters, digits, '.', '_' and '-'")
    client = connect(url)
    keys = wait_for_run(client, wait)
    if keys is None:
        raise ConfigError(f"no crawl run is waiting for workers at {redact(url)} "
                          f"(start one with govarc crawl --redis {redact(url)})")
    meta = {k.decode(): v.decode() for k, v in client.hgetall(keys.meta).items()}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="govarc-worker-") as tmp:
        registry = Path(tmp) / "portals.toml"
        registry.write_text(meta["registry"], encoding="utf-8")
        settings = worker_settings(url, keys, meta, name, warc_dir, registry, overrides or {})
        process = CrawlerProcess(settings)
        redact_logs()  # Scrapy logs its settings, the Redis URL among them
        crawler = process.create_crawler(DistributedPortalSpider)
        reasons: list[str] = []

        def closed(spider: Spider, reason: str) -> None:
            reasons.append(reason)

        crawler.signals.connect(closed, signal=signals.spider_closed)
        process.crawl(crawler, portal=meta["portals"], portal_file=str(registry))
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return WorkerSummary(
        name=name, run_id=int(meta["run_id"]), reason=(reasons or ["not run"])[0] or "?",
        responses=int(stats.get("response_received_count", 0)),
        captures=int(stats.get("govarc/captures", 0)),
        articles=int(stats.get("govarc/articles", 0)),
        warc_bytes=int(stats.get("govarc/warc/bytes", 0)),
        warc_files=int(stats.get("govarc/warc/files", 0)),
        seconds=time.monotonic() - started)
