"""From a captured page to the fields of an `articles` row (the crawl and rebuild share it).

`extract_article` is a plain top-level function of bytes and strings so that it can run
in a worker process: the crawler keeps its reactor thread for the network.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from lxml import etree

from archive.extract import DOC_KEYS, extract_page
from archive.tamper import check_page
from archive.warc import RENDERED_TYPE

_FIELDS = ("title", "published_at", "source", "author", "site_name", "site_id_code",
           "canonical_url", "keywords", "description", "text", "method", "confidence",
           "extractor_version", "template")


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
    kind: str  # article, list or other
    fields: dict[str, Any]  # empty unless an article
    attachments: list[dict[str, str]]
    flags: list[dict[str, Any]]

    @property
    def reason(self) -> str:
        return f"the page reads as a {self.kind} page with no text of its own"


def tamper_flags(body: bytes, url: str, content_type: str | None,
                 portal: PortalIdentity | None, text: str | None = None,
                 tree: etree._Element | None = None) -> list[dict[str, Any]]:
    """The tamper watch's findings on any captured page (as plain dicts). `tree`: the page
    already parsed (unpruned), to spare parsing it again."""
    if portal is None:
        return []
    return [f.to_dict() for f in check_page(
        body, url, portal_domains=portal.domains, portal_site_id_code=portal.site_id_code,
        identity_domains=portal.identity_domains, text=text, content_type=content_type,
        tree=tree)]


def content_hash(text: str, fields: dict[str, Any]) -> str:
    """What tells one version from the next: the text, and the document fields where the
    page has any (a document 废止 without a word of its text changed is a new version)."""
    document = [f"{key}={fields[key]}" for key in DOC_KEYS if fields.get(key)]
    payload = text if not document else text + "\n\x00" + "\n".join(document)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def extract_article(body: bytes, url: str, content_type: str | None,
                    portal: PortalIdentity | None = None,
                    rendered: bytes | None = None) -> ArticleResult:
    """Row fields, attachments and tamper flags of a page fetched as an article.

    A page reached as an article is one whenever the extractor found text of its own on it,
    by its rules or, on a template they do not know, by the general extractor (the row says
    which, how sure, and the page kind the rules saw). An error page, a challenge, a
    redirect stub, a list or an empty page comes back with its `kind` and flags and no
    fields; ExtractionError is raised for what is no page at all. The flags never change
    the fields: the archive keeps what the portal served. `rendered` is the DOM a browser
    made of the page, read when the page as received has no text or only the general
    extractor's (method `rendered-…`); the flags are always those of the page as received."""
    result, whole = extract_page(body, url=url, content_type=content_type)
    flags = None
    if rendered and (not result.text or result.method != "rules"):
        # The page as received holds no article its rules know (a script writes it): the
        # DOM's text, when it has some and the rules read it or the page has none.
        dom, _ = extract_page(rendered, url=url, content_type=RENDERED_TYPE)
        if dom.text and (not result.text or dom.method == "rules"):
            flags = tamper_flags(body, url, content_type, portal, tree=whole)
            result = dom
    if not result.text:
        return ArticleResult(result.kind, {}, [],
                             tamper_flags(body, url, content_type, portal, tree=whole))
    fields = {name: getattr(result, name) for name in _FIELDS}
    if flags is not None:
        fields["method"] = f"rendered-{fields.get('method') or 'rules'}"
    fields["section"] = result.section
    # The 信息公开 document fields (doc_index … doc_keywords): always there, None if absent.
    fields.update({key: result.document.get(key) for key in DOC_KEYS})
    fields["content_hash"] = content_hash(result.text, fields)
    fields["page_kind"] = result.kind
    if flags is None:
        flags = tamper_flags(body, url, content_type, portal, result.text, whole)
    return ArticleResult("article", fields, result.attachments, flags)
