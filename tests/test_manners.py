"""Manners and operations: robots.txt, politeness defaults, User-Agent, quiet cron output."""

from __future__ import annotations

import fcntl
import os
import select
import sqlite3
import struct
import subprocess
import sys
import termios
from pathlib import Path

from crawler.runner import build_settings
from tests.conftest import FAST, REPO, govarc


def crawl(registry: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess:
    return govarc("crawl", "--portal-file", str(registry), "--db", str(tmp / "a.db"),
                  "--warc-dir", str(tmp / "warc"), *FAST, *extra)


def test_polite_defaults():
    settings = build_settings(Path("a.db"), Path("warc"), None)
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.get("USER_AGENT").startswith("govarc/")


def test_robots_txt_is_obeyed_unless_the_registry_says_otherwise(mini, tmp_path):
    blocked = next(iter(mini.articles))
    mini.robots = f"User-agent: *\nDisallow: {blocked}\n"
    result = crawl(mini.registry(tmp_path / "obey.toml", obey_robots=True), tmp_path)
    assert result.returncode == 1  # finished, one page not archived
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("SELECT kind FROM failures WHERE url = ?",
                      [mini.base + blocked]).fetchall() == [("robots",)]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    other = tmp_path / "ignore"
    other.mkdir()
    assert crawl(mini.registry(other / "ignore.toml", obey_robots=False), other).returncode == 0
    db = sqlite3.connect(other / "a.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_user_agent_names_govarc_and_the_contact(mini, tmp_path):
    result = crawl(mini.registry(tmp_path / "m.toml"), tmp_path,
                   "-s", "GOVARC_CONTACT=mailto:archive@example.org")
    assert result.returncode == 0
    assert mini.user_agents
    assert all(ua.startswith("govarc/") and "mailto:archive@example.org" in ua
               for ua in mini.user_agents)


def test_quiet_under_cron_one_summary_line(mini, tmp_path):
    result = crawl(mini.registry(tmp_path / "m.toml"), tmp_path)
    assert result.returncode == 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("run 1 ok: 1 portals, 1 sections, 3 articles (3 new")


def test_progress_line_in_a_terminal(mini, tmp_path):
    registry = mini.registry(tmp_path / "m.toml")
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(tmp_path / "a.db"), "--warc-dir", str(tmp_path / "warc"), *FAST],
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    output = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0
    os.close(master)
    text = output.decode("utf-8", "replace")
    assert "crawling" in text and "pages" in text and "articles=3" in text


def test_tls_failure_names_the_host_and_the_fix(mini, tmp_path):
    """A portal whose TLS cannot be negotiated (here: plain HTTP behind an https URL)."""
    registry = mini.registry(tmp_path / "tls.toml")
    text = registry.read_text(encoding="utf-8").replace('url = "http://', 'url = "https://')
    registry.write_text(text, encoding="utf-8")
    result = crawl(registry, tmp_path, "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    db = sqlite3.connect(tmp_path / "a.db")
    (kind, reason), = db.execute("SELECT kind, reason FROM failures").fetchall()
    assert kind == "tls"
    assert "127.0.0.1" in reason and "DOWNLOADER_CLIENT_TLS" in reason
