"""Body selection: find the element that holds the article text.

One bottom-up pass scores every block element by the text it holds: sentence-like
prose (Chinese sentence punctuation) counts for, link text and short unpunctuated
fragments (menus, labels, footers) count against. The body is the element with the
highest total, so it encloses the prose and as little chrome as possible. Class and
id names are a hint (a small bonus), never required.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.boilerplate import is_boilerplate_box
from archive.extract.html_text import BLOCK_TAGS, SKIP_TAGS, tag_of
from archive.extract.vocabulary import (
    BODY_CLASS_HINTS,
    BOILERPLATE_BOX_TAGS,
    CHROME_CLASS_HINTS,
    PARAGRAPH_TAGS,
    PROSE_PUNCTUATION,
    alternatives,
)
from archive.visibility import is_hidden

_PUNCT = str.maketrans("", "", PROSE_PUNCTUATION)
_HINT_GOOD = re.compile(rf"(?:^|[\s_-])(?:{alternatives(BODY_CLASS_HINTS)})", re.IGNORECASE)
_HINT_BAD = re.compile(alternatives(CHROME_CLASS_HINTS), re.IGNORECASE)


@dataclass
class BodyChoice:
    """The chosen body element with its score and the share of link text in it."""

    element: etree._Element
    score: float
    chars: int
    link_chars: int

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 1.0


class _Frame:
    __slots__ = ("cell", "chars", "el", "link", "own_chars", "own_link", "own_punct", "score")

    def __init__(self, el: etree._Element, cell: bool = False) -> None:
        self.el = el
        self.cell = cell
        self.score = 0.0
        self.chars = 0
        self.link = 0
        self.own_chars = 0
        self.own_link = 0
        self.own_punct = 0


def _own_weight(chars: int, link: int, punct: int, cell: bool = False) -> float:
    """Weight of one block's own inline text (table cells of plain text count as content)."""
    prose = chars - link
    w = -float(link)
    if prose <= 0:
        return w
    if (punct and prose >= th.PROSE_MIN_CHARS) or (cell and prose >= th.CELL_MIN_CHARS
                                                    and link == 0):
        return w + prose
    if prose >= th.LONG_FRAGMENT_CHARS:
        return w + th.FRAGMENT_WEIGHT * prose
    return w - th.FRAGMENT_WEIGHT * prose


def _hint(el: etree._Element) -> float:
    names = f"{el.get('id') or ''} {el.get('class') or ''}"
    if not names.strip():
        return 1.0
    if _HINT_GOOD.search(names):
        return th.CLASS_HINT_BONUS
    if _HINT_BAD.search(names):
        return th.CLASS_HINT_PENALTY
    return 1.0


def score_blocks(root: etree._Element, skip: frozenset[etree._Element] = frozenset(),
                 is_box: Callable[[etree._Element], bool] = is_boilerplate_box,
                 pruned: bool = False) -> list[BodyChoice]:
    """Score every visible block element under ``root`` (``skip`` excluded); best first.

    ``is_box``: the test for boilerplate boxes (related links, prev/next), left out; asked
    only of BOILERPLATE_BOX_TAGS elements (it is false of every other). ``pruned``:
    `parse.prune` ran on the tree, so nothing in it is invisible (not asked again)."""
    stack: list[_Frame] = [_Frame(root)]
    gone: set[etree._Element] = set()
    results: list[BodyChoice] = []
    in_link = 0

    def add(text: str | None) -> None:
        if not text:
            return
        n = len("".join(text.split()))
        if not n:
            return
        top = stack[-1]
        top.own_chars += n
        if in_link:
            top.own_link += n
        else:
            top.own_punct += len(text) - len(text.translate(_PUNCT))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if el is root:
            if event == "start":
                add(el.text)
            continue
        if event == "start":
            tag = tag_of(el)  # skipped(el), with the tag read once
            if ((not pruned and (not tag or tag in SKIP_TAGS or (el.attrib and is_hidden(el))))
                    or el in skip or (tag in BOILERPLATE_BOX_TAGS and is_box(el))):
                walker.skip_subtree()
                gone.add(el)
                continue
            if tag == "a":
                in_link += 1
            if tag in BLOCK_TAGS:
                stack.append(_Frame(el, stack[-1].cell or tag in ("td", "th")))
            add(el.text)
            continue
        if el in gone:
            add(el.tail)
            continue
        tag = tag_of(el)
        if tag in BLOCK_TAGS:
            f = stack.pop()
            f.score += _own_weight(f.own_chars, f.own_link, f.own_punct, f.cell)
            f.chars += f.own_chars
            f.link += f.own_link
            parent = stack[-1]
            parent.score += f.score
            parent.chars += f.chars
            parent.link += f.link
            if f.score > 0 and tag not in ("html", "body"):
                # A paragraph is rarely a whole article: its container (with the
                # signature and date lines around it) should win when it adds little chrome.
                factor = th.PARAGRAPH_FACTOR if tag in PARAGRAPH_TAGS else 1.0
                results.append(BodyChoice(el, f.score * _hint(el) * factor, f.chars, f.link))
        elif tag == "a":
            in_link -= 1
        add(el.tail)
    results.sort(key=lambda c: c.score, reverse=True)
    return results
