"""Vega-Lite specifications drawn as SVG by vl-convert (Vega's own renderer in an embedded
JavaScript runtime, no browser and no network).

Chosen over matplotlib by bench/report.py: 3–4 times faster a chart, text left as text
(searchable, selectable, a few KB), and the same specifications Datasette's vega-lite
plugins draw. Text is measured with the Chinese font the report embeds, so labels fit.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from archive.cjk_font import CjkFont

FALLBACK_FAMILY = "sans-serif"


@cache
def _converter(font_dir: str | None) -> Any:
    import vl_convert

    if font_dir:
        vl_convert.register_font_directory(font_dir)
    return vl_convert


def config(font: CjkFont | None) -> dict[str, Any]:
    """Chart styling shared by every chart of the report."""
    family = font.family if font else FALLBACK_FAMILY
    return {
        "font": family,
        "background": "#ffffff",
        "view": {"stroke": "#ddd"},
        "title": {"fontSize": 13, "fontWeight": "normal", "anchor": "start"},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "labelColor": "#333",
                 "labelLimit": 300},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 240},
    }


def render_svg(spec: dict[str, Any], font: CjkFont | None) -> str:
    """The chart as an SVG element (no XML prolog), for inlining in HTML."""
    converter = _converter(str(font.path.parent) if font else None)
    svg = converter.vegalite_to_svg(
        {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", **spec},
        config=config(font), allowed_base_urls=[], format_locale="en-US",
        time_format_locale="en-US")
    start = svg.find("<svg")
    return svg[start:] if start > 0 else svg
