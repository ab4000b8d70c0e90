"""The extraction pipeline on decoded text: parse, choose body, render, clean, read metadata."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from archive.extract import metadata as md
from archive.extract import thresholds as th
from archive.extract.attachments import find_attachments, is_attachment_line, link_keys
from archive.extract.body import BodyChoice, score_blocks
from archive.extract.boilerplate import (
    is_boilerplate_box,
    is_boilerplate_line,
    is_meta_line,
    trim_tool_lines,
)
from archive.extract.dates import find_date, is_date_only
from archive.extract.docfields import document_fields, empty_document
from archive.extract.fallback import (
    BodyText,
    better,
    confidence,
    readability_body,
    template_of,
)
from archive.extract.html_text import Mark, render_lines
from archive.extract.pagekind import dated_list_size, info_boxes, looks_like_error
from archive.extract.parse import Dropped, parse_html, prune
from archive.extract.vocabulary import (
    HEADLINE_CLASS_WORDS,
    PAGINATION_MARKERS,
    SENTENCE_END_CHARS,
    alternatives,
)
from archive.site_identity import find_icp

_FOOTNOTE = re.compile(r"^(?:[\[［(（]?\d{1,2}[\]］)）]?|[*＊]+)$")
_SENTENCE_END = re.compile(f"[{SENTENCE_END_CHARS}]")
_PAGINATION = re.compile(
    alternatives(map(re.escape, PAGINATION_MARKERS)) + r"|共\s*\d+\s*页")


def _choose(ranked: list[BodyChoice], pos: dict[Mark, tuple[int, int]],
            headline: tuple[str, int, int] | None) -> tuple[BodyChoice, tuple[int, int]] | None:
    """Best candidate, preferring blocks that start right after the headline."""
    best: tuple[float, BodyChoice, tuple[int, int]] | None = None
    for i, cand in enumerate(ranked):
        span = pos.get(Mark("candidate", i))
        if span is None or span[0] == span[1]:
            continue
        score = cand.score
        if headline is not None:
            h_start, h_end = headline[1], headline[2]
            if span[1] <= h_start:
                score *= th.ABOVE_HEADLINE_FACTOR
            elif span[0] >= h_end:
                gap = max(0, span[0] - h_end - th.HEADLINE_GAP_FREE)
                score /= 1 + gap / th.HEADLINE_GAP_SCALE
        if best is None or score > best[0]:
            best = (score, cand, span)
    return (best[1], best[2]) if best else None


def strip_headline(lines: list[str], title: str | None) -> list[str]:
    """Drop the headline (and a typeset deck around it) repeated at the top of the body."""
    if not title or not lines:
        return lines
    tk = md.key(title)
    i = 0
    while i < min(len(lines), th.HEADLINE_SEARCH_LINES):
        k = md.key(lines[i])
        joined, j = k, i
        while len(joined) < len(tk) and j + 1 < len(lines) and tk.startswith(joined):
            j += 1
            joined += md.key(lines[j])
        if joined == tk:
            return _strip_subtitle(lines[j + 1:])
        if (k in tk and len(k) >= max(th.REPEATED_TITLE_MIN_CHARS, len(tk) // 2) and i == 0
                and not _SENTENCE_END.search(lines[i])):
            # A shorter form of the headline typeset as the document's own title.
            return _strip_subtitle(lines[i + 1:])
        if md.dated_rest(lines[i], tk):
            # The headline with its date or metadata line in one element.
            return _strip_subtitle(lines[i + 1:])
        if tk in k:
            extra = k.replace(tk, "", 1)
            if _FOOTNOTE.match(extra):
                return _strip_subtitle(lines[i + 1:])
            if len(extra) <= th.TITLE_EXTRA_MAX and not _SENTENCE_END.search(lines[i]):
                return _strip_deck(lines[i + 1:])
        if (i >= th.HEADLINE_SKIP_LINES or len(lines[i]) > th.DECK_LINE_MAX
                or _SENTENCE_END.search(lines[i])):
            break
        i += 1
    return lines


def _strip_subtitle(lines: list[str]) -> list[str]:
    if lines and lines[0].startswith(("——", "—", "--")) and len(lines[0]) <= th.SUBTITLE_MAX:
        return lines[1:]
    return lines


def _strip_deck(lines: list[str]) -> list[str]:
    """After a kicker-form headline, the short unpunctuated deck lines that follow it."""
    i = 0
    while i < min(len(lines), th.DECK_MAX_LINES):
        line = lines[i]
        if (len(line) > th.DECK_LINE_MAX or _SENTENCE_END.search(line) or is_date_only(line)
                or line.startswith(("（", "("))):
            break
        i += 1
    return lines[i:]


def clean_body(lines: list[str], title: str | None, links: set[str] | None = None
               ) -> list[str]:
    """Body lines without boilerplate, attachment links, the repeated headline and the tool
    lines at either end."""
    links = links or set()
    kept = [ln for ln in lines
            if not is_boilerplate_line(ln) and not is_attachment_line(ln, links)]
    return trim_tool_lines(strip_headline(trim_tool_lines(kept), title))


_HEADINGS = etree.XPath("//h1|//h2|//h3|//*[" + " or ".join(
    f"contains(@class,'{word}')" for word in HEADLINE_CLASS_WORDS) + "]")


def _heading_before(lines: list[str], pos: dict[Mark, tuple[int, int]], body_start: int,
                    site_keys: set[str]) -> tuple[str, int, int] | None:
    """Without title references: the heading element closest above the body."""
    best: tuple[int, int] | None = None
    for mark, (start, end) in pos.items():
        if mark.kind != "heading" or end <= start or end > body_start + 1:
            continue
        if body_start - end > th.HEADING_GAP_MAX or end - start > th.HEADING_MAX_LINES:
            continue
        text = "".join(lines[start:end])
        if (not th.HEADING_MIN_CHARS <= len(text) <= th.HEADING_MAX_CHARS
                or md.key(text) in site_keys or is_boilerplate_line(text)):
            continue
        if best is None or end > best[1]:
            best = (start, end)
    if best is None:
        return None
    return md.strip_trailing_date("".join(lines[best[0]:best[1]])), best[0], best[1]


def _metadata_order(n: int, anchor: int, anchor_end: int, body: tuple[int, int]) -> list[int]:
    """Line indices to search for labelled metadata, nearest the headline first."""
    after = list(range(anchor_end, min(n, max(body[0], anchor_end) + th.META_AFTER_LINES)))
    before = list(range(anchor - 1, max(-1, anchor - 1 - th.META_BEFORE_LINES), -1))
    inside = [i for i in range(body[0], min(body[1], body[0] + th.META_INSIDE_LINES))
              if i not in after]
    seen: set[int] = set()
    order = []
    for i in after + before + inside:
        if i not in seen and 0 <= i < n:
            seen.add(i)
            order.append(i)
    return order


def run(text: str, url: str | None, root: etree._Element | None = None,
        undo: list[Dropped] | None = None) -> dict[str, Any]:
    """Extract fields from decoded HTML text (see ``archive.extract.extract``).

    ``root``: ``text`` already parsed by ``parse_html``; it is pruned in place, each
    removal logged in ``undo`` if given (``parse.unprune`` puts the tree back)."""
    if root is None:
        root = parse_html(text)
    metas = md.read_meta(root)
    page_title = md.html_title(root)
    canonical = md.find_canonical(root, metas, url)
    prune(root, undo)
    attachments = find_attachments(root, canonical if url is None else url)
    boxes = info_boxes(root, text)
    document = document_fields(boxes)
    box_tests: dict[etree._Element, bool] = {}  # scoring and rendering ask about the same

    def is_box(el: etree._Element) -> bool:
        found = box_tests.get(el)
        if found is None:
            found = box_tests[el] = is_boilerplate_box(el)
        return found

    ranked = score_blocks(root, frozenset(boxes), is_box, pruned=True)[:th.CANDIDATES]
    marks = {c.element: Mark("candidate", i) for i, c in enumerate(ranked)}
    for i, box in enumerate(boxes):
        marks.setdefault(box, Mark("box", i))
    for i, h in enumerate(_HEADINGS(root)[:th.HEADING_MARKS]):
        marks.setdefault(h, Mark("heading", i))
    lines, pos = render_lines(root, marks, drop=is_box, pruned=True)
    if not lines:
        # A redirect stub or a script-only page: a page, but not an article.
        return _empty_page(metas, page_title, canonical)
    all_text = "\n".join(lines)

    site_name = md.find_site_name(metas, page_title, all_text[-th.FOOTER_CHARS:])
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

    if headline is not None and body_span[0] < headline[1] < body_span[1]:
        # What a container holds above the headline (info tables, kickers) is not body.
        body_span = (headline[1], body_span[1])
    anchored = headline is not None or bool(metas.get("articletitle"))
    if headline is None and chosen is not None:
        headline = _heading_before(lines, pos, body_span[0], site_keys)
    title = headline[0] if headline else None
    if title is None and refs:
        title = metas.get("articletitle") or None
    if title is None:
        # The 标题/名称 an information box prints, when the page names itself nowhere else.
        title = document.title
    meta_rows = {i for mark, (a, b) in pos.items() if mark.kind == "box" for i in range(a, b)}
    box_lines = {lines[i] for i in meta_rows}
    body = BodyText("none", [], 0.0)
    fallback: BodyText | None = None
    if chosen is not None and chosen[0].score >= th.MIN_BODY_SCORE:
        span = [ln for i, ln in enumerate(lines[body_span[0]:body_span[1]], body_span[0])
                if i not in meta_rows]
        body = BodyText("rules", clean_body(span, title, link_keys(chosen[0].element)),
                        chosen[0].link_density)
    elif headline is not None or metas.get("articletitle"):
        fallback = _cleaned(readability_body(text), title, box_lines)
        body = fallback
    body_lines = body.lines

    anchor, anchor_end = (headline[1], headline[2]) if headline else (body_span[0],) * 2
    order = _metadata_order(len(lines), anchor, anchor_end, body_span)
    after_title = list(range(anchor_end, min(len(lines), anchor_end + th.AFTER_TITLE_LINES)))
    # The date (and 来源) a template prints inside the headline element, after the headline.
    title_rest = md.dated_rest(lines[anchor_end - 1], md.key(title)) if headline and title else ""
    published = md.more_precise(
        md.find_published(lines, order, after_title, anchor, title_rest)
        or md.meta_published(metas), lines, after_title, title_rest)
    source = md.find_source(lines, order) or metas.get("contentsource") or metas.get(
        "source") or None
    author = md.find_author(lines, order) or None
    crumb = md.find_section(lines, anchor)
    section = crumb or metas.get("columnname") or None

    body_text = "\n".join(body_lines)
    dated = headline is not None and (bool(title_rest and find_date(title_rest)) or any(
        (is_date_only(lines[i]) or is_meta_line(lines[i])) and find_date(lines[i])
        for i in after_title[:th.DATED_TITLE_LINES]))
    signals = {"anchored": anchored, "dated": dated, "titled": bool(refs), "crumb": bool(crumb),
               "error": looks_like_error(page_title, title, body_text[:th.ERROR_BODY_CHARS]),
               "share": len(md.key(body_text)) / max(1, len(md.key(all_text)))}
    kind = _kind(body_text, chosen, signals, metas, text, root)
    if kind != "article":
        # Rules unsure: the better of their body and the general extractor's, if either
        # is text of the page's own; none for an error page or a page its CMS calls the
        # homepage.
        best = None
        if not signals["error"] and metas.get("pagecategory", "").lower() != "index":
            if fallback is None:
                fallback = _cleaned(readability_body(text), title, box_lines)
            best = better([body, fallback])
        body = best or BodyText("none", [], 0.0)
        if best is not None and title is None:
            title, lines_kept = _leading_headline(body.lines)
            body = BodyText(body.method, lines_kept, body.link_share)
        body_text = "\n".join(body.lines)
        if not body_text:
            # A list is named by its section; any other page by its <title>.
            title = (section or title) if kind == "list" else (
                _without_site_name(page_title, metas, all_text[-th.FOOTER_CHARS:]) or title)
    kept = bool(body_text)  # an article's, or text a page reached as one would keep
    return {
        "title": title,
        "published_at": published if kept else None,
        "source": source if kept else None,
        "author": author if kept else None,
        "section": section,
        "site_name": site_name,
        "site_id_code": md.find_site_code(metas, all_text),
        "icp": find_icp(all_text),
        "canonical_url": canonical,
        "keywords": metas.get("keywords") or None,
        "description": metas.get("description") or None,
        "text": body_text,
        "kind": kind,
        "method": body.method if kept else "none",
        "template": (template_of(chosen[0].element) if body.method == "rules" and chosen
                     else body.method) if kept else None,
        "confidence": confidence(body.method, kind, anchored, dated, bool(refs),
                                 body.prose) if kept else 0.0,
        "attachments": attachments if kept else [],
        "document": document.fields if kept else empty_document(),
    }


def _leading_headline(lines: list[str]) -> tuple[str | None, list[str]]:
    """A headline the general extractor left at the top of its body: the first of its first
    lines that reads as one (one run of text, no sentence end, heading length); the lines
    from the one after it on."""
    for i, line in enumerate(lines[:th.FALLBACK_HEADLINE_LINES]):
        if (th.HEADING_MIN_CHARS <= len(line) <= th.HEADING_MAX_CHARS and " " not in line
                and not _SENTENCE_END.search(line) and not is_boilerplate_line(line)
                and not is_date_only(line)):
            return line, lines[i + 1:]
    return None, lines


def _cleaned(found: BodyText, title: str | None, box_lines: set[str] | None = None
             ) -> BodyText:
    """The general extractor's body without boilerplate, the repeated headline and the
    lines of the page's information boxes (``box_lines``, as the rules rendered them)."""
    lines = [ln for ln in found.lines if ln not in box_lines] if box_lines else found.lines
    return BodyText(found.method, clean_body(lines, title), found.link_share)


