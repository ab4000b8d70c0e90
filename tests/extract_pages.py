"""Realistic TRS and Hanweb article pages (synthetic, modelled on provincial portals)."""

from __future__ import annotations

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
