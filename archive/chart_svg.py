"""Vega-Lite specifications drawn as SVG by vl-convert (Vega's own renderer in an embedded
JavaScript runtime, no browser and no network).

Chosen over matplotlib by bench/report.py: as fast a chart, its text left as text
(searchable, selectable, drawn in the page's font) and a third smaller, and the same
specifications Datasette's Vega-Lite plugins draw. Labels are measured with a subset of the
report's Chinese font under a name of its own: measuring with the whole Noto CJK
collection costs vl-convert 2.5 times the time a chart. The page's CSS then draws the
charts' text in the embedded font, whatever family the SVG names.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

from archive.cjk_font import CjkFont

FALLBACK_FAMILY = "sans-serif"
_REGISTERING = threading.Lock()  # Datasette may build two reports at once


@cache
def _converter() -> Any:
    import vl_convert

    return vl_convert


@cache
def _font_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="govarc-chart-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def measuring_family(font: CjkFont | None, characters: str) -> str:
    """A family vl-convert measures chart text with: `font` cut to `characters`, registered
    under a name of its own (one per character set, kept for the process: callers pass
    the archive's names, not a filter's, so a long-running Datasette registers few)."""
    if font is None:
        return FALLBACK_FAMILY
    digest = hashlib.sha1(f"{font.path}:{font.index}:{characters}".encode()).hexdigest()[:12]
    family = f"govarc-chart-{digest}"
    with _REGISTERING:
        folder = _font_folder() / digest
        if not folder.exists():
            staging = Path(tempfile.mkdtemp(dir=_font_folder()))
            (staging / f"{family}.otf").write_bytes(font.subset(characters, family))
            staging.rename(folder)
            _converter().register_font_directory(str(folder))
    return family


def config(family: str) -> dict[str, Any]:
    """Chart styling shared by every chart of the report."""
    return {
        "font": family,
        "background": "#ffffff",
        "view": {"stroke": "#ddd"},
        "title": {"fontSize": 13, "fontWeight": "normal", "anchor": "start"},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelColor": "#333",
                 "labelLimit": 300},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 240},
    }


def render_svg(spec: dict[str, Any], family: str = FALLBACK_FAMILY) -> str:
    """The chart as an SVG element (no XML prolog), for inlining in HTML; text measured in
    `family` (see measuring_family)."""
    svg = _converter().vegalite_to_svg(
        {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec},
        config=config(family), allowed_base_urls=[], format_locale="en-US",
        time_format_locale="en-US")
    start = svg.find("<svg")
    return svg[start:] if start > 0 else svg
