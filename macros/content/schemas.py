"""Export a JSON Schema for every data file, so editors' YAML editors validate while typing.

Run ``python -m macros.content.schemas`` after changing a model; it writes
``schemas/<name>.schema.json``, and ``schemas/<name>.es.schema.json`` for the translations
(data/<name>.es.yml: the same shape, a cited cell as plain text, no ``cite``, every field
optional, plus the ``translation:`` block). Each YAML file names its schema in its first line
(``# yaml-language-server: $schema=...``), which VS Code's YAML extension and others read.
A test fails when the committed schemas differ from what the models produce.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from macros.content.crisis import CrisisLines
from macros.content.data_models import DATA_FILES
from macros.content.front_matter import TranslationMeta
from macros.content.overlays import TRANSLATION_KEY

ROOT = Path(__file__).resolve().parents[2]
#: Every YAML file type an editor writes, by schema name.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {**DATA_FILES, "crisis": CrisisLines}


def schema_text(model: type[BaseModel]) -> str:
    """The model's JSON Schema as stable, diff-friendly text."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema |= model.model_json_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _as_overlay(node: Any) -> Any:
    """A schema node as an overlay may write it: text where a cell is cited, no citations,
    nothing required (the build reports what is missing, naming the line)."""
    if isinstance(node, list):
        return [_as_overlay(item) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node.get("properties", {})) == {"text", "cite"}:
        return {"description": node.get("description", ""), "type": "string"}
    return {
        key: (
            {name: _as_overlay(value) for name, value in item.items() if name != "cite"}
            if key in ("properties", "$defs")
            else _as_overlay(item)
        )
        for key, item in node.items()
        if key != "required"
    }


def overlay_schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of a translation overlay of ``model``'s files."""
    schema = _as_overlay(json.loads(schema_text(model)))
    schema["properties"][TRANSLATION_KEY] = TranslationMeta.model_json_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_files() -> dict[str, str]:
    """File name under schemas/ -> its content."""
    files = {f"{name}.schema.json": schema_text(model) for name, model in SCHEMA_MODELS.items()}
    overlays = {
        f"{name}.es.schema.json": overlay_schema_text(model)
        for name, model in SCHEMA_MODELS.items()
    }
    return files | overlays


def write_schemas(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_schemas(ROOT / "schemas")
