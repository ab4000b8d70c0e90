"""Realistic TRS and Hanweb article pages (synthetic, modelled on provincial portals)."""

from __future__ import annotations

from dataclasses import dataclass, field

TRS_PARAGRAPHS = [
    "如何在实现区域经济高质量发展的同时，持续增强百姓幸福感、获得感、安全感？",
    "最近5年，在曲靖市政府工作报告中，“为民办实事”成为“固定章节”和“必修科目”。",
    "全面贯彻新发展理念 让高质量发展有“速度”",
    "一项项工程、一件件实事，正在为发展“加码”、为幸福“加速”、为生活“加温”。",
]
TRS_TITLE = "为民办实事 让发展有“速度”民生有“温度”"
TRS_KICKER = "曲靖贯彻新发展理念推动高质量发展，围绕关键、重点、难点问题"


def trs_page(charset: str = "utf-8") -> str:
    """A Yunnan-portal-like TRS WCM article page."""
    paras = "\n".join(
        f'<p style="text-indent: 2em;">{p}</p>' if i != 2 else f"<p><strong>{p}</strong></p>"
        for i, p in enumerate(TRS_PARAGRAPHS)
    )
    related = "".join(
        f'<li><a href="./t2021102{i}_22960{i}.html">曲靖市相关新闻标题第{i}条</a></li>'
        for i in range(5)
    )
    nav = "".join(f'<li><a href="/col{i}/">栏目{i}</a></li>' for i in range(12))
    return f"""<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="云南省人民政府门户网站">
<meta name="SiteDomain" content="www.yn.gov.cn">
<meta name="SiteIDCode" content="5300000033">
<meta name="ColumnName" content="州市动态">
<meta name="ArticleTitle" content="{TRS_TITLE}">
<meta name="PubDate" content="2021-10-25 07:33">
<meta name="ContentSource" content="云南日报">
<meta name="Url" content="./t20211025_229601.html">
<title>{TRS_TITLE}_州市动态_云南省人民政府门户网站</title>
<script>var a = "<p>不是正文</p>";</script>
<style>.TRS_Editor p {{ font-size: 16px; }}</style>
</head>
<body>
<div class="header"><div class="logo">云南省人民政府</div><ul class="nav">{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../">要闻动态</a> &gt;
 <a href="./">州市动态</a></div>
<div class="article">
  <div class="kicker">{TRS_KICKER}</div>
  <h1>{TRS_TITLE}</h1>
  <div class="info"><span>来源：云南日报</span>&nbsp;&nbsp;
   <span>发布时间：2021-10-25 07:33:20</span>
   <span>【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span>
   <a href="javascript:window.print()">打印本页</a></div>
  <div class="view TRS_UEDITOR trs_paper_default trs_web">
   <div class="TRS_Editor">{paras}</div>
  </div>
  <div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
  <div class="xgwd"><h3>相关文档</h3><ul>{related}</ul></div>
  <div style="display:none"><a href="http://spam.example/">365bet体育在线</a></div>
</div>
<div class="footer">
 <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a></p>
 <p>主办单位：云南省人民政府办公厅 运行维护：云南网</p>
 <p>滇ICP备05000002号 政府网站标识码：5300000033
  <a href="#">滇公网安备 53010202000476号</a></p>
</div>
</body></html>"""


HANWEB_PARAGRAPHS = [
    "4月13日，全省高质量发展建设共同富裕示范区推进大会在杭州召开。",
    "会议强调，要坚持以人民为中心的发展思想，扎实推动共同富裕取得更为明显的实质性进展。",
    "会议指出，各地各部门要对标对表，抓好重点任务落实。",
]
HANWEB_TITLE = "全省高质量发展建设共同富裕示范区推进大会召开"


