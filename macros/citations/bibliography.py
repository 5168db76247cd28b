"""The site's bibliography: ``references.bib`` read once, each cited work formatted once.

Editors paste exports from reference managers as they are, so one bad entry must not stop
the site. Loading fails only when the file cannot be read at all (not UTF-8, a ``@string``
bomb: see :mod:`macros.citations.bib_file`). Whatever is wrong inside an entry (broken
syntax, a key used twice, an unknown type, a missing field, a bad date, a LaTeX command that
was left out) is kept with the entry and its line as :class:`EntryProblems`. A build fails
only for entries it cites, with one error listing all of them (:meth:`Bibliography.
check_cited`); the editors' check lists the others as warnings. The in-text disambiguation
(2020a/2020b, added initials or names) is computed against the whole file once, so every page
cites a work the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pybtex.richtext import Text

from macros.citations.apa import (
    KINDS,
    REQUIRED_FIELDS,
    InTextLabel,
    StyleDataError,
    Work,
    disambiguate,
    format_reference,
    in_text_label,
    is_linkable,
    markdown_safe_escape,
    tidy_punctuation,
    to_html,
    to_plain,
)
from macros.citations.apa_terms import terms_for
from macros.citations.bib_file import BibFile, BibliographyError, read_bib_file
from macros.errors import SiteError, SiteErrors

_SUPPORTED = ", ".join(f"@{kind}" for kind in KINDS)


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
    """What is wrong with one entry. ``errors`` stop it from being printed; ``warnings`` are
    printed around (a LaTeX command left out, a field given twice). A build that cites the
    entry fails on either."""

    key: str
    line: int
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    def describe(self) -> str:
        problems = (*self.errors, *self.warnings)
        if len(problems) == 1:
            return f"entry '{self.key}': {problems[0]}"
        listed = " ".join(f"({number}) {text}" for number, text in enumerate(problems, 1))
        return f"entry '{self.key}' has {len(problems)} problems: {listed}"


#: The last bibliography loaded from each path, with the bytes it was read from.
_LOADED: dict[str, tuple[bytes, Bibliography]] = {}


class Bibliography:
    """The parsed .bib file; build it with :meth:`load`."""

    def __init__(self, path: Path, found: BibFile) -> None:
        self.path = path
        self._lines = found.lines
        self._works = {key: Work(key, entry) for key, entry in found.entries.items()}
        # An entry whose syntax is broken misses fields for that reason alone: say only that.
        self._errors = {
            key: tuple(found.errors.get(key, ())) or _entry_errors(work)
            for key, work in self._works.items()
        }
        self._read_warnings = found.warnings
        self.stray = tuple(found.stray)
        printable = [work for key, work in self._works.items() if not self._errors[key]]
        self._disambiguations = disambiguate(printable)
        self._references: dict[tuple[str, str], Reference] = {}
        self.keys = frozenset(self._works)

    @classmethod
    def load(cls, path: Path) -> Bibliography:
        """Read and check ``path``; BibliographyError only if the file cannot be read at all.

        An unchanged file is not parsed again in the same process: ``mkdocs serve`` rebuilds
        on every save, and the formatted references of the last build stay valid.
        """
        name = str(path)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise BibliographyError(name, f"cannot read the bibliography ({error})") from None
        cached = _LOADED.get(name)
        if cached and cached[0] == raw:
            return cached[1]
        bibliography = cls(path, read_bib_file(raw, name))
        _LOADED[name] = (raw, bibliography)
        return bibliography

    def __contains__(self, key: object) -> bool:
        return key in self._works

    def reference(self, key: str, language: str = "en") -> Reference:
        """The work formatted in ``language`` ("en", "es": the APA terms of that language),
        formatted on first use, then cached; KeyError if the key is unknown, ValueError if
        the language is.

        An entry that cannot be printed gets a stand-in naming its key: the build reports it
        in :meth:`check_cited` before any page is written.
        """
        cache_key = (key, language)
        if cache_key not in self._references:
            work = self._works[key]
            terms = terms_for(language)
            if self._errors[key]:
                stand_in = Text(f"[{key}]")
                self._references[cache_key] = Reference(
                    key, markdown_safe_escape(f"[{key}]"), f"[{key}]", (), (), (),
                    InTextLabel(stand_in, stand_in, terms.no_date),
                )  # fmt: skip
                return self._references[cache_key]
            disambiguation = self._disambiguations[key]
            rich = format_reference(work, disambiguation, terms)
            self._references[cache_key] = Reference(
                key=key,
                html=tidy_punctuation(to_html(rich)),
                text=tidy_punctuation(to_plain(rich)),
                sort_key=work.sort_key,
                cite_sort_key=work.cite_sort_key,
                authors_key=work.names_key,
                label=in_text_label(work, disambiguation, terms),
            )
        return self._references[cache_key]

    def problems(self, key: str) -> EntryProblems | None:
        """What is wrong with the entry ``key`` (formatting it first, so that LaTeX left out
        while printing it is known); None if nothing is."""
        self.reference(key)
        work = self._works[key]
        if self._errors[key]:
            work.check_text()
        warnings = tuple(self._read_warnings.get(key, ())) + tuple(work.notes)
        url, doi = work.entry.fields.get("url"), work.entry.fields.get("doi")
        if url and not is_linkable(url):
            warnings += (f"its url {url!r} is not an http(s) address, so it is not a link.",)
        if doi and not (work.doi or work.url):
            warnings += (
                f"its doi {doi!r} is not a DOI (10.1037/0033-2909.113.3.553), so it was left out.",
            )
        if work.entry.type.lower() == "thesis" and "type" not in work.entry.fields:
            warnings += (
                "it has no type, so it is printed as [Thesis]. Add type = {phdthesis} "
                "or type = {mathesis}.",
            )
        if not (self._errors[key] or warnings):
            return None
        return EntryProblems(key, self._lines[key], self._errors[key], warnings)

    def check_cited(self, cited_by: Mapping[str, Iterable[str]]) -> None:
        """Raise one error listing every problem of every cited entry, by entry and line.

        ``cited_by`` maps each cited key to the files citing it (named in the message).
        """
        errors = []
        for key in sorted(cited_by, key=self.line_of):
            found = self.problems(key)
            if found:
                citing = ", ".join(sorted(set(cited_by[key])))
                errors.append(
                    SiteError(
                        str(self.path),
                        f"{found.describe()} (cited in {citing})",
                        line=found.line,
                    )
                )
        if errors:
            raise SiteErrors(errors)

    def suggestions(self, key: str) -> list[str]:
        """Existing keys closest to ``key``, best first, for a "did you mean" hint."""
        same_but_case = [known for known in sorted(self.keys) if known.lower() == key.lower()]
        close = difflib.get_close_matches(key, sorted(self.keys), n=3, cutoff=0.6)
        return list(dict.fromkeys(same_but_case + close))[:3]

    def line_of(self, key: str) -> int:
        return self._lines[key]


def _entry_errors(work: Work) -> tuple[str, ...]:
    """Everything that stops ``work`` from being printed, each with how to fix it."""
    entry = work.entry
    if entry.type.lower() not in KINDS:
        return (
            f"the type @{entry.type} is not supported. Use one of {_SUPPORTED} "
            "(a web page is @online, or @misc with url and urldate).",
        )
    errors = []
    for required in REQUIRED_FIELDS[work.kind]:
        if required in entry.fields or required in entry.persons:
            continue
        hint = " (a group author goes in double braces: {{Name}})" if required == "author" else ""
        errors.append(f"it has no {required}. Add {required} = {{...}}{hint}.")
    try:
        work.check_dates()
    except StyleDataError as error:
        errors.append(f"{error}. Fix its {error.field_name} field.")
    return tuple(errors)
