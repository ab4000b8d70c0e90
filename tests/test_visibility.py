"""One reading of "hidden" (archive/visibility.py) for extraction and the tamper watch."""

from __future__ import annotations

import pytest
from lxml import etree

from archive import visibility
from archive.extract import extract
from archive.tamper import check_page
from archive.visibility import STYLE_HINT, declarations, element_hiding, hiding, is_hidden

HIDING_STYLES = [
    ("display:none", "display:none"),
    ("display: none !important", "display:none"),
    ("DISPLAY:NONE", "display:none"),
    ("Display : None; color:#333", "display:none"),
    ("visibility:hidden", "visibility:hidden"),
    ("visibility: collapse", "visibility:hidden"),
    ("text-indent:-9999px", "text-indent"),
    ("text-indent:-200em;overflow:hidden", "text-indent"),
    ("font-size:0", "font-size:0"),
    ("font-size:0px;line-height:0", "font-size:0"),
    ("font-size:.5px", "font-size:0"),
    ("position:absolute;left:-9999px;top:-9999px", "off-screen"),
    ("position:fixed;top:-3000px", "off-screen"),
    ("margin-left:-3000px", "off-screen margin"),
    ("height:0;overflow:hidden", "zero-size"),
    ("width:1px;height:1px;overflow:hidden", "zero-size"),
    ("opacity:0", "opacity:0"),
    ("opacity:0;text-indent:-9999px;width:0;height:0;overflow:hidden", "text-indent"),
]

VISIBLE_STYLES = [
    "border:none",
    "border:none;text-decoration:none;list-style:none;background:none",
    "text-indent:2em",
    "TEXT-INDENT: 2EM; LINE-HEIGHT: 150%",
    "text-indent:-21.0pt;margin-left:21.0pt",  # a Word hanging indent
    "margin-left:400pt;text-indent:-400pt",  # a wide one: still on screen
    "text-indent:-200px",
    "height:0",  # no overflow:hidden: the content spills out and shows
    "overflow:hidden;height:300px",
    "position:relative;left:-20px",
    "margin-top:-10px",
    "font-size:14px",
    "font-size:-1px",  # invalid, ignored by browsers
    "opacity:0.5",
    "display:none;display:block",  # the later declaration wins
    "width:100%;border-width:0",
    "",
]


def element(markup: str) -> etree._Element:
    return etree.fromstring(markup, etree.HTMLParser()).find(".//body/*")


@pytest.mark.parametrize(("style", "technique"), HIDING_STYLES)
def test_each_technique_hides(style, technique):
    el = element(f'<div style="{style}"><a href="/x.html">友情链接</a></div>')
    assert element_hiding(el) == technique
    assert is_hidden(el)
    assert STYLE_HINT.search(style.lower())  # the cheap test lets every one through


@pytest.mark.parametrize("style", VISIBLE_STYLES)
def test_styles_that_only_mention_hiding_words_show(style):
    el = element(f'<p style="{style}">各县（市、区）人民政府：</p>')
    assert element_hiding(el) is None
    assert not is_hidden(el)


def test_important_beats_a_later_declaration():
    assert hiding(declarations("display:none !important; display:block")) == "display:none"
    assert declarations("COLOR: Red ;  Font-Size : 0PX") == {"color": "red", "font-size": "0px"}


@pytest.mark.parametrize(("markup", "technique"), [
    ('<span class="sr-only">切换导航</span>', "hidden class"),
    ('<div class="wenzhang-fujian mt25 ng-hide">附件</div>', "hidden class"),
    ('<div class="Hide">打印副本</div>', "hidden class"),
    ("<p hidden>藏</p>", "hidden attribute"),
    ('<div class="qr-code hidden-xs">扫一扫</div>', None),  # only on small screens
    ('<div class="xgfjhidediv">相关附件</div>', None),
])
def test_classes_and_the_hidden_attribute(markup, technique):
    assert element_hiding(element(markup)) == technique


def test_a_child_can_undo_font_size_zero_and_visibility():
    gap_trick = ('<ul style="font-size:0"><li style="display:inline-block;font-size:14px">'
                 "通知公告</li></ul>")
    assert not is_hidden(element(gap_trick))
    assert is_hidden(element('<ul style="font-size:0"><li style="font-size:0.5px">x</li></ul>'))
    assert is_hidden(element('<ul style="font-size:0"><li style="font-size:1em">x</li></ul>'))
    assert not is_hidden(element('<p style="font-size:0"><span style="font-size:small">x</span>'))
    shown = '<div style="visibility:hidden"><p style="visibility:visible">正文</p></div>'
    assert not is_hidden(element(shown))


def test_extraction_drops_what_a_reader_cannot_see():
    para = "为切实做好春季农业生产工作，现就有关事项通知如下，请各地认真贯彻落实。"
    hidden = "".join(f'<div style="{style}">隐藏文字{i}号</div>'
                     for i, (style, _) in enumerate(HIDING_STYLES))
    shown = "".join(f'<p style="{style}">{para}第{i}段</p>'
                    for i, style in enumerate(VISIBLE_STYLES[:6]))
    html = ("<html><head><title>关于做好春季农业生产工作的通知_某某市人民政府</title></head>"
            "<body><h1>关于做好春季农业生产工作的通知</h1><div>发布时间：2024-03-01</div>"
            f"<div class='article'>{shown}{hidden}"
            "<p class='sr-only'>跳到主要内容</p></div></body></html>")
    text = extract(html.encode()).text
    assert "隐藏文字" not in text and "跳到主要内容" not in text
    for i in range(6):
        assert f"第{i}段" in text


@pytest.mark.parametrize("style", [s for s, _ in HIDING_STYLES] + VISIBLE_STYLES[:8])
def test_the_tamper_watch_hides_what_extraction_hides(style):
    page = (f'<html><body><p>正文</p><div style="{style}">'
            '<a href="http://www.bet-example.com/">澳门新葡京</a></div></body></html>')
    flags = check_page(page, "http://www.example.gov.cn/a.html",
                       portal_domains=("www.example.gov.cn",))
    hidden_links = [f for f in flags if f.kind == "hidden-link"]
    technique = element_hiding(element(f'<div style="{style}"><a>x</a></div>'))
    assert bool(hidden_links) == (technique is not None)
    if technique:
        assert f"({technique})" in hidden_links[0].evidence


def test_sr_only_links_are_hidden_links_too():
    page = ('<html><body><p>正文</p><span class="sr-only">'
            '<a href="http://www.bet-example.com/">澳门新葡京</a></span></body></html>')
    flags = check_page(page, "http://www.example.gov.cn/a.html",
                       portal_domains=("www.example.gov.cn",))
    assert [f.kind for f in flags] == ["hidden-link"]
    assert "(hidden class)" in flags[0].evidence


def test_every_technique_has_a_tamper_weight():
    from archive.tamper.css import _W_HIDING

    techniques = {value for name, value in vars(visibility).items()
                  if name.isupper() and isinstance(value, str)}
    assert techniques <= set(_W_HIDING)
    assert all(0 < w < 0.5 for w in _W_HIDING.values())  # alone, never a flag
