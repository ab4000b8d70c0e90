"""Build the sample site: every article, list and broken link, deterministically."""

from __future__ import annotations

import functools
import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from .binaries import DOCX_MIME, PDF_MIME
from .newsite import add_new_portals
from .policy import add_policy_portal
from .portals import HANWEB_COLUMNS, PORTALS, YN, ZJ
from .seed import SEED_PATH, load_seed
from .specs import (
    ArticleDetail,
    ArticleSpec,
    AttachmentSpec,
    Block,
    BrokenSpec,
    ListItem,
    PortalSpec,
    SampleSite,
    TamperSpec,
    TrapSpec,
)
from .text import body_text
from .textgen import (
    Draft,
    Scope,
    department_scope,
    generate,
    local_scope,
    person,
    person_name,
    province_scope,
)
from .vocab import (
    GBK_ONLY_CHARS,
    YN_DEPARTMENTS,
    YN_PREFECTURES,
    YN_SOURCES,
    ZJ_CITIES,
    ZJ_DEPARTMENTS,
    ZJ_SOURCES,
)
from .walled import add_walled_portal

# Generated articles per section (the seed article comes on top of zsdt's).
SECTION_SIZES = {"ynyw": 50, "bmdt": 40, "zsdt": 44, "zjyw": 49, "zwdt": 47, "sxdt": 46}
CROSS_LISTED = 5
ATTACHMENT_SHARE = 0.13
FIRST_DAY = datetime(2021, 1, 4)
LAST_DAY = datetime(2026, 4, 15)
SEED_ID = 229601
SEED_WHEN = datetime(2021, 10, 25, 7, 33, 20)
BROKEN = (("bmdt", "empty"), ("ynyw", "garbage"), ("zsdt", "missing"))


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(parts).encode("utf-8")))


@dataclass
class _Entry:
    """A list entry while the site is being built."""

    portal: PortalSpec
    section: str
    when: datetime
    kind: str = "article"
    ident: int = 0
    url_when: datetime | None = None

    @property
    def url_day(self) -> datetime:
        return self.url_when or self.when


def _times(rng: random.Random, count: int, minutes_only: bool) -> list[datetime]:
    span = int((LAST_DAY - FIRST_DAY).total_seconds())
    times = []
    for _ in range(count):
        day = FIRST_DAY + timedelta(seconds=rng.randrange(span))
        second = 0 if minutes_only else rng.randrange(60)
        times.append(day.replace(hour=rng.randint(7, 21), minute=rng.randrange(60), second=second))
    return sorted(times)


def _entries(portal: PortalSpec) -> list[_Entry]:
    entries: list[_Entry] = []
    for section in portal.sections:
        rng = _rng(portal.id, section.id, "times")
        for when in _times(rng, SECTION_SIZES[section.id], portal.cms == "hanweb"):
            entry = _Entry(portal, section.id, when)
            if portal.cms == "trs" and rng.random() < 0.05:
                entry.url_when = when - timedelta(days=rng.randint(1, 2))
            entries.append(entry)
    if portal.cms == "trs":
        rng = _rng(portal.id, "broken")
        for section_id, kind in BROKEN:
            when = _times(rng, 1, False)[0]
            entries.append(_Entry(portal, section_id, when, kind=kind))
        entries.append(_Entry(portal, "zsdt", SEED_WHEN, kind="seed"))
    entries.sort(key=lambda e: e.when)
    _assign_ids(portal, entries)
    return entries


def _assign_ids(portal: PortalSpec, entries: list[_Entry]) -> None:
    rng = _rng(portal.id, "ids")
    if portal.cms == "trs":
        steps = [rng.randint(40, 900) for _ in entries]
        seed_index = next(i for i, e in enumerate(entries) if e.kind == "seed")
        base = SEED_ID - sum(steps[: seed_index + 1])
    else:
        steps = [rng.randint(150_000, 330_000) for _ in entries]
        base = 22_400_000
    total = base
    for entry, step in zip(entries, steps, strict=True):
        total += step
        entry.ident = total


def _path(entry: _Entry) -> str:
    day = entry.url_day
    if entry.portal.cms == "trs":
        directory = entry.portal.section(entry.section).path
        return f"{directory}{day:%Y%m}/t{day:%Y%m%d}_{entry.ident}.html"
    column = HANWEB_COLUMNS[entry.section][0]
    return f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{entry.ident}.html"


