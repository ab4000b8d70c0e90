"""sample-hg: a portal behind JavaScript walls (modelled on the customs portal, which public
trackers report answering with both 加速乐 and 瑞数).

- The whole site (robots.txt excepted) sits behind a 加速乐-like wall: without a valid
  clearance the answer is HTTP 521 with `X-Via-JSL`, a `__jsluid_h` cookie and a script
  that computes the `__jsl_clearance_s` cookie from a nonce that changes on every visit.
  The clearance then holds for the site: the cookie hand-off passes it.
- 通知公告 also sits behind a 瑞数-like wall: HTTP 412 with a one-time seed, and a script
  that computes a token from the seed and the page's path into a cookie and reloads. A
  token opens one page once, so only a browser fetching every page passes it.
- 数据发布's list page holds no items: a script fetches them as JSON
  (`/customs/api/list?column=…&page=N`) and writes the list and its 下一页 link; its
  article pages carry their body as a script's string, written into the page on load.

No plain HTTP client passes a wall without running its script (tests/test_browser.py).
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from .chrome import article_body, article_metas, column_meta, meta_tags, simple_meta, site_meta
from .htmlkit import attr, esc
from .portals import HG
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, published
from .specs import ArticleDetail, ArticleSpec, ListItem, PortalSpec, SampleSite, SectionSpec
from .text import body_text
from .textgen import generate, person_name, province_scope
from .vocab import SN_CITIES

SECTION_SIZES = {"hgyw": 14, "tzgg": 6, "sjfb": 12}
PER_PAGE = 10
HTML_TYPE = "text/html;charset=UTF-8"
RS_SECTION = "tzgg"
SCRIPT_SECTION = "sjfb"
API_PATH = "/customs/api/list"
ISSUED_MAX = 20_000  # challenge values the server remembers (oldest forgotten first)
FIRST_DAY = datetime(2025, 3, 3)
LAST_DAY = datetime(2026, 4, 10)
SOURCES = ("海关总署", "海关总署新闻宣传处", "海关总署办公厅", "西安海关", "南京海关", "广州海关")


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(parts).encode("utf-8")))


def _directory(section: SectionSpec) -> str:
    return section.list_path.rsplit("/", 1)[0] + "/"


# -- the site -----------------------------------------------------------------------------------
def add_walled_portal(builder: object) -> None:
    """Add sample-hg's articles and lists to the site being built (site._Builder)."""
    titles = {a.title for a in builder.articles}  # type: ignore[attr-defined]
    ident = 5_430_000
    scope = province_scope("全国", SN_CITIES, region="全国", department="海关总署")
    for section in HG.sections:
        rng = _rng(HG.id, section.id)
        span = int((LAST_DAY - FIRST_DAY).total_seconds())
        times = sorted(FIRST_DAY + timedelta(seconds=rng.randrange(span))
                       for _ in range(SECTION_SIZES[section.id]))
        for when in times:
            ident += rng.randint(300, 5000)
            draft = generate(rng, scope, when)
            while draft.title in titles:
                draft = generate(rng, scope, when)
            titles.add(draft.title)
            path = f"{_directory(section)}{ident}/index.html"
            text = body_text(draft.blocks)
            author = person_name(rng) if rng.random() < 0.3 else None
            builder.articles.append(ArticleSpec(  # type: ignore[attr-defined]
                portal_id=HG.id, section_ids=(section.id,), path=path, title=draft.title,
                kicker=None, published_at=when.strftime("%Y-%m-%dT%H:%M:00+08:00"),
                source=rng.choice(SOURCES), author=author, text=text))
            builder.details[(HG.id, path)] = ArticleDetail(  # type: ignore[attr-defined]
                blocks=draft.blocks, style=rng.randrange(3), keywords=draft.topic.keywords,
                description=text.split("\n", 1)[0][:80], editor=person_name(rng),
                views=rng.randint(100, 5000))
            builder.lists.setdefault((HG.id, section.id), []).append(  # type: ignore[attr-defined]
                (when, ListItem(path, draft.title, f"{when:%Y-%m-%d}")))


