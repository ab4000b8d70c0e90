"""The fault-injecting sample server: every fault does what its FaultSpec says, quickly."""

from __future__ import annotations

import gzip
import http.client
import re
import socket
import struct
import threading
import time
import tomllib
import urllib.error
import urllib.request
import zlib
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin

import lxml.html
import pytest

from crawler.registry import load_registry
from tests.fault_portal import FAULT_KINDS, FaultServer, build_fault_site, make_bomb
from tests.test_sample_portal import body_lines

CLIENT_TIMEOUT = 0.3


class Answer:
    def __init__(self, status: int, headers, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str, headers: dict[str, str] | None = None, method: str | None = None,
          timeout: float = 5) -> Answer:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, error.headers, error.read())


def raw(server: FaultServer, path: str, method: str = "GET", read: int | None = None,
        timeout: float = 5) -> tuple[http.client.HTTPResponse, bytes, http.client.HTTPConnection]:
    """One request without redirects or decoding; reads `read` bytes of the body (or all)."""
    host, port = server.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read(read) if read is not None else response.read()
    return response, body, connection


def article_text(html: str) -> str:
    (body,) = lxml.html.fromstring(html).xpath('//div[@class="TRS_Editor"]')
    return "\n".join(body_lines(body))


@pytest.fixture(scope="module")
def site():
    return build_fault_site()


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer(client_timeout=CLIENT_TIMEOUT) as running:
        yield running


def fault(site, kind: str) -> str:
    return site.fault(kind).path


def test_fault_site_lists_every_fault_and_twenty_articles(site, server, tmp_path):
    kinds = Counter(f.kind for f in site.faults)
    assert set(kinds) == {*FAULT_KINDS, "endless-pagination"} and max(kinds.values()) == 1
    expects = {f.kind: f.expect for f in site.faults}
    assert expects["retry-500"] == expects["retry-503"] == "retry-then-article"
    assert expects["wrong-charset"] == expects["malformed"] == "article"
    assert expects["endless-pagination"] == "bounded"
    assert all(e.startswith("failure:") for k, e in expects.items()
               if k not in ("retry-500", "retry-503", "wrong-charset", "malformed",
                            "endless-pagination"))
    assert all(f.note for f in site.faults)
    normal = [a for a in site.articles if a.path not in {f.path for f in site.faults}]
    assert len(normal) == 22 and len({a.title for a in site.articles}) == len(site.articles)
    stored = {a.path for a in site.articles}
    for f in site.faults:
        assert (f.path in stored) == (f.expect in ("article", "retry-then-article")), f.kind
    url = server.base_url + "/xwzx/gzdt/index.html"
    html = fetch(url).body.decode("utf-8")
    listed = {urljoin(url, h) for h in lxml.html.fromstring(html).xpath("//ul/li/a/@href")}
    assert len(listed) == 20 + len(FAULT_KINDS)
    assert {server.base_url + f.path for f in site.faults if f.kind in FAULT_KINDS} <= listed
    assert 'createPageHTML(1, 0, "index", "html")' in html
    for article in normal[:3]:
        assert article_text(fetch(server.base_url + article.path).body.decode()) == article.text
    assert fetch(server.base_url + "/robots.txt").status == 200
    assert fetch(server.base_url + "/no/such.html").status == 404
    registry = server.write_registry(tmp_path / "faults.toml")
    (portal,) = tomllib.loads(registry.read_text(encoding="utf-8"))["portal"]
    assert portal["id"] == "sample-faults" and len(portal["section"]) == 2


