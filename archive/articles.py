"""From a captured page to the fields of an `articles` row (the crawl and rebuild share it).

`extract_article` is a plain top-level function of bytes and strings so that it can run
in a worker process: the crawler keeps its reactor thread for the network.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from archive.errors import NotAnArticle
from archive.extract import extract
from archive.tamper import check_page

_FIELDS = ("title", "published_at", "source", "author", "site_name", "site_id_code",
           "canonical_url", "keywords", "description", "text")


@dataclass(frozen=True)
class PortalIdentity:
    """What the tamper watch must know of the portal a page was fetched for."""

    domains: tuple[str, ...]
    site_id_code: str | None = None
    # For a registry entry that is a known mirror: the domains of the portal it copies.
    identity_domains: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PortalIdentity:
        identity = data.get("identity_domains")
        return cls(tuple(data.get("domains") or ()), data.get("site_id_code"),
                   tuple(identity) if identity else None)


@dataclass
class ArticleResult:
    fields: dict[str, Any]
    attachments: list[dict[str, str]]
    flags: list[dict[str, Any]]


def extract_article(body: bytes, url: str, content_type: str | None,
                    portal: PortalIdentity | None = None) -> ArticleResult:
    """Row fields, attachments and tamper flags of an article page.

    Raises NotAnArticle for list/home/error pages and ExtractionError for what is no page.
    The flags never change the fields: the archive keeps what the portal served."""
    result = extract(body, url=url, content_type=content_type)
    if result.kind != "article":
        raise NotAnArticle(f"the page reads as a {result.kind} page, not an article")
    fields = {name: getattr(result, name) for name in _FIELDS}
    fields["section"] = result.section
    fields["content_hash"] = hashlib.sha1(result.text.encode("utf-8")).hexdigest()
    flags = []
    if portal is not None:
        flags = [f.to_dict() for f in check_page(
            body, url, portal_domains=portal.domains, portal_site_id_code=portal.site_id_code,
            identity_domains=portal.identity_domains, text=result.text,
            content_type=content_type)]
    return ArticleResult(fields, result.attachments, flags)
