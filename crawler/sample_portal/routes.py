"""Render every page of the sample site into a route table of byte responses."""

from __future__ import annotations

import gzip
import hashlib
import random
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from . import hanweb, trs
from .binaries import PDF_MIME, PNG_MIME, make_docx, make_pdf, make_png
from .portals import HANWEB_COLUMNS
from .specs import ArticleSpec, AttachmentSpec, ListItem, PortalSpec, SampleSite
from .tamper import inject

BEIJING = timezone(timedelta(hours=8))
STATIC_TIME = datetime(2026, 4, 1, tzinfo=UTC)
ROBOTS = "User-agent: *\nDisallow: /search/\nAllow: /\n"
RELATED = 3


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


def _when(article: ArticleSpec) -> datetime:
    return datetime.fromisoformat(article.published_at).astimezone(UTC)


def _garbage(path: str) -> bytes:
    rng = random.Random(zlib.crc32(path.encode("ascii")))
    return bytes(rng.randrange(256) for _ in range(1531))


def _attachment(portal: PortalSpec, article: ArticleSpec, spec: AttachmentSpec) -> Resource:
    if spec.mime == PDF_MIME:
        body = make_pdf(["govarc sample attachment", f"portal: {portal.id}",
                         f"article: {article.path}", f"file: {spec.path}"])
    else:
        body = make_docx([spec.filename.rsplit(".", 1)[0], "（样例附件）", article.title])
    stored = spec.path.rsplit("=", 1)[-1].rsplit("/", 1)[-1]
    headers = (("Content-Disposition", f'attachment; filename="{stored}"'),)
    return Resource(body, spec.mime, _when(article), compressible=False, extra_headers=headers)


class _RouteBuilder:
    """Renders one portal."""

    def __init__(self, site: SampleSite, portal: PortalSpec) -> None:
        self.site = site
        self.portal = portal
        self.routes = PortalRoutes(portal)
        self.by_path = {a.path: a for a in site.articles if a.portal_id == portal.id}
        self.lists = {s.id: site.lists[(portal.id, s.id)] for s in portal.sections}
        self.html_type = "text/html" if portal.cms == "trs" else "text/html;charset=UTF-8"

    def newest(self, items: list[ListItem]) -> datetime:
        times = [_when(self.by_path[i.path]) for i in items if i.path in self.by_path]
        return max(times) if times else STATIC_TIME

    def page(self, path: str, text: str, when: datetime, encoding: str = "utf-8") -> None:
        content_type = self.html_type if encoding == "utf-8" else "text/html"
        self.routes.pages[path] = Resource(text.encode(encoding), content_type, when)

    def build(self) -> PortalRoutes:
        portal, module = self.portal, trs if self.portal.cms == "trs" else hanweb
        newest = self.newest([i for items in self.lists.values() for i in items])
        home = module.home_page(portal, self.lists)
        self.page("/", home, newest)
        self.page("/index.html", home, newest)
        self.page("/wzdt/index.html", module.sitemap_page(portal), STATIC_TIME)
        for path in module.STATIC_PAGES:
            self.page(path, module.static_page(portal, path), STATIC_TIME)
        self.routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain",
                                                    STATIC_TIME)
        if portal.cms == "trs":
            self.page("/ywdt/index.html", trs.column_index(portal, self.lists), newest)
        for section in portal.sections:
            self.section_lists(section.id)
        for article in self.by_path.values():
            self.article(article)
        self.broken()
        return self.routes

    def section_lists(self, section_id: str) -> None:
        section = self.portal.section(section_id)
        items = self.lists[section_id]
        when = self.newest(items)
        if self.portal.cms == "trs":
            pages = max(1, -(-len(items) // trs.PER_PAGE))
            for number in range(pages):
                chunk = items[number * trs.PER_PAGE : (number + 1) * trs.PER_PAGE]
                name = "index.html" if number == 0 else f"index_{number}.html"
                text = trs.list_page(self.portal, section, chunk, number, pages)
                self.page(section.path + name, text, when)
            return
        self.page(section.list_path, hanweb.list_page(self.portal, section, items), when,
                  section.encoding)
        column, unit = HANWEB_COLUMNS[section_id]
        self.routes.proxies[(str(column), str(unit))] = (section_id, items)

    def neighbours(self, article: ArticleSpec) -> tuple[list[ArticleSpec], ArticleSpec | None,
                                                         ArticleSpec | None]:
        details = self.site.details
        listed = [self.by_path[i.path] for i in self.lists[article.section_ids[0]]
                  if i.path in self.by_path and (i.path == article.path
                                                 or not details[(self.portal.id, i.path)].added)]
        index = listed.index(article)
        related = [listed[(index + k) % len(listed)] for k in range(1, RELATED + 1)]
        newer = listed[index - 1] if index > 0 else None
        older = listed[index + 1] if index + 1 < len(listed) else None
        return [a for a in related if a is not article], newer, older

    def article(self, article: ArticleSpec) -> None:
        portal = self.portal
        section = portal.section(article.section_ids[0])
        detail = self.site.details[(portal.id, article.path)]
        related, newer, older = self.neighbours(article)
        when = _when(article)
        if portal.cms == "trs":
            text = trs.article_page(portal, section, article, detail, related, (newer, older))
        else:
            text = hanweb.article_page(portal, section, article, detail, related)
        if detail.injections:
            text = inject(text, detail.injections)
        self.page(article.path, text, when, section.encoding)
        for block in detail.blocks:
            if block.kind == "image":
                crc = zlib.crc32(block.src.encode("ascii"))
                color = (crc & 0x7F, (crc >> 8) & 0x7F, 128 + ((crc >> 16) & 0x7F))
                self.routes.pages[block.src] = Resource(make_png(160, 100, color), PNG_MIME, when,
                                                        compressible=False)
        for spec in article.attachments:
            resource = _attachment(portal, article, spec)
            split = urlsplit(spec.path)
            if split.path == hanweb.DOWNLOAD_PATH:
                self.routes.downloads[parse_qs(split.query)["filename"][0]] = resource
            else:
                self.routes.pages[spec.path] = resource

    def broken(self) -> None:
        for spec in self.site.broken:
            if spec.portal_id != self.portal.id:
                continue
            if spec.kind == "empty":
                self.routes.pages[spec.path] = Resource(b"", "text/html", STATIC_TIME,
                                                        compressible=False)
            elif spec.kind == "garbage":
                self.routes.pages[spec.path] = Resource(_garbage(spec.path), "text/html",
                                                        STATIC_TIME, compressible=False)


def build_routes(site: SampleSite, portals: Iterable[str] | None = None
                 ) -> dict[str, PortalRoutes]:
    """The route table of every portal of the site (or of the portals named)."""
    from . import generic, jpaas, mirror, trs_sn

    builders: dict[str, Callable[[SampleSite, PortalSpec], PortalRoutes]] = {
        "sample-js": jpaas.build_routes, "sample-gd": generic.build_routes,
        "sample-sn": trs_sn.build_routes, "sample-mirror": mirror.build_routes,
    }
    wanted = None if portals is None else set(portals)
    routes = {}
    for portal in site.portals:
        if wanted is not None and portal.id not in wanted:
            continue
        build = builders.get(portal.id)
        routes[portal.id] = build(site, portal) if build else _RouteBuilder(site, portal).build()
    return routes
