"""Requests in Redis as JSON, rebuilt only from the fields govarc allows: never pickle.

scrapy-redis stores requests pickled by default, and unpickling runs whatever the bytes
ask for: anyone able to write to the run's Redis would run code on every worker. Here a
request is a JSON object of plain values, and a worker rebuilds a `scrapy.Request` from
it only after checking each field: an http(s) URL, a method, headers, a body, a priority,
a callback among the spider's own, and the meta keys the crawl uses, each of its type.
Anything else is refused (RequestRejected) and never crawled.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapy import Request

from crawler.cms.base import PageRequest

if TYPE_CHECKING:
    from scrapy import Spider

CALLBACKS = frozenset({"parse_list", "parse_article", "parse_attachment", "on_error"})
METHODS = frozenset({"GET", "POST", "HEAD"})
MAX_URL = 8192
MAX_TEXT = 8192
MAX_BODY = 1 << 20
MAX_HEADERS = 64
MAX_LIST = 1000


class RequestRejected(ValueError):
    """A request in Redis that govarc did not write (or no longer reads)."""


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise RequestRejected(f"expected a string of at most {limit} characters")
    return value


def _url(value: Any) -> str:
    url = _text(value, MAX_URL)
    if not url.startswith(("http://", "https://")):
        raise RequestRejected(f"not an http(s) URL: {url[:80]!r}")
    return url


def _int(value: Any, low: int = -(10**9), high: int = 10**9) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RequestRejected(f"expected a whole number from {low} to {high}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise RequestRejected("expected true or false")
    return value


def _browser_mode(value: Any) -> str:
    if value not in ("full", "retry"):
        raise RequestRejected("expected full or retry")
    return value


def _list(item: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise RequestRejected(f"expected a list of at most {MAX_LIST} items")
        return [item(v) for v in value]
    return check


def _form(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > MAX_HEADERS:
        raise RequestRejected("expected a form of at most 64 fields")
    return {_text(k): _text(v) for k, v in value.items()}


def _status_list(value: Any) -> list[int]:
    codes = _list(lambda v: _int(v, 100, 599))(value)
    if set(codes) - {304}:
        raise RequestRejected("only 304 may be handled by the callback")
    return codes


def _reason(value: Any) -> int | str:
    return _int(value, 100, 599) if isinstance(value, int) else _text(value, 64)


def _pending(value: Any) -> tuple[PageRequest, ...]:
    pages = []
    for item in _list(lambda v: v)(value):
        if not isinstance(item, dict):
            raise RequestRejected("a pending list page must be an object")
        method = _text(item.get("method", "GET"), 8)
        kind = _text(item.get("kind", "list"), 32)
        if method not in METHODS or kind not in ("list", "hanweb-proxy", "jpaas-api"):
            raise RequestRejected("a pending list page of an unknown method or kind")
        form = tuple((_text(k), _text(v)) for k, v in _form(dict(item.get("formdata", {})))
                     .items())
        pages.append(PageRequest(_url(item.get("url")), method, form, kind))
    return tuple(pages)


def _dump_pending(pages: tuple[PageRequest, ...]) -> list[dict[str, Any]]:
    return [{"url": p.url, "method": p.method, "formdata": dict(p.formdata), "kind": p.kind}
            for p in pages]


# The meta keys a queued request may carry, each with its check. Others (WARC locations,
# lease ids, download slots, proxies, bind addresses) are not carried and not accepted.
META: dict[str, Callable[[Any], Any]] = {
    "portal": _text, "section": _text, "list_kind": _text, "govarc_role": _text,
    "article_url": _url, "first_page": _bool, "known": _bool, "govarc_spool": _bool,
    "quiet": lambda v: _int(v, 0, 10**6), "formdata": _form, "pending": _pending,
    "handle_httpstatus_list": _status_list, "download_maxsize": lambda v: _int(v, 0, 2**40),
    "redirect_urls": _list(_url), "redirect_reasons": _list(_reason),
    "redirect_times": lambda v: _int(v, 0, 100), "redirect_ttl": lambda v: _int(v, 0, 100),
    "retry_times": lambda v: _int(v, 0, 100), "depth": lambda v: _int(v, 0, 10**6),
    "govarc_browser": _browser_mode,
}


def _callback_name(function: Any, spider: Spider) -> str | None:
    if function is None:
        return None
    name = getattr(function, "__name__", "")
    if name not in CALLBACKS or getattr(function, "__self__", None) is not spider:
        raise RequestRejected(f"callback {name or function!r} is not one of the spider's")
    return name


def encode(request: Request, spider: Spider) -> bytes:
    """The request as JSON (the meta keys of META only)."""
    meta = {}
    for key, value in request.meta.items():
        if key in META:
            meta[key] = _dump_pending(value) if key == "pending" else value
    data = {
        "url": request.url,
        "method": request.method,
        "headers": {name.decode("latin-1"): [v.decode("latin-1") for v in values]
                    for name, values in request.headers.items()},
        "body": base64.b64encode(request.body).decode("ascii"),
        "priority": request.priority,
        "dont_filter": request.dont_filter,
        "callback": _callback_name(request.callback, spider),
        "errback": _callback_name(request.errback, spider),
        "meta": meta,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(raw: bytes | str, spider: Spider, maxsize: int | None = None) -> Request:
    """A Request rebuilt from `encode`'s JSON, every field checked; RequestRejected if any
    is not what govarc writes. A `download_maxsize` is capped at `maxsize`."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestRejected(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or set(data) - {
            "url", "method", "headers", "body", "priority", "dont_filter", "callback",
            "errback", "meta"}:
        raise RequestRejected("not a request object of govarc's")
    method = _text(data.get("method"), 8)
    if method not in METHODS:
        raise RequestRejected(f"method {method!r} is not allowed")
    headers = data.get("headers", {})
    if not isinstance(headers, dict) or len(headers) > MAX_HEADERS:
        raise RequestRejected("headers must be an object of at most 64 names")
    checked_headers = {_text(name, 256): _list(_text)(values)
                       for name, values in headers.items()}
    try:
        body = base64.b64decode(_text(data.get("body", ""), MAX_BODY * 2), validate=True)
    except (binascii.Error, ValueError):
        raise RequestRejected("the body is not base64") from None
    meta_in = data.get("meta", {})
    if not isinstance(meta_in, dict):
        raise RequestRejected("meta must be an object")
    meta = {}
    for key, value in meta_in.items():
        check = META.get(key)
        if check is None:
            raise RequestRejected(f"meta key {key!r} is not one govarc writes")
        meta[key] = check(value)
    if maxsize is not None and "download_maxsize" in meta:
        meta["download_maxsize"] = min(meta["download_maxsize"], maxsize)
    callbacks = {}
    for field in ("callback", "errback"):
        name = data.get(field)
        if name is not None:
            if name not in CALLBACKS:
                raise RequestRejected(f"{field} {name!r} is not one of the spider's")
            callbacks[field] = getattr(spider, name)
    return Request(_url(data.get("url")), method=method, headers=checked_headers, body=body,
                   priority=_int(data.get("priority", 0)),
                   dont_filter=_bool(data.get("dont_filter", False)), meta=meta, **callbacks)
