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
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

import lxml.html
import pytest

from crawler.registry import load_registry
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
ALL_PORTALS = {"sample-yn", "sample-zj", "sample-js", "sample-gd", "sample-sn", "sample-mirror",
               "sample-hg", "sample-gov"}
# Behind JavaScript walls: served only to a browser (tests/test_browser.py checks them).
WALLED = {"sample-hg"}
# Portals with pages of their own design, checked by their own tests: sample-hg (walled,
# tests/test_browser.py) and sample-gov (政府信息公开, tests/test_policy_documents.py).
OWN_TEMPLATES = WALLED | {"sample-gov"}
JPAAS_API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
JPAAS_PARAMS = {"jsyw": ("305491", "当前栏目list"), "dqdt": ("305492", "地区动态")}
TPLSET = "5d9a8fd4a9c7450fb4a1a2e4c0f0b5a9"
# sha256 over every sample-yn/sample-zj page and file that existed before the other CMS
# families were added (all but 州市动态's list pages, which list the added pages too).
ORIGINAL_DIGEST = "b05601f4bcf0bb26a60ca84f546bd9ebf2af7fec2bad8d1757d6a967f022a9e0"
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|text-indent\s*:\s*-\d{3,}"
                    r"|font-size\s*:\s*0(?![.\d])|left\s*:\s*-\d{3,}")


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
        if tag is not None and HIDDEN.search(node.get("style") or ""):
            pass
        elif tag == "br":
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
    assert len(site.articles) >= 400
    assert len({(a.portal_id, a.path) for a in site.articles}) == len(site.articles)
    originals = [a for a in site.articles if a.portal_id != "sample-mirror"]
    assert len({a.title for a in originals}) == len(originals)
    assert {p.id for p in site.portals} == ALL_PORTALS
    counts = Counter(a.portal_id for a in site.articles)
    assert counts["sample-gov"] == 8 and all(a.document for a in site.articles
                                             if a.portal_id == "sample-gov")
    assert counts["sample-yn"] >= 90 and counts["sample-zj"] >= 90
    assert counts["sample-js"] >= 55 and counts["sample-gd"] >= 55 and counts["sample-sn"] >= 30
    assert counts["sample-mirror"] == 3
    assert Counter(b.kind for b in site.broken) == {"empty": 1, "garbage": 1, "missing": 1,
                                                     "challenge": 3, "blocked": 2}
    for broken in site.broken:
        assert broken.kind in ("empty", "garbage", "missing") or broken.status
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


def body_and_info(cms: str, tree, article) -> tuple[object, str, list[str]]:
    """The body container, the info line and what the info line must show, per template."""
    pub = article.published_at
    if cms == "trs":
        (container,) = tree.xpath('//div[contains(@class, "TRS_UEDITOR") or '
                                  'contains(@class, "TRS_Editor")]')
        info = normalize(tree.xpath('string(//div[@class="detail_info"])'))
        return container, info, [f"来源：{article.source} ", f"发布时间：{pub[:10]} {pub[11:19]}"]
    if cms == "hanweb":
        (container,) = tree.xpath('//div[@id="zoom"]')
        info = normalize(tree.xpath('string(//div[@class="info"])'))
        shown = [f"信息来源：{article.source} ", f"发布日期：{pub[:10]} {pub[11:16]}"]
        return container, info, [*shown, "浏览次数", "【字号：大 中 小】"]
    if cms == "jpaas":
        (container,) = tree.xpath('//div[@class="article-content"]')
        info = normalize(tree.xpath('string(//div[@class="article-info"])'))
        return container, info, [f"发布日期：{pub[:10]} {pub[11:16]}", f"来源：{article.source}"]
    if cms == "generic":
        (container,) = tree.xpath('//div[@class="zw"]')
        info = normalize(tree.xpath('string(//div[@class="zw-info"])'))
        return container, info, [f"时间：{pub[:10]} {pub[11:19]}", f"来源：{article.source}"]
    (container,) = tree.xpath('//div[@id="info-cont"]/div[contains(@class, "TRS_UEDITOR")]')
    info = normalize(tree.xpath('string(//div[@class="info-source"])'))
    return container, info, [f"来源：{article.source}", f"发布时间：{pub[:10]} {pub[11:19]}"]


