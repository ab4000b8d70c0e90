"""The extractor's tuning numbers, each with what it decides.

Lengths are characters of a rendered line (whitespace kept) unless they say "prose"
(characters without whitespace); distances are rendered lines. The values were set by
hand against the labelled corpora (../shared/corpus, bench/corpus, the templates) when
the extractor was written (commits 6734b3d, 0771771); `python bench/extraction.py`
shows what a change does. Counts inside regexes (``.{0,40}`` …) stay with their patterns.
"""

from __future__ import annotations

# --- body choice (body.py, pipeline.py) ---------------------------------------------------

CANDIDATES = 10  # best-scored blocks rendered and compared against the headline position
MIN_BODY_SCORE = 20.0  # below it the best block is chrome: readability's body is used instead
PROSE_MIN_CHARS = 10  # punctuated text this long counts fully as prose
CELL_MIN_CHARS = 2  # link-free text in a table cell counts as prose from this length
LONG_FRAGMENT_CHARS = 40  # unpunctuated text this long counts half (a long caption, a list)
FRAGMENT_WEIGHT = 0.5  # what such text counts for, and what shorter text counts against
CLASS_HINT_BONUS = 1.15  # score factor of a block whose class/id names a body container
CLASS_HINT_PENALTY = 0.85  # score factor of a block whose class/id names page chrome
PARAGRAPH_FACTOR = 0.5  # score factor of a single paragraph: its container should win
ABOVE_HEADLINE_FACTOR = 0.2  # score factor of a candidate ending above the headline
HEADLINE_GAP_FREE = 5  # lines between headline and candidate that cost nothing
HEADLINE_GAP_SCALE = 15  # further lines: the score is divided by 1 + gap / this

# --- headline (metadata.py, pipeline.py) --------------------------------------------------

TITLE_REF_MIN_CHARS = 4  # shorter pieces of <title>/ArticleTitle are no reference
HEADLINE_MAX_LINES = 4  # lines one headline may span (<br> inside it)
HEADLINE_MAX_CHARS = 200  # a joined headline stops growing past this (prose)
HEADLINE_AFTER_BODY = 6  # lines after the body start where a headline is still looked for
PARTIAL_TITLE_MIN_CHARS = 8  # a line starting a reference must be this long (prose) …
PARTIAL_TITLE_MIN_SHARE = 0.6  # … and cover this share of it to count as the headline
BEFORE_BODY_BONUS = 4  # rank added to a headline candidate above the body
HEADING_MARKS = 60  # h1/h2/*title* elements marked as fallback headings
HEADING_GAP_MAX = 8  # a fallback heading ends at most this many lines above the body
HEADING_MAX_LINES = 3  # lines a fallback heading may span
HEADING_MIN_CHARS = 4  # a fallback heading's length bounds
HEADING_MAX_CHARS = 100
HEADLINE_SEARCH_LINES = 8  # body lines searched for the repeated headline
REPEATED_TITLE_MIN_CHARS = 6  # a shorter headline form atop the body: this long and half of it
TITLE_EXTRA_MAX = 12  # a body line holding the headline plus this much (a kicker) is dropped
HEADLINE_SKIP_LINES = 3  # short lines above the repeated headline searched past
DECK_LINE_MAX = 40  # a kicker/deck line is at most this long
DECK_MAX_LINES = 5  # deck lines dropped after a kicker-form headline
SUBTITLE_MAX = 60  # a ——subtitle line after the repeated headline is at most this long

# --- metadata lines (metadata.py, pipeline.py, boilerplate.py) ----------------------------

