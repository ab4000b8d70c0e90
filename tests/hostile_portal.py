"""A compromised portal on loopback: one route per attack of the security review (issue 14),
beside ordinary articles, and a second, ordinary portal to crawl at the same time.

`HostilePortal(hostile=False)` serves the same portal without the hostile routes: the
baseline a crawl of the hostile one is measured against.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.fault_portal import make_bomb
from tests.mini_portal import answer, registry_entry

MB = 1_000_000
SPAM = ("<p>欢迎访问澳门新葡京娱乐场官网，百家乐真人视讯，365bet体育在线投注，"
        "澳门威尼斯人赌场。</p>")
PARAGRAPHS = ("<p>近日，曲靖市召开全市巩固拓展脱贫攻坚成果同乡村振兴有效衔接工作推进会，"
              "总结前一阶段工作，安排部署下一步重点任务。</p>"
              "<p>会议指出，各县（市、区）要压实责任，聚焦产业帮扶、就业帮扶和易地搬迁后续扶持，"
              "确保不发生规模性返贫。</p>") * 4
FOOTER = ("<div class='footer'><p>主办单位：测试市人民政府办公室 承办：测试市大数据中心</p>"
          "<p>滇ICP备05000000号 滇公网安备 53000002000000号 政府网站标识码：5300000099</p></div>")


def article(title: str, day: int, body: str, before: str = "", after: str = "") -> str:
    """A TRS-style article page, as the portals of the registry write them; the body ends in
    a line of its own (articles with one body are what the repeated-body alarm is for)."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_测试市人民政府'
            f'</title><meta name="ArticleTitle" content="{title}">'
            f'<meta name="PubDate" content="2026-04-{day:02d} 10:00">'
            f'<meta name="ContentSource" content="测试日报"></head><body>'
            "<div class='nav'><a href='/'>首页</a> &gt; <a href='/xw/'>要闻动态</a></div>"
            f"<h1>{title}</h1><p class='info'>发布时间：2026-04-{day:02d} 10:00 来源：测试日报</p>"
            f"{before}<div class='TRS_Editor'>{body}<p>（{title}，4月{day}日。）</p></div>"
            f"{after}{FOOTER}</body></html>")