def _without_site_name(page_title: str, metas: dict[str, str], footer: str) -> str:
    """``<title>`` without the site's name where the page names its site apart from the
    title (SiteName meta, the footer's 主办): a name read off the title itself is no check."""
    known = {md.key(s) for s in (md.find_site_name(metas, "", footer), metas.get("sitename"))
             if s}
    return md.without_site_name(page_title, known) if known else page_title


def _empty_page(metas: dict[str, str], page_title: str, canonical: str | None
                ) -> dict[str, Any]:
    """Fields of a page that shows no text at all (redirect stub, script shell)."""
    return {
        "title": _without_site_name(page_title, metas, "") or None, "published_at": None,
        "source": None, "author": None, "section": None,
        "site_name": md.find_site_name(metas, page_title, ""),
        "site_id_code": md.find_site_code(metas, ""), "icp": None, "canonical_url": canonical,
        "keywords": metas.get("keywords") or None,
        "description": metas.get("description") or None, "text": "", "kind": "other",
        "method": "none", "template": None, "confidence": 0.0, "attachments": [],
        "document": empty_document(),
    }


def _kind(body: str, chosen: tuple[BodyChoice, tuple[int, int]] | None,
          signals: dict[str, Any], metas: dict[str, str], raw: str, root: etree._Element
          ) -> str:
    """article, list or other.

    An article's body sits under its own headline (matched with ArticleTitle/``<title>``,
    or followed by a displayed date), or is long prose that is a fair share of a page
    whose ``<title>`` is more than the site name (a homepage's lead is not an article).
    Error pages are never articles. A list shows pagination (TRS script, Hanweb
    datastore), or a breadcrumb and one dominant list of dated links (a homepage has
    no breadcrumb).
    """
    if metas.get("pagecategory", "").lower() == "index":
        return "other"
    prose = len(md.key(body))
    if signals["error"] and prose < th.ERROR_MAX_PROSE:
        return "other"
    if prose >= th.ARTICLE_MIN_PROSE and (signals["anchored"] or signals["dated"]):
        return "article"
    if (prose >= th.UNANCHORED_MIN_PROSE and chosen is not None
            and chosen[0].link_density < th.UNANCHORED_MAX_LINK_DENSITY
            and signals["share"] >= th.UNANCHORED_MIN_SHARE and signals["titled"]):
        return "article"
    if _PAGINATION.search(raw) or (signals["crumb"] and dated_list_size(root)):
        return "list"
    return "other"
