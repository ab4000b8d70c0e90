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

from collections import deque
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from archive.errors import ExtractionError
from archive.worker_pool import DEFAULT_BUDGET, WorkerPool, timeout_error


@dataclass
class _Job:
    """A pool job in the queue: what to run again if its process is killed under it."""

    future: Future[Any]
    generation: int
    job: Callable[..., Any]
    args: tuple[Any, ...]
    then: Callable[[Any], None]
    on_timeout: Callable[[ExtractionError], Any] | None


class OrderedWork:
    """Queue steps and pool jobs; callbacks run in queue order in the calling thread.

    A pool job gets `budget` seconds from when the queue waits for it; past that its
    processes are replaced and `then` gets `on_timeout(TaskTimeout)` (or the job fails
    with TaskTimeout); jobs the killed processes held run again."""

    def __init__(self, workers: int, max_pending: int | None = None,
                 max_queued: int = 256, budget: float = DEFAULT_BUDGET,
                 setup: Callable[[], None] | None = None) -> None:
        self.workers = max(0, workers)
        self.max_pending = max_pending or 4 * max(1, self.workers)
        self.max_queued = max(max_queued, self.max_pending)
        self.budget = budget
        self._pool = WorkerPool(self.workers, setup) if self.workers else None
        self._queue: deque[_Job | Callable[[], None]] = deque()
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
            self._queue.append(step)
            self._run_ready(wait=False)

    def submit(self, job: Callable[..., Any], *args: Any, then: Callable[[Any], None],
               on_timeout: Callable[[ExtractionError], Any] | None = None) -> None:
        """Run `job(*args)` in the pool, then `then(result)` here, in queue order."""
        if self._pool is None:
            result = job(*args)
            self.later(lambda: then(result))
            return
        future, generation = self._pool.submit(job, *args)
        self._queue.append(_Job(future, generation, job, args, then, on_timeout))
        self._in_flight += 1
        self._run_ready(wait=False)

    def finish(self) -> None:
        """Wait for every job and run every callback still queued."""
        self._run_ready(wait=True)

    def _result(self, entry: _Job) -> Any:
        """The job's result, waiting at most the budget. A job whose processes were
        replaced for another job's overrun (broken, or cancelled while queued) runs again;
        one whose process died by itself twice fails (`on_timeout` gets the error)."""
        assert self._pool is not None
        deaths = 0
        for _ in range(10):
            try:
                return entry.future.result(timeout=self.budget)
            except FutureTimeout:
                self._pool.replace(entry.generation)
                return self._failed(entry, timeout_error(self.budget))
            except (BrokenProcessPool, CancelledError):
                if self._pool.generation == entry.generation:  # nobody replaced them: died
                    deaths += 1
                    if deaths == 2:
                        return self._failed(entry, ExtractionError(
                            "the extraction process died on this page (twice)"))
                    self._pool.replace(entry.generation)
                entry.future, entry.generation = self._pool.submit(entry.job, *entry.args)
        return self._failed(entry, ExtractionError(
            "the extraction processes were replaced ten times while this page waited"))

    @staticmethod
    def _failed(entry: _Job, error: ExtractionError) -> Any:
        if entry.on_timeout is None:
            raise error
        return entry.on_timeout(error)

    def _run_ready(self, wait: bool) -> None:
        while self._queue:
            entry = self._queue[0]
            if (isinstance(entry, _Job) and not entry.future.done() and not wait
                    and self._in_flight <= self.max_pending
                    and len(self._queue) <= self.max_queued):
                return
            self._queue.popleft()
            if isinstance(entry, _Job):
                self._in_flight -= 1
                entry.then(self._result(entry))
            else:
                entry()

    def close(self, cancel: bool = False) -> None:
        """Stop the pool's processes (dropping queued jobs if `cancel`); always call it."""
        if cancel:
            self._queue.clear()
        if self._pool is not None:
            self._pool.shutdown(cancel=cancel)
