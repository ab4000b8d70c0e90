"""The `govarc` command line: crawl, demo, extract, portals, search."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from archive.errors import GovarcError

DEFAULT_DB = Path("data/archive.db")
DEFAULT_WARC_DIR = Path("data/warc")


def _fail(exc: GovarcError) -> NoReturn:
    """One line on stderr, and the exit code of this kind of error."""
    from crawler.exit_codes import exit_code_for

    click.echo(f"govarc: {exc}", err=True)
    sys.exit(exit_code_for(exc))


class _Govarc(click.Group):
    """The command group: any GovarcError a command raises is one line on stderr and the
    exit code of its kind (crawler/exit_codes.py), in this one place."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except GovarcError as exc:
            _fail(exc)


@click.group(cls=_Govarc, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govarc")
def cli() -> None:
    """Archive the news of Chinese government portals into WARC files and a searchable
    SQLite database."""


def _db_option(func):
    return click.option("--db", type=click.Path(path_type=Path), default=DEFAULT_DB,
                        show_default=True, help="SQLite archive database.")(func)


def _warc_dir_option(func):
    return click.option("--warc-dir", type=click.Path(path_type=Path), default=DEFAULT_WARC_DIR,
                        show_default=True, help="Folder of WARC files.")(func)


def _lexicon_option(func):
    return click.option(
        "--lexicon", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        envvar="GOVARC_TAMPER_LEXICON",
        help="A TOML file merged over the bundled tamper lexicon (or the environment "
             "variable GOVARC_TAMPER_LEXICON).")(func)


def _storage_options(func):
    return _db_option(_warc_dir_option(func))


def _log_settings(db: Path, verbose: bool) -> dict[str, object]:
    """Verbose: Scrapy's log on stderr. Otherwise a log file per run next to the database,
    so that cron mails only the one-line summary."""
    if verbose:
        return {"LOG_LEVEL": "INFO"}
    from datetime import datetime

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return {"LOG_LEVEL": "INFO", "LOG_FILE": str(_log_folder(Path(db).parent / "logs")
                                                 / f"crawl-{stamp}.log")}


def _log_folder(logs: Path) -> Path:
    """The folder of per-run log files, created; a storage error if it cannot be."""
    from archive.errors import StorageError

    try:
        logs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(StorageError(f"cannot create the log folder {logs}: {exc.strerror or exc}"))
    return logs


@cli.command()
@click.argument("portal_ids", nargs=-1)
@click.option("--portal-file", type=click.Path(path_type=Path),
              help="Portal registry TOML (default: the bundled one).")
@_storage_options
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy or GOVARC_* setting, e.g. -s DOWNLOAD_DELAY=2.")
@click.option("--recheck", is_flag=True,
              help="Re-request archived articles (conditionally) to find changed and removed "
                   "ones.")
@click.option("--full", is_flag=True,
              help="Fetch every page again, ignoring what the archive holds (identical "
                   "payloads are stored as WARC revisit records).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request (Scrapy INFO level).")
@click.option("--redis", "redis_url", metavar="URL", envvar="GOVARC_REDIS_URL",
              help="Distributed run: frontier and seen-request filter in this Redis "
                   "(redis://HOST:PORT/DB); `govarc worker --redis URL` processes crawl it "
                   "and this one stores what they send. Also from the environment variable "
                   "or setting GOVARC_REDIS_URL.")
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="With --redis: local worker processes to start (0: only remote ones).")
@_lexicon_option
def crawl(portal_ids, portal_file, db, warc_dir, overrides, recheck, full, verbose,
          redis_url, workers, lexicon) -> None:
    """Crawl the named portals (all in the registry if none are named).

    A second run fetches list pages and only the articles not yet archived. Exit codes:
    0 all fetched, 1 finished with failures (see the failures table), 2 configuration
    error, 3 another crawl holds the archive, 4 interrupted, 5 the archive's disk is full,
    read-only or failing (the crawl stopped; the next run repairs and goes on)."""
    from crawler import runner

    given = _parse_overrides(overrides)  # before anything is created
    settings: dict[str, object] = {"GOVARC_RECHECK_ARTICLES": recheck, "GOVARC_FULL": full,
                                   "GOVARC_PROGRESS": sys.stderr.isatty() and not verbose,
                                   **_log_settings(db, verbose), **given}
    if lexicon:
        settings["GOVARC_TAMPER_LEXICON"] = str(lexicon)
    redis_url = redis_url or str(settings.pop("GOVARC_REDIS_URL", "") or "")
    if redis_url:
        coordinate = _distributed("coordinator").coordinate
        settings["GOVARC_PROGRESS"] = False
        summary = coordinate(list(portal_ids), db, warc_dir, portal_file, settings,
                             redis_url, workers, verbose)
    else:
        summary = runner.crawl(list(portal_ids), db, warc_dir, portal_file, settings)
    click.echo(summary.line(), err=True)
    sys.exit(summary.exit_code)


