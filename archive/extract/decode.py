"""Turn response bytes into text: BOM, declared charsets, detection; never mojibake."""

from __future__ import annotations

import codecs
import re

from archive.errors import ExtractionError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Declared names mapped to the decoder actually used (supersets, as browsers do).
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
    "gb_2312": "gb18030", "csgb2312": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "gb18030": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8",
}
# Single-byte Western declarations decode any bytes, so they prove nothing on a Chinese page.
_WEAK = frozenset({"latin_1", "iso8859-1", "cp1252", "ascii", "iso8859_1"})
_NAMES = {"gb18030": "gb18030", "big5hkscs": "big5", "utf-8": "utf-8"}

_META_CHARSET = re.compile(
    rb"""<meta\b[^<>]*?charset\s*+=\s*+["']?\s*+([A-Za-z0-9_.:-]++)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*+=\s*+["']?\s*+([A-Za-z0-9_.:-]++)""", re.I)
_MAGIC = (
    (b"%PDF", "pdf"), (b"PK\x03\x04", "zip/office"), (b"\xd0\xcf\x11\xe0", "ole/office"),
    (b"\x89PNG", "png"), (b"GIF8", "gif"), (b"\xff\xd8\xff", "jpeg"), (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"), (b"7z\xbc\xaf", "7z"), (b"\x00\x00\x01\x00", "ico"), (b"RIFF", "riff"),
    (b"OFD", "ofd"), (b"wOF", "font"),
)


def _codec(name: str | None) -> str | None:
    """Canonical Python codec for a declared charset, or None when unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _plausibility(text: str) -> float:
    """Share of non-ASCII characters that are common CJK text or punctuation."""
    sample = [c for c in text[:20000] if ord(c) > 127]
    if not sample:
        return 1.0
    good = sum(
        1 for c in sample
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or c in "\u00a0\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u00d7"
    )
    return good / len(sample)


def check_binary(body: bytes) -> None:
    """Raise ExtractionError when the bytes are not HTML or text."""
    if not body or not body.strip():
        raise ExtractionError("empty body")
    head = body[:1024]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise ExtractionError(f"not HTML: binary content ({kind})")
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return
    if b"\x00" in head:
        raise ExtractionError("not HTML: binary content (NUL bytes)")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > len(head) // 20:
        raise ExtractionError("not HTML: binary content (control bytes)")


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Charsets declared by the Content-Type header, then by meta tags (in order)."""
    found: list[str] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m:
            found.append(m.group(1))
    found.extend(m.group(1).decode("ascii", "replace") for m in _META_CHARSET.finditer(body[:8192]))
    return found


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes; return ``(text, encoding name)``.

    Order of trust: a BOM; a declared charset under which the bytes decode strictly
    (UTF-8 first when declarations disagree, since valid UTF-8 is strong evidence);
    charset-normalizer's detection; UTF-8 with replacement as a last resort.
    """
    check_binary(body)
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec.replace("-le", "").replace(
                "-be", "")
    declared = []
    for name in declared_charsets(body, content_type):
        codec = _codec(name)
        if codec and codec not in declared:
            declared.append(codec)
    strong = [c for c in declared if c not in _WEAK]
    if not body.isascii():
        text = _strict(body, "utf-8")
        if text is not None and ("utf-8" in strong or not strong or len(body) > 64):
            # Valid multi-byte UTF-8 is almost never another encoding by accident.
            return text, "utf-8"
    best: tuple[float, str, str] | None = None
    for codec in strong:
        text = _strict(body, codec)
        if text is not None:
            score = _plausibility(text)
            if best is None or score > best[0]:
                best = (score, codec, text)
    if best is not None and best[0] >= 0.6:
        return best[2], _NAMES.get(best[1], best[1])
    if body.isascii():
        return body.decode("ascii"), "ascii"
    detected = _detect(body)
    if detected is not None:
        return detected
    if best is not None:
        return best[2], _NAMES.get(best[1], best[1])
    for codec in [*strong, "gb18030"]:
        text = _strict(body, codec)
        if text is not None:
            return text, _NAMES.get(codec, codec)
    return body.decode("utf-8", "replace"), "utf-8"


def _detect(body: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, widened to the superset codec (GBK → GB18030)."""
    from charset_normalizer import from_bytes

    match = from_bytes(body[:200_000]).best()
    if match is None:
        return None
    codec = _codec(match.encoding) or match.encoding
    text = _strict(body, codec)
    if text is None:
        return None
    return text, _NAMES.get(codec, codec)
