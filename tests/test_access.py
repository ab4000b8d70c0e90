"""Challenges and refusals are recognised as such, never taken for articles or outages."""

from __future__ import annotations

import pytest

from archive.access import access_problem

RUISHU = (b'<html><head><meta id="9DhefwqGPrzGxEp9hPaoag" content="abc"><script>'
          b'$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=84543;</script>'
          b'<script src="/abc.js" r="m"></script></head><body></body></html>')
JSL = b"<script>document.cookie=('__jsl_clearance=1581')+';Expires=';location.href=location.pathname</script>"


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind"),
    [
        (412, {"Set-Cookie": "FSSBBIl1UgzbN7N80S=abc"}, RUISHU, "challenge"),
        (202, {}, RUISHU, "challenge"),
        (521, {"X-Via-JSL": "5b4c2a1,-"}, JSL, "challenge"),
        (200, {}, JSL, "challenge"),
        (403, {}, "<h1>访问被拒绝</h1>".encode(), "blocked"),
        (405, {}, b"<html>Not Allowed</html>", "blocked"),
    ],
)
def test_challenges_and_refusals(status, headers, body, kind):
    problem = access_problem(status, headers, body)
    assert problem is not None and problem[0] == kind and problem[1]


def test_ordinary_pages_are_not_challenges():
    page = ("<html><body><script>document.cookie='a=1'</script>"
            + "<p>云南省召开全省经济工作会议，部署明年重点工作。</p>" * 20 + "</body></html>").encode()
    assert access_problem(200, {}, page) is None
    assert access_problem(202, {}, page) is None
    assert access_problem(404, {}, b"not found") is None


def test_a_response_is_judged_once_and_read_decompressed(monkeypatch):
    """The routing and the spider ask of the same response: the page is read once. A body
    still gzip-encoded (the routing sees responses as transferred) is read inflated."""
    import gzip

    from scrapy.http import HtmlResponse

    from crawler import access_check

    calls = []
    real = access_check.access_problem

    def counting(status, headers, body):
        calls.append(body)
        return real(status, headers, body)

    monkeypatch.setattr(access_check, "access_problem", counting)
    wall = HtmlResponse("http://127.0.0.1/a.html", status=200, body=gzip.compress(JSL),
                        headers={"Content-Encoding": "gzip"})
    first = access_check.response_problem(wall)
    assert first is not None and first[0] == "challenge"
    assert access_check.response_problem(wall) == first
    assert calls == [JSL]
    page = HtmlResponse("http://127.0.0.1/b.html", status=200,
                        body="<p>云南省召开全省经济工作会议，部署明年重点工作。</p>".encode() * 20)
    assert access_check.response_problem(page) is None
    assert access_check.response_problem(page) is None
    assert len(calls) == 2
