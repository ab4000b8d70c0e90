"""sample-gov: 政府信息公开 sections, policy documents with info tables and attachments.

Modelled on www.gov.cn's 政策文件库 (detail pages with the 索 引 号 / 主题分类 / 发文机关 /
成文日期 / 标题 / 发文字号 / 发布日期 table above the body) and on the TRS 政府信息公开
template many provinces use for 规范性文件 (a two-column table: 索引号, 发布机构, 文号,
成文日期, 主题分类, 体裁分类, 有效性, 发布日期, 名称, 关键词). The documents' attachments
are real files: Chinese PDFs with a text layer, an image-only scan, DOCX, DOC, WPS, XLSX
and OFD; `ATTACHMENT_WORDS` are words found only inside one attachment each. With
`bad_documents` a further notice links each bad document a crawler must survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from . import documents as docs
from .binaries import DOCX_MIME, PDF_MIME, make_docx
from .chrome import article_meta, meta_tags, simple_meta, site_meta
from .htmlkit import attr, esc
from .msdoc import word97
from .portals import GOV
from .resource import ROBOTS, STATIC_TIME, PortalRoutes, Resource, published
from .specs import ArticleDetail, ArticleSpec, AttachmentSpec, Block, ListItem, SampleSite
from .text import body_text

HTML_TYPE = "text/html; charset=utf-8"
PER_PAGE = 4
# A word that occurs in one attachment and nowhere else on the sample site, by format.
ATTACHMENT_WORDS = {"pdf": "琥珀滇池", "docx": "翡翠梯田", "doc": "玛瑙茶马", "ofd": "水晶古道",
                    "xlsx": "青铜鼓韵", "wps": "白银花海"}
MIMES = {"pdf": PDF_MIME, "docx": DOCX_MIME, "doc": docs.DOC_MIME, "wps": docs.WPS_MIME,
         "xlsx": docs.XLSX_MIME, "ofd": docs.OFD_MIME, "ceb": "application/octet-stream"}


@dataclass(frozen=True)
class PolicyDoc:
    """A policy document: its page's labels and info table, and its attachments
    (format, name shown); `form` is the info table's template (zhengceku or xxgk)."""

    section: str
    ident: int
    title: str
    issuer: str
    number: str  # 文号 as the page prints it
    written: str  # 成文日期, ISO
    published: str  # ISO with time
    topic: str
    genre: str
    validity: str
    keywords: str
    index: str
    attachments: tuple[tuple[str, str], ...] = ()


