"""The editors' checks: each module looks at one concern and returns Findings.

A Finding names the file an editor must open (the Markdown source, the .bib file, a data
file or a stylesheet, never the built HTML when the source is known), the line, what is
wrong and how to fix it. ``macros.check.gate`` runs them all and prints one report.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from macros.content.front_matter import PageMeta, parse_front_matter
from macros.errors import SiteError, decode_utf8, line_in
from macros.plugin import IptPlugin
from macros.plugin.config import IptConfig


class Level(Enum):
    ERROR = "ERROR"  # fails the check
    WARNING = "WARNING"  # needs attention soon, does not fail
    INFO = "INFO"  # for the editor's information


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the project root, as the editor sees it
    line: int | None
    level: Level
    message: str
    fix: str = ""

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        fix = f" ({self.fix})" if self.fix else ""
        return f"{location}: {self.level.value}: {self.message}{fix}"


class CheckSkipped(Exception):
    """A check could not run here (a tool is missing); the message says how to install it."""


@dataclass(frozen=True)
class SourcePage:
    """A Markdown page and the HTML file the build made from it."""

    source: str  # "docs/about/faq.md"
    path: Path  # the Markdown file
    html_path: Path  # the built page
    url: str  # "about/faq/", relative to the site root
    language: str = "en"  # "es" for docs/about/faq.es.md

    @cached_property
    def text(self) -> str:
        """The Markdown source; a SiteError naming the line if it is not UTF-8."""
        return decode_utf8(self.path.read_bytes(), self.source)

    @cached_property
    def html(self) -> str:
        return self.html_path.read_text(encoding="utf-8")

    def line_of(self, needle: str) -> int | None:
        """The first line of the Markdown source containing ``needle``."""
        return line_in(self.text, needle)

    def front_matter(self) -> tuple[PageMeta, dict]:
        """The validated front matter and the line of each key; SiteError if invalid."""
        return parse_front_matter(self.text, self.source)


def page_language(docs_path: str) -> str:
    """A page's language from its name: about/faq.es.md is Spanish, about/faq.md English."""
    name = docs_path.rsplit("/", 1)[-1].removesuffix(".md")
    return name.rsplit(".", 1)[1] if "." in name else "en"


def built_path(docs_path: str) -> str:
    """Where mkdocs (use_directory_urls) writes a page: about/faq.md -> about/faq/index.html;
    a translation under its language's folder: about/faq.es.md -> es/about/faq/index.html."""
    language = page_language(docs_path)
    if language != "en":
        return f"{language}/" + built_path(docs_path.replace(f".{language}.md", ".md"))
    stem = docs_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index") or stem.endswith("README"):
        return stem.rsplit("/", 1)[0] + "/index.html" if "/" in stem else "index.html"
    return f"{stem}/index.html"


@dataclass
class Project:
    """The project being checked and the site built from it."""

    root: Path
    site: Path
    today: datetime.date
    #: Check only these pages ("docs/about/faq.md"); empty: every page.
    only_pages: tuple[str, ...] = ()

    @cached_property
    def config(self) -> MkDocsConfig:
        """mkdocs.yml, validated as the build validates it (paths resolved, defaults set)."""
        try:
            return load_config(str(self.root / "mkdocs.yml"))
        except ConfigurationError as error:
            raise SiteError("mkdocs.yml", f"the configuration is not valid: {error}") from None

    @cached_property
    def ipt(self) -> IptConfig:
        """The ``ipt`` plugin's typed options: the same values the build uses."""
        plugin = self.config.plugins.get("ipt")
        if not isinstance(plugin, IptPlugin):
            raise SiteError(
                "mkdocs.yml",
                "the ipt plugin is missing from plugins:.",
                hint="Add '- ipt' before '- macros' under plugins: (see README.md).",
            )
        return plugin.config

    @property
    def docs(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def bibliography(self) -> Path:
        return Path(self.ipt.bibliography)

    @property
    def data_dir(self) -> Path:
        return Path(self.ipt.data_dir)

    def relative(self, path: Path) -> str:
        """``path`` as an editor names it: relative to the project folder."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    @cached_property
    def pages(self) -> list[SourcePage]:
        """Every Markdown page that the build turned into HTML."""
        pages = []
        for path in sorted(self.docs.rglob("*.md")):
            relative = path.relative_to(self.docs).as_posix()
            html_path = self.site / built_path(relative)
            source = f"{self.docs.name}/{relative}"
            if self.only_pages and source not in self.only_pages:
                continue
            if html_path.exists() and not relative.startswith("overrides/"):
                url = built_path(relative).removesuffix("index.html")
                pages.append(SourcePage(source, path, html_path, url, page_language(relative)))
        return pages

    def page_for_html(self, html_path: Path) -> SourcePage | None:
        resolved = html_path.resolve()
        return next((page for page in self.pages if page.html_path.resolve() == resolved), None)

    def source_of(self, built: Path) -> str:
        """The file an editor edits for a built file: its Markdown page or docs/ asset."""
        page = self.page_for_html(built)
        if page:
            return page.source
        relative = built.relative_to(self.site).as_posix()
        if (self.docs / relative).exists():
            return f"{self.docs.name}/{relative}"
        return f"{relative} (made by the theme)"

    def html_files(self) -> Iterator[Path]:
        """Every built HTML file (the theme's 404 page too), or the selected pages."""
        if self.only_pages:
            yield from (page.html_path for page in self.pages)
        else:
            yield from sorted(self.site.rglob("*.html"))
