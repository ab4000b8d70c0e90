"""The portals added for the other CMS families, the tamper pages and the mirror.

`add_new_portals(builder)` extends the site being built by `site._Builder` after the two
original portals, without touching anything they serve: sample-js (Hanweb JPaaS), sample-gd
(a generic CMS), sample-sn (TRS, newer pager, alternate copies, challenge-protected
sections), a few tampered and lottery pages added to sample-yn's 州市动态, and sample-mirror.
"""

from __future__ import annotations

import dataclasses
import random
import zlib
from datetime import datetime, timedelta
from typing import Protocol

from .binaries import DOCX_MIME, PDF_MIME
from .portals import GD, JPAAS_COLUMNS, JS, MIRROR, SN, YN
from .seed import SEED_PATH
from .specs import (
    ArticleDetail,
    ArticleSpec,
    AttachmentSpec,
    Block,
    BrokenSpec,
    ListItem,
    PortalSpec,
    TamperSpec,
    TrapSpec,
)
from .text import body_text
from .textgen import Draft, Scope, generate, local_scope, person_name, province_scope
from .vocab import (
    GD_CITIES,
    GD_DEPARTMENTS,
    GD_SOURCES,
    JS_CITIES,
    JS_DEPARTMENTS,
    JS_SOURCES,
    SN_CITIES,
    SN_DEPARTMENTS,
    SN_SOURCES,
    YN_PREFECTURES,
    YN_SOURCES,
)

# Generated articles per (portal, section) and whether the section is province-wide.
SECTION_PLANS: dict[tuple[str, str], tuple[int, bool]] = {
    ("sample-js", "jsyw"): (31, True),
    ("sample-js", "dqdt"): (29, False),
    ("sample-gd", "gdyw"): (32, True),
    ("sample-gd", "dsdt"): (30, False),
    ("sample-sn", "sxyw"): (31, True),
}
PLACES = {
    "sample-js": ("江苏", JS_CITIES, JS_DEPARTMENTS, JS_SOURCES),
    "sample-gd": ("广东", GD_CITIES, GD_DEPARTMENTS, GD_SOURCES),
    "sample-sn": ("陕西", SN_CITIES, SN_DEPARTMENTS, SN_SOURCES),
}
# First id and the range of steps between consecutive article ids, by portal.
ID_STEPS = {"sample-js": (2_870_000, 800, 9000), "sample-gd": (4_100_000, 300, 6000),
            "sample-sn": (3_050_000, 40, 900)}
FIRST_DAY = datetime(2024, 1, 8)
LAST_DAY = datetime(2026, 4, 15)
ATTACHMENT_SHARE = 0.12
MIN_ATTACHED = 2

# sample-sn: how a list item links its article, by position in the list (index % 10).
SN_LINK_STYLES = {1: "_wap", 4: "_senior", 6: "?from=timeline&isappinstalled=0",
                  8: "?utm_source=wechat&utm_medium=share"}
# sample-sn: listed links answering a challenge or a refusal (kind, status, note).
SN_LISTED_BROKEN = (
    ("challenge", 202, "瑞数 (newer versions): HTTP 202, obfuscated JavaScript, Set-Cookie"),
    ("blocked", 405, "WAF refusal: HTTP 405 with a block page"),
)
# sample-sn: sections whose every URL (list pages included) answers a challenge or refusal.
SN_PROTECTED: dict[str, tuple[str, int, str]] = {
    "sqdt": ("challenge", 412, "瑞数: HTTP 412, obfuscated JavaScript, Set-Cookie"),
    "bmxx": ("challenge", 521, "加速乐: HTTP 521, X-Via-JSL, a document.cookie script"),
    "zcjd": ("blocked", 403, "WAF refusal: HTTP 403 with a block page"),
}

GAMBLING_HOSTS = ("www.365bet-example.com", "www.amjs-example.com", "www.hgty-example.com",
                  "www.xpj-example.com")


