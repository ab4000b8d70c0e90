"""One headless Chromium per crawl, driven by Playwright on a thread of its own.

Why Playwright with request interception, not scrapy-playwright or warcprox: every request
the page makes is routed (`context.route`) to crawler/browser/wire.py, which sends it and
keeps the exchange byte for byte; the browser gets the answer through `route.fulfill`. So
what the WARC holds is what crossed the wire (header case and order, compressed body), the
same hosts rules as plain fetches apply to every request of the page (a resource on
another host or a private address is refused, not fetched), and no proxy or certificate
authority is needed. scrapy-playwright hands on the browser's view (decoded bodies,
normalised headers); warcprox writes WARC files of its own, outside the archive's record
pointers and its flush-before-commit order.

The browser runs on its own thread and event loop: a page that hangs cannot hold Scrapy's
reactor. At most `pages` pages are open at once, each visit has a time budget, a context
(one per portal: its cookies) is replaced after `recycle` pages.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from archive.access import access_problem
from crawler.browser.wire import (
    TooLarge,
    WireError,
    WireRequest,
    WireResponse,
    build_request,
    decoded,
    exchange,
)

log = logging.getLogger(__name__)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# As the Debian package runs headless on a machine without a network beyond the crawl's:
# no background connections, no component updates, no first-run tasks.
LAUNCH_ARGS = ["--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--disable-quic",
               "--disable-dev-shm-usage"]
MAX_EXCHANGES = 200  # requests one page may make
MAX_DOCUMENTS = 4  # main-frame documents one visit may load (challenge, answer, page …)
QUIET_SECONDS = 0.25  # no request of the page in flight this long: scripts have written it
SETTLE_SECONDS = 3.0  # at most this long waiting for that quiet, after load
NAVIGATION_WAIT = 1.0  # how long a loaded challenge page may take to move on (a wall's
# script moves on as it runs, on load at the latest)
# Resource types fetched for a page: what walls and script-rendered lists need. Images,
# fonts and media are refused (cost, and no text for the archive).
FETCHED_TYPES = frozenset({"document", "script", "xhr", "fetch", "stylesheet", "other"})


def find_browser(configured: str = "") -> str | None:
    """The Chromium executable: GOVARC_BROWSER_PATH if set, else one on PATH; None if none."""
    if configured:
        return configured if shutil.which(configured) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class BrowserExchange:
    """One request of a page and its answer, as crossed the wire."""

    request: WireRequest
    response: WireResponse
    resource_type: str
    document: bool  # a main-frame document (the page itself, a challenge, a redirect)
    captured_at: datetime


@dataclass
class BrowserVisit:
    """What a page visit brought: every exchange in order, the DOM, the cookies."""

    url: str
    exchanges: list[BrowserExchange] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "url: reason"
    rendered: str | None = None
    final_url: str | None = None
    cookies: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # None, or why the visit ended early
    timed_out: bool = False
    in_flight: int = 0  # requests of the page being fetched now

    @property
    def documents(self) -> list[BrowserExchange]:
        return [e for e in self.exchanges if e.document]

    @property
    def page(self) -> BrowserExchange | None:
        """The last main-frame document: the page the visit ended on."""
        docs = self.documents
        return docs[-1] if docs else None


def is_challenge(response: WireResponse) -> bool:
    headers = dict(response.headers)
    try:
        body = decoded(response.body, response.header("Content-Encoding"), 1 << 20)
    except WireError:
        body = response.body
    problem = access_problem(response.status, headers, body)
    return problem is not None and problem[0] == "challenge"


def _fulfil_headers(response: WireResponse) -> dict[str, str]:
    """The response headers the browser is given: the body arrives decoded and whole."""
    out: dict[str, str] = {}
    for name, value in response.headers:
        lowered = name.lower()
        if lowered in ("content-encoding", "transfer-encoding", "content-length",
                       "connection", "keep-alive"):
            continue
        if lowered in out:
            out[lowered] += ("\n" if lowered == "set-cookie" else ", ") + value
        else:
            out[lowered] = value
    return out


class BrowserService:
    """A Chromium for the crawl; `visit` is called from any thread and returns a future."""

    def __init__(self, executable: str, *, user_agent: str, pages: int = 2,
                 timeout: float = 30.0, maxsize: int = 16 * 1024 * 1024,
                 refuse: Callable[[str, str], str | None] = lambda host, address: None,
                 recycle: int = 100) -> None:
        self.executable = executable
        self.user_agent = user_agent
        self.pages = max(1, pages)
        self.timeout = timeout
        self.maxsize = maxsize
        self.refuse = refuse
        self.recycle = recycle
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._playwright: Any = None
        self._browser: Any = None
        self._contexts: dict[str, tuple[Any, int]] = {}  # key -> (context, pages opened)
        self._slots: asyncio.Semaphore | None = None
        self._launch: asyncio.Lock | None = None
        self.visits = 0

    # -- thread -----------------------------------------------------------------------------
    def start(self) -> BrowserService:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="govarc-browser", daemon=True)
            self._thread.start()
            self._ready.wait(10)
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        self._slots = asyncio.Semaphore(self.pages)
        self._launch = asyncio.Lock()
        self._ready.set()
        loop.run_forever()
        loop.close()

    def visit(self, url: str, owns: Callable[[str], bool], key: str = "",
              cookies: list[dict[str, Any]] | None = None
              ) -> concurrent.futures.Future[BrowserVisit]:
        """Load `url` in a page of the context `key` (a portal), fetching only the URLs
        `owns` accepts; the future's BrowserVisit holds every exchange."""
        self.start()
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(self._visit(url, owns, key, cookies or []),
                                                self._loop)

    def close(self) -> None:
        """Close the browser and stop the thread (waits a few seconds at most)."""
        if self._loop is None or self._thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        try:
            future.result(15)
        except Exception as exc:
            log.warning("closing the browser: %s", exc)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None
        self._loop = None

    async def _shutdown(self) -> None:
        for context, _ in list(self._contexts.values()):
            with contextlib.suppress(Exception):
                await context.close()
        self._contexts.clear()
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None

    # -- browser ------------------------------------------------------------------------------
    async def _ensure_browser(self) -> Any:
        assert self._launch is not None
        async with self._launch:
            if self._browser is None or not self._browser.is_connected():
                from playwright.async_api import async_playwright

                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                self._browser = await self._playwright.chromium.launch(
                    executable_path=self.executable, args=LAUNCH_ARGS,
                    chromium_sandbox=False, timeout=30_000)
                self._contexts.clear()
        return self._browser

    async def _context(self, key: str) -> Any:
        browser = await self._ensure_browser()
        context, opened = self._contexts.get(key, (None, 0))
        if context is not None and opened >= self.recycle:
            await context.close()
            context = None
        if context is None:
            context = await browser.new_context(user_agent=self.user_agent,
                                                service_workers="block")
            opened = 0
        self._contexts[key] = (context, opened + 1)
        return context

    async def _visit(self, url: str, owns: Callable[[str], bool], key: str,
                     cookies: list[dict[str, Any]]) -> BrowserVisit:
        assert self._slots is not None
        visit = BrowserVisit(url)
        async with self._slots:
            self.visits += 1
            context = await self._context(key)
            if cookies:
                await context.add_cookies(cookies)
            page = await context.new_page()
            await page.route("**/*", lambda route: self._route(route, page, owns, visit))
            try:
                async with asyncio.timeout(self.timeout):
                    await self._load(page, url, visit)
                    visit.rendered = await self._content(page)
                    visit.final_url = page.url
                    visit.cookies = await context.cookies()
            except TimeoutError:
                visit.timed_out = True
                visit.error = f"the page did not settle within {self.timeout:g} s"
            except Exception as exc:
                visit.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            finally:
                try:
                    await asyncio.wait_for(page.close(), 5)
                except Exception:
                    self._contexts.pop(key, None)
                    await asyncio.shield(context.close())
        return visit

    async def _load(self, page: Any, url: str, visit: BrowserVisit) -> None:
        """Go to `url`; while the page is a challenge that navigates on (a script that sets a
        cookie and reloads), follow it, up to MAX_DOCUMENTS documents; then let scripts
        fetch what they render (a quiet network) before the DOM is read."""
        from playwright.async_api import Error as PlaywrightError

        try:
            await page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            if not visit.documents:
                raise
            log.debug("navigation of %s: %s", url, exc)
        while True:
            await self._quiet(visit)
            last = visit.page
            if last is None or not is_challenge(last.response):
                return
            if len(visit.documents) >= MAX_DOCUMENTS:
                return
            seen = len(visit.documents)
            waited = 0.0
            while len(visit.documents) == seen and waited < NAVIGATION_WAIT:
                await asyncio.sleep(0.05)
                waited += 0.05
            if len(visit.documents) == seen:
                return  # the challenge's script did not move on: not passed
            with contextlib.suppress(PlaywrightError):
                await page.wait_for_load_state("load")

    @staticmethod
    async def _quiet(visit: BrowserVisit) -> None:
        """Wait until no request of the page has been in flight for QUIET_SECONDS (the
        JSON a list's script fetches has come and been written), at most SETTLE_SECONDS;
        a page that keeps polling is read as it is then."""
        quiet = waited = 0.0
        while quiet < QUIET_SECONDS and waited < SETTLE_SECONDS:
            await asyncio.sleep(0.05)
            waited += 0.05
            quiet = quiet + 0.05 if visit.in_flight == 0 else 0.0

    @staticmethod
    async def _content(page: Any) -> str:
        from playwright.async_api import Error as PlaywrightError

        for _ in range(10):
            try:
                return await page.content()
            except PlaywrightError:  # navigating at that moment
                await asyncio.sleep(0.1)
        return await page.content()

    async def _route(self, route: Any, page: Any, owns: Callable[[str], bool],
                     visit: BrowserVisit) -> None:
        request = route.request
        url = request.url
        if request.resource_type not in FETCHED_TYPES:
            await route.abort("blockedbyclient")
            return
        if not url.startswith(("http://", "https://")) or not owns(url):
            visit.refused.append(f"{url[:300]}: not a host of the portal")
            await route.abort("blockedbyclient")
            return
        if len(visit.exchanges) >= MAX_EXCHANGES:
            visit.refused.append(f"{url[:300]}: over {MAX_EXCHANGES} requests for one page")
            await route.abort("blockedbyclient")
            return
        document = request.is_navigation_request() and request.frame == page.main_frame
        if document and len(visit.documents) >= MAX_DOCUMENTS:
            # A challenge that reloads without end: the visit ends on what it has.
            visit.refused.append(f"{url[:300]}: over {MAX_DOCUMENTS} documents for one page")
            await route.abort("blockedbyclient")
            return
        visit.in_flight += 1
        try:
            await self._fetch(route, request, url, document, visit)
        finally:
            visit.in_flight -= 1

    async def _fetch(self, route: Any, request: Any, url: str, document: bool,
                     visit: BrowserVisit) -> None:
        """Send the browser's request through the wire client, keep the exchange, answer
        the browser with the response (its body decoded)."""
        headers = list((await request.all_headers()).items())
        headers = [(k, v) for k, v in headers if k.lower() != "user-agent"]
        headers.insert(0, ("User-Agent", self.user_agent))
        wire = build_request(request.method, url, headers, request.post_data_buffer or b"")
        try:
            response = await exchange(wire, timeout=self.timeout, maxsize=self.maxsize,
                                      refuse=self.refuse)
            body = decoded(response.body, response.header("Content-Encoding"), self.maxsize)
        except TooLarge as exc:
            visit.refused.append(f"{url[:300]}: {exc}")
            await route.abort("failed")
            return
        except WireError as exc:
            visit.refused.append(f"{url[:300]}: {exc}")
            await route.abort("failed")
            return
        visit.exchanges.append(BrowserExchange(wire, response, request.resource_type,
                                               document, datetime.now(UTC)))
        await route.fulfill(status=response.status, headers=_fulfil_headers(response),
                            body=body)
