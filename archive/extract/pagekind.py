"""Page-level signals: 信息公开 metadata boxes, error pages, lists of dated links."""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from archive.extract import thresholds as th
from archive.extract.html_text import tag_of
from archive.extract.vocabulary import (
    ERROR_PHRASES,
    INFO_BOX_ANCHORS,
    INFO_BOX_LABELS,
    INFO_BOX_TAGS,
    LABEL_SPACES,
    LIST_ITEM_TAGS,
    SPACED_LABELS,
    alternatives,
)


def _label(word: str) -> str:
    """A label as a regex: a spaced-out one (索 引 号) with optional spaces between."""
    return r"\s*".join(word) if word in SPACED_LABELS else word


# Labels of the 信息公开 (government information disclosure) metadata box.
_INFO_LABELS = re.compile(alternatives(map(_label, INFO_BOX_LABELS)))
# Text nodes that hold an anchor label, whatever spaces the page prints between its
# characters (索 引 号, 索　引　号).
_INFO_ANCHORS = etree.XPath("//text()[" + " or ".join(
    f"contains(translate(., '{LABEL_SPACES}', ''), '{word}')" for word in INFO_BOX_ANCHORS)
    + "]")


# Any anchor in the raw page, spaced out or not: a quick test before the tree is searched.
_ANCHOR_RE = re.compile(alternatives(r"\s*+".join(word) for word in INFO_BOX_ANCHORS))


def info_boxes(root: etree._Element, html: str) -> list[etree._Element]:
    """The 信息公开 metadata boxes (索引号/发布机构/生成日期 …): page metadata, never body."""
    found: list[etree._Element] = []
    if not _ANCHOR_RE.search(html):
        return found
    for node in _INFO_ANCHORS(root)[:th.INFO_ANCHORS_MAX]:
        el = node.getparent()
        for _ in range(th.INFO_BOX_DEPTH):
            if el is None:
                break
            if tag_of(el) in INFO_BOX_TAGS:
                text = "".join(el.itertext())
                if len(text) > th.INFO_BOX_MAX_CHARS:
                    break
                labels = set(_INFO_LABELS.findall(re.sub(r"\s+", "", text)))
                if len(labels) >= th.INFO_BOX_MIN_LABELS:
                    if not any(f is el for f in found):
                        found.append(el)
                    break
            el = el.getparent()
    return found


_ERROR = re.compile(
    r"(?<![\d.])404(?![\d.%])|"
    r"找不到(?:该|您|相关)?(?:页面|网页|信息)|访问的(?:页面|网页)(?:不存在|已删除|出错)|"
    r"(?:页面|信息|文章)已(?:被)?(?:删除|撤销|下线)|" + alternatives(ERROR_PHRASES)
)


def looks_like_error(*texts: str | None) -> bool:
    """An error page's title or message (404, 页面不存在, 已删除 …)."""
    return any(t and _ERROR.search(t[:th.ERROR_TEXT_CHARS]) for t in texts)


_LIST_DATE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}|(?<!\d)\d{1,2}-\d{2}(?!\d)")


def dated_list_size(root: etree._Element) -> int:
    """Items of the page's main list of dated links, or 0 when no single list dominates.

    An item is a link whose enclosing li/tr/… also shows a date; items are grouped by
    the list that holds them. A list page has one such list; a homepage has several.
    """
    groups: Counter[etree._Element] = Counter()
    total = 0
    for a in root.iter("a"):
        if not a.get("href") or len("".join(a.itertext()).strip()) < th.LIST_LINK_MIN_CHARS:
            continue
        item = a.getparent()
        for _ in range(th.LIST_ITEM_DEPTH):
            if item is None or tag_of(item) in LIST_ITEM_TAGS:
                break
            item = item.getparent()
        if item is None or tag_of(item) not in LIST_ITEM_TAGS:
            continue
        if tag_of(item) == "td" and tag_of(item.getparent()) == "tr":
            item = item.getparent()
        text = "".join(item.itertext())
        if len(text) > th.LIST_ITEM_MAX_CHARS or not _LIST_DATE.search(text):
            continue
        parent = item.getparent()
        groups[parent] += 1
        total += 1
    if not groups:
        return 0
    (_, size), = groups.most_common(1)
    return size if size >= th.LIST_MIN_ITEMS and size > total / 2 else 0