def _distributed(module: str):  # type: ignore[no-untyped-def]
    """crawler.distributed.<module>, or exit 2 naming the extra when Redis is missing."""
    import importlib

    try:
        return importlib.import_module(f"crawler.distributed.{module}")
    except ImportError as exc:
        if exc.name not in ("redis", "scrapy_redis"):
            raise
        from archive.errors import ConfigError

        _fail(ConfigError(f"distributed runs need Redis's client libraries ({exc.name} is "
                          "not installed): pip install 'govarc[distributed]'"))


# Settings that name a path have one source on the command line: their option.
PATH_SETTINGS = {"GOVARC_DB": "--db", "GOVARC_WARC_DIR": "--warc-dir",
                 "GOVARC_PORTAL_FILE": "--portal-file"}


def _parse_overrides(items) -> dict[str, object]:
    from archive.errors import ConfigError

    settings: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            _fail(ConfigError(f"-s {item!r} is not NAME=VALUE"))
        if name in PATH_SETTINGS:
            _fail(ConfigError(f"-s {name} is not accepted: give the path with "
                              f"{PATH_SETTINGS[name]}"))
        settings[name] = value.strip()
    return settings


@cli.command()
@click.option("--redis", "redis_url", metavar="URL", required=True, envvar="GOVARC_REDIS_URL",
              help="The Redis of the run (redis://HOST:PORT/DB), as given to govarc crawl "
                   "(or the environment variable GOVARC_REDIS_URL).")
@click.option("--warc-dir", type=click.Path(path_type=Path), default=DEFAULT_WARC_DIR,
              show_default=True, help="Folder for this worker's WARC files.")
@click.option("--name", help="Worker name, in its WARC file names (default: host-pid).")
@click.option("--wait", type=float, default=300.0, show_default=True,
              help="Seconds to wait for a run to join.")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a setting for this worker, e.g. -s CONCURRENT_REQUESTS=32.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request on stderr.")
@_lexicon_option
def worker(redis_url, warc_dir, name, wait, overrides, verbose, lexicon) -> None:
    """Crawl for the live distributed run: take requests from Redis, write WARC files here,
    send rows to the coordinator (govarc crawl --redis). Exits when the run is over: 0, or
    4 if the run was stopped; 2 if there is no run to join."""
    from datetime import datetime

    distributed = _distributed("worker")
    default_name, run_worker = distributed.default_name, distributed.run_worker
    name = name or default_name()
    given = _parse_overrides(overrides)  # before anything is created
    settings: dict[str, object] = {"LOG_LEVEL": "INFO"}
    if not verbose:
        logs = _log_folder(Path(warc_dir).parent / "logs")
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        settings["LOG_FILE"] = str(logs / f"worker-{name}-{stamp}.log")
    settings.update(given)
    if lexicon:
        settings["GOVARC_TAMPER_LEXICON"] = str(lexicon)
    summary = run_worker(redis_url, warc_dir, name, wait, settings)
    click.echo(summary.line(), err=True)
    sys.exit(summary.exit_code)