class SiteBuilder(Protocol):
    """What `site._Builder` offers this module."""

    articles: list[ArticleSpec]
    broken: list[BrokenSpec]
    details: dict[tuple[str, str], ArticleDetail]
    lists: dict[tuple[str, str], list[tuple[datetime, ListItem]]]
    traps: list[TrapSpec]
    tamper: list[TamperSpec]


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(parts).encode("utf-8")))


def _times(rng: random.Random, count: int, minutes_only: bool) -> list[datetime]:
    span = int((LAST_DAY - FIRST_DAY).total_seconds())
    times = []
    for _ in range(count):
        day = FIRST_DAY + timedelta(seconds=rng.randrange(span))
        second = 0 if minutes_only else rng.randrange(60)
        times.append(day.replace(hour=rng.randint(7, 21), minute=rng.randrange(60), second=second))
    return sorted(times)


def published(when: datetime) -> str:
    """ISO 8601 with the +08:00 offset the portals publish in."""
    return f"{when:%Y-%m-%dT%H:%M:%S}+08:00"


@dataclasses.dataclass
class _Entry:
    portal: PortalSpec
    section: str
    when: datetime
    kind: str = "article"
    ident: int = 0
    url_when: datetime | None = None
    status: int = 0
    note: str = ""

    @property
    def url_day(self) -> datetime:
        return self.url_when or self.when


def _entries(portal: PortalSpec) -> list[_Entry]:
    entries: list[_Entry] = []
    for section in portal.sections:
        if (portal.id, section.id) not in SECTION_PLANS:
            continue
        count, _ = SECTION_PLANS[(portal.id, section.id)]
        rng = _rng(portal.id, section.id, "times")
        for when in _times(rng, count, minutes_only=portal is JS):
            entry = _Entry(portal, section.id, when)
            if portal is SN and rng.random() < 0.06:
                entry.url_when = when - timedelta(days=1)
            entries.append(entry)
    if portal is SN:
        rng = _rng(portal.id, "broken")
        for kind, status, note in SN_LISTED_BROKEN:
            when = _times(rng, 1, False)[0]
            entries.append(_Entry(portal, "sxyw", when, kind=kind, status=status, note=note))
    entries.sort(key=lambda e: e.when)
    rng = _rng(portal.id, "ids")
    ident, low, high = ID_STEPS[portal.id]
    for entry in entries:
        ident += rng.randint(low, high)
        entry.ident = ident
    return entries


def _path(entry: _Entry) -> str:
    day = entry.url_day
    if entry.portal is JS:
        column = JPAAS_COLUMNS[entry.section][0]
        return f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{entry.ident}.html"
    if entry.portal is GD:
        return f"/gdywdt/{entry.section}/content/post_{entry.ident}.html"
    return f"/xw/{entry.section}/{day:%Y%m}/t{day:%Y%m%d}_{entry.ident}.shtml"


def _scope(rng: random.Random, portal: PortalSpec, section: str, index: int) -> Scope:
    province, places, _, _ = PLACES[portal.id]
    if SECTION_PLANS[(portal.id, section)][1]:
        return province_scope(province, places)
    names = list(places)
    short = names[(index + rng.randrange(len(names))) % len(names)]
    full, counties, _ = places[short]
    return local_scope(province, full, short, counties)


def _source(rng: random.Random, portal: PortalSpec, scope: Scope) -> str:
    _, _, departments, sources = PLACES[portal.id]
    roll = rng.random()
    if scope.region != "全省" and roll < 0.3:
        return scope.department
    if roll > 0.9:
        return rng.choice(departments)[1]
    return rng.choice(sources)


