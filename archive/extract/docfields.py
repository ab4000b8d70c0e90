"""Document fields of a 政府信息公开 page: what its information box says of the document.

A disclosure page prints a box above or beside the body: a table of label and value cells
(TRS ``xxgk_table``, gov.cn 政策库 ``bd1``: 索 引 号 | 000014349/2024-00005 | 主题分类 | …),
``<li><span>索引号：</span>value</li>`` lines (Hanweb), ``<dl>`` rows or ``<span>`` pairs.
``pagekind.info_boxes`` finds the boxes (and the pipeline keeps them out of the body);
here their label/value pairs become the fields in ``DOC_KEYS``, each a string or None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.dates import find_date
from archive.extract.html_text import BLOCK_TAGS, norm_line, skipped, tag_of
from archive.extract.vocabulary import (
    DOC_NUMBER_CLOSERS,
    DOC_NUMBER_OPENERS,
    DOCUMENT_LABELS,
    EMPTY_DOC_VALUES,
    EMPTY_META_VALUES,
    OTHER_BOX_LABELS,
    VALIDITY_WORDS,
    alternatives,
)

# The document fields, in the order of the `articles` columns.
DOC_KEYS = tuple(key for key, _ in DOCUMENT_LABELS if key.startswith("doc_"))

# Label (without spaces) -> (field, preference: 0 first).
_LABELS: dict[str, tuple[str, int]] = {
    label: (key, rank) for key, labels in DOCUMENT_LABELS for rank, label in enumerate(labels)}
_ALL_LABELS = sorted(set(_LABELS) | set(OTHER_BOX_LABELS), key=len, reverse=True)
# Any known label, with any spaces between its characters (索 引 号, 文　　号); the longer
# first, so that 发文字号 is read before the 文号 inside it.
_LABEL = alternatives(r"\s*+".join(map(re.escape, word)) for word in _ALL_LABELS)
_SPACES = re.compile(r"\s+")
# A cell or line that is a label alone: 索 引 号, 发布机构：, 【文号】.
_WHOLE_LABEL = re.compile(rf"^[【\[]?\s*+({_LABEL})\s*+[】\]]?\s*+[:：]?\s*+$")
# Labels inside a line: a known one with its colon (anywhere: 索引号：X发文字号：Y), a known
# one opening the line before a space, or an unknown short word with its colon after a
# space (it ends the value before it).
_INLINE_LABEL = re.compile(
    rf"(?P<known>{_LABEL})\s*+[:：]|^(?P<lead>{_LABEL})\s++(?=\S)"
    r"|(?:^|(?<=\s))(?P<other>[\u4e00-\u9fff]{2,8})\s*+[:：]")
_VALUE_TRIM = " |｜:：;；,，"
_CELL_TAGS = frozenset({"td", "th", "dd"})

# 〔2024〕 written any way: an opening bracket, a year, a closing bracket.
_YEAR_BRACKETS = re.compile(
    rf"[{re.escape(DOC_NUMBER_OPENERS)}]((?:19|20)\d{{2}})[{re.escape(DOC_NUMBER_CLOSERS)}]")


def normalize_doc_number(text: str) -> str:
    """A 文号 in one form whatever the page typed: full-width characters folded (NFKC),
    spaces removed, the brackets around the year written 〔〕.

    ``国办发[2024]5号``, ``国办发【2024】5号``, ``国办发（2024）5 号`` → ``国办发〔2024〕5号``.
    """
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    return _YEAR_BRACKETS.sub(r"〔\1〕", folded)


def empty_document() -> dict[str, str | None]:
    """Every document field, unset."""
    return dict.fromkeys(DOC_KEYS)


@dataclass
class DocumentInfo:
    """What a page's information boxes say: the fields, the title they print, the boxes."""

    fields: dict[str, str | None] = field(default_factory=empty_document)
    title: str | None = None
    boxes: list[etree._Element] = field(default_factory=list)  # the boxes read


def document_fields(boxes: Sequence[etree._Element]) -> DocumentInfo:
    """The document fields of the information boxes ``boxes`` (``pagekind.info_boxes``).

    A box counts when it shows labels of at least ``DOC_MIN_FIELDS`` distinct fields; the
    first box (in page order) that gives a field a value sets it. The fields say only what
    a box prints: the standard meta tags (``PubDate``, ``Keywords``, ``ContentSource``) are
    on every news page too, and already fill the page's own published_at, keywords and
    source (they can differ from the box: a CMS rewrites ``PubDate`` when it republishes).
    """
    info = DocumentInfo()
    found: dict[str, tuple[int, str | None]] = {}
    for box in _outermost(boxes):
        pairs = _box_fields(_segments(box))
        if len({key for key in pairs if key != "title"}) < th.DOC_MIN_FIELDS:
            continue
        info.boxes.append(box)
        for key, (rank, value) in pairs.items():
            have = found.get(key)
            if have is None or (have[1] is None and value is not None):
                found[key] = (rank, value)
    if not info.boxes:
        return info
    for key, (_, value) in found.items():
        if key == "title":
            info.title = value
        else:
            info.fields[key] = value
    return info


