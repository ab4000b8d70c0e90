"""Pages in the style of a Hanweb (大汉) JCMS provincial portal (modelled on www.zj.gov.cn)."""

from __future__ import annotations

import random
import zlib

from .assets import asset, stat_script
from .htmlkit import attr, esc, render_blocks
from .portals import (
    COLUMN_INFO,
    HANWEB_COLUMNS,
    HANWEB_GROUP_SIZE,
    HANWEB_PER_PAGE,
    HANWEB_WEBID,
    ZJ_FOOTER,
)
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SectionSpec
from .vocab import MINISTRIES, OFFSITE_LINKS, PROVINCES, ZJ_CITIES, ZJ_DEPARTMENTS

PROXY_PATH = "/module/web/jpage/dataproxy.jsp"
DOWNLOAD_PATH = "/module/download/downfile.jsp"

STATIC_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/col/col1229019/index.html": ("政务公开", (
        "浙江省人民政府门户网站政务公开栏目集中发布省政府文件、政策解读、规划计划、财政信息等内容。",
        "政府信息公开指南、政府信息公开制度和政府信息公开年度报告可在本栏目查阅。",
    )),
    "/col/col1229022/index.html": ("互动交流", (
        "互动交流栏目设有省长信箱、咨询投诉、民意征集、在线访谈等版块。",
        "欢迎社会公众通过本栏目反映诉求、提出意见建议，我们将认真研究办理。",
    )),
    "/col/col1544731/index.html": ("走进浙江", (
        "浙江省地处中国东南沿海、长江三角洲南翼，陆域面积10.55万平方公里，下辖11个设区市。",
        "浙江山水秀美、人文荟萃，素有“鱼米之乡、丝茶之府、文物之邦、旅游胜地”之称。",
    )),
    "/lxwm/index.html": ("联系我们", (
        "主办：浙江省人民政府办公厅　承办：浙江省大数据发展管理局",
        "地址：浙江省杭州市西湖区省府路8号　邮编：310025",
    )),
    "/wzsm/index.html": ("网站声明", (
        "浙江省人民政府门户网站登载的信息，版权归浙江省人民政府办公厅所有。",
        "转载本网站信息请注明出处，不得歪曲、篡改原文内容。",
    )),
}

NAV: list[tuple[str, str]] = [
    ("首页", "/index.html"),
    ("要闻动态", "/col/col1554467/index.html"),
    ("政务公开", "/col/col1229019/index.html"),
    ("政务服务", "https://www.zjzwfw.gov.cn/"),
    ("互动交流", "/col/col1229022/index.html"),
    ("数据开放", "https://data.zjzwfw.gov.cn/"),
    ("走进浙江", "/col/col1544731/index.html"),
]


ZWFW = "https://www.zjzwfw.gov.cn/"
SERVICES: list[tuple[str, str]] = [
    ("个人办事", ZWFW + "zjservice/matter/personal.do"),
    ("法人办事", ZWFW + "zjservice/matter/legal.do"),
    ("浙里办", ZWFW + "zjzw/app/index.do"),
    ("好差评", ZWFW + "zjservice/evaluate.do"),
    ("12345热线", ZWFW + "zjservice/hotline.do"),
    ("一件事集成改革", ZWFW + "zjservice/yjs.do"),
    ("政策兑现", ZWFW + "zjservice/policy.do"),
    ("证照查询", ZWFW + "zjservice/license.do"),
]
WZA_TOOLS = ("声音", "语速", "阅读方式", "配色", "放大", "缩小", "大鼠标", "十字线", "显示屏",
             "重置", "读屏专用", "帮助", "退出服务")


def _cur(flag: bool) -> str:
    return ' class="cur"' if flag else ""


def _target(href: str) -> str:
    return ' target="_blank"' if href.startswith("http") else ""


def _head(portal: PortalSpec, title: str, metas: list[tuple[str, str]], charset: str) -> str:
    pairs = [("SiteName", portal.name), ("SiteDomain", portal.domain),
             ("SiteIDCode", portal.site_id_code), *metas]
    meta = "\n".join(f'<meta name="{name}" content="{attr(value)}">' for name, value in pairs)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
{meta}
<title>{esc(title)}</title>
<style type="text/css">
{asset("hanweb.css")}
{asset("hanweb_old.css")}
</style>
<script type="text/javascript">
{asset("hanweb.js")}
</script>
</head>
"""


def _header(current: str) -> str:
    items = "".join(
        f'<li{_cur(name == current)}>'
        f'<a href="{attr(href)}"{_target(href)}>{esc(name)}</a></li>'
        for name, href in NAV
    )
    tools = "".join(f"<li><i></i>{t}</li>" for t in WZA_TOOLS)
    services = "".join(f'<a href="{attr(h)}" target="_blank">{esc(n)}</a>' for n, h in SERVICES)
    return f"""<body>
