"""One URL per article: alternate copies and tracking parameters fold into the plain URL.

TRS sites publish the same article as `t20211025_1.html`, `t20211025_1_wap.html`,
`t20211025_1_senior.html` (适老化) and `t20211025_1_slb.shtml`; share buttons add
`?from=timeline&isappinstalled=0` or `utm_*`. Archiving each copy would store one article
several times.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_ALTERNATE = re.compile(r"(?<=\d)_(?:wap|senior|slb|m|mobile|print)(?=\.s?html?$)", re.I)
_TRACKING = re.compile(
    r"^(?:utm_\w+|from|isappinstalled|spm|share\w*|scene|clicktime|enterid|wxfrom|"
    r"timestamp|_t|random|rnd|sharer\w*)$",
    re.I,
)


def canonical_url(url: str) -> str:
    """The plain form of an article URL: no alternate-copy suffix, no tracking parameters."""
    parts = urlsplit(url)
    path = _ALTERNATE.sub("", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not _TRACKING.match(k)]
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, urlencode(query), ""))
