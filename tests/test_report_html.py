"""`govarc report --html`: the archive in pictures, built from the archive alone, every
figure the archive's own numbers, every link leading somewhere, readable in a real
Chromium with no network, and the same page served by Datasette."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
import pytest

from archive.schema import connect
from tests.conftest import govarc, query, serve_datasette
from tests.mini_portal import MiniPortal
from tests.test_doctext import need
from tests.test_verify_rebuild import crawl

CHARTS = {"growth", "activity", "quiet-portals", "silence", "changes"}


@dataclass
class History:
    db: Path
    edited: str
    deleted: str


def _add_articles(mini: MiniPortal, first: int, count: int) -> None:
    for n in range(first, first + count):
        mini.articles[f"/xw/202605/t202605{n:02d}_{n}.html"] = (
            f"第{n}篇新稿件的正文，讲述曲靖市乡村振兴工作的新做法和新成效。" * 6)


@pytest.fixture(scope="module")
def history(crawled, tmp_path_factory) -> History:
    """The sample archive (one run: flags, failures, eight portals), then three runs of a
    small portal into it: new articles, one edited and one deleted (--recheck), then a
    redesign that raises an extraction alarm."""
    root = tmp_path_factory.mktemp("report")
    db, warc = root / "archive.db", root / "warc"
    shutil.copy(crawled.db, db)
    shutil.copytree(crawled.warc_dir, warc)
    mini = MiniPortal()
    try:
        registry = mini.registry(root / "mini.toml")
        assert crawl(registry, db, warc).returncode == 0
        edited, deleted = list(mini.articles)[:2]
        mini.articles[edited] = "更正后的正文：曲靖市高质量发展取得新成效。" * 8
        del mini.articles[deleted]
        _add_articles(mini, 1, 3)
        assert crawl(registry, db, warc, "--recheck").returncode in (0, 1)
        mini.redesigned = True
        _add_articles(mini, 11, 3)
        assert crawl(registry, db, warc).returncode == 6  # the alarm
        return History(db, mini.base + edited, mini.base + deleted)
    finally:
        mini.close()


def build(db: Path, out: Path, *options: str) -> lxml.html.HtmlElement:
    result = govarc("report", "--db", str(db), "--html", str(out), *options)
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    return lxml.html.fromstring(out.read_text("utf-8"))


def chart_rows(doc: lxml.html.HtmlElement) -> dict[str, list[dict]]:
    """Each chart's rows, from the JSON beside its picture; every chart has a drawn SVG."""
    out = {}
    for figure in doc.cssselect("figure.chart"):
        (svg,) = figure.xpath("./*[local-name()='svg']")
        assert len(svg.xpath(".//*[local-name()='path']")) > 3, figure.get("id")
        (data,) = figure.cssselect("script.chart-data")
        assert data.get("type") == "application/json"
        out[data.get("data-chart")] = json.loads(data.text)
    return out


def counted(db: Path, sql: str) -> dict:
    return {tuple(row[:-1]) if len(row) > 2 else row[0]: row[-1] for row in query(db, sql)}