<div class="wza-toolbar" id="wza-toolbar"><ul>{tools}</ul></div>
<div class="top-bar"><div class="main-wrap">
<span class="fl">您好，欢迎访问浙江省人民政府门户网站</span>
<span class="fr"><a href="javascript:toggleWza();">无障碍</a>\
<a href="javascript:toggleOldMode();">长者版</a>
<a href="/wzdt/index.html">网站地图</a>
<a href="https://www.gov.cn/" target="_blank">中国政府网</a></span>
</div></div>
<div class="head"><div class="main-wrap">
<div class="logo fl">浙江省人民政府</div>
<form class="search-box fr" action="/search/index.jsp" method="get" target="_blank"
 onsubmit="return checkKey(this);">
<input type="text" class="key" name="q" value=""><button type="submit">搜 索</button>
</form>
</div></div>
<div class="navbar"><ul class="main-wrap">{items}</ul></div>
<div class="main-wrap service-bar">{services}</div>
"""


def _options(title: str, links: list[tuple[str, str]]) -> str:
    options = "\n".join(f'<option value="{attr(url)}">{esc(name)}</option>' for name, url in links)
    return (f'<select onchange="if(this.value)window.open(this.value);">\n'
            f'<option value="">{esc(title)}</option>\n{options}\n</select>')


def _footer(portal: PortalSpec) -> str:
    cities = [(full + "人民政府", f"https://{domain}/") for full, _, domain in ZJ_CITIES.values()]
    departments = [(full, f"https://{code}.zj.gov.cn/")
                   for (_, full), code in zip(ZJ_DEPARTMENTS, _DEPT_CODES, strict=True)]
    provinces = [(name, url) for name, url in PROVINCES if name != "浙江"]
    f = ZJ_FOOTER
    icp = f'<a href="https://beian.miit.gov.cn/" target="_blank">{f["icp"]}</a>'
    police = (f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode='
              f'{f["police_code"]}" target="_blank">{f["police"]}</a>')
    return f"""<div class="main-wrap yqlj">
{_options("国务院部门网站", MINISTRIES)}
{_options("各省区市政府网站", provinces)}
{_options("设区市政府网站", cities)}
{_options("省级部门网站", departments)}
</div>
<div class="foot">
<p><a href="/wzdt/index.html">网站地图</a>|<a href="/lxwm/index.html">联系我们</a>|\
<a href="/wzsm/index.html">网站声明</a>|<a href="javascript:void(0);">隐私政策</a></p>
<p>主办：{f["host"]}　承办：{f["operator"]}　政务服务便民热线：{f["hotline"]}</p>
<p>{icp}　政府网站标识码：{portal.site_id_code}　{police}</p>
<p><span class="ipv6">网站支持IPv6</span>　\
<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={portal.site_id_code}"
 target="_blank">我为政府网站找错</a>　\
<a href="https://bszs.conac.cn/sitename?method=show&amp;id={portal.site_id_code}"
 target="_blank">党政机关</a></p>
