"""Government-portal boilerplate: lines and boxes that are never article text."""

from __future__ import annotations

import re

from lxml import etree

from archive.extract.html_text import inline_text, tag_of

# Labels of the metadata line printed under a headline.
META_LABEL = (
    r"(?:发布时间|发布日期|发表时间|发表日期|发稿时间|更新时间|发文日期|成文日期|生成日期|"
    r"信息来源|文章来源|稿件来源|新闻来源|来源|作者|撰稿|浏览次数|浏览量|访问量|访问次数|"
    r"点击数|点击量|点击次数|阅读次数|阅读量|文章类型|时间|日期|字号|字体)"
)
# Spaces are matched possessively (`\s*+`) and repeated groups atomically (`(?:…)++`):
# a line of spaces, or of repeated words, is then read once, not once per way to split it.
_META_LABEL_AT = re.compile(rf"(?:^|[\s【\[|(（]){META_LABEL}\s*+[:：]")

_DROP_LINE = re.compile(
    r"^(?:"
    r"[【\[(（]?\s*+(?:责任编辑|责编|编辑|审核|审校|校对|终审|初审|复审|签发|监制|值班编辑)\s*+[:：].{0,30}"
    r"|(?:上一篇|下一篇|上一条|下一条)\s*+[:：].*"
    r"|分享到.{0,40}|分享\s*+[:：].{0,40}"
    r"|(?:相关链接|相关文档|相关文件|相关新闻|相关阅读|相关稿件|相关解读|相关附件|关联稿件|"
    r"延伸阅读|附件下载)\s*+[:：]?.{0,80}"
    r"|(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]\s*+)?附件\s*+\d{0,2}\s*+[:：]?"
    r"|附件\s*+\d{0,2}\s*+[:：.、]?.{0,80}\.(?i:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|txt)"
    r"|.{0,10}(?:扫一扫|扫一下|微信扫一扫|手机扫描|用微信扫).{0,40}"
    r"|.{0,30}分享(?:至|到)(?:朋友圈|微信|微博|QQ).{0,10}"
    r"|(?:\s*+(?:QQ空间|QQ好友|新浪微博|腾讯微博|微信|微博|人人网|豆瓣|朋友圈)\s*+[|｜/·]?)++"
    r"|(?:\s*+[【\[]?\s*+(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回列表|"
    r"收藏本页|收藏|纠错|我要纠错)\s*+[】\]]?\s*+[|｜/·]?)++"
    r"|.{0,20}[【\[]?\s*+(?:打印本页|打印此页|关闭窗口|关闭本页|返回顶部|打印|关闭|收藏|纠错)\s*+[】\]].{0,40}"
    r"|(?:打印本页|关闭窗口|返回顶部|返回列表|打印|关闭|收藏本页)"
    r")$"
)
_FOOTER_LINE = re.compile(
    r"ICP备|公网安备|网站标识码|版权所有|主办单位\s*+[:：]|承办单位\s*+[:：]|技术支持\s*+[:：]|"
    r"运行维护\s*+[:：]|^主办\s*+[:：]|网站地图.{0,8}联系我们|"
    r"字体\s*+[:：]?\s*+[【\[]?\s*+大\s*+[】\]]?\s*+中"
)
_STRONG_LABEL_START = re.compile(
    r"^[【\[(（]?\s*+(?:发布时间|发布日期|发表时间|发表日期|发稿时间|更新时间|信息来源|文章来源|"
    r"稿件来源|新闻来源|来源|作者|浏览次数|浏览量|访问量|点击数|点击量|阅读次数|字号|字体)\s*+[:：]"
)
_FONT_CONTROL = re.compile(r"(?:[【\[]\s*+|(?<!\s)\s*+)字[体号]\s*+[:：]")


_DATE_THEN_LABEL = re.compile(
    r"^[【\[]?\s*+(?:19|20)\d{2}\s*+[-/.年]\s*+\d{1,2}\s*+[-/.月]\s*+\d{1,2}\s*+日?"
    r"(?:\s*+\d{1,2}\s*+[:：时]\s*+\d{1,2}\s*+分?(?:\s*+[:：]\s*+\d{1,2})?)?\s*+[】\]]?\s*+[|｜]?"
    rf"\s*+[【\[(（]?\s*+{META_LABEL}\s*+[:：]"
)


def is_meta_line(line: str) -> bool:
    """The page's own metadata line (发布时间/来源/作者/浏览次数, font and print controls)."""
    if len(line) > 160:
        return False
    labels = _META_LABEL_AT.findall(line)
    if not labels:
        return False
    if len(line) <= 80 and _DATE_THEN_LABEL.match(line):
        return True
    if len(labels) >= 2 or _FONT_CONTROL.search(line):
        return True
    return bool(_STRONG_LABEL_START.match(line)) and len(line) <= 60


def is_boilerplate_line(line: str) -> bool:
    """A line that is page chrome wherever it appears (controls, 责任编辑, footers, related)."""
    if len(line) <= 120 and (_DROP_LINE.match(line) or _FOOTER_LINE.search(line)):
        return True
    return is_meta_line(line)


_BOX_HEAD = re.compile(
    r"^\s*+[【\[]?\s*+(?:相关链接|相关文档|相关文件|相关新闻|相关阅读|相关稿件|相关解读|关联稿件|"
    r"延伸阅读|附件下载|相关附件|附件|上一篇|下一篇)\s*+[】\]]?\s*+[:：]?"
)

_NOTICE_HEAD = re.compile(
    r"^\s*+[【\[]?\s*+(?:版权与免责声明|版权和免责声明|免责声明|版权声明|网站声明)\s*+[】\]]?\s*+[:：]?\s*+$"
)


_BOX_TAGS = frozenset({"div", "ul", "ol", "dl", "section", "aside", "table", "p", "li", "span"})


def _first_text(el: etree._Element) -> str:
    """The first non-blank text at the start of ``el`` (looking three levels down)."""
    for _ in range(4):
        text = (el.text or "").strip()
        if text or not len(el):
            return text
        el = el[0]
    return ""


def is_boilerplate_box(el: etree._Element) -> bool:
    """A block whose heading marks it as related links, attachments or prev/next navigation."""
    if tag_of(el) not in _BOX_TAGS:
        return False
    head = _first_text(el)
    if not head:
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
    return len(text) <= 40
