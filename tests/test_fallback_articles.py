"""No article is lost for its template: a page reached as an article is stored whenever it
has text of its own, with how that text was found and how sure the extractor is; only
error pages, redirect stubs, lists and empty pages are failures."""

from __future__ import annotations

import json

from archive.extract import EXTRACTOR_VERSION
from tests.conftest import govarc, query
from tests.extract_pages import procurement_notice_html
from tests.test_verify_rebuild import crawl, rows

UNKNOWN = "/xw/202604/t20260417_7.html"
LISTING = "/xw/202604/t20260418_8.html"
ERROR = "/xw/202604/t20260419_9.html"
STUB = "/xw/202604/t20260416_6.html"


def test_pages_reached_as_articles_keep_their_text_whatever_the_template(mini, tmp_path):
    mini.pages[UNKNOWN] = procurement_notice_html()
    mini.pages[LISTING] = ("<html><head><title>专题_测试市人民政府</title></head><body><ul>"
                           + "".join(f'<li><a href="/zt/{i}.html">专题链接{i}</a></li>'
                                     for i in range(40)) + "</ul></body></html>")
    mini.pages[ERROR] = ("<html><head><title>404 页面不存在</title></head><body><div>"
                         "<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除，请返回首页继续浏览。</p>"
                         "</div></body></html>")
    mini.pages[STUB] = ("<html><head><title>跳转中</title><script>"
                        "window.location.href='/xw/index.html';</script></head><body></body></html>")
    db, warc = tmp_path / "a.db", tmp_path / "warc"
    result = crawl(mini.registry(tmp_path / "mini.toml"), db, warc)
    assert result.returncode == 1, result.stderr  # three pages gave no article

    found = {url.removeprefix(mini.base): (method, confidence, version, kind, title)
             for url, method, confidence, version, kind, title in query(
                 db, "SELECT url, method, confidence, extractor_version, page_kind, title "
                     "FROM articles")}
    assert found[UNKNOWN] == ("fallback", 0.3, EXTRACTOR_VERSION, "other",
                              "某某县第一中学教学设备采购项目公开招标公告")
    for path in mini.articles:  # the portal's own template: the rules, sure of it
        method, confidence, _, kind, _ = found[path]
        assert (method, kind) == ("rules", "article") and confidence >= 0.7
    failures = {url.removeprefix(mini.base): kind for url, kind in query(
        db, "SELECT url, kind FROM failures")}
    assert failures == {LISTING: "not-article", ERROR: "not-article", STUB: "not-article"}

    # Rebuilt from the WARC files alone, the rows say the same.
    rebuilt = tmp_path / "rebuilt.db"
    assert govarc("rebuild", "--warc-dir", str(warc), "--db", str(rebuilt)).returncode == 0
    sql = ("SELECT url, method, confidence, extractor_version, page_kind, text FROM articles")
    assert rows(rebuilt, sql) == rows(db, sql)


def test_extract_prints_the_best_text_and_says_what_the_page_is(tmp_path):
    page = tmp_path / "notice.html"
    page.write_text(procurement_notice_html(), encoding="utf-8")
    plain = govarc("extract", "--text", str(page))
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("项目编号 | YNZC2026-G1-00123")
    assert (f"kind: other · text by fallback · confidence 0.30 · extractor {EXTRACTOR_VERSION}"
            in plain.stderr)
    fields = json.loads(govarc("extract", str(page)).stdout)  # JSON by default
    assert (fields["kind"], fields["method"], fields["confidence"],
            fields["extractor_version"]) == ("other", "fallback", 0.3, EXTRACTOR_VERSION)
