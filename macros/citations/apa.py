"""APA 7 style for pybtex entries: reference-list entries, in-text labels, sort order.

The yardstick is pandoc citeproc with the official ``apa.csl`` (see ``tests/golden/README.md``),
so wherever APA leaves room the rules below print what ``apa.csl`` prints: "PhD thesis", "…"
before the last of 21 or more authors, year suffixes in reference-list order. Each entry type is
one declarative pybtex template (``TEMPLATES``); the custom nodes defined here supply what
pybtex's stock nodes cannot (APA names, dates with a/b suffixes, links only for http(s) URLs).
Field values are decoded from LaTeX and titles put in sentence case by
:mod:`macros.citations.latex`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as field_factory
from functools import cached_property
from html import escape
from operator import attrgetter

from pybtex.backends import html as html_backend
from pybtex.backends import plaintext as plaintext_backend
from pybtex.bibtex.utils import split_tex_string
from pybtex.database import Entry, Person
from pybtex.richtext import BaseText, HRef, String, Tag, Text
from pybtex.style.template import (
    FieldIsMissing,
    join,
    node,
    optional,
    sentence,
    tag,
    words,
)

from macros.citations import latex as bibtex_text
from macros.citations.apa_terms import EN, ApaTerms

ENDASH = "\N{EN DASH}"
#: APA 9.8 via apa.csl: list up to 20 authors; from 21 on, the first 19, "…", and the last.
MAX_LISTED_AUTHORS = 20
#: Markdown would re-interpret these inside inserted HTML text, so they become entities.
_MARKDOWN_ENTITIES = str.maketrans(
    {"*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;", "\\": "&#92;"}
)
_LINKABLE = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)
#: A DOI inside whatever an export put in the doi field ("doi:10.1/x", a proxy's address).
_DOI = re.compile(r"\b10(?:\.\d+/\S+|/[a-z0-9]+\b)")
_NUMERIC = re.compile(r"[A-Za-z]*\d+[A-Za-z]*(?:\s*[-\u2013,&]\s*[A-Za-z]*\d+[A-Za-z]*)*")
_PAGE_RANGE = re.compile(r"([A-Za-z]*)(\d+)\s*[-\u2013]+\s*([A-Za-z]*)(\d+)")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_URL_ESCAPE = re.compile(r"\\([_%&#$~])")


class StyleDataError(ValueError):
    """An entry field that the style cannot read; ``field`` names it for the error message."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


# --------------------------------------------------------------------------- text helpers


def plain(value: str) -> str:
    """A BibTeX value as plain text, LaTeX decoded."""
    return bibtex_text.plain(bibtex_text.decode(value))


def title_case(text: str) -> str:
    """Title case as citeproc applies apa.csl's ``text-case="title"`` (journal and site names).

    Words in small letters are capitalised, except citeproc's stop words ("of", "and", "de")
    in the middle; words in capitals or with inner capitals are
    kept; the first word, the first after ``: `` and the last are always capitalised.
    """
    chunks = bibtex_text.chunks(text)
    words_at = [index for index, chunk in enumerate(chunks) if chunk.isalnum()]
    last_word = words_at[-1] if words_at and " " in text.strip() else None
    state = bibtex_text.START
    out = []
    for index, chunk in enumerate(chunks):
        if chunk.isalnum():
            if index == last_word and state in (bibtex_text.WORD_END, bibtex_text.START_SENTENCE):
                state = _BEFORE_LAST_WORD
            chunk = _title_case_word(state, chunk)
        state = bibtex_text.next_state(state, chunk)
        out.append(chunk)
    return "".join(out)


_BEFORE_LAST_WORD = -1
#: citeproc's title-case stop words (``isStopWord``), not CSL's longer list.
_CITEPROC_STOP_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor",
     "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
     "about", "van", "von", "de", "d", "l"}
)  # fmt: skip


def _title_case_word(state: int, word: str) -> str:
    mixed = any(char.isupper() for char in word) and any(char.islower() for char in word)
    if mixed and not (word[0].isupper() and word[1:].islower()):
        return word  # inner capitals: "eLife", "McDonald"
    if all(char.isupper() or not char.isalpha() for char in word):
        return word
    capitalised = word.lower()[:1].upper() + word.lower()[1:]
    if state in (bibtex_text.START, bibtex_text.START_SENTENCE):
        return capitalised
    if state == bibtex_text.WORD_END and word.lower() not in _CITEPROC_STOP_WORDS and len(word) > 1:
        return capitalised
    if state == _BEFORE_LAST_WORD and len(word) > 1:
        return capitalised
    return word


def expand_page_range(pages: str, dash: str = ENDASH) -> str:
    """Page ranges in full, joined by ``dash`` (the locale's): ``1134--47`` becomes 1134 to 1147.

    That is apa.csl's page-range-format="expanded".
    """

    def expand(match: re.Match[str]) -> str:
        prefix, first, second_prefix, last = match.groups()
        if not second_prefix and len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return f"{prefix}{first}{dash}{second_prefix}{last}"

    return _PAGE_RANGE.sub(expand, pages).replace("-", dash)


def is_numeric(value: str) -> bool:
    """CSL's is-numeric: numbers with optional letter affixes, e.g. ``NG222``, ``2-3``."""
    return _NUMERIC.fullmatch(value.strip()) is not None


