"""政府信息公开 list APIs: gov.cn's 政策文件库 JSON search and Hanweb's 信息公开 search.jsp.

The fixtures are built here in the shapes public crawler code reads from the real answers:
gov.cn's `searchVO.listVO` (tbghg/PolicySearchEngine's Go struct: totalCount, currentPage,
totalpage, listVO[title, pubtimeStr, url, puborg]) and `searchVO.catMap.<category>.listVO`
(notes and collectors of 2026: per-category totalCount, a top-level totalCount of 0,
pubtimeStr sometimes null), and Hanweb's search.jsp rows `tr.tr_main_value_odd|even` with
a `table.tb_title` pager (`第1页/共N页`, `funGoPage('/module/xxgk/search.jsp',N)`) and
search_custom.jsp's `div.wip_lists` items.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.cms import parse_list
from crawler.cms.govsearch import is_govsearch_url, parse_govsearch
from crawler.cms.xxgk import _GO_PAGE, _PAGE_COUNT, is_xxgk_url, parse_xxgk
from crawler.registry import load_registry

API = ("https://sousuo.www.gov.cn/search-gov/data?t=zhengcelibrary_gw&q=&sort=pubtime"
       "&sortType=1&searchfield=title&p=1&n=20")


# -- gov.cn 政策文件库 -----------------------------------------------------------------------
def gov_item(n: int, url: str | None = None, pubtime: str | None = "2026.04.13") -> dict[str, Any]:
    return {
        "title": f"国务院办公厅关于第{n}项工作的<em>通知</em>",
        "url": url or f"https://www.gov.cn/zhengce/zhengceku/202604/content_70000{n:02d}.htm",
        "pcode": f"国办发〔2026〕{n}号",
        "puborg": "国务院办公厅",
        "pubtimeStr": pubtime,
        "pubtime": 1776038400000,
        "ptime": 1775952000000,
        "childtype": "综合政务\\电子政务",
        "summary": "为进一步……",
        "index": f"000014349/2026-000{n:02d}",
        "id": f"{n:08d}",
    }


def list_vo_answer(items: list[Any], total: int, pages: int, current: int = 1) -> str:
    """searchVO.listVO, as tbghg/PolicySearchEngine's Resp struct reads it."""
    return json.dumps({"code": 200, "msg": "操作成功", "searchVO": {
        "totalCount": total, "currentPage": current, "totalpage": pages, "listVO": items}},
        ensure_ascii=False)


def cat_map_answer(groups: dict[str, tuple[list[Any], int]]) -> str:
    """searchVO.catMap.<category>.{totalCount, catName, listVO}; top-level totalCount 0."""
    return json.dumps({"code": 200, "msg": "操作成功", "data": None, "searchVO": {
        "totalCount": 0,
        "catMap": {name: {"totalCount": total, "catName": name, "listVO": items}
                   for name, (items, total) in groups.items()}},
        "paramsVO": {"t": "zhengcelibrary", "p": 1}}, ensure_ascii=False)


GONGBAO = "https://www.gov.cn/gongbao/2026/issue_12666"


def pages_of(page) -> list[int]:
    return [int(parse_qs(urlsplit(p.url).query)["p"][0]) for p in page.next_pages]


def test_list_vo_answer_gives_documents_and_the_other_pages():
    answer = list_vo_answer([gov_item(1), gov_item(2)], total=95, pages=5)
    page = parse_govsearch(API, answer)
    assert page.articles == ["https://www.gov.cn/zhengce/zhengceku/202604/content_7000001.htm",
                             "https://www.gov.cn/zhengce/zhengceku/202604/content_7000002.htm"]
    assert pages_of(page) == [2, 3, 4, 5]
    later = page.next_pages[0]
    assert later.method == "GET" and later.kind == "list"
    query = parse_qs(urlsplit(later.url).query, keep_blank_values=True)
    assert query["t"] == ["zhengcelibrary_gw"] and query["n"] == ["20"] and query["q"] == [""]
    assert parse_govsearch(later.url, answer).next_pages == []  # only page 1 schedules


def test_cat_map_answer_reads_every_category_and_their_counts():
    answer = cat_map_answer({
        "gongwen": ([gov_item(1), gov_item(2, pubtime=None)], 41),
        "bumenfile": ([gov_item(3), gov_item(1)], 7),  # categories repeat items
        "gongbao": ([gov_item(4, f"{GONGBAO}/content_7000004.html")], 1),
        "otherfile": ([], 0),
    })
    page = parse_govsearch(API, answer)
    assert [u.rsplit("/", 1)[1] for u in page.articles] == [
        "content_7000001.htm", "content_7000002.htm", "content_7000003.htm",
        "content_7000004.html"]
    assert pages_of(page) == [2, 3]  # 41 records of the largest category, 20 a page