def _draft(rng: random.Random, scope: Scope, when: datetime, titles: set[str]) -> Draft:
    draft = generate(rng, scope, when - timedelta(days=rng.randint(0, 2)))
    while draft.title in titles:
        draft = generate(rng, scope, when)
    titles.add(draft.title)
    return Draft(draft.title, None, draft.blocks, draft.topic)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _attachment_path(rng: random.Random, entry: _Entry, path: str, ext: str) -> str:
    if entry.portal is JS:
        return f"/attach/0/{entry.when:%y%m%d%H%M}{_digits(rng, 6)}.{ext}"
    if entry.portal is GD:
        middle = rng.randint(500_000, 599_999)
        return f"/attachment/0/{middle // 1000}/{middle}/{entry.ident + 1}.{ext}"
    directory = path.rsplit("/", 1)[0]
    return f"{directory}/P0{entry.when:%Y%m%d}{_digits(rng, 12)}.{ext}"


def _attachments(rng: random.Random, entry: _Entry, path: str, draft: Draft,
                 scope: Scope) -> list[AttachmentSpec]:
    names = (
        f"关于印发{scope.region}{draft.topic.name}实施方案的通知",
        f"{entry.when.year}年{draft.topic.name}重点工作清单",
        f"{scope.region}{draft.topic.name}政策问答",
    )
    found = []
    for name in rng.sample(names, rng.randint(1, 2)):
        ext, mime = rng.choice((("pdf", PDF_MIME), ("docx", DOCX_MIME)))
        found.append(AttachmentSpec(_attachment_path(rng, entry, path, ext), f"{name}.{ext}", mime))
    return found


def _sn_href(path: str, index: int) -> str:
    style = SN_LINK_STYLES.get(index % 10, "")
    if style.startswith("_"):
        return path.replace(".shtml", style + ".shtml")
    return path + style


def _add_portal(builder: SiteBuilder, portal: PortalSpec, titles: set[str]) -> None:
    entries = _entries(portal)
    counters: dict[str, int] = {}
    attached = 0
    for position, entry in enumerate(entries):
        path = _path(entry)
        rng = _rng(portal.id, entry.section, str(entry.ident))
        index = counters.get(entry.section, 0)
        counters[entry.section] = index + 1
        scope = _scope(rng, portal, entry.section, index)
        draft = _draft(rng, scope, entry.when, titles)
        item_date = f"{entry.when:%Y-%m-%d}"
        if entry.kind != "article":
            builder.broken.append(BrokenSpec(portal.id, entry.section, path, entry.kind,
                                             entry.status, entry.note))
            builder.lists.setdefault((portal.id, entry.section), []).append(
                (entry.when, ListItem(path, draft.title, item_date)))
            continue
        attachments: list[AttachmentSpec] = []
        left = len(entries) - position
        forced = attached < MIN_ATTACHED and left <= 2 * (MIN_ATTACHED - attached)
        if rng.random() < ATTACHMENT_SHARE or forced:
            attachments = _attachments(rng, entry, path, draft, scope)
            attached += 1
        author = None
        if rng.random() < 0.25:
            author = "、".join(person_name(rng) for _ in range(rng.randint(1, 2)))
        when = entry.when
        alternates: tuple[str, ...] = ()
        if portal is SN:
            alternates = (path.replace(".shtml", "_wap.shtml"),
                          path.replace(".shtml", "_senior.shtml"))
        text = body_text(draft.blocks)
        builder.articles.append(ArticleSpec(
            portal_id=portal.id, section_ids=(entry.section,), path=path, title=draft.title,
            kicker=None, published_at=published(when), source=_source(rng, portal, scope),
            author=author, text=text, attachments=attachments, alternates=alternates,
        ))
        builder.details[(portal.id, path)] = ArticleDetail(
            blocks=draft.blocks, style=rng.randrange(3), keywords=draft.topic.keywords,
            description=text.split("\n", 1)[0][:80], editor=person_name(rng),
            views=rng.randint(120, 9800),
        )
        href = _sn_href(path, index) if portal is SN else path
        builder.lists.setdefault((portal.id, entry.section), []).append(
            (when, ListItem(href, draft.title, item_date)))
    if portal is SN:
        for section_id, (kind, status, note) in SN_PROTECTED.items():
            section = portal.section(section_id)
            builder.broken.append(BrokenSpec(portal.id, section_id, section.list_path, kind,
                                             status, note + "; every URL under "
                                             + section.list_path.rsplit("/", 1)[0] + "/"))
            builder.lists[(portal.id, section_id)] = []


