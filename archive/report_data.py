"""What the archive report shows, read from the archive database alone.

Every figure is counted from the archive's own rows (captures, failures, flags, alarms,
articles, article_versions), so a `--portal` filter narrows all of them alike; WARC bytes
are the only whole-archive figure (a WARC file holds every portal of its run). Time is the
archive's own: "now" is the start of its latest run, so the report of an old archive, or of
a copy, says what it said when that run ended.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

import sqlite_utils

RECENT_RUNS = 60  # runs shown cell by cell (the heat map); the lines show every run
GAP_HISTORY = 30  # the usual gap is the median of a section's last this-many gaps
SILENCE_FACTOR = 3.0  # a section silent for this many usual gaps …
SILENCE_FLOOR_DAYS = 7.0  # … and at least this long stands out
LATEST_ROWS = 50  # rows of the tables of changes and of flags and alarms
# An article's section is the registry section whose list linked it (as alarms judge it).
SECTION = "coalesce(list_section, section, '?')"
A_SECTION = "coalesce(a.list_section, a.section, '?')"


@dataclass
class Run:
    """One crawl run and what it brought, over the portals the report covers."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    captures: int = 0
    new: int = 0
    changed: int = 0
    reextracted: int = 0
    removed: int = 0
    flags: int = 0
    alarms: int = 0
    warc_bytes: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    articles_after: int = 0  # articles in the archive once the run ended
    warc_bytes_after: int = 0


@dataclass
class SectionState:
    """A section's history: how much it published, and how long it has been silent."""

    portal: str
    section: str
    name: str
    articles: int
    undated: int
    first_published: str | None
    last_published: str | None
    last_new_run: int | None
    new_recent: int  # new articles in the last five runs
    usual_gap_days: float | None
    silent_days: float | None

    @property
    def overdue(self) -> bool:
        """Silent for longer than its usual gap allows (see SILENCE_FACTOR)."""
        if self.usual_gap_days is None or self.silent_days is None:
            return False
        return self.silent_days >= max(SILENCE_FACTOR * self.usual_gap_days,
                                       SILENCE_FLOOR_DAYS)

    @property
    def silence_ratio(self) -> float:
        if not self.silent_days or not self.usual_gap_days:
            return 0.0
        return self.silent_days / max(self.usual_gap_days, 1.0)


@dataclass
class Change:
    """A new version of an article, or its removal."""

    run_id: int
    when: str | None
    portal: str
    section: str | None
    url: str
    title: str | None
    kind: str  # changed (the site changed it), reextracted, removed
    detail: str


@dataclass
class Finding:
    """A tamper flag or an extraction alarm; severity 0–1, most serious first."""

    severity: float
    source: str  # flag, alarm
    row_id: int
    run_id: int
    portal: str
    where: str  # the page URL (flag) or the portal/section (alarm)
    kind: str
    detail: str


@dataclass
class ReportData:
    """Everything the HTML report draws."""

    now: str | None  # the latest run's start: the archive's own clock
    since: str | None
    portals_filter: tuple[str, ...]
    portal_names: dict[str, str]
    section_names: dict[tuple[str, str], str]
    runs: list[Run]
    weekly: dict[str, dict[str, dict[str, int]]]  # portal -> section -> week (Monday) -> n
    new_by_portal_run: dict[tuple[str, int], int]
    new_by_section_run: dict[tuple[str, str, int], int]  # the recent runs only
    sections: list[SectionState]
    changes: list[Change]
    findings: list[Finding]
    totals: dict[str, int]

    @property
    def portals(self) -> list[str]:
        """Portals the report covers: those with articles or runs, in name order."""
        named = set(self.weekly) | {s.portal for s in self.sections}
        return sorted(named, key=lambda p: (self.portal_names.get(p, p), p))


def _in(column: str, values: tuple[str, ...]) -> tuple[str, list[str]]:
    if not values:
        return "1", []
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _has(db: sqlite_utils.Database, table: str, column: str | None = None) -> bool:
    if not db.table(table).exists():
        return False
    return column is None or column in db.table(table).columns_dict


