"""Every regex over page content is linear in its input: 1 MB of its worst input each.

The worst inputs were found by `python bench/regex_scan.py --size 4000`, which tries inputs
shaped like the attacks on backtracking regexes (a literal piece of the pattern and a long
filler, the same unit repeated, each with and without a last character that makes an
anchored match fail) and keeps the costliest. A new pattern in a module that reads pages
needs its entry here (the test says so); rerun the scan to find it.
"""

from __future__ import annotations

import gzip
import time
import zlib

import pytest

from tests.regex_inventory import Shape, candidate_inputs, page_patterns

MB = 1_000_000
BUDGET = 1.0  # seconds for 1 MB; linear patterns take a few to a few tens of ms

WORST = {
    'archive.access._COOKIE_JS': Shape('$_ts', '-', 1, poison=False),
    'archive.access._SCRIPT': Shape('<script', '\n', 1, poison=True),
    'archive.access._SPACE': Shape('', '（', 0, poison=False),
    'archive.extract.attachments.DOCUMENT_PATH': Shape('.', '.', 8, poison=True),
    'archive.extract.attachments._LABEL': Shape(':', '|', 8, poison=True),
    'archive.extract.attachments._MAYBE': Shape('.', '.', 1, poison=True),
    'archive.extract.attachments._MAYBE_ESCAPED': Shape('%2', 'E', 1, poison=True),
    'archive.extract.attachments._NUMBERING': Shape('附件', ' ', 0, poison=False),
    'archive.extract.body._HINT_BAD': Shape('sidebarcomment', ' ', 0, poison=True),
    'archive.extract.body._HINT_GOOD': Shape('artconwenzhang-content', ' ', 0, poison=False),
    'archive.extract.boilerplate._BOX_HEAD': Shape('相关阅读', ' ', 0, poison=True),
    'archive.extract.boilerplate._DATE_THEN_LABEL': Shape('【', '\n', 0, poison=False),
    'archive.extract.boilerplate._DROP_LINE': Shape('【(', ' ', 0, poison=True),
    'archive.extract.boilerplate._FONT_CONTROL': Shape('号', '!', 8, poison=True),
    'archive.extract.boilerplate._FOOTER_LINE': Shape('： ', '字体', 2, poison=False),
    'archive.extract.boilerplate._META_LABEL_AT': Shape('发布时间', '\n', 0, poison=False),
    'archive.extract.boilerplate._NOTICE_HEAD': Shape('网站声明', '<', 1, poison=True),
    'archive.extract.boilerplate._STRONG_LABEL_START': Shape('新闻来源', ' ', 0, poison=True),
    'archive.extract.boilerplate._TOOL_LINE': Shape('收藏', '小', 0, poison=False),
    'archive.extract.dates.DATE_RE': Shape('T', '\\', 0, poison=True),
    'archive.extract.decode._HEADER_CHARSET': Shape('charset:', ' ', 0, poison=False),
    'archive.extract.decode._META_CHARSET': Shape('<meta', '【', 0, poison=True),
    'archive.extract.docfields._INLINE_LABEL': Shape('关', '发', 0, poison=False),
    'archive.extract.docfields._SPACES': Shape('', '中', 0, poison=False),
    'archive.extract.docfields._WHOLE_LABEL': Shape('[发', ' ', 0, poison=False),
    'archive.extract.docfields._YEAR_BRACKETS': Shape('﹝', '.', 8, poison=False),
    'archive.extract.metadata._AUTHOR_RE': Shape('作者', '：', 0, poison=True),
    'archive.extract.metadata._BARE_LABEL': Shape('发布日期作者', ' ', 0, poison=True),
    'archive.extract.metadata._CRUMB_SEP': Shape('>>', '|', 1, poison=True),
    'archive.extract.metadata._CRUMB_START': Shape('现在的位置', '所在位置', 1, poison=True),
    'archive.extract.metadata._CRUMB_TRAIL': Shape('', ' ', 0, poison=True),
    'archive.extract.metadata._DATE_LABEL_RES[0]': Shape('发布时间', '@', 8, poison=True),
    'archive.extract.metadata._DATE_LABEL_RES[1]': Shape('(', '-', 0, poison=True),
    'archive.extract.metadata._DATE_LABEL_RES[2]': Shape('(', '#', 0, poison=True),
    'archive.extract.metadata._DATE_LABEL_RES[3]': Shape('日期', '（', 8, poison=False),
    'archive.extract.metadata._INSTITUTION': Shape('院', '署', 0, poison=True),
    'archive.extract.metadata._MINISTRY_PORTAL': Shape('院 ', '部', 2, poison=True),
    'archive.extract.metadata._SITE_SUFFIX': Shape('官网', '\\', 1, poison=True),
    'archive.extract.metadata._SOURCE_RE': Shape('发文日期 ', '浏览量', 2, poison=True),
    'archive.extract.metadata._TITLE_SEP': Shape('-', '_', 1, poison=True),
    'archive.extract.pagekind._ANCHOR_RE': Shape('发文字号', '_', 1, poison=False),
    'archive.extract.pagekind._ERROR': Shape('不存在 ', '文章', 2, poison=True),
    'archive.extract.pagekind._INFO_LABELS': Shape('索 ', '公开日期', 2, poison=True),
    'archive.extract.pagekind._LIST_DATE': Shape('.', '&', 0, poison=False),
    'archive.extract.parse._CONTROL': Shape('\x00', '\x0b', 8, poison=False),
    'archive.extract.parse._XML_DECL': Shape('<?xml', '*', 0, poison=True),
    'archive.extract.pipeline._FOOTNOTE': Shape('＊', '*', 1, poison=True),
    'archive.extract.pipeline._PAGINATION': Shape('末页', '共', 8, poison=False),
    'archive.extract.pipeline._SENTENCE_END': Shape('', '?', 0, poison=False),
    'archive.site_identity.GONGAN': Shape('公网安备 ', '一', 2, poison=True),
    'archive.site_identity.HOST_ORG': Shape('主办', '=', 8, poison=False),
    'archive.site_identity.ICP': Shape('證', '一', 1, poison=False),
    'archive.site_identity.SITE_CODE': Shape('网站标识码', ':', 1, poison=False),
    'archive.site_identity.SITE_CODE_VALUE': Shape('bm', '1', 0, poison=False),
    'archive.tamper.common._ABSOLUTE': Shape('http', '中', 1, poison=True),
    'archive.tamper.css._AT_RULE': Shape('{', '@', 8, poison=True),
    'archive.tamper.css._BRACE': Shape('}', '{', 1, poison=False),
    'archive.tamper.css._COMPLEX': Shape('~', '+', 8, poison=True),
    'archive.tamper.css._COMPOUND': Shape('a', 'a', 1, poison=True),
    'archive.tamper.css._CSS_HINT': Shape(':', '.', 1, poison=False),
    'archive.tamper.lexicon._before': Shape('全', '}', 1, poison=False),
    'archive.tamper.lexicon._suffix': Shape('网站', ' ', 1, poison=True),
    'archive.tamper.lexicon.finder[0]': Shape('成人', '城', 1, poison=True),
    'archive.tamper.lexicon.finder[10]': Shape('资源', 'av', 1, poison=True),
    'archive.tamper.lexicon.finder[1]': Shape('娱乐场', '金沙', 1, poison=True),
    'archive.tamper.lexicon.finder[2]': Shape('亚洲', '太阳城', 1, poison=True),
    'archive.tamper.lexicon.finder[3]': Shape('hg', '皇冠', 1, poison=True),
    'archive.tamper.lexicon.finder[4]': Shape('平台 ', '威尼斯人', 2, poison=False),
    'archive.tamper.lexicon.finder[5]': Shape('菠菜', '网', 1, poison=False),
    'archive.tamper.lexicon.finder[6]': Shape('体育投注', '0', 1, poison=True),
    'archive.tamper.lexicon.finder[7]': Shape('a', '体育在线', 1, poison=False),
    'archive.tamper.lexicon.finder[8]': Shape('pk10', '(', 1, poison=False),
    'archive.tamper.lexicon.finder[9]': Shape('bbin', '{', 1, poison=True),
    'archive.tamper.links._CLOAK': Shape('document', '[', 8, poison=False),
    'archive.tamper.links._FUNCTION': Shape('function', '=', 0, poison=False),
    'archive.tamper.links._REDIRECT': Shape('assign', '-', 0, poison=False),
    'archive.tamper.links._TAG': Shape('>', '<', 1, poison=False),
    'archive.tamper.links._URL_IN_JS': Shape("'", '"', 1, poison=True),
    'archive.tamper.links._WRITE': Shape('(', '*', 0, poison=False),
    'archive.tamper.links._WRITTEN_A': Shape('=', '<', 8, poison=True),
    'archive.tamper.mirror._GOV_NAME': Shape('', '局', 0, poison=True),
    'archive.visibility.STYLE_HINT': Shape('overflow', '-', 0, poison=True),
    'archive.visibility._NUMBER': Shape('', '1', 0, poison=False),
    'crawler.cms.canonical._ALTERNATE': Shape('_', ';', 8, poison=False),
    'crawler.cms.canonical._TRACKING': Shape('sharer', '1', 0, poison=True),
    'crawler.cms.generic._ITEM_DATE': Shape('. ', '20', 2, poison=False),
    'crawler.cms.generic._NEXT_LABELS': Shape('', ' ', 0, poison=False),
    'crawler.cms.generic._PAGE_EXT': Shape('.jsp', '.', 0, poison=True),
    'crawler.cms.hanweb._COLUMN': Shape('/col/col', '{', 1, poison=False),
    'crawler.cms.hanweb._DATASTORE[0]': Shape('<datastore>', '}', 0, poison=False),
    'crawler.cms.hanweb._DATASTORE[1]': Shape('</datastore>', '：', 1, poison=True),
    'crawler.cms.hanweb._DIV_TAG': Shape('>', '<div', 1, poison=True),
    'crawler.cms.hanweb._HREF': Shape('=', '=', 0, poison=False),
    'crawler.cms.hanweb._ID_ATTR': Shape('id', ':', 8, poison=False),
    'crawler.cms.hanweb._JS_NUMBER[0]': Shape('=', '<', 8, poison=False),
    'crawler.cms.hanweb._JS_NUMBER[1]': Shape("'", '&', 8, poison=False),
    'crawler.cms.hanweb._JS_NUMBER[2]': Shape(':', '[', 0, poison=False),
    'crawler.cms.hanweb._NEXTGROUP[0]': Shape('<nextgroup> ', '<![CDATA[', 2, poison=False),
    'crawler.cms.hanweb._NEXTGROUP[1]': Shape(']]>', '#', 1, poison=False),
    'crawler.cms.hanweb._RECORD[0]': Shape('<![CDATA[', '【', 1, poison=False),
    'crawler.cms.hanweb._RECORD[1]': Shape('</record>', ']]>', 1, poison=True),
    'crawler.cms.hanweb._SCRIPT_TAG': Shape('>', '【', 8, poison=True),
    'crawler.cms.hanweb._TOTAL': Shape('<totalrecord>', '\n', 0, poison=False),
    'crawler.cms.jpaas._PAGE_SIZE': Shape(':', "'", 1, poison=False),
    'crawler.cms.jpaas._VALUE[0]': Shape('webId=', '（', 1, poison=False),
    'crawler.cms.jpaas._VALUE[1]': Shape('"', '"', 1, poison=True),
    'crawler.cms.jpaas._VALUE[2]': Shape('=', "'", 1, poison=True),
    'crawler.cms.jpaas._VALUE[3]': Shape('', ']', 0, poison=False),
    'crawler.cms.jpaas._VALUE[4]': Shape('tagId', '.', 1, poison=False),
    'crawler.cms.jpaas._VALUE[5]': Shape('', "'", 0, poison=False),
    'crawler.cms.jpaas._VALUE[6]': Shape('"', "'", 1, poison=True),
    'crawler.cms.jpaas._VALUE[7]': Shape('"', ' ', 1, poison=True),
    'crawler.cms.jpaas._VALUE[8]': Shape("'", '"', 1, poison=False),
    'crawler.cms.links.ARTICLE_PATTERNS[0]': Shape('/t', '/', 8, poison=False),
    'crawler.cms.links.ARTICLE_PATTERNS[1]': Shape('/art/', '/', 1, poison=False),
    'crawler.cms.links.ARTICLE_PATTERNS[2]': Shape('20', '/', 0, poison=False),
    'crawler.cms.links.DATED_ARTICLE': Shape('post', '/', 0, poison=False),
    'crawler.cms.links.HANWEB_ARTICLE': Shape('/', '【', 1, poison=False),
    'crawler.cms.links.TRS_ARTICLE': Shape('/', '/', 0, poison=False),
    'crawler.cms.trs._COUNT_PAGE': Shape('', '【', 0, poison=False),
    'crawler.cms.trs._CREATE_PAGE': Shape('createPageHTML(', '1', 0, poison=False),
    'crawler.cms.trs._CREATE_PAGE_DIV': Shape('createPageHTML(', '&', 8, poison=True),
    'crawler.cms.trs._PAGE_NAME': Shape('/', '_', 0, poison=False),
    'crawler.cms.xxgk._GO_PAGE': Shape('funGoPage(', "'", 1, poison=False),
    'crawler.cms.xxgk._PAGE_COUNT': Shape('页', '共', 0, poison=False),
    'crawler.spiders.portal._HREF_VALUE': Shape('<', '\n', 0, poison=False),
}


