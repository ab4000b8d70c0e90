"""Tamper watch (archive.tamper): the sample portal's tamper pages, corpora without false
positives, and one test per kind of finding."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from archive.extract.parse import parse_html
from archive.tamper import KINDS, Flag, check_page, default_lexicon, load_lexicon, use_lexicon
from crawler.sample_portal import build_site
from crawler.sample_portal.routes import build_routes

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BENCH = REPO / "bench" / "corpus"
YN_ICP = "滇ICP备05000002号"


@pytest.fixture(scope="module")
def site():
    return build_site()


@pytest.fixture(scope="module")
def routes(site):
    return build_routes(site)


def host_of(site, portal_id: str) -> str:
    """Each sample portal gets its own loopback port, as `SamplePortalServer` serves them."""
    return f"127.0.0.1:{8101 + [p.id for p in site.portals].index(portal_id)}"


def portal_kwargs(site, portal_id: str) -> dict:
    """What the crawler passes from the registry: a mirror ("mirror of X") gets X's identity."""
    portal = site.portal(portal_id)
    kwargs: dict = {"portal_domains": (host_of(site, portal_id),)}
    if portal.mirror_of:
        original = site.portal(portal.mirror_of)
        kwargs["portal_site_id_code"] = original.site_id_code
        kwargs["identity_domains"] = (host_of(site, original.id),)
    else:
        kwargs["portal_site_id_code"] = portal.site_id_code or None
    return kwargs


def check_sample(site, routes, portal_id: str, path: str) -> list[Flag]:
    body = routes[portal_id].pages[path].body
    url = f"http://{host_of(site, portal_id)}{path}"
    return check_page(body, url, **portal_kwargs(site, portal_id))


def found_text(flags: list[Flag]) -> str:
    return "\n".join(f"{f.evidence} {f.target_host or ''}" for f in flags)


# --- the sample portal -------------------------------------------------------------------


def test_every_tamper_page_gives_exactly_its_labelled_kinds_and_evidence(site, routes):
    assert len(site.tamper) == 11
    lexicon = default_lexicon()
    for spec in site.tamper:
        flags = check_sample(site, routes, spec.portal_id, spec.path)
        where = f"{spec.portal_id}{spec.path}: {flags}"
        expected = set() if spec.kinds == ("none",) else set(spec.kinds)
        assert {f.kind for f in flags} == expected, where
        text = found_text(flags)
        for evidence in spec.evidence:
            assert evidence in text, f"{evidence!r} not in the evidence of {where}"
        for flag in flags:
            assert flag.kind in KINDS
            assert lexicon.threshold <= flag.score <= 1.0
            assert flag.evidence


def test_seed_copies_show_the_injected_terms(site, routes):
    by_portal = {s.portal_id: s for s in site.tamper if "injected-terms" in s.kinds}
    yn = check_sample(site, routes, "sample-yn", by_portal["sample-yn"].path)
    mirror = check_sample(site, routes, "sample-mirror", by_portal["sample-mirror"].path)
    [injected] = [f for f in yn if f.kind == "injected-terms"]
    assert "365bet体育在线" in injected.evidence and "(substituted)" in injected.evidence
    assert injected.element_path and injected.element_path.startswith("/html/body/")
    [injected] = [f for f in mirror if f.kind == "injected-terms"]
    assert "365bet体育在线" in injected.evidence and "365bet体育投注" in injected.evidence


def test_the_seed_text_gives_both_injected_terms():
    seed = SHARED / "seed" / "yn_zsdt_qujing.txt"
    if not seed.exists():
        pytest.skip(f"the shared corpus is not at {SHARED} (it stays outside the project)")
    labels = json.loads((SHARED / "expected" / "seed_yn_zsdt_qujing.json").read_text("utf-8"))
    flags = check_page(seed.read_text("utf-8"), "https://www.yn.gov.cn/ywdt/zsdt/",
                       portal_domains=("www.yn.gov.cn",))
    assert [f.kind for f in flags] == ["injected-terms"]
    for term in labels["injected_spam"]:
        assert term in flags[0].evidence


def test_hidden_link_flags_point_at_the_link_and_its_host(site, routes):
    spec = next(s for s in site.tamper if s.kinds == ("hidden-link",))
    flags = check_sample(site, routes, spec.portal_id, spec.path)
    assert {f.target_host for f in flags} == {"www.365bet-example.com"}
    assert all(f.element_path and f.element_path.endswith(("/a", "/a[1]", "/a[2]"))
               for f in flags)


