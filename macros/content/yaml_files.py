"""Load YAML files and validate them against pydantic models, keeping line numbers.

Editors fix YAML by line: every validation problem is reported with the file, the
path inside the document (``therapies[2].goals``) and the line it sits on.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from macros.errors import SiteError, SiteErrors

Model = TypeVar("Model", bound=BaseModel)
YamlPath = tuple[str | int, ...]


def read_yaml(path: Path, display_name: str) -> tuple[Any, dict[YamlPath, int]]:
    """Parse a YAML file into plain data plus a map from YAML path to line number."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SiteError(display_name, "file not found.") from None
    return parse_yaml(text, display_name)


def parse_yaml(
    text: str, display_name: str, first_line: int = 1
) -> tuple[Any, dict[YamlPath, int]]:
    """Parse YAML text whose first line is line ``first_line`` of ``display_name``.

    Parsed once per process (builds of many clinics read the same files): each caller
    gets its own copy."""
    data, lines = _parse_yaml(text, display_name, first_line)
    return copy.deepcopy(data), dict(lines)


@functools.lru_cache(maxsize=1024)
def _parse_yaml(text: str, display_name: str, first_line: int) -> tuple[Any, dict[YamlPath, int]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise SiteError(
            display_name,
            f"is not valid YAML: {error.problem or error.context}.",
            line=mark.line + first_line if mark else None,
            hint="Check the indentation and quoting on that line.",
        ) from None
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _index_lines(node, (), lines, first_line)
    return data, lines


def _index_lines(
    node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int], first_line: int
) -> None:
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            _index_lines(value_node, child, lines, first_line)
            lines[child] = key_node.start_mark.line + first_line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*path, index), lines, first_line)


def format_path(path: YamlPath) -> str:
    """``('therapies', 2, 'goals')`` -> ``therapies[2].goals``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def line_for(path: YamlPath, lines: dict[YamlPath, int]) -> int | None:
    """The line of ``path``, or of its nearest ancestor that exists in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def validate(data: Any, model: type[Model], display_name: str, lines: dict[YamlPath, int]) -> Model:
    """Validate ``data`` against ``model``; report every problem with its path and line."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = []
        for issue in error.errors():
            path = tuple(issue["loc"])
            problems.append(
                SiteError(
                    display_name,
                    f"{format_path(path)}: {_describe(issue)}",
                    line=line_for(path, lines),
                )
            )
        raise SiteErrors(problems) from None


def load_model(path: Path, model: type[Model], display_name: str) -> Model:
    """Read and validate one YAML file in a single step."""
    data, lines = read_yaml(path, display_name)
    return validate(data, model, display_name, lines)


def _describe(issue: ErrorDetails) -> str:
    kind = issue["type"]
    if kind == "extra_forbidden":
        return "unknown field. Remove it or check its spelling."
    if kind == "missing":
        return "required field is missing. Add it."
    given = issue.get("input")
    shown = f" (found {given!r})" if given is not None and not isinstance(given, dict) else ""
    return f"{issue['msg'][0].lower()}{issue['msg'][1:]}{shown}."
