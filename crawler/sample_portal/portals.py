"""The two imitated portals, their columns and the fixed facts printed in their pages."""

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

PORTALS: list[PortalSpec] = [YN, ZJ]

NOTES = {
    "trs": "bundled sample portal (TRS WCM style)",
    "hanweb": "bundled sample portal (Hanweb JCMS style)",
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
