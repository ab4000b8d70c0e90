"""The imitated portals, their columns and the fixed facts printed in their pages."""

from __future__ import annotations

from .specs import PortalSpec, SectionSpec

YN = PortalSpec(
    id="sample-yn",
    name="云南省人民政府",
    cms="trs",
    site_id_code="5300000033",
    domain="www.yn.gov.cn",
    sections=[
        SectionSpec("ynyw", "云南要闻", "/ywdt/ynyw/"),
        SectionSpec("bmdt", "部门动态", "/ywdt/bmdt/"),
        SectionSpec("zsdt", "州市动态", "/ywdt/zsdt/"),
    ],
)

ZJ = PortalSpec(
    id="sample-zj",
    name="浙江省人民政府",
    cms="hanweb",
    site_id_code="3300000055",
    domain="www.zj.gov.cn",
    sections=[
        SectionSpec("zjyw", "浙江要闻", "/col/col1554467/index.html"),
        SectionSpec("zwdt", "政务动态", "/col/col1545696/index.html"),
        SectionSpec("sxdt", "市县动态", "/col/col1545697/index.html", encoding="gbk"),
    ],
)

JS = PortalSpec(
    id="sample-js",
    name="江苏省人民政府",
    cms="jpaas",
    site_id_code="3200000063",
    domain="www.jiangsu.gov.cn",
    sections=[
        SectionSpec("jsyw", "江苏要闻", "/col/col76841/index.html"),
        SectionSpec("dqdt", "地区动态", "/col/col76842/index.html"),
    ],
)

GD = PortalSpec(
    id="sample-gd",
    name="广东省人民政府",
    cms="generic",
    site_id_code="4400000118",
    domain="www.gd.gov.cn",
    sections=[
        SectionSpec("gdyw", "广东要闻", "/gdywdt/gdyw/"),
        SectionSpec("dsdt", "地市动态", "/gdywdt/dsdt/"),
    ],
)

SN = PortalSpec(
    id="sample-sn",
    name="陕西省人民政府",
    cms="trs",
    site_id_code="6100000035",
    domain="www.shaanxi.gov.cn",
    sections=[
        SectionSpec("sxyw", "陕西要闻", "/xw/sxyw/list.shtml"),
        SectionSpec("sqdt", "市区动态", "/xw/sqdt/list.shtml"),
        SectionSpec("bmxx", "部门信息", "/xw/bmxx/list.shtml"),
        SectionSpec("zcjd", "政策解读", "/zwgk/zcjd/list.shtml"),
    ],
    note="bundled sample portal (TRS WCM, newer pager; challenge-protected sections)",
)

# A copy of www.yn.gov.cn on a host of its own: the pages keep 云南省人民政府's name, ICP
# number and SiteIDCode, the registry knows it under its own host and no SiteIDCode.
MIRROR = PortalSpec(
    id="sample-mirror",
    name="云南省人民政府（镜像站）",
    cms="trs",
    site_id_code="",
    domain="www.yn-gov-cn.example.com",
    sections=[SectionSpec("zsdt", "州市动态", "/ywdt/zsdt/")],
    mirror_of="sample-yn",
    note="mirror of sample-yn",
)

# Behind JavaScript walls (crawler/sample_portal/walled.py): the customs portal's URLs.
HG = PortalSpec(
    id="sample-hg",
    name="中华人民共和国海关总署",
    cms="generic",
    site_id_code="bm28000001",
    domain="www.customs.gov.cn",
    sections=[
        SectionSpec("hgyw", "海关要闻", "/customs/xwfb34/302425/index.html"),
        SectionSpec("tzgg", "通知公告", "/customs/302249/302266/index.html"),
        SectionSpec("sjfb", "数据发布", "/customs/302249/302274/index.html", fetch="browser"),
    ],
    note="bundled sample portal (behind walls: 加速乐-like 521 on the site, 瑞数-like 412 "
         "with a token per request on 通知公告, 数据发布's list written by script)",
)

# 政府信息公开 (crawler/sample_portal/policy.py): policy documents with info tables and
# attachments in every format, after www.gov.cn's 政策文件库 and the TRS 信息公开 template.
GOV = PortalSpec(
    id="sample-gov",
    name="中国政府网",
    cms="generic",
    site_id_code="bm01000001",
    domain="www.gov.cn",
    sections=[
        SectionSpec("zcwj", "政策文件", "/zhengce/zhengceku/index.htm"),
        SectionSpec("gfxwj", "规范性文件", "/zhengce/gfxwj/index.htm"),
    ],
    note="bundled sample portal (政府信息公开: info tables, PDF/DOCX/DOC/WPS/XLSX/OFD "
         "attachments)",
)

PORTALS: list[PortalSpec] = [YN, ZJ, JS, GD, SN, MIRROR, HG, GOV]

