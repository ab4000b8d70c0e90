"""Real Word 97-2003 binary documents (.doc), written without any library.

`word97(paragraphs)` builds an OLE2 compound file ([MS-CFB] version 3, 512-byte sectors)
holding a `WordDocument` stream (a Word 97 FIB, nFib 0x00C1, then the text as UTF-16LE) and
a `1Table` stream (the Clx: one Unicode piece over the whole text, a minimal style sheet,
one section). Every stream is padded to at least 4,096 bytes, the mini-stream cutoff, so
there is no mini stream. antiword, catdoc, olefile and LibreOffice read it.

The same bytes served as `.wps` stand for a Kingsoft WPS text file: WPS Office writes its
`.wps` (WPS 2003 and later) in this format, told apart from a .doc only by its name.
`encrypted=True` sets the FIB's fEncrypted flag (the text stays plain), which readers
refuse as they refuse a password-protected document.
"""

from __future__ import annotations

import struct

SECTOR = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
TEXT_AT = 0x800  # where the text starts in the WordDocument stream (after the FIB)
FIB_PAIRS = 93  # FibRgFcLcb97: fc/lcb pairs for nFib 0x00C1


def word97(paragraphs: list[str], *, encrypted: bool = False) -> bytes:
    """A .doc (or .wps) file whose main text is `paragraphs`, one paragraph each."""
    text = "".join(p.replace("\r", " ").replace("\n", " ") + "\r" for p in paragraphs) or "\r"
    ccp = len(text.encode("utf-16-le")) // 2  # characters as Word counts them (UTF-16 units)
    body = text.encode("utf-16-le")
    table, pairs = _table_stream(ccp)
    stream = _fib(ccp, pairs, encrypted) + body
    return compound_file({"WordDocument": stream, "1Table": table})


def _table_stream(ccp: int) -> tuple[bytes, dict[int, tuple[int, int]]]:
    """The 1Table stream and the FIB's fc/lcb pairs pointing into it (index → (fc, lcb))."""
    parts: list[bytes] = []
    pairs: dict[int, tuple[int, int]] = {}

    def put(index: int, blob: bytes) -> None:
        pairs[index] = (sum(map(len, parts)), len(blob))
        parts.append(blob)

    put(1, _stylesheet())  # fcStshf
    # PlcfSed: one section over the whole text; its SEPX is absent (fcSepx = 0xFFFFFFFF).
    put(6, struct.pack("<IIHIHI", 0, ccp, 0, 0xFFFFFFFF, 0, 0))
    # Clx: a Pcdt holding a PlcPcd of one piece, Unicode (fCompressed clear), at TEXT_AT.
    plc = struct.pack("<II", 0, ccp) + struct.pack("<HIH", 0, TEXT_AT, 0)
    put(33, b"\x02" + struct.pack("<I", len(plc)) + plc)  # fcClx
    return b"".join(parts), pairs


def _stylesheet() -> bytes:
    """An STSH with one style, Normal (sti 0), a paragraph style with empty properties."""
    # Stshif: cstd 1, cbSTDBaseInFile 10, fStdStylenamesWritten, stiMax, istdMaxFixed,
    # nVerBuiltInNames, three default fonts.
    info = struct.pack("<9H", 1, 0x0A, 1, 0x0F, 0x0F, 0, 0, 0, 0)
    name = "Normal"
    # Stdf: sti 0; stk paragraph with istdBase nil (0xFFF); cupx 2, istdNext 0.
    std = struct.pack("<5H", 0x0000, 0xFFF1, 0x0002, 0, 0)
    std += struct.pack("<H", len(name)) + name.encode("utf-16-le") + b"\0\0"
    std += b"\0" * (len(std) % 2)
    std += struct.pack("<HH", 2, 0)  # UpxPapx: cb 2, istd 0
    std += struct.pack("<H", 0)  # UpxChpx: cb 0
    return struct.pack("<H", len(info)) + info + struct.pack("<H", len(std)) + std


def _fib(ccp: int, pairs: dict[int, tuple[int, int]], encrypted: bool) -> bytes:
    """The FIB of a Word 97 document: FibBase, FibRgW97, FibRgLw97 and FibRgFcLcb97."""
    flags = 0x0200 | 0x1000 | (0x0100 if encrypted else 0)  # fWhichTblStm, fExtChar
    base = struct.pack("<HHHHHHHIBBHHII", 0xA5EC, 0x00C1, 0, 0x0804, 0, flags, 0x00BF,
                       0, 0, 0, 0, 0, TEXT_AT, TEXT_AT + 2 * ccp)  # fcMin, fcMac
    rgw = [0] * 14
    rgw[13] = 0x0804  # lidFE: Simplified Chinese
    lw = [0] * 22
    lw[0] = TEXT_AT + 2 * ccp  # cbMac
    lw[3] = ccp  # ccpText
    blob = bytearray(8 * FIB_PAIRS)
    for index, (fc, lcb) in pairs.items():
        struct.pack_into("<II", blob, 8 * index, fc, lcb)
    fib = (base + struct.pack("<H14H", 14, *rgw) + struct.pack("<H22I", 22, *lw)
           + struct.pack("<H", FIB_PAIRS) + bytes(blob) + struct.pack("<H", 0))
    return fib.ljust(TEXT_AT, b"\0")


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file of `streams` in its root storage (no mini stream, no DIFAT).

    Tests use it for other OLE2 files too (a workbook with a FILEPASS record)."""
    sectors: list[bytes] = []
    starts: dict[str, int] = {}
    fat: list[int] = []
    padded = {name: data.ljust(max(4096, -(-len(data) // SECTOR) * SECTOR), b"\0")
              for name, data in streams.items()}
    for name, data in padded.items():
        starts[name] = len(sectors)
        count = len(data) // SECTOR
        fat += [len(sectors) + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        sectors += [data[i * SECTOR:(i + 1) * SECTOR] for i in range(count)]
    directory_at = len(sectors)
    # The root's child is the last name in [MS-CFB] order (length, then upper case); each
    # stream's left sibling is the one before it: a chain (black at the top, then red; valid
    # for two streams, and readers do not check the colours).
    names = sorted(padded, key=lambda n: (len(n), n.upper()))
    entries = [_entry("Root Entry", 5, child=len(names))]
    for i, name in enumerate(names):
        entries.append(_entry(name, 2, left=i if i else NOSTREAM, start=starts[name],
                              size=len(padded[name]), black=i + 1 == len(names)))
    directory = b"".join(entries)
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    for i in range(len(directory) // SECTOR):
        sectors.append(directory[i * SECTOR:(i + 1) * SECTOR])
        fat.append(len(sectors) if i + 1 < len(directory) // SECTOR else ENDOFCHAIN)
    fat_count = 1
    while len(sectors) + fat_count > fat_count * (SECTOR // 4):
        fat_count += 1
    if fat_count > 109:
        raise ValueError("document too large for a compound file without a DIFAT")
    fat_at = len(sectors)
    fat += [FATSECT] * fat_count
    fat += [FREESECT] * (fat_count * (SECTOR // 4) - len(fat))
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [table[i * SECTOR:(i + 1) * SECTOR] for i in range(fat_count)]
    difat = [fat_at + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_count,
                            directory_at, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    return header + b"".join(sectors)


def _entry(name: str, kind: int, *, left: int = NOSTREAM, child: int = NOSTREAM,
           start: int = ENDOFCHAIN, size: int = 0, black: bool = True) -> bytes:
    """A 128-byte directory entry."""
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, int(black))
            + struct.pack("<III", left, NOSTREAM, child) + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size))
