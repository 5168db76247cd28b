"""The site's bibliography: ``references.bib`` parsed and checked once, formatted lazily.

Loading validates everything an editor can get wrong (syntax, duplicate keys, unknown entry
types, missing fields) and reports it with a line number, and computes the in-text
disambiguation (2020a/2020b, added initials or names) against the whole file once, so every
page cites a work the same way. Entries are formatted only when a page cites them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError

from macros.citations.apa import (
    KINDS,
    REQUIRED_FIELDS,
    Disambiguation,
    InTextLabel,
    StyleDataError,
    Work,
    disambiguate,
    format_reference,
    in_text_label,
    is_linkable,
    to_html,
    to_plain,
)
from macros.errors import SiteError

#: Where each entry starts: ``@type{key,`` at the start of a line.
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.MULTILINE)
_NOT_ENTRIES = frozenset({"comment", "preamble", "string"})
_SUPPORTED = ", ".join(f"@{kind}" for kind in KINDS)


class BibliographyError(SiteError):
    """A mistake in the .bib file, for the editor: ``file:line: what is wrong, how to fix``."""


@dataclass(frozen=True)
class Reference:
    """One work, formatted once: its APA reference entry and what in-text citations print."""

    key: str
    html: str  # the reference entry; escaped text, <em> italics, <a href> for http(s) only
    text: str  # the same as plain text
    sort_key: tuple  # APA reference-list order
    cite_sort_key: tuple  # APA order of several works inside one citation
    authors_key: tuple  # the full author list: citations of one author list share a name
    label: InTextLabel


@dataclass(frozen=True)
class _EntryStart:
    kind: str
    key: str
    line: int


#: The last bibliography loaded from each path, with the text it was parsed from.
_LOADED: dict[str, tuple[str, Bibliography]] = {}


class Bibliography:
    """The parsed .bib file; build it with :meth:`load`."""

    def __init__(
        self,
        path: Path,
        works: dict[str, Work],
        lines: dict[str, int],
        disambiguations: dict[str, Disambiguation],
        warnings: tuple[str, ...],
    ) -> None:
        self.path = path
        self._works = works
        self._lines = lines
        self._disambiguations = disambiguations
        self._references: dict[str, Reference] = {}
        self.keys = frozenset(works)
        self.warnings = warnings

    @classmethod
    def load(cls, path: Path) -> Bibliography:
        """Parse and check ``path``; raise BibliographyError for anything an editor must fix.

        An unchanged file is not parsed again in the same process: ``mkdocs serve`` rebuilds
        on every save, and the formatted references of the last build stay valid.
        """
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise BibliographyError(name, f"cannot read the bibliography ({error}).") from None
        cached = _LOADED.get(name)
        if cached and cached[0] == text:
            return cached[1]
        bibliography = cls._parse_text(path, name, text)
        _LOADED[name] = (text, bibliography)
        return bibliography

    @classmethod
    def _parse_text(cls, path: Path, name: str, text: str) -> Bibliography:
        starts = [start for start in _entry_starts(text) if start.kind not in _NOT_ENTRIES]
        lines = _unique_lines(name, starts)
        data = _parse(name, text, starts)
        works = {}
        warnings = []
        for key, entry in data.entries.items():
            line = lines[key.lower()]
            work = Work(key, entry)
            _check_entry(name, line, work)
            works[key] = work
            url = entry.fields.get("url")
            if url and not is_linkable(url):
                warnings.append(
                    f"{name}:{line}: entry '{key}' has url {url!r}, which is not an http(s) "
                    "address; it is printed as text, not as a link."
                )
        key_lines = {key: lines[key.lower()] for key in works}
        return cls(path, works, key_lines, disambiguate(list(works.values())), tuple(warnings))

    def __contains__(self, key: object) -> bool:
        return key in self._works

    def reference(self, key: str) -> Reference:
        """The formatted work (formatted on first use, then cached); KeyError if unknown."""
        if key not in self._references:
            work = self._works[key]
            disambiguation = self._disambiguations[key]
            rich = format_reference(work, disambiguation)
            self._references[key] = Reference(
                key=key,
                html=to_html(rich),
                text=to_plain(rich),
                sort_key=work.sort_key,
                cite_sort_key=work.cite_sort_key,
                authors_key=work.names_key,
                label=in_text_label(work, disambiguation),
            )
        return self._references[key]

    def suggestions(self, key: str) -> list[str]:
        """Existing keys closest to ``key``, best first, for a "did you mean" hint."""
        same_but_case = [known for known in sorted(self.keys) if known.lower() == key.lower()]
        close = difflib.get_close_matches(key, sorted(self.keys), n=3, cutoff=0.6)
        return list(dict.fromkeys(same_but_case + close))[:3]

    def line_of(self, key: str) -> int:
        return self._lines[key]


def _entry_starts(text: str) -> list[_EntryStart]:
    return [
        _EntryStart(match[1].lower(), match[2], text.count("\n", 0, match.start()) + 1)
        for match in _ENTRY_START.finditer(text)
    ]


def _unique_lines(name: str, starts: list[_EntryStart]) -> dict[str, int]:
    """Line of each entry by lower-cased key (BibTeX keys ignore case); no duplicates allowed."""
    lines: dict[str, int] = {}
    for start in starts:
        first = lines.setdefault(start.key.lower(), start.line)
        if first != start.line:
            raise BibliographyError(
                name,
                f"duplicate citation key '{start.key}' (first defined on line {first}). "
                "Give one of the two entries a different key, or delete the copy.",
                line=start.line,
            )
    return lines


def _parse(name: str, text: str, starts: list[_EntryStart]) -> BibliographyData:
    try:
        return Parser().parse_string(text)
    except PrematureEOF:
        line = _unclosed_entry_line(text, starts)
        raise BibliographyError(
            name,
            "the file ends inside an entry: a '{' is never closed. Check the braces of the "
            f"entry starting on line {line}.",
            line=line,
        ) from None
    except PybtexSyntaxError as error:
        raise BibliographyError(
            name,
            f"the .bib syntax is broken here ({error}). Each entry must look like "
            "@type{key, field = {value}, ...}.",
            line=error.lineno,
        ) from None
    except PybtexError as error:
        raise BibliographyError(name, f"the file cannot be read ({error}).") from None


def _unclosed_entry_line(text: str, starts: list[_EntryStart]) -> int | None:
    """The first entry whose braces do not balance before the next entry starts."""
    offsets = [match.start() for match in _ENTRY_START.finditer(text)] + [len(text)]
    for start, begin, end in zip(starts, offsets, offsets[1:], strict=False):
        chunk = text[begin:end]
        if chunk.count("{") != chunk.count("}"):
            return start.line
    return starts[-1].line if starts else None


def _check_entry(name: str, line: int, work: Work) -> None:
    entry = work.entry
    kind = entry.type.lower()
    if kind not in KINDS:
        raise BibliographyError(
            name,
            f"entry '{work.key}' has the type @{entry.type}, which the APA style does not "
            f"support. Use one of {_SUPPORTED} (web pages are @misc with url and urldate).",
            line=line,
        )
    for required in REQUIRED_FIELDS[kind]:
        present = required in entry.fields or required in entry.persons
        if required == "author" and kind == "book":
            present = present or "editor" in entry.persons
        if not present:
            raise BibliographyError(
                name,
                f"entry '{work.key}' (@{kind}) has no {required} field. Add "
                f"{required} = {{...}} to it"
                + (
                    " (a group author goes in double braces: {{Name}})."
                    if required == "author"
                    else "."
                ),
                line=line,
            )
    try:
        work.check_dates()
    except StyleDataError as error:
        raise BibliographyError(
            name, f"entry '{work.key}': {error}. Fix its {error.field_name} field.", line=line
        ) from None
