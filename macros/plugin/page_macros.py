"""The macros pages may call, registered by the plugin with mkdocs-macros.

The plugin owns the bibliography, the data and the page being built; the macros get them
from here, so nothing reaches back into the plugin through mkdocs' configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from macros.citations.reference_lists import PLACEHOLDER as BIBLIOGRAPHY_PLACEHOLDER
from macros.content.crisis import CrisisLines, crisis_services_html
from macros.content.site_data import SiteData
from macros.content.tables import PageMacros
from macros.handouts.links import handout_download_html
from macros.handouts.worksheets import worksheet_field_html, worksheet_table_html
from macros.plugin.pages import PageState

#: Macros that show data/*.yml (see macros/content/tables.py).
DATA_MACROS = (
    *("comparison_table", "phase_timeline", "problem_area_cards", "problem_area"),
    *("techniques_list", "adaptations_table", "glossary", "term"),
)


@dataclass(frozen=True)
class MacroContext:
    """What the macros may use: the loaded data and the page being rendered."""

    data: SiteData
    crisis: CrisisLines
    docs_dir: str
    current: Callable[[], PageState]


def page_macros(context: MacroContext) -> dict[str, Callable[..., str]]:
    """Every macro by the name pages call it with."""

    def crisis_services() -> str:
        """Every crisis service for the configured country, with links to call or text."""
        return crisis_services_html(context.crisis)

    def bibliography() -> str:
        """Every work cited on the site; filled in once all pages are processed."""
        return BIBLIOGRAPHY_PLACEHOLDER

    def handout_download(handout: str = "", label: str = "") -> str:
        """A link to one handout's PDF (by page name), or to the zip of all of them."""
        page_uri = context.current().page.file.dest_uri
        return handout_download_html(handout, page_uri, context.docs_dir, label)

    def cite(keys: Sequence[str]) -> str:
        return context.current().citations.cite(keys)

    data_macros = PageMacros(context.data, lambda: context.current().page, cite)
    macros: dict[str, Callable[..., Any]] = {
        "crisis_services": crisis_services,
        "bibliography": bibliography,
        "handout_download": handout_download,
        "worksheet_field": worksheet_field_html,
        "worksheet_table": worksheet_table_html,
    }
    macros |= {name: getattr(data_macros, name) for name in DATA_MACROS}
    return macros
