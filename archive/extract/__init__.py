"""Article extraction for Chinese government pages: ``extract(body, url, content_type)``.

The page is decoded (``decode``), parsed once (``parse``), its blocks scored to find the
body (``body``), rendered to lines by the corpus text rules (``html_text``), cleaned of
government boilerplate (``boilerplate``) and read for metadata (``metadata``) and for the
document fields of its 信息公开 box (``docfields``).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field

from lxml import etree

from archive.errors import ExtractionError
from archive.extract.decode import decode_html
from archive.extract.docfields import DOC_KEYS, empty_document, normalize_doc_number
from archive.extract.fallback import EXTRACTOR_VERSION
from archive.extract.parse import Dropped, parse_html, unprune
from archive.extract.pipeline import run

__all__ = ["DOC_KEYS", "EXTRACTOR_VERSION", "Extraction", "ExtractionError", "decode_html",
           "extract", "extract_page", "normalize_doc_number"]


@dataclass
class Extraction:
    """What one page says: clean body text plus metadata (None when the page lacks it)."""

    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    author: str | None = None
    section: str | None = None
    site_name: str | None = None
    site_id_code: str | None = None
    icp: str | None = None
    canonical_url: str | None = None
    keywords: str | None = None
    description: str | None = None
    text: str = ""
    kind: str = "other"
    method: str = "none"  # how the text was found: rules, fallback (readability-lxml), none
    confidence: float = 0.0  # how sure the extractor is the text is the article's body, 0-1
    template: str | None = None  # signature of the body's container (see fallback.template_of)
    extractor_version: int = EXTRACTOR_VERSION
    encoding: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)  # {name, url}
    # What the page's 信息公开 box says of the document (DOC_KEYS: 索引号, 发文机关, 文号 …);
    # every key present, None where the page has no box or the box no value.
    document: dict[str, str | None] = field(default_factory=empty_document)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of every field."""
        return asdict(self)


def extract(body: bytes, url: str | None = None, content_type: str | None = None) -> Extraction:
    """Extract the article text and metadata of one HTML page.

    Raises ExtractionError for an empty body, binary content or a page with no text.
    """
    text, encoding = _decoded(body, content_type)
    return Extraction(encoding=encoding, **run(text, url))


def extract_page(body: bytes, url: str | None = None, content_type: str | None = None
                 ) -> tuple[Extraction, etree._Element]:
    """``extract``, plus the whole page as parsed (what extraction pruned put back), for
    checks that read every part of the page without decoding and parsing again."""
    text, encoding = _decoded(body, content_type)
    root = parse_html(text)
    if root.getprevious() is None and root.getnext() is None:
        undo: list[Dropped] | None = []
        whole = root
    else:  # top-level strays beside <html> (see parse_html): the checks read a copy of
        undo, whole = None, copy.deepcopy(root)  # <html> alone, its element paths as ever
    fields = run(text, url, root, undo)
    if undo:
        unprune(undo)
    return Extraction(encoding=encoding, **fields), whole


def _decoded(body: bytes, content_type: str | None) -> tuple[str, str]:
    if not isinstance(body, bytes | bytearray | memoryview):
        raise ExtractionError(f"expected bytes, got {type(body).__name__}")
    return decode_html(bytes(body), content_type)
