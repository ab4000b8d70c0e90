"""Tampering markup put into otherwise ordinary pages (hidden links, redirect scripts)."""

from __future__ import annotations

import re

# Where each kind of injection goes in a rendered page.
_BODY_OPEN = re.compile(r'<div class="(?:view TRS_UEDITOR[^"]*|TRS_Editor)">')


def _after_first_paragraph(html: str, markup: str) -> str:
    start = _BODY_OPEN.search(html)
    if start is None:
        raise ValueError("no TRS body container to inject into")
    end = html.index("</p>", start.end()) + len("</p>")
    return html[:end] + "\n" + markup + html[end:]


def inject(html: str, injections: tuple[tuple[str, str], ...]) -> str:
    """Put each (place, markup) into a rendered TRS page.

    "head": before </head>; "top": right after <body>; "body": inside the article body after
    its first paragraph (several go in order); "footer": at the start of the footer block.
    """
    body_markup = [markup for place, markup in injections if place == "body"]
    if body_markup:
        html = _after_first_paragraph(html, "\n".join(body_markup))
    for place, markup in injections:
        if place == "head":
            html = html.replace("</head>", markup + "\n</head>", 1)
        elif place == "top":
            html = html.replace("<body>\n", "<body>\n" + markup + "\n", 1)
        elif place == "footer":
            marker = '<div class="footer"><div class="w1200 clearfix">\n'
            if marker not in html:
                raise ValueError("no footer to inject into")
            html = html.replace(marker, marker + markup + "\n", 1)
        elif place != "body":
            raise ValueError(f"unknown injection place {place!r}")
    return html
