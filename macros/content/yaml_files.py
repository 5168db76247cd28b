"""Load YAML files and validate them against pydantic models, keeping line numbers.

Editors fix YAML by line: every validation problem is reported with the file, the
path inside the document (``therapies[2].goals``) and the line it sits on.

YAML files come from pull requests, so the loader is strict and bounded: no aliases (a
few lines of ``*alias`` can expand to billions of nodes), no duplicate keys (where the
last would silently win), at most :data:`MAX_DEPTH` levels of nesting and
:data:`MAX_CHARACTERS` characters.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from macros.errors import SiteError, SiteErrors, decode_utf8

Model = TypeVar("Model", bound=BaseModel)
YamlPath = tuple[str | int, ...]

#: Far above any real data file (the largest is about 11 kB); parsing this much takes seconds.
MAX_CHARACTERS = 500_000
#: Levels of nested lists and mappings; the data files use fewer than ten.
MAX_DEPTH = 50


def read_yaml(path: Path, display_name: str) -> tuple[Any, dict[YamlPath, int]]:
    """Parse a YAML file into plain data plus a map from YAML path to line number."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SiteError(display_name, "file not found.") from None
    return parse_yaml(decode_utf8(data, display_name), display_name)


def parse_yaml(
    text: str, display_name: str, first_line: int = 1, loader: type[StrictLoader] | None = None
) -> tuple[Any, dict[YamlPath, int]]:
    """Parse YAML text whose first line is line ``first_line`` of ``display_name``.

    With the default loader, a text is parsed once per process (builds of many clinics read
    the same files); each caller gets its own copy."""
    if loader is not None:
        return _parse_yaml(text, display_name, first_line, loader)
    data, lines = _parse_yaml_once(text, display_name, first_line)
    return copy.deepcopy(data), dict(lines)


@functools.lru_cache(maxsize=1024)
def _parse_yaml_once(
    text: str, display_name: str, first_line: int
) -> tuple[Any, dict[YamlPath, int]]:
    return _parse_yaml(text, display_name, first_line, StrictLoader)


def _parse_yaml(
    text: str, display_name: str, first_line: int, loader: type[StrictLoader]
) -> tuple[Any, dict[YamlPath, int]]:
    if len(text) > MAX_CHARACTERS:
        raise SiteError(
            display_name,
            f"is too large to be read as YAML ({len(text):,} characters; "
            f"the limit is {MAX_CHARACTERS:,}).",
            hint="Split it into smaller files.",
        )
    try:
        node, data = loader(text, display_name, first_line).load()
    except yaml.MarkedYAMLError as error:
        raise SiteError(
            display_name,
            f"is not valid YAML: {_describe_yaml_error(error)}.",
            line=_error_line(error, first_line),
            hint="Check the indentation and quoting on that line.",
        ) from None
    except yaml.reader.ReaderError as error:
        raise SiteError(
            display_name,
            f"contains a character YAML does not allow (U+{error.character:04X}).",
            line=text.count("\n", 0, error.position) + first_line,
            hint="Delete it; it is often invisible, so retype the line.",
        ) from None
    lines: dict[YamlPath, int] = {}
    if node is not None:
        _index_lines(node, (), lines, first_line)
    return data, lines


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases, duplicate keys and deep nesting."""

    def __init__(self, text: str, display_name: str, first_line: int) -> None:
        super().__init__(text)
        self.display_name = display_name
        self.first_line = first_line
        self.depth = 0

    def load(self) -> tuple[yaml.Node | None, Any]:
        """The document's node tree (for line numbers) and its data, from one parse."""
        try:
            node = self.get_single_node()
            return node, self.construct_document(node) if node is not None else None
        finally:
            self.dispose()

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._refuse(
                self.peek_event().start_mark,
                "uses a YAML alias (*name), which is not allowed.",
                "Write the value out in full instead of referring to an &anchor.",
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._refuse(
                self.peek_event().start_mark,
                f"nests lists and mappings more than {MAX_DEPTH} levels deep.",
                "Flatten the structure; the data files need only a few levels.",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor: Any) -> yaml.MappingNode:
        node = super().compose_mapping_node(anchor)
        first_seen: dict[tuple[str, str], int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            line = key.start_mark.line + self.first_line
            earlier = first_seen.setdefault((key.tag, key.value), line)
            if earlier != line:
                self._refuse(
                    key.start_mark,
                    f"the key '{key.value}' appears twice (lines {earlier} and {line}); "
                    "only one can count.",
                    "Delete or rename one of them.",
                )
        return node

    def _refuse(self, mark: yaml.Mark, problem: str, hint: str) -> NoReturn:
        raise SiteError(self.display_name, problem, line=mark.line + self.first_line, hint=hint)


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's words: what it was reading ("while scanning a quoted scalar"), then why."""
    return ", ".join(part for part in (error.context, error.problem) if part)


def _error_line(error: yaml.MarkedYAMLError, first_line: int) -> int | None:
    """The line to fix: where an unclosed quote or a key without ':' starts (the context),
    else where the parser gave up (the problem)."""
    is_scanner = isinstance(error, yaml.scanner.ScannerError)
    mark = (error.context_mark if is_scanner else None) or error.problem_mark or error.context_mark
    return mark.line + first_line if mark else None


def _index_lines(
    node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int], first_line: int
) -> None:
    """The line of each path: a plain value's own line (it may sit below its key), else the
    line of the key that holds the list or mapping."""
    lines[path] = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            _index_lines(value_node, child, lines, first_line)
            if not isinstance(value_node, yaml.ScalarNode):
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