def template_of(article) -> str:
    return {"sample-yn": "trs", "sample-mirror": "trs", "sample-zj": "hanweb",
            "sample-js": "jpaas", "sample-gd": "generic", "sample-sn": "trs-sn"}[article.portal_id]


def test_every_article_is_served_with_its_title_and_body(site, server):
    for article in (a for a in site.articles if a.portal_id not in OWN_TEMPLATES):
        answer = fetch(article_url(server, article))
        assert answer.status == 200, article.path
        html = decode(encoding_of(site, article), answer.body)
        assert article.title in html or lxml.html.fromstring(html).xpath(
            "string(//h1)") == article.title, article.path
        tree = lxml.html.fromstring(html)
        container, info, shown = body_and_info(template_of(article), tree, article)
        for needle in shown:
            assert needle in info + " ", (needle, info)
        if article.author is not None:
            assert f"作者：{article.author}" in info, info
        else:
            assert "作者：" not in info, info
        assert "\n".join(body_lines(container)) == article.text, article.path
        pub = article.published_at
        assert f'<meta name="PubDate" content="{pub[:10]} {pub[11:16]}">' in html
        assert 'name="SiteIDCode"' in html and "网站支持IPv6" in html
        assert 10_000 < len(answer.body) < 100_000, (article.path, len(answer.body))


def test_original_portals_are_unchanged(site):
    routes = build_routes(site, ["sample-yn", "sample-zj"])
    added = {path for (_, path), detail in site.details.items() if detail.added}
    digest = hashlib.sha256()
    for pid in ("sample-yn", "sample-zj"):
        for path in sorted(routes[pid].pages):
            if path in added or path.startswith("/ywdt/zsdt/index"):
                continue
            res = routes[pid].pages[path]
            digest.update(f"{pid} {path} {res.content_type} {res.last_modified}\n".encode()
                          + res.body)
        for name in sorted(routes[pid].downloads):
            digest.update(name.encode() + routes[pid].downloads[name].body)
    assert digest.hexdigest() == ORIGINAL_DIGEST, "a sample-yn/sample-zj page changed"
    assert len(added) == 7 and all(p.startswith("/ywdt/zsdt/") for p in added)


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
        section = site.portal(broken.portal_id).section(broken.section_id)
        assert broken.path in listed or broken.path == section.list_path
        answer = fetch(server.base_urls[broken.portal_id] + broken.path,
                       {"Accept-Encoding": "gzip"})
        if broken.kind in ("challenge", "blocked"):
            assert answer.status == broken.status
        elif broken.kind == "missing":
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
    with_files = [a for a in site.articles if a.attachments
                  and a.portal_id not in OWN_TEMPLATES]
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
    for portal in (p for p in site.portals if p.id not in OWN_TEMPLATES):
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


# --- the other CMS families ----------------------------------------------------------------


def jpaas_url(base: str, section_id: str, page_no: int, page_size: int = 15, **extra: str) -> str:
    page_id, tag_id = JPAAS_PARAMS[section_id]
    params = {"webId": "1079", "pageId": page_id, "parseType": "bulidstatic",
              "pageType": "column", "tagId": tag_id, "tplSetId": TPLSET,
              "paramJson": json.dumps({"pageNo": page_no, "pageSize": page_size},
                                      separators=(",", ":"))}
    params.update(extra)
    return f"{base}{JPAAS_API}?{urlencode(params)}"


