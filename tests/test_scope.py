"""A crawl fetches only its portals' own hosts, port included, and no private address
unless GOVARC_ALLOWED_NETWORKS allows it; whatever is refused is a failure row."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import FAST, govarc, query
from tests.mini_portal import MiniPortal


def crawl(registry: Path, tmp: Path, env: dict[str, str] | None = None):
    import subprocess
    import sys

    from tests.conftest import REPO

    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(tmp / "a.db"), "--warc-dir", str(tmp / "warc"), *FAST],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})})


def test_redirects_and_meta_refresh_to_another_port_are_off_site(mini, tmp_path):
    other = MiniPortal()  # the same host, another port: not the portal
    try:
        elsewhere = f"{other.base}/xw/202604/t20260411_1.html"
        mini.redirects["/xw/202604/t20260415_5.html"] = elsewhere
        mini.pages["/xw/202604/t20260416_6.html"] = (
            f'<html><head><meta http-equiv="refresh" content="0;url={other.base}/x.html">'
            "</head>"
            "<body>跳转中</body></html>")
        result = crawl(mini.registry(tmp_path / "mini.toml"), tmp_path)
        assert result.returncode == 1, result.stderr
        failures = dict(query(tmp_path / "a.db", "SELECT url, kind FROM failures"))
        assert failures == {mini.base + "/xw/202604/t20260415_5.html": "off-site",
                            mini.base + "/xw/202604/t20260416_6.html": "off-site"}
        reasons = [r for (r,) in query(tmp_path / "a.db", "SELECT reason FROM failures")]
        assert all(f"127.0.0.1:{other.server.server_port} is not a host of portal mini" in r
                   for r in reasons), reasons
        assert other.paths == []  # not the page, not its robots.txt
        assert query(tmp_path / "a.db", "SELECT count(*) FROM captures WHERE url LIKE ?",
                     [other.base + "%"]) == [(0,)]
        assert query(tmp_path / "a.db", "SELECT count(*) FROM articles") == [(3,)]
        verify = govarc("verify", "--db", str(tmp_path / "a.db"), "--warc-dir",
                        str(tmp_path / "warc"))
        assert verify.returncode == 0, verify.stdout
    finally:
        other.close()


def test_private_addresses_are_refused_unless_allowed(mini, tmp_path):
    registry = tmp_path / "private.toml"
    registry.write_text(
        '[[portal]]\nid = "meta"\nname = "云元数据"\ndomain = "169.254.169.254"\n'
        'cms = "generic"\nobey_robots = false\n\n  [[portal.section]]\n  id = "x"\n'
        '  name = "元数据"\n  url = "http://169.254.169.254/latest/meta-data/"\n\n'
        '[[portal]]\nid = "local"\nname = "本机"\n'
        f'domain = "localhost:{mini.server.server_port}"\ncms = "trs"\nobey_robots = false\n\n'
        '  [[portal.section]]\n  id = "xw"\n  name = "新闻"\n'
        f'  url = "http://localhost:{mini.server.server_port}/xw/index.html"\n',
        encoding="utf-8")
    result = crawl(registry, tmp_path, env={"GOVARC_ALLOWED_NETWORKS": ""})
    assert result.returncode == 1, result.stderr
    failures = query(tmp_path / "a.db", "SELECT url, kind, reason FROM failures ORDER BY url")
    assert [(u, k) for u, k, _ in failures] == [
        ("http://169.254.169.254/latest/meta-data/", "private-address"),
        (f"http://localhost:{mini.server.server_port}/xw/index.html", "private-address")]
    assert "resolves to 127.0.0.1" in failures[1][2]
    assert mini.paths == []  # nothing reached the machine's own server
    allowed = crawl(registry, tmp_path / "allowed",
                    env={"GOVARC_ALLOWED_NETWORKS": "127.0.0.0/8"})
    assert allowed.returncode == 1  # the metadata address stays refused
    assert query(tmp_path / "allowed" / "a.db", "SELECT count(*) FROM articles") == [(3,)]
