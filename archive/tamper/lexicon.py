"""The tamper lexicon: spam terms, brands, trusted hosts and their weights, from
`archive/tamper_lexicon.toml` with a user file merged over it."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from archive.tamper.common import _BUNDLED, _combine, _overlaps, _spans

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


_configured: str | None = None  # the user file `use_lexicon` chose for this process


def use_lexicon(path: str | os.PathLike[str] | None) -> None:
    """Make `path` (a user TOML merged over the bundled lexicon; None: none) what
    `default_lexicon` gives in this process. The command line calls it with
    ``--lexicon``/``GOVARC_TAMPER_LEXICON``, and so does each extraction process."""
    global _configured
    _configured = os.fspath(path) if path else None
    if _configured:
        load_lexicon(_configured)  # a bad file is an error now, not on the first page


def load_lexicon(path: str | os.PathLike[str] | None = None) -> Lexicon:
    """The bundled lexicon with the user file `path` merged over it (none: the bundled
    one alone). Results are cached per file and modification time."""
    chosen = os.fspath(path) if path is not None else None
    mtime = Path(chosen).stat().st_mtime if chosen else 0.0
    return _load(chosen, mtime)


def default_lexicon() -> Lexicon:
    """The lexicon of this process: the bundled one, with `use_lexicon`'s file if any."""
    return load_lexicon(_configured)
