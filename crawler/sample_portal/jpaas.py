"""Pages in the style of a Hanweb JPaaS portal (modelled on a newer 江苏/浙江 site).

A column page `/col/col<ID>/index.html` holds no list items: an empty container and a script
that loads them from the JSON list API

    GET /api-gateway/jpaas-publish-server/front/page/build/unit?webId=…&pageId=…
        &parseType=bulidstatic&pageType=column&tagId=…&tplSetId=…&paramJson={"pageNo":1,"pageSize":15}

which answers `{"success": true, "code": "200", "data": {"html": "<ul class=\"list\">…</ul>",
"total": N, "pageSize": 15, "pageNo": 1}}` as `application/json;charset=UTF-8`.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from urllib.parse import parse_qs

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
from .portals import JPAAS_COLUMNS, JPAAS_PAGE_SIZE, JPAAS_TPLSET, JPAAS_WEBID, JS_FOOTER
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, attachment, published
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SampleSite, SectionSpec
from .vocab import JS_CITIES

API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
JQUERY_PATH = "/static/js/jquery.min.js"
JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html;charset=UTF-8"
RELATED = 4
_ACTIVE = ' class="active"'
_BLANK = ' target="_blank"'
NAV = [("首页", "/index.html"), ("要闻动态", "/col/col76841/index.html"),
       ("政务公开", "/col/col76705/index.html"), ("政务服务", "https://www.jszwfw.gov.cn/"),
       ("互动交流", "/col/col76706/index.html"), ("走进江苏", "/col/col76707/index.html")]


def _head(portal: PortalSpec, title: str, metas: list[tuple[str, str]], extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
{meta_tags([*site_meta(portal), *metas])}
<title>{esc(title)}</title>
<style type="text/css">
{asset("jpaas.css")}
</style>
<script type="text/javascript" src="{JQUERY_PATH}"></script>{extra}
</head>
"""


def _header(current: str) -> str:
    items = "".join(
        f"<li{_ACTIVE if name == current else ''}><a href=\"{attr(href)}\""
        f"{_BLANK if href.startswith('http') else ''}>{esc(name)}</a></li>"
        for name, href in NAV
    )
    return f"""<body>
<div class="top-header"><div class="container">
<span>江苏省人民政府门户网站</span>
<span class="links"><a href="javascript:void(0);" id="wza">无障碍</a>\
<a href="javascript:void(0);" id="oldMode">长者模式</a>\
<a href="https://www.gov.cn/" target="_blank">中国政府网</a>\
<a href="/wzdt/index.html">网站地图</a></span>
</div></div>
<div class="banner"><div class="container"><div class="site-name">江苏省人民政府</div></div></div>
<div class="main-nav"><ul class="container">{items}</ul></div>
"""


_footer = functools.partial(page_end, province="江苏", cities=JS_CITIES, footer=JS_FOOTER,
                            links_class="container friend-links", footer_class="site-footer")
_crumb = functools.partial(breadcrumb, "container breadcrumb", "您当前的位置：")


def _script(section: SectionSpec) -> str:
    """The inline script that loads a column's list from the JSON API."""
    _, page_id, tag_id = JPAAS_COLUMNS[section.id]
    if section.id == "jsyw":
        return f"""<script type="text/javascript">
var webId = "{JPAAS_WEBID}";
var pageId = "{page_id}";
var tplSetId = "{JPAAS_TPLSET}";
var tagId = "{tag_id}";
var pageSize = {JPAAS_PAGE_SIZE};
function loadList(pageNo) {{
  $.ajax({{
    url: "{API_PATH}",
    type: "GET",
    dataType: "json",
    data: {{ webId: webId, pageId: pageId, parseType: "bulidstatic", pageType: "column",
      tagId: tagId, tplSetId: tplSetId,
      paramJson: JSON.stringify({{ pageNo: pageNo, pageSize: pageSize }}) }},
    success: function (res) {{
      if (res && res.success) {{
        $("#list-container").html(res.data.html);
        renderPager("#pager", res.data.total, pageNo, pageSize, loadList);
      }}
    }}
  }});
}}
$(function () {{ loadList(1); }});
</script>"""
    return f"""<script type="text/javascript">
$(function () {{
  function query(pageNo) {{
    $.ajax({{
      url: "{API_PATH}",
      type: "GET",
      dataType: "json",
      data: {{
        webId: "{JPAAS_WEBID}",
        pageId: "{page_id}",
        parseType: "bulidstatic",
        pageType: "column",
        tagId: "{tag_id}",
        tplSetId: "{JPAAS_TPLSET}",
        paramJson: '{{"pageNo":' + pageNo + ',"pageSize":{JPAAS_PAGE_SIZE}}}'
      }},
      success: function (res) {{
        if (res.success) {{ $(".list-container").html(res.data.html); }}
        renderPager("#pager", res.data.total, pageNo, {JPAAS_PAGE_SIZE}, query);
      }}
    }});
  }}
  query(1);
}});
</script>"""


