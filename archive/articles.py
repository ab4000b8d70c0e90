"""From a captured page to the fields of an `articles` row (the crawl and rebuild share it).

`extract_article` is a plain top-level function of bytes and strings so that it can run
in a worker process: the crawler keeps its reactor thread for the network.
"""

from __future__ import annotations

import hashlib
from typing import Any

from archive.errors import NotAnArticle
from archive.extract import extract

_FIELDS = ("title", "published_at", "source", "author", "site_name", "site_id_code",
           "canonical_url", "keywords", "description", "text")


def extract_article(body: bytes, url: str, content_type: str | None
                    ) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """(row fields, attachments) of an article page; NotAnArticle or ExtractionError else."""
    result = extract(body, url=url, content_type=content_type)
    if result.kind != "article":
        raise NotAnArticle(f"the page reads as a {result.kind} page, not an article")
    fields = {name: getattr(result, name) for name in _FIELDS}
    fields["section"] = result.section
    fields["content_hash"] = hashlib.sha1(result.text.encode("utf-8")).hexdigest()
    return fields, result.attachments