def hanweb_page() -> str:
    """A Zhejiang-portal-like Hanweb JCMS article page (body in div#zoom)."""
    paras = "".join(f"<p>{p}</p>" for p in HANWEB_PARAGRAPHS)
    return f"""<html><head><meta charset="utf-8">
<meta name="SiteName" content="浙江省人民政府门户网站">
<meta name="SiteIDCode" content="3300000068">
<meta name="ColumnName" content="浙江要闻">
<meta name="ArticleTitle" content="{HANWEB_TITLE}">
<meta name="PubDate" content="2026-04-13 10:21">
<meta name="ContentSource" content="浙江日报">
<title>{HANWEB_TITLE} - 浙江省人民政府门户网站</title></head>
<body>
<div id="hiddenLocation" style="display:none">浙江要闻 /col/col1554467/index.html</div>
<table width="100%"><tr><td><a href="/">首页</a></td><td><a href="/col/col1/">政务公开</a></td>
<td><a href="/col/col2/">政务服务</a></td></tr></table>
<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/col/col1/">浙江要闻</a></div>
<div class="main">
<table width="100%" class="xl-box"><tr><td class="title">
<p class="sp_title">{HANWEB_TITLE}</p></td></tr>
<tr><td class="info">发布日期：2026-04-13 10:21&nbsp;&nbsp;&nbsp;信息来源：浙江日报&nbsp;&nbsp;
浏览次数：<span id="count">1024</span>&nbsp;&nbsp;【字体：<a>大</a> <a>中</a> <a>小</a>】</td></tr>
<tr><td><div id="zoom">{paras}</div></td></tr>
<tr><td class="bt-link">【<a href="javascript:window.print()">打印本页</a>】
【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table>
<div class="fj">附件：<a href="/module/download/1.pdf">实施方案.pdf</a></div>
<div class="pre-next"><p>上一篇：<a href="/art/2026/4/12/art_1_1.html">上一条新闻</a></p>
<p>下一篇：<a href="/art/2026/4/14/art_1_2.html">下一条新闻</a></p></div>
</div>
<div class="footer">主办单位：浙江省人民政府办公厅 承办：浙江省大数据发展管理局<br>
浙ICP备05000000号-1 浙公网安备 33010602000000号 网站标识码：3300000068</div>
</body></html>"""


# --- templates of other portals -------------------------------------------------------
# Each case is a synthetic page modelled on a real template (markup, class names, the
# metadata line) with the output the corpus rules ask for.

@dataclass
class Case:
    """A synthetic page and what extraction must give for it."""

    name: str
    html: str
    kind: str = "article"
    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    author: str | None = None
    text: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


NEWS = [
    "新华社北京10月25日电 国务院总理主持召开国务院常务会议，部署进一步做好稳外贸稳外资工作。",
    "会议指出，今年以来，各地区各部门认真贯彻党中央、国务院决策部署，外贸外资保持较快增长。",
    "会议要求，要加大对中小微外贸企业的支持力度，保障产业链供应链稳定。",
    "会议还研究了其他事项。",
]
NOTICE = [
    "各区县人民政府，市政府各部门：",
    "经市政府同意，现将《关于进一步优化营商环境的若干措施》印发给你们，请认真贯彻执行。",
    "附件：关于进一步优化营商环境的若干措施",
    "某某市人民政府办公室",
    "2021年10月25日",
    "（此件公开发布）",
]


