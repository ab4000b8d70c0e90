"""The two Scrapy engine internals govarc hooks into still behave as it relies on.

A worker drops its lease on a request only once the engine is done with it (its items are
through the pipelines), and polls for work more often than Scrapy's 5 s heartbeat. Each is
checked by a real crawl of a loopback server, in a subprocess (Scrapy's reactor runs once
per process).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent('''
    import json, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.exceptions import DontCloseSpider
    from twisted.internet.task import deferLater

    from crawler.engine_hooks import on_request_done, set_idle_poll

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            n = int(self.path.strip("/") or 0)
            links = "".join(f'<a href="/{k}">{k}</a>' for k in range(1, 6)) if n == 0 else ""
            body = f"<html><body><p>page {n}</p>{links}</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    events, idles = [], []

    class Slow:
        """Takes its time over every item, as the archive pipeline may."""
        def process_item(self, item):
            from twisted.internet import reactor  # the one Scrapy installed
            return deferLater(reactor, 0.2, lambda: events.append(["item", item["url"]]) or item)

    class Hooks:
        def __init__(self, crawler):
            self.crawler = crawler
            crawler.signals.connect(self.opened, signal=signals.spider_opened)
            crawler.signals.connect(self.idle, signal=signals.spider_idle)
        @classmethod
        def from_crawler(cls, crawler):
            return cls(crawler)
        def opened(self, spider):
            on_request_done(self.crawler.engine, lambda r: events.append(["done", r.url]))
            set_idle_poll(self.crawler.engine, float(sys.argv[1]))
        def idle(self, spider):
            idles.append(time.monotonic())
            if len(idles) < 4:
                raise DontCloseSpider

    class Pages(scrapy.Spider):
        name = "pages"
        start_urls = [base + "/0"]
        def parse(self, response):
            n = int(response.url.rsplit("/", 1)[1])
            if n % 2 == 0:  # odd pages give no item: their requests are done all the same
                yield {"url": response.url}
            yield from response.follow_all(css="a")

    process = CrawlerProcess({
        "ITEM_PIPELINES": {Slow: 100}, "EXTENSIONS": {Hooks: 0}, "LOG_LEVEL": "ERROR",
        "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
    })
    process.crawl(Pages)
    process.start()
    gaps = [b - a for a, b in zip(idles, idles[1:])]
    print(json.dumps({"events": events, "gaps": gaps}))
''')


def _crawl(poll: float) -> dict:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(poll)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_request_is_done_after_its_items_leave_the_pipelines_and_polling_is_ours():
    found = _crawl(0.1)
    events = [tuple(e) for e in found["events"]]
    done = [url for kind, url in events if kind == "done"]
    items = [url for kind, url in events if kind == "item"]
    assert len(done) == len(set(done)) == 6, events  # the list page and its five links
    assert len(items) == 3  # pages 0, 2 and 4
    for url in items:
        assert events.index(("item", url)) < events.index(("done", url)), events
    # Idle, the engine asked again every 0.1 s, not every 5 s (Scrapy's own heartbeat).
    assert len(found["gaps"]) == 3 and max(found["gaps"]) < 1.0, found["gaps"]
