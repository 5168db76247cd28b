"""Typed configuration of the ``ipt`` mkdocs plugin (the ``plugins: - ipt:`` block)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

#: The project's own assets: its stylesheets, scripts and fonts, and the editors' word list.
PUBLISHED_ASSETS = (
    "assets/css/*.css",
    "assets/js/*.js",
    "assets/fonts/*.woff",
    "assets/fonts/*.woff2",
    "assets/fonts/*.txt",
    "editors/wordlist.txt",
    "editors/wordlist-*.txt",
)


class EditorTools(Config):
    """What only editors need, off the public pages unless switched on. The footer links
    to the editors' guide either way (mkdocs.yml's nav places it under "About this site",
    not as a tab of its own)."""

    #: An "Edit this page" button on each page (needs mkdocs.yml's repo_url and edit_uri).
    edit_links = c.Type(bool, default=False)
    #: The repository's name and link in the header (mkdocs.yml's repo_url).
    repository = c.Type(bool, default=False)
    #: A BibTeX entry under "Cite this page" (the APA reference is always there).
    bibtex = c.Type(bool, default=False)
    #: "Use this data" sections linking to the published JSON under tables.
    data_links = c.Type(bool, default=False)


class IptConfig(Config):
    """Paths are relative to mkdocs.yml."""

    #: The one bibliography: every citation on the site points into it.
    bibliography = c.File(exists=True, default="references.bib")
    #: Folder holding the structured YAML (therapies, phases, crisis lines...).
    data_dir = c.Dir(exists=True, default="data")
    #: The clinic's branding file (see docs/clinics); empty: neutral built-in branding.
    #: Its ``country`` selects which ``data/crisis/<country>.yml`` the crisis panel shows.
    clinic = c.Type(str, default="")
    #: Where readers can report a mistake by e-mail (a clinic file may set its own).
    report_email = c.Type(str, default="")
    #: How pages cite: "markers" (a small raised number per work, the reference list
    #: numbered) or "author-date" (APA 7's "(Weissman, 2020)"). A page's front matter may
    #: choose its own with citation_style.
    citation_style = c.Choice(("markers", "author-date"), default="markers")
    #: Highest US school grade (Flesch-Kincaid) a public page may read at.
    reading_grade_max = c.Type((int, float), default=8)
    #: Editors' furniture: see EditorTools.
    editor_tools = c.SubConfig(EditorTools)
    #: Where the editors' pages live (docs/editors/): the footer links to it.
    editors_dir = c.Type(str, default="editors/")
    #: Where rendered handout PDFs are kept between builds (keyed by a hash of every input).
    cache_dir = c.Type(str, default=".cache")
    #: From this many pages on, Material's navigation.prune is switched on: every page then
    #: carries only its own section's navigation (sibling sections become links to their
    #: first page), instead of the whole tree, which makes build time and page size grow
    #: with the square of the page count. 0: never.
    prune_nav_from = c.Type(int, default=150)

    # -- What the site publishes (macros/plugin/file_policy.py) -------------------------
    #: Files under docs/ published as they are, besides pages and images: globs relative to
    #: docs/, where ``*`` also matches ``/``. Scripts and styles run or show on every page,
    #: so only a maintainer changes this list (a change to mkdocs.yml needs their review).
    publish = c.ListOfItems(c.Type(str), default=list(PUBLISHED_ASSETS))
