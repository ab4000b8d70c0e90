"""The seed article: parsed from the plain-text rendering shipped in `data/`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from .specs import Block
from .text import normalize

SEED_FILE = "yn_zsdt_qujing.txt"
SEED_PATH = "/ywdt/zsdt/202110/t20211025_229601.html"
_SOURCE_LINE = re.compile(r"来源[:：]\s*(\S+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")
_SENTENCE_END = "。！？!?…；;"


@dataclass(frozen=True)
class SeedArticle:
    """Headline, metadata and body blocks of the seed page."""

    section: str
    kicker: str | None
    title: str
    source: str
    published: str
    blocks: tuple[Block, ...]


def _is_subhead(line: str) -> bool:
    text = normalize(line)
    return len(text) < 40 and " " in text and text[-1] not in _SENTENCE_END


def parse_seed(raw: str) -> SeedArticle:
    """Parse the rendering: headline lines, the 来源 line, then body lines up to 分享到."""
    lines = raw.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("来源"))
    end = next(i for i in range(start + 1, len(lines)) if "分享到" in lines[i])
    head = [line.strip() for line in lines[:start] if line.strip()]
    match = _SOURCE_LINE.search(normalize(lines[start]))
    if match is None or len(head) < 2:
        raise ValueError(f"unexpected layout of {SEED_FILE}: headline or 来源 line not found")
    body = [line.strip() for line in lines[start + 1 : end] if line.strip()]
    blocks = tuple(Block("subhead" if _is_subhead(line) else "p", line) for line in body)
    return SeedArticle(
        section=head[0],
        kicker=head[-2] if len(head) >= 3 else None,
        title=head[-1],
        source=match.group(1),
        published=match.group(2),
        blocks=blocks,
    )


def load_seed() -> SeedArticle:
    """Read and parse the seed rendering from package data."""
    data = resources.files(__package__).joinpath("data")
    raw = data.joinpath(SEED_FILE).read_text(encoding="utf-8")
    return parse_seed(raw)
