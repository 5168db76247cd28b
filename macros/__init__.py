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
    (macros/plugin/page_macros.py), so the data flows from the plugin to the pages only.

    Without the ``ipt`` plugin, pages would render unsandboxed and unchecked: stop here.
    """
    from macros.errors import SiteError
    from macros.plugin import IptPlugin

    if not any(isinstance(plugin, IptPlugin) for plugin in env.conf.plugins.values()):
        raise SiteError(
            "mkdocs.yml",
            "the ipt plugin is missing from plugins:; pages would be built without its checks.",
            hint="Add '- ipt' before '- macros' under plugins: (see README.md).",
        )
