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

    def add_article(self, url: str) -> None:
        if url not in self.articles:
            self.articles.append(url)
