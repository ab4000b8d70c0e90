"""ArchivePipeline: extract captured articles and store rows, batched, in the archive."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from archive.errors import ExtractionError
from archive.extract import extract
from archive.transfer import failure_kind
from crawler.items import ArticleGone, ArticlePage, AttachmentFile, FetchFailure
from crawler.session import ArchiveSession

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler


def _pointer(location) -> dict[str, Any]:
    if location is None:
        return {}
    return {
        "warc_filename": location.filename,
        "warc_offset": location.offset,
        "warc_length": location.length,
    }


class ArchivePipeline:
    def __init__(self, session: ArchiveSession) -> None:
        self.session = session
        self.store = session.store
        self.stats = session.stats
        # attachment URL -> the name its article shows for it, until the file arrives
        self.attachment_names: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(ArchiveSession.for_crawler(crawler))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, ArticlePage):
            self._article(item)
        elif isinstance(item, AttachmentFile):
            self.store.add_attachment(
                {
                    "url": item.url,
                    "article_url": item.article_url,
                    "portal": item.portal,
                    "label": self.attachment_names.pop(item.url, None) or item.label,
                    "mime": item.mime,
                    "payload_length": item.payload_length,
                    "captured_at": item.captured_at or None,
                    "payload_digest": item.warc.payload_digest if item.warc else None,
                    **_pointer(item.warc),
                }
            )
            self.stats.inc_value("govarc/attachments")
        elif isinstance(item, ArticleGone):
            self.store.mark_removed(item.url, item.status)
            self.stats.inc_value("govarc/articles/removed")
        elif isinstance(item, FetchFailure):
            self._failure(item.url, item.portal, item.kind, item.reason, item.http_status,
                          item.warc)
        return item

    def _failure(self, url, portal, kind, reason, status=None, warc=None) -> None:
        # The WARC keeps the failure too (next to the response, if there was one), so that
        # `govarc rebuild` restores the failures table from the WARC files alone.
        self.session.recorder.write_metadata(
            url,
            {"run": self.store.run_id, "portal": portal, "role": "failure", "kind": kind,
             "reason": reason, "http_status": status},
            concurrent_to=warc.record_id if warc else None,
        )
        self.store.add_failure(
            {"url": url, "portal": portal, "kind": kind, "reason": reason,
             "http_status": status, **_pointer(warc)}
        )
        self.stats.inc_value(f"govarc/failures/{kind}")

    def _article(self, page: ArticlePage) -> None:
        try:
            result = extract(page.body, url=page.url, content_type=page.content_type)
        except ExtractionError as exc:
            self._failure(page.url, page.portal, failure_kind(page.content_type), str(exc),
                          page.status, page.warc)
            return
        if result.kind != "article":
            self._failure(page.url, page.portal, "not-article",
                          f"the page reads as a {result.kind} page, not an article",
                          page.status, page.warc)
            return
        for attachment in result.attachments:
            if attachment["url"] in page.attachments:
                self.attachment_names[attachment["url"]] = attachment["name"]
        row = {
            "url": page.url,
            "portal": page.portal,
            "section": result.section or page.section,
            "title": result.title,
            "published_at": result.published_at,
            "source": result.source,
            "author": result.author,
            "site_name": result.site_name,
            "site_id_code": result.site_id_code,
            "canonical_url": result.canonical_url,
            "keywords": result.keywords,
            "description": result.description,
            "text": result.text,
            "content_hash": hashlib.sha1(result.text.encode("utf-8")).hexdigest(),
            "http_status": page.status,
            "first_seen": page.captured_at,
            "last_seen": page.captured_at,
            "payload_digest": page.warc.payload_digest if page.warc else None,
            **_pointer(page.warc),
        }
        self.store.add_article(row)
        self.stats.inc_value("govarc/articles")
        self.stats.inc_value(f"govarc/portal/{page.portal}/articles")
