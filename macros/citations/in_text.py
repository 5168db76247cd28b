"""APA 7 in-text citations for one page: read from its Markdown, rendered into its HTML.

Reading replaces each citation with a short private-use token (Python-Markdown leaves those
alone and no page text contains them) and remembers what it stands for; data cells add
theirs by key (:meth:`PageCitations.cite`), never as text to be parsed again. Once the page
is HTML, :meth:`PageCitations.render` writes every citation in document order, so a group
author is spelt out at its first mention (APA 8.21). Each citation links to its entry in
the page's reference list, which also describes the link (``aria-describedby``): the
reference is written once per page, not once per citation. Citations in headings are
rendered while reading, so the table of contents shows their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from macros.citations.apa import InTextLabel, markdown_safe_escape, to_html
from macros.citations.bibliography import Bibliography, Reference
from macros.citations.reference_lists import reference_anchor, reference_href
from macros.citations.syntax import Citation, CiteItem, find_citations
from macros.errors import SiteError

#: Private-use characters around a citation's number: ``\ue000`` 12 ``\ue001``.
_TOKEN_START, _TOKEN_END = "\ue000", "\ue001"
_TOKEN = re.compile(f"{_TOKEN_START}(\\d+){_TOKEN_END}")


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

    def __init__(self, bibliography: Bibliography, page: str, source: str | None = None) -> None:
        """``page`` names the file in errors; ``source`` is its text before macros ran, where
        an unknown key is looked up to report the line an editor typed it on."""
        self.bibliography = bibliography
        self.page = page
        self.source = source
        self._citations: list[Citation] = []
        self._cited: dict[str, None] = {}
        self._introduced_groups: set[str] = set()

    @property
    def keys(self) -> list[str]:
        """Keys cited so far, unique, in the order the page cites them."""
        return list(self._cited)

    def cite(self, keys: Sequence[str]) -> str:
        """A parenthetical citation of ``keys`` (a data cell's ``cite`` list), as a token."""
        return self._token(Citation.of_keys(tuple(keys)), markdown=None, offset=0)

    def read(self, markdown: str) -> str:
        """``markdown`` with every citation replaced by a token (or, in a heading, its HTML)."""
        parts = []
        position = 0
        for found in find_citations(markdown):
            parts.append(markdown[position : found.start])
            if found.citation is None:
                parts.append("@")
            elif found.in_heading:
                self._check(found.citation, markdown, found.start)
                parts.append(self._html(found.citation))
            else:
                parts.append(self._token(found.citation, markdown, found.start))
            position = found.end
        parts.append(markdown[position:])
        return "".join(parts)

    def render(self, html: str) -> str:
        """The page's HTML with every token replaced by its citation, in document order."""
        return _TOKEN.sub(lambda match: self._html(self._citations[int(match[1])]), html)

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

    # -- rendering ------------------------------------------------------------------------

    def _html(self, citation: Citation) -> str:
        cites = [_Cite(item, self._reference(item.key)) for item in citation.items]
        if citation.narrative:
            return self._narrative(cites[0])
        return "(" + "; ".join(self._clusters(cites)) + ")"

    def _reference(self, key: str) -> Reference:
        self._cited.setdefault(key)
        return self.bibliography.reference(key)

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


def render_citations(markdown: str, bibliography: Bibliography, *, page: str) -> str:
    """Read and render ``markdown``'s citations in one go (for tests and fragments)."""
    citations = PageCitations(bibliography, page)
    return citations.render(citations.read(markdown))
