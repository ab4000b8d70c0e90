"""Tamper watch in the crawl: flags per page, stored apart, the archived text untouched."""

from __future__ import annotations

from collections import defaultdict

from crawler.sample_portal import build_site
from tests.conftest import govarc, query


def stored_flags(crawled) -> dict[str, set[str]]:
    flags: dict[str, set[str]] = defaultdict(set)
    for url, kind in query(crawled.db, "SELECT url, kind FROM flags"):
        flags[url].add(kind)
    return flags


def test_tampered_pages_are_flagged_with_their_kinds(crawled):
    flags = stored_flags(crawled)
    for spec in build_site().tamper:
        url = crawled.base_urls[spec.portal_id] + spec.path
        expected = set() if spec.kinds == ("none",) else set(spec.kinds)
        assert flags.get(url, set()) == expected, url


def test_the_seed_page_is_flagged_with_both_injected_terms(crawled):
    url = crawled.base_urls["sample-mirror"] + "/ywdt/zsdt/202110/t20211025_229601.html"
    evidence = " ".join(e for (e,) in query(
        crawled.db, "SELECT evidence FROM flags WHERE url = ? AND kind = 'injected-terms'",
        [url]))
    assert "365bet体育在线" in evidence and "365bet体育投注" in evidence


def test_ordinary_pages_raise_no_flag(crawled):
    tampered = {crawled.base_urls[t.portal_id] + t.path for t in build_site().tamper}
    flags = stored_flags(crawled)
    mirror = crawled.base_urls["sample-mirror"]
    # Every page of the mirror host is a mirror copy (its list pages too); nothing else.
    others = {u: k for u, k in flags.items() if u not in tampered}
    assert others and all(u.startswith(mirror) and k == {"mirror"} for u, k in others.items())


def test_flags_never_alter_the_stored_text(crawled):
    site = build_site()
    for spec in site.tamper:
        article = site.article(spec.portal_id, spec.path)
        url = crawled.base_urls[spec.portal_id] + spec.path
        (text,) = query(crawled.db, "SELECT text FROM articles WHERE url = ?", [url])[0]
        assert text == article.text


def test_flags_command_and_summary(crawled):
    result = govarc("flags", "--db", str(crawled.db))
    assert result.returncode == 0
    assert "sample-mirror:" in result.stdout and "mirror" in result.stdout
    assert "hidden-link" in result.stdout and "www.365bet-example.com" in result.stdout
    only = govarc("flags", "--db", str(crawled.db), "--kind", "script-redirect")
    assert "script-redirect" in only.stdout and "hidden-link" not in only.stdout
    total = query(crawled.db, "SELECT count(*) FROM flags")[0][0]
    assert f"{total} tamper flags" in crawled.result.stderr.splitlines()[-1]
    report = govarc("report", "--db", str(crawled.db))
    assert "flags" in report.stdout
