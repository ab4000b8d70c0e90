"""What the spider hands to the pipeline: captured pages with their WARC pointers."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.warc import WarcLocation


@dataclass
class ArticlePage:
    """An article response, still to be extracted."""

    url: str
    portal: str
    section: str
    status: int
    content_type: str | None
    body: bytes  # Content-Encoding already undone
    warc: WarcLocation | None
    attachments: list[str] = field(default_factory=list)
    captured_at: str | None = None  # WARC-Date of this exchange (a revisit's own date)
    section_id: str | None = None  # the registry section whose list linked it
    rendered: bytes | None = None  # the DOM a browser rendered, read if `body` has no text


@dataclass
class AttachmentFile:
    """A PDF/DOC(X)/XLS(X)/… file linked from an article, kept in the WARC."""

    url: str
    article_url: str
    portal: str
    label: str
    mime: str | None
    payload_length: int
    captured_at: str
    warc: WarcLocation | None
    status: int = 200


@dataclass
class FetchFailure:
    """A URL that gave no article: network error, HTTP error, robots, empty list, …"""

    url: str
    portal: str | None
    kind: str
    reason: str
    http_status: int | None = None
    warc: WarcLocation | None = None


@dataclass
class ArticleGone:
    """An archived article that now answers 404/410: it is flagged removed, never deleted."""

    url: str
    status: int


@dataclass
class PageCheck:
    """A list page to run the tamper watch on (articles are checked as they are extracted)."""

    url: str
    portal: str
    content_type: str | None
    body: bytes
    warc: WarcLocation | None
    captured_at: str | None = None
