"""Spelling of each page's text, with the project's own word list for IPT terms and names.

The built page is checked (so text from macros counts too); each unknown word is traced to
the Markdown line, or the data file, that contains it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from macros.check.project import Finding, Level, Project
from macros.text.prose import article_html, blocks

if TYPE_CHECKING:
    from spellchecker import SpellChecker

NAME = "spelling"
WORDLISTS = ("docs/editors/wordlist.txt", ".config/wordlist.txt")
_APOSTROPHE = "\u2019"  # the typographic apostrophe, as in "IPT\u2019s"
_WORD = re.compile(rf"[A-Za-z]+(?:['{_APOSTROPHE}][A-Za-z]+)*")
#: Web and e-mail addresses and file names are not words.
_ADDRESS = re.compile(
    r"\S+://\S+|www\.\S+|\S+@\S+\.\S+|\S+\.(?:json|csv|pdf|ya?ml|txt|md|html|bib)\b"
)
#: British spelling -> the American form the dictionary knows (colour -> color).
_BRITISH = (
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"our(s|al|ed|ing|ful|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"tred$"), "tered"),
    (re.compile(r"mme(s)?$"), r"m\1"),
    (re.compile(r"ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
    (re.compile(r"ence$"), r"ense"),
    (re.compile(r"ae"), "e"),
    (re.compile(r"oe"), "e"),
)


def words_of(html: str) -> list[str]:
    """Every word of the page's text (headings included), outside addresses and file names."""
    text = " ".join(block.text for block in blocks(article_html(html)))
    return _WORD.findall(_ADDRESS.sub(" ", text))


def is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


@functools.cache
def _dictionary() -> SpellChecker:
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def project_words(root: Path) -> set[str]:
    words: set[str] = set()
    for name in WORDLISTS:
        path = root / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                word = line.split("#", 1)[0].strip()
                if word:
                    words.add(word.lower())
    return words


def is_british(word: str) -> bool:
    """A British spelling of a word the (American-leaning) dictionary knows."""
    american = {pattern.sub(replacement, word) for pattern, replacement in _BRITISH} - {word}
    return bool(american) and bool(_dictionary().known(american))


def base_form(word: str) -> str:
    return re.sub(rf"['{_APOSTROPHE}]s$", "", word).replace(_APOSTROPHE, "'")


def unknown_words(words: list[str], allowed: set[str]) -> list[str]:
    """Misspelt words in first-seen order, each once."""
    candidates = {base_form(word) for word in words if not is_acronym(base_form(word))}
    candidates = {word for word in candidates if word.lower() not in allowed}
    unknown = {word for word in _dictionary().unknown(candidates) if not is_british(word)}
    return [word for word in dict.fromkeys(map(base_form, words)) if word.lower() in unknown]


def where(word: str, page_text: str, data_files: list[tuple[str, str]]) -> tuple[str | None, int]:
    """(data file or None for the page itself, line) of the first whole-word occurrence."""
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])")
    for name, text in [(None, page_text), *data_files]:
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                return name, number
    return None, 0


def run(project: Project) -> list[Finding]:
    allowed = project_words(project.root)
    data_files = [
        (project.relative(path), path.read_text(encoding="utf-8"))
        for path in sorted(project.data_dir.rglob("*.y*ml"))
    ]
    shown_on: dict[tuple[str, int, str], list[str]] = {}
    for page in project.pages:
        for word in unknown_words(words_of(page.html), allowed):
            data_file, line = where(word, page.text, data_files)
            shown_on.setdefault((data_file or page.source, line, word), []).append(page.source)
    findings = []
    for (file, line, word), pages in shown_on.items():
        suggestion = _dictionary().correction(word.lower())
        fix = f"did you mean '{suggestion}'? " if suggestion else ""
        fix += f"if '{word}' is right, add it to {WORDLISTS[0]}"
        shown = f" (shown on {', '.join(pages)})" if pages != [file] else ""
        findings.append(
            Finding(file, line or None, Level.ERROR, f"unknown word '{word}'{shown}", fix)
        )
    return findings
