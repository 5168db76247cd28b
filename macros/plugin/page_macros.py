"""The macros pages may call, registered by the plugin with mkdocs-macros.

The plugin owns the bibliography, the data and the page being built; the macros get them
from here, so nothing reaches back into the plugin through mkdocs' configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, cast, get_args

from mkdocs.utils import get_relative_url

from macros.citations.reference_lists import PLACEHOLDER as BIBLIOGRAPHY_PLACEHOLDER
from macros.content.clinic import Clinic
from macros.content.crisis import Topic
from macros.content.data_models import DATA_FILES
from macros.content.help_lines import help_page_html, support_lines_html
from macros.content.site_data import SiteData
from macros.content.tables import PageMacros
from macros.errors import SiteError, source_name
from macros.handouts.links import handout_download_html
from macros.handouts.worksheets import worksheet_field_html, worksheet_table_html
from macros.plugin.pages import PageState
from macros.text.catalogue import Catalogue

#: Macros that show data/*.yml (see macros/content/tables.py).
DATA_MACROS = (
    *("comparison_table", "phase_timeline", "problem_area_cards", "problem_area"),
    *("techniques_list", "adaptations_table", "glossary", "term"),
)


@dataclass(frozen=True)
class MacroContext:
    """What the macros may use: the loaded data and the page being rendered."""

    data: SiteData
    clinic: Clinic
    docs_dir: str
    current: Callable[[], PageState]
    report_email: str  #: where readers report mistakes (the clinic's, else the site's)
    repo_url: str | None
    data_links: bool  #: editor_tools.data_links
    t: Catalogue  #: the language being built
    language_root: str  #: where its pages are: "" or e.g. "es/"


def page_macros(context: MacroContext) -> dict[str, Callable[..., str]]:
    """Every macro by the name pages call it with."""

    clinic = context.clinic.config
    crisis = context.clinic.crisis

    def crisis_services() -> str:
        """The emergency number and every crisis line for the clinic's country and region."""
        return help_page_html(
            crisis, clinic.region, clinic.name, clinic.local_crisis_contacts, context.t
        )

    def emergency_number() -> str:
        """The emergency number of the clinic's country, as a link to call it: pages say
        "call {{ emergency_number() }}" instead of one country's number."""
        emergency = crisis.emergency
        digits = escape(emergency.value)
        return f'<a class="ipt-emergency-number" href="{escape(emergency.href)}">{digits}</a>'

    def support_lines(topic: str) -> str:
        """The country's lines for one topic, e.g. support_lines("domestic-abuse")."""
        if topic not in get_args(Topic):
            page = context.current().page
            raise SiteError(
                source_name(page),
                f"support_lines() does not know the topic '{topic}'.",
                hint='Use support_lines("domestic-abuse") or support_lines("crisis").',
            )
        return support_lines_html(crisis, cast(Topic, topic), clinic.region, context.t)

    def open_data(name: str) -> str:
        """Where a table's data file is published, when editor_tools.data_links is on."""
        if name not in DATA_FILES:
            page = context.current().page
            raise SiteError(
                source_name(page),
                f"open_data() does not know the data file '{name}'.",
                hint=f"Use one of: {', '.join(DATA_FILES)}.",
            )
        if not context.data_links:
            return ""
        href = escape(get_relative_url(f"data/{name}.json", context.current().page.url))
        return (
            "\n\n## Use this data\n\n"
            "This table is built from a data file, published as open data under CC BY-SA 4.0 "
            f'(the licence of this site\'s text): <a href="{href}">{escape(name)}.json</a>.\n\n'
        )

    def report_a_mistake() -> str:
        """How to tell us about a mistake, without needing an account anywhere."""
        return report_a_mistake_html(context.report_email, context.repo_url)

    def bibliography() -> str:
        """Every work cited on the site; filled in once all pages are processed."""
        return BIBLIOGRAPHY_PLACEHOLDER

    def handout_download(handout: str = "", label: str = "", about: str = "") -> str:
        """A link to one handout's PDF (by page name), or to the zip of all of them."""
        page_uri = context.current().page.file.dest_uri
        return handout_download_html(
            handout, page_uri, context.docs_dir, context.t, label, context.language_root, about
        )

    def cite(keys: Sequence[str]) -> str:
        return context.current().citations.cite(keys)

    data_macros = PageMacros(context.data, lambda: context.current().page, cite)
    macros: dict[str, Callable[..., Any]] = {
        "crisis_services": crisis_services,
        "support_lines": support_lines,
        "emergency_number": emergency_number,
        "report_a_mistake": report_a_mistake,
        "open_data": open_data,
        "bibliography": bibliography,
        "handout_download": handout_download,
        "worksheet_field": worksheet_field_html,
        "worksheet_table": worksheet_table_html,
    }
    macros |= {name: getattr(data_macros, name) for name in DATA_MACROS}
    return macros


def report_a_mistake_html(email: str, repo_url: str | None) -> str:
    """An e-mail link when the site has an address, else the project's issue tracker."""
    if email:
        address = escape(email)
        subject = "Mistake%20on%20the%20site"
        return (
            '<p class="ipt-report">To report a mistake, e-mail '
            f'<a href="mailto:{address}?subject={subject}">{address}</a>. Say which page, and '
            "what is wrong. You do not need an account anywhere.</p>"
        )
    if repo_url:
        return (
            '<p class="ipt-report">To report a mistake, open an issue on '
            f'<a href="{escape(repo_url.rstrip("/"))}/issues">the project\'s page</a> '
            "(this needs a free GitHub account), or tell the service that gave you this "
            "link.</p>"
        )
    return (
        '<p class="ipt-report">To report a mistake, tell the service that gave you this link.</p>'
    )