def test_strict_about_what_it_accepts():
    items = [
        gov_item(1, "https://evil.example.com/zhengce/content_7000001.htm"),  # off the portal
        gov_item(2, "https://sousuo.www.gov.cn/zhengce/content_7000002.htm"),  # the API host
        gov_item(3, "javascript:alert(1)"),
        {**gov_item(4), "url": 7000004},
        {**gov_item(5), "url": ["https://www.gov.cn/a/content_7000005.htm"]},
        "https://www.gov.cn/zhengce/content_7000006.htm",  # not an object
        None,
        gov_item(7, "https://www.gov.cn/zhengce/zuixin/"),  # not a document page
        gov_item(8, "/zhengce/content/202604/content_7000008.htm"),  # relative: on www.gov.cn
    ]
    page = parse_govsearch(API, list_vo_answer(items, total=9, pages=1))
    assert page.articles == ["https://www.gov.cn/zhengce/content/202604/content_7000008.htm"]
    for bad in ("", "not json", "[]", '"text"', "null", '{"searchVO": []}',
                '{"searchVO": {"listVO": {"url": "x"}, "catMap": [1, 2]}}',
                '{"searchVO": {"catMap": {"gongwen": [1]}, "totalpage": true}}',
                json.dumps({"searchVO": {"listVO": [], "totalpage": "９"}})):
        assert parse_govsearch(API, bad).articles == []
        assert parse_govsearch(API, bad).next_pages == []
    huge = list_vo_answer([gov_item(1)], total=1, pages=1) + " " * (9 * 1024 * 1024)
    assert parse_govsearch(API, huge).articles == []


def test_page_counts_are_bounded_and_typed():
    one = [gov_item(1)]
    assert pages_of(parse_govsearch(API, list_vo_answer(one, 10**8, 10**8))) == list(range(2, 501))
    assert pages_of(parse_govsearch(API, list_vo_answer(one, "60", "3"))) == [2, 3]  # type: ignore[arg-type]
    assert parse_govsearch(API, list_vo_answer(one, -5, -1)).next_pages == []
    assert parse_govsearch(API, list_vo_answer(one, 1.5, 2.5)).next_pages == []  # type: ignore[arg-type]
    no_size = API.replace("&n=20", "&n=0")
    assert parse_govsearch(no_size, list_vo_answer(one, 100, 0)).next_pages == []


def test_the_registry_selects_the_adapter_by_the_section_url():
    gov = load_registry()["gov"]
    sections = {s.id: s for s in gov.sections}
    for sid in ("zcwjk_gw", "zcwjk_bm"):
        url = sections[sid].url
        assert is_govsearch_url(url) and gov.owns(url)
        answer = cat_map_answer({"gongwen": ([gov_item(1)], 45), "bumenfile": ([gov_item(2)], 3)})
        page = parse_list(gov.cms, url, answer, first_page=True)  # the spider's call
        assert len(page.articles) == 2 and all(gov.owns(u) for u in page.articles)
        assert len(page.next_pages) == 2 and all(gov.owns(p.url) for p in page.next_pages)
        later = parse_list(gov.cms, page.next_pages[0].url, answer, first_page=False)
        assert len(later.articles) == 2 and later.next_pages == []
    assert not is_govsearch_url("https://www.gov.cn/search-gov/data?p=1")
    assert not is_govsearch_url("https://sousuo.www.gov.cn/search-gov/data/x?p=1")


# -- Hanweb 信息公开 search.jsp -------------------------------------------------------------
SEARCH = ("http://www.example.gov.cn/module/xxgk/search.jsp?infotypeId=&jdid=2&area=11150000"
          "&divid=div1686&vc_title=&vc_number=&sortfield=compaltedate:0&currpage=1"
          "&vc_filenumber=&vc_all=&texttype=&fbtime=&currpage=1&fields=&fieldConfigId="
          "&hasNoPages=&infoCount=")


def search_answer(rows: list[tuple[str, str, str]], current: int, pages: int, total: int) -> str:
    """search.jsp's fragment: one row per document and the tb_title pager."""
    body = "".join(
        f'<tr class="tr_main_value_{"odd" if i % 2 == 0 else "even"}">'
        f"<td><a href='{href}' target='_blank' title='{title}' gkfs=\"主动公开\">{title}</a></td>"
        f"<td>山东省人民政府办公厅</td><td>{date}</td></tr>"
        for i, (href, title, date) in enumerate(rows))
    go = "javascript:funGoPage('/module/xxgk/search.jsp',{})"
    pager = (f'<table class="tb_title" width="100%"><tr><td>共{total}条记录 '
             f'第{current}页/共{pages}页</td><td align="right">'
             f'<a href="{go.format(1)}">首 页</a> <a href="{go.format(current + 1)}">下一页</a> '
             f'<a href="{go.format(pages)}">尾 页</a></td></tr></table>')
    return f'<table width="100%" class="tb_main">{body}</table>{pager}'


