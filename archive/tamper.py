"""Tamper watch: flag SEO spam injected into archived government pages.

``check_page(body, url, portal_domains=...)`` returns the `Flag`s of one page, of kinds:

- ``injected-terms``: gambling/porn terms of the lexicon in the visible text (with <title> and
  meta keywords/description); a term standing in for a place name scores higher.
- ``hidden-link``: a link to a foreign host hidden by CSS (inline or a ``<style>`` rule on a
  class/id) whose text or host is spam.
- ``script-link``: a script that ``document.write``s / ``innerHTML``s a spam link.
- ``script-redirect``: a script (or meta refresh) sending visitors to a foreign host.
- ``mirror``: government markers (SiteIDCode, ICP备, 公网安备) on a host outside the
  portal's domains and outside gov.cn.

A foreign host is one not under gov.cn, not a portal domain and not a trusted host of the
lexicon. Each finding is scored 0..1; those scoring >= the lexicon's ``threshold`` (0.5 in
the bundled lexicon) are returned. Scores add up evidence (see the ``_W_*`` weights and the
lexicon): e.g. a hidden foreign link scores its hiding weight (0.3-0.4) plus up to 0.6 for
spam in its text or host, so hidden sharing menus and dropdowns never reach 0.5.

The lexicon is ``archive/tamper_lexicon.toml``; ``load_lexicon(path)`` merges a user file
over it (``GOVARC_TAMPER_LEXICON`` names one when no path is given).
"""

from __future__ import annotations

import bisect
import itertools
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from archive.errors import ExtractionError
from archive.extract.decode import decode_html
from archive.extract.html_text import BLOCK_TAGS, SKIP_TAGS, tag_of
from archive.extract.parse import DEEP_ATTRIBUTE, LIBXML2_DEPTH, parse_html

__all__ = [
    "KINDS", "LEXICON_ENV", "Flag", "Lexicon", "check_page", "default_lexicon",
    "load_lexicon",
]

KINDS = ("injected-terms", "hidden-link", "script-link", "script-redirect", "mirror",
         "deep-nesting")
LEXICON_ENV = "GOVARC_TAMPER_LEXICON"
_BUNDLED = "tamper_lexicon.toml"

# Weights of the structural evidence (the lexicon weighs words).
_W_SPAM_CAP = 0.6          # most a link's spam text/host adds to a hidden or written link
_W_FARM = 0.15             # one element hiding >= 3 links to foreign hosts
_W_WRITTEN_LINK = 0.35     # a script writes a link to a foreign host
_W_REDIRECT = 0.35         # location.href= / location.replace( to a foreign host
_W_POPUP = 0.25            # window.open( to a foreign host
_W_TOP_LEVEL = 0.2         # ... run as the page loads, not inside a function
_W_CLOAK = 0.35            # ... only for visitors from search engines (referrer/UA checks)
_W_META_REFRESH = 0.55     # meta refresh to a foreign host
_W_SITE_ID = 0.5           # mirror markers
_W_SITE_ID_MATCH = 0.2
_W_ICP = 0.2
_W_ICP_MATCH = 0.15
_W_GONGAN = 0.1
_W_SITE_NAME = 0.1
_W_CLAIMS_GOV = 0.15
_W_DEEP = 0.5              # elements nested past libxml2's 256 levels: hidden from parsers

_SNIPPET = 240


