"""The fault portal sample-faults (甘肃-style, TRS WCM): its articles, faults and pages.

Its 工作动态 list holds 20 ordinary articles and one article-like link to each fault of
`FAULT_KINDS`; its 通知公告 list pages without end. `build_fault_site().faults` says, for each
fault, what a correct crawler ends up with (`FaultSpec.expect`):

- "article": stored as the ArticleSpec of the same path (after decoding or parsing it right);
- "retry-then-article": fails first (500/503 with `Retry-After: 1`), then answers; the
  ArticleSpec is what must be stored, once;
- "failure:<kind>": recorded as a failure of that kind, nothing stored as an article
  (kinds: timeout, network, truncated, redirect, too-large, not-html, challenge);
- "bounded": a trap that a crawler must stop following (endless pagination).
"""

from __future__ import annotations

import dataclasses
import random
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.sample_portal.htmlkit import attr, esc, rel, render_blocks
from crawler.sample_portal.specs import ArticleSpec, Block, ListItem, PortalSpec, SectionSpec
from crawler.sample_portal.text import body_text
from crawler.sample_portal.textgen import generate, local_scope, province_scope

FAULTS = PortalSpec(
    id="sample-faults",
    name="甘肃省人民政府（故障注入样例）",
    cms="trs",
    site_id_code="6200000001",
    domain="www.gansu.gov.cn",
    sections=[
        SectionSpec("gzdt", "工作动态", "/xwzx/gzdt/"),
        SectionSpec("tzgg", "通知公告", "/xwzx/tzgg/"),
    ],
    note="fault-injecting sample portal (timeouts, resets, 5xx, bad bodies)",
)
GS_FOOTER = {
    "host": "甘肃省人民政府办公厅",
    "operator": "甘肃省大数据中心",
    "hotline": "12345",
    "icp": "陇ICP备05000178号",
    "police": "甘公网安备 62010202000456号",
    "police_code": "62010202000456",
}
GS_CITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "兰州": ("兰州市", ("城关区", "七里河区", "榆中县", "皋兰县"), "www.lanzhou.gov.cn"),
    "天水": ("天水市", ("秦州区", "麦积区", "甘谷县", "秦安县"), "www.tianshui.gov.cn"),
    "酒泉": ("酒泉市", ("肃州区", "敦煌市", "玉门市", "瓜州县"), "www.jiuquan.gov.cn"),
    "张掖": ("张掖市", ("甘州区", "临泽县", "高台县", "山丹县"), "www.zhangye.gov.cn"),
    "定西": ("定西市", ("安定区", "陇西县", "通渭县", "渭源县"), "www.dingxi.gov.cn"),
}
GS_SOURCES = ["甘肃日报", "甘肃日报", "新华社", "省政府办公厅"]

DEFAULT_CLIENT_TIMEOUT = 5.0
NORMAL_ARTICLES = 20
NOTICE_ARTICLES = 2

# Fault kind -> (expected outcome, what the server does).
FAULT_KINDS: dict[str, tuple[str, str]] = {
    "timeout": ("failure:timeout", "reads the request, then sleeps longer than the client "
                                   "timeout and closes the connection without an answer"),
    "reset": ("failure:network", "sends the status line, headers and part of the body, then "
                                 "resets the connection (RST)"),
    "retry-500": ("retry-then-article", "HTTP 500 with Retry-After: 1 on the 1st attempt, "
                                        "the article on the 2nd"),
    "retry-503": ("retry-then-article", "HTTP 503 with Retry-After: 1 on the 1st and 2nd "
                                        "attempts, the article on the 3rd"),
    "truncated-gzip": ("failure:truncated", "Content-Encoding: gzip, the gzip stream cut in "
                                            "half (Content-Length matches the cut body)"),
    "wrong-charset": ("article", "a GBK page served with Content-Type: text/html; "
                                 "charset=utf-8 (the meta tag says gbk)"),
    "redirect-loop": ("failure:redirect", "302 to a second URL, which 302s back"),
    "huge": ("failure:too-large", "a 50 MB page (Content-Length given), generated while sent"),
    "gzip-bomb": ("failure:too-large", "a ~1 MB gzip body that inflates to 1 GiB of spaces"),
    "malformed": ("article", "unclosed tags, stray end tags and junk bytes around a real "
                             "article"),
    "pdf": ("failure:not-html", "a PDF (application/pdf) at an article URL"),
    "challenge": ("failure:challenge", "瑞数-style HTTP 412 challenge with a cookie"),
}
ENDLESS = ("endless-pagination", "bounded",
           "通知公告: index_N.html for every N, each with createPageHTML(N+2, N, …) and a "
           "下一页 link to index_{N+1}.html; only the first page lists articles")


