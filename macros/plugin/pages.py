"""What the plugin knows about each page while the site is built."""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.structure.pages import Page

from macros.citations.in_text import PageCitations
from macros.content.front_matter import PageMeta


@dataclass(frozen=True)
class PageState:
    """A page, its validated front matter and its citations, from Markdown to HTML."""

    page: Page
    meta: PageMeta
    citations: PageCitations
