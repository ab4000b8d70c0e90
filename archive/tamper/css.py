"""Enough CSS to tell hidden from shown: inline declarations and `<style>` rules on a
tag, class or id (compound selectors, ancestors), at-rule blocks skipped."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from archive import visibility
from archive.extract.html_text import tag_of

# --- CSS ----------------------------------------------------------------------------------

_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?((?:[.#][-\w]+)+)?$")

# What each hiding technique (``archive.visibility``) weighs as evidence of a hidden link:
# alone it never reaches the 0.5 threshold; spam in the link's text or host must add to it.
_W_HIDING = {
    visibility.DISPLAY_NONE: 0.3,  # also every closed menu, tab and dropdown
    visibility.VISIBILITY_HIDDEN: 0.3,
    visibility.TEXT_INDENT: 0.4,
    visibility.FONT_SIZE_ZERO: 0.4,
    visibility.OFF_SCREEN: 0.4,
    visibility.OFF_SCREEN_MARGIN: 0.35,
    visibility.ZERO_SIZE: 0.4,
    visibility.OPACITY_ZERO: 0.3,  # also fade-in effects before they run
    visibility.HIDDEN_CLASS: 0.3,
    visibility.HIDDEN_ATTRIBUTE: 0.3,
    "noscript": 0.35,  # shown only without JavaScript: crawlers read it, visitors do not
}


def _hiding(decls: Mapping[str, str]) -> tuple[str, float] | None:
    """(technique, weight) when the declarations hide the element, else None."""
    technique = visibility.hiding(decls)
    return None if technique is None else (technique, _W_HIDING[technique])


def _normal_style(decls: Mapping[str, str]) -> str:
    return ";".join(f"{k}:{v}" for k, v in decls.items())


@dataclass
class _Rule:
    compounds: list[tuple[str | None, frozenset[str], frozenset[str]]]
    technique: str
    weight: float
    text: str
    decls: Mapping[str, str]

    def lifted_by(self, style: str | None) -> bool:
        """Whether an element's inline style undoes the rule (display:block over a sheet's
        display:none, as scripts set it), the inline declarations winning as in browsers."""
        return bool(style) and visibility.hiding(
            {**self.decls, **visibility.declarations(style or "")}) is None


def _parse_compound(text: str) -> tuple[str | None, frozenset[str], frozenset[str]] | None:
    m = _COMPOUND.match(text)
    if not m or not text:
        return None
    tag, rest = m.group(1), m.group(2) or ""
    classes = frozenset(p[1:] for p in re.findall(r"\.[-\w]+", rest))
    ids = frozenset(p[1:] for p in re.findall(r"#[-\w]+", rest))
    return tag, classes, ids


# In stylesheets: a value that may hide, found by its colon (fast on big sheets), then the
# property before it is checked.
_CSS_HINT = re.compile(r":\s*(?:none|hidden|collapse|-\s*\d{3}|0|1px|1pt|\.)")
_HIDING_PROPS = frozenset((
    "display", "visibility", "text-indent", "font-size", "left", "top", "right", "bottom",
    "margin-left", "margin-top", "height", "width", "max-height", "max-width", "opacity",
))
_COMPLEX = re.compile(r"[:\[*+~]")
_AT_RULE = re.compile(r"@[a-z-]++[^{;@]*+([{;])")
_BRACE = re.compile(r"[{}]")


def _without_comments(css: str) -> str:
    """CSS without its /* comments */ (an unclosed one runs to the end, as in browsers),
    in one pass (a lazy regex rescans the rest of the text from every unclosed `/*`)."""
    parts, position = [], 0
    while (start := css.find("/*", position)) >= 0:
        parts.append(css[position:start])
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(parts)
        position = end + 2
    parts.append(css[position:])
    return "".join(parts)


def _at_blocks(css: str) -> list[tuple[int, int]]:
    """Spans of @media/@supports/@keyframes blocks (conditional, or no selectors at all)."""
    spans = []
    end = 0
    for at in _AT_RULE.finditer(css):
        if at.start() < end or at.group(1) == ";":
            continue
        depth = 0
        for brace in _BRACE.finditer(css, at.end() - 1):
            depth += 1 if brace.group(0) == "{" else -1
            if depth == 0:
                end = brace.end()
                break
        else:
            end = len(css)
        spans.append((at.start(), end))
    return spans


# A portal's pages repeat its template's <style> blocks: each block's rules are read once
# (blocks up to this size, the last this many; the rules are never changed once built).
_CACHED_CSS_CHARS = 64 * 1024
_CACHED_CSS_BLOCKS = 64


def _style_rules(root: etree._Element) -> dict[str, list[_Rule]]:
    """Hiding rules of the page's <style> elements, keyed by a class (.x) or id (#x)."""
    rules: dict[str, list[_Rule]] = {}
    for style in root.iter("style"):
        text = style.text or ""
        if ":" not in text:
            continue
        found = (_block_rules_cached(text) if len(text) <= _CACHED_CSS_CHARS
                 else _block_rules(text))
        for key, block in found.items():
            rules.setdefault(key, []).extend(block)
    return rules


