"""What the archive report shows, read from the archive database alone.

Every figure is counted from the archive's own rows (captures, failures, flags, alarms,
articles, article_versions), so a `--portal` filter narrows all of them alike; WARC bytes
are the only whole-archive figure (a WARC file holds every portal of its run). `--since`
narrows the runs (their captures, failures, flags and alarms), the changes and removals,
and the weekly histories; article counts, sections and silence are the whole archive's.
Time is the archive's own: "now" is the start of its latest run, so the report of an old
archive, or of a copy, says what it said when that run ended.

An article's section is the registry section whose list linked it (`list_section`, as the
alarms judge it); rows from before that column, whose `section` holds the section's name
as the page shows it, are counted under the registry section of that name. Archives of
every schema version are read as they are (a column they lack counts as empty).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

import sqlite_utils

RECENT_RUNS = 60  # runs shown cell by cell (the heat map); the lines show every run
GAP_HISTORY = 30  # the usual gap is the median of a section's last this-many gaps
SILENCE_FACTOR = 3.0  # a section silent for this many usual gaps …
SILENCE_FLOOR_DAYS = 7.0  # … and at least this long stands out
LATEST_ROWS = 50  # rows of each kind in the tables of changes, and of flags and alarms
# Publication days outside [EARLIEST_DAY, the latest run's day + 1] are misdated: counted
# as such, kept out of the weekly history and of the silence (one article "dated" 1900 or
# 2099 would otherwise stretch a chart over two centuries or make a section never silent).
EARLIEST_DAY = "1995-01-01"


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
    misdated: int
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

    run_id: int | None  # None: a re-extraction, outside any crawl run
    when: str | None
    portal: str
    section: str
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
    changes_by_day: dict[tuple[str, str], int]  # (day, kind) -> articles
    weekly: dict[str, dict[str, dict[str, int]]]  # portal -> section -> week (Monday) -> n
    new_by_portal_run: dict[tuple[str, int], int]
    new_by_section_run: dict[tuple[str, str, int], int]  # the recent runs only
    sections: list[SectionState]
    changes: list[Change]
    findings: list[Finding]
    totals: dict[str, int]
    names_text: str  # every portal and section name of the archive, whatever the filters

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


class _Reader:
    """The archive's columns as this archive has them, and the filters, as SQL."""

    def __init__(self, db: sqlite_utils.Database, since: str | None,
                 portals: tuple[str, ...], names: dict[tuple[str, str], str],
                 latest_day: str) -> None:
        self.db = db
        self.since = since
        self.portal_in, self.args = _in("portal", portals)
        self.a_portal_in = _in("a.portal", portals)[0]
        listed = _has(db, "articles", "list_section")
        self.section = "coalesce(list_section, section, '?')" if listed \
            else "coalesce(section, '?')"
        self.a_section = "coalesce(a.list_section, a.section, '?')" if listed \
            else "coalesce(a.section, '?')"
        self.cause = "v.cause" if _has(db, "article_versions", "cause") else "'site'"
        self.changed_at = ("coalesce(v.reextracted_at, v.captured_at)"
                           if _has(db, "article_versions", "reextracted_at")
                           else "v.captured_at")
        self.removals = _has(db, "articles", "removed_run")
        self.alarms = _has(db, "alarms")
        self.dated = "published_date BETWEEN ? AND ?"
        self.dated_args = [EARLIEST_DAY, latest_day]
        by_name = defaultdict(set)
        for (portal, section), name in names.items():
            by_name[(portal, name)].add(section)
        self._ids = set(names)
        self._by_name = {k: next(iter(v)) for k, v in by_name.items() if len(v) == 1}

    def key(self, portal: str, raw: str) -> tuple[str, str]:
        """The registry section an article's row names (by id, or by its name)."""
        if (portal, raw) in self._ids:
            return portal, raw
        return portal, self._by_name.get((portal, raw), raw)

    def rows(self, sql: str, args: list | None = None) -> list[tuple]:
        return self.db.execute(sql, args or []).fetchall()


