"""The site's bibliography: ``references.bib`` parsed and checked once, formatted lazily.

Editors paste exports from reference managers as they are, so one bad entry must not stop
the whole site. Loading fails only for what breaks the file itself (syntax, a key used
twice), reporting as much as it can find. Everything an editor can get wrong inside one
entry (an unknown type, a missing field, a bad date) is recorded against that entry with its
line; :meth:`Bibliography.reference` raises it, all at once, only when a page or data cell
cites the entry, and the editors' check lists the rest as warnings. The in-text
disambiguation (2020a/2020b, added initials or names) is computed against the whole file
once, so every page cites a work the same way. Entries are formatted only when cited.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
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
    tidy_punctuation,
    to_html,
    to_plain,
)
from macros.errors import SiteError

log = logging.getLogger("mkdocs.plugins.ipt")

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
class EntryProblems:
    """What is wrong with one entry: ``errors`` stop a citation of it, ``warnings`` do not."""

    key: str
    line: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


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
        problems: dict[str, EntryProblems] | None = None,
    ) -> None:
        self.path = path
        self._works = works
        self._lines = lines
        self._disambiguations = disambiguations
        self._references: dict[str, Reference] = {}
        self.keys = frozenset(works)
        self.warnings = warnings
        #: Each entry with something wrong, in file order (see :class:`EntryProblems`).
        self.problems = problems or {}

    @classmethod
    def load(cls, path: Path) -> Bibliography:
        """Parse and check ``path``; raise BibliographyError if the file itself is broken.

        An unchanged file is not parsed again in the same process: ``mkdocs serve`` rebuilds
        on every save, and the formatted references of the last build stay valid.
        """
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")  # Citavi writes a byte-order mark
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
        data, parse_errors = _parse(name, text, starts)
        works: dict[str, Work] = {}
        warnings = []
        problems = {}
        for key, entry in data.entries.items():
            line = lines[key.lower()]
            work = Work(key, entry)
            errors = _entry_errors(work)
            notes = parse_errors.get(key.lower(), []) + list(work.notes)
            url = entry.fields.get("url")
            if url and not is_linkable(url):
                notes.append(
                    f"url {url!r} is not an http(s) address; it is printed as text, not as a link"
                )
            warnings.extend(f"{name}:{line}: entry '{key}' has {note}." for note in notes)
            if errors or notes:
                problems[key] = EntryProblems(key, line, tuple(errors), tuple(notes))
            works[key] = work
        for found in problems.values():
            for error in found.errors:
                log.info("%s:%d: entry '%s': %s", name, found.line, found.key, error)
        key_lines = {key: lines[key.lower()] for key in works}
        usable = [work for key, work in works.items() if not _has_errors(problems, key)]
        return cls(path, works, key_lines, disambiguate(usable), tuple(warnings), problems)

    def __contains__(self, key: object) -> bool:
        return key in self._works

    def reference(self, key: str) -> Reference:
        """The formatted work (formatted on first use, then cached); KeyError if unknown.

        Raises BibliographyError naming the line and every problem of an entry that cannot
        be printed, so the page citing it fails with one message listing all of them.
        """
        if key not in self._references:
            found = self.problems.get(key)
            if found and found.errors:
                raise BibliographyError(
                    str(self.path),
                    f"entry '{key}' is cited but cannot be printed: "
                    + " ".join(
                        f"({number}) {error}" for number, error in enumerate(found.errors, start=1)
                    ),
                    line=found.line,
                )
            work = self._works[key]
            disambiguation = self._disambiguations[key]
            rich = format_reference(work, disambiguation)
            self._references[key] = Reference(
                key=key,
                html=tidy_punctuation(to_html(rich)),
                text=tidy_punctuation(to_plain(rich)),
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


def _has_errors(problems: dict[str, EntryProblems], key: str) -> bool:
    return key in problems and bool(problems[key].errors)


def _entry_starts(text: str) -> list[_EntryStart]:
    """Each entry's type, key and line; one pass over the file, however long."""
    newlines = [match.start() for match in re.finditer("\n", text)]
    return [
        _EntryStart(match[1].lower(), match[2], bisect.bisect_left(newlines, match.start()) + 1)
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


def _parse(
    name: str, text: str, starts: list[_EntryStart]
) -> tuple[BibliographyData, dict[str, list[str]]]:
    """Parse the whole file, collecting every error instead of stopping at the first.

    Syntax errors break the file: all of them are raised together. Errors inside one entry
    (a field given twice) are returned by entry key, lower-cased.
    """
    with pybtex.errors.capture() as captured:
        try:
            data = Parser().parse_string(text)
        except PrematureEOF as error:
            captured.append(error)
            data = None
        except PybtexError as error:
            captured.append(error)
            data = None
    syntax = [error for error in captured if isinstance(error, PybtexSyntaxError)]
    if syntax or data is None:
        raise _syntax_error(name, text, starts, syntax or captured)
    by_entry: dict[str, list[str]] = {}
    for error in captured:
        match = _ERROR_KEY.search(str(error))
        if not match:
            raise BibliographyError(name, f"the file cannot be read ({error}).")
        by_entry.setdefault(match[1].lower(), []).append(f"{error}; the first one is used")
    return data, by_entry


_ERROR_KEY = re.compile(r"entry with key (\S+) ")


def _syntax_error(
    name: str, text: str, starts: list[_EntryStart], errors: list[PybtexError]
) -> BibliographyError:
    """One error for the file that lists every syntax problem found, each with its line."""
    messages = []
    first_line = None
    for error in errors:
        if isinstance(error, PrematureEOF):
            line = _unclosed_entry_line(text, starts)
            message = (
                "the file ends inside an entry: a '{' is never closed. Check the braces of the "
                f"entry starting on line {line}."
            )
        elif isinstance(error, PybtexSyntaxError):
            line = error.lineno
            message = (
                f"the .bib syntax is broken here ({error}). Each entry must look like "
                "@type{key, field = {value}, ...}."
            )
        else:
            line, message = None, f"the file cannot be read ({error})."
        first_line = first_line or line
        messages.append(message if not messages else f"line {line}: {message}")
    return BibliographyError(name, " Also ".join(messages), line=first_line)


def _unclosed_entry_line(text: str, starts: list[_EntryStart]) -> int | None:
    """The first entry whose braces do not balance before the next entry starts."""
    offsets = [match.start() for match in _ENTRY_START.finditer(text)] + [len(text)]
    for start, begin, end in zip(starts, offsets, offsets[1:], strict=False):
        chunk = text[begin:end]
        if chunk.count("{") != chunk.count("}"):
            return start.line
    return starts[-1].line if starts else None


def _entry_errors(work: Work) -> list[str]:
    """Everything that stops ``work`` from being printed, each with how to fix it."""
    entry = work.entry
    kind = entry.type.lower()
    if kind not in KINDS:
        return [
            f"the type @{entry.type} is not supported. Use one of {_SUPPORTED} "
            "(web pages are @online, or @misc with url and urldate)."
        ]
    errors = []
    for required in REQUIRED_FIELDS[work.kind]:
        choices = required if isinstance(required, tuple) else (required,)
        if any(choice in entry.fields or choice in entry.persons for choice in choices):
            continue
        wanted = choices[-1]
        hint = " (a group author goes in double braces: {{Name}})." if wanted == "author" else "."
        errors.append(f"it has no {wanted} field. Add {wanted} = {{...}} to it{hint}")
    try:
        work.check_dates()
    except StyleDataError as error:
        errors.append(f"{error}. Fix its {error.field_name} field.")
    work.check_text()
    return errors
