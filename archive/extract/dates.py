"""Dates as Chinese government pages print them, turned into ISO 8601 with +08:00."""

from __future__ import annotations

import re

DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)(?:\s*日)?"
    r"(?:(?:\s*|T|\s*[（(]?[星周][期]?[一二三四五六日天][）)]?\s*)"
    r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?!\d)\s*分?(?:\s*[:：]\s*(\d{1,2})(?!\d)\s*秒?)?)?"
)


def find_date(text: str) -> tuple[str, int] | None:
    """First plausible date in ``text`` as (ISO string, match start), at the precision shown."""
    for m in DATE_RE.finditer(text):
        iso = _iso(m)
        if iso:
            return iso, m.start()
    return None


def _iso(m: re.Match[str]) -> str | None:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    if m.group(4) is None:
        return date
    hour, minute = int(m.group(4)), int(m.group(5))
    second = int(m.group(6)) if m.group(6) is not None else 0
    if hour > 23 or minute > 59 or second > 59:
        return date
    return f"{date}T{hour:02d}:{minute:02d}:{second:02d}+08:00"


def is_date_only(text: str) -> bool:
    """True when ``text`` is nothing but a date (and time)."""
    m = DATE_RE.search(text)
    return bool(m) and not (text[: m.start()] + text[m.end():]).strip(" []【】()（）|")
