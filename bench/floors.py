"""Per-page floors of the extractor on the labelled corpora, and a check against them.

Usage: python bench/floors.py [--write]

The floors (tests/data/extraction_floors.json) are what each corpus page reached when they
were last written: the body F1 of every article of ../shared/corpus and bench/corpus (the
floor is that minus FLOOR_MARGIN, never above 1), the metadata checks it passed, its page
kind; for ../shared/corpus/templates the kind, title, date and body-length checks it
passed. `check()` (run by tests/test_extract.py) fails only where a page falls below its
floor or loses a check it passed, so a change that improves one page and leaves the
others alone passes without rewriting any expectation; `--write` records the new level
after an improvement. Exit 0 when every page holds (or after writing), 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import extraction  # noqa: E402  (puts the repository on sys.path)
import templates  # noqa: E402

FLOORS = BENCH.parent / "tests" / "data" / "extraction_floors.json"
SHARED = BENCH.parents[1] / "shared" / "corpus"
CORPORA = {"shared": SHARED, "bench": BENCH / "corpus"}
TEMPLATES = SHARED / "templates"
FLOOR_MARGIN = 0.02  # body F1 a page may lose to a change before the check fails
CHECKS = ("title", "published_at", "source", "author", "must_contain", "must_not_contain")


def _labelled(corpus: Path) -> dict[str, dict[str, Any]]:
    """Per page of a labelled corpus: body F1 (articles), checks passed, kind right."""
    out = {}
    for stem, raw, exp in extraction.load_pages(corpus):
        rec = extraction.run_page(extraction.run_govarc, raw, exp, repeat=1)
        page: dict[str, Any] = {"kind": bool(rec["kind_ok"])}
        if rec["article"]:
            page["f1"] = rec["f1"]
            page["passed"] = [c for c in CHECKS if rec[c]]
        out[stem] = page
    return out


def _templates(corpus: Path) -> dict[str, dict[str, Any]]:
    """Per judged template: which of kind, exact title, date, body length ±5% hold."""
    out = {}
    for name, raw, exp in extraction.load_pages(corpus):
        rec = templates.score_page(name, raw, exp, [], repeat=1)
        passed = {"kind": rec["kind"]["ok"], "title": rec["title"]["match"] == "exact",
                  "date": rec["date"]["match"] in ("ok", "none-ok"),
                  "body_5": rec["body"]["govarc"]["within_5"]}
        out[name] = {"passed": [k for k, ok in passed.items() if ok],
                     "held_out": rec["held_out"]}
    return out


def measure() -> dict[str, dict[str, dict[str, Any]]]:
    """The current level of every page of the corpora that are present."""
    found = {name: _labelled(path) for name, path in CORPORA.items() if path.is_dir()}
    if TEMPLATES.is_dir():
        found["templates"] = _templates(TEMPLATES)
    return found


def check(floors: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Every page that fell below its floor or lost a check it passed."""
    problems = []
    for corpus, pages in now.items():
        known = floors.get(corpus, {})
        for page, got in pages.items():
            floor = known.get(page)
            if floor is None:
                problems.append(f"{corpus}/{page}: no floor recorded (python bench/floors.py "
                                "--write)")
                continue
            if "f1" in floor and got.get("f1", 0.0) < floor["f1"]:
                problems.append(f"{corpus}/{page}: body F1 {got.get('f1', 0.0):.3f} under "
                                f"its floor {floor['f1']:.3f}")
            lost = sorted(set(floor.get("passed", [])) - set(got.get("passed", [])))
            if lost:
                problems.append(f"{corpus}/{page}: no longer right: {', '.join(lost)}")
            if floor.get("kind") and not got.get("kind", True):
                problems.append(f"{corpus}/{page}: page kind no longer right")
    return problems


def as_floors(now: dict[str, Any]) -> dict[str, Any]:
    """The measured level with the margin taken off the F1s."""
    return {corpus: {page: ({**got, "f1": round(max(0.0, got["f1"] - FLOOR_MARGIN), 4)}
                            if "f1" in got else got) for page, got in sorted(pages.items())}
            for corpus, pages in now.items()}


def _dump(floors: dict[str, Any]) -> str:
    """JSON with one line per page, so a diff shows which pages moved."""
    corpora = []
    for corpus, pages in floors.items():
        lines = ",\n".join(f"    {json.dumps(page, ensure_ascii=False)}: "
                           f"{json.dumps(got, ensure_ascii=False)}" for page, got in pages.items())
        corpora.append(f"  {json.dumps(corpus)}: {{\n{lines}\n  }}")
    return "{\n" + ",\n".join(corpora) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="record the current level")
    args = ap.parse_args(argv)
    now = measure()
    if args.write:
        FLOORS.parent.mkdir(parents=True, exist_ok=True)
        FLOORS.write_text(_dump(as_floors(now)), encoding="utf-8")
        print(f"wrote {FLOORS} ({sum(map(len, now.values()))} pages)")
        return 0
    problems = check(json.loads(FLOORS.read_text(encoding="utf-8")), now)
    for line in problems:
        print(line)
    print(f"{sum(map(len, now.values()))} pages, {len(problems)} under their floors")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
