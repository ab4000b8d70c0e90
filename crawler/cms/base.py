"""Results of reading a list page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageRequest:
    """A further list page (or list API call) to fetch."""

    url: str
    method: str = "GET"
    formdata: tuple[tuple[str, str], ...] = ()
    kind: str = "list"  # "list" (HTML list page) or "hanweb-proxy" (dataproxy.jsp answer)


@dataclass
class ListPage:
    articles: list[str] = field(default_factory=list)  # absolute URLs, page order, no repeats
    next_pages: list[PageRequest] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)

    def add_article(self, url: str) -> None:
        if url not in self._seen:
            self._seen.add(url)
            self.articles.append(url)
