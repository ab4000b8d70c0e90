"""A task past its budget costs its budget, not the crawl: its processes are replaced."""

from __future__ import annotations

import os
import time
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

import pytest

from archive.errors import ConfigError
from archive.worker_pool import WorkerPool, budget_from


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a killed child not yet reaped is a zombie: not running either
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # reaped between the two checks
        return False


def test_an_overrunning_task_is_abandoned_and_its_processes_replaced():
    pool = WorkerPool(2)
    try:
        first, generation = pool.submit(pid_after, 0)
        old_pid = first.result(timeout=60)
        slow, generation = pool.submit(pid_after, 60)  # a page that would take a minute
        waiting, _ = pool.submit(pid_after, 0.5)  # held by the same processes
        started = time.monotonic()
        with pytest.raises(FutureTimeout):
            slow.result(timeout=1.0)
        pool.replace(generation)
        assert time.monotonic() - started < 10  # the budget, not the minute
        deadline = time.monotonic() + 10
        while alive(old_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(old_pid), "the overrunning worker is killed"
        with pytest.raises((BrokenProcessPool, FutureTimeout, Exception)):
            slow.result(timeout=5)
        if not waiting.done() or waiting.exception() is not None:  # lost with the pool
            waiting, _ = pool.submit(pid_after, 0.5)  # run again, as the pipeline does
        assert waiting.result(timeout=60) != old_pid
        again, new_generation = pool.submit(pid_after, 0)
        assert new_generation == generation + 1 and again.result(timeout=60) != old_pid
        pool.replace(generation)  # a stale replacement does nothing
        assert pool.generation == new_generation
    finally:
        pool.shutdown(cancel=True)


def test_the_budget_comes_from_a_setting_or_option(monkeypatch):
    assert budget_from("2.5") == 2.5
    monkeypatch.setenv("GOVARC_EXTRACT_BUDGET", "7")  # read by the command line, not here
    assert budget_from("") == 30.0 and budget_from(None) == 30.0
    for bad in ("soon", "0", "-1"):
        with pytest.raises(ConfigError):
            budget_from(bad)


def test_a_page_queued_behind_two_overruns_is_run_again_not_failed():
    """Rebuild's ordered pool: two pages past their budget fail as timeouts; the page
    queued behind them (its process killed twice for them) still gives its result."""
    from archive.ordered_work import OrderedWork
    from archive.worker_pool import TaskTimeout

    results: list[object] = []
    with OrderedWork(1, budget=1.0) as work:
        for seconds in (60, 60, 0):
            work.submit(pid_after, seconds, then=results.append,
                        on_timeout=lambda error: error)
        work.finish()
    assert [type(r) for r in results[:2]] == [TaskTimeout, TaskTimeout]
    assert isinstance(results[2], int) and results[2] != os.getpid()


def niceness() -> int:
    return os.nice(0)


def test_workers_run_below_the_parent_when_asked():
    """The crawl's extraction processes yield the CPU to the reactor thread."""
    from crawler.pipelines import WORKER_NICENESS

    mine = os.nice(0)
    assert WORKER_NICENESS > 0
    for nice, expected in ((0, mine), (WORKER_NICENESS, min(19, mine + WORKER_NICENESS))):
        pool = WorkerPool(1, nice=nice)
        try:
            assert pool.submit(niceness)[0].result(timeout=60) == expected
        finally:
            pool.shutdown(cancel=True)
