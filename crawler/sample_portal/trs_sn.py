"""Pages of a TRS portal with the newer pager (modelled on 陕西 www.shaanxi.gov.cn).

Lists `list.shtml`, `list_1.shtml` … carry their page count only in
`createPageHTML('page_div', countPage, currentPage, 'list', 'shtml', records)`. Articles
`/xw/sxyw/YYYYMM/tYYYYMMDD_ID.shtml` also exist as `…_wap.shtml` and `…_senior.shtml`
(other templates, same article); some list links point at those copies or carry tracking
parameters. Three sections answer every request with a challenge or a refusal.
"""

from __future__ import annotations

import functools
from datetime import datetime

from . import challenge
from .assets import asset
from .chrome import (
    article_body,
    article_metas,
    breadcrumb,
    column_meta,
    meta_tags,
    page_end,
    simple_meta,
    site_meta,
    static_pages,
)
from .htmlkit import attr, esc, rel
from .newsite import SN_PROTECTED
from .portals import SN_FOOTER
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, attachment, published
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SampleSite, SectionSpec
from .vocab import SN_CITIES

PER_PAGE = 12
HOT = 5
RELATED = 4
NAV = [("首页", "/index.html"), ("陕西要闻", "/xw/sxyw/list.shtml"),
       ("市区动态", "/xw/sqdt/list.shtml"), ("部门信息", "/xw/bmxx/list.shtml"),
       ("政策解读", "/zwgk/zcjd/list.shtml"), ("政务服务", "https://zwfw.shaanxi.gov.cn/")]


def href(from_path: str, target: str) -> str:
    """A TRS-style relative link that keeps the target's query string."""
    path, sep, query = target.partition("?")
    return rel(from_path, path) + sep + query


