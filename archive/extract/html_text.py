"""Block-level text rendering of an lxml tree, following the corpus "Rules for text".

Block elements and ``<br>`` start lines, inline elements are joined with nothing,
whitespace runs become one space, lines are trimmed and empty lines dropped.
Tables become one ``cell | cell`` line per row; hidden elements contribute nothing
(``archive.visibility.is_hidden``: inline styles, hiding classes, the ``hidden`` attribute).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from lxml import etree

from archive.visibility import is_hidden

BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend",
    "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
))
# Elements whose content is never shown as text.
SKIP_TAGS = frozenset((
    "script", "style", "noscript", "template", "head", "title", "iframe", "frame", "object",
    "embed", "select", "option", "button", "input", "textarea", "svg", "canvas", "map", "audio",
    "video", "meta", "link", "base",
))

_TAG_NAMES: dict[object, str] = {}  # el.tag -> its lower-case local name ("" if no element)


def _tag_name(tag: object) -> str:
    if type(tag) is not str:
        name = ""
    else:
        name = tag.rsplit("}", 1)[1] if "}" in tag else tag
        name = name if name.islower() else name.lower()
    if len(_TAG_NAMES) < 4096:  # pages can invent tags; keep the cache bounded
        _TAG_NAMES[tag] = name
    return name


def tag_of(el: etree._Element) -> str:
    """Lower-case tag name, or "" for comments and processing instructions."""
    tag = el.tag
    name = _TAG_NAMES.get(tag)
    return name if name is not None else _tag_name(tag)


def skipped(el: etree._Element) -> bool:
    """True for elements (and non-elements) whose content a reader never sees."""
    tag = tag_of(el)
    if not tag or tag in SKIP_TAGS:
        return True
    attrib = el.attrib
    if not attrib:  # most elements carry no attribute at all
        return False
    return is_hidden(el)


def norm_line(text: str) -> str:
    """Collapse whitespace runs to one space and trim."""
    return " ".join(text.split())


class Mark(NamedTuple):
    """An element whose lines the extractor wants to know: what it is, and its rank."""

    kind: str  # "candidate" (a body candidate), "box" (an info box), "heading"
    index: int


class _Renderer:
    """Walks a subtree once, producing lines; optional marks record line positions."""

    def __init__(self, marks: dict[etree._Element, Mark] | None,
                 drop: Callable[[etree._Element], bool] | None, pruned: bool = False) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.marks = marks or {}
        self.positions: dict[Mark, tuple[int, int]] = {}
        self.drop = drop
        self.pruned = pruned  # the tree holds nothing `skipped` (parse.prune ran on it)

    def flush(self) -> None:
        if self.buf:
            line = norm_line("".join(self.buf))
            self.buf = []
            if line:
                self.lines.append(line)

    def render(self, root: etree._Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end"))
        starts: dict[etree._Element, int] = {}
        gone: set[etree._Element] = set()
        pruned, drop = self.pruned, self.drop
        for event, el in walker:
            if event == "start":
                if el is not root and ((not pruned and skipped(el))
                                       or (drop is not None and drop(el))):
                    walker.skip_subtree()
                    gone.add(el)
                    continue
                tag = tag_of(el)
                if tag in BLOCK_TAGS or tag == "br":
                    self.flush()
                if el in self.marks:
                    starts[el] = len(self.lines)
                if tag == "table":
                    self.lines.extend(table_lines(el, self.drop))
                    walker.skip_subtree()
                    continue
                if el.text:
                    self.buf.append(el.text)
            elif el in gone:
                if el.tail:
                    self.buf.append(el.tail)
            else:
                self._end(el, tag_of(el), starts)

    def _end(self, el: etree._Element, tag: str, starts: dict[etree._Element, int]) -> None:
        if tag in BLOCK_TAGS:
            self.flush()
        if el in starts:
            self.flush()
            self.positions[self.marks[el]] = (starts[el], len(self.lines))
        if el.tail:
            self.buf.append(el.tail)


def render_lines(root: etree._Element, marks: dict[etree._Element, Mark] | None = None,
                 drop: Callable[[etree._Element], bool] | None = None,
                 pruned: bool = False,
                 ) -> tuple[list[str], dict[Mark, tuple[int, int]]]:
    """Render ``root`` (its tail excluded) to lines; return lines and mark positions.

    ``marks`` maps elements to `Mark`s; the result maps each mark seen to the
    ``(first, end)`` line range the element produced. ``drop`` removes extra elements.
    ``pruned``: `parse.prune` ran on the tree, so no element in it is `skipped` (the test
    is not asked again).
    """
    r = _Renderer(marks, drop, pruned)
    r.render(root)
    r.flush()
    return r.lines, r.positions


def inline_text(root: etree._Element) -> str:
    """Visible text of a headline-like element: ``<br>`` and blocks joined with nothing."""
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if el is not root and skipped(el):
                walker.skip_subtree()
                continue
            if el.text:
                parts.append(el.text)
        elif el is not root and el.tail:
            parts.append(el.tail)
    return norm_line("".join(parts))


_ROW_GROUPS = ("tbody", "thead", "tfoot")


def _rows(table: etree._Element) -> Iterable[etree._Element]:
    """The table's rows in order, also those of a row group written inside another
    (``<tbody><thead>``: a browser shows that header row, the parser keeps it nested)."""
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            yield child
        elif tag in _ROW_GROUPS:
            for r in child:
                inner = tag_of(r)
                if inner == "tr":
                    yield r
                elif inner in _ROW_GROUPS:
                    yield from (x for x in r if tag_of(x) == "tr")


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if tag_of(c) in ("td", "th")]


def _is_layout(rows: list[etree._Element]) -> bool:
    """A table used for page layout: one column, or cells holding further tables."""
    if all(len(_cells(r)) <= 1 for r in rows):
        return True
    return any(c.find(".//table") is not None for r in rows for c in _cells(r))


def table_lines(table: etree._Element,
                drop: Callable[[etree._Element], bool] | None = None) -> list[str]:
    """Render a table: data tables as ``cell | cell`` rows, layout tables as blocks."""
    rows = [r for r in _rows(table) if not skipped(r)]
    lines: list[str] = []
    if _is_layout(rows):
        for r in rows:
            for c in _cells(r):
                if not skipped(c) and not (drop is not None and drop(c)):
                    lines.extend(render_lines(c, drop=drop)[0])
        return lines
    caption = [c for c in table if tag_of(c) == "caption"]
    for c in caption:
        lines.extend(render_lines(c, drop=drop)[0])
    for r in rows:
        cells = []
        for c in _cells(r):
            if skipped(c) or (drop is not None and drop(c)):
                continue
            cells.append(" ".join(render_lines(c, drop=drop)[0]))
        if any(cells):
            # Empty cells stay as empty fields so columns keep their places.
            lines.append(norm_line(" | ".join(cells)))
    return lines
