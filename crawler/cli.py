"""The `govarc` command line: crawl, worker, demo, extract, portals here; the commands over
an archive (history, reextract, report, verify, rebuild, flags, export, search) in
`crawler.cli_archive`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

import crawler.cli_archive  # noqa: F401  (registers the archive commands on the group)
from archive.errors import GovarcError
from crawler.cli_base import (
    DEFAULT_DB,
    DEFAULT_WARC_DIR,
    cli,
    fail,
    lexicon_option,
    storage_options,
)

__all__ = ["cli", "main"]


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
        fail(StorageError(f"cannot create the log folder {logs}: {exc.strerror or exc}"))
    return logs


@cli.command()
@click.argument("portal_ids", nargs=-1)
@click.option("--portal-file", type=click.Path(path_type=Path),
              help="Portal registry TOML (default: the bundled one).")
@storage_options
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
@lexicon_option
def crawl(portal_ids, portal_file, db, warc_dir, overrides, recheck, full, verbose,
          redis_url, workers, lexicon) -> None:
    """Crawl the named portals (all in the registry if none are named).

    A second run fetches list pages and only the articles not yet archived. Exit codes:
    0 all fetched, 1 finished with failures (see the failures table), 2 configuration
    error, 3 another crawl holds the archive, 4 interrupted, 5 the archive's disk is full,
    read-only or failing (the crawl stopped; the next run repairs and goes on), 6 finished,
    but a section's extraction raised an alarm (a portal redesigned? see govarc report)."""
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

        fail(ConfigError(f"distributed runs need Redis's client libraries ({exc.name} is "
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
            fail(ConfigError(f"-s {item!r} is not NAME=VALUE"))
        if name in PATH_SETTINGS:
            fail(ConfigError(f"-s {name} is not accepted: give the path with "
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
@lexicon_option
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
@storage_options
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
        f"  sqlite-utils search {db} attachment_texts 琥珀滇池 -c url -c article_url -c format\n"
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


def main() -> None:
    cli(prog_name="govarc")


if __name__ == "__main__":
    main()
