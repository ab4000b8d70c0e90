"""Which links of an article page name document files (the spider's scan and the extractor's)."""

from __future__ import annotations

import re

import pytest

from archive.extract.attachments import EXTENSIONS, is_attachment_url, maybe_document
from crawler.spiders.portal import attachment_links

BASE = "http://www.yn.gov.cn/ywdt/zsdt/202612/t20261203_123.html"

# The first test as it was written before: a dot or its escape, an extension, then no letter
# or digit, in any case. The fast form must answer the same on every href.
_REFERENCE = re.compile(r"(?:\.|%2e)(?:" + "|".join(EXTENSIONS) + r")(?![a-z0-9])", re.I | re.A)

HREFS = [
    "./P020261203512345678901.pdf", "/module/download/downfile.jsp?filename=2026.DOCX",
    "附件1.Xls", "a%2Epdf", "a%2edoc?x=1", "a.pdfx", "a.pdf1", "report.pdf.html", "a.7z",
    "data.CSV#top", "x.et", "x.etc", "a.ofd", "a.ceb", "/a/b/", "javascript:void(0)",
    "a.wps", "a.WpS", "a.doc%20", "mailto:x@yn.gov.cn", "a.pdf/", "index.shtml", "a.pptx",
]


@pytest.mark.parametrize("href", HREFS)
def test_the_fast_first_test_answers_as_the_case_insensitive_one(href):
    assert maybe_document(href) == bool(_REFERENCE.search(href))


@pytest.mark.parametrize("href", HREFS)
def test_every_attachment_url_passes_the_first_test(href):
    url = f"http://www.yn.gov.cn/{href}"
    if is_attachment_url(url):
        assert maybe_document(url)


def test_a_page_without_document_links_has_none():
    page = ('<html><body><a href="/ywdt/">要闻动态</a><a href="t1.html">曲靖</a>'
            '<p>请下载PDF版本</p></body></html>')
    assert attachment_links(BASE, page) == []


def test_document_links_in_page_order_once_each():
    page = ('<a href="./P1.PDF">附件1</a><a HREF=\'/xxgk/2.docx\'>附件2</a>'
            '<a href="./P1.PDF">again</a><a href="t2.html">next</a>'
            '<a href="/module/download/downfile.jsp?classid=0&amp;filename=3%2Exls">3</a>')
    assert attachment_links(BASE, page) == [
        "http://www.yn.gov.cn/ywdt/zsdt/202612/P1.PDF",
        "http://www.yn.gov.cn/xxgk/2.docx",
        "http://www.yn.gov.cn/module/download/downfile.jsp?classid=0&filename=3%2Exls",
    ]