def year_suffix(index: int) -> str:
    """0 → a, 25 → z, 26 → aa, 27 → ab: citeproc's year suffixes."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def collation_key(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """How citeproc sorts: word by word (words split at spaces, apostrophes and commas, case
    ignored), each word by its letters and digits without accents first, then as written;
    last, the exact text. So "van 't Veer" sorts after "Van Fraassen", "Ben-Shachar" after
    "Bender", "P" before "P." before "Pim"."""
    words = _SORT_WORD_BREAK.split(text.casefold())
    return tuple((_base_letters(word), word) for word in words if word), text


_SORT_WORD_BREAK = re.compile(r"[\s',\u2019\u02be\u02bf]+")


#: Letters Unicode does not decompose but collation sorts with their base letter.
_BASE_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "ð": "d",
     "\N{LATIN SMALL LETTER DOTLESS I}": "i"}
)  # fmt: skip


def _base_letters(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word).translate(_BASE_LETTERS)
    return "".join(char for char in decomposed if char.isalnum())


def is_linkable(url: str) -> bool:
    """Only absolute http(s) URLs become links: never ``javascript:``, ``data:`` and so on."""
    return _LINKABLE.fullmatch(url.strip()) is not None


# --------------------------------------------------------------------------- HTML backends


def markdown_safe_escape(text: str) -> str:
    """HTML-escape, and turn characters Markdown would re-interpret into entities."""
    return escape(text).translate(_MARKDOWN_ENTITIES)


class _HtmlBackend(html_backend.Backend):
    """pybtex's HTML backend, with Markdown-safe escaping and escaped link targets."""

    def format_str(self, text: str) -> str:
        return markdown_safe_escape(text)

    def format_protected(self, text: str) -> str:
        return text

    def format_href(self, url: str, text: str, external: bool = False) -> str:
        return f'<a href="{markdown_safe_escape(url)}">{text}</a>' if text else ""


#: Backend instances made once: ``render_as()`` looks the backend up in plugin metadata each call.
PLAIN = plaintext_backend.Backend()
HTML = _HtmlBackend()


def to_html(text: BaseText) -> str:
    return text.render(HTML)


def to_plain(text: BaseText) -> str:
    return text.render(PLAIN)


# --------------------------------------------------------------------------- names


@dataclass(frozen=True)
class Name:
    """One author or editor, ready to print in the forms APA needs."""

    family: str  # with a non-dropping particle ("van Oppen") when the entry says useprefix
    given: str
    initials: str
    particle: str = ""  # a dropping particle, printed after the initials ("Oppen, P. van")
    lineage: str = ""
    literal: bool = False  # a group author such as {{World Health Organization}}

    @property
    def is_others(self) -> bool:
        """BibTeX's ``and others``: more authors than the entry lists."""
        return self.family == "others" and not self.given

    def inverted(self) -> str:
        """Reference-list form: ``Weissman, M. M.``, ``Reynolds, C. F., III``."""
        if self.literal:
            return self.family
        given = " ".join(part for part in (self.initials, self.particle) if part)
        return ", ".join(part for part in (self.family, given, self.lineage) if part)

    def given_first(self) -> str:
        """Editor form in a chapter reference: ``E. D. Hibbs``."""
        parts = (self.initials, self.particle, self.family)
        return " ".join(part for part in parts if part) + (
            f", {self.lineage}" if self.lineage else ""
        )

    def short(self, with_initials: bool = False) -> str:
        """In-text form: ``Weissman``, or ``M. M. Weissman`` to tell two Weissmans apart."""
        if with_initials and self.initials and not self.literal:
            return f"{self.initials} {self.family}"
        return self.family


def initials_of(given: str) -> str:
    """``Myrna M.`` → ``M. M.``; ``Jean-Paul`` → ``J.-P.``; a lower-case particle inside the
    given names stays a word, as citeproc keeps it: ``Carlos de Oliveira`` → ``C. de O.``."""
    spaced = re.sub(r"(?<=\w)\.(?=\w)", ". ", given)  # "J.G." is "J. G." (as pandoc reads it)
    return " ".join(
        part
        if part[:1].islower()
        else "-".join(f"{piece.strip('.')[0]}." for piece in part.split("-") if piece.strip("."))
        for part in spaced.split()
    )


def make_name(person: Person, useprefix: bool) -> Name:
    """Turn a pybtex Person into a Name (braced single names are group authors)."""
    last = " ".join(person.last_names)
    given = plain(" ".join(person.first_names + person.middle_names))
    particle = plain(" ".join(person.prelast_names))
    lineage = plain(" ".join(person.lineage_names))
    literal = not (given or particle) and last.startswith("{") and last.endswith("}")
    family = plain(last)
    if not family and given:  # ", PRISMA-P Group": a name with no surname is printed whole
        return Name(given, "", "", literal=True)
    if particle and useprefix:
        family, particle = f"{particle} {family}", ""
    return Name(family, given, initials_of(given), particle, lineage, literal)


def inverted_list(names: Sequence[Name]) -> str:
    """``A, B., C, D., & E, F.`` with apa.csl's "…" before the last of 21+ authors."""
    forms = [name.inverted() for name in names]
    if len(forms) > 1 and names[-1].is_others:  # "and others" in the .bib
        listed = ", ".join(forms[:-1])
        return f"{listed} et al." if len(forms) == 2 else f"{listed}, et al."
    if len(forms) > MAX_LISTED_AUTHORS:
        return ", ".join(forms[: MAX_LISTED_AUTHORS - 1]) + f", … {forms[-1]}"
    if len(forms) == 1:
        return forms[0]
    return ", ".join(forms[:-1]) + f", & {forms[-1]}"