@dataclass(frozen=True)
class Flag:
    """One finding: its kind, what shows it, where, the host it points to and its score."""

    kind: str
    evidence: str
    element_path: str | None
    target_host: str | None
    score: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON/SQLite-ready dict of the fields."""
        return asdict(self)


# --- lexicon ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    """Weighted terms and patterns, whitelisted and damping contexts, substitution rule, hosts."""

    threshold: float = 0.5
    terms: Mapping[str, float] = field(default_factory=dict)
    patterns: Mapping[str, float] = field(default_factory=dict)
    suffixes: tuple[str, ...] = ()
    whitelist: tuple[str, ...] = ()
    damp_contexts: tuple[str, ...] = ()
    damp_factor: float = 0.3
    damp_window: int = 40
    substitution_bonus: float = 0.3
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    host_terms: Mapping[str, float] = field(default_factory=dict)
    trusted_hosts: tuple[str, ...] = ()
    _finders: tuple[tuple[re.Pattern[str], float | None], ...] = field(
        init=False, repr=False, compare=False)
    _weights: dict[str, float] = field(init=False, repr=False, compare=False)
    _suffix: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _white: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _damp: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _before: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _after: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _hosts: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        weights = {t.lower(): float(w) for t, w in self.terms.items() if w and float(w) > 0}
        # Separate regexes, each starting with a literal, are far faster in `re` than one
        # alternation of them all: the literal terms as one prefix trie, then each pattern.
        finders: list[tuple[re.Pattern[str], float | None]] = []
        if weights:
            finders.append((re.compile(_trie_regex(weights)), None))
        for pattern, weight in self.patterns.items():
            if not weight or float(weight) <= 0:
                continue
            try:
                finders.append((re.compile(pattern), float(weight)))
            except re.error as exc:
                raise ValueError(f"bad tamper lexicon pattern {pattern!r}: {exc}") from exc
        setter = object.__setattr__
        setter(self, "_weights", weights)
        setter(self, "_finders", tuple(finders))
        suffix = _alternation(self.suffixes)
        setter(self, "_suffix", re.compile(f"(?:{suffix}){{1,2}}") if suffix else None)
        setter(self, "_white", _compiled(self.whitelist))
        setter(self, "_damp", _compiled(self.damp_contexts))
        before = _alternation(self.before)
        setter(self, "_before", re.compile(f"(?:{before})$") if before else None)
        setter(self, "_after", _compiled(self.after))
        setter(self, "_hosts", _compiled(self.host_terms))

    def spam_score(self, text: str) -> float:
        """Combined weight of the distinct terms in a short string such as a link's text."""
        low = _lower(text)
        found: dict[str, float] = {}
        white = _spans(self._white, low)
        for start, end, weight in self._hits(low):
            if not _overlaps(white, start, end):
                term = low[start:end]
                found[term] = max(found.get(term, 0.0), weight)
        return _combine(found.values())

    def host_score(self, host: str) -> float:
        """Spam weight of a host name: host terms of the lexicon plus ordinary terms in it."""
        host = host.lower()
        weights = []
        if self._hosts is not None:
            weights.extend(float(self.host_terms.get(m.group(0), 0.0))
                           for m in self._hosts.finditer(host))
        weights.extend(w for _, _, w in self._hits(host))
        return _combine(weights)

    def trusted(self, hostname: str) -> bool:
        """True when the host is one of the lexicon's trusted hosts or under one."""
        return any(hostname == t or hostname.endswith("." + t) for t in self.trusted_hosts)

    def _hits(self, low: str) -> Iterator[tuple[int, int, float]]:
        """(start, end, weight) of the term/pattern hits in lower-cased text, leftmost-longest
        and not overlapping, extended over the brand suffixes after them (365bet体育在线) and
        a Latin/numeric brand glued in front of a Chinese hit (bet9体育投注)."""
        found = []
        for regex, weight in self._finders:
            for m in regex.finditer(low):
                if m.end() > m.start():
                    w = self._weights.get(m.group(0), 0.0) if weight is None else weight
                    found.append((m.start(), -m.end(), w))
        found.sort()
        last = 0
        for start, neg_end, weight in found:
            if start < last:
                continue
            end = -neg_end
            if start and not low[start].isascii() and low[start - 1] in _BRAND_CHARS:
                # a brand glued before the term (365bet体育): at most 12 characters back
                floor = max(last, start - 12)
                while start > floor and low[start - 1] in _BRAND_CHARS:
                    start -= 1
            if self._suffix is not None:
                more = self._suffix.match(low, end)
                if more:
                    end = more.end()
            last = end
            yield start, end, weight