DOCUMENTS = (
    PolicyDoc("zcwj", 31, "国务院办公厅关于进一步优化政务服务提升行政效能的意见", "国务院办公厅",
              "国办发〔2026〕12号", "2026-03-28", "2026-04-02T16:35:00+08:00",
              "国务院组织机构\\其他", "意见", "有效", "政务服务,行政效能",
              "000014349/2026-00031", (("pdf", "重点任务分工方案.pdf"),)),
    PolicyDoc("zcwj", 27, "国务院关于印发《新时代乡村全面振兴规划（2026—2030年）》的通知",
              "国务院", "国发〔2026〕7号", "2026-03-11", "2026-03-20T10:00:00+08:00",
              "农业、林业、水利\\其他", "通知", "有效", "乡村振兴,规划",
              "000014349/2026-00027", (("docx", "规划实施细则.docx"), ("doc", "任务清单.doc"))),
    PolicyDoc("zcwj", 22, "国务院办公厅关于加强公共数据资源开发利用的指导意见", "国务院办公厅",
              "国办发[2026]5号", "2026-02-26", "2026-03-03T09:20:00+08:00",
              "科技、教育\\科技", "意见", "有效", "公共数据,开发利用",
              "000014349/2026-00022", (("ofd", "公共数据目录.ofd"),)),
    PolicyDoc("zcwj", 18, "国务院关于修改和废止部分行政法规的决定", "国务院",
              "国令第812号", "2026-02-10", "2026-02-14T15:00:00+08:00",
              "综合政务\\其他", "决定", "有效", "行政法规",
              "000014349/2026-00018", (("xlsx", "修改和废止目录.xlsx"), ("wps", "对照表.wps"))),
    PolicyDoc("zcwj", 9, "国务院办公厅关于做好2026年春节期间有关工作的通知", "国务院办公厅",
              "国办发明电【2026】2号", "2026-01-20", "2026-01-22T18:10:00+08:00",
              "综合政务\\其他", "通知", "失效", "春节,值班",
              "000014349/2026-00009", (("scan", "扫描件.pdf"),)),
    PolicyDoc("gfxwj", 406, "云南省人民政府办公厅关于印发云南省促进民营经济发展若干措施的通知",
              "云南省人民政府办公厅", "云政办规〔2026〕3号", "2026-03-05",
              "2026-03-12T11:00:00+08:00", "经济管理\\其他", "通知", "有效",
              "民营经济,营商环境", "11530000015141300X/2026-00406",
              (("pdf", "若干措施.pdf"),)),
    PolicyDoc("gfxwj", 388, "云南省人民政府关于废止部分省政府规范性文件的决定", "云南省人民政府",
              "云政规(2026)1号", "2026-01-15", "2026-01-19T09:00:00+08:00",
              "综合政务\\其他", "决定", "有效", "规范性文件,清理",
              "11530000015141300X/2026-00388", ()),
    PolicyDoc("gfxwj", 251, "云南省人民政府办公厅关于印发云南省城镇燃气安全管理办法的通知",
              "云南省人民政府办公厅", "云政办规〔2023〕9号", "2023-10-30",
              "2023-11-06T10:30:00+08:00", "城乡建设、环境保护\\城市规划", "通知", "废止",
              "燃气,安全管理", "11530000015141300X/2023-00251", ()),
)
# The notice that links every bad document (served only with `bad_documents`), and what
# each should end as: (format, name shown, builder, the failure kind).
BAD_DOC = PolicyDoc("gfxwj", 420, "云南省人民政府办公厅关于公开征求意见的通知（附件汇编）",
                    "云南省人民政府办公厅", "云政办函〔2026〕44号", "2026-04-08",
                    "2026-04-10T09:00:00+08:00", "综合政务\\其他", "通知", "有效", "征求意见",
                    "11530000015141300X/2026-00420")
BAD_DOCUMENTS: tuple[tuple[str, str, Callable[[], bytes], str], ...] = (
    ("pdf", "加密文件.pdf", lambda: docs.cjk_pdf([["加密的正文"]], encrypt=True), "encrypted"),
    ("doc", "加密文件.doc", lambda: word97(["加密的正文"], encrypted=True), "encrypted"),
    ("docx", "残缺文件.docx", lambda: docs.truncated(make_docx(["残缺的正文"] * 200)), "corrupt"),
    ("pdf", "残缺文件.pdf", lambda: docs.truncated(docs.cjk_pdf([["残缺"]] * 40)), "corrupt"),
    ("docx", "压缩炸弹.docx", docs.docx_bomb, "zip-bomb"),
    ("pdf", "统计年鉴.pdf", lambda: docs.cjk_pdf([[f"第{n}页 统计资料"] for n in range(1, 501)]),
     "too-large"),
    ("xlsx", "百万单元格.xlsx", docs.million_cells, "too-large"),
    ("ceb", "旧版文件.ceb", lambda: b"CEBX\x02\x00" + bytes(2048), "unsupported"),
)


def _directory(section_id: str) -> str:
    return GOV.section(section_id).path.rsplit("/", 1)[0] + "/"


def _path(doc: PolicyDoc) -> str:
    day = doc.published[:10].replace("-", "")
    return f"{_directory(doc.section)}{day[:6]}/content_{7_100_000 + doc.ident}.htm"


def _attachment_path(doc: PolicyDoc, number: int, fmt: str) -> str:
    ext = "pdf" if fmt == "scan" else fmt
    return f"{_path(doc).rsplit('/', 1)[0]}/{7_100_000 + doc.ident}/files/P0{number}.{ext}"


def _date_cn(iso: str) -> str:
    return f"{iso[:4]}年{iso[5:7]}月{iso[8:10]}日"


