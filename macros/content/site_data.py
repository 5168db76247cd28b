"""Load every file in data/ once per build into one frozen :class:`SiteData`.

Beyond what the pydantic models check, the whole set is cross-checked: every citation key
must exist in the bibliography and every id must be unique in its list. All problems in all
files are reported together, each with the file, the YAML path and the line.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from macros.content.catalogue import ENGLISH
from macros.content.data_models import (
    DATA_FILES,
    AdaptationsFile,
    Cited,
    GlossaryFile,
    PhasesFile,
    ProblemAreasFile,
    TechniquesFile,
    TherapiesFile,
)
from macros.content.overlays import OverlayRules, apply_overlay
from macros.content.yaml_files import YamlPath, format_path, line_for, read_yaml, validate
from macros.errors import SiteError, SiteErrors


@dataclass(frozen=True)
class SiteData:
    """The validated content of data/, one attribute per file (named as in DATA_FILES)."""

    therapies: TherapiesFile
    phases: PhasesFile
    problem_areas: ProblemAreasFile
    techniques: TechniquesFile
    adaptations: AdaptationsFile
    glossary: GlossaryFile

    def files(self) -> dict[str, BaseModel]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


#: Overlays translate every text of a data file; the glossary's may add search words.
DATA_OVERLAY = OverlayRules(additions=frozenset({"also"}))


def load_site_data(
    data_dir: Path, known_keys: Collection[str], language: str = ENGLISH
) -> SiteData:
    """Read, validate and cross-check every data file; raise SiteErrors listing all problems.

    In another language each file's text comes from its overlay, data/<name>.<lang>.yml."""
    loaded: dict[str, BaseModel] = {}
    problems: list[SiteError] = []
    for name, model in DATA_FILES.items():
        display_name = f"data/{name}.yml"
        try:
            raw, lines = read_yaml(data_dir / f"{name}.yml", display_name)
            if language != ENGLISH:
                raw = _translated(raw, data_dir, name, language)
            content = validate(raw, model, display_name, lines)
        except SiteErrors as error:
            problems.extend(error.errors)
            continue
        except SiteError as error:
            problems.append(error)
            continue
        problems.extend(cross_check(content, display_name, lines, known_keys))
        loaded[name] = content
    if problems:
        raise SiteErrors(problems)
    return SiteData(**cast(dict[str, Any], loaded))


def _translated(raw: Any, data_dir: Path, name: str, language: str) -> Any:
    """The English data with the text of its overlay; SiteErrors for every problem in it."""
    overlay_name = f"data/{name}.{language}.yml"
    path = data_dir / f"{name}.{language}.yml"
    if not path.is_file():
        raise SiteError(
            overlay_name,
            f"file not found: the site is built in '{language}'.",
            hint=f"Copy data/{name}.yml, keep only its text and translate it (see the "
            "editors' guide, Translating).",
        )
    overlay, lines = read_yaml(path, overlay_name)
    merged, _, problems = apply_overlay(raw, overlay, overlay_name, lines, DATA_OVERLAY)
    if problems:
        raise SiteErrors(problems)
    if name == "glossary":
        _keep_english_names(raw, merged)
    return merged


def _keep_english_names(english: Any, translated: Any) -> None:
    """A page not yet translated still calls term() with the English names."""
    for source, term in zip(english.get("terms", []), translated.get("terms", []), strict=False):
        names = [*term.get("also", []), source.get("term"), *source.get("also", [])]
        term["also"] = [name for name in dict.fromkeys(names) if isinstance(name, str)]


def cross_check(
    content: BaseModel, display_name: str, lines: dict[YamlPath, int], known_keys: Collection[str]
) -> list[SiteError]:
    """Unknown citation keys and duplicate ids in one validated file."""

    def problem(path: YamlPath, text: str, hint: str) -> SiteError:
        return SiteError(
            display_name, f"{format_path(path)}: {text}", line=line_for(path, lines), hint=hint
        )

    problems = []
    for path, value in _walk(content, ()):
        if isinstance(value, Cited):
            for index, key in enumerate(value.cite):
                if key not in known_keys:
                    close = difflib.get_close_matches(key, sorted(known_keys), n=1)
                    guess = f"Did you mean '{close[0]}'? " if close else ""
                    problems.append(
                        problem(
                            (*path, "cite", index),
                            f"unknown citation key '{key}'.",
                            f"{guess}Use a key from references.bib.",
                        )
                    )
        elif isinstance(value, list):
            seen: set[str] = set()
            for index, item in enumerate(value):
                item_id = getattr(item, "id", None)
                if item_id is None:
                    continue
                if item_id in seen:
                    problems.append(
                        problem(
                            (*path, index, "id"),
                            f"duplicate id '{item_id}'.",
                            "Every id in a list must be unique.",
                        )
                    )
                seen.add(item_id)
    return problems


def _walk(value: Any, path: YamlPath) -> Iterator[tuple[YamlPath, Any]]:
    yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def open_data(content: BaseModel) -> dict[str, Any]:
    """A data file as published: exactly the fields the YAML gives, as plain JSON values."""
    return content.model_dump(mode="json", exclude_unset=True)


def write_open_data(files: dict[str, BaseModel], site_dir: Path) -> None:
    """Publish each data file as site/data/<name>.json, byte-identical between builds."""
    for name, content in files.items():
        target = site_dir / "data" / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(open_data(content), ensure_ascii=False, indent=2, sort_keys=True)
        target.write_text(text + "\n", encoding="utf-8")
