"""The `govarc` commands over an archive: history, reextract, report, verify, rebuild,
flags, export, search (none of them fetches anything)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.cli_base import (
    DEFAULT_WARC_DIR,
    cli,
    db_option,
    lexicon_option,
    storage_options,
    warc_dir_option,
)


@cli.command()
@click.argument("url")
@db_option
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
@db_option
@warc_dir_option
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
@db_option
@click.option("--runs", default=5, show_default=True, help="How many recent runs to show.")
@click.option("--html", "html_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report with charts as one self-contained HTML file.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Only runs started (and articles published) on or after this day.")
@click.option("--portal", "portals", multiple=True, metavar="ID",
              help="Only this portal (repeatable).")
@click.option("--datasette-url", metavar="URL",
              help="Where the HTML report's links find the archive in Datasette "
                   "(default: http://127.0.0.1:8001/<archive name>, as `datasette ARCHIVE`).")
def report(db, runs, html_file, since, portals, datasette_url) -> None:
    """Recent crawl runs per portal: articles new/changed/removed, failures by kind.

    With --html FILE: the archive in pictures (growth, runs, failures, flags and alarms,
    quiet portals, silent sections, changes and removals, each portal's articles by
    publication week), one file that opens offline. Datasette serves the same page at
    /-/govarc-report."""
    day = since.date().isoformat() if since else None
    if html_file:
        from archive.report_html import build_report

        built = build_report(db, day, tuple(portals), datasette_url)
        html_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = html_file.with_name(f".{html_file.name}.tmp")
        temporary.write_text(built.html, encoding="utf-8")
        temporary.replace(html_file)
        font = built.font.family if built.font else "none found (install fonts-noto-cjk)"
        click.echo(f"wrote {html_file}: {built.charts} charts, {len(built.html) / 1e6:.1f} MB, "
                   f"{built.seconds['total']:.1f} s; Chinese font: {font}", err=True)
        return
    from archive.report import run_report

    for line in run_report(db, runs, day, tuple(portals)):
        click.echo(line)


@cli.command()
@storage_options
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
@lexicon_option
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
@db_option
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
    return db_option(func)


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
@storage_options
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
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--in", "where", type=click.Choice(["articles", "attachments", "all"]),
              default="articles", show_default=True,
              help="Search the articles (title, body, 文号), the text of their attachments "
                   "(PDF, Word, WPS, spreadsheets, OFD), or both.")
def search(query, db, limit, where) -> None:
    """Full-text search of the archive (Chinese words of any length, mixed with Latin).

    A 文号 is found whatever brackets it is written with (〔〕, [], 【】, ())."""
    from archive.search import search_articles, search_attachments

    query = doc_number_query(query)
    if where in ("articles", "all"):
        hits = search_articles(db, query, limit=limit)
        if not hits:
            click.echo(f"govarc: no articles match {query!r}", err=True)
        for hit in hits:
            click.echo(f"{hit['published_at'] or '':<26} {hit['portal']:<10} {hit['title']}")
            click.echo(f"    {hit['url']}")
            click.echo(f"    {hit['snippet']}")
    if where in ("attachments", "all"):
        found = search_attachments(db, query, limit=limit)
        if not found:
            click.echo(f"govarc: no attachments match {query!r}", err=True)
        for hit in found:
            click.echo(f"附件 {hit['label'] or hit['url'].rsplit('/', 1)[-1]} "
                       f"({hit['format']}) of: {hit['article_title'] or hit['article_url']}")
            click.echo(f"    {hit['url']}")
            click.echo(f"    article {hit['article_url']}")
            click.echo(f"    {hit['snippet']}")


def doc_number_query(query: str) -> str:
    """A query that is a 文号 written with ASCII brackets (not FTS5 syntax), quoted as the
    phrase it is; any other query as given."""
    from archive.extract.docfields import normalize_doc_number

    text = query.strip()
    if not any(c in text for c in "[]()") or '"' in text or "号" not in text:
        return query
    normal = normalize_doc_number(text)
    return f'"{normal}"' if normal != text else query
