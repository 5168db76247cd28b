"""The macros package that mkdocs-macros loads (``module_name: macros``).

This file only wires things together: it registers the macros pages may call. The
``ipt`` mkdocs plugin (``macros.plugin``) loads the project's data and handles the
build's lifecycle events; its ``on_config`` runs first, so the data is ready here.
"""

from __future__ import annotations

from typing import Any

from macros.bibliography_page import PLACEHOLDER as BIBLIOGRAPHY_PLACEHOLDER
from macros.crisis import crisis_services_html
from macros.handouts import handout_download_html
from macros.tables import PageMacros
from macros.worksheets import worksheet_field_html, worksheet_table_html

#: Macros that show data/*.yml (see macros/tables.py).
DATA_MACROS = ("comparison_table", "phase_timeline", "problem_area_cards", "problem_area")
DATA_MACROS += ("techniques_list", "adaptations_table", "glossary", "term")


def define_env(env: Any) -> None:
    """Called by mkdocs-macros once per build to register the macros pages may call."""
    site = env.conf.plugins["ipt"]

    @env.macro
    def crisis_services() -> str:
        """Every crisis service for the configured country, with links to call or text."""
        return crisis_services_html(site.crisis)

    @env.macro
    def bibliography() -> str:
        """Every work cited on the site; filled in once all pages are processed."""
        return BIBLIOGRAPHY_PLACEHOLDER

    env.macro(worksheet_field_html, "worksheet_field")
    env.macro(worksheet_table_html, "worksheet_table")

    @env.macro
    def handout_download(handout: str = "", label: str = "") -> str:
        """A link to one handout's PDF (by page name), or to the zip of all of them."""
        page_uri = env.page.file.dest_uri
        return handout_download_html(handout, page_uri, env.conf["docs_dir"], label)

    env.macro(lambda: "", "report_a_mistake")  # temporary stub until the real macro exists

    data_macros = PageMacros(site.data, lambda: env.page)
    for name in DATA_MACROS:
        env.macro(getattr(data_macros, name), name)
