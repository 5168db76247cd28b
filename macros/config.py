"""Typed configuration of the ``ipt`` mkdocs plugin (the ``plugins: - ipt:`` block)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class IptConfig(Config):
    """Paths are relative to mkdocs.yml."""

    #: Folder holding the structured YAML (therapies, phases, crisis lines...).
    data_dir = c.Dir(exists=True, default="data")
    #: Which ``data/crisis/<country>.yml`` the crisis panel shows.
    country = c.Type(str, default="uk")
    #: Highest US school grade (Flesch-Kincaid) a public page may read at.
    reading_grade_max = c.Type((int, float), default=8)
