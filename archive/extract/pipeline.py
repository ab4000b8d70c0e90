"""The extraction pipeline on decoded text: parse, choose body, render, clean, read metadata."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from archive.errors import ExtractionError
from archive.extract import metadata as md
from archive.extract.attachments import find_attachments
from archive.extract.body import BodyChoice, readability_lines, score_blocks
from archive.extract.boilerplate import is_boilerplate_box, is_boilerplate_line
from archive.extract.dates import is_date_only
from archive.extract.html_text import render_lines
from archive.extract.parse import parse_html, prune

_CANDIDATES = 10
_MIN_BODY_SCORE = 20.0
_FOOTNOTE = re.compile(r"^(?:[\[［(（]?\d{1,2}[\]］)）]?|[*＊]+)$")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_PAGINATION = re.compile(r"createPageHTML|countPage|下一页|尾页|共\s*\d+\s*页|index_1\.")


def _choose(ranked: list[BodyChoice], pos: dict[str, tuple[int, int]],
            headline: tuple[str, int, int] | None) -> tuple[BodyChoice, tuple[int, int]] | None:
    """Best candidate, preferring blocks that start right after the headline."""
    best: tuple[float, BodyChoice, tuple[int, int]] | None = None
    for i, cand in enumerate(ranked):
        span = pos.get(f"c{i}")
        if span is None or span[0] == span[1]:
            continue
        score = cand.score
        if headline is not None:
            h_start, h_end = headline[1], headline[2]
            if span[1] <= h_start:
                score *= 0.2
            elif span[0] >= h_end:
                score /= 1 + max(0, span[0] - h_end - 5) / 15
        if best is None or score > best[0]:
            best = (score, cand, span)
    return (best[1], best[2]) if best else None


def strip_headline(lines: list[str], title: str | None) -> list[str]:
    """Drop the headline (and a typeset deck around it) repeated at the top of the body."""
    if not title or not lines:
        return lines
    tk = md.key(title)
    i = 0
    while i < min(len(lines), 8):
        k = md.key(lines[i])
        joined, j = k, i
        while len(joined) < len(tk) and j + 1 < len(lines) and tk.startswith(joined):
            j += 1
            joined += md.key(lines[j])
        if joined == tk:
            return _strip_subtitle(lines[j + 1:])
        if tk in k:
            extra = k.replace(tk, "", 1)
            if _FOOTNOTE.match(extra):
                return _strip_subtitle(lines[i + 1:])
            if len(extra) <= 12 and not _SENTENCE_END.search(lines[i]):
                return _strip_deck(lines[i + 1:])
        if i >= 3 or len(lines[i]) > 40 or _SENTENCE_END.search(lines[i]):
            break
        i += 1
    return lines


def _strip_subtitle(lines: list[str]) -> list[str]:
    if lines and lines[0].startswith(("——", "—", "--")) and len(lines[0]) <= 60:
        return lines[1:]
    return lines


def _strip_deck(lines: list[str]) -> list[str]:
    """After a kicker-form headline, the short unpunctuated deck lines that follow it."""
    i = 0
    while i < min(len(lines), 5):
        line = lines[i]
        if (len(line) > 40 or _SENTENCE_END.search(line) or is_date_only(line)
                or line.startswith(("（", "("))):
            break
        i += 1
    return lines[i:]


def clean_body(lines: list[str], title: str | None) -> list[str]:
    """Body lines without boilerplate lines and without the repeated headline."""
    kept = [ln for ln in lines if not is_boilerplate_line(ln)]
    return strip_headline(kept, title)


_HEADINGS = etree.XPath(
    "//h1|//h2|//h3|//*[contains(@class,'title') or contains(@class,'biaoti')]"
)


def _heading_before(lines: list[str], pos: dict[str, tuple[int, int]], body_start: int,
                    site_keys: set[str]) -> tuple[str, int, int] | None:
    """Without title references: the heading element closest above the body."""
    best: tuple[int, int] | None = None
    for name, (start, end) in pos.items():
        if not name.startswith("h") or end <= start or end > body_start + 1:
            continue
        if body_start - end > 8 or end - start > 3:
            continue
        text = "".join(lines[start:end])
        if not 4 <= len(text) <= 100 or md.key(text) in site_keys or is_boilerplate_line(text):
            continue
        if best is None or end > best[1]:
            best = (start, end)
    if best is None:
        return None
    return "".join(lines[best[0]:best[1]]), best[0], best[1]


def _metadata_order(n: int, anchor: int, anchor_end: int, body: tuple[int, int]) -> list[int]:
    """Line indices to search for labelled metadata, nearest the headline first."""
    after = list(range(anchor_end, min(n, max(body[0], anchor_end) + 8)))
    before = list(range(anchor - 1, max(-1, anchor - 26), -1))
    inside = [i for i in range(body[0], min(body[1], body[0] + 8)) if i not in after]
    seen: set[int] = set()
    order = []
    for i in after + before + inside:
        if i not in seen and 0 <= i < n:
            seen.add(i)
            order.append(i)
    return order


def run(text: str, url: str | None) -> dict[str, Any]:
    """Extract fields from decoded HTML text (see ``archive.extract.extract``)."""
    root = parse_html(text)
    metas = md.read_meta(root)
    page_title = md.html_title(root)
    canonical = md.find_canonical(root, metas, url)
    prune(root)
    attachments = find_attachments(root, canonical if url is None else url)
    ranked = score_blocks(root)[:_CANDIDATES]
    marks = {c.element: f"c{i}" for i, c in enumerate(ranked)}
    for i, h in enumerate(_HEADINGS(root)[:60]):
        marks.setdefault(h, f"h{i}")
    lines, pos = render_lines(root, marks, drop=is_boilerplate_box)
    if not lines:
        raise ExtractionError("no text found in page")
    all_text = "\n".join(lines)

    site_name = md.find_site_name(metas, page_title, all_text[-3000:])
    site_keys = {md.key(s) for s in (site_name or "", metas.get("sitename", "")) if s}
    refs = md.title_refs(metas, page_title, site_keys)

    chosen = _choose(ranked, pos, None)
    body_span = chosen[1] if chosen else (len(lines), len(lines))
    headline = md.find_headline(lines, refs, body_span[0])
    if chosen is not None and headline is not None:
        chosen = _choose(ranked, pos, headline)
        if chosen is not None and chosen[1] != body_span:
            body_span = chosen[1]
            headline = md.find_headline(lines, refs, body_span[0]) or headline

    anchored = headline is not None or bool(metas.get("articletitle"))
    if headline is None and chosen is not None:
        headline = _heading_before(lines, pos, body_span[0], site_keys)
    title = headline[0] if headline else None
    if title is None and refs:
        title = metas.get("articletitle") or None
    body_lines: list[str] = []
    if chosen is not None and chosen[0].score >= _MIN_BODY_SCORE:
        body_lines = clean_body(lines[body_span[0]:body_span[1]], title)
    elif headline is not None or metas.get("articletitle"):
        body_lines = clean_body(readability_lines(text), title)

    anchor, anchor_end = (headline[1], headline[2]) if headline else (body_span[0],) * 2
    order = _metadata_order(len(lines), anchor, anchor_end, body_span)
    after_title = list(range(anchor_end, min(len(lines), anchor_end + 6)))
    published = md.find_published(lines, order, after_title) or md.meta_published(metas)
    source = md.find_source(lines, order) or metas.get("contentsource") or metas.get(
        "source") or None
    author = md.find_author(lines, order) or None
    section = md.find_section(lines, anchor) or metas.get("columnname") or None

    body_text = "\n".join(body_lines)
    kind = _kind(body_text, chosen, anchored, metas, text)
    if kind != "article":
        body_text = ""
        # A list is named by its section; any other page by its <title>.
        title = (section or title) if kind == "list" else (page_title or title)
    return {
        "title": title,
        "published_at": published if kind == "article" else None,
        "source": source if kind == "article" else None,
        "author": author if kind == "article" else None,
        "section": section,
        "site_name": site_name,
        "site_id_code": md.find_site_code(metas, all_text),
        "icp": md.find_icp(all_text),
        "canonical_url": canonical,
        "keywords": metas.get("keywords") or None,
        "description": metas.get("description") or None,
        "text": body_text,
        "kind": kind,
        "attachments": attachments if kind == "article" else [],
    }


def _kind(body: str, chosen: tuple[BodyChoice, tuple[int, int]] | None,
          anchored: bool, metas: dict[str, str], raw: str) -> str:
    """article when the body sits under the page's own title or is long prose; else list/other.

    ``anchored`` means the headline matched ArticleTitle/``<title>``; without that a
    body needs real length (a homepage's lead summary is not an article).
    """
    if metas.get("pagecategory", "").lower() == "index":
        return "other"
    prose = len(md.key(body))
    if prose >= 30 and anchored:
        return "article"
    if prose >= 200 and chosen is not None and chosen[0].link_density < 0.3:
        return "article"
    if _PAGINATION.search(raw):
        return "list"
    return "other"
