"""Body scores on Chinese pages kept out of all tuning (issue 16): news, then government.

Usage: python bench/news.py [CORPUS ...] [--json] [--verbose] [--repeat N] [--only NAME]

CORPUS defaults to ../shared/news (general news) and ../shared/news/gov (government
pages), one table each; a missing or empty one is skipped with a note. Each holds
pages/NAME.html and expected/NAME.json with "text" (see its README.md for provenance).
Bodies are scored exactly as bench/extraction.py scores them: whitespace removed,
character 4-grams compared as multisets; per page precision, recall and F1, then micro
P/R/F1 over all pages, mean per-page F1, the pages under 0.9 and the pages with no text,
for govarc, readability-lxml, trafilatura and GNE (the last two when importable). Pages
whose expected JSON has "date_shown" (YYYY-MM-DD, a date the page visibly shows) also
score the date: the share whose published_at falls on that day, for the extractors that
return a date (govarc, trafilatura, GNE; readability gives none: "-"). Time per page is
the best of --repeat runs. govarc's page kind and method (rules / fallback / none) come
from the same extract() call that is scored.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from extraction import (  # noqa: E402  (puts the repository on sys.path)
    EXTRACTORS,
    REPO,
    available,
    body_counts,
    f1,
    load_pages,
    run_govarc,
    run_readability,
)

DEFAULT_CORPUS = REPO.parent / "shared" / "news"
DEFAULT_CORPORA = (DEFAULT_CORPUS, DEFAULT_CORPUS / "gov")
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
Runner = Callable[[bytes, str | None], dict]


def runners(only: list[str] | None) -> dict[str, Runner]:
    """govarc and readability-lxml first (the issue compares those two), then the rest."""
    first: dict[str, Runner] = {"govarc": run_govarc, "readability": run_readability}
    names = available(only or [*first, *(n for n in EXTRACTORS if n not in first)])
    return {n: first.get(n, EXTRACTORS[n]) for n in names}




def day(value: Any) -> str | None:
    """The first year-month-day in a date value ('2024-05-20T03:15+08:00', '2024年5月20日')."""
    m = _DAY.search(str(value)) if value else None
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def run_one(fn: Runner, raw: bytes, exp: dict[str, Any], repeat: int) -> dict[str, Any]:
    """One extractor on one page: body P/R/F1, date, best time, what it said of the page."""
    best, got, error = float("inf"), {"text": ""}, None
    try:
        for _ in range(max(1, repeat)):
            t0 = time.perf_counter()
            got = fn(raw, exp.get("url"))
            best = min(best, time.perf_counter() - t0)
    except Exception as exc:  # a failing extractor gives no text on that page
        got, error = {"text": ""}, f"{type(exc).__name__}: {exc}"
    text = got.get("text") or ""
    tp, fp, fn_ = body_counts(exp["text"], text)
    shown, got_day = exp.get("date_shown"), day(got.get("published_at"))
    return {
        "tp": tp, "fp": fp, "fn": fn_,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn_) if tp + fn_ else 0.0,
        "f1": f1(tp, fp, fn_),
        "chars": len("".join(text.split())),
        "empty": not text.strip(),
        "ms": 0.0 if best == float("inf") else best * 1000,
        "kind": got.get("kind"), "method": got.get("method"), "error": error,
        "dates": "published_at" in got, "day": got_day, "date_shown": shown,
        "date_ok": shown is not None and got_day == shown,
    }


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    tp, fp, fn_ = (sum(r[k] for r in records) for k in ("tp", "fp", "fn"))
    n = max(len(records), 1)
    dated = [r for r in records if r["date_shown"]]
    offers = any(r["dates"] for r in records)
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn_) if tp + fn_ else 0.0,
        "f1": f1(tp, fp, fn_),
        "mean_f1": sum(r["f1"] for r in records) / n,
        "under_0_9": sum(1 for r in records if r["f1"] < 0.9),
        "empty": sum(1 for r in records if r["empty"]),
        "ms_per_page": sum(r["ms"] for r in records) / n,
        "date_pages": len(dated),
        "date_ok": sum(r["date_ok"] for r in dated) if offers else None,
    }


def bench(pages: list[tuple[str, bytes, dict[str, Any]]], fns: dict[str, Runner],
          repeat: int) -> dict[str, Any]:
    rows = []
    for stem, raw, exp in pages:
        row: dict[str, Any] = {"page": stem, "url": exp.get("url"),
                               "expected_chars": len("".join(exp["text"].split()))}
        row.update({name: run_one(fn, raw, exp, repeat) for name, fn in fns.items()})
        rows.append(row)
    summary = {name: summarise([r[name] for r in rows]) for name in fns}
    out: dict[str, Any] = {"pages": len(rows), "summary": summary, "rows": rows}
    if "govarc" in fns:
        gov = [r["govarc"] for r in rows]
        out["govarc_kinds"] = _count(r["kind"] or "error" for r in gov)
        out["govarc_methods"] = _count(r["method"] or "error" for r in gov)
        out["govarc_no_text"] = sum(1 for r in gov if r["empty"])
    if {"govarc", "readability"} <= set(fns):
        out["govarc_below_readability"] = [
            r["page"] for r in rows if r["govarc"]["f1"] < r["readability"]["f1"] - 1e-9]
    return out


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return dict(sorted(counts.items()))


def print_report(corpus: Path, result: dict[str, Any], names: list[str], verbose: bool) -> None:
    hosts = {urlsplit(r["url"]).hostname for r in result["rows"] if r["url"]}
    n_dated = result["summary"][names[0]]["date_pages"] if names else 0
    print(f"corpus: {corpus}  ({result['pages']} pages, {len(hosts)} hosts, "
          f"{n_dated} with date_shown)")
    cols = ("P", "R", "F1", "meanF1", "<0.9", "empty", "ms/page", "date")
    print(f"{'extractor':<12}" + "".join(f"{c:>9}" for c in cols))
    for name in names:
        s = result["summary"][name]
        ok = s["date_ok"]
        date = "-" if ok is None or not s["date_pages"] else f"{ok}/{s['date_pages']}"
        print(f"{name:<12}" + "".join(f"{s[k]:9.3f}" for k in
                                      ("precision", "recall", "f1", "mean_f1"))
              + f"{s['under_0_9']:9d}{s['empty']:9d}{s['ms_per_page']:9.1f}{date:>9}")
    if "govarc_kinds" in result:
        kinds = ", ".join(f"{k} {v}" for k, v in result["govarc_kinds"].items())
        methods = ", ".join(f"{k} {v}" for k, v in result["govarc_methods"].items())
        print(f"govarc kinds: {kinds}; methods: {methods}; "
              f"no text on {result['govarc_no_text']} page(s)")
    if "govarc_below_readability" in result:
        below = result["govarc_below_readability"]
        print(f"govarc below readability on {len(below)} page(s): {', '.join(below) or '-'}")
    if not verbose:
        return
    print()
    head = f"{'page':<30}{'exp':>6}" + "".join(f"{n[:8]:>9}" for n in names)
    print(head + f"{'gP':>7}{'gR':>7}{'gchars':>8}  kind/method")
    for r in result["rows"]:
        line = f"{r['page'][:29]:<30}{r['expected_chars']:6d}"
        line += "".join(f"{r[n]['f1']:9.3f}" for n in names)
        if "govarc" in r:
            g = r["govarc"]
            mark = " <" if r.get("readability", g)["f1"] > g["f1"] + 1e-9 else ""
            line += f"{g['precision']:7.3f}{g['recall']:7.3f}{g['chars']:8d}"
            line += f"  {g['kind']}/{g['method']}{mark}"
            if g["date_shown"]:
                line += "  date ok" if g["date_ok"] else f"  date {g['day']} != {g['date_shown']}"
            if g["error"]:
                line += f"  [{g['error'][:60]}]"
        print(line)
    print("(F1 per extractor; gP/gR/gchars: govarc's precision, recall and body length "
          "without whitespace; '<': readability scores higher; date: govarc's day against "
          "date_shown)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(c) for c in DEFAULT_CORPORA],
                    help="directories with pages/*.html and expected/*.json "
                         "(default: ../shared/news and ../shared/news/gov)")
    ap.add_argument("--json", action="store_true", help="print every score as JSON")
    ap.add_argument("--verbose", action="store_true", help="a row per page")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page for timing (best)")
    ap.add_argument("--only", action="append", help="extractor(s) to run")
    args = ap.parse_args(argv)
    fns = runners(args.only)
    results: dict[str, Any] = {}
    for corpus in map(Path, args.corpus):
        pages = load_pages(corpus) if corpus.is_dir() else []
        if not pages:
            print(f"corpus missing or empty, skipped: {corpus} (expected pages/NAME.html "
                  f"with expected/NAME.json; see {DEFAULT_CORPUS / 'README.md'})",
                  file=sys.stderr if args.json else sys.stdout)
            continue
        results[str(corpus)] = bench(pages, fns, args.repeat)
        if not args.json:
            if len(results) > 1:
                print()
            print_report(corpus, results[str(corpus)], list(fns), args.verbose)
    if args.json and results:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0 if results else 2


if __name__ == "__main__":
    sys.exit(main())