def _head(portal: PortalSpec, title: str, metas: list[tuple[str, str]], extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{meta_tags([*site_meta(portal), *metas])}
<title>{esc(title)}</title>
<style type="text/css">
{asset("sn.css")}
</style>{extra}
</head>
"""


def _header() -> str:
    menu = "".join(f'<a href="{attr(h)}">{esc(n)}</a>' for n, h in NAV)
    return f"""<body>
<div class="wid top"><a href="https://www.gov.cn/" target="_blank">中国政府网</a>　\
<a href="/wzdt/index.html">网站地图</a>　<a href="javascript:void(0);">无障碍</a></div>
<div class="header"><div class="wid"><div class="logo">陕西省人民政府</div></div></div>
<div class="menu"><div class="wid">{menu}</div></div>
"""


_footer = functools.partial(page_end, province="陕西", cities=SN_CITIES, footer=SN_FOOTER,
                            links_class="wid links", footer_class="foot")
_bread = functools.partial(breadcrumb, "wid bread", "当前位置：")


def page_path(section: SectionSpec, number: int) -> str:
    """list.shtml, list_1.shtml … of a section."""
    directory = section.list_path.rsplit("/", 1)[0]
    return f"{directory}/list.shtml" if number == 0 else f"{directory}/list_{number}.shtml"


def _hot_target(article: ArticleSpec, index: int) -> str:
    if index % 2:
        return article.alternates[1]
    return article.path + "?from=groupmessage&isappinstalled=0"


def list_page(portal: PortalSpec, section: SectionSpec, items: list[ListItem], number: int,
              pages: int, records: int, hot: list[ArticleSpec]) -> str:
    """One list page; the page count is only in the newer createPageHTML call."""
    path = page_path(section, number)
    lis = "\n".join(
        f'<li><a href="{attr(href(path, i.path))}" target="_blank" title="{attr(i.title)}">'
        f"{esc(i.title)}</a><span>{i.date}</span></li>"
        for i in items
    )
    hot_items = "\n".join(
        f'<li><a href="{attr(href(path, _hot_target(a, n)))}" target="_blank">{esc(a.title)}</a>'
        "</li>"
        for n, a in enumerate(hot)
    )
    pager = f'\n<script type="text/javascript">\n{asset("sn_pager.js")}\n</script>'
    bread = _bread(("首页", "/index.html"), ("新闻", "/xw/sxyw/list.shtml"),
                   (section.name, "./list.shtml"))
    return _head(portal, f"{section.name}-{portal.name}", column_meta(portal, section),
                 pager) + _header() + f"""{bread}
<div class="wid clearfix">
<div class="list-l">
<h2 class="list-tit">{esc(section.name)}</h2>
<ul>
{lis}
</ul>
<div id="page_div"></div>
<script type="text/javascript">
createPageHTML('page_div', {pages}, {number}, 'list', 'shtml', {records});
</script>
</div>
<div class="list-r hot"><h3>热点推荐</h3><ul>
{hot_items}
</ul></div>
</div>
""" + _footer(portal)


def _attachments(article: ArticleSpec) -> str:
    if not article.attachments:
        return ""
    links = "\n".join(f'<p><a href="{attr(rel(article.path, a.path))}" target="_blank">'
                      f"{esc(a.filename)}</a></p>" for a in article.attachments)
    return f'<div class="info-fj"><p>附件：</p>\n{links}\n</div>'


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail, related: list[ArticleSpec]) -> str:
    """The plain copy: body in #info-cont > .TRS_UEDITOR, links to the other copies."""
    pub = article.published_at
    wap, senior = article.alternates
    author = f"\n<span>作者：{esc(article.author)}</span>" if article.author else ""
    items = "\n".join(f'<li><a href="{attr(rel(article.path, a.path))}" target="_blank">'
                      f"{esc(a.title)}</a></li>" for a in related)
    bread = _bread(("首页", "/index.html"), ("新闻", "/xw/sxyw/list.shtml"),
                   (section.name, "../list.shtml"))
    metas = article_metas(portal, section, article, detail, article.path)
    return _head(portal, f"{article.title}-{portal.name}", metas) + _header() + f"""{bread}
<div class="wid info-box">
<h1 class="info-tit">{esc(article.title)}</h1>
<div class="info-source"><span>来源：{esc(article.source)}</span>{author}\
<span>发布时间：{pub[:10]} {pub[11:19]}</span><span>浏览次数：<b>{detail.views}</b></span></div>
<div class="info-tools"><a href="{rel(article.path, senior)}">长者版</a>\
<a href="{rel(article.path, wap)}">手机版</a><a href="javascript:window.print();">打印</a></div>
<div id="info-cont" class="info-cont">
<div class="view TRS_UEDITOR trs_paper_default trs_web">
{article_body(article, detail, detail.style)}
</div>
</div>
{_attachments(article)}
<div class="info-editor">责任编辑：{esc(detail.editor)}</div>
<div class="related"><h3>相关阅读</h3><ul>
{items}
</ul></div>
</div>
""" + _footer(portal)


def wap_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
             detail: ArticleDetail) -> str:
    """The `_wap` copy: a mobile template."""
    pub = article.published_at
    wap = article.alternates[0]
    author = f"<span>{esc(article.author)}</span>" if article.author else ""
    f = SN_FOOTER
    return f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, user-scalable=no">
{meta_tags([*site_meta(portal), *article_metas(portal, section, article, detail, wap)])}
<title>{esc(article.title)}</title>
<style type="text/css">body{{margin:0;font:16px/1.8 sans-serif}}.m-head{{background:#c81623;\
color:#fff;padding:10px}}.m-article{{padding:12px}}.m-title{{font-size:21px}}\
.m-info{{color:#999;font-size:13px}}.m-info span{{margin-right:8px}}</style>
</head>
<body class="wap">
<header class="m-head"><a href="/index.html" style="color:#fff">陕西省人民政府</a></header>
<div class="m-article">
<h1 class="m-title">{esc(article.title)}</h1>
<div class="m-info"><span>{esc(article.source)}</span>{author}\
<span>{pub[:10]} {pub[11:16]}</span></div>
<div class="m-content">
{article_body(article, detail, 0)}
</div>
</div>
<footer class="m-foot"><p>主办单位：{f["host"]}</p>
<p>{f["icp"]}　政府网站标识码：{portal.site_id_code}</p>
<p><a href="{rel(wap, article.path)}">电脑版</a></p></footer>
</body>
</html>
"""


def senior_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                detail: ArticleDetail) -> str:
    """The `_senior` copy (适老化): large type, a template of its own."""
    pub = article.published_at
    senior = article.alternates[1]
    author = f"　作者：{esc(article.author)}" if article.author else ""
    metas = article_metas(portal, section, article, detail, senior)
    return _head(portal, f"{article.title}-长者版-{portal.name}", metas) + f"""<body class="senior">
<div class="senior-top">长者版　<a href="{rel(senior, article.path)}">返回标准版</a></div>
<div class="senior-main" style="font-size:22px;line-height:2.2">
<h1 class="senior-title">{esc(article.title)}</h1>
<div class="senior-info">来源：{esc(article.source)}{author}　\
发布时间：{pub[:10]} {pub[11:19]}</div>
<div class="senior-content TRS_UEDITOR">
{article_body(article, detail, 2)}
</div>
</div>
""" + _footer(portal)


def plain_page(portal: PortalSpec, title: str, body: str) -> str:
    """A page that is not news."""
    bread = _bread(("首页", "/index.html"), (title, "#"))
    return _head(portal, f"{title}-{portal.name}", simple_meta(title)) + _header() + f"""{bread}
<div class="wid static-text">
{body}
</div>
""" + _footer(portal)


class _Protected:
    """Challenges and refusals: whole sections by path prefix, single listed links by path."""

    def __init__(self, portal: PortalSpec, site: SampleSite) -> None:
        self.prefixes = []
        for section_id, (kind, status, _) in SN_PROTECTED.items():
            directory = portal.section(section_id).list_path.rsplit("/", 1)[0] + "/"
            self.prefixes.append((directory, kind, status))
        self.paths = {b.path: (b.kind, b.status) for b in site.broken
                      if b.portal_id == portal.id}

    def __call__(self, path: str, query: str) -> Resource | None:
        for prefix, kind, status in self.prefixes:
            if path.startswith(prefix):
                return challenge.answer(kind, status, path)
        if path in self.paths:
            kind, status = self.paths[path]
            return challenge.answer(kind, status, path)
        return None


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """Every page of the TRS (newer pager) portal, its copies and its protected sections."""

    routes = PortalRoutes(portal)
    articles = {a.path: a for a in site.articles if a.portal_id == portal.id}
    section = portal.section("sxyw")
    items = site.lists[(portal.id, "sxyw")]
    ordered = sorted(articles.values(), key=lambda a: a.published_at, reverse=True)
    newest = published(ordered[0])

    def page(path: str, text: str, when: datetime) -> None:
        routes.pages[path] = Resource(text.encode("utf-8"), "text/html", when)

    latest = "\n".join(f'<li><a href="{attr(href("/index.html", i.path))}" target="_blank">'
                       f"{esc(i.title)}</a><span>{i.date}</span></li>" for i in items[:10])
    home = _head(portal, portal.name, simple_meta("首页")) + _header() + f"""\
<div class="wid"><div class="home-col"><h2>陕西要闻<a class="more" href="/xw/sxyw/list.shtml">\
更多</a></h2><ul>
{latest}
</ul></div>
<div class="home-col"><h2>服务</h2><ul><li><a href="https://zwfw.shaanxi.gov.cn/" \
target="_blank">陕西政务服务网</a></li><li><a href="/wzdt/index.html">网站地图</a></li></ul></div>
</div>
""" + _footer(portal)
    page("/", home, newest)
    page("/index.html", home, newest)
    sitemap = "".join(f'<a href="{s.list_path}">{esc(s.name)}</a>' for s in portal.sections)
    page("/wzdt/index.html", plain_page(portal, "网站地图", f"<dl><dt>新闻</dt><dd>{sitemap}</dd>"
                                         "</dl>"), STATIC_TIME)
    for path, text in static_pages(portal, SN_FOOTER, plain_page):
        page(path, text, STATIC_TIME)
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    pages = -(-len(items) // PER_PAGE)
    for number in range(pages):
        chunk = items[number * PER_PAGE : (number + 1) * PER_PAGE]
        page(page_path(section, number),
             list_page(portal, section, chunk, number, pages, len(items), ordered[:HOT]),
             newest)
    routes.dynamic.append(_Protected(portal, site))
    for index, article in enumerate(ordered):
        detail = site.details[(portal.id, article.path)]
        related = [ordered[(index + k) % len(ordered)] for k in range(1, RELATED + 1)]
        when = published(article)
        page(article.path, article_page(portal, section, article, detail, related), when)
        page(article.alternates[0], wap_page(portal, section, article, detail), when)
        page(article.alternates[1], senior_page(portal, section, article, detail), when)
        for spec in article.attachments:
            routes.pages[spec.path] = attachment(portal, article, spec)
    return routes
