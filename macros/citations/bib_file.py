"""Reading a .bib file: every entry with its line, and every problem pinned to its entry.

Editors paste exports from reference managers as they are, and a file may come from a
stranger, so reading never stops at the first mistake and never trusts the file to be small.
pybtex's own parser does the reading; the subclasses here only listen to it: they note the
line each entry starts on, attach each syntax error to the entry it is in, keep the first of
two entries with one key, skip past an entry whose braces never close (pybtex would lose the
rest of the file), and cap what ``@string`` macros may expand to, so that a file of macros
that double each other fails in milliseconds instead of filling the memory. Only a file that
cannot be read at all (not UTF-8, a macro bomb) raises :class:`BibliographyError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pybtex.database import Entry
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser, UndefinedMacro
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError

from macros.errors import SiteError

#: The longest field value (after ``@string`` expansion) a file may hold; an abstract is ~5,000.
MAX_VALUE_CHARS = 100_000
#: All ``@string`` expansions of one file together; month names in 2,000 entries are ~20,000.
MAX_EXPANDED_CHARS = 2_000_000
#: Where an entry may start: ``@type{`` at the start of a line (used to skip a broken entry).
_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)
_NOT_ENTRIES = frozenset({"string", "preamble", "comment"})


class BibliographyError(SiteError):
    """The .bib file as a whole cannot be read: ``file:line: what is wrong, how to fix``."""


@dataclass
class BibFile:
    """What a .bib file holds: entries in file order, their lines, and what is wrong."""

    entries: dict[str, Entry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    #: Problems that stop an entry from being printed, by key.
    errors: dict[str, list[str]] = field(default_factory=dict)
    #: Problems of an entry that is still printed (a field given twice), by key.
    warnings: dict[str, list[str]] = field(default_factory=dict)
    #: Syntax errors outside any entry, as (line, message).
    stray: list[tuple[int, str]] = field(default_factory=list)

    def add_error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def add_warning(self, key: str, message: str) -> None:
        self.warnings.setdefault(key, []).append(message)


class _ExpansionLimit(Exception):
    """``@string`` macros expand beyond the limits; stops the whole parse."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


class _Scanner(LowLevelParser):
    """pybtex's low-level parser, noting entry lines and capping macro expansion."""

    def __init__(self, text: str, first_line: int, budget: list[int], **kwargs) -> None:
        super().__init__(text, **kwargs)
        self.lineno = first_line
        self.budget = budget  # characters macros may still expand to, shared by all scanners
        self.entry_lines: list[tuple[str, int]] = []

    def parse_command(self):
        line = self.lineno
        command, body = super().parse_command()
        if command.lower() not in _NOT_ENTRIES and body[0] is not None:
            self.entry_lines.append((body[0], line))
        return command, body

    def substitute_macro(self, name: str) -> str:
        value = super().substitute_macro(name)
        self.budget[0] -= len(value)
        if self.budget[0] < 0:
            raise _ExpansionLimit(
                self.lineno,
                f"@string macros expand to more than {MAX_EXPANDED_CHARS:,} characters "
                f"(the macro '{name}' used here). Reference managers never write this; delete "
                "the @string definitions that repeat each other.",
            )
        return value

    def parse_value(self) -> None:
        super().parse_value()
        if sum(len(part) for part in self.current_value) > MAX_VALUE_CHARS:
            raise _ExpansionLimit(
                self.lineno,
                f"a value here is longer than {MAX_VALUE_CHARS:,} characters. Shorten it (an "
                "abstract is not needed) or delete the @string macros it is made of.",
            )


class _Reader(Parser):
    """pybtex's parser, collecting problems per entry instead of stopping."""

    def __init__(self, found: BibFile) -> None:
        super().__init__()
        self.found = found
        self.scanner: _Scanner | None = None
        self.first_of: dict[str, str] = {}  # lower-cased key → the key of its first entry
        self.unclosed_at: int | None = None  # offset of an entry whose brace never closes

    def read(self, text: str) -> None:
        budget = [MAX_EXPANDED_CHARS]
        position: int | None = 0
        while position is not None:
            self.unclosed_at = None
            self.scanner = _Scanner(
                text[position:],
                text.count("\n", 0, position) + 1,
                budget,
                handle_error=self.handle_error,
                want_entry=self.data.want_entry,
                macros=self.macros,
            )
            for command, body in self.scanner:
                if command.lower() not in _NOT_ENTRIES:
                    self.process_entry(command, *body)
            position = self._next_entry_after_unclosed(text, position)

    def _next_entry_after_unclosed(self, text: str, position: int) -> int | None:
        """pybtex reads to the end of the file after an unclosed brace: start again after it."""
        if self.unclosed_at is None:
            return None
        following = _ENTRY_START.search(text, position + self.unclosed_at + 1)
        return following.start() if following else None

    def process_entry(self, entry_type: str, key: str | None, fields) -> None:
        assert self.scanner is not None
        if key is None:
            return
        line = self.scanner.entry_lines[-1][1]
        first = self.first_of.setdefault(key.lower(), key)
        if first != key or first in self.found.lines:
            self.found.add_error(
                first,
                f"its key is used again on line {line}. Give one of the two entries a "
                "different key, or delete the copy.",
            )
            return
        self.found.lines[key] = line
        super().process_entry(entry_type, key, fields)
        self.found.entries[key] = self.data.entries[key]

    def handle_error(self, error: PybtexError) -> None:
        assert self.scanner is not None
        key = self.scanner.current_entry_key
        if isinstance(error, DuplicateField):
            name = str(error).rsplit(" ", 2)[-2]
            self.found.add_warning(
                key or "", f"the field {name} is given twice; the first one is used."
            )
            return
        if isinstance(error, PrematureEOF):
            self.unclosed_at = self.scanner.command_start
            message = "a '{' in it is never closed. Close the brace where its value ends."
        elif isinstance(error, UndefinedMacro):
            message = (
                f"a value is neither in braces nor in quotes ({error.args[0]} on line "
                f"{error.lineno}), so it was read as an undefined @string. Put it in braces."
            )
        elif isinstance(error, PybtexSyntaxError):
            message = (
                f"its .bib syntax is broken ({error.args[0]} on line {error.lineno}). Check its "
                "braces and the commas between fields: @type{key, name = {value}, ...}."
            )
        else:
            message = f"it cannot be read ({error})."
        if key is None:
            self.found.stray.append((getattr(error, "lineno", self.scanner.lineno), message))
        else:
            self.found.add_error(key, message)


def read_bib_file(raw: bytes, name: str) -> BibFile:
    """Read a .bib file's bytes (``name`` is how errors call the file); BibliographyError
    if it cannot be read at all."""
    try:
        text = raw.decode("utf-8-sig")  # Citavi writes a byte-order mark
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        byte = raw[error.start : error.start + 1].hex().upper()
        raise BibliographyError(
            name,
            f"this line is not UTF-8 (byte 0x{byte}). Save or export the file as UTF-8 "
            "(Zotero, JabRef and Citavi have an encoding option when exporting).",
            line=line,
        ) from None
    found = BibFile()
    try:
        _Reader(found).read(text)
    except _ExpansionLimit as limit:
        raise BibliographyError(name, limit.problem, line=limit.line) from None
    return found
