"""What a reader cannot see: one test for extraction and for the tamper watch.

An element is hidden when its own inline ``style`` hides it (`hiding`: display:none,
visibility:hidden/collapse, text-indent far to the left, font-size of 1px or less,
positioned or pushed off-screen, no size with overflow hidden, opacity 0), when it carries
a hiding class (`HIDDEN_CLASSES`), or the ``hidden`` attribute. Extraction
(``archive.extract.html_text.is_hidden``) uses exactly this; the tamper watch
(``archive.tamper``) adds the page's ``<style>`` rules and weighs each technique.

Extraction reads no stylesheet: on the corpora the 144 hiding rules of ``<style>``
elements cover no text of any extracted body (the body choice leaves those boxes out),
matching them costs a selector test per element, and pages hide blocks in CSS that their
scripts show (nfra.gov.cn: ``.content{display:none}``, lifted by an inline display:block).
Known limit: a child re-sized or shown again by a stylesheet rule is not seen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

# Techniques: the names the tamper watch prints (and weighs) as evidence.
DISPLAY_NONE = "display:none"
VISIBILITY_HIDDEN = "visibility:hidden"
TEXT_INDENT = "text-indent"
FONT_SIZE_ZERO = "font-size:0"
OFF_SCREEN = "off-screen"  # positioned and moved 500px or more to the left/top
OFF_SCREEN_MARGIN = "off-screen margin"  # not positioned: a margin of -1000px or more
ZERO_SIZE = "zero-size"
OPACITY_ZERO = "opacity:0"
HIDDEN_CLASS = "hidden class"
HIDDEN_ATTRIBUTE = "hidden attribute"

# Class names that hide by convention: AngularJS ng-hide, Bootstrap hidden/hide/sr-only
# (screen readers only: not shown), and hiddenelement of some CMS templates.
HIDDEN_CLASSES = frozenset({"ng-hide", "hidden", "hide", "hiddenelement", "sr-only"})

# A cheap test before a style is parsed, searched in the lower-cased style (three times
# faster than IGNORECASE): it matches every style `hiding` can accept (a negative length
# of 500px or more has three digits, or two in em). Each branch starts with a literal
# and repeats nothing that overlaps, so it is linear.
STYLE_HINT = re.compile(
    r"display\s*+:\s*+none|visibility\s*+:\s*+(?:hidden|collapse)|overflow(?:-y)?\s*+:\s*+hidden"
    r"|-\s*+(?:\d{3}|\d{2}(?:\.\d++)?+r?em)|font-size\s*+:\s*+(?:0|1(?:px)?\b|\.)"
    r"|opacity\s*+:\s*+[0.]")
_NUMBER = re.compile(r"^(-?(?:\d++(?:\.\d++)?|\.\d++))([a-z%]*+)$")
_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}  # em at the default 16px

_FAR = -500.0  # px: text-indent and offsets this far left/up leave any line off-screen
_FAR_MARGIN = -1000.0  # px: a margin alone (not positioned) must push further
_TINY = 1.0  # px: a font size or box extent no one reads
_OFFSET_SIDES = ("left", "top", "right", "bottom", "margin-left", "margin-top")


def declarations(style: str) -> dict[str, str]:
    """Property -> value (lower case, spaces removed, ``!important`` dropped) of a CSS
    declaration list; a later declaration wins unless the earlier one is important."""
    decls: dict[str, str] = {}
    important: set[str] = set()
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        value = "".join(value.lower().split())
        if "!important" in value:
            value = value.replace("!important", "")
            important.add(name)
        elif name in important:
            continue
        decls[name] = value
    return decls


def length(value: str | None) -> float | None:
    """A CSS length in px (em/rem as 16px, pt as 4/3 px), None if not a plain length."""
    if not value:
        return None
    m = _NUMBER.match(value)
    if not m:
        return None
    factor = _PX.get(m.group(2))
    return None if factor is None else float(m.group(1)) * factor


def _tiny(value: str | None) -> bool:
    size = length(value)
    return size is not None and 0 <= size <= _TINY


def hiding(decls: Mapping[str, str]) -> str | None:
    """The technique by which these declarations hide their element, or None."""
    get = decls.get
    if get("display") == "none":
        return DISPLAY_NONE
    if get("visibility") in ("hidden", "collapse"):
        return VISIBILITY_HIDDEN
    indent = length(get("text-indent"))
    if indent is not None:
        # A hanging indent (margin-left: X; text-indent: -X) stays on screen.
        indent += (length(get("margin-left")) or 0) + (length(get("padding-left")) or 0)
        if indent <= _FAR:
            return TEXT_INDENT
    if _tiny(get("font-size")):
        return FONT_SIZE_ZERO
    if get("position") in ("absolute", "fixed", "relative"):
        for side in _OFFSET_SIDES:
            offset = length(get(side))
            if offset is not None and offset <= _FAR:
                return OFF_SCREEN
    for side in ("margin-left", "margin-top"):
        offset = length(get(side))
        if offset is not None and offset <= _FAR_MARGIN:
            return OFF_SCREEN_MARGIN
    if get("overflow") == "hidden" or get("overflow-y") == "hidden":
        for dim in ("height", "width", "max-height", "max-width"):
            if _tiny(get(dim)):
                return ZERO_SIZE
    opacity = get("opacity")
    if opacity is not None:
        m = _NUMBER.match(opacity)
        if m and m.group(2) in ("", "%") and float(m.group(1)) == 0:
            return OPACITY_ZERO
    return None


_SIZE_KEYWORDS = frozenset({"xx-small", "x-small", "small", "medium", "large", "x-large",
                            "xx-large", "xxx-large"})


def _readable_size(value: str) -> bool:
    """A font size that does not depend on a parent's zero size (em and % would)."""
    if value in _SIZE_KEYWORDS:
        return True
    m = _NUMBER.match(value)
    return bool(m) and m.group(2) in ("px", "pt", "rem") and not _tiny(value)


