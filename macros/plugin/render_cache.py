"""Markdown converted to HTML once per process, for builds that share most of their pages.

Building many clinics' sites (``make clinics``) runs one mkdocs build per clinic. What a
clinic changes is the theme, the crisis lines the macros write and the handouts; the
Markdown → HTML conversion of a page whose Markdown (after its macros ran) is the same in
the same set of files gives the same HTML, so it is done once and reused.

A conversion is reused only when everything it reads is equal: the page's Markdown and
address, the addresses of the site's files (links are checked and rewritten against them)
and the Markdown settings. Files that plugins generate (a clinic's logo, stylesheet and
page) differ between clinics, so they are left out of that comparison, and a page whose
Markdown names one of them is always converted afresh. A conversion that logged a warning
is never stored, so a strict build still fails on it every time.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

#: The attributes ``Page.render`` sets (mkdocs 1.6), except ``links_to_anchors``, whose
#: keys are the build's own File objects and are stored by path instead.
RENDERED_ATTRIBUTES = ("content", "toc", "_title_from_render", "present_anchor_ids")


@dataclass(frozen=True)
class _Rendered:
    attributes: dict[str, Any]
    links_to_anchors: dict[str, dict[str, str]] | None


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class TemplateCode(BytecodeCache):
    """The theme's compiled templates, kept for the next build in this process (mkdocs
    makes a new template environment per build). Jinja checks each template's source
    against the code's checksum, so a changed template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class RenderCache:
    """Converted pages by everything their conversion depends on, and the compiled theme."""

    def __init__(self) -> None:
        self.templates = TemplateCode()
        self.entries: dict[str, _Rendered] = {}
        self.hits = 0
        self.misses = 0
        #: The last build's files and their key (held, so the identity check is sound).
        self._site: tuple[Files, str, frozenset[str]] | None = None

    def attach(self, page: Page) -> None:
        """Make ``page.render`` (called by mkdocs right after on_page_markdown) cached."""
        uncached: Callable[[MkDocsConfig, Files], None] = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            self.render(page, config, files, uncached)

        page.render = render  # type: ignore[method-assign]

    def render(
        self,
        page: Page,
        config: MkDocsConfig,
        files: Files,
        uncached: Callable[[MkDocsConfig, Files], None],
    ) -> None:
        key = self._key(page, config, files)
        if key is None:
            uncached(config, files)
            return
        stored = self.entries.get(key)
        if stored is None:
            self.misses += 1
            counter = _WarningCounter()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(counter)
            try:
                uncached(config, files)
            finally:
                logger.removeHandler(counter)
            if not counter.count:
                self.entries[key] = _store(page)
            return
        self.hits += 1
        for name, value in stored.attributes.items():
            setattr(page, name, copy.deepcopy(value))
        if stored.links_to_anchors is not None:
            page.links_to_anchors = {
                file: dict(anchors)
                for path, anchors in stored.links_to_anchors.items()
                if (file := files.get_file_from_path(path))
            }

    def _key(self, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """What the conversion depends on, or None when the page names a generated file."""
        site_key, generated_names = self._site_key(config, files)
        markdown = page.markdown or ""
        if any(name in markdown for name in generated_names):
            return None
        digest = hashlib.sha256()
        for part in (markdown, page.file.src_uri, page.file.url, site_key):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _site_key(self, config: MkDocsConfig, files: Files) -> tuple[str, frozenset[str]]:
        """The key of a build's files and Markdown settings (the same for all its pages),
        and the names of the files plugins generated."""
        if self._site and self._site[0] is files:
            return self._site[1], self._site[2]
        addresses = sorted((file.src_uri, file.url) for file in files if not file.generated_by)
        generated = frozenset(
            posixpath.basename(file.src_uri) for file in files if file.generated_by
        )
        settings = (
            config.markdown_extensions,
            config.mdx_configs,
            config.validation,
            config.use_directory_urls,
        )
        key = hashlib.sha256(repr((addresses, settings)).encode("utf-8")).hexdigest()
        self._site = (files, key, generated)
        return key, generated


def _store(page: Page) -> _Rendered:
    links = page.links_to_anchors
    return _Rendered(
        attributes={name: copy.deepcopy(getattr(page, name)) for name in RENDERED_ATTRIBUTES},
        links_to_anchors=None
        if links is None
        else {file.src_uri: dict(anchors) for file, anchors in links.items()},
    )