@cli.command()
@_storage_options
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def demo(db, warc_dir, verbose) -> None:
    """Serve the bundled sample portals on 127.0.0.1, crawl them, and summarise."""
    from crawler import runner
    from crawler.demo import archived_ports, moved
    from crawler.sample_portal import serve_sample_portal

    settings = {
        **_log_settings(db, verbose),
        # loopback: no need to be gentle with our own sample server, which is allowed
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "GOVARC_ALLOWED_NETWORKS": "127.0.0.0/8",
    }
    registry = Path(db).parent / "sample-portals.toml"
    ports = archived_ports(db)  # the addresses a previous demo archived them under
    with serve_sample_portal(ports=ports) as portal:
        portal.write_registry(registry)
        click.echo(f"Serving the sample portals: {', '.join(portal.base_urls.values())}")
        for line in moved(ports, portal.base_urls):
            click.echo(f"govarc: {line}", err=True)
        summary = runner.crawl([], db, warc_dir, registry, settings)
    click.echo(summary.line())
    click.echo(
        "The sample portal serves a few broken pages on purpose; they are in the failures "
        "table.\n\nNext, try:\n"
        f"  sqlite-utils search {db} articles 曲靖 -c url -c title -c published_at\n"
        f"  sqlite-utils {db} \"select kind, reason, url from failures\" -t\n"
        f"  govarc flags{'' if Path(db) == DEFAULT_DB else f' --db {db}'}\n"
        f"  govarc verify{'' if Path(db) == DEFAULT_DB else f' --db {db} --warc-dir {warc_dir}'}\n"
        f"  govarc report{'' if Path(db) == DEFAULT_DB else f' --db {db}'}\n"
        f"  datasette {db}\n"
    )


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The URL the page was fetched from (resolves links, canonical).")
@click.option("--content-type", help="The HTTP Content-Type header, if known (charset).")
@click.option("--json/--text", "as_json", default=True, show_default=True,
              help="Print all fields as JSON, or only the body text.")
