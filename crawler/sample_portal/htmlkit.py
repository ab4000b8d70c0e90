"""Small HTML helpers shared by the templates: escaping, relative links, body markup."""

from __future__ import annotations

import html
import posixpath
import random

from .specs import Block


def esc(text: str) -> str:
    """Escape text content."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Escape an attribute value."""
    return html.escape(text, quote=True)


def rel(from_path: str, to_path: str) -> str:
    """A relative link from the page at `from_path` to `to_path`, TRS style (``./`` prefixed)."""
    base = from_path.rsplit("/", 1)[0] or "/"
    target = to_path.rstrip("/") or "/"
    link = posixpath.relpath(target, base)
    if link == ".":
        return "./"
    if to_path.endswith("/"):
        link += "/"
    return link if link.startswith("..") else "./" + link


_JUSTIFIED = "text-indent: 2em; text-align: justify;"
_FANGSONG = "font-family: 仿宋_GB2312, 仿宋; font-size: 16pt;"


def _split_spans(rng: random.Random, text: str, style: str) -> str:
    if len(text) < 20 or rng.random() < 0.5:
        return f'<span style="{style}">{esc(text)}</span>'
    cut = rng.randint(5, len(text) - 5)
    first, second = esc(text[:cut]), esc(text[cut:])
    return f'<span style="{style}">{first}</span><span style="{style}">{second}</span>'


def _table(block: Block, cell_p: bool) -> str:
    rows = []
    for number, row in enumerate(block.rows):
        cells = []
        for cell in row:
            inner = f"<p>{esc(cell)}</p>" if cell_p else esc(cell)
            if number == 0:
                inner = f"<strong>{inner}</strong>"
            cells.append(f'<td valign="middle" align="center">{inner}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="0" align="center" width="100%">'
            "<tbody>" + "".join(rows) + "</tbody></table>")


def render_blocks(blocks: tuple[Block, ...], style: int, rng: random.Random,
                  image_src: dict[str, str]) -> str:
    """Body markup for the blocks in one of three editor styles; `image_src` maps paths to hrefs."""
    out = []
    for block in blocks:
        if block.kind == "p":
            if style == 0:
                out.append(f'<p style="{_JUSTIFIED}">{esc(block.text)}</p>')
            elif style == 1:
                span = _split_spans(rng, block.text, _FANGSONG)
                out.append(f"<p>\u3000\u3000{span}</p>")
            else:
                out.append(f'<p align="justify">&nbsp;&nbsp;&nbsp;&nbsp;{esc(block.text)}</p>')
        elif block.kind == "subhead":
            if style == 2:
                out.append(f'<p align="center"><b>{esc(block.text)}</b></p>')
            else:
                out.append(f'<p style="text-indent: 2em;"><strong>{esc(block.text)}</strong></p>')
        elif block.kind == "image":
            src = image_src[block.src]
            out.append(f'<p style="text-align: center;"><img src="{attr(src)}" alt="" '
                       f'width="600" height="400" oldsrc="{attr(src.rsplit("/", 1)[-1])}"/></p>')
            if block.text:
                out.append('<p style="text-align: center;"><span style="font-family: 楷体, '
                           f'楷体_GB2312, SimKai;">{esc(block.text)}</span></p>')
        elif block.kind == "table":
            out.append(_table(block, cell_p=style != 2))
        elif block.kind == "lines":
            joined = "<br/>".join(esc(line) for line in block.lines)
            out.append(f'<p style="text-indent: 2em;">{joined}</p>')
        else:
            raise ValueError(f"unknown block kind {block.kind!r}")
    return "\n".join(out)
