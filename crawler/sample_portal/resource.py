"""What a sample portal serves: byte resources with their headers, by portal."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .binaries import PDF_MIME, make_docx, make_pdf
from .specs import ArticleSpec, AttachmentSpec, ListItem, PortalSpec

STATIC_TIME = datetime(2026, 4, 1, tzinfo=UTC)
ROBOTS = "User-agent: *\nDisallow: /search/\nAllow: /\n"


@dataclass
class Resource:
    """One response body with the headers that describe it."""

    body: bytes
    content_type: str
    last_modified: datetime
    compressible: bool = True
    extra_headers: tuple[tuple[str, str], ...] = ()
    _gzipped: bytes | None = field(default=None, repr=False)
    status: int = 200

    @property
    def etag(self) -> str:
        """Strong entity tag of the identity body."""
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'

    def gzipped(self) -> bytes:
        """The gzip-encoded body (deterministic: no timestamp)."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


@dataclass
class PortalRoutes:
    """Everything one portal serves."""

    portal: PortalSpec
    pages: dict[str, Resource] = field(default_factory=dict)
    downloads: dict[str, Resource] = field(default_factory=dict)
    proxies: dict[tuple[str, str], tuple[str, list[ListItem]]] = field(default_factory=dict)
    dynamic: list[Callable[[str, str], Resource | None]] = field(default_factory=list)
    """Handlers tried before the static pages: (decoded path, raw query) -> resource or None."""
    gate: Callable[[str, str, Mapping[str, str]], Resource | None] | None = None
    """Tried before everything: (decoded path, raw query, request headers) -> the answer
    that stops the request (a challenge), or None to let it through."""


def published(article: ArticleSpec) -> datetime:
    """The article's publication time in UTC (its Last-Modified)."""
    return datetime.fromisoformat(article.published_at).astimezone(UTC)


def attachment(portal: PortalSpec, article: ArticleSpec, spec: AttachmentSpec) -> Resource:
    """An attachment file (a small PDF or DOCX naming its article) served as a download."""
    if spec.mime == PDF_MIME:
        body = make_pdf(["govarc sample attachment", f"portal: {portal.id}",
                         f"article: {article.path}", f"file: {spec.path}"])
    else:
        body = make_docx([spec.filename.rsplit(".", 1)[0], "（样例附件）", article.title])
    stored = spec.path.rsplit("=", 1)[-1].rsplit("/", 1)[-1]
    headers = (("Content-Disposition", f'attachment; filename="{stored}"'),)
    return Resource(body, spec.mime, published(article), compressible=False, extra_headers=headers)


