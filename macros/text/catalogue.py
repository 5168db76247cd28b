"""The words the site prints around its pages, in one language (data/i18n/<lang>.yml).

Pages are translated as files; the furniture the code adds (review line, crisis panel,
handout tools, the printed handout's letterhead and footer) takes its words from a
catalogue, so a translator adds a language by copying data/i18n/en.yml.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Catalogue:
    """One language's strings by dotted key (``page_info.label``), plus its month names."""

    language: str
    strings: Mapping[str, str]
    months: tuple[str, ...]

    def __call__(self, key: str, **values: object) -> str:
        """The plain text for ``key``, with its ``{placeholders}`` filled in."""
        text = self.strings[key]
        return text.format(**values) if values else text

    def html(self, key: str, **values: object) -> str:
        """The same, escaped for HTML (values too)."""
        return escape(self(key, **{name: str(value) for name, value in values.items()}))

    def date(self, day: datetime.date) -> str:
        """A date as the language writes it in full: 22 November 2026, 22 de noviembre de 2026."""
        month = self.months[day.month - 1]
        return self("date.long", day=day.day, month=month, year=day.year)