META_AFTER_LINES = 8  # lines after the headline (or body start) searched for labelled metadata
META_BEFORE_LINES = 25  # lines above the headline searched
META_INSIDE_LINES = 8  # first body lines searched
AFTER_TITLE_LINES = 6  # lines after the headline searched for a bare date
DATED_TITLE_LINES = 4  # a date in these lines under the headline makes the page dated
DATE_AFTER_LABEL = 40  # characters after a date label (or of the next line) read for its date
DATE_LABEL_GAP_MAX = 2  # characters between a date label and its date
DATE_LINE_MAX = 100  # a bare date line is at most this long
NEXT_LINE_VALUE_MAX = 40  # a bare label takes the next line as value up to this length
META_LINE_MAX = 160  # a metadata line is at most this long
META_LINE_MIN_LABELS = 2  # labels (发布时间 … 来源 …) that make a line a metadata line
DATED_META_LINE_MAX = 80  # a line starting with a date, then a label, at most this long
LABEL_LINE_MAX = 60  # a line starting with one strong label, at most this long
BOILERPLATE_LINE_MAX = 120  # control, credit, related and footer lines are at most this long
TOOL_LINE_MAX = 60  # a line of page tools at a body's start or end is at most this long
BOX_HEAD_DEPTH = 4  # levels (the block and three below) searched for a box's first text
BOX_TEXT_MAX = 40  # a related/prev-next head with no link heads a box up to this length
FOOTER_CHARS = 3000  # end of the page text searched for the 主办 line (site name)

# --- section (metadata.py) ----------------------------------------------------------------

CRUMB_LINE_MAX = 120  # a breadcrumb line is at most this long
CRUMB_TRAIL_REACH = 10  # a bare a > b > c trail counts within this many lines above the headline
CRUMB_MAX_CHARS = 200  # a breadcrumb continued over lines stops growing past this

# --- page kind (pagekind.py, pipeline.py) -------------------------------------------------

INFO_ANCHORS_MAX = 20  # 索引号/发文机关 texts followed up to their information box
INFO_BOX_DEPTH = 6  # levels above such a text searched for the box
INFO_BOX_MAX_CHARS = 1500  # a box holds at most this much text (more is the whole page)
INFO_BOX_MIN_LABELS = 3  # distinct information labels that make a box
DOC_MIN_FIELDS = 2  # distinct document-field labels a box must show to give its fields
DOC_VALUE_MAX = 200  # a longer document-field value is text the box swallowed, not a value
ERROR_TEXT_CHARS = 300  # start of a title or message searched for 404/页面不存在
ERROR_BODY_CHARS = 100  # start of the body searched so
ERROR_MAX_PROSE = 400  # an error page's message is shorter (prose): longer text is an article
ARTICLE_MIN_PROSE = 30  # body under a headline or a date: an article from this length
UNANCHORED_MIN_PROSE = 200  # body with neither: an article from this length …
UNANCHORED_MAX_LINK_DENSITY = 0.3  # … with less link text than this share …
UNANCHORED_MIN_SHARE = 0.2  # … and at least this share of the page's text
LIST_LINK_MIN_CHARS = 5  # a list item's link text is at least this long
LIST_ITEM_DEPTH = 3  # levels above a link searched for its li/tr/…
LIST_ITEM_MAX_CHARS = 200  # a list item holds at most this much text
LIST_MIN_ITEMS = 8  # dated links in one list that make a list page

# --- attachments (attachments.py) ---------------------------------------------------------

# Document links read per page: real articles have a few, rarely a hundred; a page with
# tens of thousands is an attack on the time spent per link (urljoin costs ~25 µs).
MAX_DOCUMENT_LINKS = 1000

# --- the fallback when the rules are unsure (fallback.py) ---------------------------------

FALLBACK_MIN_PROSE = 50  # prose a body must have to be kept: shorter is a stub or a caption
FALLBACK_MAX_LINK_SHARE = 0.5  # a body more than half link labels is a list or a menu
FALLBACK_MAX_CHARS = 2_000_000  # pages longer than this are not given to readability-lxml
FALLBACK_HEADLINE_LINES = 3  # top lines of a fallback body searched for a headline left there
TEMPLATE_DEPTH = 3  # elements of a template signature: the body container and two ancestors
TEMPLATE_NAME_CHARS = 40  # an id or class name is cut here in a signature
LONG_BODY_PROSE = 200  # a body this long adds to the confidence (most articles are longer)
