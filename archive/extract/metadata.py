"""Metadata readers: meta tags, the displayed headline, date, 来源, 作者, section, site identity.

Displayed values win over meta tags (meta values are often stale or copy-pasted); meta
tags are the fallback and the reference used to recognise the headline among the lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
    DOCUMENT_DATE_LABELS,
    EMPTY_META_VALUES,
    HOME_CRUMBS,
    INSTITUTION_SUFFIXES,
    MINISTRY_NAME_ENDINGS,
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
_MINISTRY_PORTAL = re.compile(f"(?<=[{MINISTRY_NAME_ENDINGS}])政府门户网站$")


def site_name_of(text: str) -> str:
    """A site's name without 门户网站/官网 (and a ministry's 政府门户网站: 教育部政府门户网站 is
    教育部's site; 某某县政府门户网站 stays 某某县政府)."""
    return _SITE_SUFFIX.sub("", _MINISTRY_PORTAL.sub("", text.strip())).strip()


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
    joined without a space. A line equal to a reference (or one followed by its date on the
    line) wins over a partial match.
    """
    if not refs:
        return None
    ref_set = set(refs)
    lengths = sorted({len(r) for r in refs if len(r) >= th.PARTIAL_TITLE_MIN_CHARS},
                     reverse=True)
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
            text = parts[0] if j == i else "".join(parts)
            if joined in ref_set:
                rank = 3
            elif j == i and (head := _dated_headline(lines[i], joined, ref_set, lengths)):
                rank, text = 3, head  # the reference itself, its date beside it
            elif j == i and len(joined) >= th.PARTIAL_TITLE_MIN_CHARS and any(
                r.startswith(joined) and len(joined) >= th.PARTIAL_TITLE_MIN_SHARE * len(r)
                for r in refs
            ):
                rank = 1
            if rank:
                before = i < body_start
                score = rank + (th.BEFORE_BODY_BONUS if before else 0)
                cand = (score, i, j + 1, text)
                if best is None or cand[0] > best[0] or (cand[0] == best[0] and before):
                    best = cand
                if rank == 3:
                    break
    if best is None:
        return None
    return best[3], best[1], best[2]


def _dated_headline(line: str, line_key: str, ref_set: set[str], lengths: list[int]
                    ) -> str | None:
    """The headline of a line that holds a reference form of it followed by the date or
    the metadata line (标题 ( 2024-05-11), 标题 2023-08-19 来源：…), as templates put them in
    one heading element; None for any other line. ``lengths``: those of the references,
    longest first (a line is looked up once per length, not once per reference)."""
    for n in lengths:
        if n < len(line_key) and line_key[:n] in ref_set:
            head, rest = split_after_key(line, n)
            if is_date_only(rest) or is_meta_line(rest):
                return head
    return None


def split_after_key(line: str, n: int) -> tuple[str, str]:
    """``line`` cut after its first ``n`` non-whitespace characters (the length of a
    ``key``): the part with them (trailing spaces dropped) and the rest."""
    count = 0
    for pos, ch in enumerate(line):
        if not ch.isspace():
            if count == n:
                return line[:pos].rstrip(), line[pos:]
            count += 1
    return line, ""


def dated_rest(line: str, title_key: str) -> str:
    """What follows the headline (as ``title_key``) on its line where that is its date or
    metadata line (标题 2023-08-19 来源：…); else ""."""
    k = key(line)
    if len(k) <= len(title_key) or not k.startswith(title_key):
        return ""
    rest = split_after_key(line, len(title_key))[1]
    return rest if is_date_only(rest) or is_meta_line(rest) else ""


def strip_trailing_date(text: str) -> str:
    """A heading without the date a template appends to it (标题 ( 2024-05-11))."""
    last = None
    for m in DATE_RE.finditer(text):
        last = m
    if last is None or text[last.end():].strip(" )）]】|"):
        return text
    head = text[:last.start()].rstrip(" (（[【|")
    return head if len(key(head)) >= th.HEADING_MIN_CHARS else text


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


def _labelled_dates(line: str, nxt: str | None) -> Iterator[tuple[int, str, str]]:
    """(priority, label, date) of each labelled date on ``line`` (a bare label at its end
    takes its date from ``nxt``, the next line)."""
    for prio, rx in _DATE_LABEL_RES:
        for m in rx.finditer(line):
            found = find_date(line[m.end():m.end() + th.DATE_AFTER_LABEL])
            if found is None or found[1] > th.DATE_LABEL_GAP_MAX:
                if line[m.end():].strip() or nxt is None:
                    continue
                found = find_date(nxt[:th.DATE_AFTER_LABEL])
                if found is None or found[1] > th.DATE_LABEL_GAP_MAX:
                    continue
            yield prio, m.group(0), found[0]


def find_published(lines: list[str], order: list[int], after_title: list[int],
                   anchor: int = 0, title_rest: str = "") -> str | None:
    """The displayed publication date: labelled dates by label priority, then a bare date.

    A document's own date (成文/生成/印发日期, DOCUMENT_DATE_LABELS) is no publication date:
    where it is the best labelled date near the headline, a 发布日期 the page shows on a
    metadata line elsewhere (the nearest to ``anchor``) is taken before it. The PubDate
    meta is not: where the page shows only the document's date, the meta is often the
    time the page was generated again. ``title_rest``: the date or metadata line shown on
    the headline's own line (see ``dated_rest``), the first place for a bare date."""
    best: tuple[int, int, str, str] | None = None
    for rank, i in enumerate(order):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        for prio, label, date in _labelled_dates(lines[i], nxt):
            cand = (prio, rank, date, label)
            if best is None or cand < best:
                best = cand
    if best is not None:
        if any(word in best[3] for word in DOCUMENT_DATE_LABELS):
            return _published_elsewhere(lines, set(order), anchor) or best[2]
        return best[2]
    found = find_date(title_rest) if title_rest else None
    if found is not None:
        return found[0]
    for i in after_title:
        line = lines[i]
        if len(line) <= th.DATE_LINE_MAX and (is_date_only(line) or is_meta_line(line)):
            found = find_date(line)
            if found is not None:
                return found[0]
    return None


