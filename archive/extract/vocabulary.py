"""The extractor's words: labels, boilerplate markers, page-kind words, class-name hints.

A word list lives here; how a pattern arranges its words (spaces, brackets, colons, what
may follow) stays with the pattern in its module. Lists that feed a regex are tuples in
the order the regex tries them: where one word starts another (打印本页, 打印) the longer
comes first, because some patterns match them possessively (with no way back to try
another). Sets are frozensets. Words are plain text unless a comment says they are regex
fragments. Site identity (网站标识码, ICP, 公网安备, 主办单位 values) is
``archive.site_identity``'s; the tamper watch's words are its lexicon
(``archive/tamper_lexicon.toml``).
"""

from __future__ import annotations

from collections.abc import Iterable


def alternatives(words: Iterable[str]) -> str:
    """The words as regex alternatives, in their order (no group around them)."""
    return "|".join(words)


# --- the metadata line under a headline (boilerplate.py, metadata.py) ---------------------

# Every label of the metadata line (发布时间：… 来源：… 浏览次数：…): finds the line and ends
# a labelled value where the next label starts.
META_LABELS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "更新时间", "发文日期", "成文日期",
    "生成日期", "信息来源", "文章来源", "稿件来源", "新闻来源", "来源", "作者", "撰稿", "浏览次数",
    "浏览量", "访问量", "访问次数", "点击数", "点击量", "点击次数", "阅读次数", "阅读量",
    "文章类型", "时间", "日期", "字号", "字体",
)
# Labels that make a short line a metadata line on their own when it starts with one
# (META_LABELS without the generic 时间/日期 and the rarer forms).
STRONG_META_LABELS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "更新时间", "信息来源", "文章来源",
    "稿件来源", "新闻来源", "来源", "作者", "浏览次数", "浏览量", "访问量", "点击数", "点击量",
    "阅读次数", "字号", "字体",
)
# 来源 labels, whose value is the displayed source.
SOURCE_LABELS = ("信息来源", "文章来源", "稿件来源", "新闻来源", "来源")
# 作者 labels, whose value is the displayed author.
AUTHOR_LABELS = ("作者", "撰稿")
# Page controls that end a labelled value printed on the same line (来源：X 字体：大 中 小).
VALUE_END_WORDS = ("字体", "字号", "打印", "分享", "浏览", "点击", "阅读", "扫一扫")
# Date labels by priority (0 first): the publication date over 生成/成文/更新 dates, and a
# bare 时间/日期 last.
DATE_LABELS = (
    (0, ("发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "公开日期", "公布日期",
         "上线时间")),
    (1, ("发文日期", "印发日期", "生成日期")),
    (2, ("成文日期", "更新时间", "更新日期")),
    (3, ("时间", "日期")),
)
# Labels of a document's own dates (成文/生成/印发/发文日期: when it was written, generated
# in the disclosure catalogue, issued), not of the page's publication: where one is the
# best labelled date near the headline, a 发布日期 shown elsewhere on the page is the
# publication date (DATE_LABELS priority 0 are the publication's labels).
DOCUMENT_DATE_LABELS = frozenset({"成文日期", "生成日期", "印发日期", "发文日期"})
# <meta> names read for the publication date when the page displays none, in this order.
DATE_META_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time",
                   "publish_time", "pubtime", "dc.date", "date")
# <meta> values that mean "no value" (CMS templates print them for empty fields).
EMPTY_META_VALUES = frozenset({"", "null", "none", "undefined", "无"})

# --- lines and boxes that are never article text (boilerplate.py) -------------------------

# Editor and review credits (责任编辑：张三) printed under an article.
EDITOR_LABELS = ("责任编辑", "责编", "编辑", "审核", "审校", "校对", "终审", "初审", "复审", "签发",
                 "监制", "值班编辑")
# Previous/next article links.
PREV_NEXT_LABELS = ("上一篇", "下一篇", "上一条", "下一条")
# Heads of related-link and attachment boxes; as a line (with what follows) it is dropped,
# as the first text of a block the block is a boilerplate box.
RELATED_HEADS = ("相关链接", "相关文档", "相关文件", "相关新闻", "相关阅读", "相关稿件", "相关解读",
                 "相关附件", "关联稿件", "延伸阅读", "附件下载")