def test_ordinary_sample_pages_raise_no_flag(site, routes):
    tampered = {(s.portal_id, s.path) for s in site.tamper}
    checked, articles = 0, 0
    article_paths = {(a.portal_id, a.path) for a in site.articles}
    for portal_id, table in routes.items():
        if site.portal(portal_id).mirror_of:
            continue
        for path, resource in table.pages.items():
            if (portal_id, path) in tampered or not resource.content_type.startswith("text/html"):
                continue
            flags = check_sample(site, routes, portal_id, path)
            assert flags == [], f"{portal_id}{path}: {flags}"
            checked += 1
            articles += (portal_id, path) in article_paths
    assert articles >= 400 and checked > articles


def test_every_page_of_the_mirror_is_a_mirror(site, routes):
    for path, resource in routes["sample-mirror"].pages.items():
        if resource.content_type.startswith("text/html"):
            kinds = {f.kind for f in check_sample(site, routes, "sample-mirror", path)}
            assert "mirror" in kinds, path


def test_mirror_pages_are_ordinary_on_the_original_portal(site, routes):
    mirror_paths = [s.path for s in site.tamper if s.kinds == ("mirror",)]
    for path in mirror_paths:
        assert check_sample(site, routes, "sample-yn", path) == []


def test_checking_is_fast(site, routes):
    spec = next(s for s in site.tamper if s.kinds == ("none",))
    body = routes["sample-yn"].pages[spec.path].body
    url = f"http://{host_of(site, 'sample-yn')}{spec.path}"
    default_lexicon()
    times = []
    for _ in range(15):
        start = time.perf_counter()
        check_page(body, url, portal_domains=(urlsplit(url).netloc,))
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.05


# --- real government pages ---------------------------------------------------------------


def corpus_pages(root: Path) -> list[tuple[Path, str]]:
    pages = []
    for page in sorted((root / "pages").glob("*.html")):
        labels = root / "expected" / f"{page.stem}.json"
        url = json.loads(labels.read_text("utf-8")).get("url") if labels.exists() else None
        pages.append((page, url or ""))
    return pages


@pytest.mark.parametrize("root", [SHARED, BENCH], ids=["shared", "bench"])
def test_no_flag_on_corpus_pages(root):
    if not (root / "pages").is_dir():
        pytest.skip(f"{root} not present")
    pages = corpus_pages(root)
    assert pages
    false_positives = {}
    for page, url in pages:
        host = urlsplit(url).netloc
        flags = check_page(page.read_bytes(), url, portal_domains=(host,) if host else ())
        if flags:
            false_positives[page.name] = flags
    assert false_positives == {}


# --- units ---------------------------------------------------------------------------------

PORTAL = "www.example.gov.cn"
URL = f"http://{PORTAL}/art/2024/1/2/art_1_2.html"
FOOTER = ('<div class="footer"><p>主办单位：某某市人民政府办公厅</p><p>'
          '<a href="https://beian.miit.gov.cn/">某ICP备12345678号-1</a> 政府网站标识码：'
          "3301000001 某公网安备 33010202000123号</p></div>")


def page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="SiteName" content="某某市人民政府">'
        '<meta name="SiteIDCode" content="3301000001">'
        f"<title>关于做好春季农业生产工作的通知</title>{head}</head><body>"
        '<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>'
        "<div class=\"article\"><h1>关于做好春季农业生产工作的通知</h1>"
        "<p>各县（市、区）人民政府，市政府各部门：为切实做好春季农业生产工作，现就有关事项通知如下。</p>"
        f"{body}<p>全市各级各部门要高度重视，确保各项措施落到实处。</p></div>{FOOTER}</body></html>"
    )


def check(html: str, url: str = URL, **kwargs) -> list[Flag]:
    kwargs.setdefault("portal_domains", (PORTAL,))
    return check_page(html, url, **kwargs)


def kinds(flags: list[Flag]) -> list[str]:
    return sorted(f.kind for f in flags)


def test_an_ordinary_page_has_no_flag():
    assert check(page("")) == []


