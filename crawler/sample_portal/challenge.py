"""Answers of anti-bot challenges and WAF refusals: 瑞数 (412/202), 加速乐 (521), 403/405.

Each page is deterministic for its path (seeded), short, mostly script, and carries no article.
"""

from __future__ import annotations

import random
import string
import zlib

from .resource import STATIC_TIME, Resource

RUISHU_SCRIPT = "/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js"


def _rng(kind: str, path: str) -> random.Random:
    return random.Random(zlib.crc32(f"{kind}:{path}".encode()))


def _token(rng: random.Random, length: int, alphabet: str = string.ascii_letters + string.digits
           ) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def ruishu(path: str, status: int = 412) -> Resource:
    """瑞数: 412 (newer versions 202), a `$_ts` script, an external script and a cookie."""
    rng = _rng("ruishu", path)
    names = [f"_${_token(rng, 2, string.ascii_letters)}" for _ in range(12)]
    body_js = ";".join(
        f"var {names[i]}={names[(i * 5 + 3) % 12]}[{rng.randrange(64)}]^{rng.randrange(9999)}"
        for i in range(12)
    )
    page = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=utf-8"><meta http-equiv="Expires" content="0"><meta http-equiv="Cache-Control" '
        'content="no-cache"><meta http-equiv="Pragma" content="no-cache">'
        f'<meta id="{_token(rng, 22)}" content="{_token(rng, 180)}" r=\'m\'>'
        "<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
        f'$_ts.nsd={rng.randrange(10000, 99999)};$_ts.cd="{_token(rng, 420)}";'
        f"$_ts.lcd={rng.randrange(10**8)};</script>"
        f'<script type="text/javascript" charset="utf-8" src="{RUISHU_SCRIPT}" r=\'m\'>'
        "</script></head><body><script type=\"text/javascript\" r='m'>(function(){"
        f"{body_js};$_ts.lcd=_$c0();function _$c0(){{return {names[0]}^{names[1]};}}}})();"
        "</script></body></html>"
    ).encode("ascii")
    cookie = "FSSBBIl1UgzbN7N80S" if status == 412 else "NOhVkbbwCUvVS"
    value = _token(rng, 64, string.ascii_letters + string.digits + "._")
    headers = (("Set-Cookie", f"{cookie}={value}; Path=/; expires=Tue, 01 Apr 2036 00:00:00 GMT;"
                              " HttpOnly"), ("Cache-Control", "no-cache, no-store"))
    return Resource(page, "text/html", STATIC_TIME, compressible=False, extra_headers=headers,
                    status=status)


def jiasule(path: str) -> Resource:
    """加速乐: 521 with `X-Via-JSL`, a `__jsluid_h` cookie and a document.cookie script."""
    rng = _rng("jsl", path)
    name = "+".join(f"('{c}')" for c in "__jsl_clearance_s=")
    parts = "+".join(f"(-~[]+'{rng.randrange(10**6):06d}')" for _ in range(3))
    page = (
        f"<script>document.cookie={name}+{parts}+('%')+(-~{{}}+[]+[[]][0])+('D')"
        "+';max-age=3600;path=/';location.href=location.pathname+location.search</script>"
    ).encode("ascii")
    headers = (
        ("X-Via-JSL", f"{rng.randrange(16**7):07x},-"),
        ("Set-Cookie", f"__jsluid_h={rng.randrange(16**32):032x}; max-age=31536000; path=/; "
                       "HttpOnly"),
        ("Cache-Control", "no-cache"),
    )
    return Resource(page, "text/html", STATIC_TIME, compressible=False, extra_headers=headers,
                    status=521)


def waf_block(path: str, status: int = 403) -> Resource:
    """A WAF's refusal page (403, or 405 as some WAFs send)."""
    rng = _rng("waf", path)
    event = f"{rng.randrange(16**16):016x}"
    reason = ("您的访问请求可能对网站造成安全威胁，已被网站应用防火墙（WAF）拦截。" if status == 403
              else "当前访问疑似异常请求，已被网站应用防火墙（WAF）设置为拦截。")
    title = "403 Forbidden 访问被拒绝" if status == 403 else "405 Not Allowed 请求被拦截"
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>'
        f"{title}</title><style>body{{font:14px/1.8 sans-serif;background:#f5f5f5}}"
        ".box{width:560px;margin:120px auto;background:#fff;padding:30px;border-top:4px solid "
        f"#d9534f}}</style></head><body><div class=\"box\"><h1>{status}</h1><p>{reason}</p>"
        f"<p>事件ID：{event}</p><p>如您是正常访问，请联系网站管理员并提供事件ID。</p></div>"
        "</body></html>"
    ).encode()
    return Resource(page, "text/html; charset=utf-8", STATIC_TIME, compressible=False,
                    status=status)


def answer(kind: str, status: int, path: str) -> Resource:
    """The challenge or refusal page for a BrokenSpec kind and status."""
    if status in (412, 202):
        return ruishu(path, status)
    if status == 521:
        return jiasule(path)
    if kind == "blocked":
        return waf_block(path, status)
    raise ValueError(f"no challenge page for {kind} {status}")
