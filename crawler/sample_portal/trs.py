"""Pages in the style of a TRS WCM provincial portal (modelled on www.yn.gov.cn)."""

from __future__ import annotations

import random
import zlib

from .assets import asset, stat_script
from .htmlkit import attr, esc, rel, render_blocks
from .portals import COLUMN_INFO, YN_FOOTER
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SectionSpec
from .vocab import MINISTRIES, OFFSITE_LINKS, PROVINCES, YN_DEPARTMENTS, YN_PREFECTURES

PER_PAGE = 20

# Static (non-news) pages: path -> (title, paragraphs).
STATIC_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/zwgk/index.html": ("政务公开", (
        "云南省人民政府门户网站政务公开栏目集中发布省政府及其办公厅文件、政策解读、人事任免、"
        "财政预决算、统计信息等政府信息。",
        "公民、法人或者其他组织可以通过本栏目查阅主动公开的政府信息，也可以依法申请获取相关政府信息。",
    )),
    "/hdjl/index.html": ("互动交流", (
        "互动交流栏目设有省长信箱、网上调查、在线访谈、意见征集等版块，欢迎社会各界积极建言献策。",
        "来信请如实填写个人信息和联系方式，我们将按照有关规定及时办理和答复。",
    )),
    "/yngk/index.html": ("走进云南", (
        "云南省位于中国西南边陲，总面积39.41万平方公里，辖16个州（市）、129个县（市、区）。",
        "云南是全国民族种类最多的省份，除汉族外，人口在6000人以上的世居少数民族有25个。",
        "云南地处低纬高原，地形地貌复杂，气候类型多样，素有“植物王国”“动物王国”之称。",
    )),
    "/lxwm/index.html": ("联系我们", (
        "主办单位：云南省人民政府办公厅",
        "地址：云南省昆明市呈贡区彩云中路1号　邮编：650228",
        "网站内容咨询及纠错请通过页面底部“我为政府网站找错”反馈，我们将及时处理。",
    )),
    "/wzsm/index.html": ("网站声明", (
        "云南省人民政府门户网站所登载的各类信息，版权归云南省人民政府办公厅所有。",
        "凡转载本网站信息，请注明来源。未经授权，任何单位和个人不得以镜像等方式复制本网站内容。",
        "本网站链接的外部网站所提供的信息由其自行负责，本网站不承担由此产生的任何责任。",
    )),
}

ZWFW = "https://zwfw.yn.gov.cn/portal/"
NAV: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("首页", "/index.html", []),
    ("要闻动态", "/ywdt/index.html", [
        ("云南要闻", "/ywdt/ynyw/index.html"), ("部门动态", "/ywdt/bmdt/index.html"),
        ("州市动态", "/ywdt/zsdt/index.html"), ("国务院信息", "https://www.gov.cn/yaowen/"),
        ("新闻发布会", "/ywdt/index.html#xwfbh"), ("图片新闻", "/ywdt/index.html#tpxw"),
        ("视频新闻", "/ywdt/index.html#spxw"),
    ]),
    ("政务公开", "/zwgk/index.html", [
        ("政策文件", "/zwgk/index.html#zcwj"), ("政策解读", "/zwgk/index.html#zcjd"),
        ("人事任免", "/zwgk/index.html#rsrm"), ("统计信息", "/zwgk/index.html#tjxx"),
        ("财政预决算", "/zwgk/index.html#czyjs"), ("规划计划", "/zwgk/index.html#ghjh"),
        ("重点领域信息公开", "/zwgk/index.html#zdly"), ("建议提案办理", "/zwgk/index.html#jyta"),
        ("政府信息公开年报", "/zwgk/index.html#ndbg"), ("政府公报", "/zwgk/index.html#zfgb"),
    ]),
    ("政务服务", ZWFW, [
        ("个人办事", ZWFW + "#/personal"), ("法人办事", ZWFW + "#/legal"),
        ("部门服务", ZWFW + "#/department"), ("州市服务", ZWFW + "#/region"),
        ("便民服务", ZWFW + "#/convenience"), ("好差评", ZWFW + "#/evaluate"),
    ]),
    ("互动交流", "/hdjl/index.html", [
        ("省长信箱", "/hdjl/index.html#szxx"), ("在线访谈", "/hdjl/index.html#zxft"),
        ("意见征集", "/hdjl/index.html#yjzj"), ("网上调查", "/hdjl/index.html#wsdc"),
        ("智能问答", "/hdjl/index.html#znwd"), ("留言选登", "/hdjl/index.html#lyxd"),
    ]),
    ("走进云南", "/yngk/index.html", [
        ("云南概况", "/yngk/index.html#gk"), ("历史文化", "/yngk/index.html#lswh"),
        ("旅游资源", "/yngk/index.html#lyzy"), ("民族风情", "/yngk/index.html#mzfq"),
        ("行政区划", "/yngk/index.html#xzqh"),
    ]),
    ("数据开放", "https://data.yn.gov.cn/", []),
]

