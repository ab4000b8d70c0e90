"""Rebuild with an extraction pool: same database as in one process, no process left behind."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from archive.ordered_work import OrderedWork
from archive.rebuild import Rebuilder, default_workers, rebuild


def children() -> set[int]:
    """PIDs of this process's live children (from /proc), but multiprocessing's resource
    tracker, which is started once and lives as long as this process."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return {pid for pid in found if b"resource_tracker" not in _cmdline(pid)}


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def slow_square(n: int) -> int:
    time.sleep(0.05 if n % 3 == 0 else 0.0)
    return n * n


@pytest.mark.parametrize("workers", [0, 2])
def test_callbacks_run_in_queue_order_whatever_finishes_first(workers: int):
    before = children()
    seen: list[object] = []
    work = OrderedWork(workers, max_pending=3)
    try:
        for n in range(12):
            work.submit(slow_square, n, then=seen.append)
            work.later(lambda n=n: seen.append(f"after {n}"))
            assert work._in_flight <= 4
        work.finish()
    finally:
        work.close()
    assert seen == [x for n in range(12) for x in (n * n, f"after {n}")]
    assert children() == before


def test_close_on_an_error_cancels_and_stops_the_workers():
    before = children()
    work = OrderedWork(2)
    try:
        for n in range(6):
            work.submit(slow_square, n, then=lambda _: None)
        assert children() - before  # the pool is running
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        work.close(cancel=True)
    assert children() == before


def test_workers_come_from_the_option_or_the_environment_through_the_cli(tmp_path):
    """The library reads no environment: `govarc rebuild` takes GOVARC_REBUILD_WORKERS and
    GOVARC_EXTRACT_BUDGET as its options' values."""
    from click.testing import CliRunner

    from crawler.cli import cli

    assert default_workers() == (os.cpu_count() or 1)
    runner = CliRunner()
    for env, option in (({"GOVARC_REBUILD_WORKERS": "many"}, "--workers"),
                        ({"GOVARC_EXTRACT_BUDGET": "0"}, "--budget")):
        result = runner.invoke(cli, ["rebuild", "--db", str(tmp_path / "x.db"),
                                     "--warc-dir", str(tmp_path)], env=env)
        assert result.exit_code == 2 and option in result.output, result.output


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, ids included, in id order (the order rows were written)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
            "AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall()
                for t in tables}
    finally:
        conn.close()


def test_a_pool_rebuild_writes_the_same_rows_in_the_same_order(crawled, tmp_path):
    before = children()
    inline = rebuild(crawled.warc_dir, tmp_path / "inline.db", workers=0)
    pooled = rebuild(crawled.warc_dir, tmp_path / "pooled.db", workers=2)
    assert children() == before
    assert (inline.articles, inline.records, inline.failures) == (
        pooled.articles, pooled.records, pooled.failures)
    assert inline.articles > 0
    first, second = dump(tmp_path / "inline.db"), dump(tmp_path / "pooled.db")
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table


def test_interrupted_rebuild_leaves_no_worker(crawled, tmp_path, monkeypatch):
    before = children()
    original = Rebuilder._capture
    calls: list[int] = []

    def capture(self, *args):
        calls.append(1)
        if len(calls) == 20:  # articles are being extracted in the pool by now
            assert children() - before
            raise KeyboardInterrupt
        original(self, *args)

    monkeypatch.setattr(Rebuilder, "_capture", capture)
    with pytest.raises(KeyboardInterrupt):
        rebuild(crawled.warc_dir, tmp_path / "cut.db", workers=2)
    assert len(calls) == 20
    assert children() == before