def test_every_portal_and_chart_is_there_with_the_archives_own_numbers(history, tmp_path):
    db = history.db
    doc = build(db, tmp_path / "report.html")
    names = dict(query(db, "SELECT id, name FROM portals"))
    portals = {p for (p,) in query(db, "SELECT DISTINCT portal FROM articles")}
    headings = {h.get("id"): h.text_content() for h in doc.cssselect("h2")}
    for portal in portals:
        assert names[portal] in headings[f"portal-{portal}"]
    rows = chart_rows(doc)
    dated = {p for (p,) in query(db, "SELECT DISTINCT portal FROM articles "
                                     "WHERE published_date IS NOT NULL")}
    assert set(rows) == CHARTS | {f"weeks-portal-{p}" for p in dated}

    runs = [r for (r,) in query(db, "SELECT id FROM crawl_runs ORDER BY id")]
    assert len(runs) == 4
    new = counted(db, "SELECT run_id, count(*) FROM article_versions WHERE version = 1 "
                      "GROUP BY run_id")
    assert [r["run"] for r in rows["growth"]] == runs
    assert [r["articles"] for r in rows["growth"]] == [
        sum(new.get(r, 0) for r in runs[:i + 1]) for i in range(len(runs))]
    assert rows["growth"][-1]["articles"] == query(db, "SELECT count(*) FROM articles")[0][0]

    by = defaultdict(dict)
    for row in rows["activity"]:
        by[row["measure"]][row["run"]] = row["n"]
    captures = counted(db, "SELECT run_id, count(*) FROM captures GROUP BY run_id")
    assert by["captures"] == {r: captures.get(r, 0) for r in runs}
    assert by["new articles"] == {r: new.get(r, 0) for r in runs}
    for (run, kind), n in counted(db, "SELECT run_id, kind, count(*) FROM failures "
                                      "GROUP BY run_id, kind").items():
        assert by[kind][run] == n
    flags = counted(db, "SELECT run_id, count(*) FROM flags GROUP BY run_id")
    assert by["tamper flags"] == {r: flags.get(r, 0) for r in runs} and sum(flags.values())
    assert by["extraction alarms"] == {r: int(r == runs[-1]) for r in runs}

    changes = {(r["day"], r["kind"]): r["n"] for r in rows["changes"]}
    (changed_day,) = query(db, "SELECT date(captured_at) FROM article_versions "
                               "WHERE version = 2")[0]
    (removed_day,) = query(db, "SELECT date(removed_at) FROM articles "
                               "WHERE removed_run IS NOT NULL")[0]
    assert changes == {(changed_day, "changed by the site"): 1, (removed_day, "removed"): 1}

    new_by = counted(db, "SELECT v.run_id, a.portal, count(*) FROM article_versions v "
                         "JOIN articles a ON a.url = v.url WHERE v.version = 1 GROUP BY 1, 2")
    for portal in dated:
        drawn = rows[f"weeks-portal-{portal}"]
        weeks = defaultdict(int)
        for r in drawn:
            if "week" in r:
                weeks[r["week"]] += r["n"]
        # each article in the week (Monday to Sunday) of its publication day
        expected = defaultdict(int)
        for (day,) in query(db, "SELECT published_date FROM articles WHERE portal = ? AND "
                                "published_date IS NOT NULL", [portal]):
            moment = date.fromisoformat(day)
            expected[(moment - timedelta(days=moment.weekday())).isoformat()] += 1
        assert dict(weeks) == dict(expected)
        per_run = defaultdict(int)
        for r in drawn:
            if "run" in r:
                per_run[r["run"]] += r["n"]
        assert dict(per_run) == {r: new_by.get((r, portal), 0) for r in runs}
    quiet = {(r["portal"], r["run"]): r["n"] for r in rows["quiet-portals"]}
    for (run, portal), n in new_by.items():
        assert quiet[(names[portal], run)] == n
    # The heat map names the portals in its picture, in Chinese.
    labels = doc.get_element_by_id("chart-quiet-portals").xpath(
        ".//*[local-name()='svg']//*[local-name()='text']/text()")
    assert names["sample-yn"] in labels

    # The latest flags and alarms, most serious first: the alarm and the top flag are there.
    findings = doc.get_element_by_id("finding-table").cssselect("tr")[1:]
    severities = [float(tr.cssselect("td")[0].text_content()) for tr in findings]
    assert severities == sorted(severities, reverse=True)
    top = query(db, "SELECT max(score) FROM flags")[0][0]
    assert severities[0] == pytest.approx(top, abs=0.005)
    assert any("alarm" in tr.text_content() and "template" in tr.text_content()
               for tr in findings)
    # Changes and removals name the article and the command that shows its history.
    change_table = doc.get_element_by_id("change-table").text_content()
    assert f"govarc history {history.edited}" in change_table
    assert history.deleted in change_table and "removed (HTTP 404)" in change_table


def _json_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + ".json"))


def _fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.status, answer.read()


def _check_links(doc: lxml.html.HtmlElement, base: str) -> int:
    ids = {e.get("id") for e in doc.xpath("//*[@id]")}
    checked = 0
    for link in doc.cssselect("a[href]"):
        href = link.get("href")
        if href.startswith("#"):
            assert href[1:] in ids, href
            continue
        url = urljoin(base, href)
        assert url.startswith("http://127.0.0.1:"), url  # nothing leaves the machine
        status, _ = _fetch(url)
        assert status == 200, url
        status, body = _fetch(_json_url(url))
        assert json.loads(body)["rows"], f"{url} shows no row"
        checked += 1
    return checked