def chrome(article: str, *, title: str, metas: str = "", site: str = "某某市人民政府",
           crumb: tuple[str, ...] = ("首页", "政务公开", "部门动态"), charset: str = "utf-8",
           code: str = "3301000001", icp: str = "浙ICP备12345678号-1", home: bool = False) -> str:
    """A portal page around ``article``: header, navigation, breadcrumb, related box, footer.

    ``home`` leaves out the breadcrumb and the related box, as on a homepage.
    """
    nav = "".join(f'<li><a href="/col/col{i}/index.html">{n}</a></li>' for i, n in enumerate(
        ("首页", "走进某某", "政务公开", "政务服务", "互动交流", "专题专栏", "数据开放", "办事指南",
         "政策文件", "政策解读", "新闻中心", "通知公告")))
    trail = " &gt; ".join(f'<a href="/c{i}/">{c}</a>' for i, c in enumerate(crumb))
    related = "".join(f'<li><a href="/art/2021/10/{20 + i}/art_1_{i}.html">某某市召开第{i}次'
                      f"全市重点工作推进会</a><span>2021-10-{20 + i}</span></li>" for i in range(5))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="SiteName" content="{site}门户网站"><meta name="SiteIDCode" content="{code}">
{metas}
<title>{title}</title>
<link rel="stylesheet" href="/css/style.css"><script src="/js/jquery.min.js"></script>
</head><body>
<div class="top"><div class="wza"><a href="#">无障碍</a> <a href="#">长者版</a></div>
<div class="logo"><img src="/images/logo.png" alt="{site}"></div>
<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div></div>
<div class="nav"><ul>{nav}</ul></div>
{"" if home else f'<div class="location">当前位置：{trail}</div>'}
{article}
{"" if home else f'<div class="xgxw"><div class="hd">相关新闻</div><ul>{related}</ul></div>'}
<div class="footer"><p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> |
<a href="/wzsm/">网站声明</a></p>
<p>主办单位：{site}办公室 承办单位：某某市大数据发展管理局</p>
<p>{icp} 浙公网安备 33010602000001号 网站标识码：{code}</p></div>
</body></html>"""


def paras(lines: list[str], fmt: str = "<p>{}</p>") -> str:
    return "\n".join(fmt.format(p) for p in lines)


def _article_metas(title: str, pubdate: str, source: str = "", column: str = "部门动态") -> str:
    return (f'<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{pubdate}">'
            f'<meta name="ContentSource" content="{source}"><meta name="ColumnName" '
            f'content="{column}">')


def govcn_case() -> Case:
    t = "国务院常务会议部署进一步做好稳外贸稳外资工作"
    caption = "图为会议现场。新华社记者 张三 摄"
    body = (paras(NEWS[:2], '<p style="text-indent: 2em;">{}</p>')
            + '<p style="text-align: center;"><img src="W020211025.jpg"></p>'
            + f'<p style="text-align: center;">{caption}</p>'
            + paras(NEWS[2:], '<p style="text-indent: 2em;">{}</p>'))
    art = f"""<div class="article oneColumn pub_border"><h1>{t}</h1>
<div class="pages-date">2021-10-25 19:30<span class="font">来源： 新华社</span>
<span class="font index_switchsize">【字体：<span>大</span> <span>中</span> <span>小</span>】</span>
<span class="dy" onclick="window.print()">打印</span></div>
<div class="pages_content" id="UCAP-CONTENT">{body}</div>
<div class="editor">【我要纠错】 责任编辑：王洪坤</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div></div>"""
    html = chrome(art, title=f"{t}_滚动新闻_中国政府网", site="中国政府网", code="bm01000001",
                  icp="京ICP备05070218号", crumb=("首页", "新闻", "滚动新闻"),
                  metas=_article_metas(t, "2021-10-25 19:35", "新华社", "滚动新闻"))
    return Case("govcn", html, title=t, published_at="2021-10-25T19:30:00+08:00",
                source="新华社", text=[*NEWS[:2], caption, *NEWS[2:]])


def shanghai_case() -> Case:
    t = "上海市人民政府关于印发《上海市促进城市数字化转型的若干政策措施》的通知"
    meta_t = "沪府规〔2021〕15号 " + t
    art = f"""<div class="main-container"><div class="Article"><h2 id="ivs_title"
class="Article-title">{t}</h2>
<small class="PBtime">2021年10月25日 10时30分</small>
<div class="Article_content" id="ivs_content">
<p style="text-align:center">沪府规〔2021〕15号</p>{paras(NOTICE)}</div>
<div class="wzbt"><a href="javascript:window.print()">【打印本页】</a>
<a href="javascript:window.close()">【关闭窗口】</a></div></div></div>"""
    html = chrome(art, title=f"{t}_市政府文件_上海市人民政府", site="上海市人民政府",
                  code="3100000094", icp="沪ICP备05020497号",
                  crumb=("首页", "政务公开", "市政府文件"),
                  metas=_article_metas(meta_t, "2021-10-26", "", "null"))
    return Case("shanghai", html, title=t, published_at="2021-10-25T10:30:00+08:00",
                text=["沪府规〔2021〕15号", *NOTICE], extra={"section": "市政府文件"})


def guangdong_case() -> Case:
    t = "广东省推进粤港澳大湾区建设领导小组召开会议"
    body = paras(NEWS[1:], '<p style="text-indent:2em"><span style="font-size:16px">{}</span></p>')
    art = f"""<div class="content"><div class="zw-title"><h3>{t}</h3></div>
