"""Page parts shared by the templates of the added portals: meta tags, footers, static pages."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator

from .htmlkit import attr, esc, render_blocks
from .portals import NEW_COLUMN_INFO
from .specs import ArticleDetail, ArticleSpec, PortalSpec, SectionSpec
from .vocab import MINISTRIES, PROVINCES

# Static pages every added portal serves: path -> (title, paragraphs); {name} is the portal.
STATIC_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "/lxwm/index.html": ("联系我们", (
        "主办单位：{host}",
        "网站内容咨询及纠错请通过页面底部“我为政府网站找错”反馈，我们将及时处理。",
    )),
    "/wzsm/index.html": ("网站声明", (
        "{name}门户网站所登载的各类信息，版权归{host}所有。",
        "凡转载本网站信息，请注明来源。未经授权，任何单位和个人不得以镜像等方式复制本网站内容。",
    )),
}


def meta_tags(pairs: list[tuple[str, str]]) -> str:
    """`<meta name=… content=…>` lines."""
    return "\n".join(f'<meta name="{name}" content="{attr(value)}">' for name, value in pairs)


def site_meta(portal: PortalSpec) -> list[tuple[str, str]]:
    """SiteName, SiteDomain and SiteIDCode."""
    return [("SiteName", portal.name), ("SiteDomain", portal.domain),
            ("SiteIDCode", portal.site_id_code)]


def column_meta(portal: PortalSpec, section: SectionSpec) -> list[tuple[str, str]]:
    """ColumnName, ColumnDescription, ColumnKeywords and ColumnType of a news column."""
    description, keywords = NEW_COLUMN_INFO[(portal.id, section.id)]
    return [("ColumnName", section.name), ("ColumnDescription", description),
            ("ColumnKeywords", keywords), ("ColumnType", "要闻动态")]


def simple_meta(name: str) -> list[tuple[str, str]]:
    """Column meta tags of a page that is not a news column."""
    return [("ColumnName", name), ("ColumnType", name), ("ColumnDescription", name),
            ("ColumnKeywords", name)]


def article_meta(portal: PortalSpec, url_path: str, title: str, published_at: str,
                 source: str, keywords: str, author: str, description: str
                 ) -> list[tuple[str, str]]:
    """The article meta tags of 《政府网站发展指引》."""
    pub = f"{published_at[:10]} {published_at[11:16]}"
    return [("ArticleTitle", title), ("PubDate", pub), ("ContentSource", source),
            ("Keywords", keywords), ("Author", author), ("Description", description),
            ("Url", f"https://{portal.domain}{url_path}")]


def article_metas(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                  detail: ArticleDetail, path: str | None = None) -> list[tuple[str, str]]:
    """Column and article meta tags of an article page served at `path` (default its own)."""
    return [*column_meta(portal, section),
            *article_meta(portal, path or article.path, article.title, article.published_at,
                          article.source, detail.keywords, article.author or "",
                          detail.description)]


def article_body(article: ArticleSpec, detail: ArticleDetail, style: int | None = None) -> str:
    """The article's blocks rendered in a body style (default its own), seeded by its path."""
    rng = random.Random(zlib.crc32(article.path.encode("ascii")))
    return render_blocks(detail.blocks, detail.style if style is None else style, rng, {})


def breadcrumb(css_class: str, label: str, *links: tuple[str, str]) -> str:
    """A 当前位置 line: `label` then the links joined by &gt;."""
    parts = " &gt; ".join(f'<a href="{attr(href)}">{esc(name)}</a>' for name, href in links)
    return f'<div class="{css_class}">{label}{parts}</div>'


def link_items(articles: list[ArticleSpec]) -> str:
    """`<li>` links to the articles, opening in a new window (相关阅读 lists)."""
    return "\n".join(f'<li><a href="{attr(a.path)}" target="_blank">{esc(a.title)}</a></li>'
                     for a in articles)


def select(title: str, links: list[tuple[str, str]]) -> str:
    """A drop-down of links, as every portal footer has them."""
    options = "\n".join(f'<option value="{attr(url)}">{esc(name)}</option>' for name, url in links)
    return (f'<select onchange="if(this.value){{window.open(this.value);}}">\n'
            f'<option value="">{esc(title)}</option>\n{options}\n</select>')


def link_bar(province: str, cities: dict[str, tuple[str, tuple[str, ...], str]]) -> str:
    """The 国务院部门/省级政府/市政府 drop-downs above a footer."""
    provinces = [(name, url) for name, url in PROVINCES if name != province]
    local = [(full + "人民政府", f"https://{domain}/") for full, _, domain in cities.values()]
    return "\n".join((select("国务院部门网站", MINISTRIES), select("省级政府网站", provinces),
                      select("市（州）政府网站", local)))


def gov_footer(portal: PortalSpec, footer: dict[str, str], css_class: str) -> str:
    """A footer with the markers every government portal carries."""
    f = footer
    icp = f'<a href="https://beian.miit.gov.cn/" target="_blank">{f["icp"]}</a>'
    police = (f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode='
              f'{f["police_code"]}" target="_blank">{f["police"]}</a>')
    code = portal.site_id_code
    return f"""<div class="{css_class}">
<p><a href="/wzdt/index.html">网站地图</a> | <a href="/lxwm/index.html">联系我们</a> | \
<a href="/wzsm/index.html">网站声明</a></p>
<p>主办单位：{f["host"]}　运行维护：{f["operator"]}　政务服务便民热线：{f["hotline"]}</p>
<p>{icp}　政府网站标识码：{code}　{police}</p>
<p><span class="ipv6">网站支持IPv6</span>　\
<a href="https://bszs.conac.cn/sitename?method=show&amp;id={code}" target="_blank">党政机关</a>　\
<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={code}" \
target="_blank">我为政府网站找错</a></p>
</div>"""


def page_end(portal: PortalSpec, province: str,
             cities: dict[str, tuple[str, tuple[str, ...], str]], footer: dict[str, str],
             links_class: str, footer_class: str) -> str:
    """The link drop-downs, the footer and the end of the document."""
    return f"""<div class="{links_class}">
{link_bar(province, cities)}
</div>
{gov_footer(portal, footer, footer_class)}
</body>
</html>
"""


def static_paragraphs(portal: PortalSpec, footer: dict[str, str], path: str
                      ) -> tuple[str, str]:
    """(title, body markup) of one of the STATIC_PAGES."""
    title, paragraphs = STATIC_PAGES[path]
    body = "\n".join(f"<p>{esc(p.format(name=portal.name, host=footer['host']))}</p>"
                     for p in paragraphs)
    return title, body


def static_pages(portal: PortalSpec, footer: dict[str, str],
                 render: Callable[[PortalSpec, str, str], str]) -> Iterator[tuple[str, str]]:
    """(path, page) of each of the STATIC_PAGES, rendered by the family's plain page."""
    for path in STATIC_PAGES:
        title, body = static_paragraphs(portal, footer, path)
        yield path, render(portal, title, body)