def given_first_list(names: Sequence[Name]) -> str:
    """``A. B. Hibbs & P. S. Jensen``; three or more get a comma before the ampersand."""
    forms = [name.given_first() for name in names]
    if len(forms) <= 2:
        return " & ".join(forms)
    return ", ".join(forms[:-1]) + f", & {forms[-1]}"


def short_names(names: Sequence[Name], shown: int, initials: bool, conjunction: str) -> str:
    """In-text author label: ``A``, ``A & B``, ``A et al.``, ``A, B, et al.``, ``A, B, & C``."""
    forms = [name.short(initials and index == 0) for index, name in enumerate(names)]
    if len(forms) > 1 and names[-1].is_others:  # "and others": more authors than listed
        listed = forms[: max(1, min(shown, len(forms) - 1))]
        return f"{listed[0]} et al." if len(listed) == 1 else ", ".join(listed) + ", et al."
    if len(forms) == 1:
        return forms[0]
    if len(forms) == 2:
        return f"{forms[0]} {conjunction} {forms[1]}"
    if shown >= len(forms):
        return ", ".join(forms[:-1]) + f", {conjunction} {forms[-1]}"
    if shown == 1:
        return f"{forms[0]} et al."
    return ", ".join(forms[:shown]) + ", et al."


# --------------------------------------------------------------------------- works