def extract(file, url, content_type, as_json) -> None:
    """Extract an article (text and metadata) from a saved HTML FILE.

    Prints every field as JSON: the best text the page has whatever its kind, the kind,
    how the text was found (rules or the readability-lxml fallback) and how sure the
    extractor is. With --text, the text alone on stdout and those three on stderr."""
    from archive.extract import extract as run_extract

    try:
        result = run_extract(file.read_bytes(), url=url, content_type=content_type)
    except GovarcError as exc:
        click.echo(f"govarc: {file}: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    # The text on stdout (for pipes), what it is and how it was found on stderr.
    click.echo(f"kind: {result.kind} · text by {result.method} · confidence "
               f"{result.confidence:.2f} · extractor {result.extractor_version}", err=True)
    click.echo(result.text)


@cli.command()
@click.option("--portal-file", type=click.Path(path_type=Path),
              help="Portal registry TOML (default: the bundled one).")
def portals(portal_file) -> None:
    """List the portals and sections of the registry."""
    from crawler.registry import load_registry

    registry = load_registry(portal_file)
    for portal in registry.values():
        click.echo(f"{portal.id:<10} {portal.name}  {portal.domain}  [{portal.cms}]")
        for section in portal.sections:
            provenance = f"  ({section.provenance})" if section.provenance else ""
            click.echo(f"    {section.id:<12} {section.name}  {section.url}{provenance}")


@cli.command()
@click.argument("url")
@_db_option
@click.option("--diff/--no-diff", default=True, show_default=True,
              help="Show the text changes between versions.")
def history(url, db, diff) -> None:
    """Show every archived version of the article at URL, with the changes between them.

    Each version says whether the site changed the page or a newer extractor read the
    same capture differently (govarc reextract)."""
    from archive.history import article_history, text_diff

    versions = article_history(db, url)
    if not versions:
        click.echo(f"govarc: no archived article at {url}", err=True)
        sys.exit(1)
    previous = None
    for v in versions:
        if v.get("cause") == "extractor":
            origin = (f"re-extracted {v['reextracted_at']} by extractor "
                      f"{v['extractor_version']} from the capture of {v['captured_at']} "
                      "(the site did not change)")
        else:
            origin = f"captured {v['captured_at']}  run {v['run_id']}  (changed on the site)" \
                if previous is not None else f"captured {v['captured_at']}  run {v['run_id']}"
        click.echo(f"version {v['version']}  {origin}  {v['warc_filename']}@{v['warc_offset']}")
        click.echo(f"    {v['title']}  ({v['published_at'] or 'no date'})")
        if diff and previous is not None:
            for line in text_diff(previous, v):
                click.echo(f"    {line}")
        previous = v
    removed = versions[-1].get("removed_at")
    if removed:
        click.echo(f"removed: answered HTTP {versions[-1]['removed_status']} at {removed}")


@cli.command()
@_db_option
@_warc_dir_option
@click.option("--portal", help="Only this portal's articles.")
@click.option("--section", help="Only the articles listed in this section (its registry id).")
@click.option("--before-version", type=click.IntRange(min=1), default=None,
              help="Re-extract rows an extractor older than this produced (default: the "
                   "current extractor's version, i.e. every older row).")
@click.option("--workers", type=click.IntRange(min=0), default=0, show_default=True,
              envvar="GOVARC_REEXTRACT_WORKERS",
              help="Extraction processes (0: in this process).")
@click.option("--budget", type=float, default=None, envvar="GOVARC_EXTRACT_BUDGET",
              help="Seconds one page's extraction may take in a worker (default 30).")
def reextract(db, warc_dir, portal, section, before_version, workers, budget) -> None:
    """Re-derive articles from the WARC files with the current extractor.

    Rows an older extractor produced are extracted again from the capture they point at,
    off the network. A changed text or title/date/source/author becomes a new version
    marked as the extractor's (govarc history tells it from a change on the site); the
    archive's lock keeps crawls out meanwhile."""
    from archive.extract import EXTRACTOR_VERSION
    from archive.readonly import read_archive
    from archive.reextract import reextract as run_reextract

    read_archive(db).close()  # no archive there: one line, exit 2, nothing created
    summary = run_reextract(db, warc_dir, portal, section,
                            before_version or EXTRACTOR_VERSION, workers, budget)
    click.echo(summary.line(), err=True)
    for problem in summary.problems[:20]:
        click.echo(f"  {problem}", err=True)
    sys.exit(1 if summary.problems else 0)


@cli.command()
@_db_option
@click.option("--runs", default=5, show_default=True, help="How many recent runs to show.")
def report(db, runs) -> None:
    """Recent crawl runs per portal: articles new/changed/removed, failures by kind."""
    from archive.report import run_report

    lines = run_report(db, runs)
    for line in lines:
        click.echo(line)


@cli.command()
@_storage_options
@click.option("--no-db", is_flag=True, help="Check the WARC files only.")
def verify(db, warc_dir, no_db) -> None:
    """Check that every WARC record reads and matches its digests, and that every database
    row's WARC pointer leads to a record of its URL with the stored payload digest.

    Prints one line per problem (file:offset: what); exit code 0 if none, 1 if any."""
    from archive.verify import verify as run_verify

    report = run_verify(warc_dir, None if no_db else db)
    for problem in report.problems or []:
        click.echo(problem)
    click.echo(f"verified {report.files} WARC files, {report.records} records, "
               f"{report.rows} database pointers: "
               f"{'ok' if report.ok else f'{len(report.problems or [])} problems'}", err=True)
    sys.exit(0 if report.ok else 1)


@cli.command()
@click.option("--warc-dir", type=click.Path(path_type=Path), default=DEFAULT_WARC_DIR,
              show_default=True, help="Folder of WARC files to read.")
@click.option("--db", type=click.Path(path_type=Path), required=True,
              help="The new database to write (must not exist).")
@click.option("--workers", type=click.IntRange(min=0), envvar="GOVARC_REBUILD_WORKERS",
              help="Extraction processes (default: one per CPU; 0 extracts in this process; "
                   "or the environment variable GOVARC_REBUILD_WORKERS).")
@click.option("--budget", type=click.FloatRange(min=0, min_open=True),
              envvar="GOVARC_EXTRACT_BUDGET",
              help="Seconds a page's extraction may take, as in the crawl (default 30; or "
                   "GOVARC_EXTRACT_BUDGET).")
@_lexicon_option
def rebuild(warc_dir, db, workers, budget, lexicon) -> None:
    """Re-derive a whole archive database from the WARC files alone (no network)."""
    from archive.rebuild import rebuild as run_rebuild

    summary = run_rebuild(warc_dir, db, workers=workers, budget=budget, lexicon=lexicon)
    for problem in summary.problems:
        click.echo(problem)
    click.echo(f"rebuilt {db} from {summary.files} WARC files ({summary.records} records): "
               f"{summary.runs} runs, {summary.articles} article captures, "
               f"{summary.failures} failures", err=True)
    sys.exit(0 if not summary.problems else 1)


@cli.command()
@_db_option
@click.option("--portal", "portals", multiple=True, help="Only this portal; repeatable.")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["injected-terms", "hidden-link", "script-link",
                                 "script-redirect", "mirror", "deep-nesting"]),
              help="Only this kind of flag; repeatable.")
