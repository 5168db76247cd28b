"""Reading grade of a built page (Flesch-Kincaid), computed locally with no downloads.

Only what readers read as prose counts: paragraphs, list items, definitions and table
cells inside the article. Citations, tooltips, the reference list and page furniture
are left out, and every block ends a sentence so headings and list items without full
stops do not merge into one giant sentence.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

PROSE_TAGS = frozenset({"p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption"})
SKIPPED_CLASSES = (
    "ipt-cite",
    "ipt-term__tip",
    "ipt-references",
    "ipt-reflist",
    "ipt-page-info",
    "headerlink",
)
SKIPPED_TAGS = frozenset({"script", "style", "code", "pre", "svg", "nav", "header", "footer"})
VOID_TAGS = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr", "source", "col"})
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level (US school grade)."""
        if not self.words:
            return 0.0
        return round(
            0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1
        )


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e, at least one: good to about 90% of words."""
    word = word.lower().replace("\u2019", "'").split("'")[0]
    count = len(_VOWEL_GROUPS.findall(word))
    consonant_le = word.endswith("le") and len(word) > 2 and word[-3] not in "aeiouy"
    if word.endswith("e") and not consonant_le and not word.endswith(("ee", "ye")) and count > 1:
        count -= 1
    if word.endswith(("ed", "es")) and count > 1 and not word.endswith(("ted", "ded", "ses")):
        count -= 1
    return max(1, count)


class _ProseCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped)
        self._current: list[str] = []

    @property
    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        classes = dict(attrs).get("class") or ""
        skipped = tag in SKIPPED_TAGS or any(name in classes for name in SKIPPED_CLASSES)
        if tag in PROSE_TAGS:
            self._flush()
        self._open.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_TAGS:
            return
        while self._open:
            opened, _ = self._open.pop()
            if opened == tag:
                break
        if tag in PROSE_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skipping and any(tag in PROSE_TAGS for tag, _ in self._open):
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []


def article_html(page_html: str) -> str:
    """The page's own content: Material wraps it in <article class="md-content__inner">."""
    start = page_html.find("<article")
    end = page_html.rfind("</article>")
    return page_html[start:end] if start >= 0 and end > start else page_html


def measure(html: str) -> Readability:
    collector = _ProseCollector()
    collector.feed(article_html(html))
    collector.close()
    words = sentences = syllable_count = 0
    for block in collector.blocks:
        block_words = _WORD.findall(block)
        if not block_words:
            continue
        words += len(block_words)
        syllable_count += sum(syllables(word) for word in block_words)
        sentences += max(1, len(_SENTENCE_END.findall(block)))
    return Readability(words, max(sentences, 1), syllable_count)


def main(paths: list[str]) -> None:
    """``python -m macros.readability site/about/index.html ...``: grade per page."""
    for path in paths:
        result = measure(Path(path).read_text(encoding="utf-8"))
        print(f"{result.grade:5.1f}  {result.words:5d} words  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
