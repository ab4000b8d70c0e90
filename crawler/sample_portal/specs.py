"""Data classes describing the sample portals: what is served and what a crawler should find."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SectionSpec:
    """One news column of a portal."""

    id: str
    name: str
    path: str
    encoding: str = "utf-8"

    @property
    def list_path(self) -> str:
        """Root-relative path of the column's first list page."""
        return self.path + "index.html" if self.path.endswith("/") else self.path


@dataclass(frozen=True)
class PortalSpec:
    """One imitated provincial portal."""

    id: str
    name: str
    cms: str
    site_id_code: str
    sections: list[SectionSpec]
    domain: str = ""

    def section(self, section_id: str) -> SectionSpec:
        """The section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


@dataclass(frozen=True)
class AttachmentSpec:
    """A file linked from an article; `filename` is the name shown, without the 附件N： label."""

    path: str
    filename: str
    mime: str


@dataclass(frozen=True)
class ArticleSpec:
    """An article and the labels an extractor should recover from its page."""

    portal_id: str
    section_ids: tuple[str, ...]
    path: str
    title: str
    kicker: str | None
    published_at: str
    source: str
    author: str | None
    text: str
    attachments: list[AttachmentSpec] = field(default_factory=list)


@dataclass(frozen=True)
class BrokenSpec:
    """A listed link whose page is not an article: kind is "empty", "garbage" or "missing"."""

    portal_id: str
    section_id: str
    path: str
    kind: str


@dataclass(frozen=True)
class Block:
    """One block of an article body: a paragraph, subhead, table, image or <br>-split lines."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    lines: tuple[str, ...] = ()
    src: str = ""


@dataclass(frozen=True)
class ArticleDetail:
    """Rendering details of an article that are not labels (body blocks, template choices)."""

    blocks: tuple[Block, ...]
    style: int
    keywords: str
    description: str
    editor: str
    views: int


@dataclass(frozen=True)
class ListItem:
    """One entry of a section list: an article or a broken link."""

    path: str
    title: str
    date: str


@dataclass(frozen=True)
class SampleSite:
    """Everything the sample portals serve, built deterministically by `build_site()`."""

    portals: list[PortalSpec]
    articles: list[ArticleSpec]
    broken: list[BrokenSpec]
    details: dict[tuple[str, str], ArticleDetail] = field(default_factory=dict, repr=False)
    lists: dict[tuple[str, str], list[ListItem]] = field(default_factory=dict, repr=False)

    def portal(self, portal_id: str) -> PortalSpec:
        """The portal with this id."""
        for portal in self.portals:
            if portal.id == portal_id:
                return portal
        raise KeyError(portal_id)

    def article(self, portal_id: str, path: str) -> ArticleSpec:
        """The article served at `path` on this portal."""
        for article in self.articles:
            if article.portal_id == portal_id and article.path == path:
                return article
        raise KeyError((portal_id, path))