def _gd_traps(builder: SiteBuilder) -> None:
    newest = max(when for when, _ in builder.lists[(GD.id, "gdyw")])
    month = newest.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    builder.traps.append(TrapSpec(
        GD.id, "gdyw", f"/gdywdt/gdyw/index.html?date={following:%Y-%m-%d}", "calendar",
        r"^/gdywdt/gdyw/index\.html\?date=\d{4}-\d{2}-\d{2}$",
        "calendar widget on every 广东要闻 list page: day links ?date=YYYY-MM-DD and « » "
        "month links (» is a next-page label); every month page links the next month, forever",
    ))
    builder.traps.append(TrapSpec(
        GD.id, None, "/gdywdt/archive/index.html", "endless-pager",
        r"^/gdywdt/archive/index(?:_\d+)?\.html$",
        "往期归档, linked from every 地市动态 list page: index_N.html for any N, none holds "
        "an article, each offers 下一页 to index_{N+1}.html",
    ))


# --- tampered and lottery pages on sample-yn's 州市动态 --------------------------------------

_T = "http://"
# (time, kinds, evidence, injections as (place, markup)); place is "head", "top" (after
# <body>), "body" (inside the article body, after its first paragraph) or "footer".
TAMPERED: tuple[tuple[datetime, tuple[str, ...], tuple[str, ...],
                      tuple[tuple[str, str], ...]], ...] = (
    (datetime(2023, 3, 14, 10, 26, 41), ("hidden-link",),
     ("www.365bet-example.com", "365bet体育在线", "display:none"),
     (("body", f'<div style="display:none"><a href="{_T}www.365bet-example.com/">'
               f'365bet体育在线</a> <a href="{_T}www.365bet-example.com/tz/">365bet体育投注</a>'
               "</div>"),)),
    (datetime(2023, 6, 20, 15, 8, 12), ("hidden-link",),
     ("www.amjs-example.com", "澳门金沙娱乐城", "visibility:hidden", "text-indent:-9999px"),
     (("body", f'<p style="visibility:hidden"><a href="{_T}www.amjs-example.com/">'
               "澳门金沙娱乐城</a></p>"),
      ("body", f'<p style="text-indent:-9999px;overflow:hidden"><a href="{_T}'
               f'www.amjs-example.com/vip/">金沙娱乐场官网</a></p>'))),
    (datetime(2023, 9, 7, 9, 41, 55), ("hidden-link",),
     ("www.hgty-example.com", "皇冠体育", "font-size:0", "position:absolute;left:-9999px"),
     (("top", f'<div style="position:absolute;left:-9999px;top:-9999px"><a href="{_T}'
              f'www.hgty-example.com/">皇冠体育</a><a href="{_T}www.hgty-example.com/bf/">'
              "皇冠足球比分</a></div>"),
      ("footer", f'<p style="font-size:0"><a href="{_T}www.hgty-example.com/app/">'
                 "皇冠体育APP下载</a></p>"))),
    (datetime(2024, 1, 16, 16, 22, 3), ("script-redirect",),
     ("www.xpj-example.com", "document.referrer", "window.location.href"),
     (("head", '<script type="text/javascript">if(document.referrer.indexOf("baidu.com")>-1'
               '||document.referrer.indexOf("sogou.com")>-1||document.referrer.indexOf('
               f'"so.com")>-1){{window.location.href="{_T}www.xpj-example.com/";}}</script>'),)),
    (datetime(2024, 4, 25, 11, 37, 29), ("script-link",),
     ("www.xpj-example.com", "document.write", "新葡京娱乐场"),
     (("body", "<script type=\"text/javascript\">document.write('<a href=\""
               f"{_T}www.xpj-example.com/\" target=\"_blank\">新葡京娱乐场</a>');</script>"),)),
)

