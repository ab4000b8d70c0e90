"""Metadata readers: meta tags, the displayed headline, date, 来源, 作者, section, site identity.

Displayed values win over meta tags (meta values are often stale or copy-pasted); meta
tags are the fallback and the reference used to recognise the headline among the lines.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.boilerplate import META_LABEL, is_meta_line
from archive.extract.dates import DATE_RE, find_date, is_date_only
from archive.extract.html_text import norm_line
from archive.extract.vocabulary import (
    AUTHOR_LABELS,
    CRUMB_LABELS,
    DATE_LABELS,
    DATE_META_NAMES,
    EMPTY_META_VALUES,
    HOME_CRUMBS,
    INSTITUTION_SUFFIXES,
    SITE_NAME_SUFFIXES,
    SOURCE_LABELS,
    VALUE_END_WORDS,
    alternatives,
)
from archive.site_identity import SITE_CODE_VALUE, find_host_org
from archive.site_identity import find_site_code as printed_site_code

_SPACE = re.compile(r"\s+")
# Separators with their spaces; a run of spaces is taken whole, from its first character
# (a `\s*` free to start anywhere in a long run costs its square).
_TITLE_SEP = re.compile(r"(?<!\s)\s*+(?:_|\||｜|--|—|–|－|-|::|»)\s*+")
_SITE_SUFFIX = re.compile(f"(?:{alternatives(SITE_NAME_SUFFIXES)})$")


def key(text: str) -> str:
    """Comparison key: whitespace removed."""
    return _SPACE.sub("", text)


def read_meta(root: etree._Element) -> dict[str, str]:
    """``<meta name|property|http-equiv>`` values by lower-cased name (first non-empty wins)."""
    metas: dict[str, str] = {}
    for m in root.iter("meta"):
        name = m.get("name") or m.get("property") or m.get("itemprop")
        if not name:
            continue
        value = norm_line(m.get("content") or "")
        name = name.strip().lower()
        if value.lower() in EMPTY_META_VALUES:
            metas.setdefault(name, "")
        elif not metas.get(name):
            metas[name] = value
    return metas


def html_title(root: etree._Element) -> str:
    for t in root.iter("title"):
        text = norm_line("".join(t.itertext()))
        if text:
            return text
    return ""


# --- headline -------------------------------------------------------------------------

def title_refs(metas: dict[str, str], page_title: str, site_names: set[str]) -> list[str]:
    """Reference forms of the title: ArticleTitle, og:title, and pieces of ``<title>``."""
    refs = [metas.get("articletitle", ""), metas.get("og:title", "")]
    if page_title:
        parts = [p for p in _TITLE_SEP.split(page_title) if p]
        refs.append(page_title)
        for i in range(1, len(parts)):
            refs.append(" ".join(parts[:i]))
            refs.append(" ".join(parts[i:]))
        refs.extend(parts)
    seen: list[str] = []
    for r in refs:
        k = key(r)
        if len(k) >= th.TITLE_REF_MIN_CHARS and k not in site_names and k not in seen:
            seen.append(k)
    return seen


def find_headline(lines: list[str], refs: list[str], body_start: int,
                  ) -> tuple[str, int, int] | None:
    """Locate the displayed headline: (text, first line, end line), nearest before the body.

    Up to four consecutive lines may form one headline (``<br>`` inside it); they are
    joined without a space. A line equal to a reference wins over a partial match.
    """
    if not refs:
        return None
    ref_set = set(refs)
    limit = min(len(lines), body_start + th.HEADLINE_AFTER_BODY)
    best: tuple[int, int, int, str] | None = None  # (rank, start, end, text)
    for i in range(limit):
        joined = ""
        parts: list[str] = []
        for j in range(i, min(i + th.HEADLINE_MAX_LINES, limit)):
            parts.append(lines[j])
            joined += key(lines[j])
            if len(joined) > th.HEADLINE_MAX_CHARS:
                break
            rank = 0
            if joined in ref_set:
                rank = 3
            elif j == i and len(joined) >= th.PARTIAL_TITLE_MIN_CHARS and any(
                r.startswith(joined) and len(joined) >= th.PARTIAL_TITLE_MIN_SHARE * len(r)
                for r in refs
            ):
                rank = 1
            if rank:
                before = i < body_start
                score = rank + (th.BEFORE_BODY_BONUS if before else 0)
                text = parts[0] if j == i else "".join(parts)
                cand = (score, i, j + 1, text)
                if best is None or cand[0] > best[0] or (cand[0] == best[0] and before):
                    best = cand
                if rank == 3:
                    break
    if best is None:
        return None
    return best[3], best[1], best[2]


# --- labelled values ------------------------------------------------------------------

# Where a labelled value ends: before a bracket, another label, a date, a page control, or
# the end. Tested at every character of the value, so a run of spaces is read only from
# its first character (`(?<!\s)`), never again from each of the others.
_LABEL_VALUE_END = (
    rf"(?=(?:(?<!\s)\s++)?(?:[【\[|]|{META_LABEL}\s*+[:：])"
    rf"|(?<!\s)\s++(?:[^\s:：]{{1,8}}[:：]|(?:19|20)\d{{2}}[-年/.]"
    rf"|(?:{alternatives(VALUE_END_WORDS)}))|$)"
)
_SOURCE_RE = re.compile(
    rf"(?:^|(?<=[\s【\[|(（]))(?:{alternatives(SOURCE_LABELS)})\s*+[:：]\s*+(.*?)"
    + _LABEL_VALUE_END
)
_AUTHOR_RE = re.compile(
    rf"(?:^|(?<=[\s【\[|(（]))(?:{alternatives(AUTHOR_LABELS)})\s*+[:：]\s*+(.*?)"
    + _LABEL_VALUE_END
)
_DATE_LABEL_RES = [
    (prio, re.compile(
        rf"(?:^|(?<=[\s【\[|(（]))(?:{alternatives(labels)})\s*+(?:[:：]|\|)\s*+"))
    for prio, labels in DATE_LABELS
]
_BARE_LABEL = re.compile(rf"^{META_LABEL}?[^\s:：]{{0,6}}\s*+[:：]$")


def _clean_value(value: str) -> str | None:
    value = value.strip(" 　:：|,，;；【】[]")
    if not value or _BARE_LABEL.match(value) or DATE_RE.match(value):
        return None
    return value


def labelled(lines: list[str], pattern: re.Pattern[str], order: list[int]) -> str | None:
    """First value of ``pattern`` over the lines in ``order``; a bare label takes the next line."""
    for i in order:
        m = pattern.search(lines[i])
        if not m:
            continue
        value = _clean_value(m.group(1))
        if value is None and m.end() >= len(lines[i].rstrip()) and i + 1 < len(lines):
            nxt = lines[i + 1]
            if (not _BARE_LABEL.match(nxt) and not is_date_only(nxt)
                    and len(nxt) <= th.NEXT_LINE_VALUE_MAX):
                value = _clean_value(nxt)
        if value:
            return value
        if pattern is _SOURCE_RE or pattern is _AUTHOR_RE:
            # The label is shown but empty: the page has no value.
            return ""
    return None


def find_source(lines: list[str], order: list[int]) -> str | None:
    return labelled(lines, _SOURCE_RE, order)


def find_author(lines: list[str], order: list[int]) -> str | None:
    return labelled(lines, _AUTHOR_RE, order)


def find_published(lines: list[str], order: list[int], after_title: list[int]) -> str | None:
    """The displayed publication date: labelled dates by label priority, then a bare date."""
    best: tuple[int, int, str] | None = None
    for rank, i in enumerate(order):
        line = lines[i]
        for prio, rx in _DATE_LABEL_RES:
            for m in rx.finditer(line):
                found = find_date(line[m.end():m.end() + th.DATE_AFTER_LABEL])
                if found is None or found[1] > th.DATE_LABEL_GAP_MAX:
                    if line[m.end():].strip() or i + 1 >= len(lines):
                        continue
                    found = find_date(lines[i + 1][:th.DATE_AFTER_LABEL])
                    if found is None or found[1] > th.DATE_LABEL_GAP_MAX:
                        continue
                cand = (prio, rank, found[0])
                if best is None or cand < best:
                    best = cand
    if best is not None:
        return best[2]
    for i in after_title:
        line = lines[i]
        if len(line) <= th.DATE_LINE_MAX and (is_date_only(line) or is_meta_line(line)):
            found = find_date(line)
            if found is not None:
                return found[0]
    return None


def meta_published(metas: dict[str, str]) -> str | None:
    for name in DATE_META_NAMES:
        if metas.get(name):
            found = find_date(metas[name])
            if found:
                return found[0]
    return None


# --- section and site identity ----------------------------------------------------------

_CRUMB_START = re.compile(
    rf"(?:{alternatives(CRUMB_LABELS)})(?:是)?\s*+[:：]|^首页(?:\s*+[>»›/]|$)"
)
_CRUMB_SEP = re.compile(r"(?<!\s)\s*+(?:>>|>|»|›|→|\|)\s*+")


_CRUMB_TRAIL = re.compile(
    r"^[^>»›]{1,20}+(?:\s*+(?:>>|>|»|›)\s*+[^>»›]{1,20}+){1,6}+\s*+(?:>>|>|»|›)?$")


def find_section(lines: list[str], before: int) -> str | None:
    """Innermost breadcrumb entry found above the headline (None when only 首页 is shown)."""
    for i in range(min(before, len(lines)) - 1, -1, -1):
        line = lines[i]
        if len(line) > th.CRUMB_LINE_MAX or not (
            _CRUMB_START.search(line)
            or (before - i <= th.CRUMB_TRAIL_REACH and _CRUMB_TRAIL.match(line))
        ):
            continue
        crumb = lines[i]
        j = i + 1
        while j < before and len(crumb) < th.CRUMB_MAX_CHARS and (
            re.match(r"^\s*(?:>>|>|»|›|→)", lines[j]) or re.search(r"(?:>>|>|»|›|→)\s*$", crumb)
        ):
            crumb += " " + lines[j]
            j += 1
        crumb = re.sub(r"^.*?位置(?:是)?\s*[:：]", "", crumb)
        parts = [p for p in _CRUMB_SEP.split(crumb) if p.strip()]
        if parts and parts[-1].strip() not in HOME_CRUMBS:
            return parts[-1].strip()
        return None
    return None


_INSTITUTION = re.compile(f"(?:{alternatives(INSTITUTION_SUFFIXES)})$")


def find_site_code(metas: dict[str, str], text: str) -> str | None:
    """The SiteIDCode meta if it is a well-formed code, else the one the page prints."""
    code = metas.get("siteidcode", "")
    if SITE_CODE_VALUE.fullmatch(code):
        return code
    return printed_site_code(text)


def find_site_name(metas: dict[str, str], page_title: str, footer: str) -> str | None:
    """SiteName meta without 门户网站, cross-checked with the footer's 主办 line."""
    name = _SITE_SUFFIX.sub("", metas.get("sitename", "")).strip()
    host_name = find_host_org(footer)
    if name and (_INSTITUTION.search(name) or not host_name):
        return name
    if host_name and host_name.endswith("人民政府"):
        return host_name
    if name:
        return name
    if page_title:
        parts = [p for p in _TITLE_SEP.split(page_title) if p]
        if parts:
            return _SITE_SUFFIX.sub("", parts[-1]).strip() or None
    return None


def find_canonical(root: etree._Element, metas: dict[str, str], url: str | None) -> str | None:
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            return urljoin(url, link.get("href").strip()) if url else link.get("href").strip()
    meta_url = metas.get("url", "")
    if meta_url:
        if url:
            return urljoin(url, meta_url)
        if re.match(r"https?://", meta_url):
            return meta_url
    return url