WZA_TOOLS = ("声音", "语速", "阅读方式", "配色", "放大", "缩小", "大鼠标", "十字线", "显示屏",
             "重置", "读屏专用", "帮助", "退出服务")
COUNCILS = (("云南省人大常委会", "http://www.srd.yn.gov.cn/"),
            ("政协云南省委员会", "http://www.ynzx.gov.cn/"),
            ("云南省监察委员会", "http://www.ynjjjc.gov.cn/"),
            ("云南省高级人民法院", "http://www.gy.yn.gov.cn/"),
            ("云南省人民检察院", "http://www.yn.jcy.gov.cn/"))
_DEPT_CODES = ("yndrc", "gxt", "jyt", "kjt", "czt", "hrss", "dnr", "sthjt", "zfcxjst", "jtyst",
               "nync", "swt", "whhlyt", "ynswsjkw", "yjglt", "amr", "ynxczx", "lcj")


def _target(href: str) -> str:
    return ' target="_blank"' if href.startswith("http") else ""


def _on(current: bool) -> str:
    return ' class="on"' if current else ""


def _meta(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f'<meta name="{name}" content="{attr(value)}">' for name, value in pairs)


def _site_meta(portal: PortalSpec) -> list[tuple[str, str]]:
    return [("SiteName", portal.name), ("SiteDomain", portal.domain),
            ("SiteIDCode", portal.site_id_code)]


def _column_meta(section: SectionSpec) -> list[tuple[str, str]]:
    description, keywords = COLUMN_INFO[section.id]
    return [("ColumnName", section.name), ("ColumnDescription", description),
            ("ColumnKeywords", keywords), ("ColumnType", "要闻动态")]


def _simple_meta(portal: PortalSpec, name: str, description: str = "") -> list[tuple[str, str]]:
    return [*_site_meta(portal), ("ColumnName", name), ("ColumnType", name),
            ("ColumnDescription", description or name), ("ColumnKeywords", name)]