<div class="zw-info"><span class="time">发布时间：2021-10-25 10:30:15</span>
<span class="ly">来源：南方日报</span> <span>作者：李明</span>
<span class="size">字号：<a>大</a><a>中</a><a>小</a></span></div>
<div class="zw">{body}</div>
<div class="zw-fj">附件：<a href="/attachment/0/455/455001/3587421.pdf">会议纪要.pdf</a></div>
<div class="fxd">扫一扫在手机打开当前页</div></div>"""
    html = chrome(art, title=f"{t} - 广东省人民政府门户网站", site="广东省人民政府",
                  code="4400000110", icp="粤ICP备05070829号",
                  metas=_article_metas(t, "2021-10-26 09:00", "南方日报")
                  + '<link rel="canonical" href="http://www.gd.gov.cn/gdywdt/content/'
                    'post_3587421.html">')
    return Case("guangdong", html, title=t, published_at="2021-10-25T10:30:15+08:00",
                source="南方日报", author="李明", text=NEWS[1:])


def sichuan_case() -> Case:
    t = "四川省召开全省安全生产工作电视电话会议"
    art = f"""<div class="contMain"><h1 id="articleTitle" class="title">{t}</h1>
<div class="info"><span>【来源：四川日报】</span> <span>发布日期：2021-10-25</span>
<span>【字体：<a>大</a> <a>中</a> <a>小</a>】</span></div>
<div id="cmsArticleContent" class="contText">{paras(NEWS[1:])}</div></div>"""
    html = chrome(art, title=f"{t}- 四川省人民政府网站", site="四川省人民政府",
                  metas=_article_metas(t, "2021-10-24 18:00", "四川日报"))
    return Case("sichuan", html, title=t, published_at="2021-10-25", source="四川日报",
                text=NEWS[1:])


def xinjiang_case() -> Case:
    t = "自治区召开秋冬季农业生产工作会议"
    body = "".join(f"<div>{p}</div>" for p in NEWS[1:])
    art = f"""<div class="detail"><div class="title"><p>{t}</p></div>
<div class="detail-info">时间：2021/10/25 来源：新疆日报 浏览次数：<span>1024</span></div>
<div id="news_content">{body}</div></div>"""
    html = chrome(art, title=f"{t}_自治区动态_新疆维吾尔自治区人民政府网",
                  site="新疆维吾尔自治区人民政府",
                  metas='<meta name="ColumnName" content="自治区动态">')
    return Case("xinjiang", html, title=t, published_at="2021-10-25", source="新疆日报",
                text=NEWS[1:])


def shaanxi_case() -> Case:
    t = "陕西省人民政府办公厅关于做好2021年冬季供暖工作的通知"
    word = "".join(
        f'<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt"><span '
        f'style="font-size:16.0pt;font-family:仿宋_GB2312"><font face="仿宋">{p[:6]}</font>'
        f'</span><span lang="EN-US" style="font-size:16.0pt">{p[6:]}</span><o:p></o:p></p>'
        for p in NOTICE)
    art = f"""<div class="info-box"><h1 class="info-title">{t}</h1>
<div class="info-time">发布时间：2021年10月25日 10时30分 &nbsp; 信息来源：省政府办公厅 &nbsp;
 阅读次数：<span>236</span></div>
<div id="info-cont" class="info-cont">{word}</div></div>"""
    html = chrome(art, title=f"{t}_陕西省人民政府", site="陕西省人民政府",
                  metas=_article_metas("陕政办发〔2021〕30号 " + t, "2021-10-27 08:00", ""))
    return Case("shaanxi", html, title=t, published_at="2021-10-25T10:30:00+08:00",
                source="省政府办公厅", text=NOTICE)


def guangxi_case() -> Case:
    t = "广西壮族自治区2021年前三季度经济运行情况"
    table = ("<table border='1'><tbody><tr><td>指标</td><td>绝对数（亿元）</td>"
             "<td>同比增长（%）</td></tr><tr><td>地区生产总值</td><td>17931.14</td><td>10.2</td></tr><tr><td>"
             "第一产业</td><td>2855.61</td><td>&nbsp;</td></tr></tbody></table>")
    art = f"""<div class="article"><h1>{t}</h1>