def read_report(db: sqlite_utils.Database, since: str | None = None,
                portals: tuple[str, ...] = ()) -> ReportData:
    """The report's figures from an open archive (see the module docstring)."""
    portal_in, portal_args = _in("portal", portals)
    since_day = since[:10] if since else None
    run_rows = list(db.execute(
        "SELECT id, started_at, finished_at, status, warc_bytes FROM crawl_runs ORDER BY id"))
    runs_all = [Run(r[0], r[1] or "", r[2], r[3] or "", warc_bytes=r[4] or 0)
                for r in run_rows]
    by_id = {run.id: run for run in runs_all}

    def per_run(sql: str, args: list) -> None:
        for run_id, *values in db.execute(sql, args):
            if run_id in by_id:
                yield by_id[run_id], values

    for run, (n,) in per_run(f"SELECT run_id, count(*) FROM captures WHERE {portal_in} "
                             "GROUP BY run_id", portal_args):
        run.captures = n
    for run, (kind, n) in per_run(f"SELECT run_id, kind, count(*) FROM failures WHERE "
                                  f"{portal_in} GROUP BY run_id, kind", portal_args):
        run.failures[kind] = n
    for run, (n,) in per_run(f"SELECT run_id, count(*) FROM flags WHERE {portal_in} "
                             "GROUP BY run_id", portal_args):
        run.flags = n
    if _has(db, "alarms"):
        for run, (n,) in per_run(f"SELECT run_id, count(*) FROM alarms WHERE {portal_in} "
                                 "GROUP BY run_id", portal_args):
            run.alarms = n
    a_portal_in, _ = _in("a.portal", portals)
    cause = "v.cause" if _has(db, "article_versions", "cause") else "'site'"
    for run, (first, reread, changed) in per_run(
            "SELECT v.run_id, sum(v.version = 1), "
            f"sum(v.version > 1 AND {cause} = 'extractor'), "
            f"sum(v.version > 1 AND coalesce({cause}, 'site') != 'extractor') "
            f"FROM article_versions v JOIN articles a ON a.url = v.url WHERE {a_portal_in} "
            "GROUP BY v.run_id", portal_args):
        run.new, run.reextracted, run.changed = first or 0, reread or 0, changed or 0
    for run, (n,) in per_run(f"SELECT removed_run, count(*) FROM articles WHERE {portal_in} "
                             "AND removed_run IS NOT NULL GROUP BY removed_run", portal_args):
        run.removed = n
    articles = warc = 0
    for run in runs_all:
        articles += run.new
        warc += run.warc_bytes
        run.articles_after, run.warc_bytes_after = articles, warc
    runs = [r for r in runs_all if not since_day or r.started_at[:10] >= since_day]
    now = runs_all[-1].started_at if runs_all else None

    portal_names = {p: n or p for p, n in db.execute("SELECT id, name FROM portals")}
    section_names: dict[tuple[str, str], str] = {}
    for key, name in db.execute("SELECT id, name FROM sections"):
        portal, _, section = (key or "").partition("/")
        section_names[(portal, section)] = name or section

    weekly: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    since_clause = "AND published_date >= ?" if since_day else ""
    for portal, section, week, n in db.execute(
            f"SELECT portal, {SECTION}, "
            "date(published_date, '-6 days', 'weekday 1') AS week, count(*) FROM articles "
            f"WHERE {portal_in} AND published_date IS NOT NULL {since_clause} "
            f"GROUP BY portal, {SECTION}, week",
            portal_args + ([since_day] if since_day else [])):
        if week:
            weekly[portal][section][week] = n

    recent = {r.id for r in runs[-RECENT_RUNS:]}
    new_by_portal_run: dict[tuple[str, int], int] = {}
    for run_id, portal, n in db.execute(
            "SELECT v.run_id, a.portal, count(*) FROM article_versions v "
            f"JOIN articles a ON a.url = v.url WHERE v.version = 1 AND {a_portal_in} "
            "GROUP BY v.run_id, a.portal", portal_args):
        if run_id in recent:
            new_by_portal_run[(portal, run_id)] = n

    new_by_section_run: dict[tuple[str, str, int], int] = {}
    sections = _sections(db, portal_in, portal_args, runs_all, now, section_names,
                         recent, new_by_section_run)
    changes = _changes(db, a_portal_in, portal_args, cause, since_day)
    findings = _findings(db, portal_in, portal_args, since_day)
    totals = {
        "articles": sum(s.articles for s in sections),
        "removed": db.execute(f"SELECT count(*) FROM articles WHERE {portal_in} AND "
                              "removed_run IS NOT NULL", portal_args).fetchone()[0],
        "runs": len(runs),
        "runs_all": len(runs_all),
        "warc_bytes": warc,
        "flags": sum(r.flags for r in runs),
        "alarms": sum(r.alarms for r in runs),
        "failures": sum(sum(r.failures.values()) for r in runs),
    }
    return ReportData(now, since_day, portals, portal_names, section_names, runs,
                      {p: dict(s) for p, s in weekly.items()}, new_by_portal_run,
                      new_by_section_run, sections,
                      changes, findings, totals)


