"""Export a JSON Schema for every data file, so editors' YAML editors validate while typing.

Run ``python -m macros.content.schemas`` after changing a model; it writes
``schemas/<name>.schema.json``. Each YAML file names its schema in its first line
(``# yaml-language-server: $schema=...``), which VS Code's YAML extension and others read.
A test fails when the committed schemas differ from what the models produce.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from macros.content.crisis import CrisisLines
from macros.content.data_models import DATA_FILES

ROOT = Path(__file__).resolve().parents[2]
#: Every YAML file type an editor writes, by schema name.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {**DATA_FILES, "crisis": CrisisLines}


def schema_text(model: type[BaseModel]) -> str:
    """The model's JSON Schema as stable, diff-friendly text."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema |= model.model_json_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_files() -> dict[str, str]:
    """File name under schemas/ -> its content."""
    return {f"{name}.schema.json": schema_text(model) for name, model in SCHEMA_MODELS.items()}


def write_schemas(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in schema_files().items():
        (directory / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write_schemas(ROOT / "schemas")
