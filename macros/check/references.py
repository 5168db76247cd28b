"""references.bib parses, has no duplicate keys and every entry has what APA needs;
entries nothing cites are listed for information."""

from __future__ import annotations

import re

from macros.check.project import Finding, Level, Project
from macros.citations.bibliography import Bibliography, BibliographyError

NAME = "references"
FIX = "see docs/editors/index.md#add-a-reference and docs/editors/checks.md#references"
_WARNING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<message>.*)$", re.S)


def cited_texts(project: Project) -> str:
    """Everything that may cite a work: the pages and the data files."""
    files = [*project.docs.rglob("*.md"), *project.data_dir.rglob("*.y*ml")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def run(project: Project) -> list[Finding]:
    name = project.relative(project.bibliography)
    try:
        bibliography = Bibliography.load(project.bibliography)
    except BibliographyError as error:
        return [Finding(name, error.line, Level.ERROR, error.message, FIX)]
    findings = []
    for warning in bibliography.warnings:
        match = _WARNING.match(warning)
        line = int(match["line"]) if match else None
        message = match["message"] if match else warning
        findings.append(Finding(name, line, Level.WARNING, message, FIX))
    texts = cited_texts(project)
    for key in sorted(bibliography.keys, key=bibliography.line_of):
        if not re.search(rf"(?<![\w@.-])@?{re.escape(key)}(?![\w:-])", texts):
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
