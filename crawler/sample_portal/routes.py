"""The route table of every sample portal, each rendered by its CMS family's module."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import classic, generic, jpaas, mirror, policy, trs_sn, walled
from .resource import PortalRoutes
from .specs import PortalSpec, SampleSite

# Portal id -> the function that renders it; the others are TRS WCM or Hanweb JCMS portals.
FAMILIES: dict[str, Callable[[SampleSite, PortalSpec], PortalRoutes]] = {
    "sample-js": jpaas.build_routes,
    "sample-gd": generic.build_routes,
    "sample-sn": trs_sn.build_routes,
    "sample-mirror": mirror.build_routes,
    "sample-hg": walled.build_routes,
    "sample-gov": policy.build_routes,
}


def build_routes(site: SampleSite, portals: Iterable[str] | None = None
                 ) -> dict[str, PortalRoutes]:
    """The route table of every portal of the site (or of the portals named)."""
    wanted = None if portals is None else set(portals)
    return {portal.id: FAMILIES.get(portal.id, classic.build_routes)(site, portal)
            for portal in site.portals if wanted is None or portal.id in wanted}
