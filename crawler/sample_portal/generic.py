"""Pages of a portal on a CMS of its own (modelled on 广东 www.gd.gov.cn): the "generic" family.

Articles live at `/gdywdt/<section>/content/post_<7 digits>.html` with the body in
`<div class="zw">`. List pages `index.html`, `index_2.html` … are linked only by 首页 /
上一页 / 下一页 / 尾页 links. 广东要闻 lists `<li>` items dated `[2026-04-13]` beside a
calendar widget (a trap: `?date=` pages and « » month links without end); 地市动态 lists a
`<table>` whose neighbouring `<td>` shows `04-16` without a year, and links 往期归档, an
endless 下一页 chain of pages without articles.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime

from .assets import asset
from .chrome import (
    article_body,
    article_metas,
    breadcrumb,
    column_meta,
    link_items,
    meta_tags,
    page_end,
    simple_meta,
    site_meta,
    static_pages,
)
from .htmlkit import attr, esc
from .portals import GD_FOOTER
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, attachment, published
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SampleSite, SectionSpec
from .vocab import GD_CITIES

PER_PAGE = 15
HTML_TYPE = "text/html; charset=UTF-8"
ARCHIVE = "/gdywdt/archive/"
CALENDAR_SECTION = "gdyw"
TABLE_SECTION = "dsdt"
RELATED = 4
_BLANK = ' target="_blank"'
NAV = [("首页", "/index.html"), ("要闻动态", "/gdywdt/index.html"),
       ("政务公开", "/zwgk/index.html"), ("政务服务", "https://www.gdzwfw.gov.cn/"),
       ("互动交流", "/hdjl/index.html"), ("走进广东", "/zjgd/index.html")]
_ARCHIVE_PAGE = re.compile(r"^/gdywdt/archive/index(?:_(\d+))?\.html$")
_DATE_QUERY = re.compile(r"^date=(\d{4}-\d{2}-\d{2})$")


def _head(portal: PortalSpec, title: str, metas: list[tuple[str, str]]) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
{meta_tags([*site_meta(portal), *metas])}
<title>{esc(title)}</title>
<style type="text/css">
{asset("gd.css")}
</style>
</head>
"""


def _header() -> str:
    nav = "".join(
        f'<a href="{attr(h)}"{_BLANK if h.startswith("http") else ""}>{esc(n)}</a>'
        for n, h in NAV
    )
    return f"""<body>
<div class="gd-top"><div class="wrap">欢迎访问广东省人民政府门户网站　\
<a href="javascript:void(0);">无障碍浏览</a>　<a href="javascript:void(0);">长者模式</a>　\
<a href="/wzdt/index.html">网站地图</a>　\
<a href="https://www.gov.cn/" target="_blank">中国政府网</a></div></div>
<div class="gd-head"><div class="wrap"><div class="logo">广东省人民政府</div></div></div>
<div class="gd-nav"><div class="wrap">{nav}</div></div>
"""


_footer = functools.partial(page_end, province="广东", cities=GD_CITIES, footer=GD_FOOTER,
                            links_class="wrap links", footer_class="footer")
_position = functools.partial(breadcrumb, "wrap position", "当前位置：")


def page_name(number: int) -> str:
    """index.html for page 1, index_N.html for page N."""
    return "index.html" if number == 1 else f"index_{number}.html"


def pager(number: int, pages: int) -> str:
    """首页 上一页 下一页 尾页: the only links between list pages."""
    if number > 1:
        back = (f'<a href="{page_name(1)}">首页</a> '
                f'<a href="{page_name(number - 1)}">上一页</a>')
    else:
        back = "<span>首页</span> <span>上一页</span>"
    if number < pages:
        forward = (f'<a href="{page_name(number + 1)}">下一页</a> '
                   f'<a href="{page_name(pages)}">尾页</a>')
    else:
        forward = "<span>下一页</span> <span>尾页</span>"
    return (f'<div class="page">{back} <span class="current">第{number}页/共{pages}页</span> '
            f"{forward}</div>")


def _month_shift(first: date, months: int) -> date | None:
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, 1) if 1 <= year <= 9999 else None


def calendar_widget(month: date, days_with_news: set[str]) -> str:
    """A month calendar: day links `index.html?date=…`, « » links to the adjacent months."""
    first = month.replace(day=1)
    prev, nxt = _month_shift(first, -1), _month_shift(first, 1)
    back = f'<a href="index.html?date={prev:%Y-%m-%d}" title="上个月">«</a>' if prev else ""
    forward = f'<a href="index.html?date={nxt:%Y-%m-%d}" title="下个月">»</a>' if nxt else ""
    rows, week = [], [""] * first.weekday()
    for day in range(1, calendar.monthrange(first.year, first.month)[1] + 1):
        value = f"{first:%Y-%m}-{day:02d}"
        css = ' class="has"' if value in days_with_news else ""
        week.append(f'<a href="index.html?date={value}"{css}>{day}</a>')
        if len(week) == 7:
            rows.append(week)
            week = []
    if week:
        rows.append(week + [""] * (7 - len(week)))
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    heads = "".join(f"<th>{d}</th>" for d in "一二三四五六日")
    return (f'<div class="calendar"><div class="cal-head">{back}<span>{first.year}年'
            f"{first.month:02d}月</span>{forward}</div><table><tr>{heads}</tr>{body}</table>"
            "</div>")