# Further box heads (after RELATED_HEADS: 附件下载 must be tried before 附件).
BOX_ONLY_HEADS = ("附件", "上一篇", "下一篇")
# Extensions that make 附件… a line naming a file (regex fragments: docx? is doc or docx).
# Not attachments.EXTENSIONS: this list has txt and lacks ceb/ppt/7z/csv.
ATTACHMENT_LINE_EXTENSIONS = ("pdf", "docx?", "xlsx?", "wps", "et", "ofd", "zip", "rar", "txt")
# QR-code prompts (扫一扫 打开手机版).
QR_PROMPTS = ("扫一扫", "扫一下", "微信扫一扫", "手机扫描", "用微信扫")
# Where 分享至/分享到 sends a page.
SHARE_TARGETS = ("朋友圈", "微信", "微博", "QQ")
# Share buttons, a line of them being a share bar.
SOCIAL_SITES = ("QQ空间", "QQ好友", "新浪微博", "腾讯微博", "微信", "微博", "人人网", "豆瓣",
                "朋友圈")
# Print/close/favourite controls, a line made only of them (bracketed or not) dropped.
PAGE_CONTROLS = ("打印本页", "打印此页", "打印", "关闭窗口", "关闭本页", "关闭", "返回顶部",
                 "返回列表", "收藏本页", "收藏", "纠错", "我要纠错")
# Controls in brackets inside a short line ([打印] [关闭]); fewer than PAGE_CONTROLS.
BRACKETED_CONTROLS = ("打印本页", "打印此页", "关闭窗口", "关闭本页", "返回顶部", "打印", "关闭",
                      "收藏", "纠错")
# Controls alone on a line (all of them PAGE_CONTROLS too).
BARE_CONTROLS = ("打印本页", "关闭窗口", "返回顶部", "返回列表", "打印", "关闭", "收藏本页")
# Tool lines at either end of a body (打印页面 | 分享到:, 【关闭当前页面】, 访问次数：, 大 中 小,
# a share widget's X): a line made only of these tokens, dropped there and only there.
# Verbs of a page tool, each alone or with one of TOOL_OBJECTS (打印 + 当前页面).
TOOL_VERBS = ("打印", "关闭", "收藏", "返回", "纠错", "分享")
# What a tool verb acts on (longer first: 当前页面 before 页面 before 页).
TOOL_OBJECTS = ("当前页面", "当前页", "本页面", "本页", "此页", "页面", "窗口", "文章", "顶部",
                "列表", "到", "至")
# Counter labels whose value the page fills by script (访问次数：, 浏览次数：123).
COUNTER_LABELS = ("浏览次数", "浏览量", "访问次数", "访问量", "点击次数", "点击数", "点击量",
                  "阅读次数", "阅读量")
# Heads of a related-articles box left empty (相关文章: with nothing after it).
EMPTY_BOX_HEADS = ("相关文章", "相关信息", "相关推荐", "推荐阅读")
# Font-size switcher (字号 大 中 小): its label and its choices.
FONT_LABELS = ("字号", "字体")
FONT_SIZES = ("大", "中", "小")
# A close button drawn as a letter or a cross.
CLOSE_GLYPHS = ("X", "x", "×", "✕", "✖", "╳")
# Footer markers found anywhere in a line (copyright and registration lines).
FOOTER_MARKERS = ("ICP备", "公网安备", "网站标识码", "版权所有")
# Footer labels followed by a colon (主办单位：…).
FOOTER_LABELS = ("主办单位", "承办单位", "技术支持", "运行维护")
# Heads of a site's legal notice box.
NOTICE_HEADS = ("版权与免责声明", "版权和免责声明", "免责声明", "版权声明", "网站声明")
# Elements that can be a boilerplate box (related links, attachments, prev/next).
BOILERPLATE_BOX_TAGS = frozenset({"div", "ul", "ol", "dl", "section", "aside", "table", "p",
                                  "li", "span"})

