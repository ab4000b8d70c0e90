"""CMS adapters read list pages as real TRS and Hanweb portals write them."""

from __future__ import annotations

from crawler.cms import detect_cms, parse_hanweb_proxy, parse_list
from crawler.cms.links import is_article_url

TRS_LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>州市动态</title>
<meta name="ColumnName" content="州市动态"></head><body>
<div class="nav"><a href="/">首页</a><a href="https://www.gov.cn/">中国政府网</a></div>
<ul class="list">
<li><a href="./202110/t20211025_229601.html" title="为民办实事">为民办实事</a><span>2021-10-25</span></li>
<li><a href="./202110/t20211024_229500.html">昆明：营商环境持续优化</a><span>2021-10-24</span></li>
<li><a href="http://other.example.cn/202110/t20211024_1.html">外站链接</a></li>
<li><a href="../bmdt/202110/t20211023_229400.shtml">跨栏目稿件</a></li>
</ul>
<div class="page"><script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  document.write("<a href=\\""+_sPageName+"_1."+_sPageExt+"\\">下一页</a>");
}
createPageHTML(4, 0, "index", "html");
</script></div></body></html>"""


def test_trs_list_articles_and_javascript_pages():
    url = "http://127.0.0.1:8000/ywdt/zsdt/index.html"
    page = parse_list("trs", url, TRS_LIST)
    assert page.articles == [
        "http://127.0.0.1:8000/ywdt/zsdt/202110/t20211025_229601.html",
        "http://127.0.0.1:8000/ywdt/zsdt/202110/t20211024_229500.html",
        "http://127.0.0.1:8000/ywdt/bmdt/202110/t20211023_229400.shtml",
    ]
    assert [p.url for p in page.next_pages] == [
        f"http://127.0.0.1:8000/ywdt/zsdt/index_{n}.html" for n in (1, 2, 3)
    ]


def test_trs_section_folder_url_and_later_pages_do_not_repeat_the_pager():
    page = parse_list("trs", "http://h/ywdt/zsdt/", TRS_LIST)
    assert next(p.url for p in page.next_pages) == "http://h/ywdt/zsdt/index_1.html"
    later = parse_list("trs", "http://h/ywdt/zsdt/index_1.html", TRS_LIST, first_page=False)
    assert later.next_pages == []


def test_trs_newer_pager_and_count_page_forms():
    newer = "<script>createPageHTML('page_div', 3, 0, 'list', 'shtml', 57);</script>"
    page = parse_list("trs", "http://h/xw/sxyw/list.shtml", newer)
    assert [p.url for p in page.next_pages] == ["http://h/xw/sxyw/list_1.shtml",
                                                "http://h/xw/sxyw/list_2.shtml"]
    older = "<script>var countPage = 2//共多少页</script>"
    page = parse_list("generic", "http://h/yw/index.htm", older)
    assert [p.url for p in page.next_pages] == ["http://h/yw/index_1.htm"]


HANWEB_LIST = """<html><head><meta charset="utf-8"></head><body>
<div class="nav"><a href="/col/col1545696/index.html">政务动态</a></div>
<div id="7706"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3185&path=/&columnid=1554467&unitid=7706&webname=浙江省人民政府&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2026/4/13/art_1554467_59012345.html" title="一">一</a><span>2026-04-13</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/4/12/art_1554467_59012301.html" title="二">二</a><span>2026-04-12</span></li>]]></record>
</recordset></datastore></script></div>
<script type="text/javascript" src="/module/web/jpage/unitbuild.js"></script>
<script>$(function(){$('#7706').jpage({dataStore: dataStore, perPage: 1, totalRecord: 5,
groupSize: 2, proxyUrl: '/module/web/jpage/dataproxy.jsp'});});</script>
</body></html>"""


def test_hanweb_datastore_records_and_first_proxy_call():
    url = "http://127.0.0.1:9000/col/col1554467/index.html"
    assert detect_cms(HANWEB_LIST) == "hanweb"
    page = parse_list("generic", url, HANWEB_LIST)
    assert page.articles == [
        "http://127.0.0.1:9000/art/2026/4/13/art_1554467_59012345.html",
        "http://127.0.0.1:9000/art/2026/4/12/art_1554467_59012301.html",
    ]
    (call,) = page.next_pages
    assert call.method == "POST" and call.kind == "hanweb-proxy"
    assert call.url == ("http://127.0.0.1:9000/module/web/jpage/dataproxy.jsp"
                        "?startrecord=3&endrecord=4&perpage=1")
    form = dict(call.formdata)
    assert form["columnid"] == "1554467" and form["unitid"] == "7706"
    assert form["webid"] == "3185" and form["webname"] == "浙江省人民政府"


def test_hanweb_proxy_answers_chain_until_totalrecord():
    answer = """<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>5</totalrecord>
