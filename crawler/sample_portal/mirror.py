"""sample-mirror: a copy of sample-yn on a host of its own, as SEO spammers run them.

The pages are sample-yn's templates unchanged (云南省人民政府, 滇ICP备05000002号, SiteIDCode
5300000033), serving the seed article as the tampered copy it was found as (its footer and
title too: 云南省 → 365bet体育投注, 联系我们 → 365bet体育在线我们) and two plainly copied articles.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from . import trs
from .portals import YN
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, published
from .seed import SEED_PATH
from .specs import PortalSpec, SampleSite

_FOOTER_START = '<div class="w1200 links_bar">'


def tamper_seed_page(html: str) -> str:
    """The seed page as the spammers' copy shows it, body text left as it is."""
    head, sep, rest = html.partition("</head>")
    head = head.replace("云南省人民政府</title>", "365bet体育投注人民政府</title>")
    top, marker, footer = rest.partition(_FOOTER_START)
    if not marker:
        raise ValueError("footer not found")
    footer = footer.replace("云南省", "365bet体育投注").replace("联系我们", "365bet体育在线我们")
    return head + sep + top + marker + footer


def build_routes(site: SampleSite, portal: PortalSpec) -> PortalRoutes:
    """The mirror's homepage, its 州市动态 list and copied articles."""
    shown = dataclasses.replace(YN, sections=[YN.section("zsdt")])
    routes = PortalRoutes(portal)
    section = shown.section("zsdt")
    items = site.lists[(portal.id, "zsdt")]
    articles = [a for a in site.articles if a.portal_id == portal.id]
    newest = max(published(a) for a in articles)

    def page(path: str, text: str, when: datetime) -> None:
        routes.pages[path] = Resource(text.encode("utf-8"), "text/html", when)

    home = trs.home_page(shown, {"zsdt": items})
    page("/", home, newest)
    page("/index.html", home, newest)
    page("/wzdt/index.html", trs.sitemap_page(shown), STATIC_TIME)
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    page(section.list_path, trs.list_page(shown, section, items, 0, 1), newest)
    by_path = {a.path: a for a in articles}
    listed = [by_path[i.path] for i in items]
    for index, article in enumerate(listed):
        detail = site.details[(portal.id, article.path)]
        related = [a for a in listed if a is not article]
        newer = listed[index - 1] if index > 0 else None
        older = listed[index + 1] if index + 1 < len(listed) else None
        html = trs.article_page(shown, section, article, detail, related, (newer, older))
        if article.path == SEED_PATH:
            html = tamper_seed_page(html)
        page(article.path, html, published(article))
    return routes
