"""The page walk: visible text with the element each piece came from, and the elements
hidden (by what technique, with what weight), without recursion."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from archive.extract.html_text import BLOCK_TAGS, SKIP_TAGS
from archive.tamper.css import _W_HIDING, _normal_style, _Rule, _rule_matches
from archive.visibility import (
    HIDDEN_ATTRIBUTE,
    HIDDEN_CLASS,
    HIDDEN_CLASSES,
    inline_hiding,
    undone_by_child,
)

# --- the page walk ------------------------------------------------------------------------


@dataclass
class _Cause:
    element: etree._Element
    technique: str
    weight: float
    how: str
    foreign_links: int = 0


@dataclass
class _Page:
    pieces: list[str] = field(default_factory=list)
    owners: list[etree._Element | None] = field(default_factory=list)
    hidden_links: list[tuple[etree._Element, _Cause]] = field(default_factory=list)
    _starts: list[int] | None = None

    def starts(self) -> list[int]:
        """Offset of each piece in the joined text."""
        if self._starts is None:
            self._starts = [0, *itertools.accumulate(len(p) for p in self.pieces)][:-1]
        return self._starts


def _own_hiding(el: etree._Element, rules: dict[str, list[_Rule]],
                ancestors: list[etree._Element]) -> _Cause | None:
    get = el.get
    style = get("style")
    if style:
        found = inline_hiding(el, style)
        if found is not None:
            technique, decls = found
            return _Cause(el, technique, _W_HIDING[technique],
                          f'style="{_normal_style(decls)}"')
    cls = get("class")
    if cls:
        names = cls.lower().split()
        if rules:
            for name in names:
                for rule in rules.get("." + name, ()):
                    if (_rule_matches(rule, el, ancestors) and not rule.lifted_by(style)
                            and not undone_by_child(el, rule.technique)):
                        return _Cause(el, rule.technique, rule.weight, f"<style> {rule.text}")
        if not HIDDEN_CLASSES.isdisjoint(names):
            return _Cause(el, HIDDEN_CLASS, _W_HIDING[HIDDEN_CLASS], f'class="{cls}"')
    if rules:
        ident = get("id")
        if ident:
            for rule in rules.get("#" + ident.lower(), ()):
                if (_rule_matches(rule, el, ancestors) and not rule.lifted_by(style)
                        and not undone_by_child(el, rule.technique)):
                    return _Cause(el, rule.technique, rule.weight, f"<style> {rule.text}")
    if get("hidden") is not None:
        return _Cause(el, HIDDEN_ATTRIBUTE, _W_HIDING[HIDDEN_ATTRIBUTE], "hidden")
    return None


_BREAKS = BLOCK_TAGS | {"br"}


def _walk(root: etree._Element, rules: dict[str, list[_Rule]]) -> _Page:
    """Visible text pieces (with their elements) and the links hidden from readers."""
    page = _Page()
    pieces, owners, hidden = page.pieces, page.owners, page.hidden_links
    add_piece, add_owner = pieces.append, owners.append
    ancestors: list[etree._Element] = []
    ids = any(key.startswith("#") for key in rules)
    classes = {key[1:] for key in rules if key.startswith(".")} | HIDDEN_CLASSES
    skip, breaks = SKIP_TAGS, _BREAKS

    # Depth-first with a stack of its own: a page may nest thousands of levels deep.
    stack: list[tuple[etree._Element, Iterator[etree._Element], bool]] = []

    def enter(el: etree._Element) -> bool:
        """Add the element's opening pieces; True if its children are to be visited."""
        tag = el.tag
        if type(tag) is not str:
            return False
        get = el.get
        if tag in skip:
            if tag != "noscript":
                return False
            cause: _Cause | None = _Cause(el, "noscript", _W_HIDING["noscript"], "<noscript>")
        else:
            cls = get("class")
            if (get("style") is None and get("hidden") is None
                    and (cls is None or classes.isdisjoint(cls.lower().split()))
                    and not (ids and get("id"))):
                cause = None
            else:
                cause = _own_hiding(el, rules, ancestors)
        if cause is not None:
            hidden.extend((a, cause) for a in el.iter("a") if a.get("href"))
            return False
        block = tag in breaks
        if block:
            add_piece("\n")
            add_owner(None)
        text = el.text
        if text:
            add_piece(text)
            add_owner(el)
        if len(el):
            ancestors.append(el)
            stack.append((el, iter(el), block))
            return True
        if block:
            add_piece("\n")
            add_owner(None)
        return False

    def visit(top: etree._Element) -> None:
        enter(top)
        while stack:
            el, children, block = stack[-1]
            child = next(children, None)
            if child is not None:
                if not enter(child) and child.tail:
                    add_piece(child.tail)
                    add_owner(el)
                continue
            stack.pop()
            ancestors.pop()
            if block:
                add_piece("\n")
                add_owner(None)
            if stack and el.tail:
                add_piece(el.tail)
                add_owner(stack[-1][0])

    body = root.find("body")
    for top in ([body] if body is not None else list(root)):
        if top.tag != "head":
            visit(top)
    return page
