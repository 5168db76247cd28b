"""What the plugin knows about each page while the site is built."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mkdocs.structure.pages import Page

from macros.citations.in_text import PageCitations
from macros.content.front_matter import PageMeta
from macros.plugin.furniture import insert_after_title


@dataclass(frozen=True)
class PageState:
    """A page, its validated front matter and its citations, from Markdown to HTML."""

    page: Page
    meta: PageMeta
    citations: PageCitations


@dataclass(frozen=True)
class PageFinish:
    """What joins a page's HTML after the search plugin has indexed it.

    Search leaves all of it out (reference list, review line, handout tools, cite this
    page), and reading it was most of the time search spent on a page."""

    references: str
    furniture: str  #: placed under the title
    cite_this_page: str
    #: A page shown in another language than the site's (no translation yet): that note.
    untranslated_note: str = ""
    language: str = ""

    def apply(self, body: str) -> str:
        html = insert_after_title(body + self.references, self.furniture)
        if self.untranslated_note:
            html = f'{self.untranslated_note}<div lang="{escape(self.language)}">{html}</div>'
        return html + self.cite_this_page
