"""Behind the wall: sample-hg's walls, passed by a real headless Chromium in the crawl.

The walls (crawler/sample_portal/walled.py) are checked against a plain HTTP client first:
none lets it through without running its script. Then the real CLI crawls sample-hg with
Debian's Chromium (cookie hand-off for the 加速乐-like wall, whole browser fetches for the
瑞数-like wall and the script-written list), the archive is verified and rebuilt from its
WARC files alone, and the captures are compared with the wire. Without a browser the crawl
records the walled sections as challenges with a hint and finishes.
"""

from __future__ import annotations

import gzip
import http.cookiejar
import json
import os
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import warc_files
from crawler.browser.service import find_browser
from crawler.cms import parse_list
from crawler.sample_portal import serve_sample_portal
from crawler.sample_portal.site import build_site
from crawler.sample_portal.walled import jsl_value, rs_token
from tests.conftest import BROWSER_ON, FAST, govarc, query

PORTAL = "sample-hg"
pytestmark = pytest.mark.browser
SITE = build_site()
EXPECTED = {a.path: a for a in SITE.articles if a.portal_id == PORTAL}


def _browser() -> str:
    path = find_browser(os.environ.get("GOVARC_BROWSER_PATH", ""))
    if path is None:
        if os.environ.get("GOVARC_REQUIRE_BROWSER"):
            pytest.fail("GOVARC_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return path


@pytest.fixture(scope="module")
def hg():
    with serve_sample_portal(portals=[PORTAL]) as portal:
        yield portal


def _open(opener, url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_a_plain_client_does_not_pass_the_walls(hg):
    base = hg.base_urls[PORTAL]
    hgyw, tzgg, sjfb = (s for s in SITE.portals if s.id == PORTAL).__next__().sections
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # 加速乐-like: a client that keeps the cookies and asks again still gets 521.
    for _ in range(3):
        status, headers, body = _open(opener, base + hgyw.list_path)
        assert status == 521 and "X-Via-JSL" in headers and b"document.cookie" in body
    assert {c.name for c in jar} == {"__jsluid_h"}
    # A made-up clearance, or one computed for another visit's nonce, is refused.
    plain = urllib.request.build_opener()
    status, _, body = _open(plain, base + hgyw.list_path)
    nonce = re.search(rb'_n="(\w+)"', body).group(1).decode()
    status, _, _ = _open(plain, base + hgyw.list_path,
                         f"__jsl_clearance_s={nonce}|12345; __jsluid_h=x")
    assert status == 521
    # What the script computes opens the site, for the visitor it was issued to.
    key = int(re.search(rb"_k=(\d+)", body).group(1))
    status, headers, body = _open(plain, base + hgyw.list_path)
    nonce = re.search(rb'_n="(\w+)"', body).group(1).decode()
    key = int(re.search(rb"_k=(\d+)", body).group(1))
    uid = re.search(r"__jsluid_h=(\w+)", headers["Set-Cookie"]).group(1)
    clearance = f"__jsl_clearance_s={nonce}|{jsl_value(nonce, key)}; __jsluid_h={uid}"
    status, _, page = _open(plain, base + hgyw.list_path, clearance)
    assert status == 200 and "海关要闻".encode() in page
    # 瑞数-like: past the first wall, 通知公告 answers 412 until a token opens one page once.
    status, _, body = _open(plain, base + tzgg.list_path, clearance)
    assert status == 412 and b"$_ts" in body
    seed = re.search(rb'var s="(\w+)"', body).group(1).decode()
    path = tzgg.list_path
    token = f"{clearance}; _rs_t={seed}.{rs_token(seed, path)}"
    assert _open(plain, base + path, token)[0] == 200
    assert _open(plain, base + path, token)[0] == 412  # the same token a second time
    # 数据发布's list page holds no article link until its script has run.
    status, _, page = _open(plain, base + sjfb.list_path, clearance)
    assert status == 200
    found = parse_list("generic", base + sjfb.list_path, page.decode("utf-8"))
    assert not found.articles and not found.next_pages


@pytest.fixture(scope="module")
def browsed(hg, tmp_path_factory):
    browser = _browser()
    root = tmp_path_factory.mktemp("browsed")
    registry = hg.write_registry(root / "portals.toml")
    db, warc_dir = root / "archive.db", root / "warc"
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                    str(warc_dir), *FAST, env={"GOVARC_BROWSER_PATH": browser, **BROWSER_ON})
    return hg.base_urls[PORTAL], db, warc_dir, result


@dataclass
class Rec:
    """One WARC record as a reader sees it."""

    kind: str
    url: str
    headers: dict[str, str]  # WARC headers
    http: list[tuple[str, str]]  # HTTP header lines, as stored
    status: str | None
    content: bytes  # payload with transfer and content encodings undone
    stored: bytes  # payload as stored
    context: dict | None = None  # govarc's metadata record for the exchange


def _records(warc_dir: Path) -> list[Rec]:
    out: list[Rec] = []
    contexts: dict[str, dict] = {}
    for path in warc_files(warc_dir):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                headers = dict(record.rec_headers.headers)
                http = record.http_headers
                stored = record.raw_stream.read() if record.rec_type == "response" else b""
                content = (record.content_stream().read()
                           if record.rec_type != "response" else b"")
                if record.rec_type == "response" and stored:
                    encoding = http.get_header("Content-Encoding")
                    content = gzip.decompress(stored) if encoding == "gzip" else stored
                if record.rec_type == "metadata":
                    contexts[headers.get("WARC-Concurrent-To", "")] = json.loads(content)
                out.append(Rec(record.rec_type, headers.get("WARC-Target-URI", ""), headers,
                               list(http.headers) if http else [],
                               http.get_statuscode() if http and record.rec_type in (
                                   "response", "revisit") else None, content, stored))
    for rec in out:
        rec.context = contexts.get(rec.headers.get("WARC-Record-ID", ""))
    return out


def test_the_crawl_passes_both_walls_and_the_script_list(browsed):
    base, db, _warc_dir, result = browsed
    assert result.returncode == 0, result.stderr[-3000:]
    rows = query(db, "SELECT url, title, text, published_at, list_section, method "
                     "FROM articles WHERE portal = ?", (PORTAL,))
    assert {url[len(base):] for url, *_ in rows} == set(EXPECTED)
    methods = Counter()
    for url, title, text, published_at, section, method in rows:
        spec = EXPECTED[url[len(base):]]
        assert title == spec.title and text == spec.text, url
        assert published_at[:16] == spec.published_at[:16].replace("T", " ") or \
            published_at[:16] == spec.published_at[:16], (published_at, spec.published_at)
        methods[(section, method)] += 1
    # The script-written section's bodies came from the DOM the browser rendered.
    assert methods == {("hgyw", "rules"): 14, ("tzgg", "rules"): 6,
                       ("sjfb", "rendered-rules"): 12}
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    search = govarc("search", "--db", str(db), EXPECTED[next(
        p for p in EXPECTED if "/302274/" in p)].title[:4])
    assert search.returncode == 0 and "302274" in search.stdout


def test_cookie_hand_off_and_switch_to_the_browser(browsed):
    """海关要闻's articles come by plain fetches with the browser's cookies; 通知公告's wall
    ties each request to its script, so its section switched to the browser."""
    _, _, warc_dir, _ = browsed
    by_section: dict[tuple[str, str | None], Counter] = {}
    for rec in _records(warc_dir):
        if rec.kind == "response" and rec.context and rec.context.get("role") == "article":
            key = (rec.context["section"], rec.context.get("via"))
            by_section.setdefault(key, Counter())[rec.status] += 1
    assert by_section[("hgyw", None)] == {"200": 14}  # plain, with the handed-on cookies
    assert ("hgyw", "browser") not in by_section
    assert by_section[("sjfb", "browser")] == {"200": 12}  # fetch = "browser"
    assert by_section[("tzgg", "browser")] == {"200": 6}  # after the switch
    assert set(by_section.get(("tzgg", None), {})) <= {"412"}  # plain attempts: the wall


def test_browser_captures_are_wire_exact_and_rendered_doms_kept(browsed):
    _, _, warc_dir, _ = browsed
    records = _records(warc_dir)
    ids = {r.headers["WARC-Record-ID"]: r for r in records}
    browser = [r for r in records if r.kind in ("response", "revisit") and r.context
               and r.context.get("via") == "browser"]
    statuses = Counter(r.status for r in browser)
    assert statuses["521"] >= 1 and statuses["412"] >= 6  # each wall, as received
    for rec in browser:
        names = [name for name, _ in rec.http]
        # Header names and order exactly as the sample server wrote them (Scrapy would
        # record "Etag"); the body as transferred (gzip when the server sent gzip).
        assert names[:2] == ["Server", "Date"], names
        if rec.kind == "response" and rec.status == "200" and rec.context["role"] != "browser":
            assert "ETag" in names and "Etag" not in names, names
            assert dict(rec.http).get("Content-Encoding") == "gzip"
            assert rec.stored[:2] == b"\x1f\x8b"
    conversions = [r for r in records if r.kind == "conversion"]
    pages = [r for r in browser if r.context["role"] in ("article", "list")
             and r.status == "200"]
    assert len(conversions) == len(pages) >= 12 + 6 + 2
    for rec in conversions:
        original = ids[rec.headers["WARC-Refers-To"]]
        assert original.kind in ("response", "revisit")
        assert rec.headers["WARC-Refers-To-Target-URI"] == original.url
        assert rec.url == "urn:govarc:rendered:" + original.url  # not replayed as the page
        assert "WARC-Payload-Digest" not in rec.headers
        assert rec.headers["Content-Type"] == "text/html; charset=utf-8"
        assert rec.content.startswith((b"<html", b"<!DOCTYPE"))
    dom = next(r for r in conversions if r.url.endswith("/302274/index.html"))
    assert dom.content.count(b"<li>") == 10 and "下一页".encode() in dom.content
    # The request records hold what was sent: the govarc User-Agent, our Accept-Encoding.
    sent = next(dict(r.http) for r in records if r.kind == "request" and "302274" in r.url
                and ids[r.headers["WARC-Concurrent-To"]].context.get("via") == "browser")
    assert sent["User-Agent"].startswith("govarc/") and sent["Accept-Encoding"] == "gzip, deflate"


def test_verify_and_rebuild_from_the_warc_files_alone(browsed, tmp_path):
    _base, db, warc_dir, _ = browsed
    verify = govarc("verify", "--db", str(db), "--warc-dir", str(warc_dir))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    rebuilt = tmp_path / "rebuilt.db"
    result = govarc("rebuild", "--db", str(rebuilt), "--warc-dir", str(warc_dir))
    assert result.returncode == 0, result.stderr
    columns = ("url, title, text, published_at, method, confidence, warc_filename, "
               "warc_offset, list_section")
    sql = f"SELECT {columns} FROM articles ORDER BY url"
    assert query(rebuilt, sql) == query(db, sql)
    sql = "SELECT url, status, record_id, warc_offset FROM captures ORDER BY record_id"
    assert query(rebuilt, sql) == query(db, sql)
    verify = govarc("verify", "--db", str(rebuilt), "--warc-dir", str(warc_dir))
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_without_a_browser_the_walled_sections_are_challenges(hg, tmp_path):
    registry = hg.write_registry(tmp_path / "portals.toml")
    db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
    result = govarc("crawl", "--portal-file", str(registry), "--db", str(db), "--warc-dir",
                    str(warc_dir), *FAST, env={"GOVARC_BROWSER_PATH": "/nonexistent/chromium",
                                               **BROWSER_ON})
    assert result.returncode == 1, result.stderr[-2000:]
    failures = query(db, "SELECT kind, reason, url FROM failures")
    assert {kind for kind, *_ in failures} == {"challenge"}
    assert len(failures) == 3  # each section's first list page
    for _kind, reason, _url in failures:
        assert "apt-get install chromium" in reason, reason
    assert query(db, "SELECT count(*) FROM articles") == [(0,)]
    assert govarc("verify", "--db", str(db), "--warc-dir", str(warc_dir)).returncode == 0


def test_a_hung_page_is_a_browser_timeout(tmp_path):
    """A list page whose script never finishes loading: closed after the budget, recorded
    as `browser-timeout` with what was received archived; the crawl goes on."""
    _browser()
    from tests.hung_portal import HungPortal

    with HungPortal() as portal:
        registry = portal.write_registry(tmp_path / "portals.toml")
        db, warc_dir = tmp_path / "archive.db", tmp_path / "warc"
        result = govarc("crawl", "--portal-file", str(registry), "--db", str(db),
                        "--warc-dir", str(warc_dir), *FAST, "-s", "GOVARC_BROWSER_TIMEOUT=4",
                        timeout=120, env=BROWSER_ON)
    assert result.returncode == 1, result.stderr[-2000:]
    failures = query(db, "SELECT kind, reason FROM failures")
    assert [kind for kind, _ in failures] == ["browser-timeout"], failures
    assert "4 s" in failures[0][1]
    # The page itself was received and archived before the script hung.
    assert query(db, "SELECT status FROM captures WHERE url LIKE '%/list.html'") == [(200,)]
