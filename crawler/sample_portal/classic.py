"""Routes of the TRS WCM (sample-yn) and Hanweb JCMS (sample-zj) portals."""

from __future__ import annotations

import random
import zlib
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from . import hanweb, trs
from .binaries import PNG_MIME, make_png
from .portals import HANWEB_COLUMNS
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, attachment, published
from .specs import ArticleSpec, ListItem, PortalSpec, SampleSite
from .tamper import inject

RELATED = 3


def _garbage(path: str) -> bytes:
    rng = random.Random(zlib.crc32(path.encode("ascii")))
    return bytes(rng.randrange(256) for _ in range(1531))


class ClassicRoutes:
    """Renders one portal."""

    def __init__(self, site: SampleSite, portal: PortalSpec) -> None:
        self.site = site
        self.portal = portal
        self.routes = PortalRoutes(portal)
        self.by_path = {a.path: a for a in site.articles if a.portal_id == portal.id}
        self.lists = {s.id: site.lists[(portal.id, s.id)] for s in portal.sections}
        self.html_type = "text/html" if portal.cms == "trs" else "text/html;charset=UTF-8"

    def newest(self, items: list[ListItem]) -> datetime:
        times = [published(self.by_path[i.path]) for i in items if i.path in self.by_path]
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
        when = published(article)
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
            resource = attachment(portal, article, spec)
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


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """The route table of a TRS WCM or Hanweb JCMS portal."""
    return ClassicRoutes(site, portal).build()
