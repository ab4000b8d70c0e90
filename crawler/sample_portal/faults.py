"""A fault-injecting server: a small TRS-style portal whose links lead into trouble.

`FaultServer` serves `sample-faults` (甘肃-style, TRS WCM). Its 工作动态 list holds 20
ordinary articles and one article-like link to each fault of `FAULT_KINDS`; its 通知公告
list pages without end. `build_fault_site().faults` says, for each fault, what a correct
crawler ends up with (`FaultSpec.expect`):

- "article": stored as the ArticleSpec of the same path (after decoding or parsing it right);
- "retry-then-article": fails first (500/503 with `Retry-After: 1`), then answers; the
  ArticleSpec is what must be stored, once;
- "failure:<kind>": recorded as a failure of that kind, nothing stored as an article
  (kinds: timeout, network, truncated, redirect, too-large, not-html, challenge);
- "bounded": a trap that a crawler must stop following (endless pagination).

Attempts are counted per path (`FaultServer.attempts`); `reset_attempts()` starts over.
`fail_after`/`on_fail` (or `arm()`) let a test act after N requests, e.g. kill a crawler.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import logging
import random
import socket
import struct
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import challenge
from .binaries import PDF_MIME, make_pdf
from .htmlkit import attr, esc, rel, render_blocks
from .portals import FAULTS, GS_FOOTER
from .registry import write_registry
from .specs import ArticleSpec, Block, ListItem, PortalSpec
from .text import body_text
from .textgen import generate, local_scope, province_scope
from .vocab import GS_CITIES, GS_SOURCES

log = logging.getLogger(__name__)

DEFAULT_CLIENT_TIMEOUT = 5.0
HUGE_SIZE = 50 * 1024 * 1024
BOMB_SIZE = 1 << 30
NORMAL_ARTICLES = 20
NOTICE_ARTICLES = 2
RETRY_AFTER = "1"
CHUNK = 1 << 16
_BOMB_CHUNK = 1 << 20

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


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("/".join(parts).encode("utf-8")))


def _article(rng: random.Random, section: str, path: str, when: datetime,
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
    rng = _rng(FAULTS.id, "times")
    titles: set[str] = set()
    articles: list[ArticleSpec] = []
    blocks: dict[str, tuple[Block, ...]] = {}
    lists: dict[str, list[ListItem]] = {"gzdt": [], "tzgg": []}
    faults: list[FaultSpec] = []
    when = datetime(2026, 3, 2, 9, 12, 5)
    ident = 3_810_000
    plan = ["article"] * NORMAL_ARTICLES + list(FAULT_KINDS)
    _rng(FAULTS.id, "order").shuffle(plan)
    for kind in plan:
        when += timedelta(hours=rng.randint(20, 40), minutes=rng.randrange(60))
        ident += rng.randint(40, 400)
        path = f"/xwzx/gzdt/{when:%Y%m}/t{when:%Y%m%d}_{ident}.html"
        spec, body = _article(_rng(FAULTS.id, path), "gzdt", path, when, titles)
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
        spec, body = _article(_rng(FAULTS.id, path), "tzgg", path, when, titles)
        articles.append(spec)
        blocks[path] = body
        lists["tzgg"].append(ListItem(path, spec.title, f"{when:%Y-%m-%d}"))
    kind, expect, note = ENDLESS
    faults.append(FaultSpec("/xwzx/tzgg/index_1.html", kind, expect, note))
    for items in lists.values():
        items.reverse()
    return FaultSite(FAULTS, articles, faults, lists, blocks)


# --- pages -------------------------------------------------------------------------------------


def _page(title: str, metas: list[tuple[str, str]], main: str, charset: str = "utf-8") -> str:
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
    body = render_blocks(blocks, 0, _rng(spec.path), {})
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
    return _page(f"{spec.title}_{section.name}_{FAULTS.name}", metas, main, charset)


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
    return _page(f"{section.name}_{FAULTS.name}", metas, main)


# --- the gzip bomb and the huge page, generated while sent -------------------------------------


@dataclass(frozen=True)
class _Bomb:
    """A gzip member inflating to `size` bytes: one steady deflate block output, repeated."""

    size: int
    first: bytes
    steady: bytes
    final: bytes
    chunks: int

    @property
    def length(self) -> int:
        return 10 + len(self.first) + len(self.steady) * (self.chunks - 1) + len(self.final) + 8

    def body(self) -> Iterator[bytes]:
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        yield self.first
        for _ in range(self.chunks - 1):
            yield self.steady
        yield self.final
        crc = 0
        chunk = b" " * _BOMB_CHUNK
        for _ in range(self.chunks):
            crc = zlib.crc32(chunk, crc)
        yield struct.pack("<II", crc, self.size & 0xFFFFFFFF)


def make_bomb(size: int = BOMB_SIZE) -> _Bomb:
    """A gzip bomb of `size` bytes of spaces (a multiple of 1 MiB), built in milliseconds."""
    if size % _BOMB_CHUNK or size < 2 * _BOMB_CHUNK:
        raise ValueError("bomb size must be a multiple of 1 MiB, at least 2 MiB")
    chunk = b" " * _BOMB_CHUNK
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    steady = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    if again != steady:
        raise RuntimeError("deflate did not reach a steady state")
    final = compressor.flush(zlib.Z_FINISH)
    return _Bomb(size, first, steady, final, size // _BOMB_CHUNK)


def huge_body(size: int) -> Iterator[bytes]:
    """`size` bytes of an HTML page that never ends its one paragraph list."""
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{FAULTS.name}</title>'
            "</head><body><div class=\"TRS_Editor\">\n").encode()
    line = "<p>本页面用于测试超大页面的处理，内容重复出现。</p>\n".encode()
    block = line * (CHUNK // len(line))
    yield head
    sent = len(head)
    while sent + len(block) <= size:
        yield block
        sent += len(block)
    yield b" " * (size - sent)


# --- the server --------------------------------------------------------------------------------


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(address, _FaultHandler)


class _FaultHandler(BaseHTTPRequestHandler):
    """Dispatches each request to the fault (or page) its path names."""

    server: _FaultHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "govarc-fault-server/1.0"
    sys_version = ""
    timeout = 30

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.owner.count(self.command, self.path)
        self._send(405, b"Method Not Allowed\n", "text/plain", False, (("Allow", "GET, HEAD"),))

    def _handle(self, head: bool) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        outage = owner.count(self.command, self.path)
        if outage:
            self._reset()
            return
        kind = owner.fault_paths.get(path)
        if kind is not None:
            getattr(self, "_fault_" + kind.replace("-", "_"))(path, head)
            return
        page = owner.page(path)
        if page is None:
            self._send(404, "<html><body><h1>404</h1><p>页面不存在</p></body></html>".encode(),
                       "text/html; charset=utf-8", head)
        elif isinstance(page, str):
            self._send(301, b"", "text/html", head, (("Location", page),))
        else:
            body, content_type = page
            self._send(200, body, content_type, head)

    # -- plumbing ---------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, head: bool,
              headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream(self, status: int, content_type: str, length: int, parts: Iterator[bytes],
                head: bool, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if head:
            return
        try:
            for part in parts:
                if self.server.owner.stopping.is_set():
                    break
                self.wfile.write(part)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _reset(self) -> None:
        """Close the connection with an RST instead of a FIN."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()

    def _article(self, path: str) -> bytes:
        return self.server.owner.article_html(path).encode("utf-8")

    # -- the faults -------------------------------------------------------------------------
    def _fault_timeout(self, path: str, head: bool) -> None:
        owner = self.server.owner
        owner.stopping.wait(owner.client_timeout * 2 + 1)
        self.close_connection = True

    def _fault_reset(self, path: str, head: bool) -> None:
        body = self._article(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body[: len(body) // 3])
        self._reset()

    def _retry(self, path: str, head: bool, failures: int, status: int) -> None:
        attempt = self.server.owner.attempt(path)
        if attempt <= failures:
            text = f"<html><body><h1>{status}</h1><p>服务暂不可用，请稍后再试。</p></body></html>"
            self._send(status, text.encode(), "text/html; charset=utf-8", head,
                       (("Retry-After", RETRY_AFTER),))
        else:
            self._send(200, self._article(path), "text/html; charset=utf-8", head)

    def _fault_retry_500(self, path: str, head: bool) -> None:
        self._retry(path, head, 1, 500)

    def _fault_retry_503(self, path: str, head: bool) -> None:
        self._retry(path, head, 2, 503)

    def _fault_truncated_gzip(self, path: str, head: bool) -> None:
        packed = gzip.compress(self._article(path), mtime=0)
        self._send(200, packed[: len(packed) // 2], "text/html; charset=utf-8", head,
                   (("Content-Encoding", "gzip"),))

    def _fault_wrong_charset(self, path: str, head: bool) -> None:
        body = self.server.owner.article_html(path, charset="gbk").encode("gbk")
        self._send(200, body, "text/html; charset=utf-8", head)

    def _fault_redirect_loop(self, path: str, head: bool) -> None:
        other = self.server.owner.loop_partner(path)
        self._send(302, b"", "text/html", head, (("Location", other),))

    def _fault_huge(self, path: str, head: bool) -> None:
        size = self.server.owner.huge_size
        self._stream(200, "text/html; charset=utf-8", size, huge_body(size), head)

    def _fault_gzip_bomb(self, path: str, head: bool) -> None:
        bomb = self.server.owner.bomb()
        self._stream(200, "text/html; charset=utf-8", bomb.length, bomb.body(), head,
                     (("Content-Encoding", "gzip"),))

    def _fault_malformed(self, path: str, head: bool) -> None:
        owner = self.server.owner
        body = malformed_page(owner.site.article(path), owner.site.blocks[path])
        self._send(200, body, "text/html; charset=utf-8", head)

    def _fault_pdf(self, path: str, head: bool) -> None:
        body = make_pdf(["govarc fault server", f"a PDF served at {path}"])
        self._send(200, body, PDF_MIME, head)

    def _fault_challenge(self, path: str, head: bool) -> None:
        resource = challenge.ruishu(path, 412)
        self._send(resource.status, resource.body, resource.content_type, head,
                   resource.extra_headers)


class FaultServer:
    """Serves the fault portal on an ephemeral loopback port.

    `client_timeout`: the crawler's download timeout; the timeout fault stays silent for
    twice as long. `fail_after`: after that many requests, call `on_fail` once (in a thread)
    and set `failed`; without `on_fail`, every later connection is reset (an outage).
    """

    def __init__(self, host: str = "127.0.0.1", client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
                 fail_after: int | None = None, on_fail: Callable[[], None] | None = None,
                 huge_size: int = HUGE_SIZE, bomb_size: int = BOMB_SIZE) -> None:
        self.host = host
        self.client_timeout = client_timeout
        self.huge_size = huge_size
        self.bomb_size = bomb_size
        self.site = build_fault_site()
        self.requests: Counter[tuple[str, str]] = Counter()
        self.attempts: Counter[str] = Counter()
        self.failed = threading.Event()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._served = 0
        self._fail_after = fail_after
        self._on_fail = on_fail
        self._server: _FaultHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._bomb: _Bomb | None = None
        self.fault_paths = {f.path: f.kind for f in self.site.faults if f.path.endswith(".html")
                            and f.kind in FAULT_KINDS}
        self._loop = {}
        for path, kind in list(self.fault_paths.items()):
            if kind == "redirect-loop":
                partner = path.replace(".html", "_1.html")
                self._loop[path], self._loop[partner] = partner, path
                self.fault_paths[partner] = kind
        self._pages = self._render()

    # -- state ------------------------------------------------------------------------------
    def count(self, method: str, target: str) -> bool:
        """Record one request; True when the server is in a `fail_after` outage."""
        fire = False
        with self._lock:
            self.requests[(method, target)] += 1
            self._served += 1
            if self._fail_after is not None and self._served >= self._fail_after:
                fire = not self.failed.is_set()
                self.failed.set()
            outage = self.failed.is_set() and self._on_fail is None and not fire
        if fire and self._on_fail is not None:
            threading.Thread(target=self._on_fail, daemon=True).start()
        return outage

    def arm(self, fail_after: int, on_fail: Callable[[], None] | None = None) -> None:
        """Act after `fail_after` more requests (see the class docstring)."""
        with self._lock:
            self._fail_after = self._served + fail_after
            self._on_fail = on_fail
            self.failed.clear()

    def attempt(self, path: str) -> int:
        """Count one attempt at `path`; returns its number (1 for the first)."""
        with self._lock:
            self.attempts[path] += 1
            return self.attempts[path]

    def reset_attempts(self) -> None:
        """Forget the attempts, so the 500/503 faults fail again."""
        with self._lock:
            self.attempts.clear()

    def bomb(self) -> _Bomb:
        """The gzip bomb (built once)."""
        with self._lock:
            if self._bomb is None:
                self._bomb = make_bomb(self.bomb_size)
            return self._bomb

    def loop_partner(self, path: str) -> str:
        """The other end of the redirect loop."""
        return self._loop[path]

    # -- pages ------------------------------------------------------------------------------
    def article_html(self, path: str, charset: str = "utf-8") -> str:
        """The article page at `path` (any listed fault path has an article behind it)."""
        spec = next((a for a in self.site.articles if a.path == path), None)
        if spec is None:
            spec, blocks = _article(_rng(FAULTS.id, path), "gzdt", path,
                                    datetime(2026, 3, 1, 8, 0), set())
        else:
            blocks = self.site.blocks[path]
        return article_page(spec, blocks, charset)

    def _render(self) -> dict[str, tuple[bytes, str]]:
        html = "text/html; charset=utf-8"
        pages: dict[str, tuple[bytes, str]] = {}
        for article in self.site.articles:
            if article.path not in self.fault_paths:
                pages[article.path] = (self.article_html(article.path).encode(), html)
        gzdt = self.site.lists["gzdt"]
        pages["/xwzx/gzdt/index.html"] = (list_page("gzdt", gzdt, 0, 1).encode(), html)
        pages["/xwzx/tzgg/index.html"] = (list_page("tzgg", self.site.lists["tzgg"], 0, 2,
                                                    next_link=True).encode(), html)
        links = "".join(f'<li><a href="{s.path}">{esc(s.name)}</a></li>'
                        for s in FAULTS.sections)
        home = _page(FAULTS.name, [("ColumnName", "首页")], f"<ul>{links}</ul>").encode()
        pages["/"] = pages["/index.html"] = (home, html)
        pages["/robots.txt"] = (b"User-agent: *\nDisallow: /search/\nAllow: /\n", "text/plain")
        return pages

    def page(self, path: str) -> tuple[bytes, str] | str | None:
        """An ordinary page, a redirect target for a folder, or None."""
        if path.endswith("/"):
            path += "index.html"
        if path in self._pages:
            return self._pages[path]
        if path.startswith("/xwzx/tzgg/index_") and path.endswith(".html"):
            number = path[len("/xwzx/tzgg/index_"):-len(".html")]
            if number.isdigit() and int(number) >= 1 and not number.startswith("0"):
                n = int(number)
                return (list_page("tzgg", [], n, n + 2, next_link=True).encode(),
                        "text/html; charset=utf-8")
        if path + "/index.html" in self._pages:
            return path + "/"
        return None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> FaultServer:
        """Start serving in a thread."""
        if self._server is None:
            self.stopping.clear()
            self._server = _FaultHTTPServer((self.host, 0), self)
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.1},
                                            name="sample-faults", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping and streaming handlers give up at once."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        """The portal's base URL, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("the fault server is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._server.server_address[1]}"

    @property
    def base_urls(self) -> dict[str, str]:
        """{"sample-faults": base URL}, as SamplePortalServer.base_urls."""
        return {FAULTS.id: self.base_url}

    def write_registry(self, path: str | Path) -> Path:
        """Write a registry TOML naming the fault portal; returns the path."""
        return write_registry(path, self.base_urls)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

