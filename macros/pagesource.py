"""Where things are in a page's source file, for error messages editors can act on."""

from __future__ import annotations

from mkdocs.structure.pages import Page


def source_name(page: Page) -> str:
    """The path an editor recognises: relative to the repository root."""
    return f"docs/{page.file.src_uri}"


def line_of(page: Page, needle: str) -> int | None:
    """The first line of the page's source that contains ``needle``, if any."""
    return line_in(page.file.content_string, needle)


def line_in(text: str, needle: str) -> int | None:
    """The first line of ``text`` that contains ``needle``, if any."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
