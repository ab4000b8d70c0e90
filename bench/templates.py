"""Benchmark govarc's extractor on the judged page templates, next to readability-lxml.

Usage: python bench/templates.py [CORPUS] [--json] [--only-held-out] [--verbose] [--repeat N]

CORPUS defaults to ../shared/corpus/templates (pages/NAME.html, expected/NAME.json).
Per page and for the groups tuned / held-out / all: page kind, title (exact after
whitespace normalisation, or containing the label), date (the day of published_at
against the day in date_shown; labels without a date counted apart), body length
without whitespace within ±5% / ±15% of approx_body_chars (govarc, readability-lxml and
trafilatura / GNE when importable), and time per page (best of --repeat runs).
A page is held out when sha1(NAME) % 3 == 0, fixed before any result is seen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import extraction  # noqa: E402  (puts the repository on sys.path)
from extraction import available, decode_html, load_pages, run_govarc  # noqa: E402

DEFAULT_CORPUS = BENCH.parents[1] / "shared" / "corpus" / "templates"
_WS = re.compile(r"\s+")
_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
_NOTE = re.compile(r"\s+\([^()]*\)$")  # a judge's note after a label: "领导介绍 (section page)"
GROUPS = ("tuned", "held-out", "all")


def held_out(name: str) -> bool:
    """The held-out split: about a third of the pages, by name alone."""
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0


def squeeze(text: str | None) -> str:
    """Whitespace runs to one space, ends stripped."""
    return _WS.sub(" ", text or "").strip()


def day_of(text: str | None) -> str | None:
    """The first YYYY-MM-DD / YYYY年M月D日 / YYYY/MM/DD date in text, as YYYY-MM-DD."""
    m = _DATE.search(text or "")
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def label_day(date_shown: str) -> str | None:
    """The labelled day, or None where the label says the page shows none."""
    return None if date_shown.strip().lower().startswith("none") else day_of(date_shown)


def chars(text: str | None) -> int:
    return len(_WS.sub("", text or ""))


# --- extractors: bytes in, a dict with at least "text" out --------------------------------

def run_readability(raw: bytes, url: str | None) -> dict[str, Any]:
    """readability-lxml's summary as plain text (lxml text_content), decoded as govarc does."""
    import lxml.html
    from readability import Document

    html, _ = decode_html(raw, None)
    summary = Document(html).summary()
    return {"text": lxml.html.fromstring(summary).text_content() if summary.strip() else ""}


BASELINES: dict[str, Callable[[bytes, str | None], dict[str, Any]]] = {
    "readability": run_readability,
    "trafilatura": extraction.run_trafilatura,
    "gne": extraction.run_gne,
}


def timed(fn: Callable[[bytes, str | None], dict[str, Any]], raw: bytes, url: str | None,
          repeat: int) -> tuple[dict[str, Any], float, str | None]:
    """(result, best time in ms, error): a failing extractor yields empty text."""
    best = float("inf")
    try:
        for _ in range(max(repeat, 1)):
            t0 = time.perf_counter()
            got = fn(raw, url)
            best = min(best, time.perf_counter() - t0)
    except Exception as exc:  # e.g. ExtractionError on a page without text
        return {"text": "", "kind": "other"}, 0.0, f"{type(exc).__name__}: {exc}"
    return got, best * 1000, None


# --- scoring ------------------------------------------------------------------------------

def length_check(got: int, approx: int) -> dict[str, Any]:
    dev = got - approx
    return {"chars": got, "dev_pct": round(100 * dev / approx, 1) if approx else None,
            "within_5": abs(dev) <= 0.05 * approx, "within_15": abs(dev) <= 0.15 * approx}


def title_check(label: str, got: str | None) -> str:
    """'exact', 'contains' (label inside a longer title), 'none' or 'wrong'."""
    want, have = squeeze(_NOTE.sub("", label)), squeeze(got)
    if not have:
        return "none"
    if have == want:
        return "exact"
    return "contains" if _WS.sub("", want) in _WS.sub("", have) else "wrong"


def date_check(label: str | None, got: str | None) -> str:
    """'ok' / 'wrong' / 'missing' for dated labels; 'none-ok' / 'none-gave' for undated."""
    if label is None:
        return "none-ok" if got is None else "none-gave"
    if got is None:
        return "missing"
    return "ok" if got == label else "wrong"