def _items_ul(items: list[ListItem]) -> str:
    lis = "\n".join(
        f'<li><a href="{attr(i.path)}" target="_blank" title="{attr(i.title)}">{esc(i.title)}'
        f'</a><span class="time">[{i.date}]</span></li>'
        for i in items
    )
    return f'<ul class="viewList">\n{lis}\n</ul>'


def _items_table(items: list[ListItem], section: SectionSpec) -> str:
    rows = "\n".join(
        f'<tr><td class="dot">·</td><td class="title"><a href="'
        f'{attr(i.path.removeprefix(section.path))}" target="_blank" title="{attr(i.title)}">'
        f'{esc(i.title)}</a></td><td class="date">{i.date[5:]}</td></tr>'
        for i in items
    )
    return f'<table class="list-table" width="100%"><tbody>\n{rows}\n</tbody></table>'


def _side(portal: PortalSpec, section: SectionSpec, widget: str) -> str:
    links = "".join(f'<li><a href="{s.list_path}">{esc(s.name)}</a></li>'
                    for s in portal.sections)
    archive = ""
    if section.id == TABLE_SECTION:
        archive = f'<li><a href="{ARCHIVE}index.html">往期归档</a></li>'
    return f'<div class="main-right">{widget}<ul class="side-nav">{links}{archive}</ul></div>'


def list_page(portal: PortalSpec, section: SectionSpec, items: list[ListItem], number: int,
              pages: int, widget: str, heading: str = "", paged: bool = True) -> str:
    """One list page of a section (or a calendar day's page when `paged` is false)."""
    listing = (_items_table(items, section) if section.id == TABLE_SECTION
               else _items_ul(items))
    crumb = _position(("首页", "/index.html"), ("要闻动态", "/gdywdt/index.html"),
                      (section.name, section.list_path))
    title = f"{heading or section.name} - {portal.name}"
    return _head(portal, title, column_meta(portal, section)) + _header() + f"""{crumb}
<div class="wrap clearfix">
<div class="main-left">
<div class="list-title">{esc(heading or section.name)}</div>
{listing}
{pager(number, pages) if paged else ""}
</div>
{_side(portal, section, widget)}
</div>
""" + _footer(portal)


def archive_page(portal: PortalSpec, number: int) -> str:
    """Page `number` of 往期归档: no articles, and always a 下一页."""
    back = f'<a href="{page_name(number - 1)}">上一页</a> ' if number > 1 else ""
    crumb = _position(("首页", "/index.html"), ("往期归档", f"{ARCHIVE}index.html"))
    return _head(portal, f"往期归档 - {portal.name}", simple_meta("往期归档")) + _header() + f"""\
{crumb}
<div class="wrap">
<div class="list-title">往期归档</div>
<p class="archive-note">本栏目往期信息已归档，请使用站内搜索查询。</p>
<div class="page">{back}<span class="current">第{number}页</span> \
<a href="{page_name(number + 1)}">下一页</a></div>
</div>
""" + _footer(portal)


def _attachments(article: ArticleSpec) -> str:
    if not article.attachments:
        return ""
    links = "<br/>".join(f'<a href="{attr(a.path)}" target="_blank">{esc(a.filename)}</a>'
                         for a in article.attachments)
    return f'<div class="zw-fj">附件：<br/>{links}</div>'


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail, related: list[ArticleSpec]) -> str:
    """An article: title in h3.zw-title, 时间/来源 in div.zw-info, body in div.zw."""
    pub = article.published_at
    metas = article_metas(portal, section, article, detail)
    body = article_body(article, detail)
    author = f'\n<span class="zz">作者：{esc(article.author)}</span>' if article.author else ""
    items = link_items(related)
    crumb = _position(("首页", "/index.html"), ("要闻动态", "/gdywdt/index.html"),
                      (section.name, section.list_path))
    return _head(portal, f"{article.title} - {portal.name}", metas) + _header() + f"""{crumb}
<div class="wrap">
<h3 class="zw-title">{esc(article.title)}</h3>
<div class="zw-info"><span class="time">时间：{pub[:10]} {pub[11:19]}</span>\
<span class="ly">来源：{esc(article.source)}</span>{author}\
<span class="fontsize">【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> \
<a href="javascript:;">小</a>】</span></div>
<div class="zw">
{body}
</div>
{_attachments(article)}
<div class="zw-editor">【责任编辑：{esc(detail.editor)}】</div>
<div class="related"><h4>相关新闻</h4><ul>
{items}
</ul></div>
</div>
""" + _footer(portal)


