"""Everything the theme prints from a page or the nav is text, escaped once.

Material prints ``page.title``, nav titles, ``page.meta.description`` and table-of-contents
entries without ``| e``. A title can reach it as markup although its source holds no
``<``: mkdocs-macros renders a title containing ``{{`` with Jinja, and a nav title in
mkdocs.yml is printed as it is. So before any template is rendered, every such string
becomes :class:`~markupsafe.Markup` holding its escaped text: printed as it is, it shows
the characters; ``| e`` leaves it alone, so nothing is escaped twice.

The search index is built from the same titles, and Material's search shows them as HTML,
so it gets the escaped text too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from macros.errors import SiteError
from macros.plugin.html_policy import html_text, is_safe_url

#: Settings in mkdocs.yml that the theme prints as text.
CONFIG_TEXT = ("site_name", "site_description", "site_author", "repo_name")


def as_text(value: Any) -> Any:
    """Strings (also inside lists and dicts) as escaped Markup; anything else unchanged."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    return value


def escape_config(config: MkDocsConfig) -> None:
    for name in CONFIG_TEXT:
        config[name] = as_text(config.get(name))


def escape_nav(items: Iterable[Any]) -> None:
    """Section and link titles as text; a link must go to a web page or within the site."""
    for item in items:
        if isinstance(item, (Section, Link)):
            item.title = as_text(item.title)
        if isinstance(item, Link) and not is_safe_url(item.url):
            raise SiteError(
                "mkdocs.yml",
                f"the nav link {item.url[:60]!r} uses a scheme that is not allowed.",
                hint="Nav links may go to http(s) addresses or to pages of the site.",
            )
        if isinstance(item, Section):
            escape_nav(item.children)


def escape_page(page: Page) -> None:
    """The page's title, front matter and table of contents as text."""
    if page.title is not None:
        page.title = as_text(page.title)
    page.meta = as_text(page.meta)
    _escape_toc(page.toc)


def _escape_toc(entries: Iterable[AnchorLink]) -> None:
    """Python-Markdown gives each heading's text as HTML; keep only the text it shows."""
    for entry in entries:
        if not isinstance(entry.title, Markup):
            entry.title = escape(html_text(entry.title))
        _escape_toc(entry.children)


def escape_site(config: MkDocsConfig, pages: Iterable[Page]) -> None:
    """Every page's strings and the site's name as text, before the first page is rendered
    (the nav's own titles are escaped as soon as mkdocs has made it: :func:`escape_nav`)."""
    escape_config(config)
    for page in pages:
        escape_page(page)
