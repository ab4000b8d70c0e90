"""Injected terms: the lexicon's spam terms in the visible text, the title and meta tags."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from archive.tamper.common import Flag, _clip, _combine, _overlaps, _score, _spans
from archive.tamper.lexicon import Lexicon, _lower
from archive.tamper.walk import _Page

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
