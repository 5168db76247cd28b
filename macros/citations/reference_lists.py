"""Reference lists: a page's own, and the site-wide bibliography with the pages citing each work.

Which pages cite what is only known once every page's Markdown has been processed, so the
references page holds a placeholder that the plugin fills in just before pages are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from urllib.parse import quote

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.citations.apa import markdown_safe_escape
from macros.citations.bibliography import Bibliography
from macros.text.catalogue import Catalogue

PLACEHOLDER = '<div class="ipt-bibliography"></div>'


def reference_anchor(key: str) -> str:
    """The id of a work's entry in a reference list (escaped for an attribute)."""
    return escape(f"ref-{key}")


def reference_href(key: str) -> str:
    """A link to a work's entry in the page's reference list (escaped for an attribute)."""
    return escape("#" + quote(f"ref-{key}", safe="-._~:/"))


def references_section(
    keys: Iterable[str],
    bibliography: Bibliography,
    *,
    heading: str = "References",
    numbered: bool = False,
    language: str = "en",
) -> str:
    """The page's reference list as one HTML block, in APA order; ``numbered`` when the
    page cites with raised numbers, which count the list in the same order; the entries in
    the APA terms of ``language``."""
    references = sorted(
        (bibliography.reference(key, language) for key in dict.fromkeys(keys)),
        key=lambda reference: reference.sort_key,
    )
    items = "".join(
        f'<li id="{reference_anchor(reference.key)}">{reference.html}</li>'
        for reference in references
    )
    tag, modifier = ("ol", " ipt-reflist--numbered") if numbered else ("ul", "")
    return (
        '<section class="ipt-references" aria-labelledby="references" data-search-exclude="true">'
        f'<h2 id="references">{markdown_safe_escape(heading)}</h2>'
        f'<{tag} class="ipt-reflist{modifier}">{items}</{tag}></section>'
    )


def bibliography_html(
    cited_by: Mapping[str, Iterable[Page]],
    bibliography: Bibliography,
    here: Page,
    t: Catalogue,
) -> str:
    """Every cited reference in APA order, each followed by the pages that cite it; the
    entries in the APA terms of the catalogue's language."""
    language = t.language
    references = sorted(
        (bibliography.reference(key, language) for key in cited_by), key=lambda ref: ref.sort_key
    )
    items = []
    for reference in references:
        pages = sorted(cited_by[reference.key], key=lambda page: page.url)
        links = ", ".join(
            f'<a href="{escape(get_relative_url(page.url, here.url))}">{escape(page.title)}</a>'
            for page in pages
        )
        items.append(
            f'<li id="{reference_anchor(reference.key)}">{reference.html}'
            f'<span class="ipt-cited-on">{t.html("references.cited_on")} {links}</span></li>'
        )
    count = f"<p>{t.html('references.count', count=len(references))}</p>"
    # Out of the search index: every word of every title would make this page a top result.
    return (
        f'{count}<ul class="ipt-reflist ipt-bibliography" data-search-exclude="true">'
        f"{''.join(items)}</ul>"
    )
