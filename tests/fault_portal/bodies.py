"""The gzip bomb and the huge page of the fault portal, generated while they are sent."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

HUGE_SIZE = 50 * 1024 * 1024
BOMB_SIZE = 1 << 30
CHUNK = 1 << 16
_BOMB_CHUNK = 1 << 20

@dataclass(frozen=True)
class Bomb:
    """A gzip member inflating to `size` bytes: one steady deflate block output, repeated."""

    size: int
    first: bytes
    steady: bytes
    final: bytes
    chunks: int

    @property
    def length(self) -> int:
        return 10 + len(self.first) + len(self.steady) * (self.chunks - 1) + len(self.final) + 8

    def body(self) -> Iterator[bytes]:
        yield b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
        yield self.first
        for _ in range(self.chunks - 1):
            yield self.steady
        yield self.final
        crc = 0
        chunk = b" " * _BOMB_CHUNK
        for _ in range(self.chunks):
            crc = zlib.crc32(chunk, crc)
        yield struct.pack("<II", crc, self.size & 0xFFFFFFFF)


def make_bomb(size: int = BOMB_SIZE) -> Bomb:
    """A gzip bomb of `size` bytes of spaces (a multiple of 1 MiB), built in milliseconds."""
    if size % _BOMB_CHUNK or size < 2 * _BOMB_CHUNK:
        raise ValueError("bomb size must be a multiple of 1 MiB, at least 2 MiB")
    chunk = b" " * _BOMB_CHUNK
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    steady = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    if again != steady:
        raise RuntimeError("deflate did not reach a steady state")
    final = compressor.flush(zlib.Z_FINISH)
    return Bomb(size, first, steady, final, size // _BOMB_CHUNK)


def huge_body(size: int, title: str) -> Iterator[bytes]:
    """`size` bytes of an HTML page that never ends its one paragraph list."""
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            "</head><body><div class=\"TRS_Editor\">\n").encode()
    line = "<p>本页面用于测试超大页面的处理，内容重复出现。</p>\n".encode()
    block = line * (CHUNK // len(line))
    yield head
    sent = len(head)
    while sent + len(block) <= size:
        yield block
        sent += len(block)
    yield b" " * (size - sent)


