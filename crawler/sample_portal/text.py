"""The expected body text of generated blocks, following the corpus "Rules for text"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .specs import Block

_SPACE = re.compile(r"\s+")


def normalize(line: str) -> str:
    """Collapse any run of whitespace (U+00A0, U+3000 … included) to one space and trim."""
    return _SPACE.sub(" ", line).strip()


def block_lines(block: Block) -> list[str]:
    """The text lines a reader sees for one body block."""
    if block.kind == "table":
        return [" | ".join(normalize(cell) for cell in row) for row in block.rows]
    if block.kind == "lines":
        return [normalize(line) for line in block.lines if normalize(line)]
    text = normalize(block.text)
    return [text] if text else []


def body_text(blocks: Iterable[Block]) -> str:
    """Body text: one line per paragraph, joined by newlines."""
    return "\n".join(line for block in blocks for line in block_lines(block))