def _scope(rng: random.Random, portal: PortalSpec, section: str, index: int) -> Scope:
    if portal is YN:
        province, places, departments = "云南", YN_PREFECTURES, YN_DEPARTMENTS
    else:
        province, places, departments = "浙江", ZJ_CITIES, ZJ_DEPARTMENTS
    if section in ("ynyw", "zjyw"):
        return province_scope(province, places)
    if section in ("bmdt", "zwdt"):
        return department_scope(province, places, rng.choice(departments)[0])
    names = list(places)
    short = names[(index + rng.randrange(len(names))) % len(names)]
    full, counties, _ = places[short]
    return local_scope(province, full, short, counties, gbk_names=section == "sxdt")


def _source(rng: random.Random, portal: PortalSpec, section: str, scope: Scope) -> str:
    sources = YN_SOURCES if portal is YN else ZJ_SOURCES
    departments = dict(YN_DEPARTMENTS if portal is YN else ZJ_DEPARTMENTS)
    roll = rng.random()
    if section in ("bmdt", "zwdt") and roll < 0.6:
        return departments[scope.department]
    if section in ("zsdt", "sxdt") and roll < 0.35:
        return scope.department
    return rng.choice(sources)


def _asset_name(rng: random.Random, prefix: str, when: datetime, digits: int) -> str:
    tail = "".join(str(rng.randrange(10)) for _ in range(digits))
    if prefix:
        return f"{prefix}0{when:%Y%m%d}{tail}"
    return f"{when:%y%m%d%H%M}{tail}"


def _image_src(rng: random.Random, entry: _Entry, path: str) -> str:
    if entry.portal.cms == "trs":
        directory = path.rsplit("/", 1)[0]
        return f"{directory}/{_asset_name(rng, 'W', entry.when, 10)}.png"
    return f"/picture/0/{_asset_name(rng, '', entry.when, 6)}.png"


def _attachments(rng: random.Random, entry: _Entry, path: str, draft: Draft,
                 scope: Scope) -> list[AttachmentSpec]:
    names = (
        f"关于印发{scope.region}{draft.topic.name}工作方案的通知",
        f"{entry.when.year}年{draft.topic.name}重点任务清单",
        f"{scope.region}{draft.topic.name}政策解读",
        f"{draft.topic.name}有关情况统计表",
    )
    found = []
    for name in rng.sample(names, rng.randint(1, 2)):
        ext, mime = rng.choice((("pdf", PDF_MIME), ("docx", DOCX_MIME)))
        if entry.portal.cms == "trs":
            directory = path.rsplit("/", 1)[0]
            file_path = f"{directory}/{_asset_name(rng, 'P', entry.when, 12)}.{ext}"
        else:
            stored = _asset_name(rng, "", entry.when, 6)
            file_path = f"/module/download/downfile.jsp?classid=0&filename={stored}.{ext}"
        found.append(AttachmentSpec(file_path, f"{name}.{ext}", mime))
    return found


def _needs_gbk(section: str, draft: Draft) -> bool:
    if section != "sxdt":
        return False
    text = draft.title + body_text(draft.blocks)
    return not any(char in text for char in GBK_ONLY_CHARS)


def _published(portal: PortalSpec, when: datetime) -> str:
    if portal.cms == "trs":
        return f"{when:%Y-%m-%dT%H:%M:%S}+08:00"
    return f"{when:%Y-%m-%dT%H:%M}:00+08:00"


def _draft(rng: random.Random, entry: _Entry, scope: Scope, path: str, titles: set[str],
           oldest: bool) -> Draft:
    image = _image_src(rng, entry, path) if rng.random() < 0.12 else ""
    draft = generate(rng, scope, entry.when - timedelta(days=rng.randint(0, 2)), image_src=image)
    while draft.title in titles:
        draft = generate(rng, scope, entry.when, image_src=image)
    if entry.section == "sxdt" and (oldest or rng.random() < 0.3):
        # A visit by a named official: puts GBK-only characters into the list records too.
        title = f"{person(rng, scope)}到{rng.choice(scope.counties)}调研{draft.topic.name}工作"
        draft = Draft(title, draft.kicker, draft.blocks, draft.topic)
    titles.add(draft.title)
    if _needs_gbk(entry.section, draft) or (entry.section == "sxdt" and rng.random() < 0.4):
        credit = f"（通讯员 {person_name(rng, True)} 记者 {person_name(rng, True)}）"
        draft = Draft(draft.title, draft.kicker, (*draft.blocks, Block("p", credit)), draft.topic)
    return draft


