"""Every regex that reads page content, and inputs shaped to make a backtracking regex slow.

Used by tests/test_linear_regexes.py (each pattern on 1 MB of its worst input) and by
bench/regex_scan.py (the search for those worst inputs).
"""

from __future__ import annotations

import importlib
import re
import re._parser as sre_parse  # the standard library's own parser of patterns
from collections.abc import Iterator
from dataclasses import dataclass

# Modules whose regexes run over what a portal sent: pages, their lines, URLs and headers.
PAGE_MODULES = (  # a module before those that import its patterns: each is listed once
    "archive.site_identity",
    "archive.visibility",
    "archive.access",
    "archive.extract.attachments",
    "archive.extract.body",
    "archive.extract.boilerplate",
    "archive.extract.dates",
    "archive.extract.decode",
    "archive.extract.docfields",
    "archive.extract.html_text",
    "archive.extract.metadata",
    "archive.extract.pagekind",
    "archive.extract.parse",
    "archive.extract.pipeline",
    "archive.tamper.common",
    "archive.tamper.css",
    "archive.tamper.lexicon",
    "archive.tamper.links",
    "archive.tamper.mirror",
    "archive.tamper.terms",
    "archive.tamper.walk",
    "crawler.cms.canonical",
    "crawler.cms.generic",
    "crawler.cms.govsearch",
    "crawler.cms.hanweb",
    "crawler.cms.jpaas",
    "crawler.cms.links",
    "crawler.cms.trs",
    "crawler.cms.xxgk",
    "crawler.spiders.portal",
)

FILLERS = (" ", "\n", "a", "1", "中", "<", ">", '"', "'", "/", ".", ":", "：", "=", "-", "_",
           "|", "{", "}", ";", "@", "*", "#", "\\", "[", "]", "【", "】", "(", "（", "!", "&")


def _found(value: object) -> Iterator[re.Pattern]:
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _found(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _found(item)


def page_patterns() -> Iterator[tuple[str, re.Pattern]]:
    """(module.NAME, pattern) for every module-level pattern of PAGE_MODULES (in dicts,
    lists and tuples too), and the tamper lexicon's compiled patterns."""
    seen: dict[int, str] = {}  # a pattern one module imports from another is listed once
    for module_name in PAGE_MODULES:
        module = importlib.import_module(module_name)
        for attr, value in sorted(vars(module).items()):
            if attr.startswith("__"):
                continue
            for n, pattern in enumerate(_found(value)):
                if seen.setdefault(id(pattern), module_name) != module_name:
                    continue
                yield (f"{module_name}.{attr}" + (f"[{n}]" if not isinstance(value, re.Pattern)
                                                  else "")), pattern
    from archive.tamper import default_lexicon

    lexicon = default_lexicon()
    for n, (pattern, _weight) in enumerate(lexicon._finders):
        yield f"archive.tamper.lexicon.finder[{n}]", pattern
    for attr in ("_suffix", "_before"):
        pattern = getattr(lexicon, attr)
        if pattern is not None:
            yield f"archive.tamper.lexicon.{attr}", pattern


def literals(pattern: re.Pattern) -> list[str]:
    """Literal runs and representative characters of the pattern."""
    source = pattern.pattern
    text = source if isinstance(source, str) else source.decode("latin-1")
    flags = pattern.flags & ~re.UNICODE if isinstance(source, bytes) else pattern.flags
    found: set[str] = set()

    def walk(tree) -> None:
        run = ""
        for op, av in tree:
            name = str(op)
            if name == "LITERAL":
                run += chr(av)
                continue
            if run:
                found.add(run)
            run = ""
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(av[2])
            elif name == "SUBPATTERN":
                walk(av[3])
            elif name == "ATOMIC_GROUP" or name in ("ASSERT", "ASSERT_NOT"):
                walk(av if name == "ATOMIC_GROUP" else av[1])
            elif name == "BRANCH":
                for branch in av[1]:
                    walk(branch)
            elif name == "IN":
                for item_op, item in av:
                    if str(item_op) == "LITERAL":
                        found.add(chr(item))
                    elif str(item_op) == "RANGE":
                        found.add(chr(item[0]))
        if run:
            found.add(run)

    walk(sre_parse.parse(text, flags))
    return sorted(found, key=lambda s: (len(s), s))[:40]


POISON = "\x01"  # ends an input with what no pattern expects: anchors fail, and backtrack


@dataclass(frozen=True)
class Shape:
    """An input of about `size` characters: `head` once then `filler` (one start and a
    long tail), or `head + filler * gap` repeated (many starts); with `poison`, ended by
    a character that makes an anchored match fail at the very end."""

    head: str
    filler: str
    gap: int  # 0: head once, then filler to the size
    poison: bool = False

    def make(self, size: int) -> str:
        if self.gap == 0:
            text = self.head + self.filler * max(1, (size - len(self.head)) // len(self.filler))
        else:
            unit = self.head + self.filler * self.gap
            text = unit * max(1, size // len(unit))
        return text + POISON if self.poison else text

    def data(self, pattern: re.Pattern, size: int) -> str | bytes:
        text = self.make(size)
        return text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text

    @property
    def describe(self) -> str:
        return f"Shape({self.head!r}, {self.filler!r}, {self.gap}, poison={self.poison})"


def candidate_inputs(pattern: re.Pattern) -> Iterator[Shape]:
    pieces = literals(pattern)
    fillers = list(dict.fromkeys([*FILLERS, *(p for p in pieces if len(p) == 1)]))
    for poison in (False, True):
        for head in ["", *pieces]:
            for filler in fillers:
                yield Shape(head, filler, 0, poison)
                if head:
                    yield Shape(head, filler, 1, poison)
                    yield Shape(head, filler, 8, poison)
        for first in pieces:
            for second in pieces:
                if first != second:
                    yield Shape(first + second, " ", 0, poison)
                    yield Shape(first, second, 1, poison)
                    yield Shape(first + " ", second, 2, poison)
