"""User-facing errors, and where things are in a page's source so errors can say it.

A mistake in a file that an editor or a clinic controls is reported as one plain
sentence naming the file, the line or key, what is wrong and how to fix it, never as a
Python traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page


class SiteError(PluginError):
    """A problem in a project file, described for the person who has to fix it.

    It is a mkdocs ``PluginError``, so mkdocs prints the message and stops the build
    with a non-zero exit code instead of a traceback.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        line: int | None = None,
        hint: str | None = None,
        message: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        self.hint = hint
        location = f"{file}:{line}" if line else file
        super().__init__(message or f"{location}: {problem}" + (f" {hint}" if hint else ""))


class SiteErrors(SiteError):
    """Several problems found at once, so an editor can fix them in one go."""

    def __init__(self, errors: Iterable[SiteError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        message = "\n".join(error.message for error in self.errors)
        super().__init__(
            first.file, first.problem, line=first.line, hint=first.hint, message=message
        )


def decode_utf8(data: bytes, file: str) -> str:
    """``data`` as text, or a SiteError naming the line of the first byte that is not UTF-8.

    Editors' tools sometimes save in Windows-1252 or UTF-16; Python's own error names a
    byte offset and comes with a traceback.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SiteError(
            file,
            "is not UTF-8 text (a character on this line was saved in another encoding).",
            line=line,
            hint="Save the file as UTF-8 in your editor and retype any accented letters or "
            "quotation marks on that line.",
        ) from None


def source_name(page: Page) -> str:
    """The path an editor recognises: relative to the repository root. A page the plugin
    made from a file outside docs/ (a clinic's own page) carries that file's name."""
    return getattr(page.file, "source_name", None) or f"docs/{page.file.src_uri}"


def line_of(page: Page, needle: str) -> int | None:
    """The first line of the page's source that contains ``needle``, if any."""
    return line_in(page.file.content_string, needle)


def line_in(text: str, needle: str) -> int | None:
    """The first line of ``text`` that contains ``needle``, if any."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
