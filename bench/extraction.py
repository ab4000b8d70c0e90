"""Benchmark govarc's extractor against the labelled corpus, next to other extractors.

Usage: python bench/extraction.py [CORPUS_DIR ...] [--json] [--repeat N] [--only govarc]

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


_CHECKS = ("title", "published_at", "source", "author", "must_contain", "must_not_contain")


def run_page(fn: Callable, raw: bytes, exp: dict, repeat: int) -> dict:
    """One extractor on one page: its time, kind check and, for articles, body and metadata."""
    best = float("inf")
    try:
        for _ in range(repeat):
            t0 = time.perf_counter()
            got = fn(raw, exp.get("url"))
            best = min(best, time.perf_counter() - t0)
        error = None
    except Exception as exc:  # a failing extractor scores zero on that page
        got, error = {"text": ""}, f"{type(exc).__name__}: {exc}"
    rec: dict = {"ms": (best if best != float("inf") else 0.0) * 1000, "offered": set(got),
                 "kind_ok": got["kind"] == exp["kind"] if "kind" in got else None,
                 "article": exp["kind"] == "article", "error": error}
    if not rec["article"]:
        return rec
    text = got.get("text") or ""
    tp, fp, fn_ = body_counts(exp["text"], text)
    titles = {exp.get("title")} | set(exp.get("title_aliases", []))
    checks = {
        "title": got.get("title") in titles,
        "published_at": date_match(exp.get("published_at"), got.get("published_at")),
        "source": got.get("source") == exp.get("source"),
        "author": got.get("author") == exp.get("author"),
        "must_contain": all(s in text for s in exp.get("must_contain", [])),
        "must_not_contain": not any(s in text for s in exp.get("must_not_contain", [])),
    }
    rec.update({
        "f1": round(f1(tp, fp, fn_), 4), "tp": tp, "fp": fp, "fn": fn_, **checks,
        "got": {k: got.get(k) for k in ("title", "published_at", "source", "author")},
        "missing": [s for s in exp.get("must_contain", []) if s not in text],
        "leaked": [s for s in exp.get("must_not_contain", []) if s in text],
    })
    return rec


def aggregate(name: str, records: list[dict]) -> dict:
    """Micro-averaged body scores, metadata rates, kind accuracy and speed over page records."""
    arts = [r for r in records if r["article"]]
    tp, fp, fn_ = (sum(r[k] for r in arts) for k in ("tp", "fp", "fn"))
    n = max(len(arts), 1)
    offered = set().union(*(r["offered"] for r in records)) if records else set()
    kinds = [r["kind_ok"] for r in records if r["kind_ok"] is not None]
    return {
        "name": name, "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn_) if tp + fn_ else 0.0, "f1": f1(tp, fp, fn_),
        "mean_f1": sum(r["f1"] for r in arts) / n,
        "under_0_9": sum(1 for r in arts if r["f1"] < 0.9),
        **{k: sum(1 for r in arts if r[k]) / n for k in _CHECKS},
        "kind": sum(kinds) / len(records) if "kind" in offered else None,
        "offered": offered,
        "ms_per_page": sum(r["ms"] for r in records) / max(len(records), 1),
        "articles": len(arts),
        "pages": [{k: v for k, v in r.items() if k not in ("ms", "offered", "kind_ok", "article")}
                  for r in arts],
        "records": records,
    }


def score(name: str, fn: Callable, pages: list, repeat: int) -> dict:
    """Run one extractor over the pages; aggregate body and metadata scores."""
    records = []
    for stem, raw, exp in pages:
        rec = run_page(fn, raw, exp, repeat)
        rec["page"] = stem
        records.append(rec)
    return aggregate(name, records)


def print_table(label: str, n_pages: int, results: list[dict]) -> None:
    """One table: a row per extractor, then govarc's worst pages."""
    print(f"corpus: {label}  ({n_pages} pages, {results[0]['articles']} articles)")
    cols = ("P", "R", "F1", "meanF1", "<0.9", "title", "date", "source", "author",
            "must", "mustnot", "kind", "ms/page")
    print(f"{'extractor':<12}" + "".join(f"{c:>8}" for c in cols))
    for r in results:
        vals = [r["precision"], r["recall"], r["f1"], r["mean_f1"]]
        row = "".join(f"{v:8.3f}" for v in vals) + f"{r['under_0_9']:8d}"
        for k in _CHECKS:
            shown = k in r["offered"] or k in ("must_contain", "must_not_contain")
            row += f"{r[k]:8.2f}" if shown else f"{'-':>8}"
        row += f"{r['kind']:8.2f}" if r["kind"] is not None else f"{'-':>8}"
        row += f"{r['ms_per_page']:8.1f}"
        print(f"{r['name']:<12}{row}")
    worst = sorted(results[0]["pages"], key=lambda x: x["f1"])[:5]
    print("govarc worst pages: " + ", ".join(f"{x['page']} {x['f1']:.3f}" for x in worst))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="*", default=[str(REPO.parent / "shared" / "corpus")],
                    help="corpus directories (a table each, plus a combined one)")
    ap.add_argument("--json", action="store_true", help="print govarc's per-page scores as JSON")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page for timing")
    ap.add_argument("--only", action="append", help="extractor(s) to run")
    ap.add_argument("--templates", default=str(REPO.parent / "shared" / "corpus" / "templates"),
                    help="the judged templates (kind, title, date, body length), reported "
                         "as tuned and held-out groups by bench/templates.py; '' to skip")
    args = ap.parse_args(argv)
    corpora = [(c, load_pages(Path(c))) for c in args.corpus]
    for c, pages in corpora:
        if not pages:
            print(f"no pages in {c}", file=sys.stderr)
            return 2
    names = available(args.only or list(EXTRACTORS))
    tables = []
    for c, pages in corpora:
        tables.append((c, len(pages), [score(n, EXTRACTORS[n], pages, args.repeat)
                                       for n in names]))
    if len(tables) > 1:
        combined = [aggregate(n, [rec for _, _, res in tables for rec in res[i]["records"]])
                    for i, n in enumerate(names)]
        tables.append(("combined", sum(t[1] for t in tables), combined))
    if args.json:
        print(json.dumps(tables[-1][2][0]["pages"], ensure_ascii=False, indent=2))
        return 0
    for i, (label, n_pages, results) in enumerate(tables):
        if i:
            print()
        print_table(label, n_pages, results)
    if args.templates and Path(args.templates).is_dir():
        import templates  # bench/templates.py: kept-out pages reported apart

        print()
        return templates.main([args.templates, "--repeat", str(args.repeat)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
