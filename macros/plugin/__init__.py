"""The ``ipt`` mkdocs plugin: lifecycle wiring only; each concern lives in its own package.

One pass, one direction: the data and the bibliography are loaded once per build
(``on_config``); each page's front matter is read once (``on_pre_page``); its citations are
read from its Markdown after the macros ran (``on_page_markdown``) and written into its HTML
(``on_page_content``), where the handout text is also taken; its reference list and page
furniture join it once the search plugin has indexed it (``on_page_context``).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from mkdocs_macros.plugin import MacrosPlugin

from macros.citations.bibliography import Bibliography
from macros.citations.cite_this_page import cite_this_page_html
from macros.citations.in_text import CitationStyle, PageCitations
from macros.citations.reference_lists import (
    PLACEHOLDER,
    bibliography_html,
    references_section,
)
from macros.content.catalogue import load_catalogue
from macros.content.clinic import Clinic, load_clinic
from macros.content.front_matter import page_meta
from macros.content.site_data import SiteData, load_site_data, write_open_data
from macros.errors import SiteError, source_name
from macros.handouts.links import handout_tools_html
from macros.handouts.printer import Handout, PrintContext, print_handouts
from macros.plugin.branding import add_branding_files, apply_branding, home_note_html
from macros.plugin.config import IptConfig
from macros.plugin.csp import inline_script_hashes, theme_scripts, write_server_config
from macros.plugin.escaping import escape_nav, escape_site
from macros.plugin.file_policy import check_published_files, refuse_symlinks
from macros.plugin.furniture import PageInfo, page_info_html, reading_minutes
from macros.plugin.html_policy import check_config_html, check_page_html
from macros.plugin.languages import (
    SOURCE_LANGUAGE,
    build_language,
    choose_languages,
    is_first_build,
    language_root,
    leave_out_the_sitemap,
    place_404_page,
    place_pages,
    site_languages,
    take_site_names,
)
from macros.plugin.page_macros import MacroContext, page_macros
from macros.plugin.pages import PageFinish, PageState
from macros.plugin.render_cache import RenderCache
from macros.plugin.sandbox import install_sandbox, raise_template_error
from macros.plugin.search_index import (
    LanguageIndex,
    drop_repeated_entries,
    language_index,
    write_index,
)
from macros.text.catalogue import Catalogue
from macros.text.dates import build_date

log = logging.getLogger("mkdocs.plugins.ipt")


class IptPlugin(BasePlugin[IptConfig]):
    """Loads the project's data once per build and decorates every page."""

    def __init__(self) -> None:
        self.today = build_date()
        self.serving = False
        self.pages: dict[str, PageState] = {}
        self.finishes: dict[str, PageFinish] = {}  #: by each page's source path
        self.current: PageState | None = None
        self.cited_by: dict[str, list[Page]] = {}
        self.handouts: list[Handout] = []
        self.site_dir: str | None = None
        #: Builds of many clinics in one process (macros/plugin/clinic_sites.py) share
        #: converted pages, and print the handouts in other processes.
        self.render_cache: RenderCache | None = None
        self.print_handouts: Callable[[PrintContext, list[Handout]], None] = print_handouts
        self.language = SOURCE_LANGUAGE
        #: The language at the site's root; the others are in their folders (/es/).
        self.root_language = SOURCE_LANGUAGE
        self.macros_now: dict[str, Callable[..., str]] = {}
        self.macros_registered_with: MacrosPlugin | None = None
        #: Each language's search entries, kept as its build ends until its index is written:
        #: the i18n plugin builds the other languages inside the default language's build.
        self.search_indexes: list[LanguageIndex | None] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Live-reload editing never waits for PDFs: `mkdocs serve` skips rendering them.
        self.serving = command == "serve"

    @event_priority(100)  # before mkdocs-macros' on_config, which takes the macros we register
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.today = build_date()
        self.language = build_language(config)
        self.site_dir = config.site_dir
        project_dir = Path(config.config_file_path).parent
        first_build = is_first_build(config)
        if first_build:  # a language's rebuild reuses the branded configuration
            self.project_name = config.site_name  # the text's author, whoever hosts the site
            self.site_names = take_site_names(config)
        self.clinic = load_clinic(
            self.config.clinic,
            project_dir,
            Path(self.config.data_dir),
            self.language,
            self.site_names.get(self.language, self.project_name),
        )
        if first_build:
            apply_branding(config, self.clinic)
            chosen = self.clinic.config
            self.root_language = choose_languages(
                config, chosen.languages, chosen.default_language, self.config.clinic
            )
        self.language_root = language_root(self.language, self.root_language)
        place_404_page(config, at_root=not self.language_root)
        if not self.clinic.named:  # the site's name in this language (on_env escapes it)
            config.site_name = self.clinic.config.name
        # A clinic that names its repository in clinic.yml wants its readers to see it.
        tools, brand = self.config.editor_tools, self.clinic.config
        self.show_repository = tools.repository or brand.repo_url is not None
        self.edit_links = tools.edit_links or bool(brand.repo_url and brand.edit_uri)
        # A path relative to the working directory reads best in error messages.
        self.bibliography = Bibliography.load(Path(os.path.relpath(self.config.bibliography)))
        self.data = load_site_data(
            Path(self.config.data_dir), self.bibliography.keys, self.language
        )
        self.t = load_catalogue(Path(self.config.data_dir), self.language)
        self.pages, self.current, self.cited_by, self.handouts = {}, None, {}, []
        self.finishes = {}
        macros_plugin = config.plugins.get("macros")
        if not isinstance(macros_plugin, MacrosPlugin):
            raise SiteError(
                "mkdocs.yml",
                "the macros plugin is missing from plugins:.",
                hint="Add '- macros: {module_name: macros}' after '- ipt' (see README.md).",
            )
        context = MacroContext(
            data=self.data,
            clinic=self.clinic,
            docs_dir=config.docs_dir,
            current=self._current,
            report_email=self.clinic.config.report_email or self.config.report_email,
            repo_url=config.repo_url,
            data_links=self.config.editor_tools.data_links,
            t=self.t,
            language_root=self.language_root,
        )
        self.macros_now = page_macros(context)
        if self.macros_registered_with is not macros_plugin:
            # Registered once per mkdocs-macros plugin: a language's rebuild runs on_config
            # again on the same plugin objects, and the forwarders call this build's macros.
            macros_plugin.register_macros(
                {name: self._forward_macro(name) for name in self.macros_now}
            )
            self.macros_registered_with = macros_plugin
        check_config_html(config)
        return config

    @event_priority(-110)  # after the i18n plugin sorts the project's files by language
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        place_pages(files, config, self.language, self.root_language)
        leave_out_the_sitemap(files, config)
        add_branding_files(files, config, self.clinic, self.language_root)
        pages = len(files.documentation_pages())
        features = config.theme["features"]
        if 0 < self.config.prune_nav_from <= pages and "navigation.prune" not in features:
            log.info(f"{pages} pages: each page carries only its own section's navigation.")
            features.append("navigation.prune")
        return files

    def on_pre_build(self, config: MkDocsConfig) -> None:
        refuse_symlinks(Path(config.docs_dir))  # before mkdocs follows one out of docs/
        install_sandbox(config.plugins["macros"])

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        check_published_files(files, Path(config.docs_dir), self.config.publish)
        escape_nav(nav.items)
        return nav

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        meta = page_meta(page)  # first: it also checks that the page is UTF-8
        # the config option is a Choice of exactly these two values
        style = meta.citation_style or cast(CitationStyle, self.config.citation_style)
        citations = PageCitations(
            self.bibliography,
            source_name(page),
            page.file.content_string,
            style,
            marker_word=self.t("references.marker"),
            language=self.t.language,
        )
        self.current = PageState(page, meta, citations)
        if not self.edit_links or "edit" in meta.hide:
            page.edit_url = None
        self.pages[page.file.src_uri] = self.current
        return page

    @event_priority(-100)  # after mkdocs-macros has expanded the page's macros
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        raise_template_error(config.plugins["macros"])
        if self.render_cache:
            self.render_cache.attach(page)
        return self.pages[page.file.src_uri].citations.read(markdown)

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        check_page_html(html, page)  # the page's own HTML: citations are ours, and escaped
        state = self.pages[page.file.src_uri]
        body = state.citations.render(html)
        keys = state.citations.keys
        numbered = state.citations.numbered
        references = (
            references_section(
                keys,
                self.bibliography,
                numbered=numbered,
                heading=self.t("references.heading"),
                language=self.t.language,
            )
            if keys
            else ""
        )
        for key in keys:
            self.cited_by.setdefault(key, []).append(page)
        meta = state.meta
        # the reference list is not read as prose: counting from the body is the same number
        furniture = page_info_html(PageInfo(meta, self.today, reading_minutes(body), self.t))
        furniture += home_note_html(self.clinic, page, files)
        if meta.handout:
            self.handouts.append(Handout.of(page, meta, self.t, body, references))
            furniture += handout_tools_html(
                page.file.dest_uri,
                self.clinic,
                meta.handout.worksheet,
                self.t,
                self.language_root,
                preview=self.serving,
            )
        site_url = self._site_url(config)
        cite = ""
        if site_url and "cite" not in meta.hide:
            cite = cite_this_page_html(
                self.site_names.get(self.language, self.project_name),  # the text's author
                meta.title,
                meta.last_reviewed,
                site_url + page.url,
                bibtex=self.config.editor_tools.bibtex,
                t=self.t,
            )
        file_language = getattr(page.file, "locale", self.language)  # set by the i18n plugin
        untranslated = (  # no translation yet: the page in English
            f'<p class="ipt-untranslated">{self.t.html("translation.english_only")}</p>'
            if file_language != self.language
            else ""
        )
        self.finishes[page.file.src_uri] = PageFinish(
            references, furniture, cite, untranslated, file_language
        )
        return body

    @event_priority(-100)  # after the search plugin has indexed the page
    def on_page_context(
        self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        page.content = self.finishes[page.file.src_uri].apply(page.content or "")
        return context

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # Every page is read: report all problems of all cited entries before pages are written.
        self.bibliography.check_cited(
            {key: [source_name(page) for page in pages] for key, pages in self.cited_by.items()}
        )
        crisis = self.clinic.crisis
        env.globals["ipt_crisis"] = crisis
        env.globals["ipt_banner"] = crisis.banner(self.clinic.config.region)
        env.globals["ipt_clinic"] = self.clinic.config
        env.globals["ipt_show_repository"] = self.show_repository
        env.globals["ipt_editors_url"] = self.config.editors_dir
        env.globals["ipt_t"] = self.t
        env.globals["ipt_root"] = self.language_root
        if self.render_cache:
            env.bytecode_cache = self.render_cache.templates
        for page in (file.page for file in files.documentation_pages() if file.page):
            if page.content and PLACEHOLDER in page.content:
                listing = bibliography_html(self.cited_by, self.bibliography, page, self.t)
                page.content = page.content.replace(PLACEHOLDER, listing)
        escape_site(config, (file.page for file in files.documentation_pages() if file.page))
        return env

    def _on_post_build_files(self, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        roots = tuple(language_root(code, self.root_language) for code in site_languages(config))
        index = language_index(config, self.language, self.language_root, roots)
        self.search_indexes.append(index)
        sources = {
            state.page.file.dest_uri: source_name(state.page) for state in self.pages.values()
        }
        theme_dirs = [path for path in config.theme.dirs if path != config.theme.custom_dir]
        known = theme_scripts(theme_dirs, config.theme.custom_dir)
        hashes = inline_script_hashes(site_dir, known, sources)
        write_server_config(site_dir, hashes)
        open_data: dict[str, Any] = self.data.files()
        open_data[f"crisis/{self.clinic.config.country}"] = self.clinic.crisis
        write_open_data(open_data, site_dir / self.language_root)
        if not self.serving:
            context = PrintContext(
                clinic=self.clinic,
                crisis=self.clinic.crisis,
                build_date=self.today,
                site_url=self._site_url(config),
                site_dir=site_dir,
                docs_dir=Path(config.docs_dir),
                cache_dir=Path(config.config_file_path).parent / self.config.cache_dir / "handouts",
                t=self.t,
                language_root=self.language_root,
            )
            self.print_handouts(context, self.handouts)

    @event_priority(-110)  # after the i18n plugin wrote one search index for all languages
    def _on_post_build_search(self, config: MkDocsConfig) -> None:
        """Each language gets its own search index, in its own folder: all are written at
        the end of the first build, after the i18n plugin has written its index of every
        language over the root's."""
        drop_repeated_entries(config)
        if is_first_build(config):
            for index in filter(None, self.search_indexes):
                write_index(Path(config.site_dir), index)
            self.search_indexes.clear()

    on_post_build = CombinedEvent(_on_post_build_files, _on_post_build_search)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build leaves no site behind that could be mistaken for a good one.

        Strict mode's warnings (broken links) stop mkdocs only once every page is written:
        that site is whole, and the editors' gate checks it further, so it stays, with a
        message saying it must not be published."""
        self.search_indexes.clear()
        if self.serving or self.site_dir is None:
            return
        if isinstance(error, Abort):
            log.info(
                f"The site in {self.site_dir} is complete but must not be published "
                "until the warnings above are fixed."
            )
        else:
            shutil.rmtree(self.site_dir, ignore_errors=True)

    def _forward_macro(self, name: str) -> Callable[..., str]:
        """A macro that calls the current build's (and so the current language's) macro."""

        def forward(*args: Any, **kwargs: Any) -> str:
            return self.macros_now[name](*args, **kwargs)

        forward.__name__ = name
        forward.__doc__ = self.macros_now[name].__doc__
        return forward

    def _current(self) -> PageState:
        """The page being rendered: macros run inside its on_page_markdown."""
        if self.current is None:
            raise SiteError("mkdocs.yml", "a macro ran outside a page.")
        return self.current

    def _site_url(self, config: MkDocsConfig) -> str | None:
        """The site's public address, the clinic's first; None when nobody has set one."""
        url = self.clinic.config.site_url or config.site_url
        return url and url.rstrip("/") + "/"

    # Declared for type checkers; set in on_config before any page is built.
    clinic: Clinic
    project_name: str
    site_names: dict[str, str]
    show_repository: bool
    edit_links: bool
    bibliography: Bibliography
    data: SiteData
    t: Catalogue
    language_root: str
