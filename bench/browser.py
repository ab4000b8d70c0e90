"""What the browser costs: the same pages fetched plainly and through Chromium, in one run.

Usage: python bench/browser.py [--repeat N] [--json FILE]

sample-hg is served on loopback twice: with its walls off, its 海关要闻 and 通知公告
sections (20 articles, 3 list pages) are crawled by plain fetches (`browser = "off"`) and
by whole browser fetches (`browser = "full"`): the same pages, so the ratio is the
browser's cost. Then, walls on, the crawl as the registry has it (`auto`: a challenge
retried in the browser, its cookies handed on, 通知公告 switched to the browser, 数据发布
through it): what a real walled portal costs. Each crawl is the real CLI in a subprocess,
measured by bench/procmeter.py over its whole process tree (Chromium and Playwright's
driver included): pages/s (article and list pages archived per second of wall time), CPU
seconds per page, peak RSS and peak PSS of the tree (PSS counts a shared page once; RSS
summed over Chromium's processes counts its shared libraries in each). Medians of
--repeat runs, with the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import procmeter  # noqa: E402

from crawler.sample_portal.portals import HG  # noqa: E402
from crawler.sample_portal.registry import registry_toml  # noqa: E402
from crawler.sample_portal.server import SamplePortalServer  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def registry(base: str, mode: str, sections: tuple[str, ...] | None) -> str:
    """The registry text of sample-hg with `browser = mode` and only `sections`."""
    spec = HG
    if sections is not None:
        import dataclasses

        spec = dataclasses.replace(HG, sections=[s for s in HG.sections if s.id in sections])
    text = registry_toml({HG.id: base}, [spec])
    return text.replace('cms = "generic"\n', f'cms = "generic"\nbrowser = "{mode}"\n', 1)


def crawl(base: str, mode: str, sections: tuple[str, ...] | None, work: Path) -> dict[str, Any]:
    work.mkdir(parents=True)
    (work / "portals.toml").write_text(registry(base, mode, sections), encoding="utf-8")
    db = work / "archive.db"
    args = [sys.executable, "-m", "crawler.cli", "crawl", "--portal-file",
            str(work / "portals.toml"), "--db", str(db), "--warc-dir", str(work / "warc"),
            *FAST]
    env = {**os.environ, "GOVARC_ALLOWED_NETWORKS": "127.0.0.0/8", "PYTHONWARNINGS": "ignore"}
    measured = procmeter.run(args, cwd=work, env=env, pss=True)
    import sqlite3

    con = sqlite3.connect(db)
    try:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        lists = con.execute("SELECT count(DISTINCT url) FROM captures WHERE status = 200 AND "
                            "url NOT IN (SELECT url FROM articles) AND url LIKE '%index%'"
                            ).fetchone()[0]
        captures = con.execute("SELECT count(*) FROM captures").fetchone()[0]
    finally:
        con.close()
    pages = articles + lists
    return {"mode": mode, "returncode": measured.returncode, "articles": articles,
            "pages": pages, "captures": captures, "seconds": measured.seconds,
            "pages_per_s": pages / measured.seconds if measured.seconds else 0.0,
            "cpu_ms_per_page": 1000 * measured.cpu_seconds / max(1, pages),
            "peak_tree_rss_mb": measured.peak_tree_rss_mb,
            "peak_tree_pss_mb": measured.peak_tree_pss_mb,
            "max_processes": measured.max_processes}


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": runs}
    for key in ("pages_per_s", "cpu_ms_per_page", "peak_tree_rss_mb", "peak_tree_pss_mb",
                "seconds"):
        values = [r[key] for r in runs]
        out[key] = statistics.median(values)
        out[key + "_range"] = (min(values), max(values))
    out["pages"] = runs[0]["pages"]
    out["articles"] = runs[0]["articles"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    results: dict[str, Any] = {}
    same = ("hgyw", "tzgg")
    with tempfile.TemporaryDirectory(prefix="govarc-bench-browser-") as tmp:
        root = Path(tmp)
        with SamplePortalServer(portals=[HG.id], walls=False) as open_site:
            base = open_site.base_urls[HG.id]
            for name, mode in (("plain", "off"), ("browser", "full")):
                runs = []
                for i in range(args.repeat):
                    runs.append(crawl(base, mode, same, root / f"{name}{i}"))
                    print(f"{name} run {i + 1}: {runs[-1]['pages']} pages, "
                          f"{runs[-1]['seconds']:.1f} s", file=sys.stderr)
                results[name] = summary(runs)
        with SamplePortalServer(portals=[HG.id]) as walled:
            base = walled.base_urls[HG.id]
            runs = []
            for i in range(args.repeat):
                runs.append(crawl(base, "auto", None, root / f"walled{i}"))
                print(f"walled run {i + 1}: {runs[-1]['pages']} pages, "
                      f"{runs[-1]['seconds']:.1f} s", file=sys.stderr)
            results["walled"] = summary(runs)
    plain, browser = results["plain"], results["browser"]
    print(f"sample-hg, {plain['pages']} pages (海关要闻, 通知公告; walls off), "
          f"median of {args.repeat}:")
    header = (f"{'fetch':<28}{'pages':>6}{'pages/s':>9}{'CPU ms/page':>13}{'peak RSS MB':>13}"
              f"{'peak PSS MB':>13}")
    print(header)
    labels = {"plain": "plain (browser = off)", "browser": "browser (browser = full)",
              "walled": "walls on, auto (3 sections)"}
    for key in ("plain", "browser", "walled"):
        r = results[key]
        low, high = r["pages_per_s_range"]
        print(f"{labels[key]:<28}{r['pages']:>6}{r['pages_per_s']:>9.1f}"
              f"{r['cpu_ms_per_page']:>13.1f}{r['peak_tree_rss_mb']:>13.0f}"
              f"{r['peak_tree_pss_mb']:>13.0f}"
              f"   (pages/s {low:.1f}–{high:.1f})")
    print(f"browser / plain: {browser['pages_per_s'] / plain['pages_per_s']:.2f}× pages/s, "
          f"{browser['cpu_ms_per_page'] / plain['cpu_ms_per_page']:.1f}× CPU per page, "
          f"{browser['peak_tree_pss_mb'] / plain['peak_tree_pss_mb']:.1f}× peak PSS "
          "(RSS summed over the tree counts Chromium's shared pages once per process)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