PATTERNS = dict(page_patterns())


def test_every_page_pattern_has_a_worst_input():
    assert set(PATTERNS) - set(WORST) == set(), "run bench/regex_scan.py and add these"
    assert set(WORST) - set(PATTERNS) == set(), "patterns that no longer exist"


def _cost(pattern, data) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(data):
        pass
    return time.perf_counter() - started


def worst_shape(name: str) -> Shape:
    """The costliest of the scan's shapes on 300 characters (and the recorded one)."""
    pattern = PATTERNS[name]
    shapes = [WORST[name], *candidate_inputs(pattern)]
    return max(shapes, key=lambda shape: _cost(pattern, shape.data(pattern, 300)))


@pytest.mark.parametrize("name", sorted(WORST))
def test_one_megabyte_of_the_worst_input_within_budget(name):
    """The worst input is grown in steps, each 8 to 16 times longer: a quadratic pattern
    fails on a step of 64 KB in well under a second instead of hanging on 1 MB. A step may
    cost up to 80 times the one before (16 times longer input: linear is 16×, quadratic
    256×; memory effects on 1 MB took a linear pattern past 40×)."""
    pattern = PATTERNS[name]
    shape = worst_shape(name)
    previous = _cost(pattern, shape.data(pattern, 4_000))
    for size, before in ((64_000, 4_000), (MB, 64_000)):
        spent = _cost(pattern, shape.data(pattern, size))
        if not spent < max(0.02, 80 * previous):  # a pause of the machine, or the pattern?
            previous = min(_cost(pattern, shape.data(pattern, before)) for _ in range(3))
            spent = min(_cost(pattern, shape.data(pattern, size)) for _ in range(3))
        assert spent < max(0.02, 80 * previous) and spent < 3 * BUDGET, (
            f"{name}: {spent:.3f} s on {size:,} characters of {shape.describe} "
            f"({previous:.4f} s on the step before)")
        previous = spent