<totalpage>5</totalpage><recordset>
<record><![CDATA[<li><a href="/art/2026/4/1/art_1554467_3.html">三</a></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/4/1/art_1554467_4.html">四</a></li>]]></record>
</recordset></datastore>"""
    proxy = ("http://h/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=1")
    page = parse_hanweb_proxy(proxy, answer, {"columnid": "1554467", "unitid": "7706"})
    assert page.articles == ["http://h/art/2026/4/1/art_1554467_3.html",
                             "http://h/art/2026/4/1/art_1554467_4.html"]
    (call,) = page.next_pages
    assert "startrecord=5&endrecord=6&perpage=1" in call.url
    last = parse_hanweb_proxy(call.url, answer.replace("<totalrecord>5", "<totalrecord>5"),
                              dict(call.formdata))
    assert last.next_pages == []


def test_generic_list_follows_next_links_and_dated_articles():
    html = """<ul><li><a href="/gdywdt/gdyw/content/post_4412345.html">广东要闻</a> [2026-04-13]</li>
    <li><a href="/about.html">关于我们</a></li></ul>
    <div class="pager"><a href="index_2.html">下一页</a><a href="index_9.html">尾页</a></div>"""
    page = parse_list("generic", "http://h/gdywdt/gdyw/index.html", html)
    assert page.articles == ["http://h/gdywdt/gdyw/content/post_4412345.html"]
    assert [p.url for p in page.next_pages] == ["http://h/gdywdt/gdyw/index_2.html"]


def test_article_url_patterns():
    assert is_article_url("https://www.yn.gov.cn/ywdt/zsdt/202110/t20211025_229601.html")
    assert is_article_url("http://www.zj.gov.cn/art/2026/4/13/art_1554467_59012345.html")
    assert is_article_url("https://www.gov.cn/yaowen/liebiao/202604/content_7012345.htm")
    assert not is_article_url("https://www.yn.gov.cn/ywdt/zsdt/index_1.html")
    assert not is_article_url("https://www.zj.gov.cn/col/col1554467/index.html")


JPAAS_LIST = """<html><body><div class="list-box" id="list"></div>
<script>
var webId = "3185"; var pageId = "1229425389"; var tplSetId = "52c6cb8ba1a84d0a9a8cb1e2c1e4f1d0";
$.ajax({url: "/api-gateway/jpaas-publish-server/front/page/build/unit",
  data: {webId: webId, pageId: pageId, parseType: "bulidstatic", pageType: "column",
         tagId: "当前栏目list", tplSetId: tplSetId, paramJson: JSON.stringify({pageNo: 1, pageSize: 2})}});
</script></body></html>"""


def test_jpaas_list_page_leads_to_its_json_api_and_all_pages():
    from urllib.parse import parse_qsl, urlsplit

    page = parse_list("generic", "http://h/col/col1229425389/index.html", JPAAS_LIST)
    assert page.articles == []
    (call,) = page.next_pages
    assert call.kind == "jpaas-api"
    query = dict(parse_qsl(urlsplit(call.url).query))
    assert urlsplit(call.url).path == "/api-gateway/jpaas-publish-server/front/page/build/unit"
    assert query["webId"] == "3185" and query["pageId"] == "1229425389"
    assert query["tagId"] == "当前栏目list"
    assert query["paramJson"] == '{"pageNo":1,"pageSize":2}'

    import json

    from crawler.cms import parse_jpaas_api

    answer = json.dumps({"success": True, "data": {"total": 5, "html": (
        '<ul><li><a href="/art/2026/4/13/art_1229425389_1.html">一</a><span>2026-04-13</span></li>'
        '<li><a href="/art/2026/4/12/art_1229425389_2.html">二</a></li></ul>')}})
    first = parse_jpaas_api(call.url, answer)
    assert first.articles == ["http://h/art/2026/4/13/art_1229425389_1.html",
                              "http://h/art/2026/4/12/art_1229425389_2.html"]
    assert [json.loads(dict(parse_qsl(urlsplit(p.url).query))["paramJson"])["pageNo"]
            for p in first.next_pages] == [2, 3]
    later = parse_jpaas_api(first.next_pages[0].url, answer)
    assert later.next_pages == []


def test_generic_items_with_neighbouring_dates_with_or_without_year():
    html = """<ul class="list">
    <li><a href="/xwzx/a1.html">西藏自治区召开全区经济工作会议</a><span>04-16</span></li>
    <li><a href="/xwzx/a2.html">拉萨市推进城市更新行动</a> [2026-04-13]</li>
    <li><a href="/xwzx/about.html">关于我们的联系方式</a></li></ul>
    <table><tr><td><a href="/xwzx/a3.jsp?id=9">日喀则市加快发展高原特色农业</a></td>
    <td>2026年4月2日</td></tr></table>"""
    page = parse_list("generic", "http://h/xwzx/index.html", html)
    assert page.articles == ["http://h/xwzx/a1.html", "http://h/xwzx/a2.html",
                             "http://h/xwzx/a3.jsp?id=9"]


def test_canonical_url_folds_alternate_copies_and_tracking_parameters():
    from crawler.cms.canonical import canonical_url

    plain = "https://www.shaanxi.gov.cn/xw/sxyw/202604/t20260413_3456789.shtml"
    for variant in (plain.replace(".shtml", "_wap.shtml"),
                    plain.replace(".shtml", "_senior.shtml"),
                    plain.replace(".shtml", "_slb.shtml"),
                    plain + "?from=timeline&isappinstalled=0",
                    plain + "?utm_source=wechat&utm_medium=share"):
        assert canonical_url(variant) == plain
    assert canonical_url("http://h/detail.jsp?id=3&utm_source=x") == "http://h/detail.jsp?id=3"


def test_generic_list_of_unknown_url_shapes_is_read_by_its_items():
    """A JEECMS-style list: items end in .jhtml / .jspx, which no URL rule knows; a run of
    dated, titled items makes them articles. Navigation, documents and a lone dated link
    outside any run do not."""
    items = "".join(
        f'<li><a href="/xwzx/gzdt/{2026 - i // 4}/{i}{ext}" title="标题">'
        f"某某县召开第{i}次全县安全生产工作会议</a><span>2026-04-{20 - i:02d}</span></li>"
        for i, ext in enumerate([".jhtml"] * 4 + [".jspx"] * 2 + [".htm"]))
    html = f"""<html><body>
    <div class="nav"><a href="/index.jhtml">首页</a><a href="/xwzx/index.jhtml">新闻中心</a></div>
    <div class="side"><p><a href="/zt/2026/ad.jhtml">专题：学习贯彻全会精神</a> 2026-03-01</p></div>
    <ul class="list">{items}
    <li><a href="/upload/2026/notice.pdf">关于某某县安全生产的通知附件</a><span>2026-04-01</span></li>
    </ul><div class="page"><a href="index_2.jhtml">下一页</a></div></body></html>"""
    page = parse_list("generic", "http://h/xwzx/gzdt/index.jhtml", html)
    assert page.articles == [f"http://h/xwzx/gzdt/{2026 - i // 4}/{i}{ext}" for i, ext in
                             enumerate([".jhtml"] * 4 + [".jspx"] * 2 + [".htm"])]
    assert [r.url for r in page.next_pages] == ["http://h/xwzx/gzdt/index_2.jhtml"]
    # Two such items are no run: nothing is guessed from so little.
    two = html.replace(items, "".join(items.split("</li>")[i] + "</li>" for i in (0, 1)))
    assert parse_list("generic", "http://h/xwzx/gzdt/index.jhtml", two).articles == []
