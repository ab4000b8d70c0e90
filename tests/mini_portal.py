"""A TRS-style mini portal on loopback whose articles and robots.txt a test can change."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def answer(handler: BaseHTTPRequestHandler, status: int, body: str | bytes,
           headers: dict[str, str] | None = None) -> None:
    """Send one whole answer (HTML in UTF-8 unless `headers` say otherwise)."""
    data = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    for name, value in {"Content-Type": "text/html; charset=utf-8", **(headers or {})}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def registry_entry(portal_id: str, name: str, port: int, section_id: str, section_name: str,
                   url: str, cms: str = "trs", obey_robots: bool = False) -> str:
    """One portal with one section, as a registry TOML entry."""
    return (f'[[portal]]\nid = "{portal_id}"\nname = "{name}"\ndomain = "127.0.0.1:{port}"\n'
            f'cms = "{cms}"\nobey_robots = {"true" if obey_robots else "false"}\n\n'
            f'  [[portal.section]]\n  id = "{section_id}"\n  name = "{section_name}"\n'
            f'  url = "{url}"\n')


class MiniPortal:
    """A TRS-style mini portal whose articles a test can edit and delete."""

    def __init__(self) -> None:
        self.robots = ""  # robots.txt body; empty answers 404
        self.pages: dict[str, str] = {}  # path -> HTML served as is, linked from the list
        self.delays: dict[str, float] = {}  # path -> seconds to wait before answering
        self.redirects: dict[str, str] = {}  # path -> Location of a 302, linked from the list
        # path -> (Content-Encoding, body bytes as sent): an article page served encoded,
        # linked from the list
        self.encoded: dict[str, tuple[str, bytes]] = {}
        self.paths: list[str] = []  # every path asked for, in order
        self.user_agents: list[str] = []
        self.redesigned = False  # serve articles in a new template (article_page)
        self.articles = {
            f"/xw/202604/t2026041{n}_{n}.html": f"第{n}篇稿件的正文，讲述曲靖市扶贫工作的新进展。" * 8
            for n in range(1, 4)
        }
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                portal.user_agents.append(self.headers.get("User-Agent", ""))
                portal.paths.append(self.path)
                time.sleep(portal.delays.get(self.path, 0))
                if self.path in portal.redirects:
                    self.send_response(302)
                    self.send_header("Location", portal.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path == "/robots.txt" and portal.robots:
                    self._send(200, portal.robots, "text/plain")
                elif self.path == "/xw/index.html":
                    items = "".join(f'<li><a href="{p}">稿件{p[-6]}</a><span>2026-04-1{p[-6]}'
                                    "</span></li>" for p in [*portal.articles, *portal.pages, *portal.redirects,
                                                  *portal.encoded])
                    self._send(200, f"<html><body><ul>{items}</ul></body></html>")
                elif self.path in portal.pages:
                    self._send(200, portal.pages[self.path])
                elif self.path in portal.encoded:
                    encoding, data = portal.encoded[self.path]
                    answer(self, 200, data, {"Content-Encoding": encoding})
                elif self.path in portal.articles:
                    self._send(200, portal.article_page(portal.articles[self.path]))
                else:
                    self._send(404, "<html><body>页面不存在</body></html>")

            def _send(self, status: int, html: str, mime: str = "text/html") -> None:
                answer(self, status, html, {"Content-Type": f"{mime}; charset=utf-8"})

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def article_page(self, body: str) -> str:
        """An article in the portal's template, or in its new one once `redesigned`."""
        if not self.redesigned:
            return (f"<html><head><title>稿件标题_测试市人民政府</title></head><body>"
                    f"<h1>稿件标题</h1><p>发布时间：2026-04-13 10:00</p>"
                    f"<div class='TRS_Editor'><p>{body}</p></div></body></html>")
        return (f"<html><head><title>稿件标题_测试市人民政府</title></head><body>"
                f"<div class='g-header'><a href='/'>首页</a><a href='/xw/'>新闻</a></div>"
                f"<div class='news-detail'><div class='hd'><h2>稿件标题</h2>"
                f"<p class='info'>发布时间：2026-04-13 10:00</p></div>"
                f"<div class='bd' id='zoomcon'><p>{body}</p></div></div>"
                f"<div class='g-footer'><p>主办：测试市人民政府办公室　"
                f"网站标识码：3300000099</p></div></body></html>")

    def registry(self, path: Path, obey_robots: bool = False) -> Path:
        path.write_text(registry_entry("mini", "测试市人民政府", self.server.server_port, "xw",
                                       "新闻", f"{self.base}/xw/index.html",
                                       obey_robots=obey_robots), encoding="utf-8")
        return path


    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