def read_report(db: sqlite_utils.Database, since: str | None = None,
                portals: tuple[str, ...] = ()) -> ReportData:
    """The report's figures from an open archive (see the module docstring)."""
    since_day = since[:10] if since else None
    runs_all = [Run(r[0], r[1] or "", r[2], r[3] or "", warc_bytes=r[4] or 0)
                for r in db.execute("SELECT id, started_at, finished_at, status, warc_bytes "
                                    "FROM crawl_runs ORDER BY id")]
    now = runs_all[-1].started_at if runs_all else None
    today = _day(now) or date.today()
    portal_names = {p: n or p for p, n in db.execute("SELECT id, name FROM portals")}
    section_names: dict[tuple[str, str], str] = {}
    every_name = set(portal_names) | set(portal_names.values())
    for key, name in db.execute("SELECT id, name FROM sections"):
        portal, _, section = (key or "").partition("/")
        every_name |= {section, name or ""}
        if not portals or portal in portals:
            section_names[(portal, section)] = name or section
    r = _Reader(db, since_day, portals, section_names,
                (today + timedelta(days=1)).isoformat())
    every_name |= {raw for (raw,) in r.rows(f"SELECT DISTINCT {r.section} FROM articles")}
    every_name |= {p for (p,) in r.rows("SELECT DISTINCT portal FROM articles")}

    _fill_runs(r, runs_all)
    runs = [run for run in runs_all if not since_day or run.started_at[:10] >= since_day]
    recent = {run.id for run in runs[-RECENT_RUNS:]}

    weekly: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    since_clause = "AND published_date >= ?" if since_day else ""
    for portal, raw, week, n in r.rows(
            f"SELECT portal, {r.section}, date(published_date, '-6 days', 'weekday 1') AS w, "
            f"count(*) FROM articles WHERE {r.portal_in} AND {r.dated} {since_clause} "
            f"GROUP BY 1, 2, 3", r.args + r.dated_args + ([since_day] if since_day else [])):
        if week:
            portal, section = r.key(portal, raw)
            weeks = weekly[portal][section]
            weeks[week] = weeks.get(week, 0) + n

    new_by_portal_run: dict[tuple[str, int], int] = defaultdict(int)
    new_by_section_run: dict[tuple[str, str, int], int] = defaultdict(int)
    last_new: dict[tuple[str, str], int] = {}
    recent_new: dict[tuple[str, str], int] = defaultdict(int)
    last_five = {run.id for run in runs_all[-5:]}
    for portal, raw, run_id, n in r.rows(
            f"SELECT a.portal, {r.a_section}, v.run_id, count(*) FROM article_versions v "
            f"JOIN articles a ON a.url = v.url WHERE v.version = 1 AND {r.a_portal_in} "
            "GROUP BY 1, 2, 3", r.args):
        key = r.key(portal, raw)
        last_new[key] = max(last_new.get(key, 0), run_id or 0)
        if run_id in last_five:
            recent_new[key] += n
        if run_id in recent:
            new_by_portal_run[(portal, run_id)] += n
            new_by_section_run[(*key, run_id)] += n

    sections = _sections(r, today, section_names, portals, last_new, recent_new)
    changes_by_day, changes = _changes(r)
    findings = _findings(r)
    removed = r.rows(f"SELECT count(*) FROM articles WHERE {r.portal_in} AND removed_run "
                     "IS NOT NULL", r.args)[0][0] if r.removals else 0
    totals = {
        "articles": sum(s.articles for s in sections),
        "removed": removed,
        "runs": len(runs),
        "runs_all": len(runs_all),
        "warc_bytes": sum(run.warc_bytes for run in runs_all),
        "flags": sum(run.flags for run in runs),
        "alarms": sum(run.alarms for run in runs),
        "failures": sum(sum(run.failures.values()) for run in runs),
    }
    return ReportData(now, since_day, portals, portal_names, section_names, runs,
                      changes_by_day, {p: dict(s) for p, s in weekly.items()},
                      dict(new_by_portal_run), dict(new_by_section_run), sections, changes,
                      findings, totals, "".join(sorted({c for n in every_name if n for c in n})))


