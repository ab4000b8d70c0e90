"""Recognise anti-bot challenges and WAF refusals, so they are recorded as what they are.

瑞数 (Ruishu) answers 412 (newer versions 202) with obfuscated JavaScript that sets a
cookie; 加速乐 answers 521 with an `X-Via-JSL` header and a `document.cookie` script; WAFs
answer 403 or 405 to addresses they do not like. None of these is the site being down,
and none of these pages may be archived as an article.
"""

from __future__ import annotations

import re

_SCRIPT = re.compile(rb"<script", re.I)
_SPACE = re.compile(rb"\s+")
_COOKIE_JS = re.compile(rb"document\.cookie|\$_ts|_\$[a-z]{2}|window\[\s*['\"]\$_", re.I)
_WAF_WORDS = ("访问被拒绝", "拦截", "防火墙", "安全狗", "云盾", "WAF", "Access Denied",
              "Forbidden", "Request blocked")


def _little_visible(body: bytes, limit: int) -> bool:
    """Fewer than `limit` non-space bytes outside tags, scripts and styles (in the first
    200 KB).

    One pass with `find`, each byte looked at a bounded number of times whatever the page
    (a regex for tags costs the square of a page of `<` without `>`). An unclosed tag,
    script or style hides the rest of the page, as it does in a browser. Stops as soon
    as the limit is reached: an article shows that much text early."""
    end = min(len(body), 200_000)
    seen = position = 0
    while position < end:
        tag = body.find(b"<", position, end)
        stop = end if tag < 0 else tag
        seen += len(_SPACE.sub(b"", body[position:stop]))
        if seen >= limit:
            return False
        if tag < 0:
            break
        head = body[tag + 1:tag + 7].lower()
        closer = next((c for c in (b"</script", b"</style") if head.startswith(c[2:])), None)
        if closer is not None:
            close = _find_ci(body, closer, tag + 1, end)
            position = end if close < 0 else body.find(b">", close, end) + 1 or end
        else:
            close = body.find(b">", tag + 1, end)
            position = end if close < 0 else close + 1
    return seen < limit


def _find_ci(body: bytes, needle: bytes, start: int, end: int) -> int:
    """`body.find(needle)` ignoring ASCII case (needle lower-case), in linear time."""
    first = needle[:2]  # "</": the rest is compared case-insensitively
    position = start
    while True:
        found = body.find(first, position, end)
        if found < 0:
            return -1
        if body[found:found + len(needle)].lower() == needle:
            return found
        position = found + 1


def access_problem(status: int, headers: dict[str, str], body: bytes) -> tuple[str, str] | None:
    """(failure kind, reason) when a response is a challenge or a refusal, else None."""
    lowered = {k.lower(): v for k, v in headers.items()}
    small = len(body) < 64 * 1024
    if status == 521 or "x-via-jsl" in lowered:
        return "challenge", f"加速乐 (jsl) challenge: HTTP {status}, a cookie-setting script"
    if status == 412:
        return "challenge", "瑞数-style challenge: HTTP 412 with a cookie-setting script"
    if status == 202 and small and _SCRIPT.search(body) and _little_visible(body, 300):
        return "challenge", "瑞数-style challenge: HTTP 202 with a cookie-setting script"
    if status in (403, 405):
        text = body[:20_000].decode("utf-8", "replace")
        hint = next((w for w in _WAF_WORDS if w.lower() in text.lower()), None)
        return "blocked", f"refused by the site or its WAF: HTTP {status}" + (
            f" ({hint})" if hint else "")
    if (200 <= status < 300 and small and _little_visible(body, 100)
            and _COOKIE_JS.search(body)):
        return "challenge", f"JavaScript cookie challenge served with HTTP {status}"
    return None