@pytest.mark.parametrize(("style", "technique"), [
    ("display:none", "display:none"),
    ("DISPLAY: NONE !important", "display:none"),
    ("visibility:hidden", "visibility:hidden"),
    ("text-indent:-9999px", "text-indent"),
    ("text-indent:-200em;overflow:hidden", "text-indent"),
    ("font-size:0", "font-size:0"),
    ("font-size:0px;line-height:0", "font-size:0"),
    ("position:absolute;left:-9999px;top:-9999px", "off-screen"),
    ("position:fixed;top:-3000px", "off-screen"),
    ("height:0;overflow:hidden", "zero-size"),
    ("width:1px;height:1px;overflow:hidden", "zero-size"),
    ("opacity:0", "opacity:0"),
])
def test_each_hidden_link_css_form(style, technique):
    html = page(f'<div style="{style}"><a href="http://www.bet-example.com/">澳门新葡京</a></div>')
    flags = check(html)
    assert kinds(flags) == ["hidden-link"]
    assert flags[0].target_host == "www.bet-example.com"
    assert technique in flags[0].evidence and "澳门新葡京" in flags[0].evidence
    assert flags[0].element_path.endswith("/div/a")


def test_noscript_links_are_hidden_links():
    html = page('<noscript><a href="http://www.xpj-example.com/">新葡京娱乐场</a></noscript>')
    assert kinds(check(html)) == ["hidden-link"]


@pytest.mark.parametrize(("css", "markup"), [
    (".friend-links{display:none}", '<div class="friend-links">{link}</div>'),
    ("#sl{position:absolute;left:-3000px}", '<div id="sl"><span>{link}</span></div>'),
    (".foot .sl, .x{font-size:0}", '<div class="foot"><p class="sl">{link}</p></div>'),
    ("div.box>p.tiny{height:0px;overflow:hidden}",
     '<div class="box"><p class="tiny">{link}</p></div>'),
])
def test_style_rules_hide_links(css, markup):
    link = '<a href="http://www.365bet-example.com/">友情链接</a>'
    flags = check(page(markup.replace("{link}", link), head=f"<style>{css}</style>"))
    assert kinds(flags) == ["hidden-link"]
    assert flags[0].target_host == "www.365bet-example.com"
    assert "<style>" in flags[0].evidence


def test_a_template_style_block_read_once_serves_every_page_alike():
    """Pages of one template share their <style> blocks: the rules of a block are read
    once (blocks up to 64 KB, the last 64), and one page's blocks never leak into another's."""
    from archive.tamper import css

    template = "<style>.nav{color:#333}.tip{display:none}</style>"
    extra = "<style>.friend-links{display:none}</style>"
    markup = '<div class="friend-links"><a href="http://www.365bet-example.com/">友情链接</a></div>'
    css._block_rules_cached.cache_clear()
    for _ in range(3):
        assert kinds(check(page(markup, head=template + extra))) == ["hidden-link"]
        assert check(page(markup, head=template)) == []
    info = css._block_rules_cached.cache_info()
    assert (info.misses, info.hits, info.maxsize) == (2, 7, 64)
    huge = "<style>" + ".x{color:red}" * 6000 + ".friend-links{display:none}</style>"
    assert kinds(check(page(markup, head=huge))) == ["hidden-link"]
    assert css._block_rules_cached.cache_info().currsize == 2  # a block over 64 KB: not kept


def test_style_rules_that_do_not_apply_hide_nothing():
    markup = '<div class="friend-links"><a href="http://www.365bet-example.com/">友情链接</a></div>'
    for head in (
        "<style>@media print{.friend-links{display:none}}</style>",  # conditional
        "<style>.menu .friend-links{display:none}</style>",  # ancestor missing
        "<style>.friend-links:hover{display:none}</style>",  # pseudo-class
        "<style>/* .friend-links{display:none} */</style>",  # commented out
    ):
        assert check(page(markup, head=head)) == [], head
    head = "<style>@media print{.a{color:red}} /* x */ .friend-links{display:none}</style>"
    assert kinds(check(page(markup, head=head))) == ["hidden-link"]


def test_an_inline_style_lifts_a_style_rule():
    """A script shows a block the stylesheet hides (display:block inline): it is seen."""
    link = '<a href="http://www.365bet-example.com/">友情链接</a>'
    head = "<style>.content, .footer{display:none}</style>"
    shown = f'<div class="content" style="display: block;">{link}</div>'
    assert "hidden-link" not in kinds(check(page(shown, head=head)))
    still = f'<div class="content" style="color:red">{link}</div>'
    assert kinds(check(page(still, head=head))) == ["hidden-link"]


