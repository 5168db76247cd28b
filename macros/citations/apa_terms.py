"""The words APA 7 prints, one table per language; the templates in ``apa.py`` read them.

Each value is what the yardstick (pandoc citeproc, ``apa.csl`` and the CSL locale of that
language) prints, so adding a language is adding a table and its golden files. Where the
locale and the Spanish edition of the APA manual differ, ``tests/golden/README.md`` says which
one we follow and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def english_ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``23rd``."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{({1: 'st', 2: 'nd', 3: 'rd'}).get(number % 10, 'th')}"


def spanish_ordinal(number: int) -> str:
    """``2.ª``: feminine, as "edición" is (CSL es-ES)."""
    return f"{number}.\N{FEMININE ORDINAL INDICATOR}"


@dataclass(frozen=True)
class ApaTerms:
    """Every word and language-bound piece of punctuation the APA engine prints."""

    language: str
    narrative_and: str  # "Lipsitz and Markowitz (2013)"; lists and parentheses keep "&"
    no_date: str  # "(n.d.)", "(n.d.-a)"
    container_in: str  # "In E. Ed (Ed.), Book" and "In Journal"
    months: tuple[str, ...]
    accessed: str  # when a web page was read; fields month_day, month, day and year
    retrieved: str  # "Retrieved {date}, from " before the URL of an undated page
    edition_number: Callable[[int], str]  # "2nd" in "(2nd ed.)"
    page_range_dash: str  # between the pages of a range: an en dash in English
    version: str  # "(Version 1.2)"
    software: str  # "[Computer software]"
    open_quote: str  # around the title of an article that stands in for its author
    close_quote: str
    #: citeproc applies apa.csl's title case only to English: journals, sites, short titles.
    title_case: bool


EN = ApaTerms(
    language="en",
    narrative_and="and",
    no_date="n.d.",
    container_in="In",
    months=("January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"),
    accessed="{month_day}, {year}",
    retrieved="Retrieved {date}, from ",
    edition_number=english_ordinal,
    page_range_dash="\N{EN DASH}",
    version="Version",
    software="Computer software",
    open_quote="\N{LEFT DOUBLE QUOTATION MARK}",
    close_quote="\N{RIGHT DOUBLE QUOTATION MARK}",
    title_case=True,
)  # fmt: skip
ES = ApaTerms(
    language="es",
    narrative_and="y",
    no_date="s.\N{NO-BREAK SPACE}f.",  # never split at a line end (CSL es-ES)
    container_in="En",
    months=("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
            "septiembre", "octubre", "noviembre", "diciembre"),
    accessed="{day} de {month} de {year}",
    retrieved="Recuperado {date}, de ",
    edition_number=spanish_ordinal,
    page_range_dash="-",
    version="Versión",
    software="Software",
    open_quote="\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}",
    close_quote="\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}",
    title_case=False,
)  # fmt: skip
TERMS = {terms.language: terms for terms in (EN, ES)}


def terms_for(language: str) -> ApaTerms:
    """The table for ``language`` (``"en"``, ``"es"``); a clear ValueError for any other."""
    try:
        return TERMS[language]
    except KeyError:
        known = ", ".join(sorted(TERMS))
        raise ValueError(f"no APA terms for language {language!r}; known: {known}") from None