def _published_elsewhere(lines: list[str], searched: set[int], anchor: int) -> str | None:
    """A publication label's date on a metadata line outside the searched lines (the
    发布日期 line some templates print under the body), the nearest to ``anchor``."""
    best: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        if i in searched or not is_meta_line(line):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        for prio, _label, date in _labelled_dates(line, nxt):
            if prio == 0 and (best is None or abs(i - anchor) < best[0]):
                best = (abs(i - anchor), date)
    return best[1] if best else None


def more_precise(published: str | None, lines: list[str], after_title: list[int],
                 title_rest: str) -> str | None:
    """`published` with its time of day, where it is a bare day (a 发布日期 in an info
    box) and the headline's own line or a date line under it shows the same day with a
    time. The PubDate meta is not asked (it is often the time the page was generated)."""
    if published is None or len(published) != 10:
        return published
    shown = [title_rest] + [lines[i] for i in after_title if len(lines[i]) <= th.DATE_LINE_MAX]
    for text in shown:
        found = find_date(text) if text else None
        if found and len(found[0]) > 10 and found[0][:10] == published:
            return found[0]
    return published


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
    name = site_name_of(metas.get("sitename", ""))
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
            return site_name_of(parts[-1]) or None
    return None


def without_site_name(page_title: str, site_keys: set[str]) -> str:
    """``<title>`` without the site's name after its last separator (标题 - 某某区人民政府门户
    网站), where that part is the known site name (门户网站/官网 and the like aside)."""
    last = None
    for m in _TITLE_SEP.finditer(page_title):
        last = m
    if last is None or last.start() == 0:
        return page_title
    tail = key(site_name_of(page_title[last.end():]))
    return page_title[:last.start()] if tail and tail in site_keys else page_title


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
