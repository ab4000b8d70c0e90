"""Extraction processes whose tasks have a time budget.

A page can make extraction or the tamper watch slow in ways no check before it foresees
(a parser or a regex busy in C cannot even be interrupted). A task past its budget is
abandoned: the pool's processes are killed and a new pool started, the page is recorded
as an `extract-timeout` failure (its bytes are in the WARC already), and the other tasks
the killed processes held are run again on the new pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from archive.errors import ConfigError, ExtractionError

DEFAULT_BUDGET = 30.0  # seconds; an ordinary page takes tens of milliseconds
BUDGET_ENV = "GOVARC_EXTRACT_BUDGET"


def worker_init(parent: int, setup: Callable[[], None] | None = None, nice: int = 0) -> None:
    """In each worker: leave Ctrl-C to the parent; lower its priority by `nice`; exit if
    the parent is gone; then `setup` (e.g. the tamper lexicon the command line chose)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice:
        os.nice(nice)
    if setup is not None:
        setup()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class TaskTimeout(ExtractionError):
    """Extracting the page (or watching it for tampering) took longer than its budget."""


def budget_from(value: Any) -> float:
    """A budget in seconds from a setting or an option ("" or None: the default)."""
    if value in (None, ""):
        value = DEFAULT_BUDGET
    try:
        budget = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{BUDGET_ENV} must be a number of seconds, not {value!r}") from None
    if not budget > 0:
        raise ConfigError(f"{BUDGET_ENV} must be more than 0 seconds")
    return budget


def timeout_error(budget: float) -> TaskTimeout:
    return TaskTimeout(f"extraction and the tamper watch took more than {budget:g} s "
                       f"({BUDGET_ENV}); the page is kept in the WARC as served")


class WorkerPool:
    """A ProcessPoolExecutor that can be replaced when one of its tasks overruns."""

    def __init__(self, workers: int, setup: Callable[[], None] | None = None,
                 nice: int = 0) -> None:
        self.workers = max(1, workers)
        self.setup = setup  # picklable: run in each new process
        self.nice = nice  # added to each process's niceness (lower priority)
        self.generation = 0  # bumped each time the processes are replaced
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, job: Any, *args: Any) -> tuple[Future[Any], int]:
        """Run `job(*args)` in a worker; (its future, the pool generation it runs in)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=worker_init, initargs=(os.getpid(), self.setup, self.nice))
        return self._pool.submit(job, *args), self.generation

    def replace(self, generation: int) -> None:
        """Kill the processes of `generation` (if still current); the next submit starts
        new ones. Their other tasks fail with BrokenProcessPool."""
        if generation != self.generation or self._pool is None:
            return
        pool, self._pool = self._pool, None
        self.generation += 1
        # ProcessPoolExecutor has no public way to stop a busy worker before Python 3.14.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None
