"""Store operations as messages: a worker's stand-in for `Store`, the coordinator's applier.

A worker never opens the database. `OpsStore` has the methods of `archive.store.Store`
that the crawl uses: writes become JSON operations queued in the worker, reads answer from
what the coordinator published in Redis. `flush` pushes the queued operations to the
run's list and, in the same transaction, deletes the leases of the requests they came
from; the WARC file is flushed first, so no operation names bytes that are not on disk.
The coordinator pops the operations and `apply`s them to the real `Store`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from archive.errors import StoreError
from archive.schema import TABLES

if TYPE_CHECKING:
    import redis

    from archive.store import Store
    from crawler.distributed.keys import RunKeys

# The Store methods a worker may ask the coordinator to run.
WRITES = ("add_capture", "add_attachment", "add_failure", "add_flags", "add_article",
          "label_attachment", "mark_removed")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class OpsStore:
    """What a worker's crawl sees as its store."""

    def __init__(self, client: redis.Redis, keys: RunKeys, worker: str, run_id: int,
                 run_started: str | None, before_push: Callable[[], None]) -> None:
        self.client = client
        self.keys = keys
        self.worker = worker
        self.run_id = run_id
        self.run_started = run_started
        self.before_push = before_push
        self._ops: list[bytes] = []
        self._copies: dict[str, bytes] = {}
        self._releases: list[str] = []
        self.counts = dict.fromkeys(WRITES, 0)

    # -- writes ---------------------------------------------------------------------------
    def _op(self, name: str, *args: Any) -> None:
        self._ops.append(_dumps([name, *args]))
        self.counts[name] += 1

    def add_capture(self, row: dict[str, Any]) -> None:
        self._op("add_capture", row)

    def add_attachment(self, row: dict[str, Any]) -> None:
        self._op("add_attachment", row)

    def add_failure(self, row: dict[str, Any]) -> None:
        self._op("add_failure", row)

    def add_flags(self, url: str, portal: str | None, flags: list[dict[str, Any]],
                  pointer: dict[str, Any], when: str | None = None) -> None:
        self._op("add_flags", url, portal, flags, pointer, when)

    def add_article(self, row: dict[str, Any]) -> None:
        missing = {"url", "text", "content_hash"} - row.keys()
        if missing:
            raise StoreError(f"article row lacks {', '.join(sorted(missing))}")
        self._op("add_article", row)

    def label_attachment(self, url: str, label: str) -> None:
        self._op("label_attachment", url, label)

    def mark_removed(self, url: str, status: int) -> None:
        self._op("mark_removed", url, status)

    def note_copy(self, digest: str, target: dict[str, Any]) -> None:
        """A payload this worker archived first: other workers may point revisits at it."""
        self._copies.setdefault(digest, _dumps(target))

    def flush(self, release: Iterable[str] = ()) -> None:
        """Push the queued operations (WARC flushed first) and delete the given leases.

        If Redis cannot be reached, everything stays queued for the next flush."""
        self._releases.extend(release)
        leases = list(self._releases)
        if not self._ops and not self._copies and not leases:
            return
        if self._ops or self._copies:
            self.before_push()
        pipe = self.client.pipeline(transaction=True)
        if self._ops:
            pipe.rpush(self.keys.ops, *self._ops)
        if self._copies:
            for digest, target in self._copies.items():
                pipe.hsetnx(self.keys.copies, digest, target)
        if leases:
            pipe.hdel(self.keys.lease(self.worker), *leases)
        pipe.execute()
        self._ops.clear()
        self._copies.clear()
        self._releases.clear()

    def close(self) -> None:
        self.flush()

    # -- reads: what the coordinator published --------------------------------------------
    def validators(self, url: str) -> tuple[str | None, str | None]:
        raw = self.client.hget(self.keys.validators, url)
        if not raw:
            return None, None
        etag, modified = json.loads(raw)
        return etag, modified

    def known_articles(self, portals: Sequence[str]) -> set[str]:
        return {url for url, _, _ in self.known_article_rows(portals)}

    def known_article_rows(self, portals: Sequence[str]) -> list[tuple[str, str, str]]:
        wanted = set(portals)
        rows = []
        for url, value in self.client.hscan_iter(self.keys.known, count=1000):
            portal, section = json.loads(value)
            if portal in wanted:
                rows.append((url.decode(), portal, section))
        return sorted(rows)

    def completed_sections(self) -> set[str]:
        return {s.decode() for s in self.client.smembers(self.keys.completed)}

    def first_capture_of(self, digest: str) -> dict[str, Any] | None:
        raw = self.client.hget(self.keys.copies, digest)
        return json.loads(raw) if raw else None


class BadOperation(StoreError):
    """An operation in the run's Redis list that govarc's workers do not send."""


_SCALAR = (str, int, float, type(None))
MAX_VALUE = 64 * 1024 * 1024  # characters of one value (an article's text)


def _row(value: Any, table: str, required: frozenset[str] = frozenset(),
         fixed: frozenset[str] = frozenset({"id", "run_id"})) -> dict[str, Any]:
    """A row for `table`: known columns only, plain values, the required ones present."""
    if not isinstance(value, dict):
        raise BadOperation(f"a {table} row must be an object")
    allowed = set(TABLES[table]["columns"]) - fixed
    unknown = set(value) - allowed
    if unknown:
        raise BadOperation(f"{table} has no column {sorted(unknown)[0]!r}")
    for column, item in value.items():
        if not isinstance(item, _SCALAR) or isinstance(item, bool) or (
                isinstance(item, str) and len(item) > MAX_VALUE):
            raise BadOperation(f"{table}.{column} must be a number, a string or null")
    missing = required - {k for k, v in value.items() if isinstance(v, str)}
    if missing:
        raise BadOperation(f"a {table} row needs {sorted(missing)[0]!r}")
    return value


