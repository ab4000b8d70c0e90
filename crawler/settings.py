"""Scrapy settings for govarc. Our own settings are the GOVARC_* family, documented here.

GOVARC_DB              archive database path                       (default data/archive.db)
GOVARC_WARC_DIR        folder of WARC files                        (default data/warc)
GOVARC_WARC_MAX_SIZE   rotate a WARC file past this many bytes     (default 1 GB)
GOVARC_WARC_PREFIX     first part of WARC file names               (default govarc)
GOVARC_PORTAL_FILE     portal registry TOML; empty = bundled        (default "")
GOVARC_BATCH_SIZE      rows buffered before one SQLite commit      (default 200)
GOVARC_MAX_LIST_PAGES  list pages followed per section             (default 500)
GOVARC_ATTACHMENT_MAXSIZE  largest attachment fetched, bytes        (default 100 MB)
GOVARC_RECHECK_PAGES   in a section crawled to the end before, list pages read past the
                       last one that brought a new article        (default 1)
GOVARC_RECHECK_ARTICLES  re-request archived articles (conditionally) to find changed and
                       removed ones; `govarc crawl --recheck`     (default False)
GOVARC_CONTACT         contact (URL or e-mail) put in the User-Agent (default project URL)
GOVARC_EXTRACT_WORKERS processes extracting articles beside the crawl; 0 extracts on the
                       reactor thread; "auto" = one per CPU but one, and two on two
                       CPUs (default "auto")
GOVARC_EXTRACT_BUDGET  seconds a page's extraction and tamper watch may take in a worker
                       process; past it the page is an `extract-timeout` failure (kept in
                       the WARC) and the processes are replaced     (default 30)
GOVARC_DOCUMENT_BUDGET  seconds reading one attachment's text (PDF, Word, spreadsheet,
                       OFD) may take in its worker process; past it the attachment is a
                       `document-timeout` failure (kept in the WARC)  (default 60)
GOVARC_DOCUMENT_MEMORY  memory one attachment's read may add to its worker, bytes or with
                       K/M/G; past it a `document-memory` failure     (default 384M)
GOVARC_OCR             read image-only PDFs with Tesseract's Simplified Chinese model
                       (Debian tesseract-ocr-chi-sim); also from the environment variable
                       of that name                                   (default off)
GOVARC_TAMPER_LEXICON  a TOML file merged over the bundled tamper lexicon (terms, weights,
                       trusted hosts); `govarc crawl --lexicon FILE` or the environment
                       variable of that name                          (default "": none)
GOVARC_DB_LOCK_PATIENCE  seconds the crawl goes on buffering rows while another program
                       holds the database locked (each try waits 0.5 s, then 5 s pass);
                       past it the crawl stops with "database locked" (default 600)
GOVARC_DEDUP           write a revisit record for a payload already archived (default True)
GOVARC_FULL            ignore what the archive holds: fetch every article again, no
                       conditional requests; `govarc crawl --full`   (default False)
GOVARC_MIN_FREE_SPACE  bytes that must stay free on the disks of the WARC folder and the
                       database: a crawl does not start with less, and stops cleanly (exit
                       5) when a folder falls below it; 0 turns the watch off (default 100 MB)
GOVARC_ALLOWED_NETWORKS  networks a crawl may reach although they are not public, comma-
                       separated (e.g. "127.0.0.0/8"); loopback, private, link-local and
                       reserved addresses are refused otherwise; also from the
                       environment variable of that name            (default "": none)
GOVARC_PROGRESS        show a progress line on stderr; the CLI turns it on in a terminal
                       (default False, so cron output stays quiet)
GOVARC_RUN_CLASS       how the archive session's run opens and closes: a crawl writing its
                       own database, or a distributed worker's (set by `govarc worker`)
                       (default "crawler.session.LocalRun")

Distributed runs (`govarc crawl --redis URL`, `govarc worker --redis URL`):
GOVARC_REDIS_URL       Redis of a distributed run (redis://HOST:PORT/DB); the same as
                       `govarc crawl --redis URL`, from `-s` or the environment; empty:
                       one machine, no Redis                         (default "")
GOVARC_REDIS_HEARTBEAT seconds a worker's heartbeat lives; a worker silent this long is
                       dead and its leased requests go back to the queue (default 10)
GOVARC_REDIS_POLL      seconds between an idle worker's looks for new requests and for
                       the end of the run                         (default 1.0)
GOVARC_REDIS_WAIT      seconds the coordinator waits, at the end, for its workers to
                       close and report                           (default 60)
"""

import os

import scrapy

BOT_NAME = "govarc"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

