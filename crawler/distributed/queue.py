"""The scrapy-redis scheduler and priority queue, with leases so that kill -9 loses nothing.

scrapy-redis keeps the frontier in a sorted set and the seen-request filter in a set. Its
pop removes a request from the sorted set: a worker killed after that would lose the
request. Here a pop moves the request, in one Lua script, into the worker's lease hash;
the worker deletes the lease only once everything the response led to (child requests,
store operations) is in Redis. The coordinator puts the leases of a worker whose
heartbeat expired back into the sorted set (`RECOVER`). Enqueueing (seen-filter add plus
queue add) is one script too, so no request is marked seen without being queued.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.keys import RunKeys
from crawler.distributed.request_codec import RequestRejected, decode, encode

if TYPE_CHECKING:
    import redis
    from scrapy import Request, Spider

logger = logging.getLogger(__name__)
LEASE_META = "govarc_lease"  # request.meta key: the lease id of a request popped from Redis

# KEYS: queue, lease hash, lease counter, workers set; ARGV: worker name
POP_LEASE = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
local id = tostring(redis.call('INCR', KEYS[3]))
redis.call('HSET', KEYS[2], id, item[2] .. ':' .. item[1])
redis.call('SADD', KEYS[4], ARGV[1])
return {id, item[1]}
"""

# KEYS: seen-filter set, queue; ARGV: fingerprint, score, serialized request
ENQUEUE = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: lease hash, queue, workers, dead, heartbeat, recovered counter
# ARGV: worker name, "force" (the worker itself, closing) or "" (only if its heartbeat
# expired). Returns the number of requests put back, or -1 if the worker is alive.
RECOVER = """
if ARGV[2] ~= 'force' and redis.call('EXISTS', KEYS[5]) == 1 then return -1 end
local entries = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 1, #entries, 2 do
  local value = entries[i + 1]
  local sep = string.find(value, ':', 1, true)
  redis.call('ZADD', KEYS[2], string.sub(value, 1, sep - 1), string.sub(value, sep + 1))
  n = n + 1
end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[3], ARGV[1])
if ARGV[2] ~= 'force' then redis.call('SADD', KEYS[4], ARGV[1]) end
if n > 0 then redis.call('INCRBY', KEYS[6], n) end
return n
"""

# KEYS: seeded_done, queue, ops, workers, done; ARGV: lease key prefix
# The run is over when seeding finished and nothing is queued, leased or unapplied.
FINISH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if redis.call('LLEN', KEYS[3]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
redis.call('SET', KEYS[5], '1')
return 1
"""


def recover(client: redis.Redis, keys: RunKeys, worker: str, force: bool = False) -> int:
    """Put a worker's leased requests back in the queue (if it is dead, or `force`)."""
    script = client.register_script(RECOVER)
    return int(script(keys=[keys.lease(worker), keys.requests, keys.workers, keys.dead,
                            keys.heartbeat(worker), keys.recovered],
                      args=[worker, "force" if force else ""]))


def try_finish(client: redis.Redis, keys: RunKeys) -> bool:
    """Set the run's `done` flag if nothing is left to do; True if it is set."""
    script = client.register_script(FINISH)
    return bool(script(keys=[keys.seeded_done, keys.requests, keys.ops, keys.workers,
                             keys.done], args=[keys.prefix + "lease:"]))


def _keys(spider: Spider) -> tuple[RunKeys, str]:
    settings = spider.crawler.settings
    return RunKeys(settings.get("GOVARC_REDIS_RUN")), settings.get("GOVARC_WORKER_NAME")


class LeasingPriorityQueue(PriorityQueue):
    """scrapy-redis' priority queue whose pop leases the request to this worker."""

    def __init__(self, server: redis.Redis, spider: Spider, key: str,
                 serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.run, self.worker = _keys(spider)
        self._pop = server.register_script(POP_LEASE)
        self._push = server.register_script(ENQUEUE)

    def _encode_request(self, request: Request) -> bytes:
        return encode(request, self.spider)

    def _decode_request(self, encoded_request: bytes) -> Request:
        return decode(encoded_request, self.spider,
                      getattr(self.spider, "attachment_maxsize", None))

    def pop(self, timeout: int = 0) -> Request | None:
        while True:
            found = self._pop(keys=[self.key, self.run.lease(self.worker), self.run.lease_seq,
                                    self.run.workers], args=[self.worker])
            if not found:
                return None
            lease, data = found
            try:
                request = self._decode_request(data)
            except RequestRejected as exc:
                # Not written by govarc: dropped for good (never re-queued), and counted.
                self.server.hdel(self.run.lease(self.worker), lease)
                self.server.incr(self.run.key("rejected_requests"))
                logger.error("dropped a request in Redis that govarc did not write (%s): %r",
                             exc, data[:200])
                continue
            request.meta[LEASE_META] = lease.decode()
            return request

    def push_unseen(self, fingerprint: str, dupefilter_key: str, request: Request) -> bool:
        """Add to the seen filter and the queue in one step; False if seen before."""
        request.meta.pop(LEASE_META, None)  # a redirect or retry copies its parent's meta
        data = self._encode_request(request)
        return bool(self._push(keys=[dupefilter_key, self.key],
                               args=[fingerprint, -request.priority, data]))

    def push(self, request: Request) -> None:
        request.meta.pop(LEASE_META, None)
        super().push(request)


class LeasingScheduler(Scheduler):
    """scrapy-redis' scheduler; a request is marked seen and queued in one Redis script."""

    def enqueue_request(self, request: Request) -> bool:
        queue = self.queue
        if request.dont_filter or not isinstance(queue, LeasingPriorityQueue):
            return super().enqueue_request(request)
        if not queue.push_unseen(self.df.request_fingerprint(request), self.df.key, request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True