# --- body scoring (body.py, pipeline.py) -------------------------------------------------

# Punctuation counted as a sign of prose in a block's own text.
PROSE_PUNCTUATION = "，。；！？、,;!?"
# Characters that end a sentence: a line with one is not a headline or deck.
SENTENCE_END_CHARS = "。！？；!?;"
# Class/id names of CMS body containers (TRS, Hanweb, UCAP …): a small score bonus.
BODY_CLASS_HINTS = (
    "trs_editor", "trs_ueditor", "zoom", "zoomcon", "content", "article", "artcon",
    "article-con", "article-content", "pages_content", "ucap-content", "zw", "text", "detail",
    "main-txt", "wenzhang-content", "conTxt", "news_content", "info-cont", "ivs_content",
    "cmsarticlecontent",
)
# Class/id name parts of page chrome: a small score penalty.
CHROME_CLASS_HINTS = (
    "nav", "menu", "footer", "foot", "header", "sidebar", "side", "related", "xgxw", "share",
    "comment", "breadcrumb", "crumb", "position", "location", "copyright", "link", "list",
    "recommend", "hot", "tab",
)
# Blocks that are one paragraph: their container should win over them.
PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "pre"})
# Class-name parts of headline elements (besides h1-h3): biaoti is 标题 in pinyin.
HEADLINE_CLASS_WORDS = ("title", "biaoti")

# --- page kind (pagekind.py, pipeline.py) ------------------------------------------------

# Labels of the 信息公开 (government information disclosure) metadata box.
INFO_BOX_LABELS = (
    "信息索引", "索引号", "索取号", "发布机构", "发文机关", "发文机构", "发文单位", "生成日期",
    "成文日期", "公开日期", "发文字号", "文件编号", "文号", "主题分类", "信息分类", "信息类别",
    "公开方式", "公开范围", "公开时限", "有效性", "效力状态", "效力状况", "时效性", "体裁分类",
    "组配分类", "公文种类", "主题词", "所属机构", "发布日期", "信息名称", "标题", "名称", "关键词",
)
# Labels printed with spaces between their characters (索 引 号) and matched so.
SPACED_LABELS = frozenset({"索引号", "索取号", "文号", "有效性", "主题词", "标题", "名称",
                           "关键词", "时效性"})
# Labels only an information box prints: where a box is looked for.
INFO_BOX_ANCHORS = ("索引号", "索取号", "信息索引", "发文机关", "发文机构", "发布机构", "成文日期",
                    "生成日期", "发文字号")
# Characters a box may print between the characters of a label (索 引 号, 文　　号): the
# anchor search removes them before it compares.
LABEL_SPACES = " \u3000\u00a0\t\r\n"

# --- document fields of an information box (docfields.py) -------------------------------

