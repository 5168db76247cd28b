"""The ``ipt`` mkdocs plugin: only lifecycle wiring; each concern lives in its own module."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from macros.config import IptConfig
from macros.crisis import CrisisLines, load_crisis_lines
from macros.csp import write_server_config
from macros.frontmatter import PageMeta, page_meta
from macros.furniture import PageInfo, insert_after_title, page_info_html, reading_minutes
from macros.html_policy import check_page_html
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
        self.page_meta: dict[str, PageMeta] = {}
        self.today = build_date()

    @event_priority(100)  # before mkdocs-macros calls define_env, which needs our data
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.today = build_date()
        self.crisis = load_crisis_lines(Path(self.config.data_dir), self.config.country)
        self.page_meta = {}
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        install_sandbox(config.plugins["macros"])

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["ipt_crisis"] = self.crisis
        return env

    @event_priority(-100)  # after mkdocs-macros has expanded the page's macros
    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        self.page_meta[page.file.src_uri] = page_meta(page)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        check_page_html(html, page)
        info = PageInfo(self.page_meta[page.file.src_uri], self.today, reading_minutes(html))
        return insert_after_title(html, page_info_html(info))

    def on_post_build(self, config: MkDocsConfig) -> None:
        write_server_config(Path(config.site_dir))