def _sections(db: sqlite_utils.Database, portal_in: str, args: list, runs: list[Run],
              now: str | None, names: dict[tuple[str, str], str], recent: set[int],
              new_by_run: dict[tuple[str, str, int], int]) -> list[SectionState]:
    """Per section (the registry's section whose list linked the article): counts,
    publication span, and silence against its usual gap."""
    a_portal_in = _in("a.portal", tuple(args))[0]
    today = _day(now)
    last_five = {r.id for r in runs[-5:]}
    counts = {}
    for portal, section, n, undated, first, last in db.execute(
            f"SELECT portal, {SECTION}, count(*), "
            "sum(published_date IS NULL), min(published_date), max(published_date) "
            f"FROM articles WHERE {portal_in} GROUP BY portal, {SECTION}", args):
        counts[(portal, section)] = (n, undated or 0, first, last)
    last_new: dict[tuple[str, str], int] = {}
    recent_new: dict[tuple[str, str], int] = defaultdict(int)
    for portal, section, run_id, n in db.execute(
            f"SELECT a.portal, {A_SECTION}, v.run_id, count(*) "
            "FROM article_versions v JOIN articles a ON a.url = v.url "
            f"WHERE v.version = 1 AND {a_portal_in} "
            f"GROUP BY a.portal, {A_SECTION}, v.run_id", args):
        key = (portal, section)
        last_new[key] = max(last_new.get(key, 0), run_id or 0)
        if run_id in last_five:
            recent_new[key] += n
        if run_id in recent:
            new_by_run[(portal, section, run_id)] = n
    days: dict[tuple[str, str], list[date]] = defaultdict(list)
    for portal, section, day in db.execute(
            f"SELECT DISTINCT portal, {SECTION}, published_date FROM articles "
            f"WHERE {portal_in} AND published_date IS NOT NULL ORDER BY 1, 2, 3", args):
        if (parsed := _day(day)) is not None:
            days[(portal, section)].append(parsed)
    # the registry's sections that never brought an article are listed too
    for key in names:
        counts.setdefault(key, (0, 0, None, None))
    out = []
    for (portal, section), (n, undated, first, last) in counts.items():
        if args and portal not in args:
            continue
        published = days.get((portal, section), [])[-(GAP_HISTORY + 1):]
        gaps = [(b - a).days for a, b in pairwise(published)]
        usual = float(statistics.median(gaps)) if gaps else None
        last_day = published[-1] if published else None
        silent = float((today - last_day).days) if today and last_day else None
        out.append(SectionState(portal, section, names.get((portal, section), section), n,
                                undated, first, last, last_new.get((portal, section)),
                                recent_new.get((portal, section), 0), usual, silent))
    out.sort(key=lambda s: (s.portal, s.section))
    return out


