"""Parse decoded HTML once with lxml, repairing what libxml2 splits apart."""

from __future__ import annotations

import re

from lxml import etree

from archive.errors import ExtractionError
from archive.extract.html_text import skipped

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*+>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# libxml2 stops reading elements nested deeper than 256 levels (2048 with huge_tree), and
# what lies below is lost to the tree while browsers show it: a way to hide text from
# parsers (an article, injected spam). huge_tree lifts the limit to 2048; a page deeper
# still is read by html5lib, which has none.
LIBXML2_DEPTH = 256
DEEP_ATTRIBUTE = "data-govarc-depth"  # set on <html> when a page nests deeper than that
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, recover=True,
                           no_network=True, default_doctype=False, huge_tree=True)


def _too_deep_for_libxml2() -> bool:
    return any("Excessive depth" in entry.message for entry in _PARSER.error_log)


def _parse_html5(text: str) -> etree._Element:
    """The page read by html5lib (no depth limit), comments and PIs dropped."""
    import html5lib

    root = html5lib.parse(text, treebuilder="lxml", namespaceHTMLElements=False).getroot()
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        drop_element(node)
    return root


# An element nested deeper than LIBXML2_DEPTH under the root: a path of that many child
# steps, which libxml2 walks level by level in C (each element once), a third of the time
# of the Python walk below on a portal's page.
_DEEPER_THAN_LIBXML2 = etree.XPath("boolean(" + "/*" * (LIBXML2_DEPTH + 1) + ")")


def nesting_depth(root: etree._Element) -> int:
    """How deep the tree's elements nest (one pass)."""
    depth = deepest = 0
    for event, _el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_html(text: str) -> etree._Element:
    """Parse ``text`` into one ``<html>`` tree.

    A stray ``</html>`` in a server-side include makes libxml2 put the rest of the
    document into a second top-level element; its content is moved into ``<body>``.
    """
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise ExtractionError("empty document")
    try:
        root = etree.fromstring(text, parser=_PARSER)
        if _too_deep_for_libxml2():
            root = _parse_html5(text)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from exc
    if root is None:
        raise ExtractionError("no HTML elements in document")
    if root.tag != "html":
        wrapper = etree.Element("html")
        body = etree.SubElement(wrapper, "body")
        body.append(root)
        root = wrapper
    strays = [s for s in root.itersiblings() if isinstance(s.tag, str)]
    if strays:
        body = root.find("body")
        if body is None:
            body = etree.SubElement(root, "body")
        for stray in strays:
            inner = stray.find("body")
            source = inner if inner is not None else stray
            if source.text and source.text.strip():
                last = body[-1] if len(body) else None
                if last is not None:
                    last.tail = (last.tail or "") + source.text
                else:
                    body.text = (body.text or "") + source.text
            for child in list(source):
                if child.tag in ("head", "body") or not isinstance(child.tag, str):
                    continue
                body.append(child)
    if _DEEPER_THAN_LIBXML2(root):
        root.set(DEEP_ATTRIBUTE, str(nesting_depth(root)))
    return root


def drop_element(el: etree._Element) -> None:
    """Remove ``el`` and its subtree, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# One element `prune` removed: (element, parent, previous sibling, the text its tail was
# joined to before: the previous sibling's tail, or the parent's text if it had none).
Dropped = tuple[etree._Element, etree._Element, "etree._Element | None", "str | None"]
_NO_TAIL = "\x00no tail"  # nothing was joined (the element had no tail text)


def prune(root: etree._Element, undo: list[Dropped] | None = None) -> None:
    """Remove what a reader never sees: scripts, styles, forms, hidden elements.

    With `undo`, each removal is logged there so that `unprune` can put the tree back as
    parsed (cheaper than copying the whole tree beforehand)."""
    doomed = []
    it = root.iter()
    next(it, None)
    for el in it:
        if skipped(el):
            doomed.append(el)
    for el in doomed:
        # An ancestor may already be gone; dropping a detached subtree is harmless.
        if undo is None:
            drop_element(el)
            continue
        parent = el.getparent()
        if parent is None:
            continue
        prev = el.getprevious()
        joined: str | None = _NO_TAIL
        if el.tail:
            if prev is not None:
                joined = prev.tail
                prev.tail = (prev.tail or "") + el.tail
            else:
                joined = parent.text
                parent.text = (parent.text or "") + el.tail
        undo.append((el, parent, prev, joined))
        parent.remove(el)  # the element keeps its tail


def unprune(undo: list[Dropped]) -> None:
    """Put back what `prune` removed, last removal first: the tree is as parsed again."""
    for el, parent, prev, joined in reversed(undo):
        if prev is not None:
            prev.addnext(el)  # after the sibling's tail text
            if joined is not _NO_TAIL:
                prev.tail = joined
        else:
            parent.insert(0, el)  # after the parent's text
            if joined is not _NO_TAIL:
                parent.text = joined
    undo.clear()