@dataclass(frozen=True)
class FaultSpec:
    """One fault: the path that triggers it, its kind and the outcome a correct crawler has."""

    path: str
    kind: str
    expect: str
    note: str = ""


@dataclass(frozen=True)
class FaultSite:
    """What the fault server serves: its portal, the articles to store and the faults."""

    portal: PortalSpec
    articles: list[ArticleSpec]
    faults: list[FaultSpec]
    lists: dict[str, list[ListItem]] = field(default_factory=dict, repr=False)
    blocks: dict[str, tuple[Block, ...]] = field(default_factory=dict, repr=False)

    def fault(self, kind: str) -> FaultSpec:
        """The fault of this kind."""
        return next(f for f in self.faults if f.kind == kind)

    def article(self, path: str) -> ArticleSpec:
        """The article at this path."""
        return next(a for a in self.articles if a.path == path)


def seeded(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(parts).encode("utf-8")))


def draft_article(rng: random.Random, section: str, path: str, when: datetime,
             titles: set[str]) -> tuple[ArticleSpec, tuple[Block, ...]]:
    names = list(GS_CITIES)
    if rng.random() < 0.5:
        scope = province_scope("甘肃", GS_CITIES)
    else:
        full, counties, _ = GS_CITIES[rng.choice(names)]
        scope = local_scope("甘肃", full, full[:-1], counties)
    draft = generate(rng, scope, when)
    while draft.title in titles:
        draft = generate(rng, scope, when)
    titles.add(draft.title)
    spec = ArticleSpec(
        portal_id=FAULTS.id, section_ids=(section,), path=path, title=draft.title, kicker=None,
        published_at=f"{when:%Y-%m-%dT%H:%M:%S}+08:00", source=rng.choice(GS_SOURCES),
        author=None, text=body_text(draft.blocks),
    )
    return spec, draft.blocks


def build_fault_site() -> FaultSite:
    """The fault portal, deterministically."""
    rng = seeded(FAULTS.id, "times")
    titles: set[str] = set()
    articles: list[ArticleSpec] = []
    blocks: dict[str, tuple[Block, ...]] = {}
    lists: dict[str, list[ListItem]] = {"gzdt": [], "tzgg": []}
    faults: list[FaultSpec] = []
    when = datetime(2026, 3, 2, 9, 12, 5)
    ident = 3_810_000
    plan = ["article"] * NORMAL_ARTICLES + list(FAULT_KINDS)
    seeded(FAULTS.id, "order").shuffle(plan)
    for kind in plan:
        when += timedelta(hours=rng.randint(20, 40), minutes=rng.randrange(60))
        ident += rng.randint(40, 400)
        path = f"/xwzx/gzdt/{when:%Y%m}/t{when:%Y%m%d}_{ident}.html"
        spec, body = draft_article(seeded(FAULTS.id, path), "gzdt", path, when, titles)
        if kind == "malformed":
            body = tuple(b for b in body if b.kind in ("p", "subhead"))
            spec = dataclasses.replace(spec, text=body_text(body))
        if kind == "article" or FAULT_KINDS[kind][0] in ("article", "retry-then-article"):
            articles.append(spec)
            blocks[path] = body
        if kind != "article":
            expect, note = FAULT_KINDS[kind]
            faults.append(FaultSpec(path, kind, expect, note))
        lists["gzdt"].append(ListItem(path, spec.title, f"{when:%Y-%m-%d}"))
    for _ in range(NOTICE_ARTICLES):
        when += timedelta(hours=rng.randint(20, 40))
        ident += rng.randint(40, 400)
        path = f"/xwzx/tzgg/{when:%Y%m}/t{when:%Y%m%d}_{ident}.html"
        spec, body = draft_article(seeded(FAULTS.id, path), "tzgg", path, when, titles)
        articles.append(spec)
        blocks[path] = body
        lists["tzgg"].append(ListItem(path, spec.title, f"{when:%Y-%m-%d}"))
    kind, expect, note = ENDLESS
    faults.append(FaultSpec("/xwzx/tzgg/index_1.html", kind, expect, note))
    for items in lists.values():
        items.reverse()
    return FaultSite(FAULTS, articles, faults, lists, blocks)


# --- pages -------------------------------------------------------------------------------------