class Server:
    """A threading HTTP server on loopback answering from a dict of routes."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.delay = 0.0  # seconds before each answer
        self.asked: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.asked.append(self.path)
                time.sleep(server.delay)
                status, headers, body = server.routes.get(
                    self.path, (404, {}, "<html><body>页面不存在</body></html>".encode()))
                answer(self, status, body, headers)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.port = self.httpd.server_port
        self.base = f"http://127.0.0.1:{self.port}"

    def page(self, path: str, html: str | bytes, status: int = 200, **headers: str) -> None:
        self.routes[path] = (status, headers,
                             html.encode("utf-8") if isinstance(html, str) else html)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _list(items: list[tuple[str, str, int]]) -> str:
    lis = "".join(f'<li><a href="{path}" target="_blank">{title}</a><span>2026-04-{day:02d}'
                  "</span></li>" for path, title, day in items)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>要闻动态_测试市人民政府'
            f"</title></head><body><div class='list'><ul>{lis}</ul></div>"
            f"<div class='page'>共1页</div>{FOOTER}</body></html>")


class HostilePortal:
    """The compromised TRS portal (news list, article attacks) and a Hanweb portal whose
    list page is the `<datastore>` attack; `elsewhere` is the other port redirects go to."""

    ORDINARY = ("/xw/202604/t20260401_1.html", "/xw/202604/t20260402_2.html")

    def __init__(self, hostile: bool = True) -> None:
        self.trs = Server()
        self.hanweb = Server()
        self.elsewhere = Server()
        self.elsewhere.page("/x.html", article("别处的页面", 1, PARAGRAPHS))
        items = [(path, f"曲靖市推进乡村振兴工作第{n}篇", n)
                 for n, path in enumerate(self.ORDINARY, 1)]
        for path, title, day in items:
            self.trs.page(path, article(title, day, PARAGRAPHS))
        self.expected: dict[str, str] = {}  # hostile path -> the failure kind (or article)
        if hostile:
            items += self._attacks()
        self.trs.page("/xw/index.html", _list(items))
        records = "".join(
            f"<record><![CDATA[<li><a href='{self.hanweb.base}/art/2026/4/{n}/art_1_{n}.html'>"
            f"曲靖动态{n}</a><span>2026-04-0{n}</span></li>]]></record>" for n in (1, 2))
        self.hanweb.page("/col/col1/index.html",
                         "<html><body><script>var totalRecord = 2, perPage = 15;</script>"
                         "<div id='1'><script type='text/xml'><datastore>"
                         f"<nextgroup></nextgroup><recordset>{records}</recordset></datastore>"
                         + ("</script></div>" if not hostile else
                            "</script><div " + '"id=1 ' * (MB // 6))
                         + "</body></html>")
        for n in (1, 2):
            self.hanweb.page(f"/art/2026/4/{n}/art_1_{n}.html",
                             article(f"曲靖动态{n}", n, PARAGRAPHS))

    def _attacks(self) -> list[tuple[str, str, int]]:
        attacks: list[tuple[str, str, int]] = []

        def attack(n: int, title: str, expected: str, html: str | bytes,
                   status: int = 200, **headers: str) -> None:
            path = f"/xw/202604/t202604{n:02d}_{n}.html"
            self.trs.page(path, html, status, **headers)
            attacks.append((path, title, n % 28 + 1))
            self.expected[path] = expected

        # The document-link regex: an href that never closes its quote.
        attack(11, "附件链接", "article", article(
            "附件链接", 11, PARAGRAPHS, after='<a href="' + '"x.pdf/"' * (MB // 8)))
        # access_problem / _little_visible: a body of `<`.
        attack(12, "尖括号", "not-article", "<html><body>" + "<" * MB)
        # encoding_intact before Scrapy's limit: a GiB of spaces in 1 MB of gzip.
        attack(13, "压缩炸弹", "too-large", b"".join(make_bomb().body()),
               **{"Content-Encoding": "gzip"})
        # Membership tests: 40,000 document links on other hosts.
        links = "".join(f'<a href="http://files.example.com/{k}.pdf">附件{k}</a> '
                        for k in range(40_000))
        attack(14, "四万个附件", "article", article("四万个附件", 14, PARAGRAPHS, after=links))
        # Off-site by port: a 302 and a meta refresh to the same host's other port.
        attack(15, "跳转", "off-site", b"", 302, Location=f"{self.elsewhere.base}/x.html")
        attack(16, "刷新跳转", "off-site",
               f'<html><head><meta http-equiv="refresh" content="0;url={self.elsewhere.base}'
               '/x.html"></head><body>页面跳转中</body></html>')
        # Below libxml2's depth limit: an article under 300 spans, spam under 300 divs.
        attack(17, "深层嵌套正文", "article", article(
            "深层嵌套正文", 17, PARAGRAPHS, before="<span>" * 300, after="</span>" * 300))
        attack(18, "深层嵌套广告", "article", article(
            "深层嵌套广告", 18, PARAGRAPHS + "<div>" * 300 + SPAM + "</div>" * 300))
        # Work off the reactor: a 15 MB page and an element with 50,000 attributes.
        line = "<p>本页面用于测试超大页面的处理，内容重复出现。</p>\n"
        attack(19, "超大页面", "extract-timeout", article("超大页面", 19, line * (15 * MB // 80)))
        attributes = " ".join(f'data-a{k}="{k}"' for k in range(50_000))
        attack(20, "五万个属性", "extract-timeout", article(
            "五万个属性", 20, f"<div {attributes}>{PARAGRAPHS}</div>"))
        return attacks

    def registry(self, path: Path, ordinary: OrdinaryPortal | None = None) -> Path:
        text = (registry_entry("hostile", "测试市人民政府", self.trs.port, "xw", "要闻动态",
                               f"{self.trs.base}/xw/index.html") + "\n"
                + registry_entry("hostile-hw", "测试县人民政府", self.hanweb.port, "dt",
                                 "工作动态", f"{self.hanweb.base}/col/col1/index.html",
                                 cms="hanweb"))
        if ordinary is not None:
            text += "\n" + ordinary.registry_entry()
        path.write_text(text, encoding="utf-8")
        return path

    def close(self) -> None:
        for server in (self.trs, self.hanweb, self.elsewhere):
            server.close()


class OrdinaryPortal:
    """A well-behaved portal that answers slowly: its captures show whether the crawl went
    on while the hostile portal's pages were handled."""

    def __init__(self, articles: int = 40, delay: float = 0.25) -> None:
        self.server = Server()
        self.server.delay = delay
        items = [(f"/zwgk/202604/t202604{n % 28 + 1:02d}_{n}.html", f"政务公开稿件{n}",
                  n % 28 + 1) for n in range(1, articles + 1)]
        for path, title, day in items:
            self.server.page(path, article(title, day, PARAGRAPHS))
        self.server.page("/zwgk/index.html", _list(items))
        self.articles = len(items)

    def registry_entry(self) -> str:
        return registry_entry("ordinary", "平常市人民政府", self.server.port, "zwgk", "政务公开",
                              f"{self.server.base}/zwgk/index.html")

    def close(self) -> None:
        self.server.close()