def _outermost(boxes: Sequence[etree._Element]) -> list[etree._Element]:
    """The boxes not inside another (a box's list and the div around it are one box)."""
    chosen = set(boxes)
    out = []
    for box in boxes:
        if not any(a in chosen for a in box.iterancestors()):
            out.append(box)
    return out


def _segments(box: etree._Element) -> list[str]:
    """The box's text, one string per block or cell (an empty cell gives "": a label
    followed by it has no value); inline elements stay joined, hidden ones are left out."""
    out: list[str] = []
    buf: list[str] = []
    cell_starts: dict[etree._Element, int] = {}
    gone: set[etree._Element] = set()

    def flush() -> None:
        if buf:
            line = norm_line("".join(buf))
            buf.clear()
            if line:
                out.append(line)

    walker = etree.iterwalk(box, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            if el is not box and skipped(el):
                walker.skip_subtree()
                gone.add(el)
                continue
            tag = tag_of(el)
            if tag in BLOCK_TAGS or tag == "br":
                flush()
            if tag in _CELL_TAGS:
                cell_starts[el] = len(out)
            if el.text:
                buf.append(el.text)
            continue
        if el not in gone:
            tag = tag_of(el)
            if tag in BLOCK_TAGS:
                flush()
            if el in cell_starts and cell_starts[el] == len(out):
                out.append("")
        if el is not box and el.tail:
            buf.append(el.tail)
    flush()
    return out


def _is_label(segment: str) -> bool:
    """A segment that is (or starts with) a label: never the value of the one before."""
    if _WHOLE_LABEL.match(segment):
        return True
    m = _INLINE_LABEL.match(segment)
    return m is not None


def _pairs(segments: list[str]) -> Iterator[tuple[str, str]]:
    """(label without spaces, value as printed) of each known label in the segments."""
    i, n = 0, len(segments)
    while i < n:
        seg = segments[i]
        nxt = segments[i + 1] if i + 1 < n else None
        whole = _WHOLE_LABEL.match(seg)
        if whole:
            # A label cell; its value is the next cell unless that is a label too.
            if nxt is not None and not _is_label(nxt):
                yield _SPACES.sub("", whole.group(1)), nxt
                i += 2
            else:
                yield _SPACES.sub("", whole.group(1)), ""
                i += 1
            continue
        found = list(_INLINE_LABEL.finditer(seg))
        i += 1
        for j, m in enumerate(found):
            end = found[j + 1].start() if j + 1 < len(found) else len(seg)
            label = m.group("known") or m.group("lead")
            if label is None:
                continue  # a label the vocabulary does not know: it only ends a value
            value = seg[m.end():end]
            if (not value.strip(_VALUE_TRIM) and j == len(found) - 1 and nxt is not None
                    and not _is_label(nxt)):
                # 索 引 号：<div>value</div>: the value in the block after the label.
                value = nxt
                i += 1
            yield _SPACES.sub("", label), value


def _box_fields(segments: list[str]) -> dict[str, tuple[int, str | None]]:
    """Field -> (preference of the label it came from, cleaned value or None) of one box;
    where several labels give one field, the preferred label with a value wins."""
    fields: dict[str, tuple[int, str | None]] = {}
    for label, raw in _pairs(segments):
        known = _LABELS.get(label)
        if known is None:
            continue
        key, rank = known
        value = _clean(key, raw)
        have = fields.get(key)
        if (have is None or (have[1] is None and value is not None)
                or (value is not None and rank < have[0])):
            fields[key] = (rank, value)
    return fields


def _clean(key: str, raw: str) -> str | None:
    """A value as stored: spaces collapsed, placeholders (无, --) none, dates ISO 8601,
    文号 canonical, validity one word; None when empty or longer than DOC_VALUE_MAX."""
    value = norm_line(raw).strip(_VALUE_TRIM)
    if value.lower() in EMPTY_DOC_VALUES or value.lower() in EMPTY_META_VALUES:
        return None
    if len(value) > th.DOC_VALUE_MAX:
        return None
    if key in ("doc_written", "doc_published"):
        found = find_date(value)
        if found is None:
            return None
        return found[0][:10] if key == "doc_written" else found[0]
    if key == "doc_number":
        return normalize_doc_number(value)
    if key == "doc_validity":
        return next((word for given, word in VALIDITY_WORDS if given in value), value)
    return value
