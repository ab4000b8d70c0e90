"""govarc performance benchmark (issue 7): crawl, rebuild, search, scale, re-crawl.

    python bench/run.py [--articles 10000] [--repeat 3] [--quick] [--json FILE]

Serves a generated TRS-style portal on 127.0.0.1 (bench/portal.py), crawls it with a bare
Scrapy spider (bench/bare_spider.py) and with `govarc crawl`, rebuilds the database from the
WARC files against extraction alone, searches a generated archive, compares the peak memory
of a small and a large crawl, and crawls the unchanged portal a second time. Prints one
table with every figure, its target and PASS/MISS. See bench/README.md for the method.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import peers  # noqa: E402
import portal  # noqa: E402
import procmeter  # noqa: E402
import searchbench  # noqa: E402

ARTICLE_URL = re.compile(r"/\d{6}/t\d{8}_\d+\.html$")
TARGET_CRAWL_RATIO = 0.8  # govarc / bare Scrapy and / scrapy-webarchive, pages/s (issue 20)
TARGET_WARC_PEER_RATIO = 1.0  # govarc / scrapy-warc, pages/s
TARGET_CPU_RATIO = 2.0  # govarc CPU per page / bare Scrapy's
PEER_TOOLS = ("scrapy-2.11", "scrapy-webarchive", "scrapy-warc", "wget")
TARGET_REBUILD_RATIO = 1.0  # rebuild / extraction alone (issue 20; 0.8 in issue 7)
TARGET_RSS_MB = 300
TARGET_SCALE_GROWTH = 1.10
TARGET_SEARCH_P95_MS = 8  # library and direct query, 100,000 articles (issue 20)
TARGET_CLI_RATIO = 1.15  # `sqlite-utils search` / `sqlite-utils DB "select 1"`, wall time


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the portal ---------------------------------------------------------------------------------
@dataclass
class Served:
    """A running benchmark portal."""

    base: str
    pid: int
    articles: int
    pages: int
    registry: Path


@contextlib.contextmanager
def serve(articles: int, workdir: Path) -> Iterator[Served]:
    """Generate (or load from cache) and serve a portal of `articles` articles."""
    log(f"portal of {articles:,} articles: generating or loading from {portal.CACHE_DIR}")
    process = subprocess.Popen(
        [sys.executable, str(BENCH / "portal.py"), "serve", "--articles", str(articles)],
        stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"bench/portal.py serve exited with {process.wait()}")
        info = json.loads(line)
        registry = workdir / f"portal-{articles}.toml"
        registry.write_text(portal.registry_toml(info["base"]), encoding="utf-8")
        log(f"serving {info['pages']:,} pages at {info['base']}")
        yield Served(info["base"], process.pid, articles, info["pages"], registry)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _crawl_settings(concurrency: int) -> list[str]:
    pairs = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
             "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
             "GOVARC_ALLOWED_NETWORKS": "127.0.0.0/8"}  # the benchmark portal is on loopback
    return [arg for name, value in pairs.items() for arg in ("-s", f"{name}={value}")]


def _measured(result: procmeter.Measured, pages: int, server_cpu: float) -> dict[str, Any]:
    return {**result.as_dict(), "pages": pages, "pages_per_s": pages / result.seconds,
            "cpu_ms_per_page": 1000 * result.cpu_seconds / max(pages, 1),
            "server_cpu_share": server_cpu / result.seconds}


def crawl_bare(served: Served, workdir: Path, concurrency: int) -> dict[str, Any]:
    """One crawl by the bare Scrapy spider."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats = workdir / "bare-stats.json"
    before = procmeter.cpu_seconds(served.pid)
    result = procmeter.run(
        [sys.executable, str(BENCH / "bare_spider.py"), "--portal-file", str(served.registry),
         "--stats", str(stats), *_crawl_settings(concurrency),
         "-s", f"LOG_FILE={workdir / 'bare.log'}"],
        cwd=ROOT, stderr=workdir / "bare.stderr")
    if result.returncode != 0:
        raise RuntimeError(f"bare spider failed ({result.returncode}): {workdir}/bare.stderr")
    data = json.loads(stats.read_text(encoding="utf-8"))
    pages = int(data.get("response_received_count", 0))
    out = _measured(result, pages, procmeter.cpu_seconds(served.pid) - before)
    out["engine_seconds"] = data.get("elapsed_time_seconds")
    return out