ROWS = [("/art/2026/4/13/art_97741_10361274.html", "关于印发某方案的通知", "2026-04-13"),
        ("http://www.example.gov.cn/art/2026/4/9/art_97741_10361201.html", "某办法", "2026-04-09"),
        ("http://evil.example.com/art/2026/4/9/art_1_2.html", "外站", "2026-04-09"),  # off-site
        ("/module/xxgk/tree.jsp?area=11150000", "目录", "")]


def currpages(page) -> list[list[str]]:
    return [parse_qs(urlsplit(p.url).query, keep_blank_values=True)["currpage"]
            for p in page.next_pages]


def test_search_jsp_rows_and_every_page_of_the_pager():
    page = parse_xxgk(SEARCH, search_answer(ROWS, 1, 4, 70))
    assert page.articles == ["http://www.example.gov.cn/art/2026/4/13/art_97741_10361274.html",
                             "http://www.example.gov.cn/art/2026/4/9/art_97741_10361201.html"]
    assert currpages(page) == [["2", "2"], ["3", "3"], ["4", "4"]]  # both copies of currpage
    query = parse_qs(urlsplit(page.next_pages[0].url).query, keep_blank_values=True)
    assert query["area"] == ["11150000"] and query["sortfield"] == ["compaltedate:0"]
    assert page.next_pages[0].method == "GET"
    later = parse_xxgk(page.next_pages[0].url, search_answer(ROWS, 2, 4, 70))
    assert len(later.articles) == 2 and later.next_pages == []


def test_search_custom_jsp_items_and_bounds():
    url = ("http://www.shandong.gov.cn/module/xxgk/search_custom.jsp?fields=&fieldConfigId=247732"
           "&sortfield=compaltedate:0&currpage=1&binlay=")
    items = "".join(
        f'<div class="wip_lists"><a href="http://www.shandong.gov.cn/art/2016/12/{d}/'
        f'art_97741_5385{d}.html?xxgkhide=1" title="通知{d}" target="_blank">\n\t\t\t 通知{d}</a>'
        f"<span>2016-12-{d}</span></div>" for d in (20, 21))
    page = parse_list("hanweb", url, items + "<div>第1页/共5835页</div>")
    assert page.articles == [
        f"http://www.shandong.gov.cn/art/2016/12/{d}/art_97741_5385{d}.html?xxgkhide=1"
        for d in (20, 21)]
    assert len(page.next_pages) == 499  # GOVARC_MAX_LIST_PAGES of 500, page 1 in hand
    assert parse_xxgk(url, "<p>没有记录</p>第1页/共3页").next_pages == []  # no rows, no walk
    assert parse_xxgk(url, items + " " * (5 * 1024 * 1024)).articles == []
    assert parse_xxgk(url.replace("currpage=1", "currpage=x"), items + "共2页").next_pages != []
    assert not is_xxgk_url("http://h/module/xxgk/tree.jsp?area=1")


def test_the_registry_selects_the_xxgk_adapter_by_the_section_url():
    sd = load_registry()["sd"]
    (section,) = [s for s in sd.sections if s.id == "xxgk"]
    assert is_xxgk_url(section.url) and sd.owns(section.url)
    answer = search_answer([(h.replace("www.example.gov.cn", "www.shandong.gov.cn"), t, d)
                            for h, t, d in ROWS], 1, 3, 50)
    page = parse_list(sd.cms, section.url, answer)
    assert len(page.articles) == 2 and all(sd.owns(u) for u in page.articles)
    assert [p.url for p in page.next_pages if not sd.owns(p.url)] == []
    assert len(page.next_pages) == 2


def test_registry_sections_are_unique_owned_and_sourced():
    registry = load_registry()
    added = {("gov", "zcwjk_gw"), ("bj", "zcfg"), ("sh", "nw12344"), ("gd", "wjk"),
             ("yn", "zxwj"), ("sd", "xxgk"), ("js", "col84242"), ("zj", "col1544911")}
    present = {(p.id, s.id) for p in registry.values() for s in p.sections}
    assert added <= present
    urls = [s.url for p in registry.values() for s in p.sections]
    assert len(urls) == len(set(urls))


@pytest.mark.parametrize("pattern", [_PAGE_COUNT, _GO_PAGE])
def test_pager_patterns_are_linear(pattern):
    """A megabyte of near-misses (an opening with no closing) is read in one pass."""
    units = ("共" + " " * 20 + "1" * 6, "funGoPage( '" + "a" * 200, "funGoPage('x', 1" + " " * 20)
    for unit in units:
        started = time.perf_counter()
        for _ in pattern.finditer(unit * (1_000_000 // len(unit))):
            pass
        assert time.perf_counter() - started < 0.5