def plain_page(portal: PortalSpec, title: str, body: str) -> str:
    """A page that is not news."""
    crumb = _position(("首页", "/index.html"), (title, "#"))
    return _head(portal, f"{title} - {portal.name}", simple_meta(title)) + _header() + f"""\
{crumb}
<div class="wrap static-text">
{body}
</div>
""" + _footer(portal)


def _latest(portal: PortalSpec, lists: dict[str, list[ListItem]], count: int) -> str:
    return "\n".join(
        f'<div class="home-col"><h2>{esc(s.name)}<a class="more" href="{s.list_path}">更多</a>'
        f"</h2>{_items_ul(lists[s.id][:count])}</div>"
        for s in portal.sections
    )


class _Dynamic:
    """Calendar day pages of 广东要闻 and the endless 往期归档."""

    def __init__(self, portal: PortalSpec, items: list[ListItem], when: datetime) -> None:
        self.portal = portal
        self.section = portal.section(CALENDAR_SECTION)
        self.items = items
        self.when = when
        self.days = {i.date for i in items}

    def __call__(self, path: str, query: str) -> Resource | None:
        archive = _ARCHIVE_PAGE.match(path)
        if archive:
            number = int(archive.group(1) or 1)
            if archive.group(1) is not None and number < 2:
                return None
            return self._page(archive_page(self.portal, number))
        match = _DATE_QUERY.match(query)
        if path != self.section.list_path or not match:
            return None
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            return None
        chosen = [i for i in self.items if i.date == f"{day:%Y-%m-%d}"]
        text = list_page(self.portal, self.section, chosen, 1, 1,
                         calendar_widget(day, self.days), heading=f"{self.section.name} "
                         f"{day.year}年{day.month}月{day.day}日", paged=False)
        return self._page(text)

    def _page(self, text: str) -> Resource:
        return Resource(text.encode("utf-8"), HTML_TYPE, self.when)


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """Every page and file of the generic portal, with its traps."""

    routes = PortalRoutes(portal)
    articles = {a.path: a for a in site.articles if a.portal_id == portal.id}
    lists = {s.id: site.lists[(portal.id, s.id)] for s in portal.sections}
    newest = max(published(a) for a in articles.values())

    def page(path: str, text: str, when: datetime) -> None:
        routes.pages[path] = Resource(text.encode("utf-8"), HTML_TYPE, when)

    metas = simple_meta("首页")
    home = _head(portal, portal.name, metas) + _header() + f"""<div class="wrap">
{_latest(portal, lists, 8)}
<div class="home-col"><h2>服务</h2><ul><li><a href="https://www.gdzwfw.gov.cn/" \
target="_blank">广东政务服务网</a></li><li><a href="{ARCHIVE}index.html">往期归档</a></li>
<li><a href="/wzdt/index.html">网站地图</a></li></ul></div>
</div>
""" + _footer(portal)
    page("/", home, newest)
    page("/index.html", home, newest)
    page("/gdywdt/index.html", plain_page(portal, "要闻动态", _latest(portal, lists, 6)), newest)
    sitemap = "".join(f'<a href="{s.list_path}">{esc(s.name)}</a>' for s in portal.sections)
    page("/wzdt/index.html", plain_page(portal, "网站地图", f"<dl><dt>要闻动态</dt><dd>{sitemap}"
                                         "</dd></dl>"), STATIC_TIME)
    for path, text in static_pages(portal, GD_FOOTER, plain_page):
        page(path, text, STATIC_TIME)
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    for section in portal.sections:
        items = lists[section.id]
        when = max(published(articles[i.path]) for i in items)
        pages = -(-len(items) // PER_PAGE)
        widget = ""
        if section.id == CALENDAR_SECTION:
            last = datetime.fromisoformat(items[0].date)
            widget = calendar_widget(last.date(), {i.date for i in items})
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * PER_PAGE : number * PER_PAGE]
            page(section.path + page_name(number),
                 list_page(portal, section, chunk, number, pages, widget), when)
    routes.dynamic.append(_Dynamic(portal, lists[CALENDAR_SECTION], newest))
    for name, target in NAV:
        if target.startswith("/") and target not in routes.pages:
            text = f"<p>{esc(name)}栏目：请从导航进入各子栏目。</p>"
            page(target, plain_page(portal, name, text), STATIC_TIME)
    for article in articles.values():
        section = portal.section(article.section_ids[0])
        listed = [articles[i.path] for i in lists[section.id]]
        index = listed.index(article)
        related = [listed[(index + k) % len(listed)] for k in range(1, RELATED + 1)]
        detail = site.details[(portal.id, article.path)]
        page(article.path, article_page(portal, section, article, detail, related),
             published(article))
        for spec in article.attachments:
            routes.pages[spec.path] = attachment(portal, article, spec)
    return routes