def govarc_crawl(served: Served, workdir: Path, concurrency: int) -> dict[str, Any]:
    """One `govarc crawl` of the portal into workdir/archive.db and workdir/warc."""
    from archive.store import connect

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "archive.db"
    before = procmeter.cpu_seconds(served.pid)
    result = procmeter.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file", str(served.registry),
         "--db", str(db), "--warc-dir", str(workdir / "warc"), *_crawl_settings(concurrency)],
        cwd=ROOT, stderr=workdir / "govarc.stderr")
    if result.returncode not in (0, 1):
        stderr = (workdir / "govarc.stderr").read_text(errors="replace").strip()
        raise RuntimeError(f"govarc crawl exited {result.returncode}: {stderr[-300:]} "
                           f"(logs in {workdir / 'logs'})")
    database = connect(db)
    try:
        run_id, stats = database.execute(
            "SELECT id, stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        pages = database.execute("SELECT count(*) FROM captures WHERE run_id = ?",
                                 [run_id]).fetchone()[0]
        articles = database.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        database.close()
    out = _measured(result, pages, procmeter.cpu_seconds(served.pid) - before)
    from archive.warc import warc_files

    out.update(peers.warc_figures(list(warc_files(workdir / "warc")), ARTICLE_URL))
    out.update(run_id=run_id, articles=articles, returncode=result.returncode,
               engine_seconds=json.loads(stats or "{}").get("elapsed_time_seconds"),
               summary=(workdir / "govarc.stderr").read_text(errors="replace").strip()[-400:])
    return out


# -- rebuild ----------------------------------------------------------------------------------
def article_payloads(warc_dir: Path) -> list[tuple[bytes, str, str | None]]:
    """(decoded body, URL, Content-Type) of every article response in the WARC files."""
    from archive.warc import warc_files
    from archive.warc_read import iter_records

    found = []
    for path in warc_files(warc_dir):
        for record in iter_records(path):
            if (record.rec_type == "response" and record.status == 200
                    and ARTICLE_URL.search(record.url)):
                found.append((record.body, record.url, record.header("Content-Type")))
    return found


def extraction_alone(payloads: list[tuple[bytes, str, str | None]]) -> dict[str, Any]:
    """Time `archive.extract.extract` over pages already in memory."""
    from archive.extract import extract

    started = time.perf_counter()
    cpu = time.process_time()
    for body, url, content_type in payloads:
        extract(body, url=url, content_type=content_type)
    seconds = time.perf_counter() - started
    return {"pages": len(payloads), "seconds": seconds, "pages_per_s": len(payloads) / seconds,
            "cpu_seconds": time.process_time() - cpu}


def article_work_alone(payloads: list[tuple[bytes, str, str | None]]) -> dict[str, Any] | None:
    """Time the pipeline's per-page function (`archive.articles.extract_article`: extraction
    plus the tamper watch), if this govarc has one; None otherwise."""
    try:
        from archive.articles import PortalIdentity, extract_article
    except ImportError:
        return None
    host = payloads[0][1].split("/")[2] if payloads else ""
    identity = PortalIdentity(domains=(host,), site_id_code="5300000033")
    started = time.perf_counter()
    for body, url, content_type in payloads:
        extract_article(body, url, content_type, identity)
    seconds = time.perf_counter() - started
    return {"pages": len(payloads), "seconds": seconds, "pages_per_s": len(payloads) / seconds}


def govarc_rebuild(warc_dir: Path, db: Path) -> dict[str, Any]:
    """One `govarc rebuild` of the WARC files into a new database."""
    from archive.store import connect

    result = procmeter.run(
        [sys.executable, "-m", "crawler.cli", "rebuild", "--warc-dir", str(warc_dir),
         "--db", str(db)], cwd=ROOT, stderr=db.with_suffix(".stderr"))
    if result.returncode != 0:
        raise RuntimeError(f"govarc rebuild failed ({result.returncode}): "
                           f"{db.with_suffix('.stderr')}")
    database = connect(db)
    try:
        pages = database.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        database.close()
    return {**result.as_dict(), "pages": pages, "pages_per_s": pages / result.seconds}


