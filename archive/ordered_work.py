"""CPU-heavy jobs in a process pool, their results handled in the order they were queued.

The rebuild reads WARC records in file order and must write what it derives in that same
order (article versions, first and last seen, attachment labels, runs). With
`OrderedWork`, the reader queues each step: a plain callable runs as soon as every step
queued before it has run, and a pool job's callback runs with the job's result once that
result is in and every earlier step has run. At most `max_pending` jobs are in flight and
at most `max_queued` steps wait (each may hold a record), so memory stays flat however
large the WARC files are.

With `workers=0` there is no pool: every job runs at once in this process (same results).
Pool workers ignore SIGINT (the parent handles Ctrl-C and shuts the pool down), and exit by
themselves if the parent process dies without shutting the pool down.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


def worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent; exit if the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class OrderedWork:
    """Queue steps and pool jobs; callbacks run in queue order in the calling thread."""

    def __init__(self, workers: int, max_pending: int | None = None,
                 max_queued: int = 256) -> None:
        self.workers = max(0, workers)
        self.max_pending = max_pending or 4 * max(1, self.workers)
        self.max_queued = max(max_queued, self.max_pending)
        self._pool: ProcessPoolExecutor | None = None
        self._queue: deque[tuple[Future[Any] | None, Callable[..., None]]] = deque()
        self._in_flight = 0

    def __enter__(self) -> OrderedWork:
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        self.close(cancel=kind is not None)

    def later(self, step: Callable[[], None]) -> None:
        """Run `step()` after everything queued so far (now, if nothing is waiting)."""
        if not self._queue:
            step()
        else:
            self._queue.append((None, step))
            self._run_ready(wait=False)

    def submit(self, job: Callable[..., Any], *args: Any, then: Callable[[Any], None]) -> None:
        """Run `job(*args)` in the pool, then `then(result)` here, in queue order."""
        if self.workers == 0:
            result = job(*args)
            self.later(lambda: then(result))
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=worker_init, initargs=(os.getpid(),))
        self._queue.append((self._pool.submit(job, *args), then))
        self._in_flight += 1
        self._run_ready(wait=False)

    def finish(self) -> None:
        """Wait for every job and run every callback still queued."""
        self._run_ready(wait=True)

    def _run_ready(self, wait: bool) -> None:
        while self._queue:
            future, step = self._queue[0]
            if (future is not None and not future.done() and not wait
                    and self._in_flight <= self.max_pending
                    and len(self._queue) <= self.max_queued):
                return
            self._queue.popleft()
            if future is None:
                step()
            else:
                self._in_flight -= 1
                step(future.result())

    def close(self, cancel: bool = False) -> None:
        """Stop the pool's processes (dropping queued jobs if `cancel`); always call it."""
        if cancel:
            self._queue.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
