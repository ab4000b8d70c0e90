"""A Chinese font for the report: found on this machine, subset to the characters a
document uses and embedded in it, so the report reads the same on a machine without one.

Found by, in order: GOVARC_REPORT_FONT (`path` or `path:index` of a collection),
fontconfig's match for Simplified Chinese sans-serif (`fc-match`), then the files Debian's
font packages install (fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei,
fonts-arphic-uming). A font counts only if it has glyphs for common Chinese characters.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

PROBE = "中国政府网站文章"  # characters a usable font must draw
_ASCII = "".join(map(chr, range(32, 127)))
_KNOWN = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)


@dataclass(frozen=True)
class CjkFont:
    """A font face: its file, its number in a collection, and its family name."""

    path: Path
    index: int
    family: str

    def subset(self, text: str, family: str | None = None) -> bytes:
        """This face as OpenType with glyphs for the characters of `text` (and printable
        ASCII) only; renamed to `family` if given."""
        options = subset.Options()
        options.layout_features = []  # no feature closure: half the size and time
        options.name_IDs = [1, 2, 4, 6, 16]
        options.notdef_outline = True
        options.hinting = False
        subsetter = subset.Subsetter(options)
        wanted = {c for c in text if c.isprintable()} | set(_ASCII)
        subsetter.populate(text="".join(sorted(wanted)))
        buffer = io.BytesIO()
        with TTFont(str(self.path), fontNumber=self.index, lazy=True) as font:
            subsetter.subset(font)
            if family:
                for record in font["name"].names:
                    if record.nameID in (1, 4, 6, 16):
                        record.string = family
            font.save(buffer)  # OpenType, not WOFF2: brotli would double the time
        return buffer.getvalue()

    def embedded(self, text: str) -> str:
        """A CSS @font-face rule carrying this face's glyphs for the characters of `text`,
        as OpenType in a data: URL, under the face's own family name."""
        data = base64.b64encode(self.subset(text)).decode("ascii")
        return (f"@font-face {{ font-family: \"{self.family}\"; "
                f"src: url(data:font/otf;base64,{data}) format(\"opentype\"); }}")


def _face(path: Path, index: int | None) -> CjkFont | None:
    """The face at `path` (the Simplified Chinese one of a collection when `index` is None)
    if it draws PROBE."""
    from fontTools.ttLib import TTCollection

    opened: TTCollection | TTFont | None = None
    try:
        if path.suffix.lower() in {".ttc", ".otc"}:
            opened = TTCollection(str(path), lazy=True)
            faces = opened.fonts
            numbers = [index] if index is not None else sorted(
                range(len(faces)), key=lambda n: "SC" not in _family(faces[n]))
        else:
            opened = TTFont(str(path), lazy=True)
            faces, numbers = [opened], [0]
        for number in numbers:
            face = faces[number]
            cmap = face.getBestCmap() or {}
            if all(ord(c) in cmap for c in PROBE):
                return CjkFont(path, number, _family(face))
    except Exception as exc:
        logger.debug("font %s not usable: %s", path, exc)
    finally:
        if opened is not None:
            opened.close()
    return None


def _family(face: TTFont) -> str:
    name = face["name"]
    return str(name.getDebugName(16) or name.getDebugName(1) or "CJK")


def _fontconfig() -> tuple[Path, int] | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", "sans-serif:lang=zh-cn"],
            capture_output=True, text=True, timeout=10, check=False).stdout
        file, _, index = out.partition("|")
        return (Path(file), int(index or 0)) if file else None
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


@cache
def find_cjk_font() -> CjkFont | None:
    """The first usable Chinese font (see the module's docstring), or None."""
    setting = os.environ.get("GOVARC_REPORT_FONT", "").strip()
    candidates: list[tuple[Path, int | None]] = []
    if setting:
        file, _, index = setting.rpartition(":") if setting.rsplit(":", 1)[-1].isdigit() \
            else (setting, "", "")
        candidates.append((Path(file), int(index) if index else None))
    matched = _fontconfig()
    if matched:
        candidates.append(matched)
    candidates += [(Path(p), i) for p, i in _KNOWN]
    for path, index in candidates:
        if path.is_file() and (face := _face(path, index)):
            return face
        if setting and path == candidates[0][0]:
            logger.warning("GOVARC_REPORT_FONT=%s: no Chinese face there", setting)
    return None
