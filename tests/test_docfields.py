"""Document fields of 政府信息公开 pages (索引号, 发文机关, 文号 …) read from their info boxes.

The pages are written here in the forms public crawlers of the real portals parse: the
TRS ``xxgk_table`` (label and value cells, four per row), the gov.cn 政策库 ``bd1`` table
(``<b>索 引 号：</b>``), Hanweb ``<li><span>索引号：</span>value</li>`` lists, ``<dl>`` rows
and ``<span>`` pairs; one page in GBK, one with the standard meta tags only, one news page
with a stray 来源 line.
"""

from __future__ import annotations

import re
import time

import pytest

from archive.articles import extract_article
from archive.extract import DOC_KEYS, docfields, extract, normalize_doc_number
from archive.extract.fallback import BodyText
from archive.extract.pipeline import _cleaned

BODY = ("为进一步做好相关工作，经省人民政府同意，现就有关事项通知如下。",
        "一、各地各部门要高度重视，加强组织领导，明确责任分工，确保各项措施落到实处。",
        "二、本通知自印发之日起施行，由省人民政府办公厅负责解释。")


def paragraphs() -> str:
    return "".join(f"<p>{p}</p>" for p in BODY)


def page(head: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}</head><body>'
            '<div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>'
            f"{body}"
            '<div class="footer">主办单位：某某省人民政府办公厅 网站标识码：3300000001 '
            "浙ICP备05000001号</div></body></html>")


def text_has_no_box(text: str, *labels: str) -> None:
    for label in labels:
        assert label not in text.replace(" ", ""), (label, text[:300])


TRS_TITLE = "江苏省人民政府办公厅关于进一步加强安全生产工作的通知"
TRS_XXGK = page(
    f'<title>{TRS_TITLE}_江苏省人民政府</title><meta name="ArticleTitle" content="{TRS_TITLE}">'
    '<meta name="PubDate" content="2024-03-05 16:20">',
    '<div class="main"><table class="xxgk_table"><tbody>'
    '<tr><td class="td_lable">索引号：</td><td>014000319/2024-00123</td>'
    '<td class="td_lable">分类：</td><td>综合政务\\通知</td></tr>'
    '<tr><td>发布机构：</td><td>江苏省人民政府办公厅</td><td>发文日期：</td><td>2024-03-01</td></tr>'
    f'<tr><td>标题：</td><td colspan="3">{TRS_TITLE}</td></tr>'
    '<tr><td>文号：</td><td>苏政办发[2024]12号</td><td>主题词：</td><td></td></tr>'
    "</tbody></table>"
    f'<h1 class="title">{TRS_TITLE}</h1><div class="TRS_Editor">{paragraphs()}</div></div>')

GOVCN_TITLE = "国务院办公厅关于优化完善地方政府专项债券管理机制的意见"
GOVCN_POLICY = page(
    f"<title>{GOVCN_TITLE}_国务院文件_中国政府网</title>"
    '<meta name="firstpublishedtime" content="2024-12-25-17:10:00">',
    '<div class="policyLibraryOverview_header"><table class="bd1" width="100%"><tbody>'
    '<tr><td width="92"><b>索<span style="padding-left:0.5em"></span>引'
    '<span style="padding-left:0.5em"></span>号：</b></td><td width="298">000014349/2024-00132</td>'
    '<td width="92"><b>主题分类：</b></td><td>财政、金融、审计\\其他</td></tr>'
    "<tr><td><b>发文机关：</b></td><td>国务院办公厅</td>"
    "<td><b>成文日期：</b></td><td>2024年12月19日</td></tr>"
    f'<tr><td><b>标　　题：</b></td><td colspan="3">{GOVCN_TITLE}</td></tr>'
    "<tr><td><b>发文字号：</b></td><td>国办发〔2024〕52号</td>"
    "<td><b>发布日期：</b></td><td>2024年12月25日</td></tr>"
    "</tbody></table></div>"
    f'<div class="pages_content" id="UCAP-CONTENT"><p><strong>{GOVCN_TITLE}</strong></p>'
    f"<p>国办发〔2024〕52号</p>{paragraphs()}</div>")

HANWEB_TITLE = "浙江省发展和改革委员会关于印发浙江省推进新型基础设施建设行动方案的通知"


def hanweb(charset: str = "utf-8", number: str = "浙发改规划【2024】3号") -> str:
    return page(
        f"<title>{HANWEB_TITLE}</title>",
        '<div class="xxgk-info"><ul>'
        "<li><span>索引号：</span>002482162/2024-45678</li>"
        "<li><span>公开方式：</span>主动公开</li>"
        "<li><span>发布机构：</span>省发展改革委</li>"
        "<li><span>成文日期：</span>2024年2月1日</li>"
        f"<li><span>文　　号：</span>{number}</li>"
        "<li><span>公文种类：</span>通知</li>"
        "<li><span>有 效 性：</span>已废止</li>"
        "<li><span>关键词：</span>新型基础设施;数字经济</li>"
        "</ul></div>"
        f'<div class="article"><h1>{HANWEB_TITLE}</h1>'
        '<div class="info">发布日期：2024-02-03 来源：省发展改革委</div>'
        f'<div id="zoom">{paragraphs()}</div></div>',
        charset)


