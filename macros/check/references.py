"""references.bib can be read and every entry has what APA needs.

A problem in an entry that a page or data file cites is an ERROR (the build fails on it too);
in an entry nothing cites it is a WARNING, so an export pasted whole does not block a pull
request. Entries nothing cites are listed for information.
"""

from __future__ import annotations

import re

from macros.check.project import Finding, Level, Project
from macros.citations.bibliography import Bibliography, BibliographyError

NAME = "references"
FIX = "see docs/editors/index.md#add-a-reference and docs/editors/checks.md#references"


def cited_texts(project: Project) -> str:
    """Everything that may cite a work: the pages and the data files."""
    files = [*project.docs.rglob("*.md"), *project.data_dir.rglob("*.y*ml")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def run(project: Project) -> list[Finding]:
    name = project.relative(project.bibliography)
    try:
        bibliography = Bibliography.load(project.bibliography)
    except BibliographyError as error:
        return [Finding(name, error.line, Level.ERROR, error.problem, FIX)]
    findings = [
        Finding(name, line, Level.WARNING, message, FIX) for line, message in bibliography.stray
    ]
    texts = cited_texts(project)
    for key in sorted(bibliography.keys, key=bibliography.line_of):
        cited = re.search(rf"(?<![\w@.-])@?{re.escape(key)}(?![\w:-])", texts) is not None
        problems = bibliography.problems(key)
        if problems:
            level = Level.ERROR if cited else Level.WARNING
            findings.append(Finding(name, problems.line, level, problems.describe(), FIX))
        if not cited:
            findings.append(
                Finding(
                    name,
                    bibliography.line_of(key),
                    Level.INFO,
                    f"'{key}' is not cited on any page or in any data file",
                    "cite it where it supports a statement, or leave it for later use",
                )
            )
    return findings
