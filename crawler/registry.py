"""The portal registry: which portals exist, their domains, CMS family and news sections.

A registry is a TOML file of `[[portal]]` tables, each with `[[portal.section]]` tables.
The bundled `portals.toml` is the default; `--portal-file` names another. Errors name the
file and the entry so a user can fix them without reading code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from archive.articles import PortalIdentity
from archive.errors import ConfigError

CMS_FAMILIES = ("trs", "hanweb", "jpaas", "generic")
# How a portal may use the browser (crawler/browser): "auto" retries a page that meets a
# challenge through it and hands its cookies to plain fetches, switching a section to whole
# browser fetches when the cookies do not carry; "cookies" never switches; "full" fetches
# every page of the portal through it; "off" never uses it.
BROWSER_MODES = ("auto", "cookies", "full", "off")
FETCH_MODES = ("plain", "browser")  # a section's pages: plain fetches, or all through the browser
_MIRROR_NOTE = re.compile(r"\bmirror of ([\w-]+)")


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    url: str
    provenance: str = ""
    fetch: str = "plain"  # "browser": every page of the section through the browser


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    domain: str  # host[:port]
    cms: str = "generic"
    site_id_code: str | None = None
    extra_domains: tuple[str, ...] = ()
    note: str = ""
    obey_robots: bool = True
    mirror_of: str | None = None  # a known copy of another portal, archived to watch it
    browser: str = "auto"  # one of BROWSER_MODES
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def domains(self) -> tuple[str, ...]:
        return (self.domain, *self.extra_domains)

    def owns(self, url: str) -> bool:
        """True if `url` is on one of this portal's hosts (links elsewhere are not followed)."""
        netloc = urlsplit(url).netloc.lower()
        return any(netloc == d.lower() for d in self.domains)

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "domain": self.domain,
            "cms": self.cms,
            "site_id_code": self.site_id_code,
        }


def default_registry_path() -> Path:
    return Path(str(resources.files("crawler").joinpath("portals.toml")))


def load_registry(path: str | Path | None = None) -> dict[str, Portal]:
    """Read and validate a registry file; returns portals by id, in file order."""
    path = Path(path) if path else default_registry_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"portal registry {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read portal registry {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"portal registry {path} is not valid TOML: {exc}") from exc
    entries = data.get("portal")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"portal registry {path} has no [[portal]] entries")
    portals: dict[str, Portal] = {}
    for index, entry in enumerate(entries, 1):
        portal = _portal(entry, f"{path}: portal #{index}")
        if portal.id in portals:
            raise ConfigError(f"{path}: portal id {portal.id!r} appears twice")
        portals[portal.id] = portal
    for portal in portals.values():
        if portal.mirror_of and portal.mirror_of not in portals:
            raise ConfigError(f"{path}: portal {portal.id!r} is a mirror of "
                              f"{portal.mirror_of!r}, which is not in the registry")
    return portals


def identity_of(portal: Portal, registry: dict[str, Portal]) -> PortalIdentity:
    """What the tamper watch compares a page of `portal` with."""
    original = registry.get(portal.mirror_of or "")
    if original is not None:
        return PortalIdentity(portal.domains, original.site_id_code, original.domains)
    return PortalIdentity(portal.domains, portal.site_id_code)


def _text(entry: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _portal(entry: Any, where: str) -> Portal:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    pid = _text(entry, "id", where)
    where = f"{where.rsplit(':', 1)[0]}: portal {pid!r}"
    domain = _text(entry, "domain", where).lower()
    if "/" in domain or " " in domain:
        raise ConfigError(f"{where}: 'domain' must be host[:port], not {domain!r}")
    cms = _text(entry, "cms", where, required=False) or "generic"
    if cms not in CMS_FAMILIES:
        raise ConfigError(f"{where}: 'cms' must be one of {', '.join(CMS_FAMILIES)}, not {cms!r}")
    extra = entry.get("extra_domains", [])
    if not isinstance(extra, list) or not all(isinstance(d, str) for d in extra):
        raise ConfigError(f"{where}: 'extra_domains' must be a list of host[:port] strings")
    sections_raw = entry.get("section")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise ConfigError(f"{where}: needs at least one [[portal.section]]")
    obey = entry.get("obey_robots", True)
    if not isinstance(obey, bool):
        raise ConfigError(f"{where}: 'obey_robots' must be true or false")
    browser = entry.get("browser", "auto")
    if browser not in BROWSER_MODES:
        raise ConfigError(f"{where}: 'browser' must be one of {', '.join(BROWSER_MODES)}, "
                          f"not {browser!r}")
    mirror_of = entry.get("mirror_of")
    if mirror_of is None:
        noted = _MIRROR_NOTE.search(str(entry.get("note", "")))
        mirror_of = noted.group(1) if noted else None
    portal = Portal(
        id=pid,
        obey_robots=obey,
        mirror_of=mirror_of,
        browser=browser,
        name=_text(entry, "name", where),
        domain=domain,
        cms=cms,
        site_id_code=(entry.get("site_id_code") or None),
        extra_domains=tuple(d.lower() for d in extra),
        note=str(entry.get("note", "")),
    )
    sections = []
    seen: set[str] = set()
    for section_entry in sections_raw:
        if not isinstance(section_entry, dict):
            raise ConfigError(f"{where}: each [[portal.section]] must be a table")
        sid = _text(section_entry, "id", f"{where}, a section")
        swhere = f"{where}, section {sid!r}"
        if sid in seen:
            raise ConfigError(f"{swhere}: section id appears twice")
        seen.add(sid)
        url = _text(section_entry, "url", swhere)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{swhere}: 'url' must be an absolute http(s) URL, not {url!r}")
        if not portal.owns(url):
            raise ConfigError(
                f"{swhere}: url {url} is off the portal's domain {portal.domain}"
                " (add the host to extra_domains if the portal really lives there)"
            )
        fetch = section_entry.get("fetch", "plain")
        if fetch not in FETCH_MODES:
            raise ConfigError(f"{swhere}: 'fetch' must be one of {', '.join(FETCH_MODES)}, "
                              f"not {fetch!r}")
        sections.append(
            Section(
                id=sid,
                name=_text(section_entry, "name", swhere),
                url=url,
                provenance=str(section_entry.get("provenance", "")),
                fetch=fetch,
            )
        )
    return Portal(**{**portal.__dict__, "sections": tuple(sections)})


def select(portals: dict[str, Portal], ids: list[str]) -> list[Portal]:
    """The named portals (all of them for no names); unknown ids are a ConfigError."""
    if not ids:
        return list(portals.values())
    unknown = [i for i in ids if i not in portals]
    if unknown:
        raise ConfigError(
            f"no portal {', '.join(map(repr, unknown))} in the registry"
            f" (known: {', '.join(portals)}); `govarc portals` lists them"
        )
    return [portals[i] for i in ids]