<div class="article-inf"><span class="article-inf-left">2021-10-25 10:30</span>
<span>来源：自治区统计局</span>
<span class="article-inf-right">【<a>大</a> <a>中</a> <a>小</a>】</span></div>
<div class="article-con"><div class="view TRS_UEDITOR trs_paper_default trs_web">
<p>{NEWS[1]}</p><p style="text-align:center"><strong>表1 2021年前三季度主要指标</strong></p>
<p style="text-align:right">单位：亿元</p>{table}<p>{NEWS[2]}</p></div></div>
<div class="article-print"><a>打印</a> <a>关闭</a></div></div>"""
    html = chrome(art, title=f"{t} - 广西壮族自治区人民政府门户网站", site="广西壮族自治区人民政府",
                  metas=_article_metas(t, "2021-10-25 10:30", "自治区统计局"))
    return Case("guangxi", html, title=t, published_at="2021-10-25T10:30:00+08:00",
                source="自治区统计局", text=[
                    NEWS[1], "表1 2021年前三季度主要指标", "单位：亿元",
                    "指标 | 绝对数（亿元） | 同比增长（%）", "地区生产总值 | 17931.14 | 10.2",
                    "第一产业 | 2855.61 |", NEWS[2]])


def chongqing_case() -> Case:
    t = "重庆市2021年秋季森林防火工作会议召开"
    art = f"""<div class="detail-main"><div class="title">{t}</div>
<div class="time"><span>日期：2021-10-25</span><span>来源：重庆日报</span></div>
<div class="conTxt"><div class="trs_editor_view TRS_UEDITOR trs_paper_default">
{paras(NEWS[1:])}
<p style="text-align:center"><img src="./W02021.jpg"></p>
<p style="text-align:center">会议现场（市林业局供图）</p></div></div>
<div class="fxan">分享到：<a>QQ空间</a><a>新浪微博</a><a>微信</a></div></div>"""
    html = chrome(art, title=f"{t}_重庆市人民政府网", site="重庆市人民政府",
                  metas=_article_metas(t, "2021-10-25 16:41", "重庆日报")
                  + '<meta name="Url" content="http://www.cq.gov.cn/ywdt/jrcq/202110/'
                    't20211026_9999999.html">')
    return Case("chongqing", html, title=t, published_at="2021-10-25", source="重庆日报",
                text=[*NEWS[1:], "会议现场（市林业局供图）"])


def jiangxi_case() -> Case:
    t = "关于印发某某县2021年秋冬季森林防火工作方案的通知"
    info = """<div class="xxgk-table"><table><tbody>
<tr><td>索引号：</td><td>X0000-0000-2021-00123</td><td>分类：</td><td>农业、林业、水利</td></tr>
<tr><td>发布机构：</td><td>某某县人民政府办公室</td><td>生成日期：</td><td>2021-10-25</td></tr>
<tr><td>文号：</td><td>某府办字〔2021〕88号</td><td>有效性：</td><td>有效</td></tr>
</tbody></table></div>"""
    art = f"""<div class="main-content">{info}
<div class="article"><h2 class="title">{t}</h2>
<div class="info"><span>发布时间：2021-10-26 09:12</span><span>来源：县政府办</span>
<span>字号：<a>大</a> <a>中</a> <a>小</a></span><span>浏览量：<em>88</em></span></div>
<div class="content" id="zoom">{paras(NOTICE)}</div>
<div class="fj-a" style="display: none;"><p>附件：</p></div></div></div>"""
    html = chrome(art, title=f"{t} | 某某县人民政府", site="某某县人民政府",
                  code="3609220001", icp="赣ICP备11002306号-1",
                  metas=_article_metas(t, "2021-10-26 09:12", "县政府办"))
    return Case("jiangxi", html, title=t, published_at="2021-10-26T09:12:00+08:00",
                source="县政府办", text=NOTICE)


def br_body_case() -> Case:
    t = "关于2021年度第三批市级科技计划项目立项的公示"
    lines = ["根据《某某市科技计划项目管理办法》，经专家评审、现场考察，拟立项项目如下：",
             "一、重点研发项目12项；", "二、科技创新平台项目5项。",
             "公示期为2021年10月25日至10月31日。如有异议，请在公示期内书面反映。",
             "联系电话：0571-12345678", "某某市科学技术局", "2021年10月25日"]
    body = "<br>".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{ln}" for ln in lines)
    art = f"""<table width="960" align="center"><tr><td align="center" class="biaoti">
