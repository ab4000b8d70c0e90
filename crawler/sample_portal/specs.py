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
    fetch: str = "plain"  # "browser": the registry sends every page through the browser

    @property
    def list_path(self) -> str:
        """Root-relative path of the column's first list page."""
        return self.path + "index.html" if self.path.endswith("/") else self.path


@dataclass(frozen=True)
class PortalSpec:
    """One imitated provincial portal; `mirror_of` names the portal a mirror copies."""

    id: str
    name: str
    cms: str
    site_id_code: str
    sections: list[SectionSpec]
    domain: str = ""
    mirror_of: str | None = None
    note: str = ""
    """The registry note, where it is not the CMS family's."""

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
    alternates: tuple[str, ...] = ()
    """Other paths serving the same article (`_wap`, `_senior` copies); never to be stored."""
    document: dict[str, str | None] = field(default_factory=dict)
    """政府信息公开 fields of a policy document's page (doc_index, doc_number …)."""


@dataclass(frozen=True)
class BrokenSpec:
    """A listed link (or a section's list page) that is not an article.

    Kinds: "empty" (200, no body), "garbage" (200, random bytes), "missing" (404),
    "challenge" (an anti-bot challenge: 瑞数 412 or 202 with obfuscated JavaScript and a
    Set-Cookie, 加速乐 521 with `X-Via-JSL` and a `document.cookie` script) and "blocked"
    (a WAF refusal: 403 or 405 with a block page). `status` is the HTTP status served.
    """

    portal_id: str
    section_id: str
    path: str
    kind: str
    status: int = 0
    note: str = ""


@dataclass(frozen=True)
class TrapSpec:
    """A pagination trap: URLs without end that a crawler must bound.

    Kinds: "calendar" (a date widget; every `?date=` page links the next month, forever) and
    "endless-pager" (every page's 下一页 leads to a new page number, none holds an article).
    `path` is the first URL of the trap; `pattern` a regular expression every trap URL
    (path and query) matches.
    """

    portal_id: str
    section_id: str | None
    path: str
    kind: str
    pattern: str
    note: str = ""


@dataclass(frozen=True)
class TamperSpec:
    """A page carrying (or deliberately not carrying) tampering a tamper watch should flag.

    Kinds: "injected-terms" (gambling terms in the visible text), "hidden-link" (a link to a
    gambling host hidden by CSS), "script-redirect" (a script sending visitors to a
    non-government host), "script-link" (a script that `document.write`s a link to one),
    "mirror" (a copy on a non-government host keeping the
    original's ICP number and SiteIDCode) and "none" (an ordinary page that must raise no
    flag). `evidence` holds strings a finding should point at (terms, hosts, styles).
    """

    portal_id: str
    path: str
    kinds: tuple[str, ...]
    evidence: tuple[str, ...] = ()


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
    injections: tuple[tuple[str, str], ...] = ()
    """Tampering markup as (place, markup); place is "head", "top", "body" or "footer"."""
    added: bool = False
    """Added after the portal's first release: kept out of older pages' related links."""


@dataclass(frozen=True)
class ListItem:
    """One entry of a section list: an article or a broken link.

    `path` is the link as listed: it may be an alternate copy or carry tracking parameters.
    """

    path: str
    title: str
    date: str


@dataclass(frozen=True)
class SampleSite:
    """Everything the sample portals serve, built deterministically by `build_site()`.

    `articles`: what a crawler must store, once each (alternate copies excluded); `broken`:
    listed links and list pages that are not articles; `traps`: URL spaces without end;
    `tamper`: pages a tamper watch must flag (or, kind "none", must not).
    """

    portals: list[PortalSpec]
    articles: list[ArticleSpec]
    broken: list[BrokenSpec]
    details: dict[tuple[str, str], ArticleDetail] = field(default_factory=dict, repr=False)
    lists: dict[tuple[str, str], list[ListItem]] = field(default_factory=dict, repr=False)
    traps: list[TrapSpec] = field(default_factory=list)
    tamper: list[TamperSpec] = field(default_factory=list)

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