</div>
<script type="text/javascript">
{stat_script(portal.site_id_code, "hw", "tj.zj.gov.cn")}
</script>
</body>
</html>
"""


_DEPT_CODES = ("fzggw", "jxt", "jyt", "kjt", "czt", "rlsbt", "zrzyt", "sthjt", "jst", "jtyst",
               "nynct", "zcom", "ct", "wsjkw", "yjt", "zjamr", "dsjj")


def record(item: ListItem) -> str:
    """One list record as Hanweb writes it inside CDATA."""
    return (f'<li><a href="{attr(item.path)}" title="{attr(item.title)}" target="_blank">'
            f"{esc(item.title)}</a><span>{item.date}</span></li>")


def _ajax_query(portal: PortalSpec, section: SectionSpec) -> str:
    column, unit = HANWEB_COLUMNS[section.id]
    return (f"appid=1&webid={HANWEB_WEBID}&path=/&columnid={column}&unitid={unit}"
            f"&webname={portal.name}&permissiontype=0")


def _sidebar(portal: PortalSpec, current: str) -> str:
    links = "".join(
        f'<li{_cur(s.id == current)}>'
        f'<a href="{s.list_path}">{esc(s.name)}</a></li>'
        for s in portal.sections
    )
    return f'<div class="col-left"><h3>要闻动态</h3><ul>{links}</ul></div>'


def _column_meta(section: SectionSpec) -> list[tuple[str, str]]:
    description, keywords = COLUMN_INFO[section.id]
    return [("ColumnName", section.name), ("ColumnDescription", description),
            ("ColumnKeywords", keywords), ("ColumnType", "要闻动态")]


def _crumb(section: SectionSpec) -> str:
    return (f'<div class="position main-wrap">当前位置：<a href="/index.html">首页</a> &gt; '
            f'<a href="/col/col1554467/index.html">要闻动态</a> &gt; '
            f'<a href="{section.list_path}">{esc(section.name)}</a></div>')


def list_page(portal: PortalSpec, section: SectionSpec, items: list[ListItem]) -> str:
    """The column page: the first group of records sits in a <script type="text/xml"> datastore."""
    column, unit = HANWEB_COLUMNS[section.id]
    group = items[: HANWEB_PER_PAGE * HANWEB_GROUP_SIZE]
    records = "\n".join(f"<record><![CDATA[\n{record(item)}\n]]></record>" for item in group)
    query = _ajax_query(portal, section)
    charset = "gb2312" if section.encoding != "utf-8" else "UTF-8"
    head = _head(portal, f"{section.name} {portal.name}", _column_meta(section), charset)
    return head + _header("要闻动态") + f"""{_crumb(section)}
<div class="main-wrap">
{_sidebar(portal, section.id)}
<div class="col-right">
<div class="col-tit">{esc(section.name)}</div>
<div class="default_pgContainer">
<div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="{PROXY_PATH}?page=1&{query}"></a>]]></nextgroup>
<recordset>
{records}
</recordset>
</datastore>
</script></div>
</div>
<script type="text/javascript">
if (window.jQuery) {{
  $(document).ready(function() {{
    $('#{unit}').jpage({{
      dataStore: $('#{unit}').find('datastore'),
      proxyUrl: '{PROXY_PATH}',
      perPage: {HANWEB_PER_PAGE},
      totalRecord: {len(items)},
      groupSize: {HANWEB_GROUP_SIZE},
      barPosition: 'bottom',
      showMode: 'full',
      allowChangePerPage: false,
      themeName: 'default',
      ajaxParam: {{ col: 1, appid: 1, webid: {HANWEB_WEBID}, path: '/', columnid: {column},
        sourceContentType: 1, unitid: {unit}, webname: '{portal.name}', permissiontype: 0 }}
    }});
  }});
}}
</script>
</div>
<div class="clear"></div>
</div>
""" + _footer(portal)


def dataproxy_answer(items: list[ListItem], start: int, end: int, per_page: int,
                     encoding: str) -> str:
    """The XML a Hanweb dataproxy.jsp sends for records `start`..`end` (1-based, inclusive)."""
    chosen = items[max(start, 1) - 1 : max(end, 0)]
    pages = -(-len(items) // max(per_page, 1))
    records = "".join(f"<record><![CDATA[\n{record(item)}\n]]></record>\n" for item in chosen)
    declared = "UTF-8" if encoding == "utf-8" else "gb2312"
    return (f'<?xml version="1.0" encoding="{declared}"?>\n<datastore>\n'
            f"<totalrecord>{len(items)}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
            f"<recordset>\n{records}</recordset>\n</datastore>\n")


def _attachments(article: ArticleSpec) -> str:
    if not article.attachments:
        return ""
    links = "<br/>".join(
        f'<a href="{attr(a.path)}" target="_blank">{esc(a.filename)}</a>'
        for a in article.attachments
    )
    return f'<div class="fjxz">附件：<br/>{links}</div>'


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail, related: list[ArticleSpec]) -> str:
    """An article page: body in div#zoom between the ContentStart/ContentEnd markers."""
    date, minute = article.published_at[:10], article.published_at[11:16]
    rng = random.Random(zlib.crc32(article.path.encode("ascii")))
    made = f"{date} {minute}:{rng.randrange(60):02d}"
    metas = [*_column_meta(section),
             ("ArticleTitle", article.title), ("PubDate", f"{date} {minute}"),
             ("ContentSource", article.source), ("Keywords", detail.keywords),
             ("Author", article.author or ""), ("Description", detail.description),
             ("Url", f"https://{portal.domain}{article.path}"), ("Maketime", made)]
    charset = "gb2312" if section.encoding != "utf-8" else "UTF-8"
    images = {b.src: b.src for b in detail.blocks if b.kind == "image"}
    body = render_blocks(detail.blocks, detail.style, rng, images)
    kicker = f'<div class="yt">{esc(article.kicker)}</div>\n' if article.kicker else ""
    author = f"\n<span>作者：{esc(article.author)}</span>" if article.author else ""
    related_items = "\n".join(
        f'<li><a href="{attr(a.path)}" target="_blank">{esc(a.title)}</a></li>' for a in related
    )
    head = _head(portal, f"{article.title} {portal.name}", metas, charset)
    return head + _header("要闻动态") + f"""{_crumb(section)}
<div class="main-wrap">
<div class="article-wrap">
{kicker}<h1 class="title">{esc(article.title)}</h1>
<div class="info">
<span>信息来源：{esc(article.source)}</span>{author}
<span>发布日期：{date} {minute}</span>
<span>浏览次数：<b id="ReadCount">{detail.views}</b></span>
<span>【字号：<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(18)">中</a> \
<a href="javascript:doZoom(16)">小</a>】</span>
</div>
<div id="zoom"><!--ZJEG_RSS.content.begin--><meta name="ContentStart">
{body}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end--></div>
{_attachments(article)}
<div class="bottom-tools"><a href="javascript:window.print();">打印本页</a>\
<a href="javascript:closeWindow();">关闭窗口</a></div>
<div class="xgxw"><h4>相关链接</h4><ul>
{related_items}
</ul></div>
</div>
</div>
""" + _footer(portal)