def _blocks(doc: PolicyDoc) -> tuple[Block, ...]:
    addressee = ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
                 if doc.section == "zcwj" else "各州、市人民政府，省直各委、办、厅、局：")
    subject = doc.title.split("关于", 1)[-1].removesuffix("的通知").removesuffix("的意见")
    paragraphs = [
        addressee,
        f"为深入贯彻落实党中央、国务院决策部署，做好{subject}有关工作，经研究同意，现提出如下要求。",
        f"一、提高思想认识。各地区各部门要把{doc.keywords.split(',')[0]}工作摆在重要位置，"
        "加强组织领导，明确责任分工，确保各项任务落到实处。",
        "二、加强统筹协调。要建立健全工作机制，强化部门协同和上下联动，及时研究解决工作中遇到的"
        "困难和问题，重大事项及时报告。",
        "三、强化督促落实。要加强跟踪问效，定期开展评估，对工作推进不力的予以通报，"
        "确保取得实效。",
        doc.issuer,
        _date_cn(doc.written),
        "（此件公开发布）",
    ]
    return tuple(Block("p", text=p) for p in paragraphs)


def document_fields(doc: PolicyDoc) -> dict[str, str | None]:
    """The document fields an extractor should read from the page (columns of articles):
    the 政策文件库 table shows no 体裁, 有效性 or 关键词."""
    number = doc.number
    for left, right in (("[", "]"), ("【", "】"), ("(", ")"), ("（", "）")):
        number = number.replace(left, "〔").replace(right, "〕")
    full = doc.section != "zcwj"
    return {"doc_index": doc.index, "doc_issuer": doc.issuer, "doc_number": number,
            "doc_written": doc.written, "doc_published": doc.published[:10],
            "doc_topic": doc.topic, "doc_genre": doc.genre if full else None,
            "doc_validity": doc.validity if full else None,
            "doc_keywords": doc.keywords if full else None}


def _spec(doc: PolicyDoc) -> ArticleSpec:
    attachments = [AttachmentSpec(_attachment_path(doc, n, fmt), name,
                                  MIMES["pdf" if fmt == "scan" else fmt])
                   for n, (fmt, name) in enumerate(doc.attachments, start=1)]
    return ArticleSpec(portal_id=GOV.id, section_ids=(doc.section,), path=_path(doc),
                       title=doc.title, kicker=None, published_at=doc.published,
                       source=doc.issuer, author=None, text=body_text(_blocks(doc)),
                       attachments=attachments, document=document_fields(doc))


def add_policy_portal(builder: object) -> None:
    """Add sample-gov's documents and lists to the site being built (site._Builder)."""
    for doc in DOCUMENTS:
        spec = _spec(doc)
        builder.articles.append(spec)  # type: ignore[attr-defined]
        builder.details[(GOV.id, spec.path)] = ArticleDetail(  # type: ignore[attr-defined]
            blocks=_blocks(doc), style=0, keywords=doc.keywords,
            description=doc.title[:80], editor="", views=0)
        when = datetime.fromisoformat(doc.published)
        builder.lists.setdefault((GOV.id, doc.section), []).append(  # type: ignore[attr-defined]
            (when, ListItem(spec.path, doc.title, doc.published[:10])))


# -- templates ------------------------------------------------------------------------------------
def _head(title: str, metas: list[tuple[str, str]]) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
{meta_tags([*site_meta(GOV), *metas])}
<title>{esc(title)}</title>
</head>
<body>
<div class="header"><div class="logo"><a href="/">中国政府网</a></div>
<div class="nav"><a href="/">首页</a>{''.join(f'<a href="{attr(s.list_path)}">{esc(s.name)}</a>'
                                          for s in GOV.sections)}</div></div>
"""


_FOOT = """<div class="footer"><p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p>
<p>版权所有：中国政府网　<a href="https://beian.miit.gov.cn/">京ICP备05070218号</a>　\
<a href="http://www.beian.gov.cn/">京公网安备11010202000001号</a>　网站标识码：bm01000001</p></div>
</body>
</html>
"""


def page_name(section_id: str, number: int) -> str:
    return _directory(section_id) + ("index.htm" if number == 1 else f"index_{number - 1}.htm")


def list_page(section_id: str, items: list[ListItem], number: int, pages: int) -> str:
    section = GOV.section(section_id)
    lis = "\n".join(f'<li><h4><a href="{attr(i.path)}" target="_blank">{esc(i.title)}</a>'
                    f'<span class="date">{i.date}</span></h4></li>' for i in items)
    pager = f"<span>第{number}页 共{pages}页</span>"
    if number < pages:
        pager += f' <a href="{attr(page_name(section_id, number + 1))}">下一页</a>'
    return _head(f"{section.name}_中国政府网", simple_meta(section.name)) + f"""\
