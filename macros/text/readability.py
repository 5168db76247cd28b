"""How easy a page is to read, by a formula made for its language, computed locally.

English: the Flesch-Kincaid grade (US school grade; lower is easier). Spanish: the
Szigriszt-Pazos perspicuity index read on the INFLESZ scale (0 to 100; higher is easier),
validated for health texts for patients by Barrio-Cantalejo et al. (2008), Anales del
Sistema Sanitario de Navarra 31(2), 135-152: under 40 very hard, 40-55 fairly hard, 55-65
normal, 65-80 fairly easy, over 80 very easy.

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
#: Spanish vowels: two strong vowels side by side are two syllables (hiatus: "le-er"); a
#: weak vowel (i, u without an accent) joins its neighbour (diphthong: "cuan-do", "ai-re").
_STRONG = set("aeoáéíóú")
_VOWELS = _STRONG | set("iuü")


@dataclass(frozen=True)
class EaseScale:
    """A reading-ease scale where higher is easier, with the site's minimum scores."""

    name: str
    public_min: float  #: for public pages
    handout_min: float  #: handouts are read by people who are unwell: easier still


#: Languages measured by a reading-ease scale instead of the English grade.
EASE_SCALES = {"es": EaseScale("INFLESZ", public_min=55, handout_min=65)}


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def inflesz(self) -> float:
        """Szigriszt-Pazos perspicuity (INFLESZ scale): 206.835 - 62.3 syllables/words -
        words/sentences."""
        if not self.words:
            return 100.0
        return round(206.835 - 62.3 * self.syllables / self.words - self.words / self.sentences, 1)

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


def spanish_syllables(word: str) -> int:
    """Syllable nuclei: a vowel after a consonant, or a strong vowel after a strong one."""
    count = 0
    previous = ""
    for letter in word.lower():
        if letter in _VOWELS and (
            previous not in _VOWELS or (letter in _STRONG and previous in _STRONG)
        ):
            count += 1
        previous = letter
    return max(1, count)


SYLLABLE_COUNTERS = {"en": syllables, "es": spanish_syllables}
#: Words as each language writes them (Spanish has accented letters and ñ).
WORDS = {"en": WORD, "es": re.compile(r"[^\W\d_]+")}


def measure(html: str, language: str = "en") -> Readability:
    """The readability of ``html``: a built page (its article is read) or a fragment."""
    count_syllables, word = SYLLABLE_COUNTERS[language], WORDS[language]
    words = sentences = syllable_count = 0
    for block in blocks(article_html(html)):
        block_words = word.findall(block.text) if block.prose else []
        if not block_words:
            continue
        words += len(block_words)
        syllable_count += sum(count_syllables(word) for word in block_words)
        sentences += max(1, len(_SENTENCE_END.findall(block.text)))
    return Readability(words, max(sentences, 1), syllable_count)


def main(paths: list[str]) -> None:
    """``python -m macros.text.readability site/about/index.html ...``: grade per page."""
    for path in paths:
        result = measure(Path(path).read_text(encoding="utf-8"))
        print(f"{result.grade:5.1f}  {result.words:5d} words  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
