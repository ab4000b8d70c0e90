"""The bundled sample portals: what they serve and how, checked over loopback HTTP."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import signal
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest

from crawler.sample_portal import (
    SamplePortalServer,
    build_site,
    registry_toml,
    serve_sample_portal,
)
from crawler.sample_portal.routes import build_routes
from crawler.sample_portal.site import _build_site
from crawler.sample_portal.text import normalize

REPO = Path(__file__).resolve().parents[1]
SEED = json.loads((REPO / "tests/data/seed_yn_zsdt_qujing.json").read_text(encoding="utf-8"))
SEED_PATH = "/ywdt/zsdt/202110/t20211025_229601.html"
PROXY = "/module/web/jpage/dataproxy.jsp"
PROXY_FORM = ("col=1&appid=1&webid=3185&path=/&columnid={column}&sourceContentType=1"
              "&unitid={unit}&webname=%E6%B5%99%E6%B1%9F%E7%9C%81%E4%BA%BA%E6%B0%91%E6%94%BF"
              "%E5%BA%9C&permissiontype=0")
COLUMNS = {"zjyw": (1554467, 7706), "zwdt": (1545696, 7711), "sxdt": (1545697, 7712)}
RECORD = re.compile(r"<record><!\[CDATA\[\s*(.*?)\s*\]\]></record>", re.S)
HREF = re.compile(r'href="([^"]+)"')


class Answer:
    """A fetched HTTP response."""

    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def fetch(url: str, headers: dict[str, str] | None = None, data: bytes | None = None,
          method: str | None = None) -> Answer:
    request = urllib.request.Request(url, headers=headers or {}, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())


@pytest.fixture(scope="module")
def site():
    return build_site()


@pytest.fixture(scope="module")
def server(site) -> Iterator[SamplePortalServer]:
    with SamplePortalServer(site) as running:
        yield running


def decode(spec_section_encoding: str, body: bytes) -> str:
    return body.decode("gb18030" if spec_section_encoding != "utf-8" else "utf-8")


def body_lines(container) -> list[str]:
    """Text lines of a body container following the corpus "Rules for text"."""
    lines: list[str] = []
    current: list[str] = []
    blocks = {"p", "div", "li", "ul", "ol", "table", "tbody", "h1", "h2", "h3", "h4", "h5", "h6"}

    def flush() -> None:
        text = normalize("".join(current))
        if text:
            lines.append(text)
        current.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag == "br":
            flush()
        elif tag == "tr":
            flush()
            lines.append(" | ".join(normalize(c.text_content()) for c in node
                                    if c.tag in ("td", "th")))
        elif tag in blocks:
            flush()
            current.append(node.text or "")
            for child in node:
                walk(child)
            flush()
        elif tag is not None and tag not in ("style", "script"):
            current.append(node.text or "")
            for child in node:
                walk(child)
        current.append(node.tail or "")

    current.append(container.text or "")
    for child in container:
        walk(child)
    flush()
    return lines


def article_url(server, article) -> str:
    return server.base_urls[article.portal_id] + article.path


def encoding_of(site, article) -> str:
    return site.portal(article.portal_id).section(article.section_ids[0]).encoding


# --- the site model ------------------------------------------------------------------------


def test_site_has_enough_distinct_articles(site):
    assert len(site.articles) >= 200
    assert len({(a.portal_id, a.path) for a in site.articles}) == len(site.articles)
    assert len({a.title for a in site.articles}) == len(site.articles)
    assert {p.id for p in site.portals} == {"sample-yn", "sample-zj"}
    for portal in site.portals:
        assert len([a for a in site.articles if a.portal_id == portal.id]) >= 90
    assert sorted(b.kind for b in site.broken) == ["empty", "garbage", "missing"]
    for article in site.articles:
        lines = article.text.split("\n")
        assert 5 <= len(lines) <= 30, article.path
        assert all(line == normalize(line) and line for line in lines)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", article.published_at)
        assert "2021" <= article.published_at[:4] <= "2026"


def test_topic_words_are_in_some_articles_but_not_most(site):
    for word in ("曲靖", "扶贫", "高质量发展"):
        found = [a for a in site.articles if word in a.title + "\n" + a.text]
        assert 3 <= len(found) <= len(site.articles) // 4, (word, len(found))


def test_cross_listed_articles_appear_on_both_lists_under_one_url(site):
    cross = [a for a in site.articles if len(a.section_ids) > 1]
    assert len(cross) >= 3
    for article in cross:
        for section in article.section_ids:
            paths = [i.path for i in site.lists[(article.portal_id, section)]]
            assert paths.count(article.path) == 1


def test_build_site_is_deterministic():
    first, second = _build_site(), _build_site()
    assert first == second
    assert first.details == second.details and first.lists == second.lists

    def digest(routes) -> str:
        h = hashlib.sha256()
        for pid in sorted(routes):
            for path in sorted(routes[pid].pages):
                h.update(path.encode() + routes[pid].pages[path].body)
        return h.hexdigest()

    assert digest(build_routes(first)) == digest(build_routes(second))


def test_seed_article_matches_its_labels(site):
    seed = site.article("sample-yn", SEED_PATH)
    assert seed.text == SEED["text"]
    assert seed.title == SEED["title"]
    assert seed.kicker == SEED["kicker"]
    assert seed.published_at == SEED["published_at"]
    assert seed.source == SEED["source"]
    assert seed.author is None
    assert seed.section_ids == ("zsdt",)


def test_registry_toml_loads_with_tomllib():
    urls = {"sample-yn": "http://127.0.0.1:41234", "sample-zj": "http://127.0.0.1:41235"}
    data = tomllib.loads(registry_toml(urls))
    yn, zj = data["portal"]
    assert yn["domain"] == "127.0.0.1:41234" and yn["cms"] == "trs"
    assert yn["site_id_code"] == "5300000033" and yn["name"] == "云南省人民政府"
    assert zj["cms"] == "hanweb"
    assert [s["url"] for s in yn["section"]] == [
        f"http://127.0.0.1:41234/ywdt/{s}/index.html" for s in ("ynyw", "bmdt", "zsdt")]
    assert zj["section"][0]["url"] == "http://127.0.0.1:41235/col/col1554467/index.html"
    assert all(s["provenance"] == "sample portal" for s in yn["section"] + zj["section"])


# --- pages over HTTP ------------------------------------------------------------------------


def test_every_article_is_served_with_its_title_and_body(site, server):
    for article in site.articles:
        answer = fetch(article_url(server, article))
        assert answer.status == 200, article.path
        html = decode(encoding_of(site, article), answer.body)
        assert article.title in html or lxml.html.fromstring(html).xpath(
            "string(//h1)") == article.title, article.path
        tree = lxml.html.fromstring(html)
        pub = article.published_at
        if site.portal(article.portal_id).cms == "trs":
            (container,) = tree.xpath('//div[contains(@class, "TRS_UEDITOR") or '
                                      'contains(@class, "TRS_Editor")]')
            info = normalize(tree.xpath('string(//div[@class="detail_info"])'))
            shown = f"来源：{article.source} "
            when = f"发布时间：{pub[:10]} {pub[11:19]}"
        else:
            (container,) = tree.xpath('//div[@id="zoom"]')
            info = normalize(tree.xpath('string(//div[@class="info"])'))
            shown, when = f"信息来源：{article.source} ", f"发布日期：{pub[:10]} {pub[11:16]}"
            assert "浏览次数" in info and "【字号：大 中 小】" in info
        assert shown in info and when in info, info
        assert (f"作者：{article.author} " in info) == (article.author is not None), info
        assert "\n".join(body_lines(container)) == article.text, article.path
        assert f'<meta name="PubDate" content="{pub[:10]} {pub[11:16]}">' in html
        assert 'name="SiteIDCode"' in html and "网站支持IPv6" in html
        assert 10_000 < len(answer.body) < 100_000


def test_seed_page_is_a_trs_article(server):
    answer = fetch(server.base_urls["sample-yn"] + SEED_PATH)
    html = answer.body.decode("utf-8")
    for needle in (SEED["title"], SEED["kicker"], "来源：云南日报", "发布时间：2021-10-25 07:33:20",
                   "滇ICP备05000002号", "政府网站标识码：5300000033", "滇公网安备 53010202000476号",
                   "365bet体育在线", "相关文档", "上一篇", "分享到", '<meta name="ColumnName" '
                   'content="州市动态">'):
        assert needle in html, needle


def test_trs_lists_page_only_through_javascript(site, server):
    portal = site.portal("sample-yn")
    for section in portal.sections:
        base = server.base_urls[portal.id] + section.path
        first = fetch(base + "index.html").body.decode("utf-8")
        match = re.search(r'createPageHTML\((\d+), 0, "index", "html"\)', first)
        assert match, section.id
        pages = int(match.group(1))
        assert pages >= 2
        assert "index_1.html" not in first
        hrefs = lxml.html.fromstring(first).xpath("//a/@href")
        assert not [h for h in hrefs if "index_" in h]
        found = []
        for number in range(pages):
            url = base + ("index.html" if number == 0 else f"index_{number}.html")
            html = fetch(url).body.decode("utf-8")
            items = lxml.html.fromstring(html).xpath('//ul[@class="list"]/li/a/@href')
            assert len(items) == 20 or number == pages - 1
            assert all(h.startswith(("./", "../")) for h in items)
            found += [urljoin(url, h) for h in items]
        assert fetch(base + f"index_{pages}.html").status == 404
        listed = site.lists[(portal.id, section.id)]
        expected = {server.base_urls[portal.id] + i.path for i in listed}
        assert set(found) == expected and len(found) == len(expected)


def test_hanweb_first_group_hides_in_the_datastore_and_the_rest_needs_post(site, server):
    portal = site.portal("sample-zj")
    base = server.base_urls[portal.id]
    for section in portal.sections:
        column, unit = COLUMNS[section.id]
        answer = fetch(base + section.list_path)
        html = decode(section.encoding, answer.body)
        links = lxml.html.fromstring(html).xpath("//a/@href")
        assert not [h for h in links if h.startswith("/art/")], "links visible to a parser"
        records = RECORD.findall(html)
        assert len(records) == 45
        total = int(re.search(r"totalRecord:\s*(\d+)", html).group(1))
        assert "perPage: 15" in html and "groupSize: 3" in html
        items = site.lists[(portal.id, section.id)]
        assert total == len(items) > 45
        found = [HREF.search(r).group(1) for r in records]
        start = 46
        while start <= total:
            form = PROXY_FORM.format(column=column, unit=unit).encode()
            url = f"{base}{PROXY}?startrecord={start}&endrecord={start + 44}&perpage=15"
            proxy = fetch(url, data=form)
            assert proxy.status == 200
            xml = decode(section.encoding, proxy.body)
            assert f"<totalrecord>{total}</totalrecord>" in xml
            assert f"<totalpage>{-(-total // 15)}</totalpage>" in xml
            found += [HREF.search(r).group(1) for r in RECORD.findall(xml)]
            start += 45
        assert found == [i.path for i in items]


def test_dataproxy_rejects_get_and_unknown_columns(server):
    base = server.base_urls["sample-zj"]
    assert fetch(base + PROXY).status == 405
    wrong = PROXY_FORM.format(column=1554467, unit=7711).encode()
    assert fetch(f"{base}{PROXY}?startrecord=1&endrecord=45&perpage=15", data=wrong).status == 400
    assert fetch(server.base_urls["sample-yn"] + PROXY, data=b"x=1").status == 405


def test_gbk_section_declares_gb2312_but_needs_gb18030(site, server):
    portal = site.portal("sample-zj")
    section = portal.section("sxdt")
    base = server.base_urls[portal.id]
    article = next(a for a in site.articles if a.section_ids == ("sxdt",))
    column, unit = COLUMNS["sxdt"]
    form = PROXY_FORM.format(column=column, unit=unit).encode()
    answers = [
        fetch(base + section.list_path),
        fetch(base + article.path),
        fetch(f"{base}{PROXY}?startrecord=1&endrecord=45&perpage=15", data=form),
        fetch(f"{base}{PROXY}?startrecord=46&endrecord=90&perpage=15", data=form),
    ]
    for answer in answers:
        assert answer.status == 200
        assert "charset" not in answer.headers["Content-Type"]
        with pytest.raises(UnicodeDecodeError):
            answer.body.decode("gb2312")
        with pytest.raises(UnicodeDecodeError):
            answer.body.decode("utf-8")
        answer.body.decode("gb18030")
    assert answers[0].headers["Content-Type"] == "text/html"
    page = answers[1].body.decode("gb18030")
    assert 'content="text/html; charset=gb2312"' in page and article.title in page


def test_gzip_is_negotiated_and_conditional_requests_get_304(server):
    url = server.base_urls["sample-yn"] + SEED_PATH
    plain = fetch(url)
    assert "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) == len(plain.body)
    zipped = fetch(url, {"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == plain.body
    assert fetch(url, {"Accept-Encoding": "gzip"}).body == zipped.body  # byte-stable
    assert "Content-Encoding" not in fetch(url, {"Accept-Encoding": "gzip;q=0"}).headers
    etag = plain.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert fetch(url, {"If-None-Match": etag}).status == 304
    assert fetch(url, {"If-None-Match": zipped.headers["ETag"]}).status == 304
    assert fetch(url, {"If-None-Match": '"other"'}).status == 200
    since = plain.headers["Last-Modified"]
    assert since.endswith("GMT")
    assert fetch(url, {"If-Modified-Since": since}).status == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status == 200
    head = fetch(url, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == plain.headers["Content-Length"]


def test_broken_list_items(site, server):
    for broken in site.broken:
        listed = [i.path for i in site.lists[(broken.portal_id, broken.section_id)]]
        assert broken.path in listed
        answer = fetch(server.base_urls[broken.portal_id] + broken.path,
                       {"Accept-Encoding": "gzip"})
        if broken.kind == "missing":
            assert answer.status == 404
        elif broken.kind == "empty":
            assert answer.status == 200 and answer.body == b""
            assert answer.headers["Content-Length"] == "0"
            assert answer.headers["Content-Type"] == "text/html"
        else:
            assert answer.status == 200 and len(answer.body) > 100
            assert b"<html" not in answer.body.lower()
            with pytest.raises(UnicodeDecodeError):
                answer.body.decode("utf-8")


def test_attachments_are_valid_files_linked_from_their_articles(site, server):
    with_files = [a for a in site.articles if a.attachments]
    assert len(with_files) >= 10
    assert {f.mime for a in with_files for f in a.attachments} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    for article in with_files:
        url = article_url(server, article)
        page = decode(encoding_of(site, article), fetch(url).body)
        hrefs = {urljoin(url, h) for h in lxml.html.fromstring(page).xpath("//a/@href")}
        for spec in article.attachments:
            file_url = server.base_urls[article.portal_id] + spec.path
            assert file_url in hrefs and spec.filename in page
            answer = fetch(file_url, {"Accept-Encoding": "gzip"})
            assert answer.status == 200
            assert answer.headers["Content-Type"] == spec.mime
            assert "Content-Encoding" not in answer.headers
            if spec.filename.endswith(".pdf"):
                assert answer.body.startswith(b"%PDF-") and answer.body.rstrip().endswith(b"%%EOF")
                assert b"BT " in answer.body and b"xref" in answer.body
            else:
                with zipfile.ZipFile(io.BytesIO(answer.body)) as docx:
                    assert {"[Content_Types].xml", "word/document.xml"} <= set(docx.namelist())


def test_homepages_robots_sitemaps_and_404(site, server):
    for portal in site.portals:
        base = server.base_urls[portal.id]
        home = fetch(base + "/")
        html = home.body.decode("utf-8")
        hrefs = lxml.html.fromstring(html).xpath("//a/@href")
        assert any(h.startswith("https://www.gov.cn") for h in hrefs)
        assert any("/wzdt/index.html" in h for h in hrefs)
        for section in portal.sections:
            assert section.name in html
        robots = fetch(base + "/robots.txt")
        assert robots.status == 200 and b"Disallow: /search/" in robots.body
        assert fetch(base + "/wzdt/index.html").status == 200
        assert fetch(base + "/no/such/page.html").status == 404
        assert fetch(base + "/no/such/page.html", method="HEAD").status == 404
    yn = server.base_urls["sample-yn"]
    assert fetch(yn + "/ywdt/zsdt/").body == fetch(yn + "/ywdt/zsdt/index.html").body


def test_requests_are_counted(server):
    url = server.base_urls["sample-yn"] + "/robots.txt"
    before = server.requests[("GET", "/robots.txt")]
    fetch(url)
    fetch(url)
    assert server.requests[("GET", "/robots.txt")] == before + 2


# --- the command line -----------------------------------------------------------------------


def test_module_prints_its_addresses_and_stops_on_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "crawler.sample_portal"], cwd=REPO,
                               stdout=subprocess.PIPE, text=True)
    try:
        urls = json.loads(process.stdout.readline())
        assert set(urls) == {"sample-yn", "sample-zj"}
        assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", u) for u in urls.values())
        assert fetch(urls["sample-zj"] + "/robots.txt").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


def test_serve_sample_portal_runs_a_subprocess_and_writes_a_registry(tmp_path):
    with serve_sample_portal() as running:
        registry = running.write_registry(tmp_path / "portals.toml")
        data = tomllib.loads(registry.read_text(encoding="utf-8"))
        for portal in data["portal"]:
            assert "http://" + portal["domain"] == running.base_urls[portal["id"]]
            for section in portal["section"]:
                assert fetch(section["url"]).status == 200
        process = running.process
    assert process.returncode == 0