def _head(title: str, metas: list[tuple[str, str]], extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=1.0">
<meta name="renderer" content="webkit">
{_meta(metas)}
<title>{esc(title)}</title>
<style type="text/css">
{asset("trs.css")}
{asset("trs_old.css")}
</style>
<script type="text/javascript">
{asset("trs.js")}
</script>{extra}
</head>
"""


def _nav(current: str) -> str:
    items = []
    for name, href, subs in NAV:
        sub = ""
        if subs:
            links = "".join(f'<a href="{attr(h)}"{_target(h)}>{esc(n)}</a>' for n, h in subs)
            sub = f'<div class="sub">{links}</div>'
        items.append(f'<li{_on(name == current)}><a href="{attr(href)}"{_target(href)}>'
                     f"{esc(name)}</a>{sub}</li>")
    return "\n".join(items)


def _header(current: str) -> str:
    tools = "".join(f"<li><i></i>{esc(t)}</li>" for t in WZA_TOOLS)
    return f"""<body>
<div class="wza-toolbar" id="wza-toolbar"><ul>{tools}</ul></div>
<div class="topbar"><div class="w1200 clearfix">
<div class="date">今天是：<span id="today"></span></div>
<div class="tools"><a href="javascript:toggleWza();">无障碍</a>
<a href="javascript:toggleOldMode();">长者版</a>
<a href="https://www.gov.cn/" target="_blank">中国政府网</a>
<a href="/wzdt/index.html">网站地图</a>
<a href="https://en.yn.gov.cn/" target="_blank">English</a></div>
</div></div>
<div class="header"><div class="w1200 clearfix">
<div class="logo">云南省人民政府<small>www.yn.gov.cn</small></div>
<form class="search" action="/search/search.html" method="get" target="_blank"
 onsubmit="return checkSearch(this);">
<input type="text" class="txt" name="searchword" value="" placeholder="请输入关键词">
<input type="submit" class="btn" value="搜索">
</form>
</div></div>
<div class="nav"><ul class="w1200 clearfix">
{_nav(current)}
</ul></div>
"""


def _select(title: str, links: list[tuple[str, str]]) -> str:
    options = "\n".join(f'<option value="{attr(url)}">{esc(name)}</option>'
                        for name, url in links)
    return (f'<select onchange="if(this.value){{window.open(this.value);}}">\n'
            f'<option value="">{esc(title)}</option>\n{options}\n</select>')


def _footer(portal: PortalSpec) -> str:
    prefectures = [(full + "人民政府", f"https://{domain}/")
                   for full, _, domain in YN_PREFECTURES.values()]
    departments = [(full, f"https://{code}.yn.gov.cn/")
                   for (_, full), code in zip(YN_DEPARTMENTS, _DEPT_CODES, strict=True)]
    provinces = [(name, url) for name, url in PROVINCES if name != "云南"]
    councils = " | ".join(f'<a href="{url}" target="_blank">{name}</a>' for name, url in COUNCILS)
    f = YN_FOOTER
    police = (f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode='
              f'{f["police_code"]}" target="_blank">{f["police"]}</a>')
    icp = f'<a href="https://beian.miit.gov.cn/" target="_blank">{f["icp"]}</a>'
    return f"""<div class="w1200 links_bar">
{_select("国务院部门网站", MINISTRIES)}
{_select("省级政府网站", provinces)}
{_select("州（市）政府网站", prefectures)}
{_select("省级部门网站", departments)}
</div>
<div class="footer"><div class="w1200 clearfix">
<div class="dzjg"><a href="https://bszs.conac.cn/sitename?method=show&amp;id={portal.site_id_code}"
 target="_blank">党政机关</a></div>
<div class="jiucuo"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=\
{portal.site_id_code}" target="_blank">我为政府网站找错</a></div>
<p class="councils">{councils}</p>
<p class="bottom_nav"><a href="/wzdt/index.html">网站地图</a>|\
<a href="/lxwm/index.html">联系我们</a>|<a href="/wzsm/index.html">网站声明</a></p>
<p>主办单位：{f["host"]}　运行维护：{f["operator"]}　政务服务便民热线：{f["hotline"]}</p>
<p>{icp}　政府网站标识码：{portal.site_id_code}　{police}</p>
<p><span class="ipv6">网站支持IPv6</span></p>
</div></div>
<div class="m-footer">
<p><a href="https://www.gov.cn/" target="_blank">中国政府网</a></p>
<p>主办单位：{f["host"]}</p><p>运行维护：{f["operator"]}</p>
<p>政务服务便民热线：{f["hotline"]}</p>
<p>网站支持IPv6　{icp}　政府网站标识码：{portal.site_id_code}　{police}</p>
</div>
<a href="javascript:window.scrollTo(0,0);" class="gotop" id="gotop">顶部</a>
<script type="text/javascript">
{stat_script(portal.site_id_code, "trs", "tj.yn.gov.cn")}
</script>
</body>
</html>
"""


def _items(from_path: str, items: list[ListItem]) -> str:
    return "\n".join(
        f'<li><a href="{attr(rel(from_path, item.path))}" title="{attr(item.title)}" '
        f'target="_blank">{esc(item.title)}</a><span>{item.date}</span></li>'
        for item in items
    )


def _sidebar(portal: PortalSpec, current: str) -> str:
    links = "".join(f'<li{_on(s.id == current)}><a href="{s.list_path}">{esc(s.name)}</a></li>'
                    for s in portal.sections)
    return f'<div class="list_left"><h2>要闻动态</h2><ul>{links}</ul></div>'


def _crumb(*links: tuple[str, str]) -> str:
    parts = "<span> &gt; </span>".join(f'<a href="{href}">{esc(name)}</a>' for name, href in links)
    return f'<div class="crumb">当前位置：{parts}</div>'


def list_page(portal: PortalSpec, section: SectionSpec, items: list[ListItem], page: int,
              pages: int) -> str:
    """One list page; the page count is only in the createPageHTML call."""
    path = section.path + ("index.html" if page == 0 else f"index_{page}.html")
    metas = _site_meta(portal) + _column_meta(section)
    pager = f'\n<script type="text/javascript">\n{asset("trs_pager.js")}\n</script>'
    crumb = _crumb(("首页", "../../"), ("要闻动态", "../"), (section.name, "./"))
    return _head(f"{section.name}_{portal.name}", metas, pager) + _header("要闻动态") + f"""
<div class="w1200 main clearfix">
{crumb}
{_sidebar(portal, section.id)}
<div class="list_right">
<div class="tit">{esc(section.name)}</div>
<ul class="list">
{_items(path, items)}
</ul>
<div class="page"><script type="text/javascript">
createPageHTML({pages}, {page}, "index", "html");
</script></div>
</div>
</div>
""" + _footer(portal)


def _related(path: str, related: list[ArticleSpec]) -> str:
    return "\n".join(
        f'<li><a href="{attr(rel(path, a.path))}" target="_blank">{esc(a.title)}</a>'
        f"<span>{a.published_at[:10]}</span></li>"
        for a in related
    )


def _attachments(article: ArticleSpec) -> str:
    if not article.attachments:
        return ""
    links = "\n".join(
        f'<p><a href="{attr(rel(article.path, a.path))}" target="_blank">'
        f"附件{n}：{esc(a.filename)}</a></p>"
        for n, a in enumerate(article.attachments, start=1)
    )
    return f'<div class="fujian"><p>附件下载：</p>\n{links}\n</div>'


def _link(path: str, other: ArticleSpec | None) -> str:
    if other is None:
        return "没有了"
    return f'<a href="{attr(rel(path, other.path))}">{esc(other.title)}</a>'


def _body(article: ArticleSpec, detail: ArticleDetail) -> str:
    rng = random.Random(zlib.crc32(article.path.encode("ascii")))
    images = {b.src: rel(article.path, b.src) for b in detail.blocks if b.kind == "image"}
    body = render_blocks(detail.blocks, detail.style, rng, images)
    if detail.style == 2:
        return (f'<div class="TRS_Editor"><style type="text/css">\n{asset("trs_editor.css")}\n'
                f"</style>\n{body}\n</div>")
    return f'<div class="view TRS_UEDITOR trs_paper_default trs_web">\n{body}\n</div>'


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail, related: list[ArticleSpec],
                 prev_next: tuple[ArticleSpec | None, ArticleSpec | None]) -> str:
    """An article page with the full template around the body."""
    date, time = article.published_at[:10], article.published_at[11:19]
    meta_author = article.author or (detail.editor if detail.views % 2 else "")
    metas = [*_site_meta(portal), *_column_meta(section),
             ("ArticleTitle", article.title), ("PubDate", f"{date} {time[:5]}"),
             ("ContentSource", article.source), ("Keywords", detail.keywords),
             ("Author", meta_author), ("Description", detail.description),
             ("Url", f"https://{portal.domain}{article.path}")]
    kicker = f'<div class="yinti">{esc(article.kicker)}</div>\n' if article.kicker else ""
    author = f"\n<span>作者：{esc(article.author)}</span>" if article.author else ""
    crumb = _crumb(("首页", "../../../"), ("要闻动态", "../../"), (section.name, "../"))
    zoom = " ".join(f'<a href="javascript:doZoom({size});">{label}</a>'
                    for label, size in (("大", 20), ("中", 18), ("小", 16)))
    share = ('分享到：<a href="javascript:shareTo(\'weibo\');" title="分享到微博">微博</a>'
             '<a href="javascript:void(0);" class="wx" title="分享到微信">微信</a>'
             '<div class="qrcode"><p>微信扫一扫：分享</p><p>微信里点“发现”，扫一下</p>'
             "<p>二维码便可将本文分享至朋友圈。</p></div>"
             '<a href="javascript:shareTo(\'qzone\');" title="分享到QQ空间">QQ空间</a>')
    prev, nxt = prev_next
    title = f"{article.title}_{section.name}_{portal.name}"
    return _head(title, metas) + _header("要闻动态") + f"""
<div class="w1200 main">
{crumb}
<div class="detail">
<div class="detail_title">
{kicker}<h1>{esc(article.title)}</h1>
</div>
<div class="detail_info">
<span>来源：{esc(article.source)}</span>{author}
<span>发布时间：{date} {time}</span>
<span class="fontsize">【字体：{zoom}】</span>
<a href="javascript:window.print();">打印本页</a>
</div>
<div class="detail_con" id="zoom">
{_body(article, detail)}
</div>
{_attachments(article)}
<div class="zrbj">责任编辑：{esc(detail.editor)}</div>
<div class="share">{share}</div>
<div class="xgwd"><h3>相关文档</h3><ul>
{_related(article.path, related)}
</ul></div>
<div class="prevnext"><p>上一篇：{_link(article.path, prev)}</p>\
<p>下一篇：{_link(article.path, nxt)}</p></div>
</div>
</div>
""" + _footer(portal)


def _block(name: str, more: str, items: str) -> str:
    return (f'<div class="home_block"><h2>{esc(name)}<a class="more" href="{more}">'
            f"更多&gt;&gt;</a></h2><ul>\n{items}\n</ul></div>")


def home_page(portal: PortalSpec, lists: dict[str, list[ListItem]]) -> str:
    """The portal homepage: latest items of each section and off-site links."""
    blocks = "\n".join(
        _block(s.name, "./" + s.path.strip("/") + "/", _items("/index.html", lists[s.id][:8]))
        for s in portal.sections
    )
    links = "".join(f'<li><a href="{url}" target="_blank">{esc(name)}</a></li>'
                    for name, url in OFFSITE_LINKS)
    metas = _simple_meta(portal, "首页", "云南省人民政府门户网站")
    return _head(portal.name, metas) + _header("首页") + f"""
<div class="w1200 main clearfix">
{blocks}
<div class="home_block"><h2>政务服务</h2><ul>
<li><a href="https://zwfw.yn.gov.cn/" target="_blank">云南政务服务网</a></li>
<li><a href="/zwgk/index.html">政务公开</a></li><li><a href="/hdjl/index.html">互动交流</a></li>
<li><a href="/yngk/index.html">走进云南</a></li><li><a href="/wzdt/index.html">网站地图</a></li>
</ul></div>
<div class="home_block"><h2>友情链接</h2><ul>{links}</ul></div>
</div>
""" + _footer(portal)


def column_index(portal: PortalSpec, lists: dict[str, list[ListItem]]) -> str:
    """/ywdt/index.html: the news column's front page."""
    blocks = "\n".join(
        _block(s.name, "./" + s.path.strip("/").split("/")[-1] + "/",
               _items("/ywdt/index.html", lists[s.id][:6]))
        for s in portal.sections
    )
    metas = _simple_meta(portal, "要闻动态")
    crumb = _crumb(("首页", "../"), ("要闻动态", "./"))
    return _head(f"要闻动态_{portal.name}", metas) + _header("要闻动态") + f"""
<div class="w1200 main clearfix">
{crumb}
{blocks}
</div>
""" + _footer(portal)


def static_page(portal: PortalSpec, path: str) -> str:
    """A non-news page (政务公开, 联系我们, 网站声明 …)."""
    title, paragraphs = STATIC_PAGES[path]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    crumb = _crumb(("首页", "../"), (title, "./"))
    return _head(f"{title}_{portal.name}", _simple_meta(portal, title)) + _header(title) + f"""
<div class="w1200 main">
{crumb}
<div class="plain">
<h2 style="text-align:center;padding:20px 0;color:#c40000">{esc(title)}</h2>
{body}
</div>
</div>
""" + _footer(portal)


def sitemap_page(portal: PortalSpec) -> str:
    """/wzdt/index.html: 网站地图."""
    rows = []
    for name, href, subs in NAV[1:]:
        links = "".join(f'<a href="{attr(h)}"{_target(h)}>{esc(n)}</a>' for n, h in subs)
        links = links or f'<a href="{attr(href)}"{_target(href)}>{esc(name)}</a>'
        rows.append(f"<dl><dt>{esc(name)}</dt><dd>{links}</dd></dl>")
    crumb = _crumb(("首页", "../"), ("网站地图", "./"))
    return _head(f"网站地图_{portal.name}", _simple_meta(portal, "网站地图")) + _header("") + f"""
<div class="w1200 main">
{crumb}
<div class="sitemap">
{"".join(rows)}
</div>
</div>
""" + _footer(portal)