# (time, title, source, paragraphs) of two ordinary state-lottery news items.
LOTTERY: tuple[tuple[datetime, str, str, tuple[str, ...]], ...] = (
    (datetime(2024, 7, 9, 10, 5, 48), "昆明市福利彩票公益金助力社区养老服务提质增效",
     "昆明日报", (
        "近日，记者从昆明市民政局获悉，今年上半年全市福利彩票公益金共投入社区养老服务项目46个，"
        "支持建设社区居家养老服务中心（站）23个，惠及老年人3.2万人次。",
        "福利彩票“扶老、助残、救孤、济困”的发行宗旨在昆明落地生根。市福利彩票发行中心有关负责人介绍，"
        "福利彩票公益金严格按照规定用途使用，全部纳入政府性基金预算管理，接受审计和社会监督。",
        "在呈贡区一家社区养老服务站，80岁的张秀英老人正在参加书法兴趣班。"
        "“这里有午餐、有理疗，还有人陪我们聊天，比一个人在家热闹多了。”她说。",
        "据了解，昆明市现有福利彩票销售网点1200余个，双色球、快乐8等玩法销售平稳，"
        "2023年全市销售福利彩票18.6亿元，筹集公益金5.4亿元。",
        "市民政部门提醒广大购彩者理性购彩、量力而行，未成年人不得购买彩票。",
        "下一步，昆明市将继续加强福利彩票公益金项目管理，推动公益金更多投向基层、投向民生，"
        "让更多困难群众感受到福利彩票的公益温度。",
    )),
    (datetime(2024, 10, 22, 14, 51, 16), "玉溪市体育彩票公益金支持全民健身设施建设",
     "玉溪日报", (
        "今年以来，玉溪市利用体育彩票公益金新建和更新全民健身路径62条、笼式多功能运动场9个，"
        "城乡“15分钟健身圈”进一步完善。",
        "体育彩票是国家公益彩票。市体育局有关负责人介绍，2023年全市销售体育彩票9.8亿元，"
        "筹集体彩公益金2.6亿元，公益金主要用于全民健身、青少年体育和基层体育设施建设。",
        "在红塔区一家体育彩票投注站，店主李海燕向记者介绍，"
        "店里长期张贴“理性购彩 快乐健康”的宣传标语，对未成年人一律不予售彩。",
        "“每次买几注大乐透，既是娱乐，也是为公益事业出一份力。”正在购彩的市民王建国说。",
        "下一步，玉溪市将持续规范体育彩票市场管理，加强对销售网点的监督检查，"
        "引导购彩者理性购彩，推动体育彩票事业健康可持续发展。",
    )),
)


def _yn_ident(builder: SiteBuilder, when: datetime, taken: set[int]) -> int:
    """A TRS id just above the last sample-yn article published before `when`."""
    before = [a for a in builder.articles if a.portal_id == YN.id
              and a.published_at[:19] < f"{when:%Y-%m-%dT%H:%M:%S}"]
    newest = max(before, key=lambda a: a.published_at)
    ident = int(newest.path.rsplit("_", 1)[1].split(".")[0]) + 1
    while ident in taken:
        ident += 1
    taken.add(ident)
    return ident