def score_page(name: str, raw: bytes, exp: dict[str, Any], baselines: list[str],
               repeat: int) -> dict[str, Any]:
    """Run govarc and the baselines on one page and compare with its label."""
    got, ms, error = timed(run_govarc, raw, exp.get("url"), repeat)
    approx = int(exp.get("approx_body_chars") or 0)
    want_day, got_day = label_day(exp.get("date_shown") or ""), day_of(got.get("published_at"))
    text = squeeze(got.get("text"))
    rec: dict[str, Any] = {
        "page": name, "held_out": held_out(name), "error": error,
        "kind": {"label": exp["kind"], "got": got.get("kind"),
                 "ok": got.get("kind") == exp["kind"]},
        "title": {"label": exp["title"], "got": got.get("title"),
                  "match": title_check(exp["title"], got.get("title"))},
        "date": {"label": want_day, "shown": exp.get("date_shown"),
                 "got": got.get("published_at"), "match": date_check(want_day, got_day)},
        "approx_body_chars": approx,
        "body": {"govarc": length_check(chars(text), approx)},
        "head": text[:20], "tail": text[-20:],
        "ms": {"govarc": round(ms, 2)},
    }
    for base in baselines:
        b_got, b_ms, b_err = timed(BASELINES[base], raw, exp.get("url"), repeat)
        rec["body"][base] = {**length_check(chars(b_got.get("text")), approx), "error": b_err}
        rec["ms"][base] = round(b_ms, 2)
    return rec


def summarise(records: list[dict[str, Any]], extractors: list[str]) -> dict[str, Any]:
    """Counts over a group of page records."""
    dated = [r for r in records if r["date"]["label"] is not None]
    undated = [r for r in records if r["date"]["label"] is None]
    titles = [r["title"]["match"] for r in records]
    out: dict[str, Any] = {
        "pages": len(records),
        "kind": sum(r["kind"]["ok"] for r in records),
        "title_exact": titles.count("exact"), "title_contains": titles.count("contains"),
        "dated": len(dated), "date_ok": sum(r["date"]["match"] == "ok" for r in dated),
        "undated": len(undated),
        "undated_none": sum(r["date"]["match"] == "none-ok" for r in undated),
    }
    for ex in extractors:
        out[f"{ex}_5"] = sum(r["body"][ex]["within_5"] for r in records)
        out[f"{ex}_15"] = sum(r["body"][ex]["within_15"] for r in records)
        out[f"{ex}_ms"] = sum(r["ms"][ex] for r in records) / max(len(records), 1)
    return out


# --- output -------------------------------------------------------------------------------

_TITLE_MARK = {"exact": "=", "contains": "⊃", "none": "-", "wrong": "x"}
_DATE_MARK = {"ok": "ok", "wrong": "WRONG", "missing": "MISS", "none-ok": "n/a",
              "none-gave": "GAVE"}


def _pct(ok: bool, dev: float | None) -> str:
    mark = "" if ok else "!"
    return f"{mark}{round(dev):+d}%" if dev is not None else f"{mark}n/a"


def print_pages(records: list[dict[str, Any]], baselines: list[str], verbose: bool) -> None:
    """One row per page (H = held out); with --verbose the title, date and body ends."""
    head = (f"{'page':<31}{'H':>2}{'kind':>9}{'tit':>4}{'date':>6}{'≈body':>7}"
            f"{'govarc':>7}{'dev':>7}")
    head += "".join(f"{b[:10]:>11}{'dev':>7}" for b in baselines)
    head += f"{'ms':>8}" + "".join(f"{b[:6] + ' ms':>10}" for b in baselines) + f"{'ratio':>7}"
    print(head)
    for r in records:
        g = r["body"]["govarc"]
        kind = r["kind"]["got"] if r["kind"]["ok"] else f"!{r['kind']['got']}"
        row = (f"{r['page']:<31}{'H' if r['held_out'] else '':>2}{kind:>9}"
               f"{_TITLE_MARK[r['title']['match']]:>4}{_DATE_MARK[r['date']['match']]:>6}"
               f"{r['approx_body_chars']:>7}{g['chars']:>7}{_pct(g['within_5'], g['dev_pct']):>7}")
        for b in baselines:
            x = r["body"][b]
            row += f"{x['chars']:>11}{_pct(x['within_5'], x['dev_pct']):>7}"
        row += f"{r['ms']['govarc']:>8.1f}" + "".join(f"{r['ms'][b]:>10.1f}" for b in baselines)
        ref = r["ms"].get(baselines[0]) if baselines else None
        row += f"{r['ms']['govarc'] / ref:>7.2f}" if ref else f"{'-':>7}"
        print(row)
        if verbose:
            t, d = r["title"], r["date"]
            print(f"    title: {t['got']!r}  label: {t['label']!r}")
            print(f"    date: {d['got']}  shown: {d['shown']}")
            print(f"    body: «{r['head']}» … «{r['tail']}»")
            if r["error"]:
                print(f"    error: {r['error']}")
    print("dev: body length vs approx_body_chars ('!' = outside ±5%); tit: = exact, "
          "⊃ contains the label, x wrong, - none; date GAVE = a date where the label has none")