# Techniques a child can undo with a declaration of its own, and the test of that value.
_UNDONE_BY = {
    FONT_SIZE_ZERO: ("font-size", _readable_size),
    VISIBILITY_HIDDEN: ("visibility", lambda value: value == "visible"),
}


def undone_by_child(el: etree._Element, technique: str) -> bool:
    """A child that sets a readable font size (the inline-block gap trick) or
    visibility:visible is shown. Children only: a test that stays linear on deep trees."""
    undo = _UNDONE_BY.get(technique)
    if undo is None:
        return False
    prop, shows = undo
    for child in el:
        style = child.get("style") if isinstance(child.tag, str) else None
        if style and prop in style.lower():
            value = declarations(style).get(prop)
            if value is not None and shows(value):
                return True
    return False


def inline_hiding(el: etree._Element, style: str) -> tuple[str, dict[str, str]] | None:
    """(technique, declarations) when ``style``, the element's inline style, hides it."""
    if STYLE_HINT.search(style.lower()) is None:
        return None
    return _parsed_hiding(el, style)


def _parsed_hiding(el: etree._Element, style: str) -> tuple[str, dict[str, str]] | None:
    decls = declarations(style)
    technique = hiding(decls)
    if technique is None or undone_by_child(el, technique):
        return None
    return technique, decls


def has_hidden_class(cls: str | None) -> bool:
    """True when a ``class`` attribute value names a hiding class."""
    return cls is not None and not HIDDEN_CLASSES.isdisjoint(cls.lower().split())


def element_hiding(el: etree._Element) -> str | None:
    """The technique hiding the element by its own attributes (no stylesheet), or None."""
    get = el.get
    style = get("style")
    if style:
        found = inline_hiding(el, style)
        if found is not None:
            return found[0]
    if has_hidden_class(get("class")):
        return HIDDEN_CLASS
    if get("hidden") is not None:
        return HIDDEN_ATTRIBUTE
    return None


def is_hidden(el: etree._Element) -> bool:
    """True when the element is hidden by an inline style, a hiding class or ``hidden``.

    `element_hiding` without its name: asked of every element with attributes, so the
    hint is tried inline and a style is parsed only when it matches."""
    get = el.get
    style = get("style")
    if (style and STYLE_HINT.search(style.lower()) is not None
            and _parsed_hiding(el, style) is not None):
        return True
    cls = get("class")
    if cls and not HIDDEN_CLASSES.isdisjoint(cls.lower().split()):
        return True
    return get("hidden") is not None
