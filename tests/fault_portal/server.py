"""`FaultServer`: serves the fault portal on loopback, each fault at its path.

Attempts are counted per path (`FaultServer.attempts`); `reset_attempts()` starts over.
`fail_after`/`on_fail` (or `arm()`) let a test act after N requests, e.g. kill a crawler.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crawler.sample_portal import challenge
from crawler.sample_portal.binaries import PDF_MIME, make_pdf
from crawler.sample_portal.htmlkit import esc
from crawler.sample_portal.registry import write_registry
from crawler.sample_portal.server import LoopbackHandler

from .bodies import BOMB_SIZE, HUGE_SIZE, Bomb, huge_body, make_bomb
from .site import (
    DEFAULT_CLIENT_TIMEOUT,
    FAULT_KINDS,
    FAULTS,
    article_page,
    build_fault_site,
    draft_article,
    list_page,
    malformed_page,
    portal_page,
    seeded,
)

log = logging.getLogger(__name__)

RETRY_AFTER = "1"

class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], owner: FaultServer) -> None:
        self.owner = owner
        super().__init__(address, _FaultHandler)


class _FaultHandler(LoopbackHandler):
    """Dispatches each request to the fault (or page) its path names."""

    server: _FaultHTTPServer
    server_version = "govarc-fault-server/1.0"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.owner.count(self.command, self.path)
        self._send(405, b"Method Not Allowed\n", "text/plain", False, (("Allow", "GET, HEAD"),))

    def _serve(self, head: bool) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        outage = owner.count(self.command, self.path)
        if outage:
            self._reset()
            return
        kind = owner.fault_paths.get(path)
        if kind is not None:
            getattr(self, "_fault_" + kind.replace("-", "_"))(path, head)
            return
        page = owner.page(path)
        if page is None:
            self._send(404, "<html><body><h1>404</h1><p>页面不存在</p></body></html>".encode(),
                       "text/html; charset=utf-8", head)
        elif isinstance(page, str):
            self._send(301, b"", "text/html", head, (("Location", page),))
        else:
            body, content_type = page
            self._send(200, body, content_type, head)

    # -- plumbing ---------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, head: bool,
              headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream(self, status: int, content_type: str, length: int, parts: Iterator[bytes],
                head: bool, headers: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if head:
            return
        try:
            for part in parts:
                if self.server.owner.stopping.is_set():
                    break
                self.wfile.write(part)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def _reset(self) -> None:
        """Close the connection with an RST instead of a FIN."""
        with contextlib.suppress(OSError):
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()

    def draft_article(self, path: str) -> bytes:
        return self.server.owner.article_html(path).encode("utf-8")

    # -- the faults -------------------------------------------------------------------------
    def _fault_timeout(self, path: str, head: bool) -> None:
        owner = self.server.owner
        owner.stopping.wait(owner.client_timeout * 2 + 1)
        self.close_connection = True

    def _fault_reset(self, path: str, head: bool) -> None:
        body = self.draft_article(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body[: len(body) // 3])
        self._reset()

    def _retry(self, path: str, head: bool, failures: int, status: int) -> None:
        attempt = self.server.owner.attempt(path)
        if attempt <= failures:
            text = f"<html><body><h1>{status}</h1><p>服务暂不可用，请稍后再试。</p></body></html>"
            self._send(status, text.encode(), "text/html; charset=utf-8", head,
                       (("Retry-After", RETRY_AFTER),))
        else:
            self._send(200, self.draft_article(path), "text/html; charset=utf-8", head)

    def _fault_retry_500(self, path: str, head: bool) -> None:
        self._retry(path, head, 1, 500)

    def _fault_retry_503(self, path: str, head: bool) -> None:
        self._retry(path, head, 2, 503)

    def _fault_truncated_gzip(self, path: str, head: bool) -> None:
        packed = gzip.compress(self.draft_article(path), mtime=0)
        self._send(200, packed[: len(packed) // 2], "text/html; charset=utf-8", head,
                   (("Content-Encoding", "gzip"),))

    def _fault_wrong_charset(self, path: str, head: bool) -> None:
        body = self.server.owner.article_html(path, charset="gbk").encode("gbk")
        self._send(200, body, "text/html; charset=utf-8", head)

    def _fault_redirect_loop(self, path: str, head: bool) -> None:
        other = self.server.owner.loop_partner(path)
        self._send(302, b"", "text/html", head, (("Location", other),))

    def _fault_huge(self, path: str, head: bool) -> None:
        size = self.server.owner.huge_size
        self._stream(200, "text/html; charset=utf-8", size, huge_body(size, FAULTS.name), head)

    def _fault_gzip_bomb(self, path: str, head: bool) -> None:
        bomb = self.server.owner.bomb()
        self._stream(200, "text/html; charset=utf-8", bomb.length, bomb.body(), head,
                     (("Content-Encoding", "gzip"),))

    def _fault_malformed(self, path: str, head: bool) -> None:
        owner = self.server.owner
        body = malformed_page(owner.site.article(path), owner.site.blocks[path])
        self._send(200, body, "text/html; charset=utf-8", head)

    def _fault_pdf(self, path: str, head: bool) -> None:
        body = make_pdf(["govarc fault server", f"a PDF served at {path}"])
        self._send(200, body, PDF_MIME, head)

    def _fault_challenge(self, path: str, head: bool) -> None:
        resource = challenge.ruishu(path, 412)
        self._send(resource.status, resource.body, resource.content_type, head,
                   resource.extra_headers)


class FaultServer:
    """Serves the fault portal on an ephemeral loopback port.

    `client_timeout`: the crawler's download timeout; the timeout fault stays silent for
    twice as long. `fail_after`: after that many requests, call `on_fail` once (in a thread)
    and set `failed`; without `on_fail`, every later connection is reset (an outage).
    """

    def __init__(self, host: str = "127.0.0.1", client_timeout: float = DEFAULT_CLIENT_TIMEOUT,
                 fail_after: int | None = None, on_fail: Callable[[], None] | None = None,
                 huge_size: int = HUGE_SIZE, bomb_size: int = BOMB_SIZE) -> None:
        self.host = host
        self.client_timeout = client_timeout
        self.huge_size = huge_size
        self.bomb_size = bomb_size
        self.site = build_fault_site()
        self.requests: Counter[tuple[str, str]] = Counter()
        self.attempts: Counter[str] = Counter()
        self.failed = threading.Event()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._served = 0
        self._fail_after = fail_after
        self._on_fail = on_fail
        self._server: _FaultHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._bomb: Bomb | None = None
        self.fault_paths = {f.path: f.kind for f in self.site.faults if f.path.endswith(".html")
                            and f.kind in FAULT_KINDS}
        self._loop = {}
        for path, kind in list(self.fault_paths.items()):
            if kind == "redirect-loop":
                partner = path.replace(".html", "_1.html")
                self._loop[path], self._loop[partner] = partner, path
                self.fault_paths[partner] = kind
        self._pages = self._render()

    # -- state ------------------------------------------------------------------------------
    def count(self, method: str, target: str) -> bool:
        """Record one request; True when the server is in a `fail_after` outage."""
        fire = False
        with self._lock:
            self.requests[(method, target)] += 1
            self._served += 1
            if self._fail_after is not None and self._served >= self._fail_after:
                fire = not self.failed.is_set()
                self.failed.set()
            outage = self.failed.is_set() and self._on_fail is None and not fire
        if fire and self._on_fail is not None:
            threading.Thread(target=self._on_fail, daemon=True).start()
        return outage

    def arm(self, fail_after: int, on_fail: Callable[[], None] | None = None) -> None:
        """Act after `fail_after` more requests (see the class docstring)."""
        with self._lock:
            self._fail_after = self._served + fail_after
            self._on_fail = on_fail
            self.failed.clear()

    def attempt(self, path: str) -> int:
        """Count one attempt at `path`; returns its number (1 for the first)."""
        with self._lock:
            self.attempts[path] += 1
            return self.attempts[path]

    def reset_attempts(self) -> None:
        """Forget the attempts, so the 500/503 faults fail again."""
        with self._lock:
            self.attempts.clear()

    def bomb(self) -> Bomb:
        """The gzip bomb (built once)."""
        with self._lock:
            if self._bomb is None:
                self._bomb = make_bomb(self.bomb_size)
            return self._bomb

    def loop_partner(self, path: str) -> str:
        """The other end of the redirect loop."""
        return self._loop[path]

    # -- pages ------------------------------------------------------------------------------
    def article_html(self, path: str, charset: str = "utf-8") -> str:
        """The article page at `path` (any listed fault path has an article behind it)."""
        spec = next((a for a in self.site.articles if a.path == path), None)
        if spec is None:
            spec, blocks = draft_article(seeded(FAULTS.id, path), "gzdt", path,
                                    datetime(2026, 3, 1, 8, 0), set())
        else:
            blocks = self.site.blocks[path]
        return article_page(spec, blocks, charset)

    def _render(self) -> dict[str, tuple[bytes, str]]:
        html = "text/html; charset=utf-8"
        pages: dict[str, tuple[bytes, str]] = {}
        for article in self.site.articles:
            if article.path not in self.fault_paths:
                pages[article.path] = (self.article_html(article.path).encode(), html)
        gzdt = self.site.lists["gzdt"]
        pages["/xwzx/gzdt/index.html"] = (list_page("gzdt", gzdt, 0, 1).encode(), html)
        pages["/xwzx/tzgg/index.html"] = (list_page("tzgg", self.site.lists["tzgg"], 0, 2,
                                                    next_link=True).encode(), html)
        links = "".join(f'<li><a href="{s.path}">{esc(s.name)}</a></li>'
                        for s in FAULTS.sections)
        home = portal_page(FAULTS.name, [("ColumnName", "首页")], f"<ul>{links}</ul>").encode()
        pages["/"] = pages["/index.html"] = (home, html)
        pages["/robots.txt"] = (b"User-agent: *\nDisallow: /search/\nAllow: /\n", "text/plain")
        return pages

    def page(self, path: str) -> tuple[bytes, str] | str | None:
        """An ordinary page, a redirect target for a folder, or None."""
        if path.endswith("/"):
            path += "index.html"
        if path in self._pages:
            return self._pages[path]
        if path.startswith("/xwzx/tzgg/index_") and path.endswith(".html"):
            number = path[len("/xwzx/tzgg/index_"):-len(".html")]
            if number.isdigit() and int(number) >= 1 and not number.startswith("0"):
                n = int(number)
                return (list_page("tzgg", [], n, n + 2, next_link=True).encode(),
                        "text/html; charset=utf-8")
        if path + "/index.html" in self._pages:
            return path + "/"
        return None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> FaultServer:
        """Start serving in a thread."""
        if self._server is None:
            self.stopping.clear()
            self._server = _FaultHTTPServer((self.host, 0), self)
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.1},
                                            name="sample-faults", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping and streaming handlers give up at once."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        """The portal's base URL, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("the fault server is not running")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._server.server_address[1]}"

    @property
    def base_urls(self) -> dict[str, str]:
        """{"sample-faults": base URL}, as SamplePortalServer.base_urls."""
        return {FAULTS.id: self.base_url}

    def write_registry(self, path: str | Path) -> Path:
        """Write a registry TOML naming the fault portal; returns the path."""
        return write_registry(path, self.base_urls, [FAULTS])

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

