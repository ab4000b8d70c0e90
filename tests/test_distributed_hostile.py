"""Whoever can write to a distributed run's Redis cannot run code on the workers,
reconfigure them, or stop the coordinator; and the Redis password stays out of sight."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.http import FormRequest

from crawler.cms.base import PageRequest
from crawler.distributed.keys import CURRENT, RunKeys
from crawler.distributed.request_codec import RequestRejected, decode, encode
from crawler.spiders.portal import PortalSpider
from tests.conftest import FAST, REPO, query
from tests.test_distributed import redis_server  # noqa: F401 - the fixture

ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}

pytestmark = pytest.mark.redis


class _Payload:
    """Unpickling this runs a shell command: what a pickled queue would execute."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture()
def spider() -> PortalSpider:
    return PortalSpider(portal="x")


def test_requests_round_trip_as_json(spider):
    pending = (PageRequest("http://h.gov.cn/col/index_1.html"),
               PageRequest("http://h.gov.cn/dataproxy.jsp?startrecord=1", "POST",
                           (("col", "1"), ("unitid", "5")), "hanweb-proxy"))
    listing = FormRequest("http://h.gov.cn/dataproxy.jsp", formdata={"col": "1"},
                          callback=spider.parse_list, errback=spider.on_error, priority=-3,
                          meta={"portal": "zj", "section": "xw", "first_page": False,
                                "list_kind": "hanweb-proxy", "pending": pending, "quiet": 1,
                                "govarc_role": "list", "formdata": {"col": "1"},
                                "govarc_browser": "retry",
                                "govarc_warc": object(), "proxy": "http://evil:8080"})
    back = decode(encode(listing, spider), spider)
    assert (back.url, back.method, back.body, back.priority) == (
        listing.url, "POST", listing.body, -3)
    assert back.callback == spider.parse_list and back.errback == spider.on_error
    assert back.meta["pending"] == pending and back.meta["formdata"] == {"col": "1"}
    assert back.meta["govarc_browser"] == "retry"  # a challenge retried through the browser
    assert "govarc_warc" not in back.meta and "proxy" not in back.meta  # never carried
    assert back.headers.getlist("Content-Type") == listing.headers.getlist("Content-Type")


@pytest.mark.parametrize("tamper", [
    lambda d: pickle.dumps(_Payload(Path("/tmp/x"))),
    lambda d: json.dumps({**d, "url": "file:///etc/passwd"}),
    lambda d: json.dumps({**d, "callback": "__init__"}),
    lambda d: json.dumps({**d, "meta": {"proxy": "http://evil:8080"}}),
    lambda d: json.dumps({**d, "meta": {"handle_httpstatus_list": [500]}}),
    lambda d: json.dumps({**d, "meta": {"govarc_browser": "always"}}),
    lambda d: json.dumps({**d, "_class": "os.system"}),
    lambda d: json.dumps({**d, "method": "DELETE"}),
    lambda d: json.dumps([d]),
], ids=["pickle", "file-url", "callback", "proxy", "status", "browser", "class", "method",
        "list"])
def test_anything_else_is_refused(spider, tamper):
    good = json.loads(encode(Request("http://h.gov.cn/a.html", callback=spider.parse_article),
                             spider))
    with pytest.raises(RequestRejected):
        decode(tamper(good), spider)


def test_a_poisoned_redis_neither_runs_code_nor_reconfigures_nor_stops_the_run(
        mini, redis_server, tmp_path):  # noqa: F811 - the fixture
    marker = tmp_path / "pwned"
    feed = tmp_path / "feed.json"
    mini.robots = "User-agent: *\nDisallow: /xw/202604/t20260413_3.html\n"
    registry = mini.registry(tmp_path / "mini.toml", obey_robots=True)
    url = redis_server + "/3"
    client = redis.Redis.from_url(url)
    client.flushdb()
    coordinator = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(registry),
         "--db", str(tmp_path / "a.db"), "--warc-dir", str(tmp_path / "warc"),
         "--redis", url, "--workers", "0", *FAST],
        cwd=REPO, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not client.get(CURRENT):
            assert time.monotonic() < deadline and coordinator.poll() is None
            time.sleep(0.1)
        keys = RunKeys(client.get(CURRENT).decode())
        # What an attacker with Redis access writes before the workers come:
        client.zadd(keys.requests, {pickle.dumps(_Payload(marker)): -1000})
        client.rpush(keys.ops, json.dumps(["add_capture", {"no_such_column": 1}]),
                     json.dumps(["drop_table", "articles"]), b"\x80not json")
        published = json.loads(client.hget(keys.meta, "settings") or "{}")
        client.hset(keys.meta, "settings", json.dumps({
            **published, "FEEDS": {str(feed): {"format": "json"}},
            "ROBOTSTXT_OBEY": "False", "ITEM_PIPELINES": {"os.system": 1},
            "CONCURRENT_REQUESTS": "4"}))
        worker = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "worker", "--warc-dir",
             str(tmp_path / "warc"), "--name", "w1", "--wait", "30"],
            cwd=REPO, env={**ENV, "GOVARC_REDIS_URL": url}, capture_output=True, text=True,
            timeout=180)
        _out, err = coordinator.communicate(timeout=120)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
        client.close()
    assert worker.returncode == 0, worker.stderr
    assert coordinator.returncode == 1, err  # the run ended: partial, for robots.txt
    assert not marker.exists() and not feed.exists()
    db = tmp_path / "a.db"
    ((status, stats),) = query(db, "SELECT status, stats FROM crawl_runs")
    assert status == "partial"
    assert query(db, "SELECT kind FROM failures") == [("robots",)]  # robots.txt still obeyed
    stats = json.loads(stats)
    assert stats["govarc/redis/rejected_operations"] == 3
    assert stats["govarc/redis/rejected_requests"] == 1
    stored = {u for (u,) in query(db, "SELECT url FROM articles")}
    assert stored == {mini.base + p for p in mini.articles} - {
        mini.base + "/xw/202604/t20260413_3.html"}


def test_the_redis_password_stays_out_of_command_lines_and_messages(mini, tmp_path):
    url = "redis://:s3cret-pass@127.0.0.1:1/0"  # nothing listens on port 1
    registry = mini.registry(tmp_path / "mini.toml")
    for command in (["worker", "--redis", url, "--wait", "1"],
                    ["crawl", "--redis", url, "--db", str(tmp_path / "a.db"), "--warc-dir",
                     str(tmp_path / "warc"), "--portal-file", str(registry)]):
        result = subprocess.run([sys.executable, "-m", "crawler.cli", *command], cwd=REPO,
                                env=ENV, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert "s3cret" not in result.stderr and "s3cret" not in result.stdout
    from crawler.distributed.coordinator import _spawn

    spawned = _spawn(url, tmp_path / "warc", 1, 7, verbose=False)
    try:
        cmdline = Path(f"/proc/{spawned[0].pid}/cmdline").read_bytes()
        assert b"s3cret" not in cmdline
    finally:
        for process in spawned:
            process.kill()
            process.wait()
