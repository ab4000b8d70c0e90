"""A response's access problem (a challenge or a refusal), worked out once per response.

The browser routing asks it of every plain response, and the spider again of the same
response object in its callback; the answer is kept beside the response for as long as
the response lives.
"""

from __future__ import annotations

import contextlib
from weakref import WeakKeyDictionary

from scrapy.http import Response

from archive.access import access_problem
from crawler.browser.wire import WireError, decoded

_LARGEST_DECODED = 1 << 20  # a body still compressed is read up to this much
_answers: WeakKeyDictionary[Response, tuple[str, str] | None] = WeakKeyDictionary()


def response_problem(response: Response) -> tuple[str, str] | None:
    """(failure kind, reason) when `response` is a challenge or a refusal, else None. A
    body still compressed (routing sees responses as transferred) is read decompressed."""
    try:
        return _answers[response]
    except KeyError:
        pass
    headers = response.headers.to_unicode_dict()
    body = response.body
    encoding = headers.get("Content-Encoding")
    if encoding and len(body) < _LARGEST_DECODED:
        with contextlib.suppress(WireError):
            body = decoded(body, encoding, _LARGEST_DECODED)
    problem = access_problem(response.status, dict(headers), body)
    _answers[response] = problem
    return problem
