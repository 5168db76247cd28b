"""The project's Python package; mkdocs-macros loads it as ``module_name: macros``.

Where things live: ``plugin/`` the ``ipt`` mkdocs plugin (wiring, config, page furniture,
sandbox, HTML policy, CSP); ``citations/`` the APA engine, citation syntax and reference
lists; ``content/`` YAML, data models, front matter, crisis lines, clinic config and the
data macros; ``handouts/`` PDFs and worksheets; ``text/`` reading the words of a page;
``check/`` the editors' gate (``python -m macros.check``). See docs/editors/architecture.md.
"""

from __future__ import annotations

from typing import Any


def define_env(env: Any) -> None:
    """mkdocs-macros requires this hook; the ``ipt`` plugin registers every macro itself
    (macros/plugin/page_macros.py), so the data flows from the plugin to the pages only."""