@functools.lru_cache(maxsize=_CACHED_CSS_BLOCKS)
def _block_rules_cached(text: str) -> dict[str, list[_Rule]]:
    return _block_rules(text)


def _block_rules(text: str) -> dict[str, list[_Rule]]:
    """The hiding rules of one <style> block."""
    rules: dict[str, list[_Rule]] = {}
    css = text.lower()
    if "/*" in css:
        css = _without_comments(css)
    at_blocks = _at_blocks(css) if "@" in css else []
    covered = -1
    for hint in _CSS_HINT.finditer(css):
        pos = hint.start()
        if pos < covered:
            continue
        prop = max(css.rfind(";", 0, pos), css.rfind("{", 0, pos))
        if prop < 0 or css[prop + 1:pos].strip() not in _HIDING_PROPS:
            continue
        opening, closing = css.rfind("{", 0, pos), css.find("}", pos)
        if opening < 0 or closing < 0 or css.rfind("}", 0, pos) > opening:
            continue
        covered = closing
        if any(s <= opening < e for s, e in at_blocks):
            continue
        start = max(css.rfind("}", 0, opening), css.rfind("{", 0, opening)) + 1
        selectors = [sel.strip() for sel in css[start:opening].split(",")]
        selectors = [sel for sel in selectors if sel and not _COMPLEX.search(sel)]
        if not selectors:
            continue
        decls = visibility.declarations(css[opening + 1:closing])
        hiding = _hiding(decls)
        if hiding is None:
            continue
        for selector in selectors:
            _add_rule(rules, selector, hiding, decls)
    return rules


def _add_rule(rules: dict[str, list[_Rule]], selector: str, hiding: tuple[str, float],
              decls: Mapping[str, str]) -> None:
    """Index a hiding rule whose selector is simple (compounds of tag/.class/#id)."""
    compounds = []
    for part in selector.replace(">", " ").split():
        compound = _parse_compound(part)
        if compound is None:
            return
        compounds.append(compound)
    if not compounds:
        return
    _, classes, ids = compounds[-1]
    keys = [f".{c}" for c in classes] + [f"#{i}" for i in ids]
    if keys:
        text = f"{selector}{{{_normal_style(decls)}}}"
        rules.setdefault(min(keys), []).append(
            _Rule(compounds, hiding[0], hiding[1], text, dict(decls)))


def _compound_matches(el: etree._Element,
                      compound: tuple[str | None, frozenset[str], frozenset[str]]) -> bool:
    tag, classes, ids = compound
    if tag and tag_of(el) != tag:
        return False
    if classes and not classes <= set((el.get("class") or "").lower().split()):
        return False
    return not ids or (el.get("id") or "").lower() in ids


def _rule_matches(rule: _Rule, el: etree._Element, ancestors: list[etree._Element]) -> bool:
    if not _compound_matches(el, rule.compounds[-1]):
        return False
    wanted = len(rule.compounds) - 2
    for anc in reversed(ancestors):
        if wanted < 0:
            break
        if _compound_matches(anc, rule.compounds[wanted]):
            wanted -= 1
    return wanted < 0
