"""The floor: a plain Scrapy spider that follows the benchmark portal's lists and articles.

It reads the same registry TOML as `govarc crawl`, walks every section's list pages the way
govarc does (all pages named by `createPageHTML(...)` on the first one, at priority 10),
requests every TRS article link they hold, and does nothing with the article responses.
No capture, no extraction, no storage.

    python bench/bare_spider.py --portal-file portals.toml --stats stats.json -s NAME=VALUE …
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response

ARTICLE = re.compile(r"/\d{6}/t\d{8}_\d+(?:_\d+)?\.s?html?$")
PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,"
                   r"\s*[\"'](\w+)[\"']")

# govarc's own defaults for what both crawls share (crawler/settings.py); the benchmark
# overrides concurrency, delay and AutoThrottle on both command lines alike.
SETTINGS: dict[str, Any] = {
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 16,
    "DOWNLOAD_TIMEOUT": 60,
    "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,
    "RETRY_TIMES": 2,
    "COOKIES_ENABLED": True,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "USER_AGENT": "govarc-bench-bare/1.0",
}


class BareSpider(scrapy.Spider):
    """Follow list pages and article links; drop every article response."""

    name = "bare"

    def __init__(self, urls: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.section_urls = urls or []

    async def start(self) -> Any:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[Request]:
        """The same requests for a Scrapy before 2.13 (the peers' pinned versions), which
        knows no `start`."""
        for url in self.section_urls:
            yield Request(url, callback=self.parse_list, cb_kwargs={"first": True}, priority=10)

    def parse_list(self, response: Response, first: bool = False) -> Iterator[Request]:
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href)
            if ARTICLE.search(url):
                yield Request(url, callback=self.parse_article)
        if first:
            pager = PAGER.search(response.text)
            if pager:
                count, stem, ext = int(pager.group(1)), pager.group(3), pager.group(4)
                for n in range(1, count):
                    yield Request(response.urljoin(f"{stem}_{n}.{ext}"),
                                  callback=self.parse_list, priority=10)

    def parse_article(self, response: Response) -> None:
        return None


def section_urls(portal_file: Path) -> list[str]:
    """First list page of every section of every portal in a govarc registry."""
    data = tomllib.loads(portal_file.read_text(encoding="utf-8"))
    return [s["url"] for p in data["portal"] for s in p["section"]]


def main(argv: list[str] | None = None) -> None:
    """Crawl, then write Scrapy's stats (and the wall time of the crawl) as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--portal-file", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True, help="write the stats here")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--settings-json", type=Path,
                        help="more settings, typed (a plugin that reads its settings raw)")
    args = parser.parse_args(argv)
    settings = dict(SETTINGS)
    if args.settings_json:
        settings.update(json.loads(args.settings_json.read_text(encoding="utf-8")))
    for item in args.set:
        name, _, value = item.partition("=")
        settings[name.strip()] = value.strip()
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=section_urls(args.portal_file))
    process.start()
    stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in (crawler.stats.get_stats() if crawler.stats else {}).items()}
    stats["bench/crawl_seconds"] = time.monotonic() - started
    args.stats.write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
