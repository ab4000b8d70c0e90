"""Every CMS family of the sample portal is crawled to completion, each article once."""

from __future__ import annotations

from collections import Counter

import pytest

from crawler.sample_portal import build_site
from tests.conftest import query

FAMILIES = {"trs": ["sample-yn", "sample-sn", "sample-mirror"], "hanweb": ["sample-zj"],
            "jpaas": ["sample-js"], "generic": ["sample-gd"]}




@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_family_crawled_to_completion(crawled, family):
    site = build_site()
    portals = FAMILIES[family]
    assert {p.cms for p in site.portals if p.id in portals} == {family}
    expected = {crawled.base_urls[a.portal_id] + a.path for a in site.articles
                if a.portal_id in portals}
    marks = ",".join("?" * len(portals))
    found = [u for (u,) in query(crawled.db, f"SELECT url FROM articles WHERE portal IN ({marks})",
                                 portals)]
    assert len(found) == len(set(found))
    assert set(found) == expected
    requests = query(crawled.db, f"SELECT count(*) FROM captures WHERE portal IN ({marks}) "
                                 "AND run_id = 1", portals)[0][0]
    print(f"{family}: {len(expected)} expected, {len(found)} found, "
          f"{requests / max(1, len(found)):.2f} requests per article")


def test_alternate_copies_are_stored_once_under_the_plain_url(crawled):
    site = build_site()
    with_alternates = [a for a in site.articles if a.alternates]
    assert with_alternates
    stored = {u for (u,) in query(crawled.db, "SELECT url FROM articles")}
    for article in with_alternates:
        base = crawled.base_urls[article.portal_id]
        assert base + article.path in stored
        for alternate in article.alternates:
            assert base + alternate not in stored
    assert not [u for u in stored if "utm_" in u or "from=" in u or "_wap." in u
                or "_senior." in u]


def test_nothing_else_is_stored_as_an_article(crawled):
    site = build_site()
    count = query(crawled.db, "SELECT count(*) FROM articles")[0][0]
    assert count == len(site.articles)


def test_challenges_and_refusals_are_their_own_failure_kinds(crawled):
    kinds = Counter(k for (k,) in query(crawled.db, "SELECT kind FROM failures"))
    site = build_site()
    assert kinds["challenge"] == sum(1 for b in site.broken if b.kind == "challenge")
    assert kinds["blocked"] == sum(1 for b in site.broken if b.kind == "blocked")
    assert "network" not in kinds  # never "site down"


def test_pagination_traps_are_bounded(crawled):
    trap_requests = query(crawled.db, "SELECT count(*) FROM captures WHERE url LIKE '%date=%' "
                                      "OR url LIKE '%/archive/%'")[0][0]
    list_pages = query(crawled.db, "SELECT count(*) FROM captures WHERE portal = 'sample-gd' "
                                   "AND url LIKE '%index%'")[0][0]
    assert trap_requests <= 10
    assert list_pages <= 20


def test_attachments_counted_in_the_summary(crawled):
    attachments = query(crawled.db, "SELECT count(*) FROM attachments")[0][0]
    assert attachments >= 50
    line = crawled.result.stderr.strip().splitlines()[-1]
    assert f"{attachments} attachments" in line
