"""A crawl opens no port anyone could drive it through: no telnet console, no remote
control (Scrapy 2.19 starts an HTTP endpoint that runs code unless it is turned off)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import FAST, REPO


def listening_ports(pid: int) -> set[int]:
    """TCP ports on which process `pid` listens (from /proc: its socket inodes)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_the_settings_turn_both_consoles_off():
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False


def ports_while_crawling(mini, tmp_path: Path, *settings: str) -> tuple[set[int], int]:
    """The ports a crawl of the mini portal listened on, and how often they were looked at."""
    mini.delays["/xw/202604/t20260411_1.html"] = 4.0  # keeps the crawl running a while
    mini.paths.clear()
    err = tmp_path / "stderr.txt"
    with err.open("w") as stderr:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file",
             str(mini.registry(tmp_path / "mini.toml")), "--db", str(tmp_path / "a.db"),
             "--warc-dir", str(tmp_path / "warc"), *FAST, *settings],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=stderr,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        seen: set[int] = set()
        looked = 0
        deadline = time.monotonic() + 60
        while crawl.poll() is None and time.monotonic() < deadline:
            if "/xw/202604/t20260411_1.html" in mini.paths:  # the engine is running
                seen |= listening_ports(crawl.pid)
                looked += 1
            time.sleep(0.2)
        assert crawl.wait(timeout=60) in (0, 1), err.read_text()
        return seen, looked
    finally:
        if crawl.poll() is None:
            crawl.kill()
            crawl.wait()


def test_a_running_crawl_listens_on_no_port(mini, tmp_path):
    seen, looked = ports_while_crawling(mini, tmp_path)
    assert looked >= 5 and seen == set()


def test_the_check_sees_the_remote_control_port_when_it_is_turned_on(mini, tmp_path):
    seen, looked = ports_while_crawling(mini, tmp_path, "-s", "REMOTE_CONTROL_ENABLED=True")
    assert looked >= 5 and len(seen) == 1, seen
