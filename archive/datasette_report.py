"""The archive report served by Datasette at /-/govarc-report[/DATABASE]: the same page as
`govarc report --html`, its links leading to this Datasette's own rows.

Filters: `?since=YYYY-MM-DD` and `?portal=ID` (repeatable). A page is built off the
event loop and kept until the archive's files change.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

from archive.report_html import build_report

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CACHE: OrderedDict[tuple, str] = OrderedDict()
_CACHE_SIZE = 8
_BUILDING = asyncio.Lock()  # one build at a time: a report of 100,000 articles takes seconds


def _state(path: str) -> tuple:
    """What changes when the archive is written: its file's and its WAL's size and time."""
    out = []
    for name in (path, f"{path}-wal"):
        try:
            stat = os.stat(name)
            out.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


async def report_response(datasette: Any, request: Any, archives: list[str]) -> Any:
    """The page, for a visitor allowed to view the database (Datasette's permissions)."""
    from datasette.utils.asgi import Response

    name = request.url_vars.get("database") or (archives[0] if archives else None)
    if name not in archives:
        return Response.html("<p>No govarc archive of that name is served here.</p>",
                             status=404)
    await datasette.ensure_permissions(request.actor, [("view-database", name),
                                                       "view-instance"])
    since = request.args.get("since") or None
    if since and not _DAY.fullmatch(since):
        return Response.html("<p>since must be a day, YYYY-MM-DD.</p>", status=400)
    portals = tuple(sorted(set(request.args.getlist("portal"))))
    path = datasette.databases[name].path
    key = (path, _state(path), since, portals)
    page = _CACHE.get(key)
    if page is None:
        async with _BUILDING:
            page = _CACHE.get(key)
            if page is None:
                base = datasette.urls.database(name)  # relative: right behind any proxy too
                # upgrade=False: a GET never alters a database Datasette serves
                built = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: build_report(path, since, portals, base, upgrade=False,
                                               shown_path=Path(path).name))
                page = built.html
                _CACHE[key] = page
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
    return Response.html(page)