class _Builder:
    """Accumulates the articles, lists and broken links of the site."""

    def __init__(self) -> None:
        self.articles: list[ArticleSpec] = []
        self.broken: list[BrokenSpec] = []
        self.details: dict[tuple[str, str], ArticleDetail] = {}
        self.lists: dict[tuple[str, str], list[tuple[datetime, ListItem]]] = {}
        self.traps: list[TrapSpec] = []
        self.tamper: list[TamperSpec] = []

    def listed(self, entry: _Entry, section: str, path: str, title: str) -> None:
        item = ListItem(path, title, f"{entry.when:%Y-%m-%d}")
        self.lists.setdefault((entry.portal.id, section), []).append((entry.when, item))

    def add_portal(self, portal: PortalSpec) -> None:
        titles: set[str] = set()
        entries = _entries(portal)
        cross = _rng(portal.id, "cross")
        local = [e for e in entries if e.section == "zsdt" and e.kind == "article"]
        cross_listed = {id(e) for e in cross.sample(local, CROSS_LISTED)} if local else set()
        counters: dict[str, int] = {}
        for entry in entries:
            path = SEED_PATH if entry.kind == "seed" else _path(entry)
            rng = _rng(portal.id, entry.section, str(entry.ident))
            index = counters.get(entry.section, 0)
            counters[entry.section] = index + 1
            if entry.kind == "seed":
                self.add_seed(entry, path)
                continue
            scope = _scope(rng, portal, entry.section, index)
            draft = _draft(rng, entry, scope, path, titles, oldest=index == 0)
            if entry.kind != "article":
                self.broken.append(BrokenSpec(portal.id, entry.section, path, entry.kind))
                self.listed(entry, entry.section, path, draft.title)
                continue
            sections = (entry.section, "ynyw") if id(entry) in cross_listed else (entry.section,)
            attachments = []
            if rng.random() < ATTACHMENT_SHARE:
                attachments = _attachments(rng, entry, path, draft, scope)
            author = None
            if rng.random() < 0.25:
                names = [person_name(rng, scope.gbk_names) for _ in range(rng.randint(1, 2))]
                author = "、".join(names)
            self.add_article(
                entry, path, sections, draft, _source(rng, portal, entry.section, scope),
                author, attachments, rng,
            )

    def add_article(self, entry: _Entry, path: str, sections: tuple[str, ...], draft: Draft,
                    source: str, author: str | None, attachments: list[AttachmentSpec],
                    rng: random.Random) -> None:
        text = body_text(draft.blocks)
        self.articles.append(ArticleSpec(
            portal_id=entry.portal.id, section_ids=sections, path=path, title=draft.title,
            kicker=draft.kicker, published_at=_published(entry.portal, entry.when),
            source=source, author=author, text=text, attachments=attachments,
        ))
        first = text.split("\n", 1)[0]
        self.details[(entry.portal.id, path)] = ArticleDetail(
            blocks=draft.blocks,
            style=rng.randrange(3) if entry.when.year >= 2022 else rng.choice((0, 2, 2)),
            keywords=draft.topic.keywords,
            description=first[:80],
            editor=person_name(rng, entry.section == "sxdt"),
            views=rng.randint(120, 9800),
        )
        for section in sections:
            self.listed(entry, section, path, draft.title)

    def add_seed(self, entry: _Entry, path: str) -> None:
        seed = load_seed()
        self.articles.append(ArticleSpec(
            portal_id=entry.portal.id, section_ids=("zsdt",), path=path, title=seed.title,
            kicker=seed.kicker, published_at=_published(entry.portal, entry.when),
            source=seed.source, author=None, text=body_text(seed.blocks), attachments=[],
        ))
        self.details[(entry.portal.id, path)] = ArticleDetail(
            blocks=seed.blocks, style=0, keywords="曲靖,高质量发展,为民办实事",
            description=seed.title, editor="李晓蓉", views=3721,
        )
        self.listed(entry, "zsdt", path, seed.title)

    def site(self) -> SampleSite:
        lists = {
            key: [item for _, item in sorted(items, key=lambda pair: pair[0], reverse=True)]
            for key, items in self.lists.items()
        }
        return SampleSite(portals=list(PORTALS), articles=self.articles, broken=self.broken,
                          details=self.details, lists=lists, traps=self.traps,
                          tamper=self.tamper)


def _build_site() -> SampleSite:
    builder = _Builder()
    for portal in (YN, ZJ):
        builder.add_portal(portal)
    add_new_portals(builder)
    add_walled_portal(builder)
    add_policy_portal(builder)
    return builder.site()


@functools.lru_cache(maxsize=1)
def build_site() -> SampleSite:
    """The sample site; deterministic, built once per process."""
    return _build_site()