<font size="4"><b>{t}</b></font></td></tr>
<tr><td align="center" class="ly">作者：市科技局 &nbsp; 发布时间：2021年10月25日 &nbsp;
点击数：<span>321</span></td></tr>
<tr><td><div id="content" style="line-height:200%">{body}</div></td></tr></table>"""
    html = chrome(art, title=t, site="某某市科学技术局")
    return Case("br_body", html, title=t, published_at="2021-10-25", author="市科技局",
                text=lines)


def div_title_case() -> Case:
    t = "市政府召开第68次常务会议"
    art = f"""<div class="wrap"><div class="article-title">{t}</div>
<div class="article-sub">时间：2021/10/25 &nbsp;&nbsp; 来源：市政府办公室 &nbsp;&nbsp;
【打印】</div>
<div class="article-body">{paras(NEWS[1:])}<p>（责任编辑：陈静）</p></div>
<div class="page-turn"><p>上一篇：<a href="./t1.html">市政府召开第67次常务会议</a></p>
<p>下一篇：<a href="./t2.html">市政府召开第69次常务会议</a></p></div></div>"""
    html = chrome(art, title=f"{t}_政府常务会议_政务公开_某某市人民政府",
                  metas='<meta name="ColumnName" content="null">')
    return Case("div_title", html, title=t, published_at="2021-10-25", source="市政府办公室",
                text=NEWS[1:])


def list_case() -> Case:
    items = "".join(
        f'<li><a href="./202110/t202110{25 - i:02d}_{4000 + i}.html" target="_blank" '
        f'title="某某市第{i}批民生实事项目完成情况">某某市第{i}批民生实事项目完成情况</a>'
        f"<span>2021-10-{25 - i:02d}</span></li>" for i in range(20))
    art = f"""<div class="list-main"><div class="list-title">部门动态</div>
<ul class="list">{items}</ul>
<div class="page"><script>createPageHTML(12, 0, "index", "html");</script></div></div>"""
    html = chrome(art, title="部门动态_某某市人民政府",
                  metas='<meta name="ColumnName" content="部门动态">')
    return Case("list", html, kind="list", title="部门动态")


def not_found_case() -> Case:
    art = """<div class="error-page"><div class="error-img"><img src="/images/404.png"></div>
<h2>抱歉，您访问的页面不存在或已被删除！</h2>
<p>可能原因：网址有错误，请检查地址是否完整；或者该信息已经过期下线。</p>
<p><a href="/">返回首页</a> <a href="javascript:history.back()">返回上一页</a></p></div>"""
    return Case("not_found", chrome(art, title="404 页面不存在"), kind="other")


def challenge_case() -> Case:
    html = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type"
content="text/html; charset=utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta id="9DhefwqGPrzGxEp9hPaoag" content="4cSWzAqWYkb4wsC3cAYa8UTZ2qVZaEmCy1Z3pNVIzZ8">
<script type="text/javascript" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};
$_ts.nsd=84745;$_ts.cd="qhoSrrAlEqQKcGQmcsAKqsQWcqAIqaqcqGqKqE";</script>
<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVI/c.FxJzG50F.dfe1675.js"
r='m'></script></head><body><script type="text/javascript" r='m'>$_ts['dfe1675']='';
</script></body></html>"""
    return Case("challenge", html, kind="other")


def homepage_case() -> Case:
    def box(name: str, n: int) -> str:
        lis = "".join(f'<li><a href="/art/2021/10/{25 - i}/art_{n}_{i}.html">{name}第{i}条：'
                      f"全市秋冬季重点工作扎实推进</a><span>10-{25 - i:02d}</span></li>"
                      for i in range(8))
        return (f'<div class="box"><div class="box-hd"><h3>{name}</h3><a>更多</a></div>'
                f"<ul>{lis}</ul></div>")
    intro = ("某某市位于浙江省中部，总面积一万多平方公里，辖六个区、三个县（市），"
             "常住人口五百余万。这里历史悠久、文化灿烂，是国家历史文化名城、中国优秀旅游城市。近年来，全市上下坚持"
             "稳中求进工作总基调，经济社会发展取得显著成就，综合实力跃上新台阶，人民生活水平持续"
             "提高，生态环境不断改善，城市品质明显提升，各项事业全面进步。")
    art = f"""<div class="banner"><a href="/art/1.html"><img src="/b1.jpg"><p>市委常委会召开会议
</p></a></div><div class="main">{box("今日要闻", 1)}{box("部门动态", 2)}{box("通知公告", 3)}
{box("政策解读", 4)}<div class="gk"><h3>市情概况</h3><p>{intro}</p></div></div>"""
    return Case("homepage", chrome(art, title="某某市人民政府门户网站", home=True),
                kind="other")


