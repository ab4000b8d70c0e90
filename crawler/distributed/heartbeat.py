"""A key with a time to live, refreshed by a thread: how the others know a process lives.

The refresh runs on its own thread, so a busy reactor (a long extraction, a big flush)
does not make a live worker look dead; `kill -9` stops it with the process.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import redis


class Heartbeat:
    """SET key EX ttl every ttl/3 seconds until `stop()`; `stop()` deletes the key."""

    def __init__(self, client: redis.Redis, key: str, ttl: float, value: str = "1",
                 on_beat: Callable[[], None] | None = None) -> None:
        self.client = client
        self.key = key
        self.ttl_ms = max(int(ttl * 1000), 300)
        self.value = value
        self.on_beat = on_beat
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat {key}", daemon=True)

    def beat(self) -> None:
        self.client.set(self.key, self.value, px=self.ttl_ms)
        if self.on_beat is not None:
            self.on_beat()

    def start(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.ttl_ms / 3000):
            try:
                self.beat()
            except redis.RedisError:
                continue  # Redis away for a moment: try again at the next beat

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)
        with contextlib.suppress(redis.RedisError):
            self.client.delete(self.key)
