"""Spelling of each page's text, with the project's own word list for IPT terms and names.

Each page is checked against its language's dictionary and word lists: English pages with
pyspellchecker's English list (British spellings accepted), other languages with Debian's
hunspell dictionary (``apt-get install hunspell hunspell-es``: pyspellchecker's Spanish list
has no verb forms, not even "puede"), each with the project's word list plus
docs/editors/wordlist-<lang>.txt.

The built page is checked (so text from macros counts too); each unknown word is traced to
the Markdown line, or the data file, that contains it.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from macros.check.browser import in_ci
from macros.check.project import Finding, Level, Project
from macros.text.prose import article_html, blocks

if TYPE_CHECKING:
    from spellchecker import SpellChecker

NAME = "spelling"
WORDLISTS = ("docs/editors/wordlist.txt", ".config/wordlist.txt")
#: Extra words for pages in a language other than English (names stay in the main list).
LANGUAGE_WORDLIST = "docs/editors/wordlist-{language}.txt"
#: hunspell dictionaries (Debian: /usr/share/hunspell) for the languages besides English.
HUNSPELL = {"es": "es_ES"}
HUNSPELL_DIR = Path("/usr/share/hunspell")
_APOSTROPHE = "\u2019"  # the typographic apostrophe, as in "IPT\u2019s"
_WORD = re.compile(rf"[A-Za-z]+(?:['{_APOSTROPHE}][A-Za-z]+)*")
#: Words with accented letters and ñ, for the other languages.
_LETTERS = re.compile(r"[^\W\d_]+")
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


def words_of(html: str, language: str = "en") -> list[str]:
    """Every word of the page's text (headings included), outside addresses and file names."""
    text = " ".join(block.text for block in blocks(article_html(html)))
    return (_WORD if language == "en" else _LETTERS).findall(_ADDRESS.sub(" ", text))


def is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


@functools.cache
def _dictionary() -> SpellChecker:
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def hunspell_missing(language: str) -> str | None:
    """Why ``language`` cannot be checked here (what to install), or None."""
    dictionary = HUNSPELL.get(language)
    if dictionary is None:
        return f"no dictionary is configured for '{language}' (HUNSPELL in {__name__})"
    if not shutil.which("hunspell") or not (HUNSPELL_DIR / f"{dictionary}.dic").is_file():
        return f"install hunspell and its dictionary: apt-get install hunspell hunspell-{language}"
    return None


def _unknown_to_dictionary(candidates: set[str], language: str) -> set[str]:
    if language == "en":
        return {word for word in _dictionary().unknown(candidates) if not is_british(word)}
    result = subprocess.run(
        ["hunspell", "-d", str(HUNSPELL_DIR / HUNSPELL[language]), "-l", "-i", "utf-8"],
        input="\n".join(sorted(candidates)),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {word.lower() for word in result.stdout.split()}


def project_words(root: Path, language: str = "en") -> set[str]:
    words: set[str] = set()
    extra = (LANGUAGE_WORDLIST.format(language=language),) if language != "en" else ()
    for name in (*WORDLISTS, *extra):
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


def unknown_words(words: list[str], allowed: set[str], language: str = "en") -> list[str]:
    """Misspelt words in first-seen order, each once."""
    candidates = {base_form(word) for word in words if not is_acronym(base_form(word))}
    candidates = {word for word in candidates if word.lower() not in allowed}
    unknown = {word.lower() for word in _unknown_to_dictionary(candidates, language)}
    if language != "en":  # pages name English services and quote English titles
        unknown &= {word.lower() for word in _unknown_to_dictionary(candidates, "en")}
    return [word for word in dict.fromkeys(map(base_form, words)) if word.lower() in unknown]


def where(word: str, page_text: str, data_files: list[tuple[str, str]]) -> tuple[str | None, int]:
    """(data file or None for the page itself, line) of the first whole-word occurrence."""
    pattern = re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")
    for name, text in [(None, page_text), *data_files]:
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                return name, number
    return None, 0


def run(project: Project) -> list[Finding]:
    data_files = [
        (project.relative(path), path.read_text(encoding="utf-8"))
        for path in sorted(project.data_dir.rglob("*.y*ml"))
    ]
    shown_on: dict[tuple[str, int, str, str], list[str]] = {}
    findings = []
    allowed: dict[str, set[str]] = {}
    for page in project.pages:
        if page.language not in allowed:
            missing = hunspell_missing(page.language) if page.language != "en" else None
            if missing:
                level = Level.ERROR if in_ci() else Level.WARNING
                problem = f"pages in '{page.language}' not checked: {missing}"
                findings.append(Finding("(spelling check)", None, level, problem, "then run again"))
            allowed[page.language] = project_words(project.root, page.language)
        if page.language != "en" and hunspell_missing(page.language):
            continue
        words = words_of(page.html, page.language)
        for word in unknown_words(words, allowed[page.language], page.language):
            data_file, line = where(word, page.text, data_files)
            key = (data_file or page.source, line, word, page.language)
            shown_on.setdefault(key, []).append(page.source)
    for (file, line, word, language), pages in shown_on.items():
        suggestion = _dictionary().correction(word.lower()) if language == "en" else None
        fix = f"did you mean '{suggestion}'? " if suggestion else ""
        wordlist = WORDLISTS[0] if language == "en" else LANGUAGE_WORDLIST.format(language=language)
        fix += f"if '{word}' is right, add it to {wordlist}"
        shown = f" (shown on {', '.join(pages)})" if pages != [file] else ""
        findings.append(
            Finding(file, line or None, Level.ERROR, f"unknown word '{word}'{shown}", fix)
        )
    return findings
