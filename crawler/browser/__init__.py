"""Fetching through a real browser (Chromium, driven by Playwright) for sections behind
JavaScript walls and lists written by script: see service.py (the browser and its capture),
support.py (the crawl's use of it), routing.py (when) and handler.py (the download)."""

BROWSER_META = "govarc_browser"  # request.meta: fetch this request through the browser
CAPTURED_META = "_govarc_captured"  # request.meta: the browser archived this exchange
RENDERED_META = "govarc_rendered"  # request.meta: the DOM the browser rendered (str)
HANDOFF_META = "_govarc_handoff"  # request.meta: sent with cookies a browser handed on
