"""`govarc report --html`: one self-contained HTML file of the archive's pictures.

Charts are SVG inlined in the page (archive/chart_svg.py), the Chinese font the page and
its charts use is embedded as a subset of the characters they hold (archive/cjk_font.py),
and no script runs: the file opens offline, in any browser, years from now. Links lead to
the archive's rows in Datasette and name the `govarc history` command for each article.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shlex
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from markupsafe import Markup

from archive import report_charts
from archive.chart_svg import FALLBACK_FAMILY, measuring_family, render_svg
from archive.cjk_font import CjkFont, find_cjk_font
from archive.readonly import read_archive
from archive.report_data import (
    EARLIEST_DAY,
    GAP_HISTORY,
    LATEST_ROWS,
    SILENCE_FACTOR,
    SILENCE_FLOOR_DAYS,
    Finding,
    SectionState,
    read_report,
)

_NOT_ANCHOR = re.compile(r"[^A-Za-z0-9_-]")


@dataclass
class Chart:
    """A drawn chart: its id, its SVG and the rows it draws."""

    id: str
    svg: str
    rows: list[dict[str, Any]]


@dataclass
class BuiltReport:
    """The page and what building it took."""

    html: str
    charts: int
    seconds: dict[str, float]
    font: CjkFont | None


def default_datasette_base(db_path: str | os.PathLike[str]) -> str:
    """Where `datasette ARCHIVE` serves the archive by default."""
    return f"http://127.0.0.1:8001/{quote(Path(db_path).stem)}"


def _template() -> jinja2.Template:
    text = resources.files("archive").joinpath("report_template.html").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    return env.from_string(text)


def _figure(chart: Chart | None) -> Markup:
    if chart is None:
        return Markup("")
    # JSON in a script element: "<" escaped so no value can close the element
    rows = json.dumps(chart.rows, ensure_ascii=False, separators=(",", ":")).replace(
        "<", "\\u003c")
    return Markup(f'<figure id="chart-{html.escape(chart.id)}" class="chart">{chart.svg}'
                  f'<script type="application/json" class="chart-data" '
                  f'data-chart="{html.escape(chart.id)}">{rows}</script></figure>')


def _anchor(portal: str) -> str:
    """An id for the portal's part of the page: its id where that is plain ASCII, else
    with a hash of it (云南 and 浙江 must not both become portal---)."""
    plain = _NOT_ANCHOR.sub("-", portal)
    if plain == portal:
        return f"portal-{plain}"
    return f"portal-{plain}-{hashlib.sha1(portal.encode()).hexdigest()[:8]}"


def _version() -> str:
    try:
        return metadata.version("govarc")
    except metadata.PackageNotFoundError:
        return "?"


def build_report(db_path: str | os.PathLike[str], since: str | None = None,
                 portals: tuple[str, ...] = (), datasette_base: str | None = None,
                 upgrade: bool = True, shown_path: str | None = None) -> BuiltReport:
    """The report page of the archive at `db_path` (read-only; an older archive is brought
    to the current schema first if `upgrade` and it can be written). Without a Chinese
    font on this machine, the page says so. `shown_path`: how the page names the archive
    (default: `db_path`)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    db = read_archive(db_path, upgrade)
    try:
        data = read_report(db, since, portals)
    finally:
        db.close()
    seconds["query"] = time.perf_counter() - started
    face = find_cjk_font()

    mark = time.perf_counter()
    planned: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    if data.runs:
        planned["growth"] = report_charts.growth(data)
        planned["activity"] = report_charts.activity(data)
        if data.portals:
            planned["quiet-portals"] = report_charts.quiet_portals(data)
    for name, plan in (("silence", report_charts.silence), ("changes", report_charts.changes)):
        spec, rows = plan(data)
        if rows:
            planned[name] = (spec, rows)
    for portal in data.portals:
        spec, rows = report_charts.portal_weeks(data, portal)
        if spec:
            planned[f"weeks-{_anchor(portal)}"] = (spec, rows)
    # Chart text beyond ASCII comes from the archive's names only: one character set (and
    # one measuring font) per archive, whatever the filters.
    family = measuring_family(face, data.names_text)
    drawn = {name: Chart(name, render_svg(spec, family), rows)
             for name, (spec, rows) in planned.items()}
    run_charts = [drawn[n] for n in ("growth", "activity") if n in drawn]
    quiet, silence, changes = (drawn.get(n) for n in ("quiet-portals", "silence", "changes"))
    portal_charts = {p: drawn.get(f"weeks-{_anchor(p)}") for p in data.portals}
    seconds["charts"] = time.perf_counter() - mark
    charts = len(drawn)

    base = (datasette_base or default_datasette_base(db_path)).rstrip("/")
    page = _template().render(
        version=_version(), data=data, archive_name=Path(db_path).stem,
        archive_path=shown_path or str(db_path),
        built_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        family=face.family if face else FALLBACK_FAMILY, font_found=face is not None,
        font_face=Markup("/*FONT*/"), run_charts=run_charts, quiet_chart=quiet,
        silence_chart=silence, changes_chart=changes, portal_charts=portal_charts,
        figure=_figure, anchor=_anchor, megabytes=lambda n: f"{(n or 0) / 1e6:,.1f}",
        shell_quote=shlex.quote, datasette_base=base,
        versions_link=lambda url: f"{base}/article_versions?"
                                  + urlencode({"url": url, "_sort": "version"}),
        row_link=lambda f: _row_link(base, f),
        section_link=lambda s: _section_link(base, s),
        silence_factor=f"{SILENCE_FACTOR:g}", gap_history=GAP_HISTORY,
        silence_floor=f"{SILENCE_FLOOR_DAYS:g}", latest_rows=LATEST_ROWS,
        earliest_day=EARLIEST_DAY,
    )
    mark = time.perf_counter()
    font_face = face.embedded(page) if face else ""
    seconds["font"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    return BuiltReport(page.replace("/*FONT*/", font_face, 1), charts, seconds, face)


def _row_link(base: str, finding: Finding) -> str:
    table = "flags" if finding.source == "flag" else "alarms"
    return f"{base}/{table}/{finding.row_id}"


def _section_link(base: str, section: SectionState) -> str:
    return f"{base}/articles?" + urlencode({"portal": section.portal,
                                            "list_section": section.section})

