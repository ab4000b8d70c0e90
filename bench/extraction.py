"""Benchmark govarc's extractor against the labelled corpus, next to other extractors.

Usage: python bench/extraction.py [CORPUS_DIR] [--json] [--repeat N] [--only govarc]

Body score: all whitespace removed, expected and extracted text cut into character
4-grams (multisets); true/false positives and misses summed over pages give micro
precision/recall/F1; mean per-page F1 and the pages under 0.9 are also shown.
Metadata: exact-match rates for title (or a title alias), published_at (at the
precision of the expected value), source and author; must_contain / must_not_contain.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from archive.extract import decode_html, extract  # noqa: E402
from archive.extract.html_text import render_lines  # noqa: E402

_WS = re.compile(r"\s+")


def grams(text: str) -> Counter[str]:
    s = _WS.sub("", text or "")
    return Counter(s[i:i + 4] for i in range(max(0, len(s) - 3)))


def body_counts(expected: str, got: str) -> tuple[int, int, int]:
    """(true positives, false positives, misses) over character 4-gram multisets."""
    e, g = grams(expected), grams(got)
    tp = sum((e & g).values())
    return tp, sum(g.values()) - tp, sum(e.values()) - tp


def f1(tp: int, fp: int, fn: int) -> float:
    if tp == 0:
        return 1.0 if fp == 0 and fn == 0 else 0.0
    p, r = tp / (tp + fp), tp / (tp + fn)
    return 2 * p * r / (p + r)


def date_match(expected: str | None, got: str | None) -> bool:
    if expected is None or got is None:
        return expected == got
    return got[: len(expected)] == expected if len(expected) == 10 else got == expected


# --- extractors: each returns a dict with text and whatever metadata it offers ----------

def run_govarc(raw: bytes, url: str | None) -> dict:
    return extract(raw).to_dict()  # as `govarc extract FILE --json` runs: no URL, no header


def run_readability(raw: bytes, url: str | None) -> dict:
    import lxml.html
    from readability import Document

    html, _ = decode_html(raw, None)
    doc = Document(html)
    summary = doc.summary(html_partial=True)
    text = "\n".join(render_lines(lxml.html.fragment_fromstring(summary, create_parent="div"))[0])
    return {"text": text, "title": doc.short_title()}


def run_trafilatura(raw: bytes, url: str | None) -> dict:
    import trafilatura

    html, _ = decode_html(raw, None)
    res = trafilatura.bare_extraction(html, url=url, include_tables=True, with_metadata=True)
    if res is None:
        return {"text": ""}
    data = res if isinstance(res, dict) else res.as_dict()
    return {"text": data.get("text") or "", "title": data.get("title"),
            "published_at": data.get("date"), "author": data.get("author") or None}


def run_gne(raw: bytes, url: str | None) -> dict:
    from gne import GeneralNewsExtractor

    html, _ = decode_html(raw, None)
    res = GeneralNewsExtractor().extract(html)
    return {"text": res.get("content", ""), "title": res.get("title"),
            "published_at": res.get("publish_time"), "author": res.get("author") or None}


EXTRACTORS: dict[str, Callable[[bytes, str | None], dict]] = {
    "govarc": run_govarc,
    "readability": run_readability,
    "trafilatura": run_trafilatura,
    "gne": run_gne,
}


def available(names: list[str]) -> list[str]:
    out = []
    for name in names:
        mod = {"trafilatura": "trafilatura", "gne": "gne"}.get(name)
        if mod:
            try:
                __import__(mod)
            except ImportError:
                continue
        out.append(name)
    return out


def load_pages(corpus: Path) -> list[tuple[str, bytes, dict]]:
    pages = []
    for path in sorted((corpus / "pages").glob("*.html")):
        exp_path = corpus / "expected" / f"{path.stem}.json"
        if exp_path.exists():
            pages.append((path.stem, path.read_bytes(), json.loads(exp_path.read_text("utf-8"))))
    return pages


def score(name: str, fn: Callable, pages: list, repeat: int) -> dict:
    """Run one extractor over the pages; aggregate body and metadata scores."""
    totals = [0, 0, 0]
    per_page = []
    ms = 0.0
    meta_hits = Counter()
    offered: set[str] = set()
    kind_hits = 0
    n_articles = 0
    for stem, raw, exp in pages:
        best = float("inf")
        try:
            for _ in range(repeat):
                t0 = time.perf_counter()
                got = fn(raw, exp.get("url"))
                best = min(best, time.perf_counter() - t0)
            error = None
        except Exception as exc:  # a failing extractor scores zero on that page
            got, error = {"text": ""}, f"{type(exc).__name__}: {exc}"
        ms += (best if best != float("inf") else 0.0) * 1000
        offered.update(got)
        if "kind" in got:
            kind_hits += got["kind"] == exp["kind"]
        if exp["kind"] != "article":
            continue
        n_articles += 1
        text = got.get("text") or ""
        tp, fp, fn_ = body_counts(exp["text"], text)
        for i, v in enumerate((tp, fp, fn_)):
            totals[i] += v
        titles = {exp.get("title")} | set(exp.get("title_aliases", []))
        checks = {
            "title": got.get("title") in titles,
            "published_at": date_match(exp.get("published_at"), got.get("published_at")),
            "source": got.get("source") == exp.get("source"),
            "author": got.get("author") == exp.get("author"),
            "must_contain": all(s in text for s in exp.get("must_contain", [])),
            "must_not_contain": not any(s in text for s in exp.get("must_not_contain", [])),
        }
        meta_hits.update(k for k, v in checks.items() if v)
        per_page.append({
            "page": stem, "f1": round(f1(tp, fp, fn_), 4), "tp": tp, "fp": fp, "fn": fn_,
            **{k: v for k, v in checks.items()},
            "got": {k: got.get(k) for k in ("title", "published_at", "source", "author")},
            "missing": [s for s in exp.get("must_contain", []) if s not in text],
            "leaked": [s for s in exp.get("must_not_contain", []) if s in text],
            "error": error,
        })
    tp, fp, fn_ = totals
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn_) if tp + fn_ else 0.0
    n = max(n_articles, 1)
    return {
        "name": name, "precision": p, "recall": r, "f1": f1(tp, fp, fn_),
        "mean_f1": sum(x["f1"] for x in per_page) / n,
        "under_0_9": sum(1 for x in per_page if x["f1"] < 0.9),
        **{k: meta_hits[k] / n for k in ("title", "published_at", "source", "author",
                                          "must_contain", "must_not_contain")},
        "kind": kind_hits / len(pages) if "kind" in offered else None,
        "offered": offered,
        "ms_per_page": ms / len(pages), "articles": n_articles, "pages": per_page,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--json", action="store_true", help="print govarc's per-page scores as JSON")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page for timing")
    ap.add_argument("--only", action="append", help="extractor(s) to run")
    args = ap.parse_args(argv)
    pages = load_pages(Path(args.corpus))
    if not pages:
        print(f"no pages in {args.corpus}", file=sys.stderr)
        return 2
    names = available(args.only or list(EXTRACTORS))
    results = [score(n, EXTRACTORS[n], pages, args.repeat) for n in names]
    if args.json:
        print(json.dumps(results[0]["pages"], ensure_ascii=False, indent=2))
        return 0
    n_art = results[0]["articles"]
    print(f"corpus: {args.corpus}  ({len(pages)} pages, {n_art} articles)")
    cols = ("P", "R", "F1", "meanF1", "<0.9", "title", "date", "source", "author",
            "must", "mustnot", "kind", "ms/page")
    print(f"{'extractor':<12}" + "".join(f"{c:>8}" for c in cols))
    for r in results:
        vals = [r["precision"], r["recall"], r["f1"], r["mean_f1"]]
        row = "".join(f"{v:8.3f}" for v in vals) + f"{r['under_0_9']:8d}"
        for k in ("title", "published_at", "source", "author", "must_contain",
                  "must_not_contain"):
            shown = k in r["offered"] or k in ("must_contain", "must_not_contain")
            row += f"{r[k]:8.2f}" if shown else f"{'-':>8}"
        row += f"{r['kind']:8.2f}" if r["kind"] is not None else f"{'-':>8}"
        row += f"{r['ms_per_page']:8.1f}"
        print(f"{r['name']:<12}{row}")
    worst = sorted(results[0]["pages"], key=lambda x: x["f1"])[:5]
    print("govarc worst pages: " + ", ".join(f"{x['page']} {x['f1']:.3f}" for x in worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
