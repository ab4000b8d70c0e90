"""Text nested deeper than libxml2 reads (256 levels) is extracted, watched and flagged."""

from __future__ import annotations

import pytest

from archive.articles import PortalIdentity, extract_article
from archive.extract.parse import LIBXML2_DEPTH, parse_html

BODY = "<p>曲靖市扶贫工作取得新进展，全市上下齐心协力，推动高质量发展。</p>" * 12
SPAM = ("<p>欢迎访问澳门新葡京娱乐场官网，百家乐真人视讯，365bet体育在线投注，"
        "澳门威尼斯人赌场。</p>")
PORTAL = PortalIdentity(("www.yn.gov.cn",), "5300000033")
URL = "http://www.yn.gov.cn/ywdt/zsdt/202604/t20260413_1.html"


def page(before: str, inside: str, after: str) -> bytes:
    return ("<html><head><title>曲靖扶贫稿件_云南省人民政府</title></head><body>"
            "<h1>曲靖扶贫稿件</h1><p>发布时间：2026-04-13 10:00 来源：云南日报</p>"
            f"{before}{inside}{after}</body></html>").encode()


@pytest.mark.parametrize("depth", [300, 3000])  # past libxml2's 256; past its 2048 too
def test_an_article_under_deeply_nested_spans_is_extracted_and_flagged(depth):
    html = page("<span>" * depth, f"<div class='TRS_Editor'>{BODY}</div>", "</span>" * depth)
    result = extract_article(html, URL, "text/html; charset=utf-8", PORTAL)
    assert result.kind == "article"
    assert result.fields["text"].count("曲靖市扶贫工作取得新进展") == 12
    assert result.fields["published_at"] == "2026-04-13T10:00:00+08:00"
    deep = [f for f in result.flags if f["kind"] == "deep-nesting"]
    assert len(deep) == 1 and f"{depth + 4} levels deep" in deep[0]["evidence"]


@pytest.mark.parametrize(("depth", "deep_flag"), [(250, False), (300, True)])
def test_spam_under_deeply_nested_divs_is_flagged(depth, deep_flag):
    html = page(f"<div class='TRS_Editor'>{BODY}</div>" + "<div>" * depth, SPAM,
                "</div>" * depth)
    kinds = {f["kind"] for f in extract_article(html, URL, "text/html", PORTAL).flags}
    assert "injected-terms" in kinds
    assert ("deep-nesting" in kinds) is deep_flag


def test_an_ordinary_page_is_not_marked():
    root = parse_html(page("", f"<div class='TRS_Editor'>{BODY}</div>", "").decode())
    assert root.get("data-govarc-depth") is None and LIBXML2_DEPTH == 256
