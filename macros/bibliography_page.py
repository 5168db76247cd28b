"""The site-wide bibliography: every cited work, with links back to the pages citing it.

Which pages cite what is only known once every page's Markdown has been processed, so the
references page holds a placeholder that the plugin fills in just before pages are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.bibliography import Bibliography

PLACEHOLDER = '<div class="ipt-bibliography"></div>'


def bibliography_html(
    cited_by: Mapping[str, Iterable[Page]], bibliography: Bibliography, here: Page
) -> str:
    """Every cited reference in APA order, each followed by the pages that cite it."""
    references = sorted(
        (bibliography.reference(key) for key in cited_by), key=lambda ref: ref.sort_key
    )
    items = []
    for reference in references:
        pages = sorted(cited_by[reference.key], key=lambda page: page.url)
        links = ", ".join(
            f'<a href="{escape(get_relative_url(page.url, here.url))}">{escape(page.title)}</a>'
            for page in pages
        )
        items.append(
            f'<li id="ref-{escape(reference.key)}">{reference.html}'
            f'<span class="ipt-cited-on">Cited on: {links}</span></li>'
        )
    count = f"<p>{len(references)} works are cited on this site.</p>"
    return f'{count}<ul class="ipt-reflist ipt-bibliography">{"".join(items)}</ul>'