def _changes(db: sqlite_utils.Database, portal_in: str, args: list, cause: str,
             since_day: str | None) -> list[Change]:
    """The latest new versions and removals, newest first."""
    since = "AND v.captured_at >= ?" if since_day else ""
    rows = [Change(run_id, when, portal, section, url, title,
                   "reextracted" if kind == "extractor" else "changed", f"version {version}")
            for run_id, when, portal, section, url, title, kind, version in db.execute(
                f"SELECT v.run_id, coalesce(v.reextracted_at, v.captured_at), a.portal, "
                f"{A_SECTION}, v.url, v.title, {cause}, v.version FROM article_versions v "
                f"JOIN articles a ON a.url = v.url WHERE v.version > 1 AND {portal_in} "
                f"{since} ORDER BY v.id DESC LIMIT ?",
                args + ([since_day] if since_day else []) + [LATEST_ROWS])]
    since = "AND a.removed_at >= ?" if since_day else ""
    rows += [Change(run_id, when, portal, section, url, title, "removed",
                    f"HTTP {status}" if status else "gone from its list")
             for run_id, when, portal, section, url, title, status in db.execute(
                 f"SELECT a.removed_run, a.removed_at, a.portal, {A_SECTION}, a.url, a.title, "
                 f"a.removed_status FROM articles a WHERE a.removed_run IS NOT NULL AND "
                 f"{portal_in} {since} ORDER BY a.removed_run DESC, a.id DESC LIMIT ?",
                 args + ([since_day] if since_day else []) + [LATEST_ROWS])]
    rows.sort(key=lambda c: (c.run_id or 0, c.when or ""), reverse=True)
    return rows[:LATEST_ROWS]


def _alarm_severity(kind: str, value: float | None, usual: float | None) -> float:
    """How far an alarm's measure is from normal, 0–1: a share alarm's share above its
    usual, a short-body alarm's shortfall, a new template's share."""
    value, usual = value or 0.0, usual or 0.0
    if kind == "short":
        return max(0.0, min(1.0, 1 - value / usual)) if usual else 1.0
    if kind == "template":
        return max(0.0, min(1.0, value))
    return max(0.0, min(1.0, value - usual))


def _findings(db: sqlite_utils.Database, portal_in: str, args: list,
              since_day: str | None) -> list[Finding]:
    """The latest tamper flags and alarms, most serious first."""
    since = "AND flagged_at >= ?" if since_day else ""
    extra = [since_day] if since_day else []
    out = [Finding(float(score or 0), "flag", row_id, run_id, portal, url, kind,
                   evidence or "")
           for row_id, run_id, portal, url, kind, score, evidence in db.execute(
               "SELECT id, run_id, portal, url, kind, score, evidence FROM flags WHERE "
               f"{portal_in} {since} ORDER BY score DESC, id DESC LIMIT ?",
               args + extra + [LATEST_ROWS])]
    if _has(db, "alarms"):
        since = "AND raised_at >= ?" if since_day else ""
        out += [Finding(_alarm_severity(kind, value, usual), "alarm", row_id, run_id, portal,
                        f"{portal}/{section}", kind, message or "")
                for row_id, run_id, portal, section, kind, value, usual, message in db.execute(
                    "SELECT id, run_id, portal, section, kind, value, usual, message FROM "
                    f"alarms WHERE {portal_in} {since} ORDER BY id DESC LIMIT ?",
                    args + extra + [LATEST_ROWS])]
    out.sort(key=lambda f: (-f.severity, -f.run_id, f.source, -f.row_id))
    return out[:LATEST_ROWS]


def weeks_between(first: str, last: str) -> list[str]:
    """Every Monday from `first` to `last` (ISO dates, both Mondays)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(weeks=n)).isoformat() for n in range((end - start).days // 7 + 1)]