def test_hidden_menus_and_sharing_panels_are_not_flagged():
    html = page(
        '<style>.sub{display:none}</style>'
        '<ul class="sub"><li><a href="/zwgk/tzgg/">通知公告</a></li>'
        '<li><a href="http://www.zj.gov.cn/">浙江省人民政府</a></li></ul>'
        '<div style="display:none"><a href="http://service.weibo.com/share/">新浪微博</a>'
        '<a href="http://www.example.com/">某某科技有限公司</a></div>'
        '<a class="logo" style="text-indent:-9999px" href="http://bszs.conac.cn/">党政机关</a>'
    )
    assert check(html) == []


def test_hidden_spam_text_is_not_an_injected_term():
    html = page('<div style="display:none"><a href="/x.html">365bet体育在线</a></div>')
    assert check(html) == []  # hidden, but on the portal itself: nobody is sent elsewhere


def test_script_redirect_to_a_foreign_host():
    cloaked = ('<script>if(document.referrer.indexOf("baidu.com")>-1)'
               '{window.location.href="http://www.xpj-example.com/";}</script>')
    flags = check(page("", head=cloaked))
    assert kinds(flags) == ["script-redirect"]
    assert flags[0].target_host == "www.xpj-example.com"
    assert "document.referrer" in flags[0].evidence
    plain = '<script>location.replace("https://www.some-example.net/");</script>'
    assert kinds(check(page(plain))) == ["script-redirect"]
    meta = '<meta http-equiv="refresh" content="0;url=http://www.some-example.net/">'
    assert kinds(check(page("", head=meta))) == ["script-redirect"]


def test_harmless_scripts_raise_no_flag():
    scripts = [
        '<script>window.location.href="http://www.gov.cn/";</script>',
        "<script>document.write('<a href=\"http://www.yn.gov.cn/\">云南省人民政府</a>');</script>",
        '<script>function share(){window.open("http://service.weibo.com/share/share.php?url="'
        "+location.href);}</script>",
        '<script>function search(){location.href="http://search.example.com/?q="+q;}</script>',
        '<script>if(/mobile/i.test(navigator.userAgent)){location.href="/m/index.html";}'
        "</script>",
        '<script>createPageHTML(5, 0, "index", "html");</script>',
    ]
    for script in scripts:
        assert check(page(script)) == [], script


def test_script_written_links():
    write = ("<script>document.write('<a href=\"http://www.xpj-example.com/\" "
             "target=\"_blank\">新葡京娱乐场</a>');</script>")
    flags = check(page(write))
    assert kinds(flags) == ["script-link"]
    assert "document.write" in flags[0].evidence and "新葡京娱乐场" in flags[0].evidence
    assert flags[0].target_host == "www.xpj-example.com"
    inner = ('<div id="f"></div><script>document.getElementById("f").innerHTML = '
             "'<a href=\"//www.amjs-example.com/\">金沙娱乐城</a>';</script>")
    assert kinds(check(page(inner))) == ["script-link"]


def test_mirror_is_government_markers_outside_the_portal_and_gov_cn():
    html = page("")
    copy = "http://www.example-copy.com/art/2024/1/2/art_1_2.html"
    flags = check(html, copy, portal_domains=(PORTAL,))
    assert kinds(flags) == ["mirror"]
    evidence = flags[0].evidence
    for marker in ("3301000001", "某ICP备12345678号-1", "某公网安备 33010202000123号",
                   "某某市人民政府", "www.example-copy.com"):
        assert marker in evidence
    assert flags[0].target_host == "www.example-copy.com"
    assert check(html, "http://www.other.gov.cn/a.html", portal_domains=(PORTAL,)) == []
    assert check(html, URL) == []


def test_mirror_registered_as_a_portal_of_its_own():
    """The registry lists the mirror under its own host, noted "mirror of X": the crawler
    passes X's code and domains, and the copy is a mirror although it is on its own domain."""
    copy = "http://127.0.0.1:8999/art/2024/1/2/art_1_2.html"
    own = check(page(""), copy, portal_domains=("127.0.0.1:8999",))
    assert own == []
    flags = check(page(""), copy, portal_domains=("127.0.0.1:8999",),
                  portal_site_id_code="3301000001", portal_icp="某ICP备12345678号",
                  identity_domains=(PORTAL,))
    assert kinds(flags) == ["mirror"]
    assert "the portal's" in flags[0].evidence