def test_every_link_of_the_report_resolves_and_datasette_serves_the_same_page(
        history, tmp_path):
    with serve_datasette(history.db, tmp_path / "datasette.log") as base:
        doc = build(history.db, tmp_path / "report.html", "--datasette-url",
                    f"{base}/{history.db.stem}")
        checked = _check_links(doc, base)
        assert checked >= 10
        status, body = _fetch(f"{base}/-/govarc-report")
        assert status == 200
        served = lxml.html.fromstring(body.decode("utf-8"))
        assert set(chart_rows(served)) == set(chart_rows(doc))
        assert [h.text_content() for h in served.cssselect("h2")] == [
            h.text_content() for h in doc.cssselect("h2")]
        assert _check_links(served, base) == checked  # relative links, to this Datasette
        filtered = lxml.html.fromstring(_fetch(
            f"{base}/-/govarc-report/{history.db.stem}?portal=mini")[1].decode("utf-8"))
        assert [h.get("id") for h in filtered.cssselect("h2[id^=portal-]")] == ["portal-mini"]
        menu = _fetch(f"{base}/")[1].decode("utf-8")
        assert "/-/govarc-report/" in menu


@pytest.mark.browser
def test_the_report_renders_in_chromium_offline_with_its_own_font(history, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need("Chromium, to open the report in,", chromium, "chromium")
    from PIL import Image, ImageStat
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    build(history.db, out)
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, chromium_sandbox=False,
                                    args=["--disable-gpu", "--no-first-run",
                                          "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        loaded = page.evaluate("""[...document.fonts].filter(f => f.status === 'loaded')
                                  .map(f => f.family)""")
        drawn = page.evaluate("""[...document.querySelectorAll('figure.chart svg')]
                                 .map(s => s.getBoundingClientRect().width)""")
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert not errors, errors
    assert requests == [out.as_uri()]  # the page asks for nothing else: it is whole
    assert any("CJK" in family for family in loaded), loaded
    assert len(drawn) >= len(CHARTS) and min(drawn) > 100, drawn
    image = Image.open(tmp_path / "report.png").convert("L")
    assert ImageStat.Stat(image).stddev[0] > 20  # not blank
    assert len(image.getcolors(256 * 256) or range(256)) > 50


def test_an_empty_archive_and_an_archive_of_one_run_give_a_report(crawled, tmp_path):
    empty = tmp_path / "empty.db"
    connect(empty).close()
    doc = build(empty, tmp_path / "empty.html")
    assert "No crawl run is in this archive yet" in doc.text_content()
    assert not doc.cssselect("figure.chart")
    assert govarc("report", "--db", str(empty)).stdout.strip() == "no crawl runs in this " \
                                                                 "archive yet"
    one = build(crawled.db, tmp_path / "one.html")
    rows = chart_rows(one)
    assert len(rows["growth"]) == 1 and "changes" not in rows
    assert "No article has changed or gone in the runs shown." in one.text_content()


def test_filters_narrow_every_figure(history, tmp_path):
    doc = build(history.db, tmp_path / "mini.html", "--portal", "mini")
    assert [h.get("id") for h in doc.cssselect("h2[id^=portal-]")] == ["portal-mini"]
    rows = chart_rows(doc)
    by = defaultdict(dict)
    for row in rows["activity"]:
        by[row["measure"]][row["run"]] = row["n"]
    captures = counted(history.db, "SELECT run_id, count(*) FROM captures "
                                   "WHERE portal = 'mini' GROUP BY run_id")
    assert by["captures"] == {run: captures.get(run, 0) for run in by["captures"]}
    assert by["captures"][1] == 0  # the first run crawled the sample portals only
    assert set(by["tamper flags"].values()) == {0}  # the sample portals' flags are not mini's
    assert set(by["extraction alarms"].values()) == {0, 1}  # mini's redesign
    assert not [r for r in rows["activity"] if r["panel"] == "failures"]
    findings = doc.get_element_by_id("finding-table").cssselect("tr")[1:]
    assert [tr.cssselect("td")[1].text_content() for tr in findings] == ["alarmtemplate"]
    totals = "".join(doc.cssselect("dl.totals")[0].itertext()).replace("\n", "")
    assert "tamper flags0" in totals and "removed articles1" in totals
    later = build(history.db, tmp_path / "later.html", "--since", "2999-01-01")
    assert "runs shown0 of 4" in "".join(later.cssselect("dl.totals")[0].itertext()).replace(
        "\n", "")
    text = govarc("report", "--db", str(history.db), "--portal", "mini").stdout
    assert "mini" in text and "sample-yn" not in text


HOSTILE = {
    "portal": "</script><script>alert(1)</script>'\"云南",
    "section": "<img src=x onerror=alert(2)>'\"州市",
    "evidence": "<svg onload=alert(3)>\"'",
    "title": "<iframe src=javascript:alert(4)>\"标题'",
}


def test_names_and_evidence_from_pages_are_text_not_markup(history, tmp_path):
    db = tmp_path / "hostile.db"
    shutil.copy(history.db, db)
    conn = connect(db).conn  # with the tokenizer: the articles' FTS triggers need it
    with conn:
        conn.execute("UPDATE portals SET name = ? WHERE id = 'mini'", [HOSTILE["portal"]])
        conn.execute("UPDATE sections SET name = ? WHERE portal = 'mini'", [HOSTILE["section"]])
        conn.execute("UPDATE flags SET evidence = ? || evidence, url = url || '?\"><b>x'",
                     [HOSTILE["evidence"]])
        conn.execute("UPDATE article_versions SET title = ?", [HOSTILE["title"]])
        conn.execute("UPDATE articles SET title = ?", [HOSTILE["title"]])
    conn.close()
    doc = build(db, tmp_path / "hostile.html")
    assert all(s.get("type") == "application/json" for s in doc.xpath("//script"))
    assert not doc.xpath("//img | //iframe | //b")
    assert not [a for e in doc.iter() for a in e.attrib if a.lower().startswith("on")]
    text = doc.text_content()
    for value in HOSTILE.values():
        assert value in text, value
    for data in doc.cssselect("script.chart-data"):
        json.loads(data.text)  # the names stay inside their JSON strings


def test_reextractions_misdated_articles_and_an_archive_of_an_older_schema(history, tmp_path):
    from archive.report_html import build_report

    db = tmp_path / "older.db"
    shutil.copy(history.db, db)
    conn = connect(db).conn
    with conn:
        # govarc reextract writes versions outside any run
        conn.execute("INSERT INTO article_versions (url, version, content_hash, text, title, "
                     "captured_at, run_id, cause, reextracted_at) SELECT url, 9, 'x', text, "
                     "title, last_seen, NULL, 'extractor', '2026-12-24T08:00:00Z' "
                     "FROM articles WHERE portal = 'mini' LIMIT 2")
        # a page that says 1900, one that says 2099
        conn.execute("UPDATE articles SET published_date = '1900-01-01' WHERE id = "
                     "(SELECT min(id) FROM articles WHERE portal = 'sample-yn')")
        conn.execute("UPDATE articles SET published_date = '2099-12-31' WHERE id = "
                     "(SELECT max(id) FROM articles WHERE portal = 'sample-yn')")
    conn.close()
    doc = build(db, tmp_path / "report.html")
    rows = chart_rows(doc)
    assert {(r["day"], r["kind"]): r["n"] for r in rows["changes"]}[
        ("2026-12-24", "re-read by a newer extractor")] == 2
    change_table = doc.get_element_by_id("change-table").text_content()
    assert "reextracted (version 9)" in change_table
    weeks = [r["week"] for r in rows["weeks-portal-sample-yn"] if "week" in r]
    assert min(weeks) > "2000" and max(weeks) < "2027"
    yn = [tr for tr in doc.get_element_by_id("portal-sample-yn").getnext().getnext()
          .cssselect("tr")[1:]]
    misdated = sum(int(tr.cssselect("td")[3].text_content()) for tr in yn)
    assert misdated == 2
    # An archive of an older schema (no list_section, no reextracted_at), read as it is.
    conn = connect(db).conn
    with conn:
        conn.execute("ALTER TABLE articles DROP COLUMN list_section")
        conn.execute("ALTER TABLE article_versions DROP COLUMN reextracted_at")
        conn.execute("PRAGMA user_version = 7")
    conn.close()
    built = build_report(db, upgrade=False)
    page = lxml.html.fromstring(built.html)
    assert "sample-yn" in {h.get("id").removeprefix("portal-")
                           for h in page.cssselect("h2[id^=portal-]")}
    never = [tr for tr in page.cssselect("table.section-table tr")
             if "never brought an article" in tr.text_content()]
    # rows whose section holds the name still count under the registry's section
    assert len(never) == len([tr for tr in doc.cssselect("table.section-table tr")
                              if "never brought an article" in tr.text_content()])
    assert "list_section" not in [c[1] for c in query(db, "PRAGMA table_info(articles)")]
