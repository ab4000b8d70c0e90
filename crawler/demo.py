"""What `govarc demo` needs beyond a crawl: the sample portals at the addresses the archive
already knows them under.

The sample portals are served on loopback ports; a second demo into the same archive
serves them on the ports of the first, so that their URLs stay the same and the crawl is
incremental (no article is fetched or stored twice), as for a real portal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from archive.errors import GovarcError
from archive.readonly import open_read_only


def archived_ports(db: Path) -> dict[str, int]:
    """Portal id -> port of every loopback portal in the archive at `db` (none if absent)."""
    if not Path(db).is_file():
        return {}
    try:
        conn = open_read_only(db, upgrade=False)
    except GovarcError:
        return {}  # the crawl reports what is wrong with it
    try:
        rows = conn.execute("SELECT id, domain FROM portals").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    ports = {}
    for portal, domain in rows:
        parts = urlsplit(f"http://{domain}")
        if parts.hostname == "127.0.0.1" and parts.port:
            ports[portal] = parts.port
    return ports


def moved(wanted: dict[str, int], base_urls: dict[str, str]) -> list[str]:
    """A line for each portal that could not get its archived port back."""
    lines = []
    for portal, url in sorted(base_urls.items()):
        port = urlsplit(url).port
        if portal in wanted and port != wanted[portal]:
            lines.append(f"{portal}: port {wanted[portal]} is in use, serving on {port}; its "
                         "articles are archived again under this new address")
    return lines
