"""The two places govarc reaches into Scrapy's engine, where no public API does the job.

- `on_request_done`: a callback once the engine is completely done with a request it
  downloaded (its response's callbacks ran and their items left the pipelines). The
  `request_left_downloader` and `item_scraped` signals come earlier or not at all (a page
  without items); a distributed worker must not drop its lease on a request before the
  rows the request produced are pushed.
- `set_idle_poll`: how often an idle engine asks its scheduler for requests again
  (`ExecutionEngine._SLOT_HEARTBEAT_INTERVAL`, 5 s); a worker polls Redis more often.

Both are private to Scrapy: `pyproject.toml` bounds Scrapy to the minor versions they are
tested with, and `tests/test_engine_hooks.py` checks them against the installed Scrapy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.engine import ExecutionEngine


class EngineChanged(RuntimeError):
    """The installed Scrapy's engine no longer has what govarc hooks into."""


def on_request_done(engine: ExecutionEngine, callback: Callable[[Request], None]) -> None:
    """Call `callback(request)` each time the engine is done with a downloaded request.

    Call it once the spider is open (the engine's slot exists from then on)."""
    slot = getattr(engine, "_slot", None)
    original = getattr(slot, "remove_request", None)
    if original is None:
        raise EngineChanged("this Scrapy version's engine has no _slot.remove_request")

    def remove_request(request: Request) -> None:
        try:
            original(request)
        finally:
            callback(request)

    slot.remove_request = remove_request  # type: ignore[union-attr]


def set_idle_poll(engine: ExecutionEngine, seconds: float) -> None:
    """Ask the scheduler for requests every `seconds` while the engine is idle.

    Call it by `spider_opened` (the engine reads it when it starts its heartbeat, after)."""
    if not isinstance(getattr(type(engine), "_SLOT_HEARTBEAT_INTERVAL", None), float | int):
        raise EngineChanged("this Scrapy version's engine has no _SLOT_HEARTBEAT_INTERVAL")
    engine._SLOT_HEARTBEAT_INTERVAL = seconds  # type: ignore[attr-defined]
