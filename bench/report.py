"""`govarc report --html` on a large archive, and the chart renderer chosen for it.

1. **Build time.** An archive of `--articles` (100,000) generated articles in the
   registry's 32 portals (their names, their sections), over `--runs` (30) runs: the first
   run brings 70% of the articles (a first crawl walks every list page), each later run new
   articles, changed and removed ones; a capture for every article and list page, failures
   of several kinds, tamper flags, an extraction alarm. Written through `archive.store.Store`
   (built once, kept under the temp folder). `build_report` is timed (median of
   `--repeat`), with its parts, beside the text report (`run_report`) on the same archive.
2. **Renderer.** The report's per-portal chart (articles by publication week, one colour a
   section, zero weeks filled) for each of the 32 portals, drawn as SVG by vl-convert (the
   choice) and by matplotlib (text as paths, so its SVG too needs no font where it is
   opened): milliseconds and kilobytes a chart, and whether text stays text.

    python bench/report.py [--articles 100000] [--runs 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import searchbench  # noqa: E402

from archive import report_charts  # noqa: E402
from archive.chart_svg import measuring_family, render_svg  # noqa: E402
from archive.cjk_font import find_cjk_font  # noqa: E402
from archive.readonly import read_archive  # noqa: E402
from archive.report import run_report  # noqa: E402
from archive.report_data import read_report  # noqa: E402
from archive.report_html import build_report  # noqa: E402
from archive.store import Store  # noqa: E402

FORMAT = 1  # bump when the generated archive changes
FIRST = datetime(2019, 1, 1, tzinfo=UTC)
LAST = datetime(2026, 11, 30, tzinfo=UTC)
FAILURES = ("http", "timeout", "parse", "blocked", "challenge")
FLAGS = ("hidden-link", "injected-terms", "script-redirect", "mirror")


def _registry() -> list[tuple[str, str, list[tuple[str, str]]]]:
    data = tomllib.loads((ROOT / "crawler" / "portals.toml").read_text("utf-8"))
    out = []
    for entry in data["portal"]:
        sections = [(s["id"], s["name"]) for s in entry.get("section", [])][:6]
        out.append((entry["id"], entry["name"], sections or [("xw", "新闻")]))
    return out


def build_archive(count: int, runs: int) -> Path:
    """The cached generated archive (see the module docstring)."""
    return searchbench.cached_archive(f"report-{count}-{runs}-v{FORMAT}.db",
                                      lambda store: _fill(store, count, runs), batch_size=5000)


def _fill(store: Store, count: int, runs: int) -> None:
    """Write the generated archive's runs through `store`."""
    rng = random.Random(7)
    portals = _registry()
    span = (LAST - FIRST).total_seconds()
    first_run = int(count * 0.7)
    per_run = (count - first_run) // max(1, runs - 1)
    made: list[tuple[str, str, str]] = []  # url, portal, section
    started = time.monotonic()
    store.upsert_portals({"id": p, "name": name, "domain": f"www.{p}.gov.cn"}
                         for p, name, _ in portals)
    index = 0
    for run in range(1, runs + 1):
        store.start_run([p for p, _, _ in portals])
        store.start_sections({"portal": p, "section": s, "name": n, "url": f"https://{p}/{s}/"}
                             for p, _, sections in portals for s, n in sections)
        fresh = first_run if run == 1 else per_run
        quiet = {p for p, _, _ in rng.sample(portals, 3)} if run > runs - 8 else set()
        for _ in range(fresh):
            portal_id, name, sections = portals[index % len(portals)]
            if portal_id in quiet:
                portal_id, name, sections = portals[(index + 5) % len(portals)]
            section, section_name = sections[index % len(sections)]
            if run == 1:
                moment = FIRST + timedelta(seconds=rng.random() * span * 0.95)
            else:  # later runs bring what was published since the last one
                moment = LAST - timedelta(days=(runs - run) * 1.5 + rng.random() * 1.5)
            url = f"https://www.{portal_id}.gov.cn/{section}/{index}.html"
            text = f"{name}{section_name}第{index}号稿件：推进高质量发展，乡村振兴取得新成效。" * 4
            store.add_article(_article(url, portal_id, section, section_name, moment, text,
                                       index))
            store.add_capture(_capture(url, portal_id, index))
            made.append((url, portal_id, section))
            index += 1
        for n in range(fresh // 20 + 1):  # list pages
            portal_id = portals[n % len(portals)][0]
            store.add_capture(_capture(f"https://www.{portal_id}.gov.cn/list_{run}_{n}.html",
                                       portal_id, n))
        if run > 1:
            for url, portal_id, section in rng.sample(made, 40):
                moment = LAST - timedelta(days=rng.random() * 30)
                store.add_article(_article(url, portal_id, section, section, moment,
                                           f"更正：{url} 的新文本，第{run}次修改。" * 5, run))
            for url, _, _ in rng.sample(made, 10):
                store.mark_removed(url, 404)
        for n in range(rng.randrange(5, 60)):
            portal_id = rng.choice(portals)[0]
            store.add_failure({"url": f"https://www.{portal_id}.gov.cn/f/{run}/{n}",
                               "portal": portal_id, "kind": rng.choice(FAILURES),
                               "reason": "generated"})
        for url, portal_id, _ in rng.sample(made, 3):
            store.add_flags(url, portal_id, [{"kind": rng.choice(FLAGS),
                                              "score": round(rng.random(), 2),
                                              "evidence": "generated evidence"}],
                            {"warc_filename": "bench.warc.gz", "warc_offset": 0,
                             "warc_length": 1})
        store.finish_run("ok", {}, 40_000_000 if run == 1 else 900_000)
        print(f"  report archive: run {run}/{runs}, {index:,} articles, "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr)


def _article(url: str, portal: str, section: str, name: str, moment: datetime, text: str,
             n: int) -> dict:
    local = moment.astimezone().replace(microsecond=0)
    return {"url": url, "portal": portal, "section": name, "list_section": section,
            "title": text[:24], "published_at": local.isoformat(),
            "published_date": local.date().isoformat(), "text": text,
            "content_hash": f"{hash(text) & 0xFFFFFFFFFFFF:x}", "http_status": 200,
            "warc_filename": "bench.warc.gz", "warc_offset": n * 4096, "warc_length": 4096}


def _capture(url: str, portal: str, n: int) -> dict:
    return {"url": url, "portal": portal, "method": "GET", "status": 200, "mime": "text/html",
            "payload_length": 60_000, "record_type": "response",
            "warc_filename": "bench.warc.gz", "warc_offset": n * 4096, "warc_length": 4096}


def _median(func, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _matplotlib_svg(rows: list[dict], title: str) -> str:
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    font = find_cjk_font()
    if font:
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(font.path))
        plt.rcParams["font.family"] = [font.family, "sans-serif"]
    plt.rcParams["svg.fonttype"] = "path"  # self-contained, as the report must be
    weeks = sorted({r["week"] for r in rows})
    sections = sorted({r["section"] for r in rows})
    have = {(r["week"], r["section"]): r["n"] for r in rows}
    xs = [date.fromisoformat(w) for w in weeks]
    fig, ax = plt.subplots(figsize=(7.4, 1.6))
    ax.stackplot(xs, [[have.get((w, s), 0) for w in weeks] for s in sections],
                 labels=sections, step="post")
    ax.set_title(title, loc="left", fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def compare_renderers(db: Path) -> dict[str, dict[str, float]]:
    conn = read_archive(db)
    try:
        data = read_report(conn)
    finally:
        conn.close()
    font = find_cjk_font()
    specs = [report_charts.portal_weeks(data, p) for p in data.portals]
    # the publication-week chart alone (the portal's block stacks a heat map under it)
    specs = [(spec["vconcat"][0] if "vconcat" in spec else spec,
              [r for r in rows if "week" in r]) for spec, rows in specs if spec]
    family = measuring_family(font, "".join(sorted({c for spec, _ in specs
                                                    for c in json.dumps(spec)})))
    render_svg(specs[0][0], family)  # start the JavaScript runtime outside the timing
    _matplotlib_svg(specs[0][1], "warm-up")
    out = {}
    for name, draw in (("vl-convert", lambda s, r: render_svg(s, family)),
                       ("matplotlib", lambda s, r: _matplotlib_svg(r, s["title"]["text"]))):
        started = time.perf_counter()
        svgs = [draw(spec, rows) for spec, rows in specs]
        seconds = time.perf_counter() - started
        out[name] = {"charts": len(svgs), "ms_per_chart": 1000 * seconds / len(svgs),
                     "kb_per_chart": sum(map(len, svgs)) / len(svgs) / 1024,
                     "text_elements": sum(s.count("<text") for s in svgs) / len(svgs)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = build_archive(args.articles, args.runs)
    text_s, _ = _median(lambda: run_report(db, args.runs), args.repeat)
    html_s, built = _median(lambda: build_report(db), args.repeat)
    parts = ", ".join(f"{k} {v:.2f} s" for k, v in built.seconds.items())
    print(f"archive: {args.articles:,} articles, {args.runs} runs, 32 portals ({db})")
    print(f"govarc report --html: {html_s:.2f} s (median of {args.repeat}; last: {parts}); "
          f"{built.charts} charts, {len(built.html) / 1e6:.1f} MB")
    print(f"govarc report (text, the same runs): {text_s:.2f} s; html/text "
          f"{html_s / text_s:.2f}x")
    print("renderer, per-portal chart (articles by publication week):")
    for name, figures in compare_renderers(db).items():
        print(f"  {name:<11} {figures['ms_per_chart']:6.1f} ms/chart  "
              f"{figures['kb_per_chart']:6.1f} KB/chart  "
              f"{figures['text_elements']:5.1f} <text> per chart  ({figures['charts']} charts)")


if __name__ == "__main__":
    main()
