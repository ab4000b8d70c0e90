"""A progress line on stderr while crawling in a terminal (off under cron)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from tqdm import tqdm

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class Progress:
    """Counts responses; shows articles stored and failures as they happen."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.bar: tqdm | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("GOVARC_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response, signal=signals.response_received)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider: Any) -> None:
        self.bar = tqdm(desc="crawling", unit=" pages", file=sys.stderr, dynamic_ncols=True,
                        mininterval=0.5)

    def _postfix(self, refresh: bool) -> None:
        assert self.bar is not None
        failures = sum(v for k, v in self.stats.get_stats().items()
                       if k.startswith("govarc/failures/"))
        self.bar.set_postfix(articles=self.stats.get_value("govarc/articles", 0),
                             failures=failures, refresh=refresh)

    def response(self, **_: Any) -> None:
        if self.bar is not None:
            self._postfix(refresh=False)
            self.bar.update(1)

    def closed(self, spider: Any) -> None:
        if self.bar is not None:
            self._postfix(refresh=True)
            self.bar.close()
            self.bar = None
