"""A one-section portal on loopback whose list page never finishes loading in a browser
(an inline script that loops forever): for the browser's time budget."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from crawler.sample_portal.server import LoopbackHandler

PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>统计数据-某省政府</title>"
        "</head><body><ul id=\"list\"></ul><script>while (true) {}</script></body></html>"
        ).encode()


class _Handler(LoopbackHandler):
    def _serve(self, head: bool) -> None:
        if self.path == "/robots.txt":
            body, kind, status = b"User-agent: *\nAllow: /\n", "text/plain", 200
        elif self.path == "/tjsj/list.html":
            body, kind, status = PAGE, "text/html; charset=utf-8", 200
        else:
            body, kind, status = b"not found", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class HungPortal:
    """`with HungPortal() as portal:` serves it; `write_registry` names it."""

    def __enter__(self) -> HungPortal:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def write_registry(self, path: Path) -> Path:
        path.write_text(f"""[[portal]]
id = "hung"
name = "某省人民政府"
domain = "{self.base.split('//', 1)[1]}"
cms = "generic"

  [[portal.section]]
  id = "tjsj"
  name = "统计数据"
  url = "{self.base}/tjsj/list.html"
  fetch = "browser"
""", encoding="utf-8")
        return path
