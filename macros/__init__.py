"""The macros package that mkdocs-macros loads (``module_name: macros``).

This file only wires things together: it registers the macros pages may call. The
``ipt`` mkdocs plugin (``macros.plugin``) loads the project's data and handles the
build's lifecycle events; its ``on_config`` runs first, so the data is ready here.
"""

from __future__ import annotations

from typing import Any

from macros.crisis import crisis_services_html


def define_env(env: Any) -> None:
    """Called by mkdocs-macros once per build to register the macros pages may call."""
    site = env.conf.plugins["ipt"]

    @env.macro
    def crisis_services() -> str:
        """Every crisis service for the configured country, with links to call or text."""
        return crisis_services_html(site.crisis)