_PAGER = """<script type="text/javascript">
function renderPager(el, total, pageNo, pageSize, load) {
  var pages = Math.ceil(total / pageSize), html = "";
  for (var i = 1; i <= pages; i++) {
    html += i == pageNo ? "<span>" + i + "</span>"
      : "<a href=\\"javascript:;\\" data-p=\\"" + i + "\\">" + i + "</a>";
  }
  $(el).html(html).find("a").click(function () { load(parseInt($(this).attr("data-p"), 10)); });
}
</script>"""


def list_page(portal: PortalSpec, section: SectionSpec) -> str:
    """A column page: an empty list container filled by the JSON list API."""
    title = f"{section.name} {portal.name}"
    crumb = _crumb(("首页", "/index.html"), ("要闻动态", "/col/col76841/index.html"),
                   (section.name, section.list_path))
    return _head(portal, title, column_meta(portal, section), "\n" + _PAGER) + _header(
        "要闻动态") + f"""{crumb}
<div class="container column-list">
<div class="column-title">{esc(section.name)}</div>
<div id="list-container" class="list-container"></div>
<div id="pager" class="pager"></div>
</div>
{_script(section)}
""" + _footer(portal)


def list_html(items: list[ListItem]) -> str:
    """The `data.html` of an API answer."""
    lis = "".join(
        f'<li><a href="{attr(i.path)}" target="_blank" title="{attr(i.title)}">{esc(i.title)}'
        f"</a><span>{i.date}</span></li>"
        for i in items
    )
    return f'<ul class="list">{lis}</ul>'


def api_answer(items: list[ListItem], page_no: int, page_size: int) -> bytes:
    """The JSON the list API sends for one page."""
    chosen = items[(page_no - 1) * page_size : page_no * page_size]
    data = {"html": list_html(chosen), "total": len(items), "pageSize": page_size,
            "pageNo": page_no}
    answer = {"success": True, "code": "200", "data": data}
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def api_error(message: str) -> bytes:
    """The JSON the API sends for a request it cannot answer (with HTTP 200)."""
    answer = {"success": False, "code": "400", "msg": message, "data": None}
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _attachments(article: ArticleSpec) -> str:
    if not article.attachments:
        return ""
    links = "\n".join(f'<li><a href="{attr(a.path)}" target="_blank">{esc(a.filename)}</a></li>'
                      for a in article.attachments)
    return f'<div class="article-attachments"><p>附件：</p><ul>\n{links}\n</ul></div>'


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail, related: list[ArticleSpec]) -> str:
    """An article page: the body in div.article-content."""
    pub = article.published_at
    metas = article_metas(portal, section, article, detail)
    body = article_body(article, detail)
    author = f"\n<span>作者：{esc(article.author)}</span>" if article.author else ""
    items = link_items(related)
    crumb = _crumb(("首页", "/index.html"), ("要闻动态", "/col/col76841/index.html"),
                   (section.name, section.list_path))
    return _head(portal, f"{article.title}_{portal.name}", metas) + _header("要闻动态") + f"""\
{crumb}
<div class="article">
<h1 class="article-title">{esc(article.title)}</h1>
<div class="article-info"><span>发布日期：{pub[:10]} {pub[11:16]}</span>\
<span>来源：{esc(article.source)}</span>{author}\
<span>浏览次数：<em id="visitCount">{detail.views}</em></span>\
<span>字号：<a href="javascript:;" class="fz-big">大</a> <a href="javascript:;">中</a> \
<a href="javascript:;">小</a></span></div>
<div class="article-content">
{body}
</div>
{_attachments(article)}
<div class="article-editor">责任编辑：{esc(detail.editor)}</div>
<div class="article-tools"><a href="javascript:window.print();">打印</a>\
<a href="javascript:window.close();">关闭</a></div>
<div class="related"><h4>相关阅读</h4><ul>
{items}
</ul></div>
</div>
""" + _footer(portal)


