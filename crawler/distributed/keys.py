"""Redis key names of one distributed run, and the connection to Redis.

Everything a run keeps in Redis lives under `govarc:run:{token}:` (token = run id plus a
random part, so that two archives never share keys); `govarc:current` names the live run.
The coordinator deletes the run's keys when the run ends, so each run starts with an
empty queue and an empty seen-request filter.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import redis

from archive.errors import ConfigError

CURRENT = "govarc:current"  # -> token of the live run
ROOT = "govarc:run:"


def redact(url: str) -> str:
    """A Redis URL fit for messages and logs: its password (and user) replaced by ***."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


_CREDENTIALS = re.compile(r"(rediss?://)[^@/\s'\"]*@")


class RedactingFilter(logging.Filter):
    """Log records with Redis passwords replaced by *** (Scrapy logs its settings)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "redis" in message:
            redacted = _CREDENTIALS.sub(r"\1***@", message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True


def redact_logs() -> None:
    """Redact Redis credentials in everything the root logger's handlers write."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def connect(url: str) -> redis.Redis:
    """A client for `redis://HOST:PORT/DB` (bytes in, bytes out), checked with PING."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30,
                                      health_check_interval=30)
        client.ping()
    except ValueError as exc:
        raise ConfigError(f"--redis {redact(url)!r} is not a redis:// URL: "
                          f"{str(exc).replace(url, redact(url))}") from None
    except redis.RedisError as exc:
        raise ConfigError(f"cannot reach Redis at {redact(url)}: "
                          f"{str(exc).replace(url, redact(url))}") from None
    return client


@dataclass(frozen=True)
class RunKeys:
    """The key names of one run."""

    token: str

    @property
    def prefix(self) -> str:
        return f"{ROOT}{self.token}:"

    def key(self, name: str) -> str:
        return self.prefix + name

    # the frontier, as scrapy-redis keeps it
    @property
    def requests(self) -> str:  # sorted set: serialized request -> -priority
        return self.key("requests")

    @property
    def dupefilter(self) -> str:  # set of request fingerprints
        return self.key("dupefilter")

    # what the coordinator publishes
    @property
    def meta(self) -> str:  # hash: run_id, registry, portals, settings, started_at
        return self.key("meta")

    @property
    def known(self) -> str:  # hash: archived article URL -> JSON [portal, section]
        return self.key("known")

    @property
    def completed(self) -> str:  # set: "portal/section" walked to its end before
        return self.key("completed")

    @property
    def validators(self) -> str:  # hash: URL -> JSON [etag, last_modified]
        return self.key("validators")

    @property
    def copies(self) -> str:  # hash: payload digest -> JSON first record holding it
        return self.key("copies")

    # crawl state shared by the workers' spiders
    @property
    def listed(self) -> str:  # set: article URLs seen on list pages in this run
        return self.key("listed")

    @property
    def list_pages(self) -> str:  # hash: "portal/section" -> list pages followed
        return self.key("list_pages")

    @property
    def troubled(self) -> str:  # set: "portal/section" with a failed list page
        return self.key("troubled")

    # workers, leases, operations, the end of the run
    @property
    def workers(self) -> str:  # set: registered worker names
        return self.key("workers")

    @property
    def dead(self) -> str:  # set: workers found dead (their leases were put back)
        return self.key("dead")

    def lease(self, worker: str) -> str:  # hash: lease id -> "score:serialized request"
        return self.key(f"lease:{worker}")

    def heartbeat(self, worker: str) -> str:  # string with a TTL, refreshed while alive
        return self.key(f"heartbeat:{worker}")

    @property
    def lease_seq(self) -> str:
        return self.key("lease_seq")

    @property
    def coordinator(self) -> str:  # the coordinator's heartbeat
        return self.key("coordinator")

    @property
    def ops(self) -> str:  # list of JSON store operations, for the coordinator
        return self.key("ops")

    @property
    def stats(self) -> str:  # hash: worker -> JSON of its Scrapy stats at its end
        return self.key("stats")

    @property
    def seeded(self) -> str:  # worker that yields the start requests (SETNX)
        return self.key("seeded")

    @property
    def seeded_done(self) -> str:  # every start request is in the queue
        return self.key("seeded_done")

    @property
    def done(self) -> str:  # set by the coordinator: the run is over, workers close
        return self.key("done")

    @property
    def abort(self) -> str:  # set by the coordinator: stop now (interrupted run)
        return self.key("abort")

    @property
    def recovered(self) -> str:  # counter: requests put back from dead workers' leases
        return self.key("recovered")


def run_keys(client: redis.Redis) -> RunKeys | None:
    """The live run of this Redis database, if any."""
    token = client.get(CURRENT)
    return RunKeys(token.decode()) if token else None


def delete_run(client: redis.Redis, keys: RunKeys) -> int:
    """Delete every key of the run; returns how many."""
    deleted = 0
    batch: list[bytes] = []
    for name in _scan(client, keys.prefix + "*"):
        batch.append(name)
        if len(batch) >= 500:
            deleted += client.delete(*batch)
            batch.clear()
    if batch:
        deleted += client.delete(*batch)
    return deleted


def _scan(client: redis.Redis, pattern: str) -> Iterator[bytes]:
    yield from client.scan_iter(match=pattern, count=1000)