def recrawl_counts(db: Path) -> list[dict[str, Any]]:
    """Requests per run (from the captures table) and how many asked for an article."""
    from archive.store import connect

    database = connect(db)
    try:
        rows = database.execute("SELECT run_id, url FROM captures ORDER BY id").fetchall()
    finally:
        database.close()
    runs: dict[int, dict[str, Any]] = {}
    for run_id, url in rows:
        entry = runs.setdefault(run_id, {"run_id": run_id, "requests": 0, "articles": 0})
        entry["requests"] += 1
        entry["articles"] += bool(ARTICLE_URL.search(url))
    return list(runs.values())


# -- the table --------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@dataclass
class Row:
    """One line of the table."""

    measure: str
    figure: str = ""
    target: str = ""
    status: str = ""


def times(ratio: float, target: float | None = None) -> str:
    """A ratio as 1.23x; with four decimals where two would round it onto its target (a
    0.7996x MISS printed as 0.80x would read as met)."""
    if target is not None and round(ratio, 2) == target and ratio != target:
        return f"{ratio:.4f}x"
    return f"{ratio:.2f}x"


def verdict(ok: bool | None) -> str:
    """PASS, MISS, or blank for information rows."""
    return "" if ok is None else ("PASS" if ok else "MISS")


def render(rows: list[Row], title: str) -> str:
    """The table as text."""
    headers = Row("measurement", "figure", "target", "result")
    body = [r for r in rows if r.figure or r.target]
    widths = [max(_width(getattr(r, f)) for r in [headers, *body])
              for f in ("measure", "figure", "target", "status")]
    lines = [title, ""]
    for i, row in enumerate([headers, *rows]):
        cells = [row.measure, row.figure, row.target, row.status]
        if not row.figure and not row.target and i:
            lines.append(row.measure)  # section heading
            continue
        lines.append("  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def median(values: list[float]) -> float:
    """Median (of the repeats)."""
    return statistics.median(values)


def _spread(values: list[float], fmt: str) -> str:
    """The median, and the range of the repeats when there are several."""
    text = fmt.format(median(values))
    if len(values) > 1:
        text += f" ({fmt.format(min(values))}–{fmt.format(max(values))})"
    return text


def _checks(runs: list[dict[str, Any]]) -> str:
    if "checks" not in runs[0]:
        return "no WARC"
    out = []
    for tool in ("warcio", "fastwarc"):
        verdicts = [r["checks"].get(tool) for r in runs]
        if None in verdicts:
            out.append(f"{tool} ?")
        else:
            out.append(f"{tool} {'ok' if all(verdicts) else 'FAILS'}")
    return ", ".join(out)


TOOL_LABELS = {"bare": "bare Scrapy spider", "govarc": "govarc crawl (all it does)",
               "scrapy-webarchive": "scrapy-webarchive 0.5.3", "scrapy-warc": "scrapy-warc 0.10.0",
               "wget": "wget -r --warc-file",
               "scrapy-2.11": "bare spider on Scrapy 2.11 (the webarchive venv)"}


def crawl_rows(crawl: dict[str, list[dict[str, Any]]], cfg: dict[str, Any],
               reps: str) -> list[Row]:
    """The peer table: each tool's pages/s, CPU per page, peak RSS, WARC; govarc's ratios
    against each, with the targets of issue 20."""
    gov = crawl["govarc"]
    pages = gov[0]["pages"]
    rows = [Row(f"1. Crawl: {cfg['articles']:,} articles, {pages:,} pages, concurrency "
                f"{cfg['concurrency']}, {reps} (range of the repeats in brackets)")]
    for tool, runs in crawl.items():
        if not runs:
            continue
        label = TOOL_LABELS.get(tool, tool)
        rows.append(Row(f"   {label}: pages/s", _spread([r["pages_per_s"] for r in runs],
                                                        "{:.1f}")))
        cpu = [r.get("cpu_ms_per_page", 1000 * r["cpu_seconds"] / max(r["pages"], 1))
               for r in runs]
        rows.append(Row(f"   {label}: CPU ms/page (process tree)", _spread(cpu, "{:.1f}")))
        rss = median([r["peak_tree_rss_mb"] for r in runs])
        rows.append(Row(f"   {label}: peak RSS", f"{rss:.0f} MB", *(
            (f"< {TARGET_RSS_MB} MB", verdict(rss < TARGET_RSS_MB)) if tool == "govarc"
            else ())))
        if "warc_bytes" in runs[0]:
            articles = runs[0].get("article_responses")
            size = median([r["warc_bytes"] for r in runs]) / 1e6
            rows.append(Row(f"   {label}: WARC", f"{size:.1f} MB, {runs[0]['responses']:,} "
                            "responses"
                            + (f" ({articles:,} articles)" if articles is not None else ""),
                            _checks(runs)))
    gov_rate = median([r["pages_per_s"] for r in gov])
    targets = {"bare": TARGET_CRAWL_RATIO, "scrapy-webarchive": TARGET_CRAWL_RATIO,
               "scrapy-warc": TARGET_WARC_PEER_RATIO, "wget": None, "scrapy-2.11": None}
    for tool, target in targets.items():
        if not crawl.get(tool):
            continue
        ratio = gov_rate / median([r["pages_per_s"] for r in crawl[tool]])
        rows.append(Row(f"   pages/s govarc / {TOOL_LABELS[tool]}", times(ratio, target),
                        *((f">= {target}x", verdict(ratio >= target)) if target else
                          ("info: no target",))))
    if crawl.get("bare"):
        cpu_ratio = (median([r["cpu_ms_per_page"] for r in gov])
                     / median([r["cpu_ms_per_page"] for r in crawl["bare"]]))
        rows.append(Row("   CPU per page govarc / bare Scrapy", times(cpu_ratio, TARGET_CPU_RATIO),
                        f"<= {TARGET_CPU_RATIO}x", verdict(cpu_ratio <= TARGET_CPU_RATIO)))
    return rows


def build_rows(results: dict[str, Any]) -> list[Row]:
    """Every figure with its target."""
    rows: list[Row] = []
    cfg = results["config"]
    reps = f"median of {cfg['repeat']}"
    crawl = results.get("crawl")
    if crawl:
        rows += crawl_rows(crawl, cfg, reps)
    rebuild = results.get("rebuild")
    if rebuild:
        alone = median([r["pages_per_s"] for r in rebuild["extraction"]])
        rate = median([r["pages_per_s"] for r in rebuild["rebuild"]])
        rows += [
            Row(f"2. Rebuild: {rebuild['rebuild'][0]['pages']:,} article pages from WARC, "
                f"median of {len(rebuild['rebuild'])}"),
            Row("   extraction alone (in memory)", f"{alone:.1f} pages/s"),
            *([Row("   extract_article alone (+ tamper watch; info)", "{:.1f} pages/s".format(
                median([r["pages_per_s"] for r in rebuild["article_work"]])))]
              if rebuild.get("article_work") else []),
            Row("   govarc rebuild", f"{rate:.1f} pages/s"),
            Row("   ratio rebuild / extraction", times(rate / alone, TARGET_REBUILD_RATIO),
                f">= {TARGET_REBUILD_RATIO}x", verdict(rate / alone >= TARGET_REBUILD_RATIO)),
        ]
    search = results.get("search")
    if search:
        startup = search["cli_startup"]["median_ms"]
        rows.append(Row(f"3. Search: {search['articles']:,} articles, limit "
                        f"{searchbench.LIMIT}, ms median / p95 ({search['rounds']} runs; "
                        f"sqlite-utils {search['cli_rounds']})"))
        rows.append(Row("   sqlite-utils process start-up (query 'select 1'), all runs",
                        f"{startup:.0f} / {search['cli_startup']['p95_ms']:.0f}",
                        "in every CLI figure; each query's ratio uses the runs taken "
                        "in turns with it"))
        for query, found in search["queries"].items():
            order = search.get("order", {}).get(query)
            label = (f"'{query}' ({found['kind']}, {search['matches'][query]:,} hits"
                     + (f", {order}" if order else "") + ")")
            for way, name in (("library", "search_articles"), ("direct", "FTS, open conn")):
                m = found[way]
                rows.append(Row(f"   {label} {name}", f"{m['median_ms']:.1f} / {m['p95_ms']:.1f}",
                                f"p95 < {TARGET_SEARCH_P95_MS}",
                                verdict(m["p95_ms"] < TARGET_SEARCH_P95_MS)))
            if "cold" in found:
                m = found["cold"]
                rows.append(Row(f"   {label} search_articles, cold open",
                                f"{m['median_ms']:.1f} / {m['p95_ms']:.1f}",
                                "info: a new connection each call"))
            m = found["sqlite_utils"]
            # Against the `select 1` runs taken in turns with this query's (older results:
            # against the start-up measured once).
            base = found.get("sqlite_utils_startup", search["cli_startup"])["median_ms"]
            ratio = m["median_ms"] / base
            shown = times(ratio, TARGET_CLI_RATIO)
            rows.append(Row(f"   {label} sqlite-utils search",
                            f"{m['median_ms']:.0f} / {m['p95_ms']:.0f} ({shown} select 1 "
                            f"at {base:.0f})",
                            f"<= {TARGET_CLI_RATIO}x select 1", verdict(ratio <= TARGET_CLI_RATIO)))
    scale = results.get("scale")
    if scale:
        small, large = scale["sizes"]
        rss = scale["peak_rss_mb"]
        growth = rss[str(large)] / rss[str(small)]
        rows += [
            Row(f"4. Scale: govarc crawl peak RSS, {small:,} vs {large:,} articles"
                + (" (--quick sizes)" if scale.get("quick") else "")),
            Row(f"   {small:,} articles", f"{rss[str(small)]:.0f} MB", f"< {TARGET_RSS_MB} MB",
                verdict(rss[str(small)] < TARGET_RSS_MB)),
            Row(f"   {large:,} articles", f"{rss[str(large)]:.0f} MB", f"< {TARGET_RSS_MB} MB",
                verdict(rss[str(large)] < TARGET_RSS_MB)),
            Row("   growth large / small", times(growth, TARGET_SCALE_GROWTH),
                f"<= {TARGET_SCALE_GROWTH:.2f}x", verdict(growth <= TARGET_SCALE_GROWTH)),
        ]
    elif "scale_skipped" in results:
        rows += [Row("4. Scale"), Row("   skipped", results["scale_skipped"], "", "SKIP")]
    for name, error in results.get("errors", {}).items():
        rows += [Row(f"{name}: failed"), Row("   " + error[:80], "(see JSON, log)", "", "ERROR")]
    recrawl = results.get("recrawl")
    if recrawl:
        first, second = recrawl["runs"][0], recrawl["runs"][-1]
        rows += [
            Row("5. Re-crawl of the unchanged portal (captures per run_id)"),
            Row("   first crawl: requests (articles)", f"{first['requests']:,} "
                f"({first['articles']:,})"),
            Row("   second crawl: requests (articles)", f"{second['requests']:,} "
                f"({second['articles']:,})", "0 articles", verdict(second["articles"] == 0)),
        ]
    return rows


# -- the run ----------------------------------------------------------------------------------
def run_crawls(args: argparse.Namespace, workdir: Path, results: dict[str, Any]) -> Path:
    """Crawl measurements, rebuild, re-crawl on one portal; returns the last crawl's folder."""
    with serve(args.articles, workdir) as served:
        tools = ["bare", "govarc", *([] if args.skip_peers else PEER_TOOLS)]
        runs: dict[str, list[dict[str, Any]]] = {tool: [] for tool in tools}
        last = workdir / "crawl-0"
        base = _crawl_settings(args.concurrency)
        for repeat in range(args.repeat):
            shift = repeat % len(tools)  # each tool takes each place in turn
            for which in tools[shift:] + tools[:shift]:
                log(f"crawl {repeat + 1}/{args.repeat}: {which}")
                if which == "bare":
                    r = crawl_bare(served, workdir / f"bare-{repeat}", args.concurrency)
                elif which == "govarc":
                    if last.exists() and repeat:
                        shutil.rmtree(last)  # keep only the newest archive on disk
                    last = workdir / f"crawl-{repeat}"
                    r = govarc_crawl(served, last, args.concurrency)
                else:
                    folder = workdir / f"{which}-{repeat}"
                    if which == "wget":
                        r = peers.crawl_wget(served.registry, folder, served.pid, ARTICLE_URL)
                    else:
                        r = peers.crawl_peer(which, served.registry, base, folder, served.pid,
                                             ARTICLE_URL)
                    shutil.rmtree(folder, ignore_errors=True)  # its WARC is counted
                runs[which].append(r)
                log(f"  {r['pages']:,} pages in {r['seconds']:.1f} s = "
                    f"{r['pages_per_s']:.1f} pages/s, peak RSS {r['peak_tree_rss_mb']:.0f} MB, "
                    f"CPU {r['cpu_seconds']:.0f} s, server CPU {r['server_cpu_share']:.0%}")
        results["crawl"] = runs
        if not args.skip_rebuild:
            try:
                results["rebuild"] = run_rebuild(args, last / "warc", workdir)
            except RuntimeError as exc:
                log(f"rebuild failed: {exc}")
                results["errors"]["2. Rebuild"] = str(exc)
                args.keep = True
        log("re-crawl: govarc crawl of the unchanged portal into the same archive")
        try:
            second = govarc_crawl(served, last, args.concurrency)
        except RuntimeError as exc:
            log(f"  re-crawl failed: {exc}")
            results["errors"]["5. Re-crawl"] = str(exc)
            args.keep = True
        else:
            log(f"  {second['pages']:,} requests in {second['seconds']:.1f} s")
            results["recrawl"] = {"crawl": second, "runs": recrawl_counts(last / "archive.db")}
    return last


def run_rebuild(args: argparse.Namespace, warc_dir: Path, workdir: Path) -> dict[str, Any]:
    """`govarc rebuild` against extraction alone, interleaved, `rebuild_repeat` times."""
    log(f"rebuild: reading article payloads from {warc_dir}")
    payloads = article_payloads(warc_dir)
    extraction: list[dict[str, Any]] = []
    rebuilds: list[dict[str, Any]] = []
    article_work: list[dict[str, Any]] = []
    for repeat in range(args.rebuild_repeat):
        log(f"rebuild {repeat + 1}/{args.rebuild_repeat}: extraction alone over "
            f"{len(payloads):,} pages")
        extraction.append(extraction_alone(payloads))
        log(f"  {extraction[-1]['pages_per_s']:.1f} pages/s")
        work = article_work_alone(payloads)
        if work is not None:
            article_work.append(work)
            log(f"  extract_article (with tamper watch): {work['pages_per_s']:.1f} pages/s")
        db = workdir / f"rebuild-{repeat}.db"
        log(f"rebuild {repeat + 1}/{args.rebuild_repeat}: govarc rebuild")
        rebuilds.append(govarc_rebuild(warc_dir, db))
        log(f"  {rebuilds[-1]['pages']:,} articles, {rebuilds[-1]['pages_per_s']:.1f} pages/s, "
            f"peak RSS {rebuilds[-1]['peak_tree_rss_mb']:.0f} MB")
        for path in workdir.glob(f"rebuild-{repeat}.db*"):
            path.unlink()
    del payloads
    return {"extraction": extraction, "rebuild": rebuilds, "article_work": article_work}


def run_scale(args: argparse.Namespace, workdir: Path, results: dict[str, Any]) -> None:
    """Peak RSS of govarc crawls of two portal sizes (reusing the crawl medians if sized so)."""
    small, large = args.scale
    rss: dict[str, float] = {}
    runs: dict[str, Any] = {}
    for size in (small, large):
        if size == args.articles and results.get("crawl"):
            rss[str(size)] = median([r["peak_tree_rss_mb"] for r in results["crawl"]["govarc"]])
            continue
        with serve(size, workdir) as served:
            log(f"scale: govarc crawl of {size:,} articles")
            folder = workdir / f"scale-{size}"
            runs[str(size)] = govarc_crawl(served, folder, args.concurrency)
            shutil.rmtree(folder, ignore_errors=True)
        r = runs[str(size)]
        log(f"  {r['pages']:,} pages, {r['pages_per_s']:.1f} pages/s, "
            f"peak RSS {r['peak_tree_rss_mb']:.0f} MB")
        rss[str(size)] = r["peak_tree_rss_mb"]
    results["scale"] = {"sizes": [small, large], "peak_rss_mb": rss, "runs": runs,
                        "quick": args.quick}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Options; --quick shrinks every size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, help="crawl/rebuild portal size "
                        "(default 10000; --quick 2000)")
    parser.add_argument("--repeat", type=int, help="repeats of each crawl (default 3; "
                        "--quick 1)")
    parser.add_argument("--rebuild-repeat", type=int, help="repeats of rebuild and "
                        "extraction alone (default 1: steady CPU-bound work, and a pass "
                        "over 10,000 pages takes minutes)")
    parser.add_argument("--search-articles", type=int,
                        help="size of the search archive (default 100000; --quick 20000)")
    parser.add_argument("--scale", type=lambda s: [int(x) for x in s.split(",")],
                        help="two portal sizes for the memory comparison, e.g. 10000,50000 "
                             "(default; --quick skips it unless given)")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="CONCURRENT_REQUESTS(_PER_DOMAIN) of both crawls (default 16)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one repeat")
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="print the table of an earlier --json file and exit")
    for part in ("crawl", "peers", "rebuild", "search", "scale"):
        parser.add_argument(f"--skip-{part}", action="store_true", help=f"skip the {part} part")
    args = parser.parse_args(argv)
    quick = args.quick
    args.articles = args.articles or (2000 if quick else 10_000)
    args.repeat = args.repeat or (1 if quick else 3)
    args.rebuild_repeat = args.rebuild_repeat or 1
    args.search_articles = args.search_articles or (20_000 if quick else 100_000)
    if args.scale is None and not quick:
        args.scale = [args.articles, 5 * args.articles]
    if args.scale is not None and len(args.scale) != 2:
        parser.error("--scale takes two sizes, e.g. 10000,50000")
    return args


