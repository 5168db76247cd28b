"""The structured data in data/ (tables, glossary, crisis lines) is valid and cross-checked."""

from __future__ import annotations

from macros.check.project import Finding, Level, Project
from macros.citations.bibliography import Bibliography, BibliographyError
from macros.content.crisis import load_crisis_lines
from macros.content.site_data import load_site_data
from macros.errors import SiteError, SiteErrors

NAME = "data"
FIX = "see docs/editors/index.md#change-a-data-cell"


def as_findings(error: SiteError) -> list[Finding]:
    errors = error.errors if isinstance(error, SiteErrors) else [error]
    return [
        Finding(
            item.file,
            item.line,
            Level.ERROR,
            item.problem + (f" {item.hint}" if item.hint else ""),
            FIX,
        )
        for item in errors
    ]


def run(project: Project) -> list[Finding]:
    data_dir = project.data_dir
    try:
        keys = Bibliography.load(project.bibliography).keys
    except BibliographyError:
        keys = None  # the references check reports it; skip the citation cross-check
    findings = []
    for crisis_file in sorted((data_dir / "crisis").glob("*.yml")):
        try:
            load_crisis_lines(data_dir, crisis_file.stem)
        except SiteError as error:
            findings += as_findings(error)
    if keys is not None:
        try:
            load_site_data(data_dir, keys)
        except SiteError as error:
            findings += as_findings(error)
    return findings