# -- templates -----------------------------------------------------------------------------------
def _head(portal: PortalSpec, title: str, metas: list[tuple[str, str]], extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{meta_tags([*site_meta(portal), *metas])}
<title>{esc(title)}</title>
<style>body{{font:14px/1.8 "Microsoft YaHei",sans-serif;margin:0}}.w{{width:1100px;\
margin:0 auto}}.nav a{{margin-right:18px}}.list li span{{float:right}}</style>{extra}
</head>
<body>
<div class="top w"><a href="/customs/index.html">首页</a> | <a href="https://www.gov.cn/">\
中国政府网</a> | <a href="javascript:void(0)" onclick="return false">无障碍浏览</a></div>
<div class="header w"><div class="logo">中华人民共和国海关总署</div>
<div class="nav">{''.join(f'<a href="{attr(s.list_path)}">{esc(s.name)}</a>'
                         for s in portal.sections)}</div></div>
"""


def _foot(portal: PortalSpec) -> str:
    return f"""<div class="footer w"><p>主办单位：中华人民共和国海关总署　版权所有</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">京ICP备17015317号</a>　\
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010102002156" \
target="_blank">京公网安备 11010102002156号</a>　网站标识码：{portal.site_id_code}</p></div>
</body>
</html>
"""


def page_name(section: SectionSpec, number: int) -> str:
    """index.html, index_2.html … of a section."""
    return _directory(section) + ("index.html" if number == 1 else f"index_{number}.html")


def list_page(portal: PortalSpec, section: SectionSpec, items: list[ListItem], number: int,
              pages: int) -> str:
    """A list rendered on the server, 下一页 linking the next page."""
    lis = "\n".join(f'<li><a href="{attr(i.path)}" target="_blank" title="{attr(i.title)}">'
                    f"{esc(i.title)}</a><span>{i.date}</span></li>" for i in items)
    pager = f"<span>第{number}页 共{pages}页</span>"
    if number < pages:
        pager += f' <a href="{attr(page_name(section, number + 1))}">下一页</a>'
    return _head(portal, f"{section.name}-{portal.name}", column_meta(portal, section)) + f"""\
<div class="w"><div class="position">当前位置：<a href="/customs/index.html">首页</a> &gt; \
{esc(section.name)}</div>
<ul class="list conList_ul">
{lis}
</ul>
<div class="pager">{pager}</div></div>
""" + _foot(portal)


LIST_SCRIPT = """
(function () {
  var m = /[?&]page=(\\d+)/.exec(location.search);
  var page = m ? parseInt(m[1], 10) : 1;
  var x = new XMLHttpRequest();
  x.open("GET", "%(api)s?column=%(column)s&page=" + page);
  x.onload = function () {
    var d = JSON.parse(x.responseText), ul = document.getElementById("list"), h = [];
    for (var i = 0; i < d.items.length; i++) {
      var it = d.items[i], a = document.createElement("a"), li = document.createElement("li");
      var s = document.createElement("span");
      a.href = it.url; a.title = it.title; a.textContent = it.title; a.target = "_blank";
      s.textContent = it.date; li.appendChild(a); li.appendChild(s); ul.appendChild(li);
    }
    var p = document.getElementById("pager");
    p.textContent = "第" + d.page + "页 共" + d.pages + "页 ";
    if (d.page < d.pages) {
      var n = document.createElement("a");
      n.href = "?page=" + (d.page + 1); n.textContent = "下一页"; p.appendChild(n);
    }
  };
  x.send();
})();
"""


def script_list_page(portal: PortalSpec, section: SectionSpec) -> str:
    """A list page whose items a script fetches as JSON and writes into the page."""
    script = LIST_SCRIPT % {"api": API_PATH, "column": section.id}
    return _head(portal, f"{section.name}-{portal.name}", column_meta(portal, section)) + f"""\
<div class="w"><div class="position">当前位置：<a href="/customs/index.html">首页</a> &gt; \
{esc(section.name)}</div>
<ul class="list conList_ul" id="list"></ul>
<div class="pager" id="pager"></div></div>
<script>{script}</script>
""" + _foot(portal)


def article_page(portal: PortalSpec, section: SectionSpec, article: ArticleSpec,
                 detail: ArticleDetail) -> str:
    """An article page; in the script-written section its body comes as a JavaScript
    string that a script puts into the page (the page as received holds no text)."""
    pub = article.published_at
    author = f"\n<span>作者：{esc(article.author)}</span>" if article.author else ""
    metas = article_metas(portal, section, article, detail)
    body = article_body(article, detail)
    if section.id == SCRIPT_SECTION:
        data = json.dumps({"content": body}, ensure_ascii=False).replace("</", "<\\/")
        body = (f"</div>\n<script>var _d={data};document.getElementById('easysiteText')"
                ".innerHTML=_d.content;</script>\n<div>")
    return _head(portal, f"{article.title}-{portal.name}", metas) + f"""\
<div class="w"><div class="position">当前位置：<a href="/customs/index.html">首页</a> &gt; \
<a href="{attr(section.list_path)}">{esc(section.name)}</a></div>
<div class="atcle-title"><h2>{esc(article.title)}</h2></div>
<div class="atcle-info"><span>来源：{esc(article.source)}</span>{author}
<span>发布时间：{pub[:10]} {pub[11:16]}</span></div>
<div class="atcle-con easysite-news-text" id="easysiteText">
{body}
</div>
<div class="atcle-tools"><a href="javascript:window.print()">【打印本页】</a>\
<a href="javascript:window.close()">【关闭窗口】</a></div></div>
""" + _foot(portal)


# -- the walls ------------------------------------------------------------------------------------
def _cookies(headers: Mapping[str, str]) -> dict[str, str]:
    jar = SimpleCookie()
    try:
        jar.load(headers.get("Cookie") or "")
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def jsl_value(nonce: str, key: int) -> int:
    """What the 加速乐-like script computes (the same arithmetic as its JavaScript)."""
    value = 0
    for char in nonce:
        value = (value * 31 + ord(char) + key) % 1_000_000_007
    return value


def rs_token(seed: str, path: str) -> int:
    """What the 瑞数-like script computes for a page's path."""
    value = 0
    for i, char in enumerate(path):
        value = (value * 131 + ord(char) + ord(seed[i % len(seed)])) % 2_147_483_647
    return value


class Walls:
    """The two walls' state: values issued by each challenge, checked on the way back."""

    def __init__(self, portal: PortalSpec) -> None:
        self.rs_prefix = _directory(portal.section(RS_SECTION))
        self._jsl: OrderedDict[str, tuple[str, int]] = OrderedDict()  # nonce -> (uid, key)
        self._rs: OrderedDict[str, bool] = OrderedDict()  # seed -> unused
        self._lock = threading.Lock()
        self._counter = 0

    def _fresh(self, kind: str) -> str:
        with self._lock:
            self._counter += 1
            count = self._counter
        return hashlib.sha1(f"{kind}{count}{id(self)}".encode()).hexdigest()[:16]

    def _remember(self, table: OrderedDict, key: str, value: object) -> None:
        with self._lock:
            table[key] = value
            while len(table) > ISSUED_MAX:
                table.popitem(last=False)

    def __call__(self, path: str, query: str, headers: Mapping[str, str]) -> Resource | None:
        if path == "/robots.txt":
            return None
        cookies = _cookies(headers)
        if not self._jsl_passed(cookies):
            return self._jsl_challenge()
        if path.startswith(self.rs_prefix) and not self._rs_passed(cookies, path):
            return self._rs_challenge()
        return None

    def _jsl_passed(self, cookies: dict[str, str]) -> bool:
        nonce, _, value = cookies.get("__jsl_clearance_s", "").partition("|")
        with self._lock:
            issued = self._jsl.get(nonce)
        if issued is None or cookies.get("__jsluid_h") != issued[0]:
            return False
        return value == str(jsl_value(nonce, issued[1]))

    def _jsl_challenge(self) -> Resource:
        nonce, uid = self._fresh("nonce"), self._fresh("uid") + self._fresh("uid")
        key = int(nonce[:4], 16) % 997 + 3
        self._remember(self._jsl, nonce, (uid, key))
        page = (f'<script>var _n="{nonce}",_k={key},h=0;for(var i=0;i<_n.length;i++)'
                "{h=(h*31+_n.charCodeAt(i)+_k)%1000000007;}"
                'document.cookie="__jsl_clearance_s="+_n+"|"+h+";max-age=3600;path=/";'
                "location.href=location.pathname+location.search</script>").encode("ascii")
        headers = (("X-Via-JSL", f"{nonce[:7]},-"),
                   ("Set-Cookie", f"__jsluid_h={uid}; max-age=31536000; path=/; HttpOnly"),
                   ("Cache-Control", "no-cache"))
        return Resource(page, "text/html", STATIC_TIME, compressible=False,
                        extra_headers=headers, status=521)

    def _rs_passed(self, cookies: dict[str, str], path: str) -> bool:
        seed, _, value = cookies.get("_rs_t", "").partition(".")
        with self._lock:
            if not self._rs.get(seed) or value != str(rs_token(seed, path)):
                return False
            self._rs[seed] = False  # a token opens one page once
        return True

    def _rs_challenge(self) -> Resource:
        seed = self._fresh("seed")
        self._remember(self._rs, seed, True)
        page = (
            '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset=utf-8"><script>$_ts=window["$_ts"]||{{}};$_ts.nsd={int(seed[:5], 16)};'
            f'var s="{seed}",p=location.pathname,t=0;for(var i=0;i<p.length;i++)'
            "{t=(t*131+p.charCodeAt(i)+s.charCodeAt(i%s.length))%2147483647;}"
            'document.cookie="_rs_t="+s+"."+t+";path=/";location.reload();'
            "</script></head><body></body></html>").encode("ascii")
        headers = (("Set-Cookie", f"FSSBBIl1UgzbN7N80S={self._fresh('ts')}; Path=/; HttpOnly"),
                   ("Cache-Control", "no-cache, no-store"))
        return Resource(page, "text/html", STATIC_TIME, compressible=False,
                        extra_headers=headers, status=412)


class _ListApi:
    """The JSON the script-written list fetches: `?column=ID&page=N`."""

    def __init__(self, items: dict[str, list[ListItem]]) -> None:
        self.items = items

    def __call__(self, path: str, query: str) -> Resource | None:
        if path != API_PATH:
            return None
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        items = self.items.get(params.get("column", ""))
        try:
            page = int(params.get("page", "1"))
        except ValueError:
            page = 0
        if items is None or page < 1:
            body = json.dumps({"error": "bad column or page"}).encode()
            return Resource(body, "application/json", STATIC_TIME, status=400)
        pages = max(1, -(-len(items) // PER_PAGE))
        chunk = items[(page - 1) * PER_PAGE: page * PER_PAGE]
        body = json.dumps({"page": page, "pages": pages, "items": [
            {"title": i.title, "url": i.path, "date": i.date} for i in chunk]},
            ensure_ascii=False).encode("utf-8")
        return Resource(body, "application/json;charset=UTF-8", STATIC_TIME)


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """Every page of sample-hg, its list API and its walls."""
    routes = PortalRoutes(portal)
    routes.gate = Walls(portal)

    def page(path: str, text: str, when: datetime) -> None:
        routes.pages[path] = Resource(text.encode("utf-8"), HTML_TYPE, when)

    articles = [a for a in site.articles if a.portal_id == portal.id]
    newest = max(published(a) for a in articles)
    home_links = "".join(f'<li><a href="{attr(s.list_path)}">{esc(s.name)}</a></li>'
                         for s in portal.sections)
    home = (_head(portal, portal.name, simple_meta("首页"))
            + f'<div class="w"><ul>{home_links}</ul></div>\n' + _foot(portal))
    page("/customs/index.html", home, newest)
    page("/index.html", home, newest)
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    api_items: dict[str, list[ListItem]] = {}
    for section in portal.sections:
        items = site.lists[(portal.id, section.id)]
        if section.id == SCRIPT_SECTION:
            api_items[section.id] = items
            page(section.list_path, script_list_page(portal, section), newest)
            continue
        pages = max(1, -(-len(items) // PER_PAGE))
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * PER_PAGE: number * PER_PAGE]
            page(page_name(section, number), list_page(portal, section, chunk, number, pages),
                 newest)
    routes.dynamic.append(_ListApi(api_items))
    for article in articles:
        section = portal.section(article.section_ids[0])
        detail = site.details[(portal.id, article.path)]
        page(article.path, article_page(portal, section, article, detail), published(article))
    return routes
