"""Government-portal boilerplate: lines and boxes that are never article text."""

from __future__ import annotations

import re

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.html_text import inline_text, tag_of
from archive.extract.vocabulary import (
    ATTACHMENT_LINE_EXTENSIONS,
    BARE_CONTROLS,
    BOILERPLATE_BOX_TAGS,
    BOX_ONLY_HEADS,
    BRACKETED_CONTROLS,
    CLOSE_GLYPHS,
    COUNTER_LABELS,
    EDITOR_LABELS,
    EMPTY_BOX_HEADS,
    FONT_LABELS,
    FONT_SIZES,
    FOOTER_LABELS,
    FOOTER_MARKERS,
    META_LABELS,
    NOTICE_HEADS,
    PAGE_CONTROLS,
    PREV_NEXT_LABELS,
    QR_PROMPTS,
    RELATED_HEADS,
    SHARE_TARGETS,
    SOCIAL_SITES,
    STRONG_META_LABELS,
    TOOL_OBJECTS,
    TOOL_VERBS,
    alternatives,
)

# Labels of the metadata line printed under a headline.
META_LABEL = f"(?:{alternatives(META_LABELS)})"
# Spaces are matched possessively (`\s*+`) and repeated groups atomically (`(?:…)++`):
# a line of spaces, or of repeated words, is then read once, not once per way to split it.
_META_LABEL_AT = re.compile(rf"(?:^|[\s【\[|(（]){META_LABEL}\s*+[:：]")

_DROP_LINE = re.compile(
    r"^(?:"
    rf"[【\[(（]?\s*+(?:{alternatives(EDITOR_LABELS)})\s*+[:：].{{0,30}}"
    rf"|(?:{alternatives(PREV_NEXT_LABELS)})\s*+[:：].*"
    r"|分享到.{0,40}|分享\s*+[:：].{0,40}"
    rf"|(?:{alternatives(RELATED_HEADS)})\s*+[:：]?.{{0,80}}"
    r"|(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]\s*+)?附件\s*+\d{0,2}\s*+[:：]?"
    r"|附件\s*+\d{0,2}\s*+[:：.、]?.{0,80}"
    rf"\.(?i:{alternatives(ATTACHMENT_LINE_EXTENSIONS)})"
    rf"|.{{0,10}}(?:{alternatives(QR_PROMPTS)}).{{0,40}}"
    rf"|.{{0,30}}分享(?:至|到)(?:{alternatives(SHARE_TARGETS)}).{{0,10}}"
    rf"|(?:\s*+(?:{alternatives(SOCIAL_SITES)})\s*+[|｜/·]?)++"
    rf"|(?:\s*+[【\[]?\s*+(?:{alternatives(PAGE_CONTROLS)})\s*+[】\]]?\s*+[|｜/·]?)++"
    rf"|.{{0,20}}[【\[]?\s*+(?:{alternatives(BRACKETED_CONTROLS)})\s*+[】\]].{{0,40}}"
    rf"|(?:{alternatives(BARE_CONTROLS)})"
    r")$"
)
_FOOTER_LINE = re.compile(
    alternatives(FOOTER_MARKERS) + "|"
    + alternatives(rf"{label}\s*+[:：]" for label in FOOTER_LABELS)
    + r"|^主办\s*+[:：]|网站地图.{0,8}联系我们|"
    r"字体\s*+[:：]?\s*+[【\[]?\s*+大\s*+[】\]]?\s*+中"
)
_STRONG_LABEL_START = re.compile(
    rf"^[【\[(（]?\s*+(?:{alternatives(STRONG_META_LABELS)})\s*+[:：]")
_FONT_CONTROL = re.compile(r"(?:[【\[]\s*+|(?<!\s)\s*+)字[体号]\s*+[:：]")


_DATE_THEN_LABEL = re.compile(
    r"^[【\[]?\s*+(?:19|20)\d{2}\s*+[-/.年]\s*+\d{1,2}\s*+[-/.月]\s*+\d{1,2}\s*+日?"
    r"(?:\s*+\d{1,2}\s*+[:：时]\s*+\d{1,2}\s*+分?(?:\s*+[:：]\s*+\d{1,2})?)?\s*+[】\]]?\s*+[|｜]?"
    rf"\s*+[【\[(（]?\s*+{META_LABEL}\s*+[:：]"
)


def is_meta_line(line: str) -> bool:
    """The page's own metadata line (发布时间/来源/作者/浏览次数, font and print controls)."""
    if len(line) > th.META_LINE_MAX:
        return False
    labels = _META_LABEL_AT.findall(line)
    if not labels:
        return False
    if len(line) <= th.DATED_META_LINE_MAX and _DATE_THEN_LABEL.match(line):
        return True
    if len(labels) >= th.META_LINE_MIN_LABELS or _FONT_CONTROL.search(line):
        return True
    return bool(_STRONG_LABEL_START.match(line)) and len(line) <= th.LABEL_LINE_MAX