def test_jpaas_lists_come_only_from_the_json_api(site, server):
    portal = site.portal("sample-js")
    base = server.base_urls[portal.id]
    for section in portal.sections:
        html = fetch(base + section.list_path).body.decode("utf-8")
        tree = lxml.html.fromstring(html)
        assert not [h for h in tree.xpath("//a/@href") if h.startswith("/art/")]
        (container,) = tree.xpath('//div[contains(@class, "list-container")]')
        assert len(container) == 0 and not container.text_content().strip()
        page_id, tag_id = JPAAS_PARAMS[section.id]
        for needle in ('"1079"', f'"{page_id}"', f'"{tag_id}"', f'"{TPLSET}"', JPAAS_API,
                       '"bulidstatic"', '"column"'):
            assert needle in html, (section.id, needle)
        items = site.lists[(portal.id, section.id)]
        found, page_no = [], 1
        while True:
            answer = fetch(jpaas_url(base, section.id, page_no))
            assert answer.status == 200
            assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
            data = json.loads(answer.body)
            assert data["success"] is True and data["code"] == "200"
            assert {k: data["data"][k] for k in ("total", "pageSize", "pageNo")} == {
                "total": len(items), "pageSize": 15, "pageNo": page_no}
            assert data["data"]["html"].startswith('<ul class="list">')
            links = HREF.findall(data["data"]["html"])
            if not links:
                break
            found += links
            page_no += 1
        assert found == [i.path for i in items]
        assert page_no - 1 == -(-len(items) // 15) >= 2
        whole = json.loads(fetch(jpaas_url(base, section.id, 1, page_size=100)).body)
        assert HREF.findall(whole["data"]["html"]) == found
    for bad in ({"webId": "1"}, {"tagId": "x"}, {"tplSetId": "0"}, {"paramJson": "{"},
                {"parseType": "x"}, {"pageId": "305493"}):
        answer = fetch(jpaas_url(base, "jsyw", 1, **bad))
        assert answer.status == 200 and json.loads(answer.body)["success"] is False, bad
    other_tag = jpaas_url(base, "dqdt", 1, tagId=JPAAS_PARAMS["jsyw"][1])
    assert json.loads(fetch(other_tag).body)["success"] is False
    assert quote("地区动态") in jpaas_url(base, "dqdt", 1).replace("+", "%20")


def follow_next(base: str, url: str, label: str = "下一页", limit: int = 50) -> list[str]:
    pages = []
    while url and len(pages) < limit:
        pages.append(url)
        tree = lxml.html.fromstring(fetch(url).body.decode("utf-8"))
        nexts = tree.xpath(f'//div[@class="page"]/a[normalize-space()="{label}"]/@href')
        url = urljoin(url, nexts[0]) if nexts else None
    return pages


def test_generic_lists_page_only_through_next_links(site, server):
    portal = site.portal("sample-gd")
    base = server.base_urls[portal.id]
    for section in portal.sections:
        items = site.lists[(portal.id, section.id)]
        pages = follow_next(base, base + section.list_path)
        assert len(pages) == -(-len(items) // 15) >= 2
        assert pages[1] == base + section.path + "index_2.html"
        found = []
        for number, url in enumerate(pages, start=1):
            tree = lxml.html.fromstring(fetch(url).body.decode("utf-8"))
            pager = tree.xpath('//div[@class="page"]/a')
            assert {a.text_content() for a in pager} <= {"首页", "上一页", "下一页", "尾页"}
            if number < len(pages):
                assert urljoin(url, tree.xpath('//a[.="尾页"]/@href')[0]) == pages[-1]
            assert "createPageHTML" not in lxml.html.tostring(tree, encoding="unicode")
            if section.id == "gdyw":
                for li in tree.xpath('//ul[@class="viewList"]/li'):
                    assert re.fullmatch(r"\[\d{4}-\d\d-\d\d\]", li.xpath("string(span)"))
                    found.append(urljoin(url, li.xpath("a/@href")[0]))
            else:
                for row in tree.xpath('//table[@class="list-table"]//tr'):
                    assert re.fullmatch(r"\d\d-\d\d", row.xpath('string(td[@class="date"])'))
                    found.append(urljoin(url, row.xpath("td/a/@href")[0]))
        assert found == [base + i.path for i in items]
        assert all(re.search(r"/gdywdt/\w+/content/post_\d{7}\.html$", u) for u in found)


def test_generic_traps_never_end(site, server):
    base = server.base_urls["sample-gd"]
    traps = {t.kind: t for t in site.traps}
    assert set(traps) == {"calendar", "endless-pager"}
    calendar = traps["calendar"]
    first = lxml.html.fromstring(fetch(base + "/gdywdt/gdyw/index.html").body.decode("utf-8"))
    days = first.xpath('//div[@class="calendar"]//td/a/@href')
    assert len(days) >= 28 and all(d.startswith("index.html?date=") for d in days)
    nxt = first.xpath('//div[@class="calendar"]//a[.="»"]/@href')[0]
    assert urljoin(base + "/gdywdt/gdyw/", nxt) == base + calendar.path
    url, seen = base + calendar.path, set()
    for _ in range(30):
        split = urlsplit(url)
        assert re.fullmatch(calendar.pattern, f"{split.path}?{split.query}")
        assert url not in seen
        seen.add(url)
        tree = lxml.html.fromstring(fetch(url).body.decode("utf-8"))
        url = urljoin(url, tree.xpath('//div[@class="calendar"]//a[.="»"]/@href')[0])
    far = fetch(base + "/gdywdt/gdyw/index.html?date=2999-12-01").body.decode("utf-8")
    assert "index.html?date=3000-01-01" in far
    item = site.lists[("sample-gd", "gdyw")][3]
    day = fetch(f"{base}/gdywdt/gdyw/index.html?date={item.date}").body.decode("utf-8")
    assert item.path in day
    plain = fetch(base + "/gdywdt/gdyw/index.html").body
    assert fetch(base + "/gdywdt/gdyw/index.html?date=2026-02-30").body == plain  # ignored
    archive = traps["endless-pager"]
    dsdt = fetch(base + "/gdywdt/dsdt/index.html").body.decode("utf-8")
    assert f'href="{archive.path}"' in dsdt
    pages = follow_next(base, base + archive.path, limit=40)
    assert len(pages) == 40 and len(set(pages)) == 40
    for url in pages[::13]:
        assert re.fullmatch(archive.pattern, urlsplit(url).path)
        assert "/content/post_" not in fetch(url).body.decode("utf-8")


def canonical(path: str) -> str:
    return re.sub(r"_(?:wap|senior)(?=\.shtml$)", "", path.split("?", 1)[0])


def test_trs_newer_pager_and_alternate_copies(site, server):
    portal = site.portal("sample-sn")
    base = server.base_urls[portal.id]
    items = site.lists[(portal.id, "sxyw")]
    first = fetch(base + "/xw/sxyw/list.shtml").body.decode("utf-8")
    match = re.search(r"createPageHTML\('page_div', (\d+), 0, 'list', 'shtml', (\d+)\);", first)
    assert match, "newer createPageHTML call missing"
    pages, records = int(match.group(1)), int(match.group(2))
    assert records == len(items) and pages == -(-records // 12) >= 3
    assert "list_1.shtml" not in first
    found = []
    for number in range(pages):
        url = base + ("/xw/sxyw/list.shtml" if number == 0 else f"/xw/sxyw/list_{number}.shtml")
        tree = lxml.html.fromstring(fetch(url).body.decode("utf-8"))
        hrefs = tree.xpath('//div[@class="list-l"]/ul/li/a/@href')
        assert all(h.startswith("./") for h in hrefs)
        found += [urljoin(url, h) for h in hrefs]
        hot = tree.xpath('//div[contains(@class, "hot")]//a/@href')
        assert len(hot) == 5 and all("_senior" in h or "from=" in h for h in hot)
    assert fetch(f"{base}/xw/sxyw/list_{pages}.shtml").status == 404
    assert found == [base + i.path for i in items]
    listed = [urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "")
              for u in found]
    for needle in ("_wap.shtml", "_senior.shtml", "?from=timeline&isappinstalled=0",
                   "?utm_source=wechat&utm_medium=share"):
        assert sum(needle in u for u in listed) >= 2, needle
    articles = [a for a in site.articles if a.portal_id == portal.id]
    broken = {b.path for b in site.broken if b.section_id == "sxyw"}
    assert {canonical(u) for u in listed} == {a.path for a in articles} | broken
    all_paths = {a.path for a in site.articles if a.portal_id == portal.id}
    for article in articles:
        assert re.fullmatch(r"/xw/sxyw/\d{6}/t\d{8}_\d+\.shtml", article.path)
        assert article.alternates == (article.path.replace(".shtml", "_wap.shtml"),
                                      article.path.replace(".shtml", "_senior.shtml"))
        assert not set(article.alternates) & all_paths
    for article in articles[::5]:
        wap, senior = (fetch(base + p).body.decode("utf-8") for p in article.alternates)
        for html, xpath in ((wap, '//div[@class="m-content"]'),
                            (senior, '//div[contains(@class, "senior-content")]')):
            tree = lxml.html.fromstring(html)
            assert tree.xpath("string(//h1)") == article.title
            assert "\n".join(body_lines(tree.xpath(xpath)[0])) == article.text
        tracked = fetch(f"{base}{article.path}?from=timeline&isappinstalled=0")
        assert tracked.body == fetch(base + article.path).body


def test_challenges_and_refusals(site, server):
    protected = [b for b in site.broken if b.kind in ("challenge", "blocked")]
    assert sorted(b.status for b in protected) == [202, 403, 405, 412, 521]
    base = server.base_urls["sample-sn"]
    titles = {a.title for a in site.articles}
    for broken in protected:
        answer = fetch(base + broken.path, {"Accept-Encoding": "gzip"})
        assert answer.status == broken.status, broken
        assert "Content-Encoding" not in answer.headers and len(answer.body) < 4000
        text = answer.body.decode("utf-8")
        assert not any(t in text for t in titles)
        if broken.status in (412, 202):
            assert "$_ts" in text and "<script" in text
            assert re.match(r"\w+=[\w.]{64}; Path=/", answer.headers["Set-Cookie"])
        elif broken.status == 521:
            assert re.fullmatch(r"[0-9a-f]{7},-", answer.headers["X-Via-JSL"])
            assert text.startswith("<script>document.cookie=")
            assert answer.headers["Set-Cookie"].startswith("__jsluid_h=")
        else:
            assert broken.kind == "blocked" and "WAF" in text
        assert fetch(base + broken.path).body == answer.body
        assert fetch(base + broken.path, method="HEAD").status == broken.status
    for path, status in (("/xw/sqdt/202604/t20260401_3100001.shtml", 412),
                         ("/xw/bmxx/list_1.shtml", 521), ("/zwgk/zcjd/202603/x.shtml", 403)):
        assert fetch(base + path).status == status


def visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for node in tree.xpath("//script|//style|//*[@style]"):
        if node.tag in ("script", "style") or HIDDEN.search(node.get("style")):
            node.drop_tree()
    return tree.text_content()


def test_tamper_pages(site, server):
    kinds = Counter(k for t in site.tamper for k in t.kinds)
    assert kinds == {"hidden-link": 3, "script-redirect": 1, "script-link": 1, "mirror": 3,
                     "injected-terms": 2, "none": 2}
    gambling = re.compile(r"365bet|澳门|金沙|皇冠|葡京|-example\.com")
    for spec in site.tamper:
        article = site.article(spec.portal_id, spec.path)
        html = fetch(server.base_urls[spec.portal_id] + spec.path).body.decode("utf-8")
        for evidence in spec.evidence:
            assert evidence in html, (spec.path, evidence)
        shown = visible_text(html)
        if "hidden-link" in spec.kinds:
            tree = lxml.html.fromstring(html)
            links = [a for a in tree.xpath("//a[contains(@href, '-example.com')]")]
            assert links
            for link in links:
                styles = " ".join(n.get("style") or "" for n in link.iterancestors())
                assert HIDDEN.search(styles + (link.get("style") or "")), link.get("href")
                assert link.text_content() not in shown and link.text_content() not in article.text
        if "script-redirect" in spec.kinds:
            assert re.search(r'window\.location\.href="http://www\.xpj-example\.com/"', html)
        if "script-link" in spec.kinds:
            assert "document.write('<a href=\"http://www.xpj-example.com/\"" in html
            assert "新葡京" not in article.text
        if spec.kinds == ("none",):
            assert not gambling.search(html) and "彩票" in article.text
        if "mirror" in spec.kinds:
            original = site.article("sample-yn", spec.path)
            assert article.text == original.text and article.title == original.title
            assert '<meta name="SiteIDCode" content="5300000033">' in html
        if "injected-terms" in spec.kinds:
            terms = [e for e in spec.evidence if e.startswith("365bet")]
            assert all(t in shown for t in terms) and terms
    seed = site.article("sample-mirror", SEED_PATH)
    assert seed.text == SEED["text"]
    mirror_seed = fetch(server.base_urls["sample-mirror"] + SEED_PATH).body.decode("utf-8")
    assert "365bet体育投注人民政府办公厅" in mirror_seed and "365bet体育在线我们" in mirror_seed
    assert site.portal("sample-mirror").mirror_of == "sample-yn"


def test_registry_of_every_portal_loads_with_the_crawler_loader(tmp_path):
    ids = sorted(ALL_PORTALS)
    urls = {pid: f"http://127.0.0.1:{41000 + n}" for n, pid in enumerate(ids)}
    text = registry_toml(urls)
    two = registry_toml({k: urls[k] for k in ("sample-yn", "sample-zj")})
    assert text.startswith(two), "the sample-yn and sample-zj entries must stay as they were"
    path = tmp_path / "portals.toml"
    path.write_text(text, encoding="utf-8")
    portals = load_registry(path)
    assert {p.id: p.cms for p in portals.values()} == {
        "sample-yn": "trs", "sample-zj": "hanweb", "sample-js": "jpaas", "sample-gd": "generic",
        "sample-sn": "trs", "sample-mirror": "trs", "sample-hg": "generic",
        "sample-gov": "generic"}
    assert [s.fetch for s in portals["sample-hg"].sections] == ["plain", "plain", "browser"]
    mirror = portals["sample-mirror"]
    assert mirror.site_id_code is None and mirror.note == "mirror of sample-yn"
    assert portals["sample-sn"].sections[0].url.endswith("/xw/sxyw/list.shtml")
    assert len(portals["sample-sn"].sections) == 4


def test_each_added_portal_has_attachments(site):
    counts = Counter(a.portal_id for a in site.articles for _ in a.attachments)
    for pid in ("sample-js", "sample-gd", "sample-sn"):
        assert counts[pid] >= 2, pid


# --- the command line -----------------------------------------------------------------------


def test_module_prints_its_addresses_and_stops_on_sigterm():
    process = subprocess.Popen([sys.executable, "-m", "crawler.sample_portal"], cwd=REPO,
                               stdout=subprocess.PIPE, text=True)
    try:
        urls = json.loads(process.stdout.readline())
        assert set(urls) == ALL_PORTALS and len(set(urls.values())) == len(urls)
        assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+", u) for u in urls.values())
        assert fetch(urls["sample-zj"] + "/robots.txt").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()


def test_serve_sample_portal_runs_a_subprocess_and_writes_a_registry(site, tmp_path):
    protected = {(b.portal_id, b.path): b.status for b in site.broken}
    with serve_sample_portal() as running:
        registry = running.write_registry(tmp_path / "portals.toml")
        data = tomllib.loads(registry.read_text(encoding="utf-8"))
        assert {p["id"] for p in data["portal"]} == ALL_PORTALS
        for portal in data["portal"]:
            assert "http://" + portal["domain"] == running.base_urls[portal["id"]]
            for section in portal["section"]:
                path = urlsplit(section["url"]).path
                expected = protected.get((portal["id"], path), 200)
                if portal["id"] in WALLED:
                    expected = 521  # its wall (tests/test_browser.py passes it)
                assert fetch(section["url"]).status == expected, section["url"]
        assert set(load_registry(registry)) == ALL_PORTALS
        process = running.process
    assert process.returncode == 0
