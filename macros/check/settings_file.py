"""mkdocs.yml, read strictly before the build.

mkdocs loads its configuration itself, before any plugin runs, with a YAML loader that
accepts aliases (a few lines can expand to billions of values and hang the build) and
duplicate keys (the last silently wins: a second ``plugins:`` can drop the ``ipt`` plugin
unnoticed). The gate reads the file with the project's strict loader first, and builds only
if it passes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from macros.check.project import Finding, Level
from macros.content.yaml_files import StrictLoader, parse_yaml
from macros.errors import SiteError, decode_utf8

SETTINGS_FILE = "mkdocs.yml"


class SettingsLoader(StrictLoader):
    """The strict loader, accepting mkdocs' tags (``!ENV``, ``!relative``) as plain values."""


def _tagged(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    return None


SettingsLoader.add_multi_constructor("!", _tagged)


def settings_findings(root: Path) -> list[Finding]:
    """An ERROR for each way mkdocs.yml breaks the strict YAML rules; empty if it is fine."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return []
    try:
        parse_yaml(
            decode_utf8(path.read_bytes(), SETTINGS_FILE), SETTINGS_FILE, loader=SettingsLoader
        )
    except SiteError as error:
        return [Finding(error.file, error.line, Level.ERROR, error.problem, error.hint or "")]
    return []
