"""The report's charts as Vega-Lite specifications, their data inline.

Each function returns `(spec, rows)`: the spec to render and the rows it draws, which the
report also embeds as JSON beside the picture so the numbers can be read and checked.
Nothing read from a page goes into a spec's expressions: portal and section names are data
values, drawn as text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from archive.report_data import (
    RECENT_RUNS,
    SILENCE_FACTOR,
    SILENCE_FLOOR_DAYS,
    ReportData,
    Run,
    weeks_between,
)

WIDTH = 680
POINTS_UP_TO = 60  # runs drawn with a dot each; more make a plain line
BARS_UP_TO_WEEKS = 104  # a history of up to two years is drawn as bars, longer as an area
SILENCE_ROWS = 30

Spec = dict[str, Any]
Rows = list[dict[str, Any]]


def _time_format(runs: list[Run]) -> str:
    """Days for runs spread over days, hours and minutes for runs within two days."""
    starts = sorted(r.started_at for r in runs if r.started_at)
    if len(starts) > 1:
        try:
            first = datetime.fromisoformat(starts[0].replace("Z", "+00:00"))
            last = datetime.fromisoformat(starts[-1].replace("Z", "+00:00"))
        except ValueError:
            return "%Y-%m-%d"
        if last - first < timedelta(days=2):
            return "%m-%d %H:%M"
    return "%Y-%m-%d"


def _time_axis(runs: list[Run]) -> dict[str, Any]:
    return {"field": "start", "type": "temporal", "title": None,
            "axis": {"format": _time_format(runs), "labelAngle": 0, "tickCount": 6,
                     "labelOverlap": "greedy"}}


def _lines(rows: Rows, title: str, y_title: str, runs: list[Run], color: str = "measure",
           legend_title: str = "") -> Spec:
    return {
        "title": title, "width": WIDTH, "height": 110,
        "data": {"values": rows},
        "mark": {"type": "line", "point": len(runs) <= POINTS_UP_TO, "interpolate": "linear"},
        "encoding": {
            "x": _time_axis(runs),
            "y": {"field": "n", "type": "quantitative", "title": y_title},
            "color": {"field": color, "type": "nominal", "title": legend_title or None},
        },
    }


def growth(data: ReportData) -> tuple[Spec, Rows]:
    """The archive's articles and WARC bytes after each run."""
    rows = [{"run": r.id, "start": r.started_at, "articles": r.articles_after,
             "warc_mb": round(r.warc_bytes_after / 1e6, 3)} for r in data.runs]
    point = len(rows) <= POINTS_UP_TO

    def panel(field: str, title: str, color: str) -> Spec:
        return {"title": title, "width": WIDTH // 2 - 40, "height": 120,
                "mark": {"type": "line", "point": point, "color": color},
                "encoding": {"x": _time_axis(data.runs),
                             "y": {"field": field, "type": "quantitative", "title": None}}}
    spec = {"data": {"values": rows},
            "hconcat": [panel("articles", "Articles in the archive", "#1f77b4"),
                        panel("warc_mb", "WARC megabytes", "#8c564b")]}
    return spec, rows


def activity(data: ReportData) -> tuple[Spec, Rows]:
    """Per run: captures and articles; failures by kind; flags and alarms."""
    runs = data.runs
    counts = [{"start": r.started_at, "run": r.id, "panel": "work", "measure": m, "n": n}
              for r in runs for m, n in (("captures", r.captures), ("new articles", r.new),
                                         ("changed", r.changed), ("removed", r.removed))]
    kinds = sorted({k for r in runs for k in r.failures})
    failures = [{"start": r.started_at, "run": r.id, "panel": "failures", "measure": k,
                 "n": r.failures.get(k, 0)} for r in runs for k in kinds]
    watch = [{"start": r.started_at, "run": r.id, "panel": "watch", "measure": m, "n": n}
             for r in runs for m, n in (("tamper flags", r.flags), ("extraction alarms",
                                                                     r.alarms))]
    panels = [_lines(counts, "Captures and articles per run", "count", runs)]
    if failures:
        panels.append(_lines(failures, "Failures per run, by kind", "failures", runs,
                             legend_title="kind"))
    panels.append(_lines(watch, "Tamper flags and extraction alarms per run", "count", runs))
    for panel in panels:
        panel["encoding"]["color"]["scale"] = {"scheme": "tableau10"}
    return {"vconcat": panels, "resolve": {"scale": {"color": "independent"}}}, (
        counts + failures + watch)


def quiet_portals(data: ReportData) -> tuple[Spec, Rows]:
    """New articles per portal in each of the recent runs: a portal gone quiet is a pale
    row."""
    runs = data.runs[-RECENT_RUNS:]
    rows = [{"portal": data.portal_names.get(p, p), "run": r.id,
             "n": data.new_by_portal_run.get((p, r.id), 0)}
            for p in data.portals for r in runs]
    return _new_per_run(f"New articles per portal in the last {len(runs)} runs", rows,
                        len(runs), "portal"), rows


def _new_per_run(title: str, rows: Rows, runs: int, row_field: str) -> Spec:
    """A heat map of new articles: a row per `row_field` value, a column per run."""
    return {
        "title": {"text": title, "anchor": "start"},
        "width": min(WIDTH, max(120, 14 * runs)), "height": {"step": 16},
        "data": {"values": rows},
        "mark": {"type": "rect", "stroke": "#fff", "strokeWidth": 0.5},
        "encoding": {
            "x": {"field": "run", "type": "ordinal", "title": "run",
                  "axis": {"labelAngle": 0, "labelOverlap": "greedy"}},
            "y": {"field": row_field, "type": "nominal", "title": None},
            "color": {"field": "n", "type": "quantitative", "title": "new",
                      "scale": {"type": "symlog", "scheme": "blues"}},
        },
    }


