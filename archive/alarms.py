"""Alarms when a portal changes: how each section's extraction went in a run, against the
section's earlier runs.

For every section (the registry's section whose list linked the article) with articles
extracted in a run (new or changed versions) the run's
`section_health` row holds the shares of articles whose text came from the fallback, with
no date, with no title, or whose body repeats another article's (a template's boilerplate
taken for the body), their median length, and the share written in the section's most
common body template. A measure that crosses its line raises an `alarms` row: a share at
SHARE_ALARM or above and SHARE_RISE above the section's usual (the mean of its last
HISTORY_RUNS judged runs; 0 without history), a median under SHORT_FACTOR of the usual, or
most articles in a template the section never used before. A redesigned portal is then
noticed on the next cron run.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

import sqlite_utils

from archive.schema import utc_now

# Methods of text the rules found: on the page as received, or in the DOM a browser rendered.
RULES_METHODS = frozenset({"rules", "rendered-rules"})

MIN_ARTICLES = 3  # fewer articles in a section's run say too little to judge
HISTORY_RUNS = 5  # earlier judged runs the usual is the mean of
SHARE_ALARM = 0.5  # a share of troubled articles this high …
SHARE_RISE = 0.3  # … and this far above the section's usual raises an alarm
SHORT_FACTOR = 0.4  # a median body under this share of the usual median raises one
NEW_TEMPLATE_SHARE = 0.5  # this share of articles in a template never seen raises one

SHARES = {  # measure -> what an alarm on it says
    "fallback": "text found by the fallback, not the rules",
    "undated": "no publication date",
    "untitled": "no title",
    "repeated": "a body that repeats another article's",
}


@dataclass
class SectionHealth:
    """How one section's extraction went in one run."""

    run_id: int
    portal: str
    section: str
    articles: int
    fallback: float
    undated: float
    untitled: float
    repeated: float
    median_chars: int
    template: str | None
    template_share: float


@dataclass
class Alarm:
    """A measure of a section's run that crossed its line."""

    run_id: int
    portal: str
    section: str
    kind: str
    value: float
    usual: float | None
    message: str


def measure(db: sqlite_utils.Database, run_id: int) -> list[SectionHealth]:
    """The health of every section with articles extracted in the run."""
    by_section: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in db.execute(
        "SELECT a.portal, coalesce(a.list_section, a.section), v.url, v.content_hash, "
        "v.title, v.published_at, v.method, length(v.text), v.template, v.payload_digest "
        "FROM article_versions v "
        "JOIN articles a ON a.url = v.url WHERE v.run_id = ?", [run_id]):
        by_section[(row[0], row[1] or "")].append(row[2:])
    health = []
    for (portal, section), rows in sorted(by_section.items()):
        n = len(rows)
        # One page under two URLs (a _wap copy, an old path) is not a repeat; the same body
        # extracted from different pages is.
        pages_by_hash: dict[str, set[str]] = defaultdict(set)
        for url, digest, *_, payload in rows:
            pages_by_hash[digest].add(payload or url)
        templates = Counter(r[6] for r in rows if r[6])
        template, count = templates.most_common(1)[0] if templates else (None, 0)
        health.append(SectionHealth(
            run_id, portal, section, n,
            fallback=sum(r[4] not in RULES_METHODS for r in rows) / n,
            undated=sum(not r[3] for r in rows) / n,
            untitled=sum(not r[2] for r in rows) / n,
            repeated=sum(len(pages_by_hash[r[1]]) > 1 for r in rows) / n,
            median_chars=int(statistics.median(r[5] or 0 for r in rows)),
            template=template, template_share=count / n))
    return health


def _history(db: sqlite_utils.Database, health: SectionHealth) -> list[dict]:
    return list(db.query(
        "SELECT * FROM section_health WHERE portal = ? AND section = ? AND run_id < ? "
        "AND articles >= ? ORDER BY run_id DESC LIMIT ?",
        [health.portal, health.section, health.run_id, MIN_ARTICLES, HISTORY_RUNS]))


def judge(health: SectionHealth, history: list[dict], seen_templates: set[str]) -> list[Alarm]:
    """The alarms one section's run raises against its history (newest first)."""
    if health.articles < MIN_ARTICLES:
        return []
    alarms = []

    def alarm(kind: str, value: float, usual: float | None, message: str) -> None:
        alarms.append(Alarm(health.run_id, health.portal, health.section, kind,
                            round(value, 3), None if usual is None else round(usual, 3),
                            message))

    for kind, what in SHARES.items():
        value = getattr(health, kind)
        usual = statistics.fmean(h[kind] for h in history) if history else 0.0
        if value >= SHARE_ALARM and value >= usual + SHARE_RISE:
            alarm(kind, value, usual, f"{value:.0%} of {health.articles} articles have {what} "
                                      f"(usually {usual:.0%})")
    if history:
        usual_chars = statistics.fmean(h["median_chars"] for h in history)
        if usual_chars and health.median_chars < SHORT_FACTOR * usual_chars:
            alarm("short", health.median_chars, usual_chars,
                  f"bodies far shorter than usual: median {health.median_chars:,} characters "
                  f"(usually {usual_chars:,.0f})")
        if (health.template and health.template not in seen_templates
                and health.template_share >= NEW_TEMPLATE_SHARE):
            alarm("template", health.template_share, None,
                  f"{health.template_share:.0%} of {health.articles} articles in a template "
                  f"the section never used before ({health.template}): was the portal "
                  "redesigned?")
    return alarms


def record(db: sqlite_utils.Database, run_id: int) -> list[Alarm]:
    """Measure the run's sections, judge them against their history, store both; the
    alarms raised (a run measured before is measured again, its rows replaced)."""
    raised = []
    now = utc_now()
    with db.conn:
        db.execute("DELETE FROM section_health WHERE run_id = ?", [run_id])
        db.execute("DELETE FROM alarms WHERE run_id = ?", [run_id])
        for health in measure(db, run_id):
            seen = {t for (t,) in db.execute(
                "SELECT DISTINCT v.template FROM article_versions v JOIN articles a "
                "ON a.url = v.url WHERE a.portal = ? AND coalesce(a.list_section, a.section) = ? "
                "AND v.run_id < ? "
                "AND v.template IS NOT NULL", [health.portal, health.section, run_id])}
            alarms = judge(health, _history(db, health), seen)
            db.table("section_health").insert(asdict(health))
            for alarm in alarms:
                db.table("alarms").insert({**asdict(alarm), "raised_at": now})
            raised.extend(alarms)
    return raised
