"""User-facing errors: a mistake in a file that an editor or a clinic controls.

Such mistakes are reported as one plain sentence naming the file, the line or key,
what is wrong and how to fix it, never as a Python traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

from mkdocs.exceptions import PluginError


class SiteError(PluginError):
    """A problem in a project file, described for the person who has to fix it.

    It is a mkdocs ``PluginError``, so mkdocs prints the message and stops the build
    with a non-zero exit code instead of a traceback.
    """

    def __init__(
        self, file: str, problem: str, *, line: int | None = None, hint: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        self.hint = hint
        location = f"{file}:{line}" if line else file
        super().__init__(f"{location}: {problem}" + (f" {hint}" if hint else ""))


class SiteErrors(SiteError):
    """Several problems found at once, so an editor can fix them in one go."""

    def __init__(self, errors: Iterable[SiteError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.file, first.problem, line=first.line, hint=first.hint)
        self.message = "\n".join(error.message for error in self.errors)
