"""One reading of a government site's printed identity, for extraction and tamper watch."""

from __future__ import annotations

from archive.extract import metadata
from archive.site_identity import find_gongan, find_host_org, find_icp, find_site_code
from archive.tamper import check_page

FOOTER = ("主办单位：云南省人民政府办公厅 承办：云南省大数据中心\n"
          "滇ICP备 05000000号-1 滇公网安备 53010202000000号 政府网站标识码：5300000033")


def test_the_markers_are_read_once_for_both():
    assert find_icp(FOOTER) == "滇ICP备05000000号-1"
    assert find_icp("京ICP證030173号") == "京ICP證030173号"
    assert find_gongan(FOOTER) == "滇公网安备 53010202000000号"
    assert find_site_code(FOOTER) == "5300000033"
    assert find_site_code("网站标识码bm12000001") == "bm12000001"
    assert find_host_org(FOOTER) == "云南省人民政府办公厅"
    assert metadata.find_site_code({"siteidcode": "bad"}, FOOTER) == "5300000033"
    assert metadata.find_site_code({"siteidcode": "BM12000001"}, "") == "BM12000001"


def test_a_copy_on_a_foreign_host_is_seen_with_the_same_markers():
    page = f"<html><body><p>曲靖新闻</p><div class='footer'>{FOOTER}</div></body></html>"
    flags = check_page(page, "http://yn-gov.example.com/x.html",
                       portal_domains=("www.yn.gov.cn",), portal_site_id_code="5300000033",
                       portal_icp="滇ICP备05000000号")
    mirror = [f for f in flags if f.kind == "mirror"]
    assert len(mirror) == 1
    for marker in ("5300000033 (the portal's)", "滇ICP备05000000号-1 (the portal's)",
                   "滇公网安备 53010202000000号", "云南省人民政府办公厅"):
        assert marker in mirror[0].evidence