def _title(results: dict[str, Any]) -> str:
    cfg = results["config"]
    return (f"govarc benchmark ({cfg['command']}; {cfg['cpus']} CPUs, Python {cfg['python']}; "
            f"{results['seconds'] / 60:.1f} min)")


def main(argv: list[str] | None = None) -> int:
    """Run every part, print the table, write the JSON."""
    args = parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        print(render(build_rows(results), _title(results)))
        return 0
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="govarc-bench-run-"))
    log(f"work folder {workdir}")
    results: dict[str, Any] = {"config": {
        "articles": args.articles, "repeat": args.repeat, "rebuild_repeat": args.rebuild_repeat,
        "search_articles": args.search_articles, "scale": args.scale, "quick": args.quick,
        "concurrency": args.concurrency, "cpus": os.cpu_count(),
        "python": platform.python_version(), "machine": platform.machine(),
        "command": " ".join(["python", "bench/run.py", *(argv or sys.argv[1:])]),
    }}
    results["errors"] = {}

    def part(name: str, func: Any) -> None:
        try:
            func()
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            log(f"{name} failed: {exc}")
            results["errors"][name] = str(exc)
            args.keep = True

    def search() -> None:
        log(f"search: archive of {args.search_articles:,} articles")
        db = searchbench.build_db(args.search_articles, progress=log)
        rounds, cli_rounds = (20, 5) if args.quick else (50, 15)
        log(f"search: {rounds} runs per query (sqlite-utils {cli_rounds})")
        results["search"] = {"articles": args.search_articles, "rounds": rounds,
                             "cli_rounds": cli_rounds, "db": str(db),
                             **searchbench.measure(db, rounds, cli_rounds)}

    try:
        if not args.skip_crawl:
            part("1. Crawl", lambda: run_crawls(args, workdir, results))
        if not args.skip_search:
            part("3. Search", search)
        if args.scale and not args.skip_scale:
            part("4. Scale", lambda: run_scale(args, workdir, results))
        else:
            results["scale_skipped"] = ("--quick: no second crawl size (pass --scale A,B)"
                                        if args.quick else "--skip-scale")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"kept the work folder {workdir}")
    results["seconds"] = time.monotonic() - started
    rows = build_rows(results)
    table = render(rows, _title(results))
    print(table)
    results["table"] = table
    results["rows"] = [r.__dict__ for r in rows]
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str),
                             encoding="utf-8")
        log(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