def flags(db, portals, kinds) -> None:
    """Tamper watch: injected gambling/porn terms, hidden links, script redirects and
    mirror copies found in archived pages, by portal (the archived text is unchanged)."""
    from archive.report import flag_report

    lines = flag_report(db, portals, kinds)
    for line in lines:
        click.echo(line)


@cli.group()
def export() -> None:
    """Take the archive elsewhere: articles as JSON Lines or CSV, a CDXJ index, a WACZ."""


def _article_filters(func):
    func = click.option("--until", metavar="DATE",
                        help="Published on or before DATE (ISO 8601 day or time; a time "
                             "without offset is China's, +08:00).")(func)
    func = click.option("--since", metavar="DATE",
                        help="Published on or after DATE (ISO 8601 day or time).")(func)
    func = click.option("--section", "sections", multiple=True,
                        help="Only this section (name, e.g. 州市动态); repeatable.")(func)
    func = click.option("--portal", "portals", multiple=True,
                        help="Only this portal id; repeatable.")(func)
    func = click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
                        help="Write here instead of standard output.")(func)
    return _db_option(func)


def _export_articles(kind, db, output, portals, sections, since, until, bom=False) -> None:
    from archive.export import ArticleFilter, check_filter, iter_articles, write_csv, write_jsonl

    wanted = ArticleFilter(tuple(portals), tuple(sections), since, until)
    for warning in check_filter(db, wanted):
        click.echo(f"govarc: warning: {warning}", err=True)
    rows = iter_articles(db, wanted)
    count = (write_jsonl(rows, output) if kind == "jsonl"
             else write_csv(rows, output, bom=bom))
    click.echo(f"exported {count} articles", err=True)


@export.command("jsonl")
@_article_filters
def export_jsonl(db, output, portals, sections, since, until) -> None:
    """One JSON object per line per article: metadata, text and WARC pointer, exactly as
    archived."""
    _export_articles("jsonl", db, output, portals, sections, since, until)


@export.command("csv")
@_article_filters
@click.option("--bom", is_flag=True,
              help="Start with a UTF-8 byte-order mark, so that spreadsheet programs (Excel) "
                   "show Chinese text correctly.")
def export_csv(db, output, portals, sections, since, until, bom) -> None:
    """One CSV row per article: metadata, text and WARC pointer. Text cells a spreadsheet
    would run as a formula (starting with = + - @, tab or CR) get a leading '."""
    _export_articles("csv", db, output, portals, sections, since, until, bom)


@export.command("cdxj")
@click.option("--warc-dir", type=click.Path(path_type=Path), default=DEFAULT_WARC_DIR,
              show_default=True, help="Folder of WARC files to index.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write here instead of standard output.")
def export_cdxj(warc_dir, output) -> None:
    """A CDXJ index of every response and revisit record (for pywb and other replay tools)."""
    from archive.replay import write_cdxj

    lines = write_cdxj(warc_dir, output)
    click.echo(f"indexed {lines} records", err=True)


@export.command("wacz")
@_storage_options
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The .wacz file to write.")
@click.option("--title", default="govarc archive", show_default=True)
def export_wacz(db, warc_dir, output, title) -> None:
    """A WACZ package (WARC files, CDXJ index, pages, hashes) for ReplayWeb.page or pywb."""
    from archive.replay import write_wacz

    summary = write_wacz(warc_dir, db, output, title=title)
    click.echo(f"wrote {summary.path}: {summary.warc_files} WARC files, "
               f"{summary.index_lines} index lines, {summary.pages} pages, "
               f"{summary.size:,} bytes", err=True)


@cli.command()
@click.argument("query")
@_db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def search(query, db, limit) -> None:
    """Full-text search of the archive (Chinese words of any length, mixed with Latin)."""
    from archive.search import search_articles

    hits = search_articles(db, query, limit=limit)
    if not hits:
        click.echo(f"govarc: no articles match {query!r}", err=True)
    for hit in hits:
        click.echo(f"{hit['published_at'] or '':<26} {hit['portal']:<10} {hit['title']}")
        click.echo(f"    {hit['url']}")
        click.echo(f"    {hit['snippet']}")


def main() -> None:
    cli(prog_name="govarc")


if __name__ == "__main__":
    main()