def _add_yn_page(builder: SiteBuilder, when: datetime, ident: int, title: str, source: str,
                 blocks: tuple[Block, ...], keywords: str,
                 injections: tuple[tuple[str, str], ...]) -> str:
    path = f"{YN.section('zsdt').path}{when:%Y%m}/t{when:%Y%m%d}_{ident}.html"
    rng = _rng(YN.id, "tamper", path)
    text = body_text(blocks)
    builder.articles.append(ArticleSpec(
        portal_id=YN.id, section_ids=("zsdt",), path=path, title=title, kicker=None,
        published_at=published(when), source=source, author=None, text=text,
    ))
    builder.details[(YN.id, path)] = ArticleDetail(
        blocks=blocks, style=rng.randrange(3), keywords=keywords,
        description=text.split("\n", 1)[0][:80], editor=person_name(rng),
        views=rng.randint(120, 9800), injections=injections, added=True,
    )
    builder.lists[(YN.id, "zsdt")].append((when, ListItem(path, title, f"{when:%Y-%m-%d}")))
    return path


def _add_yn_tamper(builder: SiteBuilder, titles: set[str]) -> None:
    taken: set[int] = set()
    builder.tamper.append(TamperSpec(YN.id, SEED_PATH, ("injected-terms",), ("365bet体育在线",)))
    names = list(YN_PREFECTURES)
    for number, (when, kinds, evidence, injections) in enumerate(TAMPERED):
        rng = _rng(YN.id, "tamper", str(number))
        full, counties, _ = YN_PREFECTURES[names[(number * 5 + 2) % len(names)]]
        scope = local_scope("云南", full, full[:-1], counties)
        draft = _draft(rng, scope, when, titles)
        path = _add_yn_page(builder, when, _yn_ident(builder, when, taken), draft.title,
                            rng.choice(YN_SOURCES), draft.blocks, draft.topic.keywords,
                            injections)
        builder.tamper.append(TamperSpec(YN.id, path, kinds, evidence))
    for when, title, source, paragraphs in LOTTERY:
        titles.add(title)
        blocks = tuple(Block("p", p) for p in paragraphs)
        path = _add_yn_page(builder, when, _yn_ident(builder, when, taken), title, source,
                            blocks, "福利彩票,体育彩票,公益金", ())
        builder.tamper.append(TamperSpec(YN.id, path, ("none",), ()))


def _add_mirror(builder: SiteBuilder) -> None:
    originals = {a.path: a for a in builder.articles if a.portal_id == YN.id}
    candidates = sorted(
        path for path, a in originals.items()
        if a.section_ids == ("zsdt",) and not a.attachments and path != SEED_PATH
        and not builder.details[(YN.id, path)].added
        and all(b.kind != "image" for b in builder.details[(YN.id, path)].blocks)
    )
    copied = _rng(MIRROR.id, "copies").sample(candidates, 2)
    markers = ("滇ICP备05000002号", "5300000033", "云南省人民政府")
    for path in (SEED_PATH, *sorted(copied)):
        original = originals[path]
        builder.articles.append(dataclasses.replace(original, portal_id=MIRROR.id,
                                                    section_ids=("zsdt",)))
        builder.details[(MIRROR.id, path)] = builder.details[(YN.id, path)]
        when = datetime.fromisoformat(original.published_at).replace(tzinfo=None)
        builder.lists.setdefault((MIRROR.id, "zsdt"), []).append(
            (when, ListItem(path, original.title, f"{when:%Y-%m-%d}")))
        if path == SEED_PATH:
            evidence = (*markers, "365bet体育在线", "365bet体育投注")
            builder.tamper.append(TamperSpec(MIRROR.id, path, ("mirror", "injected-terms"),
                                             evidence))
        else:
            builder.tamper.append(TamperSpec(MIRROR.id, path, ("mirror",), markers))


def add_new_portals(builder: SiteBuilder) -> None:
    """Add sample-js, sample-gd, sample-sn, the sample-yn tamper pages and sample-mirror."""
    titles = {a.title for a in builder.articles}
    for portal in (JS, GD, SN):
        _add_portal(builder, portal, titles)
    _gd_traps(builder)
    _add_yn_tamper(builder, titles)
    _add_mirror(builder)
