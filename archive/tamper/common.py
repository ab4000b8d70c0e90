"""What every part of the tamper watch shares: the kinds, the weights of the evidence,
the Flag, scores, and which hosts are foreign to a portal."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive.tamper.lexicon import Lexicon

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