def portal_page(title: str, metas: list[tuple[str, str]], main: str, charset: str = "utf-8") -> str:
    pairs = [("SiteName", FAULTS.name), ("SiteDomain", FAULTS.domain),
             ("SiteIDCode", FAULTS.site_id_code), *metas]
    meta = "\n".join(f'<meta name="{n}" content="{attr(v)}">' for n, v in pairs)
    f = GS_FOOTER
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
{meta}
<title>{esc(title)}</title>
</head>
<body>
<div class="header"><div class="logo">甘肃省人民政府</div>
<div class="nav"><a href="/index.html">首页</a><a href="/xwzx/gzdt/">工作动态</a>\
<a href="/xwzx/tzgg/">通知公告</a></div></div>
{main}
<div class="footer"><p><a href="/wzdt/index.html">网站地图</a> | \
<a href="/lxwm/index.html">联系我们</a></p>
<p>主办单位：{f["host"]}　运行维护：{f["operator"]}　政务服务便民热线：{f["hotline"]}</p>
<p>{f["icp"]}　政府网站标识码：{FAULTS.site_id_code}　{f["police"]}</p>
<p>网站支持IPv6</p></div>
</body>
</html>
"""


def article_page(spec: ArticleSpec, blocks: tuple[Block, ...], charset: str = "utf-8") -> str:
    """A TRS-style article page."""
    pub = spec.published_at
    section = FAULTS.section(spec.section_ids[0])
    metas = [("ColumnName", section.name), ("ArticleTitle", spec.title),
             ("PubDate", f"{pub[:10]} {pub[11:16]}"), ("ContentSource", spec.source)]
    body = render_blocks(blocks, 0, seeded(spec.path), {})
    main = f"""<div class="main"><div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; \
<a href="{section.path}">{esc(section.name)}</a></div>
<div class="detail">
<h1>{esc(spec.title)}</h1>
<div class="detail_info"><span>来源：{esc(spec.source)}</span>\
<span>发布时间：{pub[:10]} {pub[11:19]}</span></div>
<div class="TRS_Editor">
{body}
</div>
</div></div>"""
    return portal_page(f"{spec.title}_{section.name}_{FAULTS.name}", metas, main, charset)


def malformed_page(spec: ArticleSpec, blocks: tuple[Block, ...]) -> bytes:
    """The article with unclosed and misnested tags, stray end tags and junk bytes around it.

    The paragraphs themselves (`<p>` never closed, ended by the next one or by `</div>`)
    parse to the same text in any HTML parser.
    """
    if any(b.kind not in ("p", "subhead") for b in blocks):
        raise ValueError("the malformed page renders paragraphs and subheads only")
    pub = spec.published_at
    paragraphs = "\n".join(f"<p>{esc(b.text)}" if b.kind == "p" else f"<p><b>{esc(b.text)}</b>"
                           for b in blocks)
    metas = "".join(f'<meta name="{n}" content="{attr(v)}">' for n, v in (
        ("SiteName", FAULTS.name), ("ArticleTitle", spec.title),
        ("PubDate", f"{pub[:10]} {pub[11:16]}"), ("ContentSource", spec.source)))
    html = f"""<html><head><meta charset="utf-8"><title>{esc(spec.title)}</title>
{metas}
<body><div class="header"><div class="nav"><a href="/index.html">首页<a href="/xwzx/gzdt/">工作动态
</div>
<div class="ad"><font color=red><b>@@JUNK@@</font></b></td></tr></table></div>
<div class="detail"><h1>{esc(spec.title)}</h1>
<div class="detail_info"><span>来源：{esc(spec.source)}<span>发布时间：{pub[:10]} {pub[11:19]}</div>
<div class="TRS_Editor">
{paragraphs}
</div>
</div>
<div class="footer">主办单位：{GS_FOOTER["host"]}<p>{GS_FOOTER["icp"]}
"""
    junk = bytes(range(0x80, 0x90)) + b"\x1b\x7f\xfe\xff<<>>&&"
    return html.encode("utf-8").replace(b"@@JUNK@@", junk)


def list_page(section_id: str, items: list[ListItem], number: int, pages: int,
              next_link: bool = False) -> str:
    """A TRS list page (createPageHTML(pages, number, "index", "html"))."""
    section = FAULTS.section(section_id)
    path = section.path + ("index.html" if number == 0 else f"index_{number}.html")
    lis = "\n".join(f'<li><a href="{attr(rel(path, i.path))}" target="_blank">{esc(i.title)}'
                    f"</a><span>{i.date}</span></li>" for i in items)
    more = f'<a href="index_{number + 1}.html">下一页</a>' if next_link else ""
    main = f"""<div class="main"><div class="list_right"><div class="tit">{esc(section.name)}</div>
<ul class="list">
{lis}
</ul>
<div class="page"><script type="text/javascript">
createPageHTML({pages}, {number}, "index", "html");
</script>{more}</div></div></div>"""
    metas = [("ColumnName", section.name), ("ColumnType", section.name)]
    return portal_page(f"{section.name}_{FAULTS.name}", metas, main)