def test_trs_xxgk_table():
    ex = extract(TRS_XXGK.encode("utf-8"))
    assert ex.kind == "article" and ex.title == TRS_TITLE
    assert ex.document == {
        "doc_index": "014000319/2024-00123", "doc_issuer": "江苏省人民政府办公厅",
        "doc_number": "苏政办发〔2024〕12号", "doc_written": "2024-03-01",
        "doc_published": None,  # the box prints none; PubDate is no document field
        "doc_topic": "综合政务\\通知", "doc_genre": None, "doc_validity": None,
        "doc_keywords": None}
    assert ex.text.startswith(BODY[0]) and ex.text.endswith(BODY[-1])
    text_has_no_box(ex.text, "索引号", "014000319", "发布机构", "苏政办发")


def test_govcn_policy_table():
    ex = extract(GOVCN_POLICY.encode("utf-8"))
    assert ex.title == GOVCN_TITLE
    assert ex.document == {
        "doc_index": "000014349/2024-00132", "doc_issuer": "国务院办公厅",
        "doc_number": "国办发〔2024〕52号", "doc_written": "2024-12-19",
        "doc_published": "2024-12-25", "doc_topic": "财政、金融、审计\\其他",
        "doc_genre": None, "doc_validity": None, "doc_keywords": None}
    text_has_no_box(ex.text, "索引号", "000014349", "主题分类", "发文机关")
    # The document's own 文号 line is its text, not the box.
    assert "国办发〔2024〕52号" in ex.text and BODY[1] in ex.text


def test_hanweb_list():
    ex = extract(hanweb().encode("utf-8"))
    assert ex.title == HANWEB_TITLE and ex.published_at == "2024-02-03"
    assert ex.document == {
        "doc_index": "002482162/2024-45678", "doc_issuer": "省发展改革委",
        "doc_number": "浙发改规划〔2024〕3号", "doc_written": "2024-02-01",
        "doc_published": None, "doc_topic": None, "doc_genre": "通知",
        "doc_validity": "废止", "doc_keywords": "新型基础设施;数字经济"}
    text_has_no_box(ex.text, "索引号", "002482162", "公开方式", "有效性", "新型基础设施;")


def test_gbk_page():
    body = hanweb("gb2312", "浙发改规划（2024）3 号").encode("gb18030")
    ex = extract(body, content_type="text/html; charset=gb2312")
    assert ex.title == HANWEB_TITLE
    assert ex.document["doc_number"] == "浙发改规划〔2024〕3号"
    assert ex.document["doc_issuer"] == "省发展改革委"
    assert ex.document["doc_validity"] == "废止"


def test_dl_rows_and_span_pairs():
    dl = page(
        "<title>某某县2023年国民经济和社会发展统计公报</title>",
        '<div class="meta-data"><dl>'
        "<dd><label><font>索 引 号：</font></label><div>014742224A/2023-0043406</div></dd>"
        "<dd><label><font>生成日期：</font></label><div>2023-05-11</div></dd>"
        "<dd><label><font>公开方式：</font></label><div>主动公开</div></dd>"
        "<dd><label><font>责任部门：</font></label><div>某某县统计局</div></dd>"
        "</dl></div><h1>某某县2023年国民经济和社会发展统计公报</h1>"
        f'<div class="article-content">{paragraphs()}</div>')
    doc = extract(dl.encode()).document
    assert (doc["doc_index"], doc["doc_issuer"], doc["doc_written"]) == (
        "014742224A/2023-0043406", "某某县统计局", None)  # 生成日期 is not 成文日期
    spans = page(
        "<title>关于印发支持打造社区的若干措施的通知</title>",
        '<div class="article-info-bz"><span>索引号：</span><span> YP-2026-00491 </span>'
        "<span>发文字号：</span><span>杨府发(2026)4号</span>"
        "<span>发文机关：</span><span>上海市杨浦区人民政府</span>"
        "<span>效力状态：</span><span>有效</span></div>"
        f'<h1>关于印发支持打造社区的若干措施的通知</h1><div id="ivs_content">{paragraphs()}</div>')
    ex = extract(spans.encode())
    assert (ex.document["doc_index"], ex.document["doc_number"], ex.document["doc_issuer"],
            ex.document["doc_validity"]) == (
        "YP-2026-00491", "杨府发〔2026〕4号", "上海市杨浦区人民政府", "有效")
    text_has_no_box(ex.text, "YP-2026", "发文字号")


