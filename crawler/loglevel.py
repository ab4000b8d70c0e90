"""Keep log records below LOG_LEVEL from being made at all.

Scrapy sets the root logger to NOTSET and filters in its handler, so every DEBUG record
(one per response, one per item, dozens per charset detection) is built — caller lookup,
record object — and then dropped. Setting the root logger's own level to LOG_LEVEL once
the crawl starts (Scrapy resets it while it applies the settings) skips that work; what
reaches the log is the same.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


class RootLogLevel:
    def __init__(self, level: str | int) -> None:
        self.level = level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RootLogLevel:
        extension = cls(crawler.settings.get("LOG_LEVEL") or "DEBUG")
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        return extension

    def engine_started(self, spider: Spider | None = None) -> None:
        logging.getLogger().setLevel(self.level)
