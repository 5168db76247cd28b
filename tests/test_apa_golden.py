"""Our APA output equals the yardstick's (pandoc citeproc + apa.csl), stored in tests/golden/.

In English (``NAME.tsv``) and in Spanish (``NAME.es.tsv``, the yardstick's ``--lang es-ES``).
The documented differences: a group author with an abbreviation is introduced as
"Name [ABBR]" / "Name (ABBR, 2022)" on its first citation in a page (APA 8.21), which apa.csl
cannot do, so the comparison removes the abbreviation from those two forms; and the
yardstick's "and" in narrative citations (its N4) is English in every language.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros.citations.bibliography import Bibliography, Reference
from macros.citations.in_text import render_citations

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
FIXTURES = ROOT / "tests" / "fixtures"
#: As in tests/golden/regenerate.sh: beside the repository, or wherever APA_ORACLE says.
ORACLE = Path(
    os.environ.get("APA_ORACLE", ROOT.parent / "shared" / "apa-yardstick" / "apa_oracle.py")
)
BIBS = {
    "references": ROOT / "references.bib",
    **{path.stem: path for path in sorted(FIXTURES.glob("*.bib"))},
}
_TAG = re.compile(r"<[^>]+>")
_EM = re.compile(r"<em>(.*?)</em>")
#: Links whose text is an http(s) address; pandoc also links "javascript:" text, we never do.
_HTTP_LINK = re.compile(r'<a href="([^"]*)">https?:')
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
#: Golden sets rendered in other languages too (``NAME.LANGUAGE.tsv``).
TRANSLATED = {"es": ("references", "ipt_sample")}
#: The yardstick's locale for each translation (``apa_oracle.py --lang``, as regenerate.sh).
CSL_LOCALE = {"es": "es-ES"}
#: The narrative "and" of each translation (the yardstick's is English: tests/golden/README.md).
NARRATIVE_AND = {"es": "y"}
CASES = [(name, "en") for name in sorted(BIBS)] + [
    (name, language) for language, names in TRANSLATED.items() for name in names
]


def golden_rows(name: str, suffix: str = "tsv") -> list[list[str]]:
    lines = (GOLDEN / f"{name}.{suffix}").read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines]


def text(fragment: str) -> str:
    """Visible text of an HTML fragment, with typographic quotes made straight."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split()).translate(_QUOTES)


class Golden:
    """One golden set in one language: the stored yardstick rows and our bibliography."""

    def __init__(self, name: str, language: str) -> None:
        self.name = self.file_name(name, language)
        self.language = language
        self.bibliography = Bibliography.load(BIBS[name])

    @staticmethod
    def file_name(name: str, language: str) -> str:
        """``references``, ``references.es``: the golden file's name without its suffix."""
        return name if language == "en" else f"{name}.{language}"

    def rows(self, suffix: str = "tsv") -> list[list[str]]:
        return golden_rows(self.name, suffix)

    def reference(self, key: str) -> Reference:
        return self.bibliography.reference(key, self.language)


@pytest.fixture(scope="module", params=CASES, ids=[f"{name}-{lang}" for name, lang in CASES])
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(*request.param)


def test_reference_list_equals_the_yardstick(golden: Golden) -> None:
    rows = golden.rows()
    assert len(rows) == len(golden.bibliography.keys)
    for key, reference, _, _ in rows:
        # The yardstick prints CSL's no-break spaces ("s. f.") as spaces.
        ours = golden.reference(key).text.replace("\N{NO-BREAK SPACE}", " ")
        assert ours.translate(_QUOTES) == reference.translate(_QUOTES)


def test_reference_list_order_equals_the_yardstick(golden: Golden) -> None:
    ours = sorted(golden.bibliography.keys, key=lambda key: golden.reference(key).sort_key)
    assert ours == [row[0] for row in golden.rows()]


def test_italics_and_links_equal_the_yardstick(golden: Golden) -> None:
    for key, reference_html, _, _ in golden.rows("html.tsv"):
        ours = golden.reference(key).html
        assert [text(part) for part in _EM.findall(ours)] == [
            text(part) for part in _EM.findall(reference_html)
        ], key
        assert [html.unescape(url) for url in _HTTP_LINK.findall(ours)] == [
            html.unescape(url) for url in _HTTP_LINK.findall(reference_html)
        ], key


def test_in_text_citations_equal_the_yardstick(golden: Golden) -> None:
    """Each key cited once, on a fresh page, parenthetically and narratively."""
    for key, _, parenthetical, narrative in golden.rows():
        abbreviation = golden.reference(key).label.group_abbreviation
        ours_parenthetical = cite_alone(f"[@{key}]", golden.bibliography, golden.language)
        ours_narrative = cite_alone(f"@{key}", golden.bibliography, golden.language)
        if abbreviation:
            ours_parenthetical = ours_parenthetical.replace(f" [{abbreviation}]", "")
            ours_narrative = ours_narrative.replace(f"({abbreviation}, ", "(")
        if golden.language != "en" and " & " in parenthetical:
            # The yardstick's N4 writes "and" whatever the language; the word is the locale's.
            assert narrative == narrative_of(parenthetical, "and"), key
            narrative = narrative_of(parenthetical, NARRATIVE_AND[golden.language])
        assert ours_parenthetical == parenthetical.translate(_QUOTES), key
        assert ours_narrative == narrative.translate(_QUOTES), key


def narrative_of(parenthetical: str, conjunction: str) -> str:
    """``(A & B, 2013)`` as a narrative citation: ``A <conjunction> B (2013)``."""
    author, year = parenthetical.removeprefix("(").removesuffix(")").rsplit(", ", 1)
    return f"{author.replace(' & ', f' {conjunction} ')} ({year})"


def cite_alone(markdown: str, bibliography: Bibliography, language: str = "en") -> str:
    """The visible text of one citation, as the first citation on its page."""
    return text(render_citations(markdown, bibliography, page="page.md", language=language))


@pytest.mark.parametrize("language", ["en", *TRANSLATED])
def test_golden_files_are_current_for_references_bib(language: str) -> None:
    """Re-run the yardstick on references.bib when pandoc is available (it is not in CI)."""
    if importlib.util.find_spec("pypandoc") is None or not ORACLE.exists():
        pytest.skip(
            "pandoc (pip install pypandoc-binary==1.17) or shared/apa-yardstick is missing; "
            "the stored golden files were not re-checked"
        )
    name = Golden.file_name("references", language)
    lang = ["--lang", CSL_LOCALE[language]] if language in CSL_LOCALE else []
    for suffix, options in (("tsv", []), ("html.tsv", ["--format", "html"])):
        fresh = subprocess.run(
            [sys.executable, str(ORACLE), str(BIBS["references"]), *lang, *options],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        stored = (GOLDEN / f"{name}.{suffix}").read_text(encoding="utf-8")
        assert fresh == stored, "references.bib changed: run tests/golden/regenerate.sh"