def govcn_policy_case() -> Case:
    t = "国务院办公厅关于进一步加强商品过度包装治理的通知"
    table = f"""<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2022-00051</td>
<td><b>主题分类：</b></td><td>商贸、海关、旅游</td></tr><tr><td><b>发文机关：</b></td>
<td>国务院办公厅</td><td><b>成文日期：</b></td><td>2022年09月01日</td></tr><tr>
<td><b>标\u3000\u3000题：</b></td><td colspan="3">{t}</td></tr><tr><td><b>发文字号：</b></td>
<td>国办发〔2022〕29号</td><td><b>发布日期：</b></td><td>2022年09月08日</td></tr></table>"""
    body = (f'<p style="text-align:center">国办发〔2022〕29号</p>{paras(NOTICE[:2])}'
            '<p style="text-align:right">国务院办公厅</p>'
            '<p style="text-align:right">2022年9月1日</p>')
    art = (f'<div class="policyLibraryOverview_header">{table}</div><div class="article">'
           f'<div class="pages_content" id="UCAP-CONTENT">{body}</div></div>')
    html = chrome(art, title=f"{t}_政府信息公开", site="中国政府网", code="bm01000001",
                  metas=_article_metas(t, "2022-09-08 17:00", ""))
    return Case("govcn_policy", html, title=t, published_at="2022-09-08",
                text=["国办发〔2022〕29号", *NOTICE[:2], "国务院办公厅", "2022年9月1日"])


def captions_case() -> Case:
    t = "春耕时节备耕忙"
    art = f"""<div class="article"><h1>{t}</h1>
<h3 class="subtitle">——某某县多措并举保障春耕生产</h3>
<div class="info">2021年10月25日 10:30 【来源：新华社】</div>
<div class="TRS_Editor"><p>{NEWS[1]}</p>
<figure><img src="a.jpg"><figcaption>农民在田间劳作。</figcaption></figure>
<div class="pic"><img src="b.jpg"><p class="pic-title">农机手驾驶拖拉机作业（资料图）</p></div>
<p>{NEWS[2]}</p></div></div>"""
    html = chrome(art, title=f"{t}_要闻_某某市人民政府", metas=_article_metas(t, "2021-10-25", ""))
    return Case("captions", html, title=t, published_at="2021-10-25T10:30:00+08:00",
                source="新华社",
                text=[NEWS[1], "农民在田间劳作。", "农机手驾驶拖拉机作业（资料图）", NEWS[2]])


def untitled_short_case() -> Case:
    """A short article on a site whose every ``<title>`` is the site name, no meta tags."""
    t = "某某县召开防汛工作会议"
    text = ["10月25日，县政府召开防汛工作会议，部署下阶段防汛工作。",
            "会议要求各乡镇做好值班值守。"]
    art = (f'<div class="article"><h1>{t}</h1><div class="info">发布时间：2021-10-25 来源：县应急局'
           f'</div><div class="content">{paras(text)}</div></div>')
    return Case("untitled_short", chrome(art, title="某某县人民政府"), title=t,
                published_at="2021-10-25", source="县应急局", text=text)


def hanweb_list_case() -> Case:
    recs = "".join(f'<record><![CDATA[<li><a href="/art/2021/10/{i}/art_1_{i}.html">'
                   f"某某市通知公告第{i}号</a><span>2021-10-{i:02d}</span></li>]]></record>"
                   for i in range(1, 16))
    art = f"""<div class="lm-title">通知公告</div><div id="4567"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=1"></a>]]>
</nextgroup><recordset>{recs}</recordset></datastore></script></div>"""
    html = chrome(art, title="通知公告 - 某某市人民政府", crumb=("首页", "政务公开", "通知公告"))
    return Case("hanweb_list", html, kind="list", title="通知公告")


