"""The ``ipt`` mkdocs plugin: only lifecycle wiring; each concern lives in its own module."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from macros.bibliography import Bibliography
from macros.bibliography_page import PLACEHOLDER, bibliography_html
from macros.citations import PageCitations, references_section, render_citations
from macros.clinic import Clinic, ClinicConfig, load_clinic
from macros.config import IptConfig
from macros.crisis import CrisisLines, load_crisis_lines
from macros.csp import write_server_config
from macros.data import SiteData, load_site_data, write_open_data
from macros.frontmatter import PageMeta, page_meta
from macros.furniture import PageInfo, insert_after_title, page_info_html, reading_minutes
from macros.handouts import Handout, HandoutPrinter, PrintContext, article_html, handout_tools_html
from macros.html_policy import check_page_html
from macros.page_citation import cite_this_page_html
from macros.pagesource import source_name
from macros.sandbox import install_sandbox


def build_date() -> datetime.date:
    """The date the site describes itself as built on; SOURCE_DATE_EPOCH makes it repeatable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()


class IptPlugin(BasePlugin[IptConfig]):
    """Loads the project's data once per build and decorates every page."""

    def __init__(self) -> None:
        self.crisis: CrisisLines | None = None
        self.bibliography: Bibliography | None = None
        self.data: SiteData | None = None
        self.page_meta: dict[str, PageMeta] = {}
        self.cited_by: dict[str, list[Page]] = {}
        self.page_citations: dict[str, PageCitations] = {}
        self.today = build_date()
        self.clinic = Clinic(config=ClinicConfig())
        self.handouts: list[Handout] = []
        self.serving = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Live-reload editing never waits for PDFs: `mkdocs serve` skips rendering them.
        self.serving = command == "serve"

    @event_priority(100)  # before mkdocs-macros calls define_env, which needs our data
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.today = build_date()
        project_dir = Path(config.config_file_path).parent
        self.clinic = load_clinic(self.config.clinic, project_dir, Path(self.config.data_dir))
        self.crisis = load_crisis_lines(Path(self.config.data_dir), self.clinic.config.country)
        self.handouts = []
        # A path relative to the working directory reads best in error messages.
        self.bibliography = Bibliography.load(Path(os.path.relpath(self.config.bibliography)))
        self.data = load_site_data(Path(self.config.data_dir), self.bibliography.keys)
        self.page_meta = {}
        self.cited_by = {}
        self.page_citations = {}
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        install_sandbox(config.plugins["macros"])

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["ipt_crisis"] = self.crisis
        env.globals["ipt_clinic"] = self.clinic.config
        for page in (file.page for file in files.documentation_pages() if file.page):
            if page.content and PLACEHOLDER in page.content:
                listing = bibliography_html(self.cited_by, self.bibliography, page)
                page.content = page.content.replace(PLACEHOLDER, listing)
        return env

    @event_priority(-100)  # after mkdocs-macros has expanded the page's macros
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.page_meta[page.file.src_uri] = page_meta(page)
        cited = render_citations(
            markdown, self.bibliography, page=source_name(page), source=page.file.content_string
        )
        self.page_citations[page.file.src_uri] = cited
        for key in cited.keys:
            self.cited_by.setdefault(key, []).append(page)
        return cited.placeheld

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        check_page_html(html, page)  # the page's own HTML: citations are ours, and escaped
        meta = self.page_meta[page.file.src_uri]
        info = PageInfo(meta, self.today, reading_minutes(html))
        cited = self.page_citations[page.file.src_uri]
        html = cited.restore(html, previews=False)
        if cited.keys:
            html += references_section(cited.keys, self.bibliography)
        url = (self._site_url(config) or "/") + page.url
        citation = cite_this_page_html(config.site_name, meta.title, meta.last_reviewed, url)
        furniture = page_info_html(info)
        if meta.handout:
            furniture += handout_tools_html(page.file.dest_uri, self.clinic, meta.handout.worksheet)
        return insert_after_title(html, furniture) + citation

    @event_priority(-50)  # after the search plugin has indexed the page
    def on_page_context(
        self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any]:
        page.content = self.page_citations[page.file.src_uri].add_previews(page.content)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        meta = self.page_meta[page.file.src_uri]
        if meta.handout:
            self.handouts.append(Handout.of(page, meta, article_html(output)))
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        write_server_config(Path(config.site_dir))
        open_data = {**self.data.files(), f"crisis/{self.clinic.config.country}": self.crisis}
        write_open_data(open_data, Path(config.site_dir))
        if not self.serving:
            context = PrintContext(
                clinic=self.clinic,
                crisis=self.crisis,
                build_date=self.today,
                site_url=self._site_url(config),
                site_dir=Path(config.site_dir),
                cache_dir=Path(config.config_file_path).parent / ".cache" / "handouts",
            )
            HandoutPrinter(context).print_all(self.handouts)

    def _site_url(self, config: MkDocsConfig) -> str | None:
        """The site's public address, the clinic's first; None when nobody has set one."""
        url = self.clinic.config.site_url or config.site_url
        return url and url.rstrip("/") + "/"
