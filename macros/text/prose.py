"""One reader for the words on a page, shared by the reading grade, reading time and spelling.

Only what a person reads counts: the page's own text. Code, citation links, glossary
previews, reference lists, permalink signs and page furniture are skipped. Text inside
paragraph-like elements (``PROSE_TAGS``) is prose; each such element is its own block, so
headings and list items without full stops never merge into one giant sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

PROSE_TAGS = frozenset({"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption"})
#: Elements that end a run of text (headings, captions, containers) without being prose.
BREAK_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "caption", "summary", "div", "section", "tr", "table"}
    | {"label", "textarea", "button"}
)
SKIPPED_TAGS = frozenset(
    {"script", "style", "code", "pre", "svg", "nav", "header", "footer", "kbd", "samp"}
)
SKIPPED_CLASSES = (
    "ipt-cite",
    "ipt-term__tip",
    "ipt-references",
    "ipt-reflist",
    "ipt-bibliography",
    "ipt-page-info",
    "headerlink",
)
VOID_TAGS = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr", "source", "col"})
WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


@dataclass(frozen=True)
class Block:
    """A run of text; ``prose`` when it sits in a paragraph, list item, cell or quote."""

    text: str
    prose: bool


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, skipped, prose)
        self._prose: list[str] = []
        self._other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            self.handle_data(" ")  # <br>, <input>: words on either side stay apart
            return
        classes = dict(attrs).get("class") or ""
        skipped = tag in SKIPPED_TAGS or any(name in classes for name in SKIPPED_CLASSES)
        self._boundary(tag)
        parent_skipped = bool(self._open) and self._open[-1][1]
        parent_prose = bool(self._open) and self._open[-1][2]
        self._open.append((tag, skipped or parent_skipped, tag in PROSE_TAGS or parent_prose))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        while self._open:
            if self._open.pop()[0] == tag:
                break
        self._boundary(tag)

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1][1]:
            return
        (self._prose if self._open and self._open[-1][2] else self._other).append(data)

    def close(self) -> None:
        super().close()
        self._flush(self._prose, prose=True)
        self._flush(self._other, prose=False)

    def _boundary(self, tag: str) -> None:
        if tag in PROSE_TAGS:
            self._flush(self._prose, prose=True)
        if tag in PROSE_TAGS or tag in BREAK_TAGS:
            self._flush(self._other, prose=False)

    def _flush(self, buffer: list[str], *, prose: bool) -> None:
        text = " ".join("".join(buffer).split())
        if text:
            self.blocks.append(Block(text, prose))
        buffer.clear()


def blocks(html: str) -> list[Block]:
    """The page's text as blocks, in reading order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.blocks


def prose_words(html: str) -> int:
    """How many words of prose ``html`` holds: what reading time is estimated from."""
    return sum(len(WORD.findall(block.text)) for block in blocks(html) if block.prose)


def article_html(page_html: str) -> str:
    """A built page's own content: Material wraps it in ``<article class="md-content__inner">``."""
    start = page_html.find("<article")
    end = page_html.rfind("</article>")
    return page_html[start:end] if start >= 0 and end > start else page_html