def plain_list_case() -> Case:
    """A list of dated links under a breadcrumb, with no pagination script."""
    items = "".join(f'<li><a href="./202110/t202110{25 - i:02d}_{i}.html">某某市第{i}批民生实事项目'
                    f"完成情况</a><span>[2021-10-{25 - i:02d}]</span></li>" for i in range(15))
    html = chrome(f'<div class="list-main"><ul class="list">{items}</ul></div>',
                  title="部门动态_某某市人民政府")
    return Case("plain_list", html, kind="list", title="部门动态")


def error_title_case() -> Case:
    """An error page whose headline repeats its ``<title>``."""
    art = """<div class="err"><h1>页面不存在</h1>
<p>可能原因：网址有错误，请检查地址是否完整；或者该信息已经过期下线，请返回首页继续浏览。</p>
<a href="/">返回首页</a></div>"""
    return Case("error_title", chrome(art, title="页面不存在"), kind="other")


def homepage_intro_case() -> Case:
    """A homepage with a long 市情概况 paragraph: prose, but not an article."""
    intro = "某某市位于浙江省中部，总面积一万多平方公里，辖六个区、三个县（市），常住人口五百余万。"
    intro *= 5
    lis = "".join(f'<li><a href="/art/{i}.html">全市秋冬季重点工作扎实推进第{i}条</a>'
                  f"<span>10-{25 - i:02d}</span></li>" for i in range(8))
    art = (f'<div class="main"><div class="box"><h3>今日要闻</h3><ul>{lis}</ul></div>'
           f'<div class="gk"><h3>市情概况</h3><p>{intro}</p></div></div>')
    return Case("homepage_intro", chrome(art, title="某某市人民政府门户网站", home=True),
                kind="other")


TEMPLATE_CASES = (govcn_case, shanghai_case, guangdong_case, sichuan_case, xinjiang_case,
                  shaanxi_case, guangxi_case, chongqing_case, jiangxi_case, br_body_case,
                  div_title_case, list_case, not_found_case, challenge_case, homepage_case,
                  govcn_policy_case, captions_case, untitled_short_case, hanweb_list_case,
                  plain_list_case, error_title_case, homepage_intro_case)


def procurement_notice_html() -> str:
    """A 政府采购 notice on a template the rules do not know: a <title> naming only the
    site, the headline in a span, the body as a key/value table and unclassed div
    paragraphs, no date shown (the notice of issue 16 that extracted to no text at all)."""
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in (
        ("项目编号", "YNZC2026-G1-00123"), ("项目名称", "某某县第一中学教学设备采购项目"),
        ("采购方式", "公开招标"), ("预算金额", "人民币叁佰贰拾万元整"),
        ("采购人", "某某县第一中学"), ("代理机构", "云南某某招标代理有限公司")))
    paragraphs = "".join(f"<div class='pp'>{t}</div>" for t in (
        "一、项目基本情况：本项目为某某县第一中学教学设备采购，采购内容包括多媒体教室设备、"
        "实验室仪器及配套软件，分为两个包组。",
        "二、申请人的资格要求：满足《中华人民共和国政府采购法》第二十二条规定；落实政府采购"
        "政策需满足的资格要求。",
        "三、获取招标文件时间：2026年4月10日至2026年4月17日，每天上午9:00至12:00，"
        "下午14:30至17:30（北京时间，法定节假日除外）。",
        "四、提交投标文件截止时间、开标时间和地点：2026年5月6日9点30分（北京时间），"
        "地点为某某县公共资源交易中心开标室。"))
    return f"""<html><head><meta charset="utf-8"><title>某某县政府采购网</title></head>
<body><div class="top"><a href="/">首页</a> <a href="/zcfg/">政策法规</a> \
<a href="/cggg/">采购公告</a></div>
<div class="wrapper"><span class="bt">某某县第一中学教学设备采购项目公开招标公告</span>
<table class="xx">{rows}</table>{paragraphs}</div>
<div class="foot">主办单位：某某县财政局 滇ICP备12345678号</div></body></html>"""
