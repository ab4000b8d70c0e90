"""A government site's identity as its pages print it: 政府网站标识码, ICP备案号, 公网安备号
and 主办单位. Extraction reads them (`archive/extract/metadata.py`); the tamper watch checks
them on hosts outside the portal (`archive/tamper/mirror.py`): one definition for both.
"""

from __future__ import annotations

import re

# 网站标识码 (政府网站标识码): ten digits, or "bm" and eight digits (the national register).
SITE_CODE_VALUE = re.compile(r"(?:bm|BM)\d{8}|\d{10}")
SITE_CODE = re.compile(r"网站标识码\s*+[:：]?\s*+((?:bm|BM)\d{8}|\d{10})")
# 滇ICP备05000000号-1, 京ICP证030173号 (the traditional 證 too).
ICP = re.compile(r"[\u4e00-\u9fff]ICP[备證证]\s*\d+\s*号(?:\s*-\s*\d+)?")
# 滇公网安备 53010202000000号
GONGAN = re.compile(r"[\u4e00-\u9fff]公网安备\s*\d{10,}\s*号?")
# 主办单位：云南省人民政府办公厅 (up to a space, a bar or the next label's colon).
HOST_ORG = re.compile(r"(?:^|\s)主办(?:单位)?\s*[:：]\s*([^\s|:：]{2,40})")


def find_icp(text: str) -> str | None:
    """The first ICP number printed in `text`, spaces removed."""
    found = ICP.search(text)
    return "".join(found.group(0).split()) if found else None


def find_site_code(text: str) -> str | None:
    """The 网站标识码 printed in `text`."""
    found = SITE_CODE.search(text)
    return found.group(1) if found else None


def find_gongan(text: str) -> str | None:
    """The 公网安备 number printed in `text`, spaces collapsed."""
    found = GONGAN.search(text)
    return " ".join(found.group(0).split()) if found else None


def find_host_org(text: str) -> str | None:
    """The 主办单位 printed in `text`."""
    found = HOST_ORG.search(text)
    return found.group(1) if found else None
