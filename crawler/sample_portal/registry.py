"""The portal registry TOML naming the live addresses of the sample portals."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from .portals import NOTES, PORTALS
from .specs import PortalSpec

HEADER = "# Sample portals served on loopback by `python -m crawler.sample_portal`.\n"


def toml_string(value: str) -> str:
    """A TOML basic string with backslashes, quotes and control characters escaped."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def registry_toml(base_urls: dict[str, str], portals: Iterable[PortalSpec] = PORTALS) -> str:
    """Registry text for those of `portals` in `base_urls` (portal id -> base URL).

    A portal without a SiteIDCode of its own (the mirror) gets no `site_id_code` key.
    """
    chunks = [HEADER]
    for portal in portals:
        if portal.id not in base_urls:
            continue
        base = base_urls[portal.id].rstrip("/")
        code = f"site_id_code = {toml_string(portal.site_id_code)}\n" if portal.site_id_code else ""
        note = portal.note or NOTES[portal.cms]
        chunks.append(
            "\n[[portal]]\n"
            f"id = {toml_string(portal.id)}\n"
            f"name = {toml_string(portal.name)}\n"
            f"domain = {toml_string(urlsplit(base).netloc)}\n"
            f"cms = {toml_string(portal.cms)}\n"
            f"{code}"
            f"note = {toml_string(note)}\n"
        )
        for section in portal.sections:
            chunks.append(
                "\n  [[portal.section]]\n"
                f"  id = {toml_string(section.id)}\n"
                f"  name = {toml_string(section.name)}\n"
                f"  url = {toml_string(base + section.list_path)}\n"
                '  provenance = "sample portal"\n'
                + (f"  fetch = {toml_string(section.fetch)}\n" if section.fetch != "plain"
                   else "")
            )
    return "".join(chunks)


def write_registry(path: str | Path, base_urls: dict[str, str],
                   portals: Iterable[PortalSpec] = PORTALS) -> Path:
    """Write the registry for `base_urls` to `path` (UTF-8) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(registry_toml(base_urls, portals), encoding="utf-8")
    return target