def test_box_title_names_an_untitled_page():
    untitled = GOVCN_POLICY.replace(f"<title>{GOVCN_TITLE}_国务院文件_中国政府网</title>", "")
    untitled = untitled.replace(f"<p><strong>{GOVCN_TITLE}</strong></p>", "")
    ex = extract(untitled.encode())
    assert ex.title == GOVCN_TITLE and ex.document["doc_number"] == "国办发〔2024〕52号"


def test_meta_tags_alone_give_no_document_fields():
    # The standard article tags are on every news page: without a box they say nothing of
    # a document, and go to the page's own columns.
    news = page(
        '<meta name="ArticleTitle" content="全省一季度经济运行情况新闻发布会召开">'
        '<meta name="PubDate" content="2024-04-18 10:30"><meta name="ContentSource" '
        'content="省统计局"><meta name="Keywords" content="经济运行,一季度">',
        f'<h1>全省一季度经济运行情况新闻发布会召开</h1><div class="content">{paragraphs()}</div>')
    ex = extract(news.encode())
    assert ex.title == "全省一季度经济运行情况新闻发布会召开"
    assert ex.published_at == "2024-04-18T10:30:00+08:00" and ex.keywords == "经济运行,一季度"
    assert ex.document == dict.fromkeys(DOC_KEYS)


def test_news_line_with_source_is_not_a_box():
    news = page(
        "<title>省政府召开常务会议_某某省人民政府</title>",
        '<h1>省政府召开常务会议</h1><div class="info"><span>发布时间：2024-01-08 09:00</span> '
        "<span>来源：某某日报</span> <span>发布机构：省政府办公厅</span></div>"
        f'<div class="content">{paragraphs()}<p>会议要求落实国办发〔2024〕5号文件。</p></div>')
    ex = extract(news.encode())
    assert ex.kind == "article" and ex.source == "某某日报"
    assert ex.document == dict.fromkeys(DOC_KEYS)


def test_article_row_has_every_document_column():
    fields = extract_article(GOVCN_POLICY.encode(), "https://www.gov.cn/zhengce/content/"
                             "202412/content_6994352.htm", "text/html").fields
    assert {k: fields[k] for k in DOC_KEYS}["doc_number"] == "国办发〔2024〕52号"
    news = extract_article(page("<title>新闻</title>", f"<h1>省政府召开常务会议</h1>{paragraphs()}")
                           .encode(), "https://www.example.gov.cn/a.html", "text/html").fields
    assert all(key in news and news[key] is None for key in DOC_KEYS)


@pytest.mark.parametrize("written", [
    "国办发〔2024〕5号", "国办发[2024]5号", "国办发【2024】5号", "国办发(2024)5号",
    "国办发（2024）5 号", "国办发［2024］5号", "国办发﹝2024﹞5号", "国办发 〔 2024 〕 5号",
    "国办发〔２０２４〕５号", "国办发〖2024〗5号",
])
def test_normalize_doc_number(written):
    assert normalize_doc_number(written) == "国办发〔2024〕5号"


def test_normalize_doc_number_keeps_other_brackets():
    assert normalize_doc_number("国务院令第777号") == "国务院令第777号"
    assert normalize_doc_number("京政发(第3号)") == "京政发(第3号)"


def test_general_extractor_body_drops_box_lines():
    # When the rules find no body, the general extractor's text loses the box rows too.
    row = "索 引 号： | 000014349/2024-00132 | 主题分类： | 财政、金融、审计\\其他"
    found = BodyText("fallback", [row, *BODY], 0.0)
    assert _cleaned(found, None, {row}).lines == list(BODY)


# Inputs shaped against backtracking (found as tests/regex_inventory.py's scan finds them:
# a literal piece of a pattern and a long filler); each pattern reads 100 kB of each in
# well under the budget (a few ms to ~50 ms here: linear, as bench/regex_scan.py measures).
LINEAR_INPUTS = ("发单" * 50_000, "公" + "\n" * 100_000, ("> " + "】" * 2) * 25_000,
                 "索 " * 50_000, "中" * 100_000, "发文字号 " * 20_000 + "\x01",
                 ("〔2024" + " " * 8) * 8_000)


@pytest.mark.parametrize("name", sorted(
    n for n, v in vars(docfields).items() if isinstance(v, re.Pattern)))
def test_patterns_are_linear(name):
    pattern = getattr(docfields, name)
    for text in LINEAR_INPUTS:
        start = time.perf_counter()
        for _ in pattern.finditer(text):
            pass
        assert time.perf_counter() - start < 0.5, (name, text[:20])
