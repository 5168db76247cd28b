"""Load and check a language's catalogue of site strings (data/i18n/<lang>.yml).

Every catalogue has exactly the keys of the English one, and the same ``{placeholders}``
in each string, so a missing or mistyped key stops the build with its file and line
instead of showing English, or a Python error, on one page.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

from macros.content.yaml_files import YamlPath, format_path, line_for, read_yaml
from macros.errors import SiteError, SiteErrors
from macros.text.catalogue import Catalogue

ENGLISH = "en"


def _flatten(data: Any, prefix: YamlPath = ()) -> dict[YamlPath, Any]:
    if isinstance(data, dict):
        flat: dict[YamlPath, Any] = {}
        for key, value in data.items():
            flat |= _flatten(value, (*prefix, str(key)))
        return flat
    return {prefix: data}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _read(data_dir: Path, language: str) -> tuple[str, dict[YamlPath, Any], dict[YamlPath, int]]:
    name = f"data/i18n/{language}.yml"
    path = data_dir / "i18n" / f"{language}.yml"
    if not path.is_file():
        raise SiteError(
            name,
            f"file not found: the site is set to build the language '{language}'.",
            hint=f"Copy data/i18n/{ENGLISH}.yml to {name} and translate every value.",
        )
    raw, lines = read_yaml(path, name)
    return name, _flatten(raw if isinstance(raw, dict) else {}), lines


def load_catalogue(data_dir: Path, language: str) -> Catalogue:
    """The catalogue for ``language``, checked key by key against the English one."""
    _, english, _ = _read(data_dir, ENGLISH)
    name, strings, lines = _read(data_dir, language)
    problems = []
    for path in english.keys() - strings.keys():
        problems.append(
            SiteError(
                name,
                f"{format_path(path)}: missing.",
                hint=f"Copy it from data/i18n/{ENGLISH}.yml and translate it.",
            )
        )
    for path in strings.keys() - english.keys():
        problems.append(
            SiteError(
                name,
                f"{format_path(path)}: unknown key.",
                line=line_for(path, lines),
                hint=f"Use the keys of data/i18n/{ENGLISH}.yml.",
            )
        )
    months = strings.pop(("date", "months"), None)
    english.pop(("date", "months"), None)
    if not (
        isinstance(months, list) and len(months) == 12 and all(isinstance(m, str) for m in months)
    ):
        problems.append(
            SiteError(
                name,
                "date.months: must list the 12 month names.",
                line=line_for(("date", "months"), lines),
            )
        )
        months = []
    for path, text in strings.items():
        if path not in english:
            continue
        if not isinstance(text, str):
            problems.append(
                SiteError(name, f"{format_path(path)}: must be text.", line=line_for(path, lines))
            )
        elif _placeholders(text) != _placeholders(english[path]):
            expected = ", ".join(f"{{{p}}}" for p in sorted(_placeholders(english[path]))) or "none"
            problems.append(
                SiteError(
                    name,
                    f"{format_path(path)}: the placeholders must be the English ones ({expected}).",
                    line=line_for(path, lines),
                    hint="Keep each {name} as in the English text, where the sentence needs it.",
                )
            )
    if problems:
        raise SiteErrors(sorted(problems, key=lambda error: str(error)))
    return Catalogue(
        language=language,
        strings={".".join(str(part) for part in path): text for path, text in strings.items()},
        months=tuple(months),
    )
