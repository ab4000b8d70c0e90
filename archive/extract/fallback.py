"""When the rules are unsure of a page: the general extractor's body, the better of the two,
and how sure the extractor is of what it kept.

The general extractor is readability-lxml: a dependency already, and on the real pages
measured for issue 16 it scored body F1 0.879 on 69 general Chinese news pages (our rules
alone 0.544) and 0.897 on 10 government articles (trafilatura 0.916).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.html_text import tag_of
from archive.extract.metadata import key

EXTRACTOR_VERSION = 5
"""Raised whenever a change of the extractor changes what it finds on some page; rows keep
the version that extracted them (1: before the version was recorded), and `govarc
reextract --before-version V` re-derives the older ones."""


@dataclass(frozen=True)
class BodyText:
    """A body as one extractor found it: its lines and the share of its text in links."""

    method: str  # "rules" or "fallback"
    lines: list[str]
    link_share: float

    @cached_property  # asked by eligible(), better() and confidence(): counted once
    def prose(self) -> int:
        """Letters, digits and CJK characters (punctuation, symbols and spaces not counted)."""
        return sum(ch.isalnum() for line in self.lines for ch in line)

    def eligible(self) -> bool:
        """Text of the page's own: long enough, and not mostly link labels (a list)."""
        return (self.prose >= th.FALLBACK_MIN_PROSE
                and self.link_share <= th.FALLBACK_MAX_LINK_SHARE)


def readability_body(html: str) -> BodyText:
    """readability-lxml's summary rendered by our text rules, with its link share.

    Pages past FALLBACK_MAX_CHARS are not given to it (its scoring is not linear in the
    page); it raises bare Exceptions on odd input, which mean "no body" here."""
    import lxml.html
    from readability import Document

    from archive.extract.html_text import render_lines

    if len(html) > th.FALLBACK_MAX_CHARS:
        return BodyText("fallback", [], 0.0)
    try:
        summary = Document(html).summary(html_partial=True)
        if not summary.strip():
            return BodyText("fallback", [], 0.0)
        fragment = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception:  # readability and lxml fail in many ways on junk
        return BodyText("fallback", [], 0.0)
    lines = render_lines(fragment)[0]
    total = sum(len(key(line)) for line in lines)
    linked = sum(len(key(t)) for a in fragment.iter("a") for t in a.itertext())
    return BodyText("fallback", lines, min(1.0, linked / total) if total else 0.0)


def better(candidates: list[BodyText]) -> BodyText | None:
    """Of the eligible bodies, the one with the most text (None if none is eligible).

    A list page's "body" is its list: mostly links, so not eligible; of two real bodies
    the longer is the one that did not stop at a figure, a table or a subhead."""
    eligible = [c for c in candidates if c.eligible()]
    return max(eligible, key=lambda c: c.prose) if eligible else None


def confidence(method: str, kind: str, anchored: bool, dated: bool, titled: bool,
               prose: int) -> float:
    """How sure the extractor is that the text is the page's article body, 0 to 1.

    Rules on a page they call an article start at 0.5, fallback text at 0.3 (0.2 on a page
    the rules call something else); each sign of an article adds: a headline matched
    with ArticleTitle/<title> (0.2), a date shown under it (0.1), a <title> that names more
    than the site (0.1), a body of at least LONG_BODY_PROSE characters (0.1)."""
    if method == "none":
        return 0.0
    if method == "rules":
        base = 0.5 if kind == "article" else 0.2
    else:
        base = 0.3 if kind == "article" else 0.2
    score = (base + 0.2 * anchored + 0.1 * dated + 0.1 * titled
             + 0.1 * (prose >= th.LONG_BODY_PROSE))
    return round(min(1.0, score), 2)


_DIGITS = re.compile(r"\d+")


def template_of(element: etree._Element | None) -> str:
    """The page template's signature: the body container and its two ancestors as tag,
    id and first class (digit runs as N, so per-page ids do not count), innermost first.
    A section's articles share it until the portal is redesigned."""
    parts = []
    while element is not None and len(parts) < th.TEMPLATE_DEPTH:
        tag = tag_of(element)
        if tag in ("body", "html", ""):
            break
        ident = (element.get("id") or "")[:th.TEMPLATE_NAME_CHARS]
        classes = (element.get("class") or "").split()
        name = tag + (f"#{_DIGITS.sub('N', ident)}" if ident else "")
        name += f".{_DIGITS.sub('N', classes[0][:th.TEMPLATE_NAME_CHARS])}" if classes else ""
        parts.append(name)
        element = element.getparent()
    return " < ".join(parts)