def home_page(portal: PortalSpec, lists: dict[str, list[ListItem]]) -> str:
    """The homepage: latest items of each column."""
    blocks = []
    for section in portal.sections:
        items = "\n".join(
            f'<li><a href="{attr(i.path)}" target="_blank">{esc(i.title)}</a>'
            f"<span>{i.date[5:]}</span></li>"
            for i in lists[section.id][:8]
        )
        blocks.append(f'<div class="home-col"><h2>{esc(section.name)}'
                      f'<a class="more" href="{section.list_path}">更多</a></h2>'
                      f'<ul class="list">\n{items}\n</ul></div>')
    metas = simple_meta("首页")
    return _head(portal, portal.name, metas) + _header("首页") + f"""\
<div class="container">
{"".join(blocks)}
<div class="home-col"><h2>政务服务</h2><ul>
<li><a href="https://www.jszwfw.gov.cn/" target="_blank">江苏政务服务网</a></li>
<li><a href="/wzdt/index.html">网站地图</a></li></ul></div>
</div>
""" + _footer(portal)


def plain_page(portal: PortalSpec, title: str, body: str) -> str:
    """A page that is not news (网站地图, 联系我们 …)."""
    crumb = _crumb(("首页", "/index.html"), (title, "#"))
    return _head(portal, f"{title}_{portal.name}", simple_meta(title)) + _header(title) + f"""\
{crumb}
<div class="container static-text">
{body}
</div>
""" + _footer(portal)


def _sitemap(portal: PortalSpec) -> str:
    news = "".join(f'<a href="{s.list_path}">{esc(s.name)}</a>' for s in portal.sections)
    other = "".join(f'<a href="{attr(h)}">{esc(n)}</a>' for n, h in NAV[2:])
    return f"<dl><dt>要闻动态</dt><dd>{news}</dd></dl><dl><dt>其他栏目</dt><dd>{other}</dd></dl>"


class _ApiHandler:
    """Answers the JSON list API of one portal."""

    def __init__(self, lists: dict[str, list[ListItem]], when: datetime) -> None:
        self.by_page = {page_id: (section_id, tag_id)
                        for section_id, (_, page_id, tag_id) in JPAAS_COLUMNS.items()}
        self.lists = lists
        self.when = when

    def __call__(self, path: str, query: str) -> Resource | None:
        if path != API_PATH:
            return None
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        page = self.by_page.get(params.get("pageId", ""))
        problem = ""
        if params.get("webId") != JPAAS_WEBID or page is None:
            problem = "站点或页面不存在"
        elif params.get("tagId") != page[1] or params.get("tplSetId") != JPAAS_TPLSET:
            problem = "标签不存在"
        elif params.get("parseType") != "bulidstatic" or params.get("pageType") != "column":
            problem = "请求参数错误"
        try:
            paging = json.loads(params.get("paramJson", ""))
            page_no, page_size = int(paging["pageNo"]), int(paging["pageSize"])
        except (ValueError, TypeError, KeyError):
            problem = problem or "paramJson 参数错误"
            page_no = page_size = 0
        if not problem and not (page_no >= 1 and 1 <= page_size <= 100):
            problem = "分页参数错误"
        if problem or page is None:
            return Resource(api_error(problem), JSON_TYPE, self.when, compressible=False)
        return Resource(api_answer(self.lists[page[0]], page_no, page_size), JSON_TYPE,
                        self.when)


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """Every page, file and API answer of a JPaaS portal."""

    routes = PortalRoutes(portal)
    articles = {a.path: a for a in site.articles if a.portal_id == portal.id}
    lists = {s.id: site.lists[(portal.id, s.id)] for s in portal.sections}
    newest = max(published(a) for a in articles.values())

    def page(path: str, text: str, when: datetime) -> None:
        routes.pages[path] = Resource(text.encode("utf-8"), HTML_TYPE, when)

    home = home_page(portal, lists)
    page("/", home, newest)
    page("/index.html", home, newest)
    page("/wzdt/index.html", plain_page(portal, "网站地图", _sitemap(portal)), STATIC_TIME)
    for path, text in static_pages(portal, JS_FOOTER, plain_page):
        page(path, text, STATIC_TIME)
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    routes.pages[JQUERY_PATH] = Resource(b"/* jQuery v1.12.4 (stub of the sample portal) */\n",
                                         "application/javascript", STATIC_TIME)
    for section in portal.sections:
        when = max(published(articles[i.path]) for i in lists[section.id])
        page(section.list_path, list_page(portal, section), when)
    routes.dynamic.append(_ApiHandler(lists, newest))
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
