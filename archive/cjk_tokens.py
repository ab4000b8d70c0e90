"""The govarc_cjk tokenizer's rules in Python: the same tokens as `cjk_tokenizer.c`.

Used where the C extension could not be built (no compiler). Every Han (and kana, hangul)
character is indexed as the bigram it starts and, colocated, alone; a query is cut into
overlapping bigrams. Latin letters and digits form words, lower-cased, full-width forms
folded to ASCII; everything else separates. Offsets are bytes of the UTF-8 text, as FTS5
wants them. Valid UTF-8 is cut into runs with one regex; bytes that are not UTF-8 are
decoded one by one exactly as the C code does (a bad byte is U+FFFD, a separator).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

QUERY = 0x0001  # FTS5_TOKENIZE_QUERY
COLOCATED = 0x0001  # FTS5_TOKEN_COLOCATED
WORD_MAX = 256  # bytes; longer Latin words are cut, as in C

Token = tuple[int, bytes, int, int]  # (flags, token, start byte, end byte)

_CJK = ("\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f\u3040-\u30ff"
        "\uac00-\ud7af\u3005\u3007")
_SEP = ("\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf\u2000-\u2bff\u3000-\u303f\ufe10-\ufe6f"
        "\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ue000-\uf8ff\ufff0-\uffff"
        "\U0001f000-\U0001faff\xd7\xf7")
# 々 and 〇 (U+3005, U+3007) sit inside the 3000–303F separator block but are CJK: the
# CJK class is tried first, as the C code classifies.
_RUN = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>[^{_SEP}{_CJK}]+)")


def _fold(char: str) -> bytes:
    cp = ord(char)
    if 0xFF10 <= cp <= 0xFF5A:
        cp -= 0xFEE0
    if cp < 0x80:
        return bytes((cp + 32 if 65 <= cp <= 90 else cp,))
    return char.encode("utf-8")


def _word(chars: str) -> bytes:
    """A word's token: folded, cut at WORD_MAX bytes as the C code counts (output so far
    plus the next character's input length)."""
    if chars.isascii() and len(chars) <= WORD_MAX:
        return chars.lower().encode("ascii")
    out = bytearray()
    for char in chars:
        if len(out) + len(char.encode("utf-8")) <= WORD_MAX:
            out += _fold(char)
    return bytes(out)


class _Emitter:
    """Token order and the query mode's held-back last character, as in C."""

    def __init__(self, query: bool) -> None:
        self.query = query
        self.pending: Token | None = None
        self.tokens: list[Token] = []

    def flush(self) -> None:
        if self.pending is not None:
            self.tokens.append(self.pending)
            self.pending = None

    def word(self, token: bytes, start: int, end: int) -> None:
        self.flush()
        self.tokens.append((0, token, start, end))

    def cjk(self, text: bytes, starts: list[int]) -> None:
        """A run of n CJK characters at byte offsets starts[0..n-1], starts[n] its end."""
        self.flush()
        n = len(starts) - 1
        append = self.tokens.append
        for i in range(n):
            s, m = starts[i], starts[i + 1]
            if i + 1 < n:
                t = starts[i + 2]
                append((0, text[s:t], s, t))
                if not self.query:
                    append((COLOCATED, text[s:m], s, m))
            elif not self.query or n == 1:
                append((0, text[s:m], s, m))
            else:
                self.pending = (0, text[s:m], s, m)


def tokenize(text: bytes, flags: int = 0) -> list[Token]:
    """The tokens of UTF-8 `text` (FTS5's `flags`: QUERY for a search)."""
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        return _tokenize_bytes(text, flags)
    emit = _Emitter(bool(flags & QUERY))
    offset = 0  # byte offset of character `position`
    position = 0
    for run in _RUN.finditer(decoded):
        offset += len(decoded[position:run.start()].encode("utf-8"))
        chars = run.group()
        if run.lastgroup == "cjk":
            starts = [offset]
            for char in chars:
                starts.append(starts[-1] + len(char.encode("utf-8")))
            emit.cjk(text, starts)
            end = starts[-1]
        else:
            end = offset + len(chars.encode("utf-8"))
            emit.word(_word(chars), offset, end)
        offset, position = end, run.end()
    return emit.tokens


def _decode(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(code point, start, length) of each character, decoding as `utf8_decode` in C."""
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        left = n - i

        def cont(k: int, i: int = i) -> bool:
            return (data[i + k] & 0xC0) == 0x80

        if c < 0x80:
            yield c, i, 1
            i += 1
        elif (c & 0xE0) == 0xC0 and left >= 2 and cont(1):
            yield ((c & 0x1F) << 6) | (data[i + 1] & 0x3F), i, 2
            i += 2
        elif (c & 0xF0) == 0xE0 and left >= 3 and cont(1) and cont(2):
            yield (((c & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6)
                   | (data[i + 2] & 0x3F)), i, 3
            i += 3
        elif (c & 0xF8) == 0xF0 and left >= 4 and cont(1) and cont(2) and cont(3):
            yield (((c & 0x07) << 18) | ((data[i + 1] & 0x3F) << 12)
                   | ((data[i + 2] & 0x3F) << 6) | (data[i + 3] & 0x3F)), i, 4
            i += 4
        else:
            yield 0xFFFD, i, 1
            i += 1


_CJK_CHAR = re.compile(f"[{_CJK}]")
_SEP_CHAR = re.compile(f"[{_SEP}]")


def _classify(cp: int) -> str:
    if cp > 0x10FFFF:
        return "word"  # the C code decodes up to 0x1FFFFF; none of its classes hold these
    char = chr(cp)
    if _CJK_CHAR.match(char):
        return "cjk"
    return "sep" if _SEP_CHAR.match(char) else "word"


def _tokenize_bytes(text: bytes, flags: int) -> list[Token]:
    """The slow path for text that is not valid UTF-8: character by character."""
    emit = _Emitter(bool(flags & QUERY))
    word: list[tuple[int, int, int]] = []
    run: list[int] = []

    def close_word() -> None:
        if word:
            out = bytearray()
            for cp, start, length in word:
                if len(out) + length <= WORD_MAX:
                    folded = cp - 0xFEE0 if 0xFF10 <= cp <= 0xFF5A else cp
                    if folded < 0x80:
                        out.append(folded + 32 if 65 <= folded <= 90 else folded)
                    else:
                        out += text[start:start + length]
            emit.word(bytes(out), word[0][1], word[-1][1] + word[-1][2])
            word.clear()

    def close_run(end: int) -> None:
        if run:
            emit.cjk(text, [*run, end])
            run.clear()

    for cp, start, length in _decode(text):
        kind = _classify(cp)
        if kind != "word":
            close_word()
        if kind != "cjk":
            close_run(start)
        if kind == "word":
            word.append((cp, start, length))
        elif kind == "cjk":
            run.append(start)
    close_word()
    close_run(len(text))
    return emit.tokens
