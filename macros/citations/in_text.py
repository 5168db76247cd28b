"""In-text citations for one page: read from its Markdown, rendered into its HTML.

Reading replaces each citation with a short private-use token (Python-Markdown leaves those
alone and no page text contains them) and remembers what it stands for; data cells add
theirs by key (:meth:`PageCitations.cite`), never as text to be parsed again. Once the page
is HTML, :meth:`PageCitations.render` writes every citation in document order, so a group
author is spelt out at its first mention (APA 8.21). Each citation links to its entry in
the page's reference list, which also describes the link (``aria-describedby``): the
reference is written once per page, not once per citation. Citations in headings are
rendered while reading, so the table of contents shows their text.

Two styles: APA 7 author-date, "(Weissman, 2020)", and compact markers, a small raised
number per work ("¹") that readers of a health page are not slowed down by; the reference
list is then numbered in the same APA order. With markers, a citation repeated in
consecutive sentences of a paragraph is shown once, after the last of them. A citation with a
page number or a prefix such as "see", and any citation in a heading, stays author-date.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

from macros.citations.apa import InTextLabel, markdown_safe_escape, to_html
from macros.citations.bibliography import Bibliography, Reference
from macros.citations.reference_lists import reference_anchor, reference_href
from macros.citations.syntax import Citation, CiteItem, Found, find_citations
from macros.errors import SiteError

#: Private-use characters around a citation's number: ``\ue000`` 12 ``\ue001``.
_TOKEN_START, _TOKEN_END = "\ue000", "\ue001"
_TOKEN = re.compile(f"{_TOKEN_START}(\\d+){_TOKEN_END}")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
CitationStyle = Literal["markers", "author-date"]


class CitationError(SiteError):
    """A citation of a key that the bibliography does not have, with a "did you mean"."""

    def __init__(self, page: str, line: int | None, key: str, suggestions: list[str]) -> None:
        self.key = key
        self.suggestions = suggestions
        did_you_mean = f" Did you mean '{suggestions[0]}'?" if suggestions else ""
        super().__init__(
            page,
            f"unknown citation key '{key}'.{did_you_mean}",
            line=line,
            hint="Add the work to references.bib or fix the key.",
        )


@dataclass(frozen=True)
class _Cite:
    """A cite item with its formatted work."""

    item: CiteItem
    reference: Reference


class PageCitations:
    """Every citation on one page, from Markdown to HTML; one instance per page and build."""

    def __init__(
        self,
        bibliography: Bibliography,
        page: str,
        source: str | None = None,
        style: CitationStyle = "author-date",
        marker_word: str = "reference",
        language: str = "en",
    ) -> None:
        """``page`` names the file in errors; ``source`` is its text before macros ran, where
        an unknown key is looked up to report the line an editor typed it on.
        ``marker_word`` is what a screen reader says before a raised number, and ``language``
        picks the APA terms ("es": "y", "s. f."), both in the page's language."""
        self.bibliography = bibliography
        self.language = language
        self.page = page
        self.source = source
        self.style = style
        self.marker_word = marker_word
        self._citations: list[Citation] = []
        self._hidden: set[int] = set()  # tokens of repeats shown once, later in the paragraph
        self._numbers: dict[str, int] = {}
        self._cited: dict[str, None] = {}
        self._introduced_groups: set[str] = set()

    @property
    def keys(self) -> list[str]:
        """Keys cited so far, unique, in the order the page cites them."""
        return list(self._cited)

    def cite(self, keys: Sequence[str]) -> str:
        """A parenthetical citation of ``keys`` (a data cell's ``cite`` list), as it follows
        the cell's text: a token, after a space unless it will be a raised number."""
        citation = Citation.of_keys(tuple(keys))
        space = "" if self._as_marker(citation) else " "
        return space + self._token(citation, markdown=None, offset=0)

    @property
    def numbered(self) -> bool:
        """Whether the page's reference list is numbered (the markers point to numbers)."""
        return self.style == "markers"

    def read(self, markdown: str) -> str:
        """``markdown`` with every citation replaced by a token (or, in a heading, its HTML)."""
        found = list(find_citations(markdown))
        repeats = self._repeats(markdown, found) if self.style == "markers" else set()
        parts = []
        position = 0
        for index, place in enumerate(found):
            before = markdown[position : place.start]
            citation = place.citation
            if citation is None:
                parts += [before, "@"]
            elif place.in_heading:
                self._check(citation, markdown, place.start)
                parts += [before, self._author_date(citation)]
            else:
                token = self._token(citation, markdown, place.start)
                if index in repeats:
                    self._hidden.add(len(self._citations) - 1)
                if index in repeats or (self._as_marker(citation) and not citation.narrative):
                    before = before.rstrip(" \t")  # a raised number sits right after the word
                parts += [before, token]
            position = place.end
        parts.append(markdown[position:])
        return "".join(parts)

    def render(self, html: str) -> str:
        """The page's HTML with every token replaced by its citation, in document order."""
        return _TOKEN.sub(lambda match: self._rendered(int(match[1])), html)

    # -- reading --------------------------------------------------------------------------

    def _token(self, citation: Citation, markdown: str | None, offset: int) -> str:
        self._check(citation, markdown, offset)
        self._citations.append(citation)
        return f"{_TOKEN_START}{len(self._citations) - 1}{_TOKEN_END}"

    def _check(self, citation: Citation, markdown: str | None, offset: int) -> None:
        for item in citation.items:
            if item.key not in self.bibliography:
                line = self._line(item.key, markdown, offset)
                raise CitationError(
                    self.page, line, item.key, self.bibliography.suggestions(item.key)
                )

    def _line(self, key: str, markdown: str | None, offset: int) -> int | None:
        if self.source is not None:
            found = re.search(rf"(?<![\w\\])@{re.escape(key)}(?![A-Za-z0-9_])", self.source)
            if found:
                return self.source.count("\n", 0, found.start()) + 1
        return markdown.count("\n", 0, offset) + 1 if markdown is not None else None

    def _as_marker(self, citation: Citation) -> bool:
        """Markers stand for whole works: a page number or a "see" needs author-date."""
        return self.style == "markers" and not any(
            item.prefix or item.locator or item.year_only for item in citation.items
        )

    def _repeats(self, markdown: str, found: list[Found]) -> set[int]:
        """Citations followed, in the same paragraph, by a citation of the same works."""
        breaks = [match.start() for match in _PARAGRAPH_BREAK.finditer(markdown)]
        repeats = set()
        for index, (this, after) in enumerate(itertools.pairwise(found)):
            if (
                this.citation is not None
                and after.citation is not None
                and not (this.in_heading or after.in_heading)
                and self._as_marker(this.citation)
                and _keys(this.citation) == _keys(after.citation)
                and not this.citation.narrative
                and bisect.bisect(breaks, this.start) == bisect.bisect(breaks, after.start)
            ):
                repeats.add(index)
        return repeats

    # -- rendering ------------------------------------------------------------------------

    def _rendered(self, number: int) -> str:
        if number in self._hidden:
            for item in self._citations[number].items:
                self._reference(item.key)  # still cited: it stays in the reference list
            return ""
        citation = self._citations[number]
        return self._markers(citation) if self._as_marker(citation) else self._author_date(citation)

    def _author_date(self, citation: Citation) -> str:
        cites = [_Cite(item, self._reference(item.key)) for item in citation.items]
        if citation.narrative:
            return self._narrative(cites[0])
        return "(" + "; ".join(self._clusters(cites)) + ")"

    def _markers(self, citation: Citation) -> str:
        """Raised reference numbers; a narrative citation keeps its author as words."""
        cites = [_Cite(item, self._reference(item.key)) for item in citation.items]
        numbers = self._reference_numbers()
        hidden = f'<span class="ipt-sr-only">{escape(self.marker_word)} </span>'
        ordered = sorted(cites, key=lambda cite: numbers[cite.reference.key])
        links = ", ".join(
            _linked(cite, f"{hidden}{numbers[cite.reference.key]}") for cite in ordered
        )
        marks = f'<sup class="ipt-cite-marks" data-search-exclude>{links}</sup>'
        if not citation.narrative:
            return marks
        label = cites[0].reference.label
        author = to_html(label.narrative_author)
        if label.group_abbreviation:
            abbreviation = markdown_safe_escape(label.group_abbreviation)
            full = to_html(label.author)
            author = f"{full} ({abbreviation})" if self._first_mention(label) else abbreviation
        return author + marks

    def _reference_numbers(self) -> dict[str, int]:
        """Each cited work's place in the page's reference list (APA order), from 1."""
        if not self._numbers:
            keys = {item.key for citation in self._citations for item in citation.items}
            keys |= set(self._cited)  # cited in headings
            ordered = sorted(
                keys, key=lambda key: self.bibliography.reference(key, self.language).sort_key
            )
            self._numbers = {key: number for number, key in enumerate(ordered, start=1)}
        return self._numbers

    def _reference(self, key: str) -> Reference:
        self._cited.setdefault(key)
        return self.bibliography.reference(key, self.language)

    def _clusters(self, cites: list[_Cite]) -> Iterator[str]:
        """apa.csl's cluster: sorted unless prefixes/suffixes are used; one author, many years.

        Works by the same author list collapse to ``Author, 2011, 2016`` (joined with "; "
        when one of them has a locator), as pandoc's citeproc does.
        """
        if not any(cite.item.prefix or cite.item.is_free_suffix for cite in cites):
            cites = sorted(cites, key=lambda cite: cite.reference.cite_sort_key)
        groups: list[list[_Cite]] = []
        for cite in cites:
            previous = groups[-1][-1] if groups else None
            if (
                previous
                and not (cite.item.prefix or cite.item.is_free_suffix)
                and not previous.item.is_free_suffix
                and not (cite.item.year_only or previous.item.year_only)
                and cite.reference.authors_key == previous.reference.authors_key
            ):
                groups[-1].append(cite)
            else:
                groups.append([cite])
        for group in groups:
            first, *rest = group
            delimiter = "; " if any(cite.item.locator for cite in group) else ", "
            parts = [self._parenthetical(first)]
            parts += [_linked(cite, cite.reference.label.year) + cite.item.locator for cite in rest]
            yield delimiter.join(parts)

    def _parenthetical(self, cite: _Cite) -> str:
        """``see Weissman, 2020, p. 12``; a group author's first mention adds ``[ABBR]``."""
        label = cite.reference.label
        item = cite.item
        prefix = f"{item.prefix} " if item.prefix else ""
        if item.year_only:
            return prefix + _linked(cite, label.year) + item.locator
        author = to_html(label.author)
        if label.group_abbreviation:
            abbreviation = markdown_safe_escape(label.group_abbreviation)
            author = f"{author} [{abbreviation}]" if self._first_mention(label) else abbreviation
        return prefix + _linked(cite, f"{author}, {label.year}") + item.locator

    def _narrative(self, cite: _Cite) -> str:
        """``Weissman (2020)``; a group author's first mention is ``Name (ABBR, 2022)``.

        The link covers the author, the date follows in parentheses (with any locator).
        """
        label = cite.reference.label
        year = f"{label.year}{cite.item.locator}"
        if not label.group_abbreviation:
            return f"{_linked(cite, to_html(label.narrative_author))} ({year})"
        abbreviation = markdown_safe_escape(label.group_abbreviation)
        if self._first_mention(label):
            return f"{_linked(cite, to_html(label.author))} ({abbreviation}, {year})"
        return f"{_linked(cite, abbreviation)} ({year})"

    def _first_mention(self, label: InTextLabel) -> bool:
        """Whether this is the page's first mention of the group author (APA 8.21)."""
        group = label.group_name or ""
        first = group not in self._introduced_groups
        self._introduced_groups.add(group)
        return first


def _linked(cite: _Cite, html: str) -> str:
    """The citation text as a link to, and described by, its reference list entry."""
    key = cite.reference.key
    return (
        f'<a class="ipt-cite" href="{reference_href(key)}" '
        f'aria-describedby="{reference_anchor(key)}">{html}</a>'
    )


def _keys(citation: Citation) -> tuple[str, ...]:
    return tuple(sorted(item.key for item in citation.items))


def render_citations(
    markdown: str,
    bibliography: Bibliography,
    *,
    page: str,
    style: CitationStyle = "author-date",
    language: str = "en",
) -> str:
    """Read and render ``markdown``'s citations in one go (for tests and fragments)."""
    citations = PageCitations(bibliography, page, style=style, language=language)
    return citations.render(citations.read(markdown))
