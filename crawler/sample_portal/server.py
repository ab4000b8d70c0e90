"""HTTP servers for the sample portals: one ThreadingHTTPServer per portal on loopback."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import hanweb, policy
from .resource import STATIC_TIME, PortalRoutes, Resource
from .routes import build_routes
from .site import build_site
from .specs import SampleSite

log = logging.getLogger(__name__)

NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 页面不存在</title></head>\n'
    '<body><div style="margin:120px auto;width:600px;text-align:center;font-size:18px">'
    "<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>"
    '<p><a href="/">返回首页</a></p></div></body></html>\n'
).encode()


# Reason phrases of the statuses http.server does not know.
REASONS = {521: "Web Server Is Down"}


class _PortalHTTPServer(ThreadingHTTPServer):
    """A threading server that knows its portal's routes and the shared request counter."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], routes: PortalRoutes, owner: SamplePortalServer):
        self.routes = routes
        self.owner = owner
        super().__init__(address, _Handler)


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        quality = params.strip()
        if quality.startswith("q="):
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def _matches(header: str, etag: str) -> bool:
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    base = etag.strip('"')
    return "*" in tags or etag in tags or f'"{base}-gzip"' in tags


class LoopbackHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 on loopback as a portal's server answers: its own Server header, access
    lines at debug level, GET and HEAD both through `_serve(head)`."""

    protocol_version = "HTTP/1.1"
    server_version = "govarc-sample-portal/1.0"
    sys_version = ""
    timeout = 30

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        raise NotImplementedError


class _Handler(LoopbackHandler):
    """Serves the prerendered routes, the Hanweb dataproxy and attachment downloads."""

    server: _PortalHTTPServer

    def do_POST(self) -> None:
        self.server.owner.count("POST", self.path)
        length = self.headers.get("Content-Length")
        if length is None:
            self._plain(HTTPStatus.LENGTH_REQUIRED, "Content-Length required\n", close=True)
            return
        body = self.rfile.read(int(length))
        is_proxy = urlsplit(self.path).path == hanweb.PROXY_PATH
        if not is_proxy or self.server.routes.portal.cms != "hanweb":
            self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "Method Not Allowed\n",
                        allow="GET, HEAD")
            return
        self._dataproxy(body)

    def _dataproxy(self, body: bytes) -> None:
        split = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(split.query).items()}
        params.update({k: v[-1] for k, v in parse_qs(body.decode("latin-1")).items()})
        found = self.server.routes.proxies.get((params.get("columnid", ""),
                                                params.get("unitid", "")))
        try:
            start, end = int(params["startrecord"]), int(params["endrecord"])
            per_page = int(params.get("perpage", "15"))
        except (KeyError, ValueError):
            found = None
        if found is None:
            self._plain(HTTPStatus.BAD_REQUEST, "bad dataproxy parameters\n")
            return
        section_id, items = found
        encoding = self.server.routes.portal.section(section_id).encoding
        xml = hanweb.dataproxy_answer(items, start, end, per_page, encoding)
        content_type = "text/xml;charset=UTF-8" if encoding == "utf-8" else "text/xml"
        self._send(Resource(xml.encode(encoding), content_type, STATIC_TIME), head=False,
                   conditional=False)

    def _lookup(self) -> Resource | str | None:
        """The resource for the request path, a redirect target, or None."""
        split = urlsplit(self.path)
        path = unquote(split.path)
        routes = self.server.routes
        if path == hanweb.DOWNLOAD_PATH:
            name = parse_qs(split.query).get("filename", [""])[-1]
            return routes.downloads.get(name)
        if path.endswith("/"):
            return routes.pages.get(path) or routes.pages.get(path + "index.html")
        if path in routes.pages:
            return routes.pages[path]
        if path + "/index.html" in routes.pages:
            return path + "/"
        return None

    def _dynamic(self) -> Resource | None:
        """The answer of the first dynamic handler that knows the request target."""
        split = urlsplit(self.path)
        path = unquote(split.path)
        for handler in self.server.routes.dynamic:
            found = handler(path, split.query)
            if found is not None:
                return found
        return None

    def _serve(self, head: bool) -> None:
        self.server.owner.count(self.command, self.path)
        gate = self.server.routes.gate
        if gate is not None:
            split = urlsplit(self.path)
            stop = gate(unquote(split.path), split.query, self.headers)
            if stop is not None:
                self._send(stop, head=head, conditional=False, status=stop.status)
                return
        if urlsplit(self.path).path == hanweb.PROXY_PATH:
            self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "Method Not Allowed\n", allow="POST",
                        head=head)
            return
        dynamic = self._dynamic()
        if dynamic is not None:
            self._send(dynamic, head=head, conditional=False, status=dynamic.status)
            return
        found = self._lookup()
        if isinstance(found, str):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif found is None:
            self._send(Resource(NOT_FOUND_PAGE, "text/html; charset=utf-8", STATIC_TIME),
                       head=head, conditional=False, status=HTTPStatus.NOT_FOUND)
        else:
            self._send(found, head=head)

    def _not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return _matches(if_none_match, resource.etag)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return resource.last_modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, resource: Resource, head: bool, conditional: bool = True,
              status: int = HTTPStatus.OK) -> None:
        gzipped = (resource.compressible and bool(resource.body)
                   and _accepts_gzip(self.headers.get("Accept-Encoding")))
        etag = resource.etag
        if gzipped:
            etag = etag[:-1] + '-gzip"'
        if conditional and self._not_modified(resource):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._entity_headers(resource, etag)
            self.end_headers()
            return
        body = resource.gzipped() if gzipped else resource.body
        self.send_response(status, REASONS.get(int(status)))
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if conditional:
            self._entity_headers(resource, etag)
        for name, value in resource.extra_headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _entity_headers(self, resource: Resource, etag: str) -> None:
        self.send_header("Last-Modified", format_datetime(resource.last_modified, usegmt=True))
        self.send_header("ETag", etag)
        if resource.compressible:
            self.send_header("Vary", "Accept-Encoding")

    def _plain(self, status: HTTPStatus, text: str, allow: str = "", head: bool = False,
               close: bool = False) -> None:
        body = text.encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        if allow:
            self.send_header("Allow", allow)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SamplePortalServer:
    """Serves every portal of a sample site (or those in `portals`) on its own loopback port."""

    def __init__(self, site: SampleSite | None = None, host: str = "127.0.0.1",
                 portals: Iterable[str] | None = None,
                 ports: Mapping[str, int] | None = None, walls: bool = True,
                 bad_documents: bool = False) -> None:
        self.site = site if site is not None else build_site()
        self.host = host
        self.ports = dict(ports or {})  # portal id -> port to serve it on, if free
        self.walls = walls  # False: sample-hg's pages without their challenges (bench)
        self.bad_documents = bad_documents  # sample-gov's notice linking bad documents
        self.portals = None if portals is None else tuple(portals)
        unknown = set(self.portals or ()) - {p.id for p in self.site.portals}
        if unknown:
            known = ", ".join(p.id for p in self.site.portals)
            raise ValueError(f"unknown sample portal {', '.join(sorted(unknown))} "
                             f"(known: {known})")
        self.requests: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._servers: dict[str, _PortalHTTPServer] = {}
        self._threads: list[threading.Thread] = []

    def count(self, method: str, path: str) -> None:
        """Record one request (method, request target as sent)."""
        with self._lock:
            self.requests[(method, path)] += 1

    def start(self) -> SamplePortalServer:
        """Render the site and start one server thread per portal."""
        if self._servers:
            return self
        for portal_id, routes in build_routes(self.site, self.portals).items():
            if portal_id == "sample-gov" and self.bad_documents:
                routes = policy.build_routes(self.site, bad_documents=True)
            if not self.walls:
                routes.gate = None
            server = self._bind(portal_id, routes)
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"sample-portal-{portal_id}", daemon=True)
            thread.start()
            self._servers[portal_id] = server
            self._threads.append(thread)
        return self

    def _bind(self, portal_id: str, routes: PortalRoutes) -> _PortalHTTPServer:
        """A server on the port asked for this portal; any free port if it is taken."""
        wanted = self.ports.get(portal_id, 0)
        try:
            return _PortalHTTPServer((self.host, wanted), routes, self)
        except OSError:
            if not wanted:
                raise
            return _PortalHTTPServer((self.host, 0), routes, self)

    def stop(self) -> None:
        """Stop serving and close the sockets."""
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    @property
    def base_urls(self) -> dict[str, str]:
        """Base URL of each portal, without a trailing slash."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return {pid: f"http://{host}:{server.server_address[1]}"
                for pid, server in self._servers.items()}

    def __enter__(self) -> SamplePortalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
