"""Mirror: a government site's markers (标识码, ICP备, 公网安备, 主办单位) on a host
outside the portal's domains and gov.cn."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from archive.site_identity import find_gongan, find_host_org, find_icp, find_site_code
from archive.tamper.common import (
    _W_CLAIMS_GOV,
    _W_GONGAN,
    _W_ICP,
    _W_ICP_MATCH,
    _W_SITE_ID,
    _W_SITE_ID_MATCH,
    _W_SITE_NAME,
    Flag,
    _hostname,
    _Hosts,
    _is_gov,
    _score,
)
from archive.tamper.lexicon import Lexicon

# --- mirror -------------------------------------------------------------------------------

_GOV_NAME = re.compile(r"人民政府|办公厅|办公室|委员会|厅|局|人大|政协")


def _mirror(root: etree._Element | None, visible: str, url: str, identity: _Hosts,
            site_id_code: str | None, icp: str | None, lexicon: Lexicon,
            path: Any) -> Flag | None:
    netloc = urlsplit(url).netloc.lower() if url else ""
    if not netloc or _is_gov(_hostname(netloc)) or identity.owns(netloc):
        return None
    metas: dict[str, tuple[str, etree._Element]] = {}
    if root is not None:
        for meta in root.iter("meta"):
            name = (meta.get("name") or "").lower()
            content = (meta.get("content") or "").strip()
            if name in ("siteidcode", "sitename", "sitedomain", "url") and content:
                metas.setdefault(name, (content, meta))
    score, evidence, element = 0.0, [], None
    code = metas.get("siteidcode", ("", None))[0]
    if not code:
        code = find_site_code(visible) or ""
    if code:
        score += _W_SITE_ID
        element = metas.get("siteidcode", ("", None))[1]
        if site_id_code and code.lower() == site_id_code.lower():
            score += _W_SITE_ID_MATCH
            evidence.append(f"SiteIDCode {code} (the portal's)")
        else:
            evidence.append(f"SiteIDCode {code}")
    printed = find_icp(visible)
    if printed:
        score += _W_ICP
        if icp and printed.split("-")[0] == re.sub(r"\s+", "", icp).split("-")[0]:
            score += _W_ICP_MATCH
            evidence.append(f"{printed} (the portal's)")
        else:
            evidence.append(printed)
    gongan = find_gongan(visible)
    if gongan:
        score += _W_GONGAN
        evidence.append(gongan)
    name = metas.get("sitename", ("", None))[0]
    if not name:
        name = find_host_org(visible) or ""
    if name and _GOV_NAME.search(name):
        score += _W_SITE_NAME
        evidence.append(name)
    claimed = [c for key in ("sitedomain", "url") if (c := metas.get(key, ("", None))[0])]
    for claim in claimed:
        claim_host = urlsplit(claim if "//" in claim else "//" + claim).netloc.lower()
        if claim_host and _is_gov(_hostname(claim_host)):
            score += _W_CLAIMS_GOV
            evidence.append(f"claims {claim_host}")
            break
    if score < lexicon.threshold:
        return None
    evidence.append(f"served from {netloc}, outside gov.cn and the portal's domains")
    return Flag("mirror", "; ".join(evidence), path(element) if element is not None else None,
                netloc, _score(score))
