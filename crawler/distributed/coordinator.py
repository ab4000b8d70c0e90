"""`govarc crawl --redis URL`: open the run, publish it, be its only database writer.

The coordinator holds the archive lock and the SQLite store, as a single-process crawl
does. It publishes the run to Redis (registry, selection, settings, the archive state
incremental crawling needs), optionally starts local workers, then applies the store
operations the workers push, puts back the leased requests of workers whose heartbeat
expired, and ends the run when seeding is over and nothing is queued, leased or
unapplied. At the end it repairs the WARC files dead workers left open in its WARC
folder, writes the run's closing metadata record and the `crawl_runs` row.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis

from archive.lock import LockedError, acquire
from archive.storage import check_archive
from archive.store import Store, utc_now
from archive.warc_repair import repair_open_files
from crawler.distributed.heartbeat import Heartbeat
from crawler.distributed.keys import (
    CURRENT,
    RunKeys,
    connect,
    delete_run,
    redact,
    redact_logs,
    run_keys,
)
from crawler.distributed.ops import BadOperation, apply, publish_archive_state
from crawler.distributed.queue import recover, try_finish
from crawler.distributed.worker import repair_orphans
from crawler.registry import Portal, default_registry_path, identity_of, load_registry
from crawler.runner import RunSummary, build_settings, resolve_portals, summarise
from crawler.session import open_recorder

logger = logging.getLogger(__name__)

# Settings of the coordinator's command line that are not for the workers.
PRIVATE = ("LOG_FILE", "GOVARC_DB", "GOVARC_WARC_DIR", "GOVARC_PROGRESS", "GOVARC_PORTAL_FILE",
           "GOVARC_TAMPER_LEXICON")


def _claim_redis(client: redis.Redis, url: str) -> None:
    """Refuse a Redis database whose live run belongs to another coordinator."""
    keys = run_keys(client)
    if keys is None:
        return
    if client.exists(keys.coordinator):
        raise LockedError(f"another govarc crawl is coordinating run {keys.token} in "
                          f"{redact(url)}; "
                          "this run did nothing (use another Redis database for another "
                          "archive)")
    logger.warning("removing run %s left in Redis by a coordinator that died", keys.token)
    delete_run(client, keys)
    client.delete(CURRENT)


def _spawn(url: str, warc_dir: Path, count: int, run_id: int, verbose: bool,
           lexicon: str = "") -> list[subprocess.Popen[bytes]]:
    host = socket.gethostname().split(".")[0] or "localhost"
    out = None if verbose else subprocess.DEVNULL
    # The URL (and its password) goes through the environment, not the command line,
    # which every user of the machine can read in `ps`.
    env = {**os.environ, "GOVARC_REDIS_URL": url}
    if lexicon:  # a local file: given to local workers, never published in Redis
        env["GOVARC_TAMPER_LEXICON"] = lexicon
    return [
        subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "worker", "--warc-dir",
             str(warc_dir), "--name", f"{host}-r{run_id}-w{n}", "--wait", "60",
             *(["-v"] if verbose else [])],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        for n in range(1, count + 1)
    ]


class Coordinator:
    """One distributed run, from publishing to the closing record."""

    def __init__(self, portals: list[Portal], registry_file: Path | None, db: Path,
                 warc_dir: Path, url: str, overrides: dict[str, Any]) -> None:
        self.portals = portals
        self.registry_file = registry_file
        self.db = db
        self.warc_dir = warc_dir
        self.url = url
        self.overrides = overrides
        self.settings = build_settings(db, warc_dir, registry_file, overrides)
        self.client = connect(url)
        self.keys: RunKeys | None = None
        self.store: Store | None = None
        self.applied = 0
        self.rejected = 0  # operations that failed their checks
        self.recovered = 0
        self.interrupted = False

    # -- the run --------------------------------------------------------------------------
    def open(self) -> None:
        settings = self.settings
        for repair in (repair_open_files(self.warc_dir) if self.warc_dir.exists() else []):
            logger.warning("repaired %s left open by an interrupted run: kept %d bytes",
                           repair.path.name, repair.kept_bytes)
        self.recorder = open_recorder(settings, prefix="govarc-coordinator")
        self.store = store = Store(self.db, batch_size=settings.getint("GOVARC_BATCH_SIZE"),
                                   before_commit=self.recorder.flush)
        registry = load_registry(self.registry_file)
        store.upsert_portals(p.as_row() for p in self.portals)
        run_id = store.start_run(p.id for p in self.portals)
        store.start_sections(
            {"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
            for p in self.portals for s in p.sections)
        identities = {p.id: identity_of(p, registry) for p in self.portals}
        self.recorder.write_metadata(f"urn:govarc:run:{run_id}:start", {
            "role": "run-start", "run": run_id, "started_at": store.run_started,
            "identities": {pid: i.to_dict() for pid, i in identities.items()},
            "page_maxsize": settings.getint("DOWNLOAD_MAXSIZE"),
        })
        self.keys = keys = RunKeys(f"{run_id}-{secrets.token_hex(4)}")
        self.heartbeat = Heartbeat(self.client, keys.coordinator,
                                   settings.getfloat("GOVARC_REDIS_HEARTBEAT")).start()
        registry_path = self.registry_file or default_registry_path()
        published = {k: v for k, v in self.overrides.items() if k not in PRIVATE}
        self.client.hset(keys.meta, mapping={
            "run_id": run_id, "started_at": store.run_started or "",
            "registry": Path(registry_path).read_text(encoding="utf-8"),
            "portals": ",".join(p.id for p in self.portals),
            "settings": json.dumps(published, default=str),
        })
        counts = publish_archive_state(
            self.client, keys, store, [p.id for p in self.portals],
            recheck=settings.getbool("GOVARC_RECHECK_ARTICLES"),
            full=settings.getbool("GOVARC_FULL"))
        self.client.set(CURRENT, keys.token)  # last: workers join a fully published run
        logger.info("distributed run %s published as %s: %s", run_id, keys.token, counts)

    def drain(self, limit: int = 500) -> int:
        """Apply the operations waiting in Redis; returns how many."""
        assert self.keys is not None and self.store is not None
        raw = self.client.lpop(self.keys.ops, limit)
        for op in raw or []:
            try:
                apply(self.store, op)
            except BadOperation as exc:  # logged, counted and skipped: the run goes on
                self.rejected += 1
                logger.error("skipped an operation in Redis that no worker sends (%s): %r",
                             exc, op[:200])
        self.applied += len(raw or [])
        return len(raw or [])

    def recover_dead(self) -> None:
        """Put back the leased requests of registered workers whose heartbeat expired."""
        assert self.keys is not None
        for raw in self.client.smembers(self.keys.workers):
            name = raw.decode()
            if self.client.exists(self.keys.heartbeat(name)):
                continue
            count = recover(self.client, self.keys, name)
            if count >= 0:
                self.recovered += count
                logger.warning("worker %s is dead: %d leased requests back in the queue",
                               name, count)

    def live_workers(self) -> int:
        assert self.keys is not None
        return sum(1 for w in self.client.smembers(self.keys.workers)
                   if self.client.exists(self.keys.heartbeat(w.decode())))

    def run(self, spawned: list[subprocess.Popen[bytes]]) -> str:
        """Apply operations until the run is over; returns the closing reason."""
        assert self.keys is not None and self.store is not None
        last_check = 0.0
        while True:
            if self.interrupted:
                return "shutdown"
            busy = self.drain()
            if busy:
                continue
            self.store.flush()
            now = time.monotonic()
            if now - last_check >= 0.5:
                last_check = now
                self.recover_dead()
                if try_finish(self.client, self.keys):
                    return "finished"
                if (spawned and all(p.poll() is not None for p in spawned)
                        and not self.live_workers()):
                    logger.error("every worker exited before the run was over")
                    return "workers exited"
            time.sleep(0.05)

    def wait_for_workers(self, spawned: list[subprocess.Popen[bytes]]) -> None:
        """After `done` (or `abort`): let workers close and report, within a bound."""
        assert self.keys is not None
        deadline = time.monotonic() + self.settings.getfloat("GOVARC_REDIS_WAIT")
        while time.monotonic() < deadline:
            self.drain()
            self.recover_dead()
            if not self.client.scard(self.keys.workers) and all(
                    p.poll() is not None for p in spawned):
                break
            time.sleep(0.1)
        for process in spawned:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        while self.drain():
            pass

    def close(self, reason: str) -> None:
        assert self.keys is not None and self.store is not None
        keys, store = self.keys, self.store
        dead = [w.decode() for w in self.client.smembers(keys.dead)]
        for repair in repair_orphans(self.warc_dir, [f"govarc-{w}" for w in dead]):
            logger.warning("repaired %s left open by a dead worker: kept %d bytes",
                           repair.path.name, repair.kept_bytes)
        worker_stats = {k.decode(): json.loads(v)
                        for k, v in self.client.hgetall(keys.stats).items()}
        troubled = {t.decode() for t in self.client.smembers(keys.troubled)}
        store.flush()
        failures = store.counts["failures"]
        if reason != "finished":
            status = f"stopped: {reason}"
        else:
            status = ("failed" if not store.counts["captures"] else "partial") if failures \
                else "ok"
        finished_at = utc_now()
        self.recorder.write_metadata(f"urn:govarc:run:{store.run_id}", {
            "role": "run", "run": store.run_id, "status": status,
            "started_at": store.run_started, "finished_at": finished_at,
            "portals": [p.as_row() for p in self.portals],
            "sections": [{"portal": p.id, "section": s.id, "name": s.name, "url": s.url}
                         for p in self.portals for s in p.sections],
            "workers": sorted(worker_stats), "dead_workers": sorted(dead),
        })
        self.recorder.close()
        warc_bytes = self.recorder.bytes_written + sum(
            int(s.get("govarc/warc/bytes", 0)) for s in worker_stats.values())
        if reason == "finished":
            store.complete_sections(
                f"{p.id}/{s.id}" for p in self.portals for s in p.sections
                if f"{p.id}/{s.id}" not in troubled)
        totals: dict[str, Any] = {}
        for stats in worker_stats.values():
            for name, value in stats.items():
                totals[name] = totals.get(name, 0) + value
        totals.update({
            "govarc/run_id": store.run_id, "govarc/redis/run": keys.token,
            "govarc/redis/workers": sorted(worker_stats),
            "govarc/redis/dead_workers": sorted(dead),
            "govarc/redis/recovered_requests": int(self.client.get(keys.recovered) or 0),
            "govarc/redis/operations": self.applied,
            "govarc/redis/rejected_operations": self.rejected,
            "govarc/redis/rejected_requests": int(self.client.get(
                keys.key("rejected_requests")) or 0),
            "govarc/redis/per_worker": worker_stats,
        })
        store.finish_run(status, totals, warc_bytes, finished_at)
        store.close()

    def cleanup(self) -> None:
        if self.keys is None:
            return
        if self.client.get(CURRENT) == self.keys.token.encode():
            self.client.delete(CURRENT)
        delete_run(self.client, self.keys)
        self.heartbeat.stop()


def coordinate(ids: list[str], db: Path, warc_dir: Path, portal_file: Path | None,
               overrides: dict[str, Any], url: str, workers: int = 1,
               verbose: bool = False) -> RunSummary:
    """A distributed crawl run: publish, let workers crawl, store what they send."""
    portals = resolve_portals(ids, portal_file)
    started = time.monotonic()
    coordinator = Coordinator(portals, portal_file, db, warc_dir, url, overrides)
    check_archive(db, warc_dir, coordinator.settings.getint("GOVARC_MIN_FREE_SPACE"))
    logging.raiseExceptions = False  # a log on a full disk: no tracebacks in cron mail
    _configure_logging(coordinator)
    _claim_redis(coordinator.client, url)
    lock = acquire(db)
    spawned: list[subprocess.Popen[bytes]] = []
    previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

    def interrupt(signum: int, frame: Any) -> None:
        coordinator.interrupted = True

    try:
        for sig in previous:
            signal.signal(sig, interrupt)
        coordinator.open()
        assert coordinator.keys is not None and coordinator.store is not None
        run_id = coordinator.store.run_id
        spawned = _spawn(url, warc_dir, workers, run_id or 0, verbose,
                         str(overrides.get("GOVARC_TAMPER_LEXICON") or ""))
        reason = coordinator.run(spawned)
        if reason != "finished":
            coordinator.client.set(coordinator.keys.abort, "1")
        coordinator.wait_for_workers(spawned)
        coordinator.close(reason)
    finally:
        for process in spawned:
            if process.poll() is None:
                process.kill()
                process.wait()
        try:
            coordinator.cleanup()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            lock.release()
    summary = summarise(db, run_id, portals, time.monotonic() - started)
    summary.log_file = coordinator.settings.get("LOG_FILE")
    return summary


def _configure_logging(coordinator: Coordinator) -> None:
    from scrapy.utils.log import configure_logging

    configure_logging(coordinator.settings)
    redact_logs()
