"""Reading grade of a page (Flesch-Kincaid), computed locally with no downloads.

Only prose counts (see :mod:`macros.text.prose`): paragraphs, list items, definitions and
table cells, without citations, previews, reference lists or page furniture.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from macros.text.prose import WORD, article_html, blocks

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


def measure(html: str) -> Readability:
    """The reading grade of ``html``: a built page (its article is read) or a fragment."""
    words = sentences = syllable_count = 0
    for block in blocks(article_html(html)):
        block_words = WORD.findall(block.text) if block.prose else []
        if not block_words:
            continue
        words += len(block_words)
        syllable_count += sum(syllables(word) for word in block_words)
        sentences += max(1, len(_SENTENCE_END.findall(block.text)))
    return Readability(words, max(sentences, 1), syllable_count)


def main(paths: list[str]) -> None:
    """``python -m macros.text.readability site/about/index.html ...``: grade per page."""
    for path in paths:
        result = measure(Path(path).read_text(encoding="utf-8"))
        print(f"{result.grade:5.1f}  {result.words:5d} words  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