GOVARC_DB = "data/archive.db"
GOVARC_WARC_DIR = "data/warc"
GOVARC_WARC_MAX_SIZE = 1_000_000_000
GOVARC_WARC_PREFIX = "govarc"
GOVARC_PORTAL_FILE = ""
GOVARC_BATCH_SIZE = 200
GOVARC_MAX_LIST_PAGES = 500
GOVARC_ATTACHMENT_MAXSIZE = 100 * 1024 * 1024
GOVARC_RECHECK_PAGES = 1
GOVARC_RECHECK_ARTICLES = False
GOVARC_CONTACT = "https://github.com/govarc/govarc"
GOVARC_PROGRESS = False
GOVARC_RUN_CLASS = "crawler.session.LocalRun"
GOVARC_MIN_FREE_SPACE = 100_000_000
# Also from the environment (a crontab line, or a test run that serves portals on loopback).
GOVARC_ALLOWED_NETWORKS = os.environ.get("GOVARC_ALLOWED_NETWORKS", "")
GOVARC_DEDUP = True
GOVARC_EXTRACT_WORKERS = "auto"
GOVARC_EXTRACT_BUDGET = 30.0
GOVARC_TAMPER_LEXICON = ""
GOVARC_DOCUMENT_BUDGET = 60.0
GOVARC_DOCUMENT_MEMORY = os.environ.get("GOVARC_DOCUMENT_MEMORY", "384M")
GOVARC_OCR = os.environ.get("GOVARC_OCR", "0").lower() in ("1", "true", "yes", "on")
GOVARC_DB_LOCK_PATIENCE = 600.0
GOVARC_FULL = False
# The browser for walls and script-written lists (crawler/browser): on when Chromium is found.
GOVARC_BROWSER = os.environ.get("GOVARC_BROWSER", "1").lower() not in ("0", "false", "no", "off")
GOVARC_BROWSER_PATH = os.environ.get("GOVARC_BROWSER_PATH", "")  # else chromium on PATH
GOVARC_BROWSER_PAGES = 2  # pages open at once
GOVARC_BROWSER_TIMEOUT = 30.0  # seconds a page visit may take, challenge included
GOVARC_REDIS_URL = ""
GOVARC_REDIS_HEARTBEAT = 10.0
GOVARC_REDIS_POLL = 1.0
GOVARC_REDIS_WAIT = 60.0

USER_AGENT = "govarc/0.1 (archiving public government news; +https://github.com/govarc/govarc)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # pages; attachments have their own limit
# Outputs of one response processed at once. Scrapy starts this many asyncio tasks for every
# response (default 100); ours yield one article or a list page's links, and the pipeline's
# parallelism comes from the many responses in flight, not from within one.
CONCURRENT_ITEMS = 8
# Bytes of responses being processed before Scrapy stops downloading (default 5 MB): one
# 15 MB page in extraction would otherwise halt every portal's downloads until its budget
# runs out. A page of DOWNLOAD_MAXSIZE fits with room for others; more would hold more
# pages waiting for extraction in memory (64 MB: peak RSS 362 MB on the benchmark, 20 MB:
# 225 MB, 5 MB: 177 MB).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 20 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control endpoint would let any local process drive the crawl: off.
REMOTE_CONTROL_ENABLED = False
# Names that resolve to loopback or private addresses are refused (crawler/scope.py).
if scrapy.version_info >= (2, 19):
    TWISTED_DNS_RESOLVER = "crawler.scope.GuardedResolver"
else:  # pragma: no cover - the setting's older name
    DNS_RESOLVER = "crawler.scope.GuardedResolver"
LOG_LEVEL = "INFO"
# Scrapy's HTTP/1.1 handler, with attachment bodies past 1 MB kept on disk as they arrive.
# Requests marked for the browser (crawler/browser) are fetched by it instead.
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.handler.BrowserDownloadHandler",
    "https": "crawler.browser.handler.BrowserDownloadHandler",
}

# Capture sits next to the downloader (priority above HttpCompressionMiddleware's 590 and
# every other built-in), so it sees each exchange as transferred: still compressed,
# redirects and error statuses included.
DOWNLOADER_MIDDLEWARES = {
    "crawler.scope.ScopeMiddleware": 40,  # off-site and private addresses, before robots.txt
    "crawler.middlewares.RobotsOverrideMiddleware": 50,  # before RobotsTxtMiddleware (100)
    "crawler.middlewares.RedirectLoopMiddleware": 610,  # sees 3xx before RedirectMiddleware
    "crawler.scope.RedirectScopeMiddleware": 620,  # a 3xx out of scope, before the above
    "crawler.scope.RefreshScopeMiddleware": 585,  # a meta refresh out of scope, decompressed
    "crawler.browser.routing.BrowserRoutingMiddleware": 940,  # challenge -> browser, cookies
    "crawler.middlewares.WarcCaptureMiddleware": 950,
}
EXTENSIONS = {
    "crawler.session.ArchiveSession": 10,  # the archive the other components write to
    "crawler.browser.support.BrowserSupport": 20,  # Chromium, started at the first use
    "crawler.progress.Progress": 500,
    "crawler.loglevel.RootLogLevel": 0,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.CallbackErrorMiddleware": 50,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 300,
}
FEED_EXPORT_ENCODING = "utf-8"