# The labels of each document field, in order of preference where a box prints several
# (gov.cn 政策库: 发文机关, 发文字号; TRS/Hanweb boxes: 发布机构, 文号; moe.gov.cn: 发文机构,
# 信息索引, 信息类别). Matched with any spaces between their characters. "title" is not a
# document field: it names the page when nothing else does.
DOCUMENT_LABELS = (
    ("doc_index", ("索引号", "信息索引号", "信息索引", "索取号", "索引码")),
    ("doc_issuer", ("发文机关", "发文机构", "发文单位", "发布机构", "发布机关", "发布单位",
                    "来源机关", "制发机关", "公开责任部门", "责任部门")),
    ("doc_number", ("发文字号", "文号", "文件编号", "发文文号", "文件字号", "发文编号")),
    ("doc_written", ("成文日期", "成文时间", "发文日期", "印发日期", "签发日期")),
    ("doc_published", ("发布日期", "发布时间", "公开日期", "公布日期", "公开时间")),
    ("doc_topic", ("主题分类", "信息分类", "信息类别", "公开分类", "组配分类", "分类")),
    ("doc_genre", ("公文种类", "公文类型", "文种", "体裁分类", "体裁", "文件类型", "文件种类")),
    ("doc_validity", ("有效性", "效力状态", "效力状况", "时效性", "有效状态", "效力")),
    ("doc_keywords", ("关键词", "主题词", "关键字")),
    ("title", ("标题", "信息名称", "文件名称", "文件标题", "名称")),
)
# Further labels of an information box, read only to end the value before them.
OTHER_BOX_LABELS = (
    "生成日期", "公开方式", "公开范围", "公开时限", "公开形式", "公开属性", "所属机构", "所属栏目",
    "内容概述", "内容摘要", "摘要", "实施日期", "施行日期", "生效日期", "废止日期", "失效日期",
    "联合发文单位", "联合发文机关", "来源", "信息来源", "统一编号", "登记号", "规范性文件登记号",
)
# How a box says a document's validity, first match wins (部分失效 before 失效 before 有效),
# and the word stored for it; other values are kept as written.
VALIDITY_WORDS = (
    ("部分失效", "部分失效"), ("部分有效", "部分有效"), ("尚未生效", "尚未生效"),
    ("未生效", "尚未生效"), ("已废止", "废止"), ("废止", "废止"), ("已失效", "失效"),
    ("失效", "失效"), ("已修改", "已修改"), ("已修订", "已修订"), ("无效", "失效"),
    ("现行有效", "有效"), ("有效", "有效"),
)
# Values a box prints for an empty field.
EMPTY_DOC_VALUES = frozenset({"", "无", "暂无", "-", "--", "—", "——", "/", "null", "none",
                              "空", "…", "..."})
# Brackets around a 文号's year (国办发〔2024〕5号), all written 〔〕 in the stored form:
# opening and closing characters, after NFKC folded full-width (（［ to ( [.
DOC_NUMBER_OPENERS = "〔[【(（［｛{〈<﹝⦅〖「"
DOC_NUMBER_CLOSERS = "〕]】)）］｝}〉>﹞⦆〗」"
# Elements that can be an information box.
INFO_BOX_TAGS = frozenset({"table", "div", "ul", "dl", "section"})
# Messages of an error page (besides 404 and the 找不到/已删除 forms in pagekind._ERROR).
ERROR_PHRASES = ("页面不存在", "页面未找到", "Not Found", "出错了", "系统错误", "服务器错误",
                 "访问出错", "错误提示")
# Elements that hold one item of a list of dated links.
LIST_ITEM_TAGS = frozenset({"li", "tr", "dd", "dt", "p", "div", "span", "td"})
# Pagination in a list page's markup: TRS createPageHTML, Hanweb datastore, page links.
PAGINATION_MARKERS = ("createPageHTML", "countPage", "下一页", "尾页", "末页", "index_1.",
                      "<datastore>", "<recordset>", "dataproxy.jsp")

# --- section and site name (metadata.py) -------------------------------------------------

# Breadcrumb labels (当前位置：首页 > 政务公开).
CRUMB_LABELS = ("当前位置", "您的位置", "现在的位置", "所在位置", "当前的位置", "位置")
# A breadcrumb ending here names no section.
HOME_CRUMBS = frozenset({"首页", "网站首页"})
# Suffixes dropped from a site name (某某市人民政府门户网站).
SITE_NAME_SUFFIXES = ("门户网站", "官方网站", "官网", "网站")
# Last characters of a ministry's or agency's name (教育部, 卫生健康委, 统计局 …): its site calls
# itself 教育部政府门户网站, where 政府 belongs to "government portal", not to the name.
MINISTRY_NAME_ENDINGS = "部委局署厅院会办"
# Endings of an institution's name: a SiteName meta ending so beats the footer's 主办.
INSTITUTION_SUFFIXES = ("政府", "委员会", "办公厅", "办公室", "局", "厅", "部", "院", "署", "会",
                        "中心", "总队", "队", "所")

# --- attachments (attachments.py) ---------------------------------------------------------

# Document files an article links to (the spider's document-link regex uses them too).
DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "ceb", "ppt",
                       "pptx", "zip", "rar", "7z", "csv")