_BRAND_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(text: str) -> str:
    """Lower case of the same length (offsets stay valid)."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)


def _compiled(words: Iterable[str]) -> re.Pattern[str] | None:
    pattern = _alternation(w.lower() for w in words)
    return re.compile(pattern) if pattern else None


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of `words`, longest first, factored on shared prefixes."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(c) + emit(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key, lists extend, other values are replaced."""
    merged = dict(base)
    for key, value in over.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(value, Mapping):
            merged[key] = _merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            merged[key] = old + [v for v in value if v not in old]
        else:
            merged[key] = value
    return merged


def _from_data(data: Mapping[str, Any]) -> Lexicon:
    evidence = data.get("evidence", {})
    white = data.get("whitelist", {})
    damp = data.get("damping", {})
    sub = data.get("substitution", {})
    hosts = data.get("hosts", {})
    return Lexicon(
        threshold=float(data.get("threshold", 0.5)),
        terms=dict(data.get("terms", {})),
        patterns=dict(data.get("patterns", {})),
        suffixes=tuple(evidence.get("suffixes", ())),
        whitelist=tuple(white.get("contexts", ())),
        damp_contexts=tuple(damp.get("contexts", ())),
        damp_factor=float(damp.get("factor", 0.3)),
        damp_window=int(damp.get("window", 40)),
        substitution_bonus=float(sub.get("bonus", 0.3)),
        before=tuple(sub.get("before", ())),
        after=tuple(sub.get("after", ())),
        host_terms={k.lower(): float(v) for k, v in hosts.get("terms", {}).items()},
        trusted_hosts=tuple(h.lower().lstrip(".") for h in hosts.get("trusted", ())),
    )


def _bundled_data() -> dict[str, Any]:
    text = resources.files("archive").joinpath(_BUNDLED).read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=8)
def _load(path: str | None, mtime: float) -> Lexicon:
    data = _bundled_data()
    if path:
        try:
            user = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"bad tamper lexicon {path}: {exc}") from exc
        data = _merge(data, user)
    return _from_data(data)


def load_lexicon(path: str | os.PathLike[str] | None = None) -> Lexicon:
    """The bundled lexicon with a user file merged over it.

    The user file is `path`, else the file named by ``GOVARC_TAMPER_LEXICON``, else none.
    Results are cached per file and modification time.
    """
    chosen = os.fspath(path) if path is not None else os.environ.get(LEXICON_ENV) or None
    mtime = Path(chosen).stat().st_mtime if chosen else 0.0
    return _load(chosen, mtime)


def default_lexicon() -> Lexicon:
    """`load_lexicon()` with no path: the bundled one plus ``GOVARC_TAMPER_LEXICON``."""
    return load_lexicon()


# --- small helpers ------------------------------------------------------------------------


def _combine(weights: Iterable[float]) -> float:
    rest = 1.0
    for w in weights:
        rest *= 1.0 - min(max(w, 0.0), 1.0)
    return 1.0 - rest


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _score(value: float) -> float:
    return round(min(max(value, 0.0), 1.0), 2)