@dataclass(frozen=True)
class Issued:
    """Publication date; ``year`` is None for undated works (n.d.). Ranges keep their end."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    end_year: int | None = None

    def label(self, suffix: str = "", terms: ApaTerms = EN) -> str:
        """``2020a``, ``n.d.-a``, or ``1992-1993`` (en dash) for a range of years."""
        if self.year is None:
            return f"{terms.no_date}-{suffix}" if suffix else terms.no_date
        if self.end_year and self.end_year != self.year:
            return f"{self.year}{ENDASH}{self.end_year}{suffix}"
        return f"{self.year}{suffix}"

    def month_day(self, terms: ApaTerms = EN) -> str:
        """``May 3``, ``January 17-19``, ``January 30-February 2``, as apa.csl prints them
        (month first in every language: apa.csl sets the order)."""
        if not self.month:
            return ""
        months = terms.months
        start = f"{months[self.month - 1]} {self.day}" if self.day else months[self.month - 1]
        if self.end_month and self.end_month != self.month:
            end = months[self.end_month - 1] + (f" {self.end_day}" if self.end_day else "")
            return f"{start}{ENDASH}{end}"
        if self.end_day and self.day and self.end_day != self.day:
            return f"{start}{ENDASH}{self.end_day}"
        return start


def parse_date(text: str, field_name: str) -> Issued:
    """An ISO date (``2020``, ``2020-06``, ``2020-06-30``) or a range ``2013-01-17/2013-01-19``."""
    start, _, end = text.strip().partition("/")
    match = _ISO_DATE.fullmatch(start.strip())
    end_match = _ISO_DATE.fullmatch(end.strip()) if end.strip() not in ("", "..") else None
    if not match or (end.strip() not in ("", "..") and not end_match):
        raise StyleDataError(
            field_name, f"{field_name} must look like 2020, 2020-06, 2020-06-30 or a range a/b"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise StyleDataError(field_name, f"{field_name} has no month {month}")
    end_year = end_month = end_day = None
    if end_match:
        end_year, end_month, end_day = (int(part) if part else None for part in end_match.groups())
    return Issued(year, month, day, end_month, end_day, end_year)


def parse_month(text: str) -> int | None:
    """A BibTeX ``month``: ``jun``, ``June``, ``6``; None if it is none of these."""
    value = text.strip().lower()
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    for index, name in enumerate(EN.months, start=1):
        if value and name.lower().startswith(value) and len(value) >= 3:
            return index
    return None


#: BibTeX and BibLaTeX entry types → the apa.csl item type whose rules they follow.
KINDS = {
    "article": "article-journal",
    "book": "book",
    "collection": "book",
    "proceedings": "book",
    "reference": "book",
    "manual": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "inreference": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "misc": "webpage",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "software": "software",
}
#: Fields each entry type must have; a tuple is "one of these"; "author" may be "editor" for
#: books and chapters' containers, and may be missing for web pages (the title takes its place).
REQUIRED_FIELDS = {
    "article-journal": ("title",),
    "book": ("title",),
    "chapter": ("author", "title", "booktitle"),
    "paper-conference": ("title",),
    "report": ("title",),
    "webpage": ("title",),
    "document": ("title",),
    "in-periodical": ("title",),
    "speech": ("author", "title"),
    "thesis": ("author", "title"),
    "manuscript": ("author", "title"),
    "dataset": ("title",),
    "software": ("title",),
}
#: BibLaTeX list fields: an unbraced " and " separates two names (publisher is kept whole:
#: exports write "Chapman and Hall/CRC" for one publisher).
_LIST_FIELDS = frozenset({"institution", "school", "organization"})
#: Fields that name who published a work, in pandoc's order.
_PUBLISHER_FIELDS = ("school", "institution", "organization", "howpublished", "publisher")
#: Kinds whose in-text date and sort date keep month and day (apa.csl's date macros).
_DATED_TO_THE_DAY = frozenset({"webpage", "speech", "post"})
#: Kinds whose title is italic when it stands in for a missing author.
_ITALIC_TITLE_KINDS = frozenset(
    {"book", "report", "webpage", "document", "thesis", "manuscript", "dataset", "software"}
)
#: eprinttype values pandoc turns into a URL (the eprint field is the rest of the address).
EPRINT_URLS = {
    "arxiv": "https://arxiv.org/abs/",
    "jstor": "https://www.jstor.org/stable/",
    "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/",
    "googlebooks": "https://books.google.com?id=",
}


@dataclass(frozen=True)
class Work:
    """What APA needs to know about an entry before formatting it: kind, creators, date.

    ``notes`` collects what decoding found (LaTeX commands left out), for the editor.
    """

    key: str
    entry: Entry
    notes: list[str] = field_factory(default_factory=list, compare=False, hash=False)

    @cached_property
    def kind(self) -> str:
        entry_type = self.entry.type.lower()
        kind = KINDS[entry_type]
        fields = self.entry.fields
        has_journal = "journal" in fields or "journaltitle" in fields
        if kind == "webpage" and entry_type == "misc" and has_journal:
            return "in-periodical"
        if kind == "webpage" and not self.url:
            return "document"
        if kind == "article-journal" and not has_journal:
            return "document"  # a preprint exported as an article: "Title. PsyArXiv."
        if kind == "paper-conference" and "editor" in self.entry.persons:
            return "chapter"  # published in edited proceedings: "In E. Ed (Ed.), Title (pp.)"
        if kind == "manuscript" and {"eventtitle", "eventdate", "venue"} & set(fields):
            return "speech"
        return kind

    def value(self, name: str) -> tuple[bibtex_text.Piece, ...]:
        """A field decoded from LaTeX (empty if absent); unknown commands become notes."""
        raw = self.entry.fields.get(name)
        if raw is None:
            return ()
        return bibtex_text.decode(
            raw,
            lambda command: self._note(
                f"the LaTeX command \\{command} in its {name} is not known, so it was left out."
            ),
        )

    def text(self, name: str) -> str:
        return bibtex_text.plain(self.value(name))

    def _note(self, note: str) -> None:
        if note not in self.notes:
            self.notes.append(note)

    @cached_property
    def english(self) -> bool:
        fields = self.entry.fields
        return bibtex_text.is_english(fields.get("langid") or fields.get("hyphenation"))

    def title_pieces(self, prefix: str = "") -> tuple[bibtex_text.Piece, ...]:
        """``title: subtitle. titleaddon`` (or the book-, journal- variants), as pandoc joins
        them; sentence case unless the entry is not English (a title in double braces keeps
        its case: all of it is in braces)."""
        change = prefix != "journal" and self.english
        parts = []
        for part in ("title", "subtitle"):
            pieces = self.value(f"{prefix}{part}")
            parts.append(bibtex_text.sentence_case(pieces) if change else pieces)
        joined = bibtex_text.join_titles(parts, ":")
        addon = self.value(f"{prefix}titleaddon")
        if change:
            addon = bibtex_text.sentence_case(addon)
        return bibtex_text.join_titles([joined, addon], ".")

    @cached_property
    def editors_as_authors(self) -> bool:
        return "author" not in self.entry.persons and "editor" in self.entry.persons

    @cached_property
    def authors(self) -> tuple[Name, ...]:
        role = "editor" if self.editors_as_authors else "author"
        useprefix = "useprefix=true" in self.entry.fields.get("options", "").replace(" ", "")
        return tuple(make_name(person, useprefix) for person in self.entry.persons.get(role, ()))

    @cached_property
    def issued(self) -> Issued:
        fields = self.entry.fields
        if "date" in fields:
            return parse_date(fields["date"], "date")
        if "year" in fields:
            issued = parse_date(fields["year"], "year")
            month = parse_month(plain(fields.get("month", "")))
            if month and issued.month is None:
                day = fields.get("day", "").strip()
                return Issued(issued.year, month, int(day) if day.isdigit() else None)
            return issued
        return Issued()

    def check_dates(self) -> None:
        """Raise StyleDataError now for a date the style could not print later."""
        for name in ("date", "year", "urldate"):
            if name in self.entry.fields:
                parse_date(self.entry.fields[name], name)

    @cached_property
    def doi(self) -> str | None:
        """The DOI, found in what exports put in the field: ``doi:10.1/x``, a DOI link."""
        found = _DOI.search(_unescape_url(self.entry.fields.get("doi", "")))
        return found[0] if found else None

    @cached_property
    def url(self) -> str | None:
        """The URL; else the address an ``eprint`` with a known ``eprinttype`` stands for, or
        a web address an export put in the doi field."""
        fields = self.entry.fields
        if "url" in fields:
            return _unescape_url(fields["url"])
        if not self.doi and is_linkable(_unescape_url(fields.get("doi", ""))):
            return _unescape_url(fields["doi"])
        base = EPRINT_URLS.get(fields.get("eprinttype", fields.get("archiveprefix", "")).lower())
        if base and "eprint" in fields:
            return base + "".join(fields["eprint"].split())
        return None

    @cached_property
    def title(self) -> Text:
        return bibtex_text.rich(self.title_pieces())

    @cached_property
    def plain_title(self) -> str:
        return bibtex_text.plain(self.title_pieces())

    def check_text(self) -> None:
        """Decode every field a reference may print, so that unknown LaTeX is noted in an entry
        that cannot be formatted."""
        for name in self.entry.fields:
            if name not in _NOT_PRINTED:
                self.value(name)

    @cached_property
    def group_abbreviation(self) -> str | None:
        """``NICE`` for a single group author with a ``shortauthor`` (APA 8.21)."""
        short = self.entry.fields.get("shortauthor")
        if short and len(self.authors) == 1 and self.authors[0].literal:
            return plain(short)
        return None

    def title_as_author(self, terms: ApaTerms = EN) -> Text:
        """The short title that replaces a missing author in text (apa.csl's title-short)."""
        title = Text(_title_case_in(terms, self.plain_title.split(":")[0]))
        if self.kind in _ITALIC_TITLE_KINDS:
            return Text(Tag("em", title))
        return Text(terms.open_quote, title, terms.close_quote)

    @cached_property
    def sort_key(self) -> tuple:
        """apa.csl's bibliography sort: authors, undated first, date, title."""
        date = self.issued
        when = (date.year or 0, 0, 0)
        if self.kind in _DATED_TO_THE_DAY:
            when = (date.year or 0, date.month or 0, date.day or 0)
        return (self._order_of(self.authors), date.year is not None, when, self._title_order)

    @cached_property
    def names_key(self) -> tuple:
        """Who the work is by: works with equal keys share one name in a citation."""
        if not self.authors:
            return (self.plain_title,)
        return tuple((name.family, name.given) for name in self.authors)

    @cached_property
    def cite_sort_key(self) -> tuple:
        """apa.csl's citation sort: first author only when there are 3+, then the date."""
        names = self.authors[:1] if len(self.authors) >= 3 else self.authors
        return self._order_of(names), *self.sort_key[1:3]

    @cached_property
    def _title_order(self) -> tuple:
        return collation_key(self.plain_title)

    def _order_of(self, names: Sequence[Name]) -> tuple:
        """Surnames and initials of every name (APA 9.46: "Cuijpers, P." alone before
        "Cuijpers, P., & Karyotaki, E."), then the full given names, which citeproc also
        compares ("Daniel" before "Daniël"); a missing author by the title in its place."""
        if not names:
            return ((self._title_order, collation_key("")),), ()
        initials = tuple(
            (collation_key(name.family), collation_key(name.initials)) for name in names
        )
        return initials, tuple(collation_key(name.given) for name in names)


#: Fields no reference entry prints: their LaTeX is never decoded or reported.
_NOT_PRINTED = frozenset(
    {
        "abstract", "annote", "annotation", "keywords", "file", "url", "doi", "urldate",
        "isbn", "issn", "langid", "hyphenation", "language", "options", "mendeley-tags",
        "mendeley-groups", "copyright", "lccn", "googlebooks", "pmid", "pmcid", "note",
        "timestamp", "owner", "groups", "eprint", "shorttitle", "shortjournal",
        "date", "year", "month", "day", "pagination", "pagetotal", "extra", "library",
        "archiveprefix", "eprinttype", "eprintclass", "primaryclass", "rights", "address",
        "location", "venue", "series", "annotator", "collaborator", "shortauthor",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- disambiguation


@dataclass(frozen=True)
class Disambiguation:
    """How a work's in-text label is made unique (apa.csl: add names, initials, year suffix)."""

    names_shown: int
    initials: bool
    suffix: str = ""


def _base_shown(work: Work) -> int:
    return 1 if len(work.authors) >= 3 else len(work.authors)


def _label_key(work: Work, shown: int, initials: bool) -> tuple[str, str]:
    author = (
        short_names(work.authors, shown, initials, "&")
        if work.authors
        else to_plain(work.title_as_author())
    )
    return author, work.issued.label()


def _group(works: Iterable[Work], key) -> list[list[Work]]:
    groups: dict[object, list[Work]] = defaultdict(list)
    for work in works:
        groups[key(work)].append(work)
    return [group for group in groups.values() if len(group) > 1]


def _fewest_names_that_help(group: list[Work], shown: dict[str, int], initials: set[str]) -> int:
    """The smallest number of names that tells most works in ``group`` apart (0: none helps)."""
    best, best_count = 0, 1
    for count in range(2, max(len(work.authors) for work in group) + 1):
        distinct = len({_label_key(w, max(count, shown[w.key]), w.key in initials) for w in group})
        if distinct > best_count:
            best, best_count = count, distinct
    return best


def disambiguate(works: Sequence[Work]) -> dict[str, Disambiguation]:
    """In-text labels for the whole bibliography, as citeproc computes them with apa.csl.

    1. A first author gets initials ("M. M. Weissman") when another first author has the
       same surname, unless one of them also has the same initials (then initials cannot
       tell them apart: citeproc's primary-name-with-initials rule); 2. works whose labels
       still collide show more names when that tells them apart; 3. the rest get year
       suffixes in reference-list order.
    """
    personal = [work for work in works if work.authors and not work.authors[0].literal]
    namesakes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for work in personal:
        first = work.authors[0]
        namesakes[first.family].add((first.given, first.initials))
    initials = set()
    for work in personal:
        first = work.authors[0]
        others = namesakes[first.family] - {(first.given, first.initials)}
        if others and all(theirs != first.initials for _, theirs in others):
            initials.add(work.key)
    shown = {work.key: _base_shown(work) for work in works}

    def label(work: Work) -> tuple[str, str]:
        return _label_key(work, shown[work.key], work.key in initials)

    for group in _group(works, label):
        count = _fewest_names_that_help(group, shown, initials)
        for work in group:
            shown[work.key] = max(shown[work.key], count)
    suffixes = {
        work.key: year_suffix(index)
        for group in _group(works, label)
        for index, work in enumerate(sorted(group, key=lambda work: work.sort_key))
    }
    return {
        work.key: Disambiguation(shown[work.key], work.key in initials, suffixes.get(work.key, ""))
        for work in works
    }


# --------------------------------------------------------------------------- in-text labels


@dataclass(frozen=True)
class InTextLabel:
    """Everything an in-text citation prints for one work (the year comes with its suffix)."""

    author: Text  # "Lipsitz & Markowitz"
    narrative_author: Text  # "Lipsitz and Markowitz"
    year: str  # "2020a", "n.d."
    group_name: str | None = None  # "National Institute for Health and Care Excellence"
    group_abbreviation: str | None = None  # "NICE"


def in_text_label(work: Work, disambiguation: Disambiguation, terms: ApaTerms = EN) -> InTextLabel:
    """What in-text citations of ``work`` print, in the language of ``terms``."""
    year = work.issued.label(disambiguation.suffix, terms)
    if not work.authors:
        title = work.title_as_author(terms)
        return InTextLabel(title, title, year)

    def names(conjunction: str) -> Text:
        return Text(
            short_names(
                work.authors, disambiguation.names_shown, disambiguation.initials, conjunction
            )
        )

    abbreviation = work.group_abbreviation
    group_name = work.authors[0].family if abbreviation else None
    return InTextLabel(names("&"), names(terms.narrative_and), year, group_name, abbreviation)


# --------------------------------------------------------------------------- template nodes


def _work(context: dict) -> Work:
    return context["work"]


def _terms(context: dict) -> ApaTerms:
    return context["terms"]


def _title_case_in(terms: ApaTerms, text: str) -> str:
    """Title case where the language has it (citeproc title-cases English only)."""
    return title_case(text) if terms.title_case else text


@node
def creators(children, context):
    """Authors; else editors with (Ed.)/(Eds.); else the title (with its details) in their place."""
    work = _work(context)
    if not work.authors:
        return join(sep=" ")[children].format_data(context)
    text = inverted_list(work.authors)
    if work.editors_as_authors:
        text += " (Eds.)" if len(work.authors) > 1 else " (Ed.)"
    return Text(text)


@node
def container_in(children, context):
    """``In`` before the book or journal a part is in."""
    return Text(_terms(context).container_in)


@node
def unless_author_missing(children, context):
    """The children, unless the title already stands in for a missing author."""
    if not _work(context).authors:
        return Text()
    return join[children].format_data(context)


@node
def issued(children, context):
    """``(2020a)``, ``(n.d.)``, or for web pages ``(2024, February 5)``."""
    work = _work(context)
    terms = _terms(context)
    parts = [work.issued.label(context["suffix"], terms)]
    if work.kind in _DATED_TO_THE_DAY and work.issued.month_day():
        parts.append(work.issued.month_day(terms))
    return Text("(", ", ".join(parts), ")")


@node
def title(children, context):
    """The entry's title with subtitle and addition, in sentence case."""
    return _work(context).title


@node
def booktitle(children, context):
    """The book a chapter is in (``booktitle``, ``booksubtitle``), in sentence case."""
    pieces = _work(context).title_pieces("book")
    if not pieces:
        raise FieldIsMissing("booktitle", context["entry"])
    return bibtex_text.rich(pieces)


@node
def journal(children, context):
    """``journaltitle`` (BibLaTeX) or ``journal`` (BibTeX), in title case."""
    work = _work(context)
    pieces = work.title_pieces("journal") or work.value("journal")
    if not pieces:
        raise FieldIsMissing("journal", context["entry"])
    series = work.value("series")
    name = bibtex_text.join_titles([pieces, series], ",")
    return Text(_title_case_in(_terms(context), bibtex_text.plain(name)))


@node
def proceedings(children, context):
    """The proceedings a conference paper is in, in title case as apa.csl prints it."""
    work = _work(context)
    pieces = work.title_pieces("book") or work.title_pieces("journal") or work.value("journal")
    if not pieces:
        raise FieldIsMissing("booktitle", context["entry"])
    return Text(_title_case_in(_terms(context), bibtex_text.plain(pieces)))


@node
def value(children, context, name):
    """A field, LaTeX decoded."""
    pieces = _work(context).value(name)
    if not pieces:
        raise FieldIsMissing(name, context["entry"])
    return bibtex_text.rich(pieces)


def _required(context: dict, name: str) -> str:
    text = _work(context).text(name)
    if not text:
        raise FieldIsMissing(name, context["entry"])
    return text


@node
def pages(children, context):
    return Text(expand_page_range(_required(context, "pages"), _terms(context).page_range_dash))


@node
def edition(children, context):
    """``2nd ed.`` or a textual edition such as ``Updated and expanded ed.``."""
    value = _required(context, "edition")
    if value.isdigit():
        return Text(f"{_terms(context).edition_number(int(value))} ed.")
    if re.search(r"\b(ed\.|edition)$", value, re.IGNORECASE):
        return Text(value)
    if re.search(r"\bed$", value, re.IGNORECASE):  # "2nd ed" (APA: "2nd ed.", not "2nd ed ed.")
        return Text(f"{value}.")
    return Text(f"{value} ed.")


@node
def details(children, context):
    """Parenthesised book details: ``(2nd ed., Vol. 2, pp. 3-7)``; empty when there are none."""
    parts = join(sep=", ")[
        optional[edition],
        optional["Vol. ", value("volume")],
        optional[page_label, " ", pages],
    ].format_data(context)
    return Text("(", parts, ")") if parts else Text()


@node
def version(children, context):
    """``(Version 1.2)`` of a data set or program; empty without a version."""
    number = _work(context).text("version")
    return Text(f"({_terms(context).version} {number})") if number else Text()


@node
def page_label(children, context):
    """``p.`` for one page, ``pp.`` for a range or list."""
    return Text("pp." if re.search(r"[-\u2013,&]", _required(context, "pages")) else "p.")


@node
def chapter_editors(children, context):
    """``E. D. Hibbs & P. S. Jensen (Eds.)``."""
    persons = context["entry"].persons.get("editor")
    if not persons:
        raise FieldIsMissing("editor", context["entry"])
    names = [make_name(person, useprefix=False) for person in persons]
    return Text(given_first_list(names), " (Eds.)" if len(names) > 1 else " (Ed.)")


def publisher_names(work: Work, names: Iterable[str] = _PUBLISHER_FIELDS) -> str:
    """Who published the work: school, institution, organization, howpublished, publisher.

    In BibLaTeX list fields (institution, school, organization) an unbraced " and " separates
    two names, as pandoc reads them; ``publisher`` is kept whole ("Chapman and Hall/CRC").
    An ``eprinttype`` that is no known web address names the archive (``PsyArXiv``).
    """
    fields = work.entry.fields
    found: list[str] = []
    for name in names:
        if name not in fields:
            continue
        parts = split_tex_string(fields[name], " and ") if name in _LIST_FIELDS else [fields[name]]
        found.extend(part for part in (plain(part) for part in parts) if part)
    archive = fields.get("eprinttype", "")
    if not found and archive and archive.lower() not in EPRINT_URLS:
        found.append(plain(archive))
    return "; ".join(found)


@node
def publisher(children, context, names=_PUBLISHER_FIELDS):
    """The publisher, left out when it repeats the group author (APA 9.24)."""
    work = _work(context)
    value = publisher_names(work, names)
    if not value:
        raise FieldIsMissing(names[-1], context["entry"])
    if len(work.authors) == 1 and work.authors[0].family == value:
        return Text()
    return Text(value)


@node
def site_name(children, context):
    """A web page's site name in title case; a document's publisher as written."""
    name = publisher.format_data(context)
    if _work(context).kind == "webpage" and not re.match(r"https?://", to_plain(name)):
        return Text(_title_case_in(_terms(context), to_plain(name)))
    return name


@node
def report_number(children, context):
    """``(NICE Guideline No. NG222)``, ``(No. 12; pp. 3-16)``; a genre without a number is a
    ``[Description]`` after them, as apa.csl prints reports."""
    work = _work(context)
    genre = work.text("type")
    number = work.text("number")
    details = []
    if number:
        label = "No. " if is_numeric(number) else ""
        details.append(
            " ".join(
                part
                for part in (_title_case_in(_terms(context), genre), f"{label}{number}")
                if part
            )
        )
    if work.text("pages"):
        details.append(to_plain(join(sep=" ")[page_label, pages].format_data(context)))
    text = f"({'; '.join(details)})" if details else ""
    if genre and not number:
        text = " ".join(part for part in (text, f"[{genre[:1].upper()}{genre[1:]}]") if part)
    return Text(text)


@node
def description(children, context, default: str | Callable[[ApaTerms], str] = "", names=("type",)):
    """``[Dataset]``, ``[Computer software]``, ``[Paper presentation]``: the first of the
    fields ``names`` that is there, else the kind's usual description."""
    work = _work(context)
    if callable(default):
        default = default(_terms(context))
    genre = next((work.text(name) for name in names if work.text(name)), default)
    return Text(f"[{genre[:1].upper()}{genre[1:]}]") if genre else Text()


_THESIS_GENRES = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis"}


@node
def thesis_description(children, context):
    """``[PhD thesis]``, or ``[PhD thesis, University]`` when the thesis is online."""
    work = _work(context)
    entry_type = work.entry.type.lower()
    default = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}.get(entry_type)
    genre = work.text("type")
    genre = _THESIS_GENRES.get(genre.lower(), genre) or default or "Thesis"
    school = publisher_names(work, ("school", "institution"))
    if _published_online(work) and school:
        return Text(f"[{genre}, {school}]")
    return Text(f"[{genre}]")


@node
def unpublished_school(children, context):
    work = _work(context)
    school = publisher_names(work, ("school", "institution"))
    if _published_online(work) or not school:
        return Text()
    return Text(school)


@node
def event(children, context):
    """Where a talk or poster was given: ``Annual Meeting of the Society, Chicago, IL``; the
    event's name as written (APA 10.5: it is a proper noun)."""
    work = _work(context)
    parts = [work.value("eventtitle"), work.value("venue")]
    text = ", ".join(bibtex_text.plain(part) for part in parts if part)
    if not text:
        raise FieldIsMissing("eventtitle", context["entry"])
    return Text(text)


def _published_online(work: Work) -> bool:
    return bool(work.url or work.doi)


@node
def link(children, context):
    """DOI as https://doi.org/…, else the URL ("Retrieved <date>, from" when undated).

    Only http(s) addresses become links; anything else (``javascript:``) stays plain text.
    """
    work = _work(context)
    if work.doi:
        url = f"https://doi.org/{work.doi}"
        retrieved = ""
    elif work.url:
        url = work.url
        retrieved = _retrieved(context)
    else:
        return Text()
    target = HRef(url, String(url)) if is_linkable(url) else String(url)
    return Text(retrieved, target)


def _unescape_url(value: str) -> str:
    """URLs are verbatim in BibLaTeX; undo the backslash escapes BibTeX users add anyway."""
    return _URL_ESCAPE.sub(r"\1", "".join(value.split()))


def _retrieved(context: dict) -> str:
    fields = context["entry"].fields
    if _work(context).issued.year is not None or "urldate" not in fields:
        return ""
    accessed = parse_date(fields["urldate"], "urldate")
    terms = _terms(context)
    month = terms.months[accessed.month - 1] if accessed.month else ""
    date = terms.accessed.format(
        month_day=accessed.month_day(terms), month=month, day=accessed.day or "", year=accessed.year
    )
    return terms.retrieved.format(date=" ".join(date.split()).removeprefix("de "))


# --------------------------------------------------------------------------- templates

ARTICLE = words[
    sentence[creators[sentence[title]]],
    sentence[issued],
    unless_author_missing[sentence[title]],
    sentence[
        tag("em")[journal],
        optional[join[optional[tag("em")[value("volume")]], optional["(", value("number"), ")"]]],
        optional[pages],
    ],
    link,
]
PAPER_CONFERENCE = words[
    sentence[creators[sentence[title]]],
    sentence[issued],
    unless_author_missing[sentence[title]],
    sentence[
        tag("em")[proceedings],
        optional[tag("em")[value("volume")]],
        optional[pages],
    ],
    link,
]
BOOK = words[
    sentence[creators[sentence(sep=" ")[tag("em")[title], details, description]]],
    sentence[issued],
    unless_author_missing[sentence(sep=" ")[tag("em")[title], details, description]],
    optional[sentence[publisher]],
    link,
]
CHAPTER = words[
    sentence[creators],
    sentence[issued],
    sentence[title],
    sentence(sep=" ")[
        container_in,
        join(sep=", ")[optional[chapter_editors], tag("em")[booktitle]],
        details,
    ],
    optional[sentence[publisher]],
    link,
]
REPORT = words[
    sentence[creators[sentence(sep=" ")[tag("em")[title], report_number]]],
    sentence[issued],
    unless_author_missing[sentence(sep=" ")[tag("em")[title], report_number]],
    optional[sentence[publisher]],
    link,
]
WEB_PAGE = words[
    sentence[creators[sentence(sep=" ")[tag("em")[title], description]]],
    sentence[issued],
    unless_author_missing[sentence(sep=" ")[tag("em")[title], description]],
    optional[sentence[site_name]],
    link,
]
#: A @misc with a journal or magazine (pandoc reads it as a work "in" that container).
IN_PERIODICAL = words[
    sentence[creators[sentence[title]]],
    sentence[issued],
    unless_author_missing[sentence[title]],
    sentence(sep=" ")[container_in, tag("em")[journal], optional["(Vol. ", value("volume"), ")"]],
    optional[sentence[publisher]],
    link,
]
THESIS = words[
    sentence[creators],
    sentence[issued],
    sentence(sep=" ")[tag("em")[title], thesis_description],
    optional[sentence[unpublished_school]],
    link,
]
MANUSCRIPT = words[
    sentence[creators],
    sentence[issued],
    sentence(sep=" ")[tag("em")[title], description(default="Unpublished manuscript")],
    optional[sentence[publisher]],
    link,
]
SPEECH = words[
    sentence[creators],
    sentence[issued],
    sentence(sep=" ")[
        tag("em")[title], description(default="Paper presentation", names=("type", "howpublished"))
    ],
    optional[sentence[event]],
    link,
]


def _with_description(default: str | Callable[[ApaTerms], str]):
    """Data sets and programs: ``Title (Version 2) [Computer software]. Publisher. URL``."""
    described = sentence(sep=" ")[tag("em")[title], version, description(default=default)]
    return words[
        sentence[creators[described]],
        sentence[issued],
        unless_author_missing[described],
        optional[sentence[publisher]],
        link,
    ]


TEMPLATES = {
    "article-journal": ARTICLE,
    "paper-conference": PAPER_CONFERENCE,
    "book": BOOK,
    "chapter": CHAPTER,
    "report": REPORT,
    "webpage": WEB_PAGE,
    "document": WEB_PAGE,
    "in-periodical": IN_PERIODICAL,
    "thesis": THESIS,
    "manuscript": MANUSCRIPT,
    "speech": SPEECH,
    "dataset": _with_description("Dataset"),
    "software": _with_description(attrgetter("software")),
}


_QUOTE_PUNCTUATION = re.compile("([.?!])?\N{RIGHT DOUBLE QUOTATION MARK}([.,])")


def tidy_punctuation(text: str) -> str:
    """Punctuation as citeproc leaves it for en-US: a period or comma after a closing quote
    moves inside it (``"Small,"``), and no period follows a colon that ends a title."""
    text = _QUOTE_PUNCTUATION.sub(
        lambda match: (match[1] or match[2]) + "\N{RIGHT DOUBLE QUOTATION MARK}", text
    )
    return text.replace(":. ", ": ")


def format_reference(work: Work, disambiguation: Disambiguation, terms: ApaTerms = EN) -> Text:
    """The full APA reference-list entry for ``work`` as pybtex rich text, in the language
    of ``terms``."""
    template = TEMPLATES[work.kind]
    context = {"entry": work.entry, "work": work, "suffix": disambiguation.suffix, "terms": terms}
    return template.format_data(context)
