"""What a crawl may fetch: its portals' own hosts, and no private network unless allowed.

Heritrix (SURT prefixes) and Browsertrix (URL prefixes) scope a crawl by scheme, host and
port; so does govarc: a request made for a portal, including every redirect and
`<meta http-equiv="refresh">` it leads to, must be on one of that portal's hosts, port
included (`domain` and `extra_domains` in the registry). Anything else is refused before
it is sent and recorded as an `off-site` failure.

A registry (or a page) could also point the crawler at the machine it runs on or at its
private network (a cloud's metadata address, an intranet). Requests to loopback,
link-local, private, reserved and multicast addresses, given literally or reached through
DNS, are refused as `private-address` failures unless GOVARC_ALLOWED_NETWORKS lists the
network (the demo and the tests allow 127.0.0.0/8).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.response import get_meta_refresh
from twisted.internet.error import DNSLookupError

from archive.errors import ConfigError

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_DEFAULT_PORTS = {"http": 80, "https": 443}


class OffSite(IgnoreRequest):
    """A request outside the hosts of the portal it was made for."""


class PrivateAddress(IgnoreRequest):
    """A request to a loopback, private or reserved address that the settings do not allow."""


class PrivateAddressLookup(DNSLookupError):
    """A host name that resolves to a loopback, private or reserved address."""


def parse_networks(value: str | Iterable[str] | None) -> tuple[Network, ...]:
    """GOVARC_ALLOWED_NETWORKS ("127.0.0.0/8,::1/128") as networks; ConfigError if bad."""
    if not value:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"GOVARC_ALLOWED_NETWORKS: {item!r} is not a network "
                              "(e.g. 127.0.0.0/8 or 10.1.2.0/24)") from None
    return tuple(networks)


def forbidden(address: str, allowed: tuple[Network, ...]) -> bool:
    """Whether an IP address is not public and not in an allowed network."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False  # a name: its addresses are checked when it is resolved
    if any(ip in network for network in allowed):
        return False
    return not ip.is_global or ip.is_multicast


def host_and_port(url: str) -> str:
    """`host[:port]` of a URL, lower case, without the scheme's default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return host
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


class ScopeMiddleware:
    """Refuse, before they are sent, requests outside their portal's hosts or to private
    addresses. Placed before the robots.txt middleware: a refused request makes no
    robots.txt request either."""

    def __init__(self, crawler: Crawler, allowed: tuple[Network, ...]) -> None:
        self.crawler = crawler
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler, parse_networks(crawler.settings.get("GOVARC_ALLOWED_NETWORKS")))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        self.check(request, request.url)

    def check(self, request: Request, url: str, note: str = "") -> None:
        """Raise PrivateAddress or OffSite if `url` may not be fetched for `request`."""
        if forbidden(urlsplit(url).hostname or "", self.allowed):
            raise PrivateAddress(f"private-address: {host_and_port(url)} is a loopback, "
                                 f"private or reserved address (GOVARC_ALLOWED_NETWORKS){note}")
        portals: dict[str, Any] = getattr(self.crawler.spider, "by_id", {})
        portal = portals.get(request.meta.get("portal"))
        owners = [portal] if portal is not None else list(portals.values())
        if owners and not any(p.owns(url) for p in owners):
            named = f"portal {portal.id}" if portal is not None else "any portal"
            raise OffSite(f"off-site: {host_and_port(url)} is not a host of {named}{note}")


_REDIRECTS = (301, 302, 303, 307, 308)


class RedirectScopeMiddleware(ScopeMiddleware):
    """Refuse a redirect out of scope when its answer arrives (placed before Scrapy's
    RedirectMiddleware), not when the new request would be sent: Scrapy's duplicate filter
    drops a redirect to a URL already seen before any downloader middleware sees it, so
    a second redirect to the same foreign URL would vanish without a failure row."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        location = response.headers.get("Location")
        if (response.status in _REDIRECTS and location and not request.meta.get("dont_redirect")
                and response.status not in request.meta.get("handle_httpstatus_list", ())):
            target = response.urljoin(location.decode("latin-1"))
            self.check(request, target, f" (redirect to {target})")
        return response


class RefreshScopeMiddleware(ScopeMiddleware):
    """The same for `<meta http-equiv="refresh">` (placed before MetaRefreshMiddleware,
    after decompression), read with Scrapy's own cached helper."""

    def __init__(self, crawler: Crawler, allowed: tuple[Network, ...]) -> None:
        super().__init__(crawler, allowed)
        settings = crawler.settings
        self.enabled = settings.getbool("METAREFRESH_ENABLED")
        self.ignore_tags = settings.getlist("METAREFRESH_IGNORE_TAGS")
        self.max_delay = settings.getint("METAREFRESH_MAXDELAY")

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if (not self.enabled or request.meta.get("dont_redirect")
                or not isinstance(response, HtmlResponse)):
            return response
        interval, target = get_meta_refresh(response, ignore_tags=self.ignore_tags)
        if target and interval < self.max_delay:
            self.check(request, target, f" (meta refresh to {target})")
        return response


# Names the resolver refused, and why: the download handler reports a refused lookup as a
# plain "cannot resolve" error, so the spider looks the reason up here. Bounded.
_REFUSED: dict[str, str] = {}
_REFUSED_MAX = 10_000


def refused_lookup(host: str | None) -> str | None:
    """Why the resolver refused `host` (a private address), or None."""
    return _REFUSED.get((host or "").lower())


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing names that resolve to private addresses."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allowed = parse_networks(crawler.settings.get("GOVARC_ALLOWED_NETWORKS"))
        return resolver

    def getHostByName(self, name: str, timeout: Any = None) -> Any:
        def check(address: str) -> str:
            if forbidden(address, self.allowed):
                reason = (f"private-address: {name} resolves to {address}, a loopback, "
                          "private or reserved address (GOVARC_ALLOWED_NETWORKS)")
                if len(_REFUSED) < _REFUSED_MAX:
                    _REFUSED[name.lower()] = reason
                raise PrivateAddressLookup(reason)
            return address

        return super().getHostByName(name, timeout).addCallback(check)