# Registry notes by CMS family, for the portals without a note of their own.
NOTES = {
    "trs": "bundled sample portal (TRS WCM style)",
    "hanweb": "bundled sample portal (Hanweb JCMS style)",
    "jpaas": "bundled sample portal (Hanweb JPaaS style)",
    "generic": "bundled sample portal (generic CMS, 下一页 paging)",
}
# Hanweb column id and jpage unit id of each column.
HANWEB_COLUMNS: dict[str, tuple[int, int]] = {
    "zjyw": (1554467, 7706),
    "zwdt": (1545696, 7711),
    "sxdt": (1545697, 7712),
}
HANWEB_WEBID = 3185
HANWEB_PER_PAGE = 15
HANWEB_GROUP_SIZE = 3

YN_FOOTER = {
    "host": "云南省人民政府办公厅",
    "operator": "云南网",
    "hotline": "12345",
    "icp": "滇ICP备05000002号",
    "police": "滇公网安备 53010202000476号",
    "police_code": "53010202000476",
}

ZJ_FOOTER = {
    "host": "浙江省人民政府办公厅",
    "operator": "浙江省大数据发展管理局",
    "hotline": "12345",
    "icp": "浙ICP备05003490号",
    "police": "浙公网安备 33010602000005号",
    "police_code": "33010602000005",
}

# Column descriptions used by the ColumnDescription/ColumnKeywords meta tags.
COLUMN_INFO: dict[str, tuple[str, str]] = {
    "ynyw": ("发布云南省重要政务信息和全省经济社会发展动态", "云南要闻,政务要闻,云南省人民政府"),
    "bmdt": ("发布省直各部门工作动态", "部门动态,省直部门,工作动态"),
    "zsdt": ("发布全省16个州（市）政务动态", "州市动态,州市,政务动态"),
    "zjyw": ("发布浙江省重要政务信息", "浙江要闻,政务要闻"),
    "zwdt": ("发布省级部门政务动态", "政务动态,省级部门"),
    "sxdt": ("发布全省各市县政务动态", "市县动态,市县"),
}

# --- Hanweb JPaaS (sample-js) ----------------------------------------------------------------

JPAAS_WEBID = "1079"
JPAAS_TPLSET = "5d9a8fd4a9c7450fb4a1a2e4c0f0b5a9"
JPAAS_PAGE_SIZE = 15
# JPaaS column -> (column id, page id, tag id).
JPAAS_COLUMNS: dict[str, tuple[int, str, str]] = {
    "jsyw": (76841, "305491", "当前栏目list"),
    "dqdt": (76842, "305492", "地区动态"),
}

JS_FOOTER = {
    "host": "江苏省人民政府办公厅",
    "operator": "江苏省大数据管理中心",
    "hotline": "12345",
    "icp": "苏ICP备05003489号",
    "police": "苏公网安备 32000002010006号",
    "police_code": "32000002010006",
}

GD_FOOTER = {
    "host": "广东省人民政府办公厅",
    "operator": "数字广东网络建设有限公司",
    "hotline": "12345",
    "icp": "粤ICP备05070829号",
    "police": "粤公网安备 44010402001305号",
    "police_code": "44010402001305",
}

SN_FOOTER = {
    "host": "陕西省人民政府办公厅",
    "operator": "陕西省大数据集团",
    "hotline": "12345",
    "icp": "陕ICP备05004632号-1",
    "police": "陕公网安备 61010302000131号",
    "police_code": "61010302000131",
}

# ColumnDescription/ColumnKeywords of the new portals' columns, by (portal id, column id).
NEW_COLUMN_INFO: dict[tuple[str, str], tuple[str, str]] = {
    ("sample-js", "jsyw"): ("发布江苏省重要政务信息", "江苏要闻,政务要闻"),
    ("sample-js", "dqdt"): ("发布全省各设区市政务动态", "地区动态,设区市"),
    ("sample-gd", "gdyw"): ("发布广东省重要政务信息", "广东要闻,政务要闻"),
    ("sample-gd", "dsdt"): ("发布全省各地市政务动态", "地市动态,地市"),
    ("sample-sn", "sxyw"): ("发布陕西省重要政务信息", "陕西要闻,政务要闻"),
    ("sample-sn", "sqdt"): ("发布全省各市区政务动态", "市区动态"),
    ("sample-sn", "bmxx"): ("发布省级部门工作信息", "部门信息"),
    ("sample-sn", "zcjd"): ("发布政策解读", "政策解读"),
    ("sample-hg", "hgyw"): ("发布海关总署重要新闻", "海关要闻,海关总署"),
    ("sample-hg", "tzgg"): ("发布海关总署通知公告", "通知公告"),
    ("sample-hg", "sjfb"): ("发布海关统计数据", "数据发布,海关统计"),
}