def test_terms_substitution_damping_and_the_lottery_whitelist():
    assert check(page("<p>今年全省体育投注额度下降。</p>")) == []
    flags = check(page("<p>我市在体育投注率先实现数字化转型。</p>"))
    assert kinds(flags) == ["injected-terms"] and "(substituted)" in flags[0].evidence
    police = ("<p>近日，警方捣毁一个网络赌场，查获百家乐赌具一批，抓获犯罪嫌疑人12名。"
              "公安机关提醒广大群众远离赌博。</p>")
    assert check(page(police)) == []
    lottery = ("<p>中国体育彩票竞彩足球投注、大乐透、排列三销售平稳；福利彩票双色球、"
               "快乐8稳步增长，彩票公益金用于社会福利事业。市民可在投注站购买。</p>")
    assert check(page(lottery)) == []
    place = "<p>金沙江沿岸生态修复持续推进，皇冠梨喜获丰收，菠菜等蔬菜供应充足。</p>"
    assert check(page(place)) == []
    brand = "<p>推荐bet9体育投注，注册即送彩金。</p>"
    flags = check(page(brand))
    assert kinds(flags) == ["injected-terms"] and "bet9体育投注" in flags[0].evidence


def test_title_and_meta_keywords_are_checked():
    head = '<meta name="keywords" content="澳门新葡京,百家乐,真人娱乐">'
    flags = check(page("", head=head))
    assert kinds(flags) == ["injected-terms"]
    assert flags[0].element_path.endswith("/head/meta[4]")


def test_a_user_lexicon_adds_and_removes_terms(tmp_path, monkeypatch):
    html = page("<p>欢迎访问大发快三官方平台。</p>")
    assert check(html) == []
    user = tmp_path / "lexicon.toml"
    user.write_text('threshold = 0.6\n[terms]\n"大发快三" = 0.8\n"新葡京" = 0\n'
                    '[whitelist]\ncontexts = ["新葡京大酒店"]\n', encoding="utf-8")
    lexicon = load_lexicon(user)
    assert lexicon.threshold == 0.6
    assert "365bet" in lexicon.terms  # the bundled terms stay
    flags = check(html, lexicon=lexicon)
    assert kinds(flags) == ["injected-terms"] and "大发快三" in flags[0].evidence
    assert check(page("<p>新葡京</p>"), lexicon=lexicon) == []
    use_lexicon(user)  # what --lexicon / GOVARC_TAMPER_LEXICON set for a process
    try:
        assert kinds(check(html)) == ["injected-terms"]
    finally:
        use_lexicon(None)
    assert check(html) == []


def test_a_user_lexicon_reaches_the_crawl_s_extraction_processes(mini, tmp_path):
    """GOVARC_TAMPER_LEXICON, read by `govarc crawl`, is what its worker processes use."""
    from tests.conftest import FAST, govarc, query

    user = tmp_path / "lexicon.toml"
    user.write_text('[terms]\n"大发快三" = 0.9\n', encoding="utf-8")
    path = "/xw/202604/t20260416_6.html"
    mini.pages[path] = page("<p>欢迎访问大发快三官方平台。</p>")
    registry = mini.registry(tmp_path / "mini.toml")
    for env, db in (({}, "plain.db"), ({"GOVARC_TAMPER_LEXICON": str(user)}, "user.db")):
        result = govarc("crawl", "--portal-file", str(registry), "--db", str(tmp_path / db),
                        "--warc-dir", str(tmp_path / "warc"), *FAST,
                        "-s", "GOVARC_EXTRACT_WORKERS=1", env=env)
        assert result.returncode in (0, 1), result.stderr
    flagged = "SELECT kind FROM flags WHERE url LIKE ?"
    assert query(tmp_path / "plain.db", flagged, ["%" + path]) == []
    assert query(tmp_path / "user.db", flagged, ["%" + path]) == [("injected-terms",)]


def test_a_bad_user_pattern_is_reported(tmp_path):
    user = tmp_path / "bad.toml"
    user.write_text("[patterns]\n'(unclosed' = 0.9\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unclosed"):
        load_lexicon(user)


def test_a_parsed_tree_is_reused_and_left_alone():
    html = page('<div style="display:none"><a href="http://www.bet-example.com/">澳门新葡京</a>'
                "</div>")
    tree = parse_html(html)
    before = etree.tostring(tree)
    assert check(b"", tree=tree) == check(html)
    assert etree.tostring(tree) == before


def test_bytes_are_decoded_like_the_extractor_does():
    html = page("<p>澳门新葡京娱乐场开户送彩金</p>").replace('charset="utf-8"', 'charset="gbk"')
    flags = check(html.encode("gb18030"))
    assert kinds(flags) == ["injected-terms"]
    assert flags[0].to_dict()["kind"] == "injected-terms"