<div class="list list_1 list_2"><div class="channel_tab">{esc(section.name)}</div>
<ul>
{lis}
</ul>
<div class="pager">{pager}</div></div>
""" + _FOOT


def _zhengceku_table(doc: PolicyDoc) -> str:
    return f"""<div class="policyLibraryOverview_header">
<table class="bd1" cellspacing="1" cellpadding="8" width="100%">
<tr><td class="b12c" nowrap><b>索 引 号：</b></td><td>{esc(doc.index)}</td>
<td class="b12c" nowrap><b>主题分类：</b></td><td>{esc(doc.topic)}</td></tr>
<tr><td class="b12c"><b>发文机关：</b></td><td>{esc(doc.issuer)}</td>
<td class="b12c"><b>成文日期：</b></td><td>{_date_cn(doc.written)}</td></tr>
<tr><td class="b12c"><b>标　　题：</b></td><td colspan="3">{esc(doc.title)}</td></tr>
<tr><td class="b12c"><b>发文字号：</b></td><td>{esc(doc.number)}</td>
<td class="b12c"><b>发布日期：</b></td><td>{_date_cn(doc.published)}</td></tr>
</table></div>"""


def _xxgk_table(doc: PolicyDoc) -> str:
    rows = (("索引号", doc.index, "发布机构", doc.issuer),
            ("文号", doc.number, "成文日期", doc.written),
            ("主题分类", doc.topic, "体裁分类", doc.genre),
            ("有效性", doc.validity, "发布日期", doc.published[:10]))
    cells = "\n".join(f"<tr><th>{a}：</th><td>{esc(b)}</td><th>{c}：</th><td>{esc(d)}</td></tr>"
                      for a, b, c, d in rows)
    return f"""<div class="xxgk_table"><table class="table_xxgk">
{cells}
<tr><th>名称：</th><td colspan="3">{esc(doc.title)}</td></tr>
<tr><th>关键词：</th><td colspan="3">{esc(doc.keywords)}</td></tr>
</table></div>"""


def article_page(doc: PolicyDoc, attachments: list[AttachmentSpec]) -> str:
    path = _path(doc)
    body = "\n".join(f"<p>{esc(b.text)}</p>" for b in _blocks(doc))
    table = _zhengceku_table(doc) if doc.section == "zcwj" else _xxgk_table(doc)
    links = "".join(f'<p>附件{n}：<a href="{attr(a.path)}">{esc(a.filename)}</a></p>'
                    for n, a in enumerate(attachments, start=1))
    pub = doc.published
    metas = [*simple_meta(GOV.section(doc.section).name),
             *article_meta(GOV, path, doc.title, pub, doc.issuer, doc.keywords, "",
                           doc.title[:80])]
    return _head(f"{doc.title}_{GOV.section(doc.section).name}_中国政府网", metas) + f"""\
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; \
<a href="{attr(GOV.section(doc.section).list_path)}">{esc(GOV.section(doc.section).name)}</a></div>
{table}
<div class="article oneColumn pub_border">
<h1>{esc(doc.title)}</h1>
<div class="pages-date">{pub[:10]} {pub[11:16]}　来源：{esc(doc.issuer)}
<span class="font">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span></div>
<div class="pages_content" id="UCAP-CONTENT">
{body}
</div>
{f'<div class="attachment">{links}</div>' if links else ''}
<div class="editor">【我要打印】【关闭窗口】</div>
</div>
""" + _FOOT


def _holder(fmt: str) -> int | None:
    """The document whose attachment of this format holds the format's word (the first)."""
    return next((d.ident for d in DOCUMENTS if any(f == fmt for f, _ in d.attachments)), None)