def home_page(portal: PortalSpec, lists: dict[str, list[ListItem]]) -> str:
    """The homepage: latest items of each column, services and off-site links."""
    blocks = []
    for section in portal.sections:
        items = "\n".join(
            f'<li><a href="{attr(i.path)}" target="_blank" title="{attr(i.title)}">'
            f"{esc(i.title)}</a><span>{i.date[5:]}</span></li>"
            for i in lists[section.id][:8]
        )
        blocks.append(f'<div class="home-col"><h2>{esc(section.name)}<a class="more" '
                      f'href="{section.list_path}">更多</a></h2><ul>\n{items}\n</ul></div>')
    links = "".join(f'<li><a href="{url}" target="_blank">{esc(name)}</a></li>'
                    for name, url in OFFSITE_LINKS)
    metas = [("ColumnName", "首页"), ("ColumnType", "首页"),
             ("ColumnDescription", "浙江省人民政府门户网站"), ("ColumnKeywords", "浙江,政府")]
    head = _head(portal, portal.name, metas, "UTF-8")
    return head + _header("首页") + f"""<div class="main-wrap">
{"".join(blocks)}
<div class="home-col"><h2>政务服务</h2><ul>
<li><a href="https://www.zjzwfw.gov.cn/" target="_blank">浙江政务服务网</a></li>
<li><a href="/col/col1229019/index.html">政务公开</a></li>
<li><a href="/col/col1229022/index.html">互动交流</a></li>
<li><a href="/wzdt/index.html">网站地图</a></li>
</ul></div>
<div class="home-col"><h2>友情链接</h2><ul>{links}</ul></div>
<div class="clear"></div>
</div>
""" + _footer(portal)


def static_page(portal: PortalSpec, path: str) -> str:
    """A non-news page."""
    title, paragraphs = STATIC_PAGES[path]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    metas = [("ColumnName", title), ("ColumnType", title), ("ColumnDescription", title),
             ("ColumnKeywords", title)]
    return _head(portal, f"{title} {portal.name}", metas, "UTF-8") + _header(title) + f"""\
<div class="position main-wrap">当前位置：<a href="/index.html">首页</a> &gt; {esc(title)}</div>
<div class="main-wrap static-text">
{body}
</div>
""" + _footer(portal)


def sitemap_page(portal: PortalSpec) -> str:
    """/wzdt/index.html: 网站地图."""
    news = "".join(f'<a href="{s.list_path}">{esc(s.name)}</a>' for s in portal.sections)
    other = "".join(f'<a href="{attr(h)}"{_target(h)}>{esc(n)}</a>' for n, h in NAV[2:])
    metas = [("ColumnName", "网站地图"), ("ColumnType", "网站地图"),
             ("ColumnDescription", "网站地图"), ("ColumnKeywords", "网站地图")]
    return _head(portal, f"网站地图 {portal.name}", metas, "UTF-8") + _header("") + f"""\
<div class="position main-wrap">当前位置：<a href="/index.html">首页</a> &gt; 网站地图</div>
<div class="main-wrap map-list">
<dl><dt>要闻动态</dt><dd>{news}</dd></dl>
<dl><dt>其他栏目</dt><dd>{other}</dd></dl>
</div>
""" + _footer(portal)
