"""Page-level signals: 信息公开 metadata boxes, error pages, lists of dated links."""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from archive.extract.html_text import tag_of

# Labels of the 信息公开 (government information disclosure) metadata box.
_INFO_LABELS = re.compile(
    r"索\s*引\s*号|发布机构|发文机关|发文单位|生成日期|成文日期|公开日期|发文字号|文\s*号|主题分类|"
    r"信息分类|公开方式|公开范围|公开时限|有\s*效\s*性|体裁分类|组配分类|主\s*题\s*词|所属机构|"
    r"发布日期|信息名称|标\s*题|名\s*称|关\s*键\s*词"
)
_INFO_ANCHORS = etree.XPath(
    "//text()[contains(., '索引号') or contains(., '索 引 号') or contains(., '发文机关') "
    "or contains(., '发布机构') or contains(., '成文日期') or contains(., '生成日期') "
    "or contains(., '发文字号')]"
)
_BOX_TAGS = frozenset({"table", "div", "ul", "dl", "section"})


_ANCHOR_RE = re.compile(r"索\s*引\s*号|发文机关|发布机构|成文日期|生成日期|发文字号")


def info_boxes(root: etree._Element, html: str) -> list[etree._Element]:
    """The 信息公开 metadata boxes (索引号/发布机构/生成日期 …): page metadata, never body."""
    found: list[etree._Element] = []
    if not _ANCHOR_RE.search(html):
        return found
    for node in _INFO_ANCHORS(root)[:20]:
        el = node.getparent()
        for _ in range(6):
            if el is None:
                break
            if tag_of(el) in _BOX_TAGS:
                text = "".join(el.itertext())
                if len(text) > 1500:
                    break
                if len(set(_INFO_LABELS.findall(re.sub(r"\s+", "", text)))) >= 3:
                    if not any(f is el for f in found):
                        found.append(el)
                    break
            el = el.getparent()
    return found


_ERROR = re.compile(
    r"(?<![\d.])404(?![\d.%])|页面不存在|页面未找到|"
    r"找不到(?:该|您|相关)?(?:页面|网页|信息)|访问的(?:页面|网页)(?:不存在|已删除|出错)|"
    r"(?:页面|信息|文章)已(?:被)?(?:删除|撤销|下线)|Not Found|出错了|系统错误|服务器错误|访问出错|"
    r"错误提示"
)


def looks_like_error(*texts: str | None) -> bool:
    """An error page's title or message (404, 页面不存在, 已删除 …)."""
    return any(t and _ERROR.search(t[:300]) for t in texts)


_LIST_DATE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}|(?<!\d)\d{1,2}-\d{2}(?!\d)")
_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "span", "td"})


def dated_list_size(root: etree._Element) -> int:
    """Items of the page's main list of dated links, or 0 when no single list dominates.

    An item is a link whose enclosing li/tr/… also shows a date; items are grouped by
    the list that holds them. A list page has one such list; a homepage has several.
    """
    groups: Counter[etree._Element] = Counter()
    total = 0
    for a in root.iter("a"):
        if not a.get("href") or len("".join(a.itertext()).strip()) < 5:
            continue
        item = a.getparent()
        for _ in range(3):
            if item is None or tag_of(item) in _ITEM_TAGS:
                break
            item = item.getparent()
        if item is None or tag_of(item) not in _ITEM_TAGS:
            continue
        if tag_of(item) == "td" and tag_of(item.getparent()) == "tr":
            item = item.getparent()
        text = "".join(item.itertext())
        if len(text) > 200 or not _LIST_DATE.search(text):
            continue
        parent = item.getparent()
        groups[parent] += 1
        total += 1
    if not groups:
        return 0
    (_, size), = groups.most_common(1)
    return size if size >= 8 and size > total / 2 else 0
