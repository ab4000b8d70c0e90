"""A large TRS-style portal for the benchmark: generated deterministically, served from memory.

The pages reuse the sample portal's TRS templates (`crawler.sample_portal.trs`) and its
Chinese text generator (`textgen`), at any scale. Article pages are padded with the link
lists and inline data real portals carry, to sizes of 30–150 KB (median about 60 KB);
list pages hold 20 links each and name their page count only in `createPageHTML(...)`.

Every page is rendered and gzip-compressed once (cached under the temp folder, keyed by
the article count) and served by an asyncio server that writes pre-built bytes: it answers
conditional requests (ETag, Last-Modified) with 304 and gzip to clients that accept it.

    python bench/portal.py serve --articles 10000    # prints {"base": ..., ...} on stdout
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import multiprocessing
import os
import pickle
import random
import re
import sys
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.sample_portal import trs  # noqa: E402
from crawler.sample_portal.htmlkit import attr, esc  # noqa: E402
from crawler.sample_portal.portals import COLUMN_INFO  # noqa: E402
from crawler.sample_portal.specs import (  # noqa: E402
    ArticleDetail,
    ArticleSpec,
    ListItem,
    PortalSpec,
    SectionSpec,
)
from crawler.sample_portal.text import body_text  # noqa: E402
from crawler.sample_portal.textgen import (  # noqa: E402
    department_scope,
    generate,
    local_scope,
    person_name,
    province_scope,
)
from crawler.sample_portal.vocab import (  # noqa: E402
    YN_DEPARTMENTS,
    YN_PREFECTURES,
    YN_SOURCES,
)

FORMAT = 3  # bump when the generated pages change (invalidates the cache)
CACHE_DIR = Path(tempfile.gettempdir()) / "govarc-bench"
PORTAL_ID = "bench-yn"
# (id, name, kind of scope); ten columns keep every section under GOVARC_MAX_LIST_PAGES.
SECTIONS = [
    ("ynyw", "云南要闻", "province"), ("bmdt", "部门动态", "department"),
    ("zsdt", "州市动态", "local"), ("zcjd", "政策解读", "department"),
    ("tzgg", "通知公告", "province"), ("xwfb", "新闻发布", "province"),
    ("zwdt", "政务动态", "department"), ("xqdt", "县区动态", "local"),
    ("ztbd", "专题报道", "local"), ("jcdt", "基层动态", "local"),
]
FIRST_DAY = datetime(2012, 1, 4)
LAST_DAY = datetime(2026, 4, 15)
MIN_PAGE, MAX_PAGE = 30_000, 150_000

for _sid, _name, _kind in SECTIONS:
    COLUMN_INFO.setdefault(_sid, (f"发布{_name}相关政务信息", f"{_name},云南省人民政府"))

PORTAL = PortalSpec(
    id=PORTAL_ID, name="云南省人民政府", cms="trs", site_id_code="5300000033",
    domain="www.yn.gov.cn",
    sections=[SectionSpec(sid, name, f"/ywdt/{sid}/") for sid, name, _ in SECTIONS],
)


@dataclass(frozen=True)
class Page:
    """One pre-rendered page: gzip body, validators and content type."""

    gz: bytes
    etag: str
    last_modified: str
    content_type: str = "text/html"


def _rng(*parts: object) -> random.Random:
    return random.Random(zlib.crc32("/".join(map(str, parts)).encode()))


def _scope(rng: random.Random, kind: str):
    if kind == "province":
        return province_scope("云南", YN_PREFECTURES)
    if kind == "department":
        return department_scope("云南", YN_PREFECTURES, rng.choice(YN_DEPARTMENTS)[0])
    short = rng.choice(list(YN_PREFECTURES))
    full, counties, _ = YN_PREFECTURES[short]
    return local_scope("云南", full, short, counties)


def _published(when: datetime) -> str:
    return f"{when:%Y-%m-%dT%H:%M:%S}+08:00"


def _article(index: int, count: int) -> tuple[ArticleSpec, ArticleDetail]:
    """Article `index` of `count` (0 = oldest): spec and rendering details."""
    rng = _rng("bench", index)
    sid, _name, kind = SECTIONS[index % len(SECTIONS)]
    span = (LAST_DAY - FIRST_DAY).total_seconds()
    when = FIRST_DAY + timedelta(seconds=int(span * index / count) + rng.randrange(3600))
    scope = _scope(rng, kind)
    draft = generate(rng, scope, when)
    blocks = draft.blocks
    if rng.random() < 0.25:  # a long report: a second part under the same headline
        blocks = blocks + generate(rng, scope, when, topic=draft.topic).blocks
    ident = 100_000 + index * 37 + rng.randrange(30)
    path = f"/ywdt/{sid}/{when:%Y%m}/t{when:%Y%m%d}_{ident}.html"
    text = body_text(blocks)
    author = person_name(rng) if rng.random() < 0.25 else None
    spec = ArticleSpec(portal_id=PORTAL_ID, section_ids=(sid,), path=path, title=draft.title,
                       kicker=draft.kicker, published_at=_published(when),
                       source=rng.choice(YN_SOURCES), author=author, text=text)
    detail = ArticleDetail(blocks=blocks, style=rng.randrange(3),
                           keywords=draft.topic.keywords, description=text[:80],
                           editor=person_name(rng), views=rng.randint(120, 9800))
    return spec, detail


def _http_date(published_at: str) -> str:
    return format_datetime(datetime.fromisoformat(published_at).astimezone(UTC), usegmt=True)


def _page(html: str, last_modified: str) -> Page:
    body = html.encode("utf-8")
    etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '-gzip"'
    return Page(gzip.compress(body, compresslevel=6, mtime=0), etag, last_modified)


def _padding(rng: random.Random, titles: list[str], size: int) -> str:
    """Link lists (专题专栏, 热点推荐) and inline navigation data worth `size` bytes."""
    links, data, used, n = [], [], 0, 0
    while used < size:
        n += 1
        title = titles[rng.randrange(len(titles))]
        if n % 2:
            item = (f'<li><a href="/ztzl/zt{rng.randrange(900)}/index.html" target="_blank" '
                    f'title="{attr(title)}">{esc(title)}</a><span>'
                    f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}</span></li>")
            links.append(item)
        else:
            item = json.dumps({"id": rng.randrange(10**6), "name": title,
                               "url": f"/ztzl/zt{rng.randrange(900)}/", "pic":
                               f"/images/zt/{rng.randrange(10**9):09d}.jpg"},
                              ensure_ascii=False) + ","
            data.append(item)
        used += len(item.encode("utf-8"))
    return ('<div class="w1200 ztzl"><h3>专题专栏</h3><ul>\n' + "\n".join(links)
            + "\n</ul></div>\n<script type=\"text/javascript\">var ztData = ["
            + "".join(data).rstrip(",") + "];</script>\n")


def _render_articles(args: tuple[int, int, int]) -> list[tuple[str, Page]]:
    """Render articles start..stop of `count` (in a worker process)."""
    start, stop, count = args
    specs = _all_specs(count)
    by_section: dict[str, list[int]] = {}
    for i in range(count):
        by_section.setdefault(SECTIONS[i % len(SECTIONS)][0], []).append(i)
    titles = [specs[i][0].title for i in range(0, count, max(1, count // 2000))]
    out = []
    for index in range(start, stop):
        spec, detail = specs[index]
        sid = spec.section_ids[0]
        members = by_section[sid]
        pos = index // len(SECTIONS)  # position in its section, oldest first
        related = [specs[members[(pos + k) % len(members)]][0] for k in (1, 2, 3)
                   if members[(pos + k) % len(members)] != index]
        newer = specs[members[pos + 1]][0] if pos + 1 < len(members) else None
        older = specs[members[pos - 1]][0] if pos > 0 else None
        html = trs.article_page(PORTAL, PORTAL.section(sid), spec, detail, related,
                                (newer, older))
        rng = _rng("size", index)
        target = int(MIN_PAGE + (MAX_PAGE - MIN_PAGE) * rng.betavariate(1.3, 3.5))
        missing = target - len(html.encode("utf-8"))
        if missing > 0:
            cut = html.rindex('<div class="w1200 links_bar">')
            html = html[:cut] + _padding(rng, titles, missing) + html[cut:]
        out.append((spec.path, _page(html, _http_date(spec.published_at))))
    return out


_SPECS: dict[int, list[tuple[ArticleSpec, ArticleDetail]]] = {}


def _all_specs(count: int) -> list[tuple[ArticleSpec, ArticleDetail]]:
    if count not in _SPECS:
        _SPECS[count] = [_article(i, count) for i in range(count)]
    return _SPECS[count]


def _list_pages(count: int) -> dict[str, Page]:
    specs = _all_specs(count)
    pages: dict[str, Page] = {}
    for sid, _name, _kind in SECTIONS:
        section = PORTAL.section(sid)
        items = [ListItem(s.path, s.title, s.published_at[:10])
                 for s, _ in reversed(specs) if s.section_ids[0] == sid]
        total = max(1, -(-len(items) // trs.PER_PAGE))
        for number in range(total):
            chunk = items[number * trs.PER_PAGE:(number + 1) * trs.PER_PAGE]
            name = "index.html" if number == 0 else f"index_{number}.html"
            newest = chunk[0].date if chunk else "2026-04-01"
            html = trs.list_page(PORTAL, section, chunk, number, total)
            pages[section.path + name] = _page(html, _http_date(newest + "T00:00:00+08:00"))
    return pages


def build_pages(count: int, workers: int | None = None) -> dict[str, Page]:
    """Every page of a portal of `count` articles (robots.txt, lists, articles)."""
    workers = workers or os.cpu_count() or 1
    _all_specs(count)  # generated once, inherited by the forked workers
    step = max(200, count // (workers * 8))
    chunks = [(s, min(s + step, count), count) for s in range(0, count, step)]
    pages = _list_pages(count)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for rendered in pool.imap_unordered(_render_articles, chunks):
            pages.update(rendered)
    robots = b"User-agent: *\nDisallow: /search/\nAllow: /\n"
    pages["/robots.txt"] = Page(gzip.compress(robots, mtime=0), '"robots-gzip"',
                                "Wed, 01 Apr 2026 00:00:00 GMT", "text/plain")
    return pages


def load_pages(count: int) -> dict[str, Page]:
    """The pages of a `count`-article portal, from the cache if it holds them."""
    path = CACHE_DIR / f"portal-{count}-v{FORMAT}.pickle"
    if path.exists():
        with path.open("rb") as f:
            return {k: Page(*v) for k, v in pickle.load(f).items()}
    pages = build_pages(count)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump({k: (p.gz, p.etag, p.last_modified, p.content_type)
                     for k, p in pages.items()}, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return pages


def section_urls(base: str) -> list[tuple[str, str, str]]:
    """(id, name, first list page URL) of every section."""
    return [(s.id, s.name, base + s.list_path) for s in PORTAL.sections]


def registry_toml(base: str) -> str:
    """A govarc portal registry naming the served portal."""
    host = base.split("://", 1)[1]
    lines = ["[[portal]]", f'id = "{PORTAL_ID}"', 'name = "云南省人民政府（基准）"',
             f'domain = "{host}"', 'cms = "trs"', 'site_id_code = "5300000033"', ""]
    for sid, name, url in section_urls(base):
        lines += ["  [[portal.section]]", f'  id = "{sid}"', f'  name = "{name}"',
                  f'  url = "{url}"', '  provenance = "benchmark portal"', ""]
    return "\n".join(lines)


# -- serving ----------------------------------------------------------------------------------
_REASONS = {200: b"OK", 304: b"Not Modified", 404: b"Not Found", 405: b"Method Not Allowed"}


class _Responses:
    """Pre-built response bytes for every page."""

    def __init__(self, pages: dict[str, Page]) -> None:
        self.pages = pages
        self.full: dict[str, bytes] = {}
        self.head: dict[str, bytes] = {}
        for path, page in pages.items():
            common = (f"Content-Type: {page.content_type}\r\nLast-Modified: {page.last_modified}"
                      f"\r\nETag: {page.etag}\r\nVary: Accept-Encoding\r\n"
                      "Server: govarc-bench\r\n").encode()
            self.head[path] = b"HTTP/1.1 304 Not Modified\r\n" + common + b"\r\n"
            self.full[path] = (b"HTTP/1.1 200 OK\r\n" + common + b"Content-Encoding: gzip\r\n"
                               + f"Content-Length: {len(page.gz)}\r\n\r\n".encode() + page.gz)
        self.requests = 0

    def answer(self, method: str, target: str, headers: dict[str, str]) -> bytes:
        self.requests += 1
        path = target.split("?", 1)[0].split("#", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        page = self.pages.get(path)
        if page is None or method not in ("GET", "HEAD"):
            status = 404 if page is None else 405
            body = b"not found\n" if status == 404 else b""
            return (f"HTTP/1.1 {status} ".encode() + _REASONS[status]
                    + f"\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n"
                    .encode() + body)
        if _not_modified(page, headers):
            return self.head[path]
        if "gzip" not in headers.get("accept-encoding", ""):
            body = gzip.decompress(page.gz)
            head = self.head[path].replace(b"304 Not Modified", b"200 OK")[:-2]
            return head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        full = self.full[path]
        return full if method == "GET" else full[: full.index(b"\r\n\r\n") + 4]


def _not_modified(page: Page, headers: dict[str, str]) -> bool:
    match = headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return page.etag in tags or "*" in tags or page.etag.replace("-gzip", "") in tags
    since = headers.get("if-modified-since")
    if since:
        if since == page.last_modified:
            return True
        try:
            return parsedate_to_datetime(page.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


class _Protocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive; requests without bodies (GET, HEAD)."""

    def __init__(self, responses: _Responses) -> None:
        self.responses = responses
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4:]
            lines = head.split("\r\n")
            try:
                method, target, _version = lines[0].split(" ", 2)
            except ValueError:
                assert self.transport is not None
                self.transport.close()
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            self.buffer = self.buffer[length:]  # bodies are not expected; skip them
            assert self.transport is not None
            self.transport.write(self.responses.answer(method, target, headers))
            if headers.get("connection", "").lower() == "close":
                self.transport.close()
                return


async def _serve(pages: dict[str, Page], host: str, port: int, articles: int) -> None:
    responses = _Responses(pages)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Protocol(responses), host, port, backlog=256)
    sock_port = server.sockets[0].getsockname()[1]
    lists = sum(1 for p in pages if "/index" in p)
    print(json.dumps({"base": f"http://{host}:{sock_port}", "articles": articles,
                      "list_pages": lists, "pages": len(pages), "pid": os.getpid()}),
          flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    """`serve`: serve a portal of --articles articles on 127.0.0.1; `build`: cache it only."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=("serve", "build"))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    pages = load_pages(args.articles)
    if args.command == "build":
        sizes = sorted(len(gzip.decompress(p.gz)) for k, p in pages.items()
                       if re.search(r"/t\d{8}_\d+\.html$", k))
        print(json.dumps({"pages": len(pages), "article_min": sizes[0],
                          "article_median": sizes[len(sizes) // 2], "article_max": sizes[-1]}))
        return
    asyncio.run(_serve(pages, "127.0.0.1", args.port, args.articles))


if __name__ == "__main__":
    main()