def _fill_runs(r: _Reader, runs: list[Run]) -> None:
    """Each run's captures, failures, flags, alarms, new, changed and removed articles, and
    the archive's size after it."""
    by_id = {run.id: run for run in runs}

    def per_run(sql: str) -> Iterator[tuple[Run, list]]:
        for run_id, *values in r.rows(sql, r.args):
            if run_id in by_id:
                yield by_id[run_id], values

    for run, (n,) in per_run(f"SELECT run_id, count(*) FROM captures WHERE {r.portal_in} "
                             "GROUP BY run_id"):
        run.captures = n
    for run, (kind, n) in per_run(f"SELECT run_id, kind, count(*) FROM failures WHERE "
                                  f"{r.portal_in} GROUP BY run_id, kind"):
        run.failures[kind] = n
    for run, (n,) in per_run(f"SELECT run_id, count(*) FROM flags WHERE {r.portal_in} "
                             "GROUP BY run_id"):
        run.flags = n
    if r.alarms:
        for run, (n,) in per_run(f"SELECT run_id, count(*) FROM alarms WHERE {r.portal_in} "
                                 "GROUP BY run_id"):
            run.alarms = n
    for run, (first, changed) in per_run(
            "SELECT v.run_id, sum(v.version = 1), "
            f"sum(v.version > 1 AND coalesce({r.cause}, 'site') != 'extractor') "
            f"FROM article_versions v JOIN articles a ON a.url = v.url WHERE {r.a_portal_in} "
            "GROUP BY v.run_id"):
        run.new, run.changed = first or 0, changed or 0
    if r.removals:
        for run, (n,) in per_run(f"SELECT removed_run, count(*) FROM articles WHERE "
                                 f"{r.portal_in} AND removed_run IS NOT NULL "
                                 "GROUP BY removed_run"):
            run.removed = n
    articles = warc = 0
    for run in runs:
        articles += run.new
        warc += run.warc_bytes
        run.articles_after, run.warc_bytes_after = articles, warc


def _sections(r: _Reader, today: date, names: dict[tuple[str, str], str],
              portals: tuple[str, ...], last_new: dict[tuple[str, str], int],
              recent_new: dict[tuple[str, str], int]) -> list[SectionState]:
    """Per section: counts, publication span, and silence against its usual gap."""
    counts: dict[tuple[str, str], list] = {}
    for portal, raw, n, undated, misdated, first, last in r.rows(
            f"SELECT portal, {r.section}, count(*), sum(published_date IS NULL), "
            f"sum(published_date IS NOT NULL AND NOT ({r.dated})), "
            f"min(CASE WHEN {r.dated} THEN published_date END), "
            f"max(CASE WHEN {r.dated} THEN published_date END) "
            f"FROM articles WHERE {r.portal_in} GROUP BY 1, 2",
            r.dated_args * 3 + r.args):
        key = r.key(portal, raw)
        have = counts.setdefault(key, [0, 0, 0, None, None])
        have[0] += n
        have[1] += undated or 0
        have[2] += misdated or 0
        have[3] = min(filter(None, (have[3], first)), default=None)
        have[4] = max(filter(None, (have[4], last)), default=None)
    days: dict[tuple[str, str], set[date]] = defaultdict(set)
    for portal, raw, day in r.rows(
            f"SELECT DISTINCT portal, {r.section}, published_date FROM articles "
            f"WHERE {r.portal_in} AND {r.dated}", r.args + r.dated_args):
        if (parsed := _day(day)) is not None:
            days[r.key(portal, raw)].add(parsed)
    for key in names:  # the registry's sections that never brought an article
        counts.setdefault(key, [0, 0, 0, None, None])
    out = []
    for (portal, section), (n, undated, misdated, first, last) in counts.items():
        if portals and portal not in portals:
            continue
        published = sorted(days.get((portal, section), ()))[-(GAP_HISTORY + 1):]
        gaps = [(b - a).days for a, b in pairwise(published)]
        usual = float(statistics.median(gaps)) if gaps else None
        silent = float(max(0, (today - published[-1]).days)) if published else None
        out.append(SectionState(portal, section, names.get((portal, section), section), n,
                                undated, misdated, first, last,
                                last_new.get((portal, section)),
                                recent_new.get((portal, section), 0), usual, silent))
    out.sort(key=lambda s: (s.portal, s.section))
    return out


