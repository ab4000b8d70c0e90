"""Tamper watch: flag SEO spam injected into archived government pages.

``check_page(body, url, portal_domains=...)`` returns the `Flag`s of one page, of kinds:

- ``injected-terms``: gambling/porn terms of the lexicon in the visible text (with <title> and
  meta keywords/description); a term standing in for a place name scores higher.
- ``hidden-link``: a link to a foreign host hidden by CSS (inline or a ``<style>`` rule on a
  class/id) whose text or host is spam.
- ``script-link``: a script that ``document.write``s / ``innerHTML``s a spam link.
- ``script-redirect``: a script (or meta refresh) sending visitors to a foreign host.
- ``mirror``: government markers (SiteIDCode, ICP备, 公网安备) on a host outside the
  portal's domains and outside gov.cn.

A foreign host is one not under gov.cn, not a portal domain and not a trusted host of the
lexicon. Each finding is scored 0..1; those scoring >= the lexicon's ``threshold`` (0.5 in
the bundled lexicon) are returned. Scores add up evidence (see the ``_W_*`` weights and the
lexicon): e.g. a hidden foreign link scores its hiding weight (0.3-0.4) plus up to 0.6 for
spam in its text or host, so hidden sharing menus and dropdowns never reach 0.5.

The lexicon is ``archive/tamper_lexicon.toml``; ``load_lexicon(path)`` merges a user file
over it; ``use_lexicon(path)`` sets the one ``default_lexicon()`` gives in a process (the
command line's ``--lexicon``, or ``GOVARC_TAMPER_LEXICON``).
"""

from __future__ import annotations

from lxml import etree

from archive.errors import ExtractionError
from archive.extract.decode import decode_html
from archive.extract.parse import DEEP_ATTRIBUTE, LIBXML2_DEPTH, parse_html
from archive.tamper.common import _W_DEEP, KINDS, LEXICON_ENV, Flag, _Hosts, _score
from archive.tamper.css import _style_rules
from archive.tamper.lexicon import Lexicon, default_lexicon, load_lexicon, use_lexicon
from archive.tamper.links import _hidden_links, _scripts
from archive.tamper.mirror import _mirror
from archive.tamper.terms import _injected
from archive.tamper.walk import _Page, _walk

__all__ = [
    "KINDS", "LEXICON_ENV", "Flag", "Lexicon", "check_page", "default_lexicon",
    "load_lexicon", "use_lexicon",
]


# --- entry point --------------------------------------------------------------------------


def _decode(body: bytes | str, content_type: str | None) -> str:
    if isinstance(body, str):
        return body
    if not body:
        return ""
    try:
        return decode_html(bytes(body), content_type)[0]
    except ExtractionError:
        return ""


def check_page(body: bytes | str, url: str, *, portal_domains: tuple[str, ...],
               portal_site_id_code: str | None = None, portal_icp: str | None = None,
               text: str | None = None, lexicon: Lexicon | None = None,
               tree: etree._Element | None = None, identity_domains: tuple[str, ...] | None = None,
               content_type: str | None = None) -> list[Flag]:
    """The tamper flags of one page, strongest first (see the module docstring).

    `body`: the page as served (bytes are decoded like the extractor does; a str without
    markup is taken as plain text). `url`: where it was fetched (links resolve against it;
    the mirror check needs its host). `portal_domains`: the portal's hosts (host[:port], a
    port-less entry covers its subdomains). `portal_site_id_code` / `portal_icp`: the
    government identity the page should carry; for a registry entry noted "mirror of X" pass
    X's code, ICP and, as `identity_domains`, X's domains (where that identity legitimately
    lives; default `portal_domains`). `text`: extra text to scan for terms (e.g. the extracted
    body, or a plain-text rendering). `tree`: the page already parsed by
    ``archive.extract.parse.parse_html`` and not yet pruned (it is not modified).
    """
    lexicon = lexicon if lexicon is not None else default_lexicon()
    hosts = _Hosts(portal_domains, lexicon)
    identity = _Hosts(identity_domains if identity_domains is not None else portal_domains,
                      lexicon)
    root = tree
    if root is None:
        html = _decode(body, content_type)
        if "<" in html:
            try:
                root = parse_html(html)
            except ExtractionError:
                root = None
        elif html.strip():
            text = html if not text else html + "\n" + text
    flags: list[Flag] = []
    if root is None:
        visible = text or ""
        page = _Page()
        extra: list[tuple[str, etree._Element | None]] = []

        def path(el: etree._Element) -> str:
            return ""
    else:
        getpath = root.getroottree().getpath

        def path(el: etree._Element) -> str:
            return getpath(el)

        page = _walk(root, _style_rules(root))
        extra = _head_text(root)
        visible = "".join(page.pieces)
        base = url or ""
        flags.extend(_hidden_links(page, base, hosts, lexicon, path))
        flags.extend(_scripts(root, base, hosts, lexicon, path))
    injected = _injected(page, extra, text, lexicon, path)
    if injected is not None:
        flags.append(injected)
    mirror = _mirror(root, visible if root is not None else (text or ""), url, identity,
                     portal_site_id_code, portal_icp, lexicon, path)
    if mirror is not None:
        flags.append(mirror)
    depth = root.get(DEEP_ATTRIBUTE) if root is not None else None
    if depth:
        flags.append(Flag("deep-nesting", f"elements nested {depth} levels deep: past the "
                          f"{LIBXML2_DEPTH} levels libxml2 reads, text there is invisible to "
                          "most parsers while browsers show it", path(root), None,
                          _score(_W_DEEP)))
    flags.sort(key=lambda f: (-f.score, KINDS.index(f.kind)))
    return flags


def _head_text(root: etree._Element) -> list[tuple[str, etree._Element | None]]:
    """<title> and meta keywords/description: shown in the tab and in search results."""
    out: list[tuple[str, etree._Element | None]] = []
    for title in root.iter("title"):
        out.append(("".join(title.itertext()), title))
        break
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("keywords", "description"):
            content = meta.get("content")
            if content:
                out.append((content, meta))
    return out