def silence(data: ReportData) -> tuple[Spec, Rows]:
    """The sections silent longest against their usual gap between publications."""
    judged = [s for s in data.sections if s.silent_days is not None and s.usual_gap_days]
    judged.sort(key=lambda s: (-s.silence_ratio, s.portal, s.section))
    rows = [{"section": f"{data.portal_names.get(s.portal, s.portal)} · {s.name}",
             "silent_days": s.silent_days, "usual_gap_days": s.usual_gap_days,
             "limit_days": max(SILENCE_FACTOR * (s.usual_gap_days or 0), SILENCE_FLOOR_DAYS),
             "state": "silent too long" if s.overdue else "as usual"}
            for s in judged[:SILENCE_ROWS]]
    y = {"field": "section", "type": "nominal", "sort": None, "title": None}
    spec = {
        "title": "Days since the last publication, against each section's usual gap",
        "width": WIDTH - 220, "height": {"step": 16},
        "data": {"values": rows},
        "layer": [
            {"mark": "bar", "encoding": {
                "y": y, "x": {"field": "silent_days", "type": "quantitative",
                              "title": "days since the newest article"},
                "color": {"field": "state", "type": "nominal", "title": None,
                          "scale": {"domain": ["as usual", "silent too long"],
                                    "range": ["#9ecae1", "#d62728"]}}}},
            {"mark": {"type": "tick", "color": "#333", "thickness": 2},
             "encoding": {"y": y, "x": {"field": "limit_days", "type": "quantitative"}}},
        ],
    }
    return spec, rows


CHANGE_KINDS = {"changed": "changed by the site",
                "reextracted": "re-read by a newer extractor", "removed": "removed"}


def changes(data: ReportData) -> tuple[Spec, Rows]:
    """Per day: articles the sites changed, articles re-read by a newer extractor
    (`govarc reextract`, outside any run) and articles removed."""
    rows = [{"day": day, "kind": CHANGE_KINDS[kind], "n": n}
            for (day, kind), n in sorted(data.changes_by_day.items())]
    days = {r["day"] for r in rows}
    spec = {
        "title": "Changes and removals per day", "width": WIDTH, "height": 120,
        "data": {"values": rows},
        "mark": {"type": "bar", "width": {"band": 0.8}} if len(days) > 1 else "bar",
        "encoding": {
            "x": {"field": "day", "type": "temporal", "timeUnit": "yearmonthdate",
                  "title": None, "axis": {"format": "%Y-%m-%d", "labelAngle": 0,
                                          "labelOverlap": "greedy"}},
            "y": {"field": "n", "type": "quantitative", "title": "articles", "stack": True},
            "color": {"field": "kind", "type": "nominal", "title": None,
                      "scale": {"domain": list(CHANGE_KINDS.values()),
                                "range": ["#ff7f0e", "#9467bd", "#d62728"]}},
        },
    }
    return spec, rows


def portal_weeks(data: ReportData, portal: str) -> tuple[Spec, Rows]:
    """A portal's articles by publication week, one colour per section, its whole history
    (weeks without an article count zero); under it, its sections' new articles in each of
    the recent runs."""
    sections = data.weekly.get(portal, {})
    rows = [{"week": week, "section": data.section_names.get((portal, s), s), "n": n}
            for s, weeks in sorted(sections.items()) for week, n in sorted(weeks.items())]
    every = sorted({r["week"] for r in rows})
    if not every:
        return {}, []
    weeks = weeks_between(every[0], every[-1])
    names = sorted({r["section"] for r in rows})
    have = {(r["week"], r["section"]): r["n"] for r in rows}
    filled = [{"week": w, "section": s, "n": have.get((w, s), 0)} for w in weeks for s in names]
    bars = len(weeks) <= BARS_UP_TO_WEEKS
    end = (date.fromisoformat(every[-1]) + timedelta(days=6)).isoformat()
    history = {
        "title": {"text": f"Articles by publication week ({every[0]} to {end})",
                  "anchor": "start"},
        "width": WIDTH, "height": 110,
        "data": {"values": [r for r in filled if r["n"]] if bars else filled},
        "mark": {"type": "bar"} if bars else {"type": "area", "interpolate": "step-after"},
        "encoding": {
            "x": {"field": "week", "type": "temporal", "title": None,
                  "axis": {"format": "%Y-%m", "labelAngle": 0},
                  **({"timeUnit": "yearmonthdate", "bandPosition": 0} if bars else {})},
            "y": {"field": "n", "type": "quantitative", "title": "articles", "stack": True},
            "color": {"field": "section", "type": "nominal", "title": "section",
                      "scale": {"scheme": "tableau10"}},
        },
    }
    runs = data.runs[-RECENT_RUNS:]
    keys = sorted({s.section for s in data.sections if s.portal == portal})
    per_run = [{"run": r.id, "section": data.section_names.get((portal, k), k),
                "n": data.new_by_section_run.get((portal, k, r.id), 0)}
               for k in keys for r in runs]
    if not per_run:
        return history, rows
    heat = _new_per_run(f"New articles per section in the last {len(runs)} runs", per_run,
                        len(runs), "section")
    return {"vconcat": [history, heat], "resolve": {"scale": {"color": "independent"}}}, (
        rows + per_run)