def test_timeout_never_answers(site, server):
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=CLIENT_TIMEOUT) as sock:
        sock.sendall(f"GET {fault(site, 'timeout')} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            sock.recv(1)
        assert time.monotonic() - started >= CLIENT_TIMEOUT * 0.9


def test_reset_cuts_the_body(site, server):
    host, port = server.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", fault(site, "reset"))
        with pytest.raises((ConnectionResetError, http.client.IncompleteRead)):
            connection.getresponse().read()
    finally:
        connection.close()


def test_500_and_503_succeed_on_a_later_attempt(site, server):
    server.reset_attempts()
    for kind, failures, status in (("retry-500", 1, 500), ("retry-503", 2, 503)):
        path = fault(site, kind)
        for _ in range(failures):
            answer = fetch(server.base_url + path)
            assert answer.status == status and answer.headers["Retry-After"] == "1"
        answer = fetch(server.base_url + path)
        assert answer.status == 200
        assert article_text(answer.body.decode("utf-8")) == site.article(path).text
        assert server.attempts[path] == failures + 1
    server.reset_attempts()
    assert fetch(server.base_url + fault(site, "retry-500")).status == 500


def test_truncated_gzip(site, server):
    response, body, connection = raw(server, fault(site, "truncated-gzip"))
    connection.close()
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(body) > 100
    assert body.startswith(b"\x1f\x8b")
    with pytest.raises((EOFError, gzip.BadGzipFile)):
        gzip.decompress(body)


def test_wrong_charset_header_on_a_gbk_page(site, server):
    path = fault(site, "wrong-charset")
    answer = fetch(server.base_url + path)
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    html = answer.body.decode("gbk")
    assert 'charset=gbk' in html and site.article(path).title in html
    assert article_text(html) == site.article(path).text


def test_redirect_loop(site, server):
    path = fault(site, "redirect-loop")
    first, _, c1 = raw(server, path)
    second, _, c2 = raw(server, first.headers["Location"])
    c1.close()
    c2.close()
    assert first.status == second.status == 302
    assert first.headers["Location"] != path and second.headers["Location"] == path


def test_huge_page_is_streamed(site, server):
    response, head, connection = raw(server, fault(site, "huge"), read=4096)
    connection.close()
    assert response.status == 200 and int(response.headers["Content-Length"]) == 50 * 1024 * 1024
    assert head.startswith(b"<!DOCTYPE html>")
    response, body, connection = raw(server, fault(site, "huge"), method="HEAD")
    connection.close()
    assert body == b"" and response.headers["Content-Length"] == str(50 * 1024 * 1024)


def test_gzip_bomb_is_small_and_inflates_to_a_gibibyte(site, server):
    started = time.monotonic()
    response, head, connection = raw(server, fault(site, "gzip-bomb"), read=65536)
    connection.close()
    assert time.monotonic() - started < 2
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) < 2 * 1024 * 1024
    assert head[:3] == b"\x1f\x8b\x08"
    inflated = zlib.decompressobj(31).decompress(head, 1 << 22)
    assert len(inflated) == 1 << 22 and inflated.strip() == b""
    bomb = make_bomb(4 << 20)
    whole = b"".join(bomb.body())
    assert len(whole) == bomb.length and gzip.decompress(whole) == b" " * (4 << 20)
    assert struct.unpack("<I", whole[-4:])[0] == 4 << 20


def test_malformed_html_still_holds_its_article(site, server):
    path = fault(site, "malformed")
    body = fetch(server.base_url + path).body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    html = body.decode("utf-8", "replace")
    assert "</body>" not in html and "</td></tr></table>" in html and html.count("</p>") == 0
    assert article_text(html) == site.article(path).text


def test_pdf_at_an_article_url_and_a_challenge(site, server):
    pdf = fetch(server.base_url + fault(site, "pdf"))
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.body.startswith(b"%PDF-")
    challenge = fetch(server.base_url + fault(site, "challenge"))
    assert challenge.status == 412 and "Set-Cookie" in challenge.headers
    assert b"$_ts" in challenge.body


def test_endless_pagination(site, server):
    spec = site.fault("endless-pagination")
    first = fetch(server.base_url + "/xwzx/tzgg/index.html").body.decode("utf-8")
    assert 'createPageHTML(2, 0, "index", "html")' in first
    assert len(re.findall(r'<li><a href="\./\d{6}/', first)) == 2
    url = server.base_url + spec.path
    for number in range(1, 30):
        assert url.endswith(f"index_{number}.html")
        html = fetch(url).body.decode("utf-8")
        assert f'createPageHTML({number + 2}, {number}, "index", "html")' in html
        assert "<li>" not in html
        url = urljoin(url, lxml.html.fromstring(html).xpath('//a[.="下一页"]/@href')[0])
    assert fetch(server.base_url + "/xwzx/tzgg/index_0.html").status == 404


def test_fail_after_calls_back_or_resets(site):
    called = threading.Event()
    with FaultServer(client_timeout=CLIENT_TIMEOUT, fail_after=3, on_fail=called.set) as server:
        for _ in range(3):
            assert fetch(server.base_url + "/robots.txt").status == 200
        assert called.wait(2) and server.failed.is_set()
        assert fetch(server.base_url + "/robots.txt").status == 200
        server.arm(1)
        assert fetch(server.base_url + "/robots.txt").status == 200
        with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected,
                            urllib.error.URLError)):
            fetch(server.base_url + "/robots.txt")
        assert server.requests[("GET", "/robots.txt")] == 6


def test_fault_portal_registry_loads_with_the_crawler_loader(server, tmp_path):
    portals = load_registry(server.write_registry(tmp_path / "faults.toml"))
    assert set(portals) == {"sample-faults"}
    faults = portals["sample-faults"]
    assert faults.cms == "trs" and faults.domain == server.base_url.removeprefix("http://")
    assert faults.note.startswith("fault-injecting")
    assert [s.url for s in faults.sections] == [server.base_url + "/xwzx/gzdt/index.html",
                                                 server.base_url + "/xwzx/tzgg/index.html"]
    assert fetch(faults.sections[0].url).status == 200