def is_boilerplate_line(line: str) -> bool:
    """A line that is page chrome wherever it appears (controls, 责任编辑, footers, related)."""
    if len(line) <= th.BOILERPLATE_LINE_MAX and (_DROP_LINE.match(line)
                                                 or _FOOTER_LINE.search(line)):
        return True
    return is_meta_line(line)


# A line made only of page tools: print/close/share controls, a counter the page fills by
# script, the head of an empty related box, the font-size switcher, share buttons; between
# them only spaces, bars, colons and brackets. Or a close glyph alone (××× signs a form).
# Every token is a bounded word, and the repetition is possessive: the line is read once.
_TOOL_SEPARATORS = r"[\s|｜/·:：【\[\]】]*+"
_TOOL_LINE = re.compile(
    rf"^(?:(?:{_TOOL_SEPARATORS}(?:"
    rf"(?:{alternatives(TOOL_VERBS)})(?:{alternatives(TOOL_OBJECTS)})?"
    rf"|(?:{alternatives(COUNTER_LABELS)})\s*+[:：]\s*+\d{{0,12}}+"
    rf"|{alternatives(RELATED_HEADS + EMPTY_BOX_HEADS + FONT_LABELS + SOCIAL_SITES)}"
    rf"|{alternatives(SHARE_TARGETS + FONT_SIZES)}"
    rf"))++|\s*+(?:{alternatives(CLOSE_GLYPHS)})){_TOOL_SEPARATORS}$"
)


def is_tool_line(line: str) -> bool:
    """A short line of page tools only (打印页面 | 分享到:, 【关闭当前页面】, 大 中 小, X)."""
    return len(line) <= th.TOOL_LINE_MAX and bool(_TOOL_LINE.match(line))


def trim_tool_lines(lines: list[str]) -> list[str]:
    """The lines without the tool lines standing at their start and at their end.

    Only there: inside a body a lone 中 or X may be a table's or a formula's."""
    start, end = 0, len(lines)
    while start < end and is_tool_line(lines[start]):
        start += 1
    while end > start and is_tool_line(lines[end - 1]):
        end -= 1
    return lines[start:end]


# The drop-line heads, then box-only ones: no head starts another but 附件下载/附件, and the
# longer comes first, so which one matches does not depend on any other order.
_BOX_HEAD = re.compile(
    rf"^\s*+[【\[]?\s*+(?:{alternatives(RELATED_HEADS + BOX_ONLY_HEADS)})\s*+[】\]]?\s*+[:：]?"
)

_NOTICE_HEAD = re.compile(
    rf"^\s*+[【\[]?\s*+(?:{alternatives(NOTICE_HEADS)})\s*+[】\]]?\s*+[:：]?\s*+$")
# The first characters of every head either pattern knows: a set lookup turns away the
# heads of menus, banners and paragraphs (nearly all) before the alternations are tried.
_HEAD_STARTS = frozenset(word[0] for word in (*RELATED_HEADS, *BOX_ONLY_HEADS, *NOTICE_HEADS))


def _may_be_box_head(head: str) -> bool:
    """Whether `head` (stripped, not empty) can match _BOX_HEAD or _NOTICE_HEAD: its first
    character after an optional 【 or [ and spaces starts one of their words."""
    first = head[0]
    if first in "【[":
        first = head[1:].lstrip()[:1]
    return first in _HEAD_STARTS


def _first_text(el: etree._Element) -> str:
    """The first non-blank text at the start of ``el`` (looking three levels down)."""
    for _ in range(th.BOX_HEAD_DEPTH):
        text = (el.text or "").strip()
        if text or not len(el):
            return text
        el = el[0]
    return ""


def is_boilerplate_box(el: etree._Element) -> bool:
    """A block whose heading marks it as related links, attachments or prev/next navigation."""
    if tag_of(el) not in BOILERPLATE_BOX_TAGS:
        return False
    head = _first_text(el)
    if not head or not _may_be_box_head(head):
        return False
    if _NOTICE_HEAD.match(head):
        return True
    m = _BOX_HEAD.match(head)
    if not m:
        return False
    if el.find(".//a") is not None:
        return True
    text = inline_text(el)
    if "附件" in m.group(0) and "下载" not in m.group(0):
        # 附件：名称 without a link is a line of the document itself.
        return len(text) <= len(m.group(0).strip()) + 1
    return len(text) <= th.BOX_TEXT_MAX