def timed(function, *args) -> float:
    """The best of three runs: a busy machine slows one run, not all three."""
    spent = []
    for _ in range(3):
        started = time.perf_counter()
        function(*args)
        spent.append(time.perf_counter() - started)
    return min(spent)


def linear(function, make, size: int) -> bool:
    """`function(*make(size))` costs at most about four times `function(*make(size // 4))`.

    A quadratic cost grows sixteen times, so the ratio tells them apart on any machine;
    times too small to measure pass, and no run may take the minutes the attacks took."""
    small = timed(function, *make(size // 4))
    large = timed(function, *make(size))
    assert large < 10 * BUDGET, f"{large:.2f} s on {size:,}"
    return large < max(0.05, 8 * small)


def test_the_attacks_of_the_security_review_take_no_time():
    """The reproductions of issue 14, each at about 1 MB (they took minutes to hours),
    measured against a quarter of themselves so that a slow machine does not fail them."""
    from archive.access import _little_visible, access_problem
    from archive.transfer import encoding_intact, inflate_whole
    from crawler.cms.base import ListPage
    from crawler.cms.generic import parse_generic
    from crawler.cms.hanweb import parse_hanweb
    from crawler.spiders.portal import attachment_links

    base = "http://www.example.gov.cn/xw/index.html"
    assert linear(attachment_links, lambda n: (
        base, '<html><body><a href="' + '"x.pdf/"' * (n // 8) + "</body></html>"), MB)
    assert linear(parse_hanweb, lambda n: (
        base, "<datastore></datastore><div " + '"id=1 ' * (n // 6)), MB)
    assert linear(access_problem, lambda n: (200, {}, b"<" * n), 240_000)
    assert linear(_little_visible, lambda n: (b"<" * n, 100), MB)
    assert linear(_little_visible, lambda n: (b"<script" * (n // 7), 100), MB)
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = b"".join([bomb.compress(b" " * (1 << 24)) for _ in range(64)] + [bomb.flush()])
    assert len(body) < 2 * MB  # a GiB of spaces
    assert timed(encoding_intact, body, "gzip") < BUDGET  # inflates no more than the limit
    assert encoding_intact(body, "gzip")  # too large, not cut: the decompression says so
    assert timed(inflate_whole, body, "gzip") < BUDGET
    assert inflate_whole(body, "gzip") == (True, None)  # the same, nothing kept
    page = gzip.compress("正文".encode() * 50_000)
    assert encoding_intact(page, "gzip") and not encoding_intact(page[:len(page) // 2], "gzip")

    assert linear(attachment_links, lambda n: (base, "".join(
        f'<a href="http://files.example.com/{k}.pdf">附件{k}</a>' for k in range(n))), 40_000)

    def add_twice(urls):
        page = ListPage()
        for url in urls + urls:
            page.add_article(url)
        return page

    assert linear(add_twice, lambda n: (
        [f"http://www.example.gov.cn/xw/202604/t20260413_{k}.html" for k in range(n)],), 40_000)
    page = add_twice([f"http://www.example.gov.cn/xw/202604/t20260413_{k}.html"
                      for k in range(40_000)])
    assert len(page.articles) == 40_000
    assert linear(parse_generic, lambda n: (base, "<p>" + "".join(
        f'<a href="/xw/{k}.html">一个很长的链接标题{k}</a>' for k in range(n)) + "</p>"), 20_000)
