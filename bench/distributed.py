"""Pages per second of a distributed crawl: one worker against two, same machine, same portal.

    python bench/distributed.py [--rounds 1] [-s NAME=VALUE ...]

Serves the sample portals on loopback, starts a redis-server of its own (no persistence)
and crawls the whole sample portal with `govarc crawl --redis … --workers N` for N = 1 and
N = 2 (and once without Redis, for reference), each into a fresh archive. Pages/s counts
every capture of the run over the span from its first capture to its last (so process
start-up is left out); "wall" is the whole command. Needs redis-server on PATH.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.sample_portal import serve_sample_portal  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "GOVARC_ALLOWED_NETWORKS=127.0.0.0/8"]  # the sample portal is on loopback


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _span(db: Path) -> tuple[int, float]:
    conn = sqlite3.connect(db)
    try:
        count, first, last = conn.execute(
            "SELECT count(*), min(captured_at), max(captured_at) FROM captures").fetchone()
    finally:
        conn.close()
    seconds = (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()
    return count, seconds


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a running process used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def crawl(registry: Path, root: Path, redis_url: str | None, workers: int,
          extra: list[str], servers: dict[str, int]) -> dict[str, float | str]:
    db, warc = root / "archive.db", root / "warc"
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
               "--db", str(db), "--warc-dir", str(warc), *FAST, *extra]
    if redis_url:
        command += ["--redis", redis_url, "--workers", str(workers)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = {name: cpu_seconds(pid) for name, pid in servers.items()}
    started = time.monotonic()
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    crawl_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    server_cpu = {name: cpu_seconds(pid) - server_cpu[name] for name, pid in servers.items()}
    if result.returncode not in (0, 1):
        raise SystemExit(f"crawl failed ({result.returncode}): {result.stderr}")
    pages, span = _span(db)
    return {"mode": f"{workers} worker(s)" if redis_url else "no Redis (one process)",
            "pages": pages, "span": span, "wall": wall, "rate": pages / span if span else 0,
            "summary": result.stderr.strip().splitlines()[-1], "crawl_cpu": crawl_cpu,
            **{f"{name}_cpu": cpu for name, cpu in server_cpu.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    extra = [x for item in args.set for x in ("-s", item)]
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    port = _free_port()
    redis_server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no", "--daemonize", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    rows = []
    try:
        with serve_sample_portal() as portal, tempfile.TemporaryDirectory() as tmp:
            registry = portal.write_registry(Path(tmp) / "portals.toml")
            for round_ in range(args.rounds):
                for redis_url, workers in ((None, 1), (f"redis://127.0.0.1:{port}/0", 1),
                                           (f"redis://127.0.0.1:{port}/0", 2)):
                    root = Path(tmp) / f"r{round_}-{workers}-{bool(redis_url)}"
                    row = crawl(registry, root, redis_url, workers, extra,
                                {"portal": portal.process.pid, "redis": redis_server.pid})
                    rows.append(row)
                    print(f"{row['mode']:<24} {row['pages']:>5} pages in {row['span']:6.1f} s "
                          f"= {row['rate']:6.1f} pages/s (wall {row['wall']:5.1f} s); CPU s: "
                          f"crawl {row['crawl_cpu']:5.1f}, portal server {row['portal_cpu']:5.1f}"
                          f", redis {row['redis_cpu']:4.1f}", flush=True)
    finally:
        redis_server.terminate()
        redis_server.wait()
    print(f"\nmachine: {os.cpu_count()} CPUs; loopback sample portal served by one process")


if __name__ == "__main__":
    main()
