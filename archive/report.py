"""A plain-text report of recent crawl runs, per portal."""

from __future__ import annotations

import os
from collections import defaultdict

from archive.readonly import read_archive


def run_report(db_path: str | os.PathLike[str], runs: int = 5, since: str | None = None,
               portals: tuple[str, ...] = ()) -> list[str]:
    """The last `runs` runs (started on or after `since`), each portal's line (only
    `portals`, if given)."""
    db = read_archive(db_path)
    try:
        # an older archive on read-only media has no error column
        error = "error" if "error" in db.table("crawl_runs").columns_dict else "NULL"
        recent = list(db.execute(
            "SELECT id, started_at, finished_at, status, portals, captures, failures, "
            f"warc_bytes, {error} FROM crawl_runs WHERE started_at >= ? "
            "ORDER BY id DESC LIMIT ?", [since or "", runs]))
        out: list[str] = []
        for run_id, started, finished, status, names, captures, failures, warc, error in (
                recent):
            if portals and not set(portals) & set((names or "").split(",")):
                continue  # a run of other portals
            out.append(f"run {run_id}  {started} → {finished or '…'}  {status}  "
                       f"{captures or 0} captures, {failures or 0} failures, "
                       f"{(warc or 0) / 1e6:.1f} MB WARC"
                       + ("  (the whole run)" if portals else ""))
            if error:
                out.append(f"    error: {error}")
            per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for portal, new, changed in db.execute(
                "SELECT a.portal, sum(v.version = 1), sum(v.version > 1) "
                "FROM article_versions v JOIN articles a ON a.url = v.url "
                "WHERE v.run_id = ? GROUP BY a.portal", [run_id]):
                per[portal]["new"] += new or 0
                per[portal]["changed"] += changed or 0
            for portal, removed in db.execute(
                "SELECT portal, count(*) FROM articles WHERE removed_run = ? GROUP BY portal",
                [run_id]):
                per[portal]["removed"] += removed
            kinds: dict[str, dict[str, int]] = defaultdict(dict)
            for portal, kind, n in db.execute(
                "SELECT portal, kind, count(*) FROM failures WHERE run_id = ? "
                "GROUP BY portal, kind ORDER BY portal, kind", [run_id]):
                kinds[portal or "?"][kind] = n
            flags = dict(db.execute(
                "SELECT portal, count(*) FROM flags WHERE run_id = ? GROUP BY portal", [run_id]))
            for portal in [p for p in (names or "").split(",")
                           if p and (not portals or p in portals)]:
                counts = per.get(portal, {})
                failed = ", ".join(f"{k} {n}" for k, n in kinds.get(portal, {}).items())
                out.append(f"    {portal:<12} new {counts.get('new', 0):>5}  "
                           f"changed {counts.get('changed', 0):>4}  "
                           f"removed {counts.get('removed', 0):>4}  "
                           f"flags {flags.get(portal, 0):>3}  "
                           f"failures: {failed or 'none'}")
            if db.table("alarms").exists():  # archives before schema 8 have none
                for portal, section, message in db.execute(
                        "SELECT portal, section, message FROM alarms WHERE run_id = ? "
                        "ORDER BY id", [run_id]):
                    if portals and portal not in portals:
                        continue
                    out.append(f"    alarm: {portal}/{section}: {message}")
        return out or ["no crawl runs in this archive yet"]
    finally:
        db.close()


def flag_report(db_path: str | os.PathLike[str], portals: tuple[str, ...] = (),
                kinds: tuple[str, ...] = ()) -> list[str]:
    """Tamper flags by portal: kind, score, page, evidence, target host."""
    where, params = ["1"], []
    if portals:
        where.append(f"portal IN ({','.join('?' * len(portals))})")
        params.extend(portals)
    if kinds:
        where.append(f"kind IN ({','.join('?' * len(kinds))})")
        params.extend(kinds)
    db = read_archive(db_path)
    try:
        rows = db.execute(
            "SELECT portal, kind, score, url, evidence, target_host, element_path FROM flags "
            f"WHERE {' AND '.join(where)} ORDER BY portal, score DESC, url", params).fetchall()
    finally:
        db.close()
    out: list[str] = []
    current = None
    for portal, kind, score, url, evidence, host, path in rows:
        if portal != current:
            current = portal
            count = sum(1 for r in rows if r[0] == portal)
            out.append(f"{portal}: {count} flags")
        out.append(f"  {kind:<16} {score:.2f}  {url}")
        out.append(f"      {evidence}" + (f"  → {host}" if host else "")
                   + (f"  [{path}]" if path else ""))
    return out or ["no tamper flags"]
