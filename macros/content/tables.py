"""Macros that show data/*.yml on pages: tables, timeline, cards, lists and glossary terms.

All data text is escaped here (pages render with autoescape off). Each cell's ``cite`` keys
go straight to the page's citation engine (the ``cite`` callback), which puts a citation
right after the cell's text and adds the works to the page's reference list, exactly as
for citations typed into a page. Block-level HTML starts on its own line between blank
lines and is never indented, as Python-Markdown's raw HTML rules and the citation engine's
code-block detection require.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, TypeVar

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.content.data_models import (
    Adaptation,
    Cited,
    GlossaryTerm,
    TherapyAttributes,
    cited_fields,
)
from macros.content.site_data import SiteData
from macros.errors import SiteError, line_of, source_name
from macros.text.literal import literal_markdown

Item = TypeVar("Item")

GLOSSARY_URL = "about/glossary/"
PROBLEM_AREAS_URL = "problem-areas/"


#: Cites a cell's keys on the page being rendered; returns what follows the cell's text.
Cite = Callable[[Sequence[str]], str]


def block(html: str) -> str:
    """Block-level HTML as its own Markdown block."""
    return f"\n\n{html}\n\n"


@dataclass(frozen=True)
class Table:
    """A table with one header row and one header cell per row."""

    table_id: str
    caption: str
    corner: str  # heading of the column of row headings
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Cited]]]


def table_html(table: Table, cell: Callable[[Cited], str]) -> str:
    """An accessible table in a labelled, focusable scroll region.

    Each data cell carries its column heading in ``data-label``, which the CSS shows on
    narrow screens, where every row becomes a stacked card. No ARIA table roles: HTML
    forbids them on native table elements, and the headers' ``scope`` already says it all.
    """
    caption_id = f"{table.table_id}-caption"
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in table.columns)
    body = []
    for heading, cells in table.rows:
        data = "".join(
            f'<td data-label="{escape(column)}">{cell(value)}</td>'
            for column, value in zip(table.columns, cells, strict=True)
        )
        body.append(f'<tr><th scope="row">{escape(heading)}</th>{data}</tr>')
    return block(
        f'<div class="ipt-table" role="region" aria-labelledby="{caption_id}" tabindex="0">\n'
        f'<table class="ipt-data-table" id="{table.table_id}">\n'
        f'<caption id="{caption_id}">{escape(table.caption)}</caption>\n'
        f"<thead><tr>"
        f'<th scope="col">{escape(table.corner)}</th>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>"
    )


class PageMacros:
    """The data macros, bound to the loaded data and to the page being rendered.

    ``current_page`` returns the page mkdocs-macros is rendering: links are made relative
    to it, ids are numbered per page, and a wrong id in a macro call is reported at the
    page's file and line.
    """

    def __init__(self, data: SiteData, current_page: Callable[[], Page], cite: Cite) -> None:
        self.data = data
        self.current_page = current_page
        self.cite = cite
        self._counters: dict[str, int] = {}

    def cell(self, value: Cited) -> str:
        """A cell's escaped text followed by its citation."""
        return f"{literal_markdown(value.text)}{self.cite(value.cite)}"

    # -- macros ----------------------------------------------------------------------

    def comparison_table(
        self,
        therapies: list[str] | None = None,
        attributes: list[str] | None = None,
        caption: str | None = None,
    ) -> str:
        """Therapies as columns, attributes as rows; all of each by default, in file order."""
        known_therapies = {therapy.id: therapy for therapy in self.data.therapies.therapies}
        labels = cited_fields(TherapyAttributes)
        chosen = self._pick("therapy", therapies, known_therapies, "data/therapies.yml")
        rows = self._pick("attribute", attributes, labels, "the attributes in data/therapies.yml")
        names = [therapy.short_name for therapy in chosen]
        rows_ids = attributes or list(labels)
        return table_html(
            Table(
                table_id=self._next_id("ipt-table"),
                caption=caption or f"How {_and_list(names)} compare",
                corner="Question",
                columns=names,
                rows=[
                    (label, [getattr(therapy.attributes, key) for therapy in chosen])
                    for key, label in zip(rows_ids, rows, strict=True)
                ],
            ),
            self.cell,
        )

    def adaptations_table(self) -> str:
        labels = cited_fields(Adaptation)
        return table_html(
            Table(
                table_id=self._next_id("ipt-table"),
                caption="Versions of IPT for different people and settings",
                corner="Version",
                columns=list(labels.values()),
                rows=[
                    (item.name, [getattr(item, key) for key in labels])
                    for item in self.data.adaptations.adaptations
                ],
            ),
            self.cell,
        )

    def phase_timeline(self) -> str:
        """IPT's phases in order, each with when it happens, its purpose and its tasks."""
        items = []
        for phase in self.data.phases.phases:
            tasks = "".join(f"<li>{self.cell(task)}</li>" for task in phase.tasks)
            items.append(
                f'<li class="ipt-timeline__phase" id="phase-{phase.id}">\n'
                f'<p class="ipt-timeline__name"><strong>{escape(phase.name)}</strong></p>\n'
                f'<p class="ipt-timeline__when">When: {self.cell(phase.sessions)}</p>\n'
                f"<p>{self.cell(phase.purpose)}</p>\n"
                f"<ul>{tasks}</ul>\n</li>"
            )
        return block(
            '<ol class="ipt-timeline" aria-label="The phases of IPT">\n'
            + "\n".join(items)
            + "\n</ol>"
        )

    def problem_area_cards(self) -> str:
        """One card per problem area, each linking to its own page."""
        cards = []
        for area in self.data.problem_areas.problem_areas:
            href = self._link(f"{PROBLEM_AREAS_URL}{area.id}/")
            cards.append(
                f'<div class="ipt-card" id="area-{area.id}">\n'
                f'<h2><a href="{escape(href)}">{escape(area.name)}</a></h2>\n'
                f"<p>{self.cell(area.summary)}</p>\n"
                f"<p><strong>When it is chosen:</strong> {self.cell(area.when_chosen)}</p>\n"
                "</div>"
            )
        return block('<div class="ipt-cards">\n' + "\n".join(cards) + "\n</div>")

    def problem_area(self, id: str, heading_level: int = 2) -> str:
        """One problem area in Markdown, so its headings join the page's table of contents."""
        areas = {area.id: area for area in self.data.problem_areas.problem_areas}
        (area,) = self._pick("problem area", [id], areas, "data/problem_areas.yml")
        hashes = "#" * heading_level
        other_names = "; ".join(self.cell(name) for name in area.other_names)
        parts = [
            f"{hashes} When is this focus chosen?",
            self.cell(area.when_chosen),
            f"{hashes} What are the goals?",
            self._bullets(area.goals),
            f"{hashes} What happens in therapy?",
            self._bullets(area.strategies),
        ]
        if other_names:
            parts.insert(2, f"Other names for this area: {other_names}.")
        if area.stages:
            parts.append(f"{hashes} What stage is the disagreement at?")
            parts.append(
                "\n".join(
                    f"- **{literal_markdown(stage.name)}**: {self.cell(stage.description)}"
                    for stage in area.stages
                )
            )
        example = area.example
        parts.append(
            f'!!! example "Fictional example: {literal_markdown(example.title)}"\n\n'
            f"    {literal_markdown(example.text)}"
        )
        return "\n\n" + "\n\n".join(parts) + "\n\n"

    def techniques_list(self) -> str:
        items = "\n".join(
            f'<dt id="technique-{technique.id}">{escape(technique.name)}</dt>\n'
            f"<dd>{self.cell(technique.description)}</dd>"
            for technique in self.data.techniques.techniques
        )
        return block(f'<dl class="ipt-techniques">\n{items}\n</dl>')

    def glossary(self) -> str:
        """Every glossary entry in alphabetical order, each with an anchor term() links to."""
        entries = sorted(self.data.glossary.terms, key=lambda entry: entry.term.casefold())
        items = "\n".join(
            f'<dt id="term-{entry.id}">{escape(entry.term)}</dt>\n'
            f"<dd>{self.cell(entry.definition)}</dd>"
            for entry in entries
        )
        return block(f'<dl class="ipt-glossary">\n{items}\n</dl>')

    def term(self, word: str, text: str | None = None) -> str:
        """An inline glossary term: a link to its entry with a definition on hover and focus.

        The definition is a tooltip referenced by ``aria-describedby``, so screen readers
        announce it and keyboard users see it on focus; the glossary entry it links to
        carries the citations.
        """
        entry = self._glossary_entry(word)
        tip_id = self._next_id(f"ipt-term-{entry.id}")
        href = self._link(GLOSSARY_URL) + f"#term-{entry.id}"
        shown = literal_markdown(text or word)
        definition = literal_markdown(entry.definition.text)
        return (
            f'<span class="ipt-term"><a class="ipt-term__link" href="{escape(href)}" '
            f'aria-describedby="{tip_id}">{shown}</a>'
            f'<span class="ipt-term__tip" role="tooltip" id="{tip_id}" data-search-exclude="true">'
            f"<strong>{literal_markdown(entry.term)}:</strong> {definition}</span></span>"
        )

    # -- helpers -----------------------------------------------------------------------

    def _bullets(self, values: Iterable[Cited]) -> str:
        return "\n".join(f"- {self.cell(value)}" for value in values)

    def _glossary_entry(self, word: str) -> GlossaryTerm:
        wanted = word.casefold()
        for entry in self.data.glossary.terms:
            names = [entry.id, entry.term, *entry.also]
            if wanted in (name.casefold() for name in names):
                return entry
        known = {entry.id: entry for entry in self.data.glossary.terms}
        raise self._unknown("glossary term", word, known, "data/glossary.yml", "term")

    def _pick(
        self, kind: str, wanted: list[str] | None, known: Mapping[str, Item], source: str
    ) -> list[Item]:
        """The items ``wanted`` (all by default), or an error naming the page and the id."""
        if wanted is None:
            return list(known.values())
        if isinstance(wanted, str):
            wanted = [wanted]
        for item_id in wanted:
            if item_id not in known:
                raise self._unknown(kind, item_id, known, source, None)
        return [known[item_id] for item_id in wanted]

    def _unknown(
        self, kind: str, given: Any, known: Mapping[str, Any], source: str, macro: str | None
    ) -> SiteError:
        page = self.current_page()
        close = difflib.get_close_matches(str(given), list(known), n=1)
        guess = f"Did you mean '{close[0]}'? " if close else ""
        return SiteError(
            source_name(page),
            f"unknown {kind} '{given}'" + (f" in {macro}()" if macro else "") + ".",
            line=line_of(page, str(given)),
            hint=f"{guess}Known ids (from {source}): {', '.join(known)}.",
        )

    def _link(self, url: str) -> str:
        return get_relative_url(url, self.current_page().url)

    def _next_id(self, prefix: str) -> str:
        """``prefix-1``, ``prefix-2``... numbered afresh on every page."""
        key = f"{self.current_page().file.src_uri}\0{prefix}"
        self._counters[key] = self._counters.get(key, 0) + 1
        return f"{prefix}-{self._counters[key]}"


def _and_list(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