def print_groups(groups: dict[str, dict[str, Any]], extractors: list[str]) -> None:
    """One row per group: tuned, held-out, all."""
    cols = ["pages", "kind", "title=", "title⊃", "date", "no-date"]
    cols += [f"{e[:6]}{s}" for e in extractors for s in ("±5", "±15")]
    cols += [f"{e[:6]} ms" for e in extractors] + ["ratio"]
    print(f"{'group':<10}" + "".join(f"{c:>11}" for c in cols))
    for label, s in groups.items():
        n = s["pages"]
        cells = [str(n), f"{s['kind']}/{n}", f"{s['title_exact']}/{n}",
                 f"{s['title_contains']}/{n}", f"{s['date_ok']}/{s['dated']}",
                 f"{s['undated_none']}/{s['undated']}"]
        cells += [f"{s[f'{e}{k}']}/{n}" for e in extractors for k in ("_5", "_15")]
        cells += [f"{s[f'{e}_ms']:.1f}" for e in extractors]
        ref = s.get(f"{extractors[1]}_ms") if len(extractors) > 1 else None
        cells.append(f"{s['govarc_ms'] / ref:.2f}" if ref else "-")
        print(f"{label:<10}" + "".join(f"{c:>11}" for c in cells))
    print("date: day of published_at = day shown (pages with a labelled date); no-date: "
          "govarc gives no date where the label has none; ratio: govarc ms / "
          f"{extractors[1] if len(extractors) > 1 else '-'} ms (mean per page)")




def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                    help="templates corpus folder (pages/, expected/)")
    ap.add_argument("--json", action="store_true", help="print per-page results as JSON")
    ap.add_argument("--only-held-out", action="store_true", help="run the held-out pages only")
    ap.add_argument("--verbose", action="store_true", help="title, date and body ends per page")
    ap.add_argument("--repeat", type=int, default=3, help="runs per page for timing (best)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not (corpus / "pages").is_dir() or not (corpus / "expected").is_dir():
        print(f"templates corpus not found: {corpus} (needs pages/ and expected/)",
              file=sys.stderr)
        return 2
    pages = load_pages(corpus)
    if args.only_held_out:
        pages = [p for p in pages if held_out(p[0])]
    if not pages:
        print(f"no labelled pages in {corpus}", file=sys.stderr)
        return 2
    baselines = available(list(BASELINES))
    for fn in (run_govarc, *(BASELINES[b] for b in baselines)):  # imports, caches: untimed
        timed(fn, pages[0][1], None, 1)
    records = [score_page(name, raw, exp, baselines, args.repeat) for name, raw, exp in pages]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    skipped = [b for b in BASELINES if b not in baselines]
    print(f"corpus: {corpus}  ({len(records)} pages; repeat {args.repeat}; baselines: "
          f"{', '.join(baselines) or 'none'}"
          + (f"; not importable: {', '.join(skipped)})" if skipped else ")"))
    print("held out (sha1(name) % 3 == 0): "
          + ", ".join(r["page"] for r in records if r["held_out"]))
    print()
    print_pages(records, baselines, args.verbose)
    print()
    extractors = ["govarc", *baselines]
    split = {"tuned": [r for r in records if not r["held_out"]],
             "held-out": [r for r in records if r["held_out"]], "all": records}
    print_groups({g: summarise(rs, extractors) for g, rs in split.items() if rs}, extractors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
