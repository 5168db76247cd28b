"""Translations say which English version they came from; flag the stale and the missing.

A translated page (``page.es.md``) and a data overlay (``data/<name>.es.yml``) carry
``translation: {from_hash: ...}``: the first 12 hex digits of the SHA-256 of the English
file they were translated from. When the English file changes, its hash no longer matches
and the translation is reported as out of date. An English public page without a page in
each of the site's other languages is reported as missing: readers of that language see
the English page, with a note saying so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from macros.check.project import Finding, Level, Project
from macros.content.front_matter import TranslationMeta, parse_front_matter
from macros.content.overlays import TRANSLATION_KEY
from macros.content.yaml_files import read_yaml, validate
from macros.errors import SiteError, SiteErrors, decode_utf8

NAME = "translations"
HOW = "see docs/editors/index.md#translating"


def source_hash(path: Path) -> str:
    """The fingerprint a translation records of its English file: 12 hex digits of SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def site_languages(project: Project) -> list[str]:
    """The languages built besides English (mkdocs.yml, the i18n plugin's languages)."""
    i18n = project.config.plugins.get("i18n")
    languages = getattr(getattr(i18n, "config", None), "languages", None) or []
    return [lang.locale for lang in languages if lang.build and not lang.default]


def english_pages(project: Project) -> Iterator[Path]:
    """Every English public page: not a translation, not the editors' pages."""
    editors = project.docs / project.ipt.editors_dir
    for path in sorted(project.docs.rglob("*.md")):
        relative = path.relative_to(project.docs)
        if relative.parts[0] == "overrides" or path.is_relative_to(editors):
            continue
        if "." in path.stem:  # page.es.md
            continue
        yield path


def _stale(
    project: Project,
    translated: Path,
    english: Path,
    translation: TranslationMeta,
    line: int | None,
) -> list[Finding]:
    now = source_hash(english)
    if translation.from_hash == now:
        return []
    return [
        Finding(
            project.relative(translated),
            line,
            Level.WARNING,
            f"translation out of date: {project.relative(english)} has changed since it was "
            f"translated (from_hash {translation.from_hash}, now {now})",
            f"bring the translation up to date, then set from_hash: {now} and translated_on; "
            + HOW,
        )
    ]


def _errors(error: SiteError) -> list[Finding]:
    errors = error.errors if isinstance(error, SiteErrors) else [error]
    return [Finding(e.file, e.line, Level.ERROR, e.problem, e.hint or HOW) for e in errors]


def page_findings(project: Project, english: Path, language: str) -> list[Finding]:
    translated = english.with_suffix(f".{language}.md")
    if not translated.is_file():
        return [
            Finding(
                project.relative(english),
                None,
                Level.WARNING,
                f"no '{language}' translation ({translated.name}): its readers see this "
                "English page",
                f"translate it into {translated.name}; " + HOW,
            )
        ]
    name = project.relative(translated)
    try:
        meta, lines = parse_front_matter(decode_utf8(translated.read_bytes(), name), name)
    except SiteError as error:
        return _errors(error)
    if meta.translation is None:
        return [
            Finding(
                name,
                1,
                Level.ERROR,
                "a translated page needs a translation: block in its front matter",
                f"add translation: {{from_hash: {source_hash(english)}, translated_on: "
                "<date>, method: human or machine-assisted}; " + HOW,
            )
        ]
    line = lines.get((TRANSLATION_KEY, "from_hash"))
    return _stale(project, translated, english, meta.translation, line)


def overlay_findings(project: Project, overlay: Path, english: Path) -> list[Finding]:
    name = project.relative(overlay)
    try:
        raw, lines = read_yaml(overlay, name)
        block = raw.get(TRANSLATION_KEY) if isinstance(raw, dict) else None
        translation = validate(block, TranslationMeta, name, lines)
    except SiteError as error:
        return _errors(error)
    line = lines.get((TRANSLATION_KEY, "from_hash"))
    return _stale(project, overlay, english, translation, line)


def run(project: Project) -> list[Finding]:
    findings = []
    languages = site_languages(project)
    for language in languages:
        for english in english_pages(project):
            findings += page_findings(project, english, language)
    data_dir = project.data_dir
    for overlay in sorted([*data_dir.glob("*.*.yml"), *(data_dir / "crisis").glob("*.*.yml")]):
        stem, _ = overlay.stem.split(".", 1)
        findings += overlay_findings(project, overlay, overlay.with_name(f"{stem}.yml"))
    return findings
