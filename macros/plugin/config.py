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
)


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
    #: Highest US school grade (Flesch-Kincaid) a public page may read at.
    reading_grade_max = c.Type((int, float), default=8)
    #: Where rendered handout PDFs are kept between builds (keyed by a hash of every input).
    cache_dir = c.Type(str, default=".cache")

    # -- What the site publishes (macros/plugin/file_policy.py) -------------------------
    #: Files under docs/ published as they are, besides pages and images: globs relative to
    #: docs/, where ``*`` also matches ``/``. Scripts and styles run or show on every page,
    #: so only a maintainer changes this list (a change to mkdocs.yml needs their review).
    publish = c.ListOfItems(c.Type(str), default=list(PUBLISHED_ASSETS))
