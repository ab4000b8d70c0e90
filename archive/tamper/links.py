"""Links to foreign hosts that are hidden by CSS, written by scripts, or where a script
(or meta refresh) sends visitors."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from archive.tamper.common import (
    _SNIPPET,
    _W_CLOAK,
    _W_FARM,
    _W_META_REFRESH,
    _W_POPUP,
    _W_REDIRECT,
    _W_SPAM_CAP,
    _W_TOP_LEVEL,
    _W_WRITTEN_LINK,
    Flag,
    _clip,
    _combine,
    _hostname,
    _Hosts,
    _score,
    _target,
)
from archive.tamper.lexicon import Lexicon
from archive.tamper.walk import _Page

# --- hidden and written links -------------------------------------------------------------


def _hidden_links(page: _Page, base: str, hosts: _Hosts, lexicon: Lexicon,
                  path: Any) -> list[Flag]:
    candidates = []
    for link, cause in page.hidden_links:
        target = _target(base, link.get("href") or "")
        if target is None or not hosts.foreign(target[1]):
            continue
        cause.foreign_links += 1
        candidates.append((link, cause, target))
    flags = []
    for link, cause, (absolute, netloc) in candidates:
        label = " ".join("".join(link.itertext()).split()) or (link.get("title") or "")
        spam = lexicon.spam_score(label)
        spam = _combine([spam, lexicon.host_score(_hostname(netloc))])
        score = cause.weight + min(_W_SPAM_CAP, spam)
        if cause.foreign_links >= 3:
            score += _W_FARM
        if score < lexicon.threshold:
            continue
        evidence = (f"“{label}” → {absolute} hidden by {cause.how} on "
                    f"{path(cause.element)} ({cause.technique})")
        flags.append(Flag("hidden-link", _clip(evidence, 600), path(link), netloc,
                          _score(score)))
    return flags


_WRITE = re.compile(r"document\s*\.\s*write(?:ln)?\s*\(|\.\s*innerHTML\s*\+?=(?!=)|"
                    r"insertAdjacentHTML\s*\(|\.\s*(?:append|prepend|html)\s*\(",
                    re.IGNORECASE)
_WRITTEN_A = re.compile(
    r"""<a\s[^<>]*?href\s*+=\s*+\\?["']?((?:https?:)?//[^"'\\\s<>]++)[^<>]*+>(.{0,120}?)</a""",
    re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^<>]*+>")
_URL_IN_JS = re.compile(r"""(?<!\s)\s*+(['"])((?:https?:)?//[^'"\s]++)\1""", re.IGNORECASE)
_REDIRECT = re.compile(
    r"""\blocation(?:\s*\.\s*href)?\s*=(?!=)|\blocation\s*\.\s*(?:replace|assign)\s*\(|"""
    r"""\bwindow\s*\.\s*(?:open|navigate)\s*\(""", re.IGNORECASE)
_CLOAK = re.compile(r"document\s*\.\s*referrer|navigator\s*\.\s*userAgent", re.IGNORECASE)
# A function's opening brace; the head stops at the next `function`, so that a script of
# heads without bodies is read once, not once per head.
_FUNCTION = re.compile(r"\bfunction\b(?:[^{;f]|f(?!unction\b))*+\{|=>\s*+\{")


def _function_depths(script: str) -> list[tuple[int, int]]:
    """Spans of the script that are inside function bodies (run only when called)."""
    spans, stack = [], []
    opens = {m.end() - 1 for m in _FUNCTION.finditer(script)}
    quote: str | None = None
    i = 0
    while i < len(script):
        c = script[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"`":
            quote = c
        elif c == "{":
            stack.append((i, i in opens))
        elif c == "}" and stack:
            start, is_fn = stack.pop()
            if is_fn:
                spans.append((start, i))
        i += 1
    spans.extend((start, len(script)) for start, is_fn in stack if is_fn)
    return spans


def _scripts(root: etree._Element, base: str, hosts: _Hosts, lexicon: Lexicon,
             path: Any) -> list[Flag]:
    flags = []
    for script in root.iter("script"):
        code = script.text or ""
        if len(code) < 12 or not ("location" in code or "open" in code or "write" in code
                                  or "innerHTML" in code or "insertAdjacent" in code
                                  or "append" in code or "html(" in code):
            continue
        flags.extend(_written_links(code, script, base, hosts, lexicon, path))
        flags.extend(_redirects(code, script, base, hosts, lexicon, path))
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() != "refresh":
            continue
        m = re.search(r"url\s*=\s*['\"]?([^'\";\s]+)", meta.get("content") or "", re.I)
        target = _target(base, m.group(1)) if m else None
        if target is None or not hosts.foreign(target[1]):
            continue
        score = _W_META_REFRESH + min(_W_SPAM_CAP, lexicon.host_score(_hostname(target[1])))
        if score >= lexicon.threshold:
            evidence = f'<meta http-equiv="refresh" content="{meta.get("content")}">'
            flags.append(Flag("script-redirect", _clip(evidence), path(meta), target[1],
                              _score(score)))
    return flags


def _written_links(code: str, script: etree._Element, base: str, hosts: _Hosts,
                   lexicon: Lexicon, path: Any) -> list[Flag]:
    flags = []
    covered = 0
    for call in _WRITE.finditer(code):
        if call.start() < covered:
            continue  # inside the previous call's window: each character is read once
        covered = call.end() + 800
        window = code[call.start(): covered]
        for m in _WRITTEN_A.finditer(window):
            target = _target(base, m.group(1))
            if target is None or not hosts.foreign(target[1]):
                continue
            label = " ".join(_TAG.sub("", m.group(2)).split())
            spam = lexicon.spam_score(label)
            spam = _combine([spam, lexicon.host_score(_hostname(target[1]))])
            score = _W_WRITTEN_LINK + min(_W_SPAM_CAP, spam)
            if score >= lexicon.threshold:
                snippet = code[call.start(): call.end() + m.end()]
                flags.append(Flag("script-link", _clip(f"{snippet} (“{label}” → {target[0]})"),
                                  path(script), target[1], _score(score)))
    return flags


def _redirects(code: str, script: etree._Element, base: str, hosts: _Hosts,
               lexicon: Lexicon, path: Any) -> list[Flag]:
    flags, seen = [], set()
    functions: list[tuple[int, int]] | None = None
    cloak = _CLOAK.search(code)
    for m in _REDIRECT.finditer(code):
        literal = _URL_IN_JS.match(code, m.end())
        if literal is None:
            continue
        target = _target(base, literal.group(2))
        if target is None or not hosts.foreign(target[1]) or target[1] in seen:
            continue
        seen.add(target[1])
        if functions is None:
            functions = _function_depths(code)
        popup = "open" in m.group(0).lower() or "navigate" in m.group(0).lower()
        score = _W_POPUP if popup else _W_REDIRECT
        if not any(s < m.start() < e for s, e in functions):
            score += _W_TOP_LEVEL
        if cloak:
            score += _W_CLOAK
        score += min(_W_SPAM_CAP, lexicon.host_score(_hostname(target[1])))
        if score < lexicon.threshold:
            continue
        start = min(m.start(), cloak.start()) if cloak else m.start()
        if m.start() - start > _SNIPPET:
            start = m.start()
        snippet = code[start: literal.end()]
        flags.append(Flag("script-redirect", _clip(snippet, 400), path(script), target[1],
                          _score(score)))
    return flags