def _string(value: Any, what: str, optional: bool = False) -> str | None:
    if (value is None and optional) or (isinstance(value, str) and len(value) <= MAX_VALUE):
        return value
    raise BadOperation(f"{what} must be a string")


def check(raw: bytes) -> tuple[str, list[Any]]:
    """The operation's name and arguments, each checked; BadOperation if it is not one
    that govarc's `OpsStore` writes."""
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadOperation("not JSON") from None
    if not isinstance(message, list) or not message or message[0] not in WRITES:
        raise BadOperation(f"not a store operation: {str(message)[:80]!r}")
    name, args = message[0], message[1:]
    arity = {"add_flags": 5, "label_attachment": 2, "mark_removed": 2}.get(name, 1)
    if len(args) != arity:
        raise BadOperation(f"{name} takes {arity} arguments, not {len(args)}")
    if name == "add_capture":
        args = [_row(args[0], "captures", frozenset({"url"}))]
    elif name == "add_attachment":
        args = [_row(args[0], "attachments", frozenset({"url"}), frozenset({"id"}))]
    elif name == "add_failure":
        args = [_row(args[0], "failures", frozenset({"url", "kind"}))]
    elif name == "add_article":
        args = [_row(args[0], "articles", frozenset({"url", "text", "content_hash"}))]
    elif name == "add_flags":
        url, portal, flags, pointer, when = args
        if not isinstance(flags, list) or len(flags) > 10_000:
            raise BadOperation("add_flags needs a list of flags")
        args = [_string(url, "the flagged URL"), _string(portal, "the portal", True),
                [_row(f, "flags", frozenset({"kind"}), frozenset({"id", "run_id", "url",
                      "portal", "flagged_at", "warc_filename", "warc_offset",
                      "warc_length"})) for f in flags],
                _row(pointer, "flags", fixed=frozenset(TABLES["flags"]["columns"]) - {
                    "warc_filename", "warc_offset", "warc_length"}),
                _string(when, "the flag time", True)]
    elif name == "label_attachment":
        args = [_string(args[0], "the attachment URL"), _string(args[1], "the label")]
    else:  # mark_removed
        if not isinstance(args[1], int) or isinstance(args[1], bool):
            raise BadOperation("mark_removed needs an HTTP status")
        args = [_string(args[0], "the article URL"), args[1]]
    return name, args


def apply(store: Store, raw: bytes) -> None:
    """Run one operation a worker sent on the coordinator's store (BadOperation if it is
    not one a worker sends: nothing of it is applied)."""
    name, args = check(raw)
    getattr(store, name)(*args)


def publish_archive_state(client: redis.Redis, keys: RunKeys, store: Store,
                          portals: Sequence[str], recheck: bool, full: bool) -> dict[str, int]:
    """Put what the workers need to crawl incrementally into Redis; returns counts."""
    db = store.db
    marks = ",".join("?" * len(portals))
    counts = {"known": 0, "validators": 0, "copies": 0}
    pipe = client.pipeline(transaction=False)

    def put_all(key: str, what: str, pairs: Iterable[tuple[str, bytes]]) -> None:
        """HSET every (field, value) into `key`, 5,000 at a time (later values win)."""
        batch: dict[str, bytes] = {}
        for field, value in pairs:
            batch[field] = value
            if len(batch) >= 5000:
                pipe.hset(key, mapping=batch)
                counts[what] += len(batch)
                pipe.execute()
                batch = {}
        if batch:
            pipe.hset(key, mapping=batch)
            counts[what] += len(batch)
            pipe.execute()

    put_all(keys.known, "known", (
        (url, _dumps([portal, section]))
        for url, portal, section in store.known_article_rows(list(portals))))
    completed = store.completed_sections()
    if completed:
        client.sadd(keys.completed, *completed)
    # Validators of the newest successful capture of each URL (list pages; articles too
    # when they are asked again with --recheck).
    articles = "" if recheck else "AND c.url NOT IN (SELECT url FROM articles)"
    put_all(keys.validators, "validators", (
        (url, _dumps([etag, modified]))
        for url, etag, modified in db.execute(
            "SELECT c.url, c.etag, c.last_modified FROM captures c JOIN "
            "(SELECT url, max(id) AS id FROM captures WHERE status = 200 GROUP BY url) newest "
            f"ON c.id = newest.id WHERE (c.etag IS NOT NULL OR c.last_modified IS NOT NULL) "
            f"AND (c.portal IN ({marks}) OR c.portal IS NULL) {articles}", list(portals))))
    if full:
        # A full crawl points revisit records at payloads archived by earlier runs.
        put_all(keys.copies, "copies", (
            (digest, _dumps({"record_id": record_id, "url": url, "warc_date": date,
                             "warc_filename": filename, "warc_offset": offset,
                             "warc_length": length}))
            for digest, record_id, url, date, filename, offset, length in db.execute(
                "SELECT payload_digest, record_id, url, warc_date, warc_filename, "
                "warc_offset, warc_length FROM captures WHERE record_type = 'response' "
                "AND status = 200 AND payload_digest IS NOT NULL ORDER BY id DESC")))
    return counts