def _clip(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hostname(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.split(":", 1)[0]


class _Hosts:
    """Decides whether a host is foreign to a portal."""

    def __init__(self, domains: Iterable[str], lexicon: Lexicon) -> None:
        self.domains = tuple(d.lower().strip().lstrip(".") for d in domains if d)
        self.lexicon = lexicon

    def owns(self, netloc: str) -> bool:
        host = _hostname(netloc)
        for d in self.domains:
            if netloc == d or (":" not in d and (host == d or host.endswith("." + d))):
                return True
        return False

    def foreign(self, netloc: str) -> bool:
        netloc = netloc.lower()
        if not netloc:
            return False
        host = _hostname(netloc)
        return not (_is_gov(host) or self.owns(netloc) or self.lexicon.trusted(host))


def _is_gov(hostname: str) -> bool:
    return hostname == "gov.cn" or hostname.endswith(".gov.cn")


# The leading space is taken only where a run of spaces starts (and possessively), so that
# no pattern over page text tries a long run of spaces from each of its characters.
_ABSOLUTE = re.compile(r"(?<!\s)\s*+(https?:)?//([^/?#\s\\'\"]++)", re.IGNORECASE)


def _target(base: str, href: str) -> tuple[str, str] | None:
    """(absolute URL, netloc) of a link to another host; None for relative links (they stay
    on the page's own host), javascript:, mailto: and the like."""
    m = _ABSOLUTE.match(href)
    if m is None:
        return None
    href = href.strip()
    if not m.group(1):
        scheme = base.split(":", 1)[0].lower() if "://" in base else "http"
        href = f"{scheme}:{href}"
    netloc = m.group(2).lower().rsplit("@", 1)[-1]
    return href, netloc


# --- CSS ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"^(-?(?:\d++(?:\.\d++)?|\.\d++))([a-z%]*+)$")
_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?((?:[.#][-\w]+)+)?$")
# Declarations that may hide something: a cheap test before parsing a style.
_HIDE_HINT = re.compile(
    r"none|hidden|collapse|-\s*\d{3,}|font-size\s*:\s*(?:0|1(?:px|pt)?\b|\.)|"
    r"(?:height|width)\s*:\s*(?:0|1px)|opacity\s*:\s*0")


def _declarations(style: str) -> dict[str, str]:
    decls = {}
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        if sep:
            value = value.lower().replace("!important", "")
            decls[name.strip().lower()] = "".join(value.split())
    return decls


def _length(value: str | None) -> float | None:
    """A CSS length in px (em/rem as 16px, pt as 4/3 px), None if not a plain length."""
    if not value:
        return None
    m = _NUMBER.match(value)
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    factor = {"": 1.0, "px": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0}.get(unit)
    return None if factor is None else number * factor


def _hiding(decls: Mapping[str, str]) -> tuple[str, float] | None:
    """(technique, weight) when the declarations hide the element, else None."""
    if decls.get("display") == "none":
        return "display:none", 0.3
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden", 0.3
    indent = _length(decls.get("text-indent"))
    if indent is not None and indent <= -500:
        return "text-indent", 0.4
    size = decls.get("font-size")
    size_px = _length(size)
    if size_px is not None and size_px <= 1:
        return "font-size:0", 0.4
    if decls.get("position") in ("absolute", "fixed", "relative"):
        for side in ("left", "top", "right", "bottom", "margin-left", "margin-top"):
            offset = _length(decls.get(side))
            if offset is not None and offset <= -500:
                return "off-screen", 0.4
    for side in ("margin-left", "margin-top"):
        offset = _length(decls.get(side))
        if offset is not None and offset <= -1000:
            return "off-screen", 0.35
    if decls.get("overflow") == "hidden" or decls.get("overflow-y") == "hidden":
        for dim in ("height", "width", "max-height", "max-width"):
            extent = _length(decls.get(dim))
            if extent is not None and extent <= 1:
                return "zero-size", 0.4
    opacity = decls.get("opacity")
    if opacity is not None and _length(opacity) == 0:
        return "opacity:0", 0.3
    return None


def _normal_style(decls: Mapping[str, str]) -> str:
    return ";".join(f"{k}:{v}" for k, v in decls.items())


@dataclass
class _Rule:
    compounds: list[tuple[str | None, frozenset[str], frozenset[str]]]
    technique: str
    weight: float
    text: str


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


def _style_rules(root: etree._Element) -> dict[str, list[_Rule]]:
    """Hiding rules of the page's <style> elements, keyed by a class (.x) or id (#x)."""
    rules: dict[str, list[_Rule]] = {}
    for style in root.iter("style"):
        css = (style.text or "").lower()
        if ":" not in css:
            continue
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
            decls = _declarations(css[opening + 1:closing])
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
        rules.setdefault(min(keys), []).append(_Rule(compounds, hiding[0], hiding[1], text))


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


_HIDDEN_CLASSES = frozenset({"ng-hide", "hidden", "hide", "hiddenelement"})


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
    if style and _HIDE_HINT.search(style.lower()):
        decls = _declarations(style)
        hiding = _hiding(decls)
        if hiding:
            return _Cause(el, hiding[0], hiding[1], f'style="{_normal_style(decls)}"')
    cls = get("class")
    if cls:
        names = cls.lower().split()
        if rules:
            for name in names:
                for rule in rules.get("." + name, ()):
                    if _rule_matches(rule, el, ancestors):
                        return _Cause(el, rule.technique, rule.weight, f"<style> {rule.text}")
        if not _HIDDEN_CLASSES.isdisjoint(names):
            return _Cause(el, "hidden class", 0.3, f'class="{cls}"')
    if rules:
        ident = get("id")
        if ident:
            for rule in rules.get("#" + ident.lower(), ()):
                if _rule_matches(rule, el, ancestors):
                    return _Cause(el, rule.technique, rule.weight, f"<style> {rule.text}")
    if get("hidden") is not None:
        return _Cause(el, "hidden attribute", 0.3, "hidden")
    return None


_BREAKS = BLOCK_TAGS | {"br"}


def _walk(root: etree._Element, rules: dict[str, list[_Rule]]) -> _Page:
    """Visible text pieces (with their elements) and the links hidden from readers."""
    page = _Page()
    pieces, owners, hidden = page.pieces, page.owners, page.hidden_links
    add_piece, add_owner = pieces.append, owners.append
    ancestors: list[etree._Element] = []
    ids = any(key.startswith("#") for key in rules)
    classes = {key[1:] for key in rules if key.startswith(".")} | _HIDDEN_CLASSES
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
            cause: _Cause | None = _Cause(el, "noscript", 0.35, "<noscript>")
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


# --- injected terms -----------------------------------------------------------------------


@dataclass
class _TermHit:
    weight: float
    count: int
    context: str
    owner: etree._Element | None
    substituted: bool


def _scan_terms(text: str, owners: list[etree._Element | None] | None,
                starts: Callable[[], list[int]] | None, lexicon: Lexicon,
                found: dict[str, _TermHit]) -> None:
    low = _lower(text)
    white = _spans(lexicon._white, low)
    damp = _spans(lexicon._damp, low)
    counts: dict[str, int] = {}
    for start, end, weight in lexicon._hits(low):
        if weight <= 0 or _overlaps(white, start, end):
            continue
        key = low[start:end]
        counts[key] = counts.get(key, 0) + 1
        before = low[max(0, start - 6):start]
        substituted = bool(
            (lexicon._before is not None and lexicon._before.search(before))
            or (lexicon._after is not None and lexicon._after.match(low, end)))
        if substituted:
            weight += lexicon.substitution_bonus
        elif _overlaps(damp, start - lexicon.damp_window, end + lexicon.damp_window):
            weight *= lexicon.damp_factor
        owner = None
        if owners is not None and starts is not None:
            owner = owners[max(0, bisect.bisect_right(starts(), start) - 1)]
        hit = found.get(key)
        context = text[max(0, start - 12):end + 12].replace("\n", " ").strip()
        if hit is None:
            found[key] = _TermHit(weight, 0, context, owner, substituted)
        elif weight > hit.weight:
            hit.weight, hit.context, hit.owner, hit.substituted = (
                weight, context, owner if owner is not None else hit.owner, substituted)
    for key, count in counts.items():
        found[key].count = max(found[key].count, count)


def _injected(page: _Page, extra: list[tuple[str, etree._Element | None]], text: str | None,
              lexicon: Lexicon, path: Any) -> Flag | None:
    found: dict[str, _TermHit] = {}
    if page.pieces:
        _scan_terms("".join(page.pieces), page.owners, page.starts, lexicon, found)
    for value, owner in extra:
        _scan_terms(value, [owner], lambda: [0], lexicon, found)
    if text:
        _scan_terms(text, None, None, lexicon, found)
    if not found:
        return None
    score = _combine(h.weight for h in found.values())
    if score < lexicon.threshold:
        return None
    ranked = sorted(found.items(), key=lambda kv: (-kv[1].weight, kv[0]))
    terms = [f"{_original(hit.context, key)} ×{hit.count}"
             f"{' (substituted)' if hit.substituted else ''}: …{hit.context}…"
             for key, hit in ranked]
    owner = next((h.owner for _, h in ranked if h.owner is not None), None)
    return Flag("injected-terms", _clip("; ".join(terms), 600),
                path(owner) if owner is not None else None, None, _score(score))


def _original(context: str, key: str) -> str:
    """The term as printed (case kept) in its context."""
    at = context.lower().find(key)
    return context[at:at + len(key)] if at >= 0 else key


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


# --- mirror -------------------------------------------------------------------------------

_SITE_CODE = re.compile(r"(?:政府网站标识码|网站标识码)\s*+[:：]?\s*+([0-9A-Za-z]{10})")
_ICP = re.compile(r"[\u4e00-\u9fff]ICP[备证]\s*\d{6,}\s*号(?:\s*-\s*\d+)?")
_GONGAN = re.compile(r"[\u4e00-\u9fff]公网安备\s*\d{10,}\s*号?")
_HOST_ORG = re.compile(r"主办单位\s*+[:：]?\s*+([\u4e00-\u9fff（）()]{4,30})")
_GOV_NAME = re.compile(r"人民政府|办公厅|办公室|委员会|厅|局|人大|政协")


def _mirror(root: etree._Element | None, visible: str, url: str, identity: _Hosts,
            site_id_code: str | None, icp: str | None, lexicon: Lexicon,
            path: Any) -> Flag | None:
    netloc = urlsplit(url).netloc.lower() if url else ""
    if not netloc or _is_gov(_hostname(netloc)) or identity.owns(netloc):
        return None
    metas: dict[str, tuple[str, etree._Element]] = {}
    if root is not None:
        for meta in root.iter("meta"):
            name = (meta.get("name") or "").lower()
            content = (meta.get("content") or "").strip()
            if name in ("siteidcode", "sitename", "sitedomain", "url") and content:
                metas.setdefault(name, (content, meta))
    score, evidence, element = 0.0, [], None
    code = metas.get("siteidcode", ("", None))[0]
    if not code:
        found = _SITE_CODE.search(visible)
        code = found.group(1) if found else ""
    if code:
        score += _W_SITE_ID
        element = metas.get("siteidcode", ("", None))[1]
        if site_id_code and code.lower() == site_id_code.lower():
            score += _W_SITE_ID_MATCH
            evidence.append(f"SiteIDCode {code} (the portal's)")
        else:
            evidence.append(f"SiteIDCode {code}")
    icp_found = _ICP.search(visible)
    if icp_found:
        printed = re.sub(r"\s+", "", icp_found.group(0))
        score += _W_ICP
        if icp and printed.split("-")[0] == re.sub(r"\s+", "", icp).split("-")[0]:
            score += _W_ICP_MATCH
            evidence.append(f"{printed} (the portal's)")
        else:
            evidence.append(printed)
    gongan = _GONGAN.search(visible)
    if gongan:
        score += _W_GONGAN
        evidence.append(" ".join(gongan.group(0).split()))
    name = metas.get("sitename", ("", None))[0]
    if not name:
        org = _HOST_ORG.search(visible)
        name = org.group(1) if org else ""
    if name and _GOV_NAME.search(name):
        score += _W_SITE_NAME
        evidence.append(name)
    claimed = [c for key in ("sitedomain", "url") if (c := metas.get(key, ("", None))[0])]
    for claim in claimed:
        claim_host = urlsplit(claim if "//" in claim else "//" + claim).netloc.lower()
        if claim_host and _is_gov(_hostname(claim_host)):
            score += _W_CLAIMS_GOV
            evidence.append(f"claims {claim_host}")
            break
    if score < lexicon.threshold:
        return None
    evidence.append(f"served from {netloc}, outside gov.cn and the portal's domains")
    return Flag("mirror", "; ".join(evidence), path(element) if element is not None else None,
                netloc, _score(score))


# --- entry point --------------------------------------------------------------------------


def _decode(body: bytes | str, content_type: str | None) -> str:
    if isinstance(body, str):
        return body
    if not body:
        return ""
    try:
        return decode_html(bytes(body), content_type)[0]
    except ExtractionError:
        return ""


def check_page(body: bytes | str, url: str, *, portal_domains: tuple[str, ...],
               portal_site_id_code: str | None = None, portal_icp: str | None = None,
               text: str | None = None, lexicon: Lexicon | None = None,
               tree: etree._Element | None = None, identity_domains: tuple[str, ...] | None = None,
               content_type: str | None = None) -> list[Flag]:
    """The tamper flags of one page, strongest first (see the module docstring).

    `body`: the page as served (bytes are decoded like the extractor does; a str without
    markup is taken as plain text). `url`: where it was fetched (links resolve against it;
    the mirror check needs its host). `portal_domains`: the portal's hosts (host[:port], a
    port-less entry covers its subdomains). `portal_site_id_code` / `portal_icp`: the
    government identity the page should carry; for a registry entry noted "mirror of X" pass
    X's code, ICP and, as `identity_domains`, X's domains (where that identity legitimately
    lives; default `portal_domains`). `text`: extra text to scan for terms (e.g. the extracted
    body, or a plain-text rendering). `tree`: the page already parsed by
    ``archive.extract.parse.parse_html`` and not yet pruned (it is not modified).
    """
    lexicon = lexicon if lexicon is not None else default_lexicon()
    hosts = _Hosts(portal_domains, lexicon)
    identity = _Hosts(identity_domains if identity_domains is not None else portal_domains,
                      lexicon)
    root = tree
    if root is None:
        html = _decode(body, content_type)
        if "<" in html:
            try:
                root = parse_html(html)
            except ExtractionError:
                root = None
        elif html.strip():
            text = html if not text else html + "\n" + text
    flags: list[Flag] = []
    if root is None:
        visible = text or ""
        page = _Page()
        extra: list[tuple[str, etree._Element | None]] = []

        def path(el: etree._Element) -> str:
            return ""
    else:
        getpath = root.getroottree().getpath

        def path(el: etree._Element) -> str:
            return getpath(el)

        page = _walk(root, _style_rules(root))
        extra = _head_text(root)
        visible = "".join(page.pieces)
        base = url or ""
        flags.extend(_hidden_links(page, base, hosts, lexicon, path))
        flags.extend(_scripts(root, base, hosts, lexicon, path))
    injected = _injected(page, extra, text, lexicon, path)
    if injected is not None:
        flags.append(injected)
    mirror = _mirror(root, visible if root is not None else (text or ""), url, identity,
                     portal_site_id_code, portal_icp, lexicon, path)
    if mirror is not None:
        flags.append(mirror)
    depth = root.get(DEEP_ATTRIBUTE) if root is not None else None
    if depth:
        flags.append(Flag("deep-nesting", f"elements nested {depth} levels deep: past the "
                          f"{LIBXML2_DEPTH} levels libxml2 reads, text there is invisible to "
                          "most parsers while browsers show it", path(root), None,
                          _score(_W_DEEP)))
    flags.sort(key=lambda f: (-f.score, KINDS.index(f.kind)))
    return flags


def _head_text(root: etree._Element) -> list[tuple[str, etree._Element | None]]:
    """<title> and meta keywords/description: shown in the tab and in search results."""
    out: list[tuple[str, etree._Element | None]] = []
    for title in root.iter("title"):
        out.append(("".join(title.itertext()), title))
        break
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("keywords", "description"):
            content = meta.get("content")
            if content:
                out.append((content, meta))
    return out