def _changes(r: _Reader) -> tuple[dict[tuple[str, str], int], list[Change]]:
    """Articles changed by their site, re-read by a newer extractor and removed, per day;
    and the latest LATEST_ROWS of each kind, newest first."""
    since = f"AND {r.changed_at} >= ?" if r.since else ""
    extra = [r.since] if r.since else []
    kind = f"CASE WHEN {r.cause} = 'extractor' THEN 'reextracted' ELSE 'changed' END"
    by_day: dict[tuple[str, str], int] = {}
    for day, what, n in r.rows(
            f"SELECT date({r.changed_at}), {kind}, count(*) FROM article_versions v JOIN "
            f"articles a ON a.url = v.url WHERE v.version > 1 AND {r.a_portal_in} {since} "
            "GROUP BY 1, 2", r.args + extra):
        if day:
            by_day[(day, what)] = n
    rows = []
    for what in ("changed", "reextracted"):
        rows += [Change(run_id, when, portal, r.key(portal, raw)[1], url, title, what,
                        f"version {version}")
                 for run_id, when, portal, raw, url, title, version in r.rows(
                     f"SELECT v.run_id, {r.changed_at}, a.portal, {r.a_section}, v.url, "
                     "v.title, v.version FROM article_versions v JOIN articles a ON "
                     f"a.url = v.url WHERE v.version > 1 AND {kind} = ? AND {r.a_portal_in} "
                     f"{since} ORDER BY {r.changed_at} DESC, v.id DESC LIMIT ?",
                     [what, *r.args, *extra, LATEST_ROWS])]
    if r.removals:
        since = "AND removed_at >= ?" if r.since else ""
        for day, n in r.rows(f"SELECT date(removed_at), count(*) FROM articles WHERE "
                             f"removed_run IS NOT NULL AND {r.portal_in} {since} GROUP BY 1",
                             r.args + extra):
            if day:
                by_day[(day, "removed")] = n
        rows += [Change(run_id, when, portal, r.key(portal, raw)[1], url, title, "removed",
                        f"HTTP {status}" if status else "gone from its list")
                 for run_id, when, portal, raw, url, title, status in r.rows(
                     f"SELECT removed_run, removed_at, portal, {r.section}, url, title, "
                     f"removed_status FROM articles WHERE removed_run IS NOT NULL AND "
                     f"{r.portal_in} {since} ORDER BY removed_at DESC, id DESC LIMIT ?",
                     [*r.args, *extra, LATEST_ROWS])]
    rows.sort(key=lambda c: (c.when or "", c.run_id or 0), reverse=True)
    return by_day, rows


def _alarm_severity(kind: str, value: float | None, usual: float | None) -> float:
    """How far an alarm's measure is from normal, 0–1: a share alarm's share above its
    usual, a short-body alarm's shortfall, a new template's share."""
    value, usual = value or 0.0, usual or 0.0
    if kind == "short":
        return max(0.0, min(1.0, 1 - value / usual)) if usual else 1.0
    if kind == "template":
        return max(0.0, min(1.0, value))
    return max(0.0, min(1.0, value - usual))


def _findings(r: _Reader) -> list[Finding]:
    """The tamper flags and alarms, most serious first (the first LATEST_ROWS)."""
    since = "AND flagged_at >= ?" if r.since else ""
    extra = [r.since] if r.since else []
    out = [Finding(float(score or 0), "flag", row_id, run_id, portal, url, kind,
                   evidence or "")
           for row_id, run_id, portal, url, kind, score, evidence in r.rows(
               "SELECT id, run_id, portal, url, kind, score, evidence FROM flags WHERE "
               f"{r.portal_in} {since} ORDER BY score DESC, id DESC LIMIT ?",
               [*r.args, *extra, LATEST_ROWS])]
    if r.alarms:  # few (a section's run raises at most one of each kind): all judged
        since = "AND raised_at >= ?" if r.since else ""
        out += [Finding(_alarm_severity(kind, value, usual), "alarm", row_id, run_id, portal,
                        f"{portal}/{section}", kind, message or "")
                for row_id, run_id, portal, section, kind, value, usual, message in r.rows(
                    "SELECT id, run_id, portal, section, kind, value, usual, message FROM "
                    f"alarms WHERE {r.portal_in} {since}", [*r.args, *extra])]
    out.sort(key=lambda f: (-f.severity, -(f.run_id or 0), f.source, -f.row_id))
    return out[:LATEST_ROWS]


def weeks_between(first: str, last: str) -> list[str]:
    """Every Monday from `first` to `last` (ISO dates, both Mondays)."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(weeks=n)).isoformat() for n in range((end - start).days // 7 + 1)]
