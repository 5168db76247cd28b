"""The structured data in data/ (tables, glossary, crisis lines) is valid and cross-checked."""

from __future__ import annotations

import datetime
from pathlib import Path

from macros.check.project import Finding, Level, Project
from macros.citations.bibliography import Bibliography, BibliographyError
from macros.content.crisis import CrisisLines, crisis_files, load_crisis_lines
from macros.content.site_data import load_site_data
from macros.content.yaml_files import YamlPath, line_for, read_yaml, validate
from macros.errors import SiteError, SiteErrors

NAME = "data"
FIX = "see docs/editors/index.md#change-a-data-cell"
#: Crisis lines change: each entry is checked against its source at least this often.
RECHECK_AFTER = datetime.timedelta(days=183)


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


def stale_entries(
    crisis: CrisisLines, name: str, lines: dict[YamlPath, int], today: datetime.date
) -> list[Finding]:
    """A warning for every crisis line not checked against its source for 6 months."""
    findings = []
    for index, (label, entry) in enumerate(crisis.checked_entries()):
        if today - entry.verified_on > RECHECK_AFTER:
            path: YamlPath = ("emergency",) if index == 0 else ("services", index - 1)
            findings.append(
                Finding(
                    name,
                    line_for((*path, "verified_on"), lines),
                    Level.WARNING,
                    f"{label} was last checked on {entry.verified_on.isoformat()}, more than "
                    "6 months ago",
                    f"check it against {entry.source}, then update verified_on; "
                    "see data/crisis/README.md",
                )
            )
    return findings


def run(project: Project) -> list[Finding]:
    data_dir = project.data_dir
    try:
        keys = Bibliography.load(project.bibliography).keys
    except BibliographyError:
        keys = None  # the references check reports it; skip the citation cross-check
    findings = []
    for crisis_file in crisis_files(data_dir):
        name = project.relative(crisis_file)
        try:
            raw, lines = read_yaml(crisis_file, name)
            crisis = validate(raw, CrisisLines, name, lines)
        except SiteError as error:
            findings += as_findings(error)
            continue
        findings += stale_entries(crisis, name, lines, project.today)
    for overlay in sorted((data_dir / "crisis").glob("*.*.yml")):
        country, language = overlay.stem.split(".", 1)
        try:
            load_crisis_lines(data_dir, country, language)
        except SiteError as error:
            findings += as_findings(error)
    if keys is not None:
        for language in ("en", *translated_languages(data_dir)):
            try:
                load_site_data(data_dir, keys, language)
            except SiteError as error:
                findings += as_findings(error)
    return findings


def translated_languages(data_dir: Path) -> list[str]:
    """The languages data/ has overlays for (data/<name>.<lang>.yml)."""
    return sorted({path.stem.split(".", 1)[1] for path in data_dir.glob("*.*.yml")})
