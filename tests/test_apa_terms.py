"""Spanish APA terms the two Spanish golden sets do not reach, and the per-language API.

The expected strings are the yardstick's own lines (``apa_oracle.py --lang es-ES``) for the
BibLaTeX type fixture (a data set, a program, a dated web page) and the edge cases (a
numbered report, a chapter in a book with three editors and a textual edition).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from macros.citations.apa_terms import terms_for
from macros.citations.bibliography import Bibliography
from macros.citations.cite_this_page import apa_reference_html
from macros.citations.in_text import render_citations
from macros.citations.reference_lists import references_section
from tests.conftest import ENGLISH, SPANISH
from tests.test_apa_golden import ROOT, cite_alone, text

FIXTURES = ROOT / "tests" / "fixtures"
YARDSTICK_ES = {
    "dataset": "Dee, D. (2020). Some data (Versión 2) [Dataset]. Zenodo. "
    "https://doi.org/10.5281/zenodo.1",
    "software": "Sof, T. (2021). A program (Versión 1.2.3) [Software]. https://example.org/p",
    "online": "NHS. (2024, febrero 5). A web page. NHS website. https://www.nhs.uk/x",
    "report2": "Kessler, R. (2005). A numbered report (Technical report No. 42). RAND Corporation.",
    "ch2": "Doe, J. (2011). Chapter two. En O. Ed, T. Ed, & T. Ed (Eds.), Book "
    "(Updated and expanded ed., p. 5). Pub.",
}


@pytest.fixture(scope="module")
def types() -> Bibliography:
    return Bibliography.load(FIXTURES / "types" / "biblatex_types.bib")


@pytest.mark.parametrize("key", sorted(YARDSTICK_ES))
def test_spanish_entries_equal_the_yardstick(types: Bibliography, key: str) -> None:
    bibliography = types if key in types else Bibliography.load(FIXTURES / "edge_cases.bib")
    assert bibliography.reference(key, "es").text == YARDSTICK_ES[key]


def test_each_language_is_formatted_once_and_apart(types: Bibliography) -> None:
    spanish = types.reference("software", "es")
    assert types.reference("software", "es") is spanish
    assert "[Computer software]" in types.reference("software").text
    assert "[Software]" in spanish.text


def test_an_unknown_language_is_named_in_the_error(types: Bibliography) -> None:
    with pytest.raises(ValueError, match="'fr'; known: en, es"):
        types.reference("software", "fr")
    with pytest.raises(ValueError, match="'fr'"):
        terms_for("fr")


def test_a_title_for_a_missing_author_is_in_spanish_quotes(tmp_path: Path) -> None:
    """The yardstick's in-text forms: «» quotes, the comma outside them, no title case."""
    bib = tmp_path / "untitled.bib"
    bib.write_text(
        "@article{noauth, title = {A study of things: More}, journaltitle = {Journal},"
        " date = {2020}}",
        encoding="utf-8",
    )
    bibliography = Bibliography.load(bib)
    assert cite_alone("[@noauth]", bibliography, "es") == "(«A study of things», 2020)"
    assert cite_alone("@noauth", bibliography, "es") == "«A study of things» (2020)"


def test_a_spanish_page_lists_and_cites_in_spanish() -> None:
    """The entry points the plugin calls per page: the reference list and both styles."""
    bibliography = Bibliography.load(ROOT / "references.bib")
    section = references_section(["iptuknd"], bibliography, language="es")
    assert (
        "IPTUK. (s.\N{NO-BREAK SPACE}f.-b). " in section
        and "Recuperado 22 de noviembre de 2026, de " in section
    )
    markdown = "@lipsitz2013 found it [@iptuknd]."
    for style in ("author-date", "markers"):
        page = text(
            render_citations(markdown, bibliography, page="p.es.md", style=style, language="es")
        )
        assert page.startswith("Lipsitz y Markowitz"), style
    assert "(IPTUK, s. f.-b)" in cite_alone("[@iptuknd]", bibliography, "es")


def test_cite_this_page_dates_the_page_in_its_language() -> None:
    """As the yardstick dates a web page: "(2024, febrero 5)"; English stays "November"."""
    reviewed = datetime.date(2026, 11, 27)
    spanish = apa_reference_html("Understanding IPT", "About", reviewed, "https://x.org/", SPANISH)
    assert spanish == "Understanding IPT. (2026, noviembre 27). <em>About</em>. https://x.org/"
    english = apa_reference_html("S", "T", reviewed, "https://x.org/", ENGLISH)
    assert "(2026, November 27)" in english