def attachment_body(doc: PolicyDoc, fmt: str) -> bytes:
    """The file of one attachment: lines about its document (and, in the first attachment
    of each format, that format's word)."""
    word = ATTACHMENT_WORDS.get(fmt, "") if _holder(fmt) == doc.ident else ""
    lines = [f"附件：{doc.title}", f"{word}专项工作安排" if word else "",
             f"{doc.issuer} {_date_cn(doc.written)}"]
    lines = [line for line in lines if line]
    if fmt == "pdf":
        return docs.cjk_pdf([lines, ["（第二页）各地区各部门要认真组织实施。"]])
    if fmt == "scan":
        return docs.image_pdf(2)
    if fmt == "docx":
        return make_docx(lines)
    if fmt in ("doc", "wps"):
        return word97(lines)
    if fmt == "ofd":
        return docs.make_ofd([lines, ["（第二页）"]])
    if fmt == "xlsx":
        return docs.make_xlsx([["序号", "事项", "牵头单位"], [1, lines[1], doc.issuer]])
    raise ValueError(fmt)


def _download(body: bytes, spec: AttachmentSpec, when: datetime) -> Resource:
    name = spec.path.rsplit("/", 1)[-1]
    return Resource(body, spec.mime, when, compressible=False,
                    extra_headers=(("Content-Disposition", f'attachment; filename="{name}"'),))


def build_routes(site: SampleSite, portal: object = GOV, bad_documents: bool = False
                 ) -> PortalRoutes:
    """Every page of sample-gov (with `bad_documents`, the notice linking them too)."""
    routes = PortalRoutes(GOV)
    articles = {a.path: a for a in site.articles if a.portal_id == GOV.id}
    newest = max(published(a) for a in articles.values())
    routes.pages["/robots.txt"] = Resource(ROBOTS.encode("ascii"), "text/plain", STATIC_TIME)
    home = (_head("中国政府网_中央人民政府门户网站", simple_meta("首页"))
            + "".join(f'<p><a href="{attr(s.list_path)}">{esc(s.name)}</a></p>'
                      for s in GOV.sections) + _FOOT)
    for path in ("/", "/index.htm"):
        routes.pages[path] = Resource(home.encode("utf-8"), HTML_TYPE, newest)
    lists = {s.id: list(site.lists[(GOV.id, s.id)]) for s in GOV.sections}
    for doc in DOCUMENTS:
        spec = articles[_path(doc)]
        when = published(spec)
        routes.pages[spec.path] = Resource(
            article_page(doc, spec.attachments).encode("utf-8"), HTML_TYPE, when)
        for (fmt, _name), attachment in zip(doc.attachments, spec.attachments, strict=True):
            routes.pages[attachment.path] = _download(attachment_body(doc, fmt), attachment,
                                                      when)
    if bad_documents:
        when = datetime.fromisoformat(BAD_DOC.published).astimezone(UTC)
        specs = [AttachmentSpec(_attachment_path(BAD_DOC, n, fmt), name, MIMES[fmt])
                 for n, (fmt, name, _build, _kind) in enumerate(BAD_DOCUMENTS, start=1)]
        routes.pages[_path(BAD_DOC)] = Resource(
            article_page(BAD_DOC, specs).encode("utf-8"), HTML_TYPE, when)
        for spec, (_fmt, _name, build, _kind) in zip(specs, BAD_DOCUMENTS, strict=True):
            routes.pages[spec.path] = _download(build(), spec, when)
        lists["gfxwj"].insert(0, ListItem(_path(BAD_DOC), BAD_DOC.title,
                                          BAD_DOC.published[:10]))
    for section_id, items in lists.items():
        pages = max(1, -(-len(items) // PER_PAGE))
        for number in range(1, pages + 1):
            chunk = items[(number - 1) * PER_PAGE: number * PER_PAGE]
            routes.pages[page_name(section_id, number)] = Resource(
                list_page(section_id, chunk, number, pages).encode("utf-8"), HTML_TYPE,
                newest)
    return routes


def bad_document_paths() -> dict[str, str]:
    """Path of each bad document -> the failure kind it should end as."""
    return {_attachment_path(BAD_DOC, n, fmt): kind
            for n, (fmt, _name, _build, kind) in enumerate(BAD_DOCUMENTS, start=1)}
