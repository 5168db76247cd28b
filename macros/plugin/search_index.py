"""One search index per language, each holding only that language's pages.

Material's search plugin writes ``search/search_index.json`` at the end of each build. The
i18n plugin builds every other language from its own ``on_post_build`` (priority -100), and
then rewrites that file from all languages' entries: one index, every page twice, that a
Spanish reader would search with English stemming and download whole. So the ``ipt`` plugin
keeps each language's entries as its build ends (:func:`language_index`), and once the
i18n plugin is done writes each language's own index into its folder
(``es/search/search_index.json``, :func:`write_index`), the locations relative to that
folder. The theme gives each language's pages their folder as the search base
(``docs/overrides/base.html``), so Material's bundle fetches that language's index and
resolves its results there, whether or not ``search-on-demand.js`` runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

SEARCH_INDEX = "search/search_index.json"
#: The search settings a language's index carries: Material's own, but ``lang``. Its
#: ``pipeline`` keeps only the stop-word filter, which with ``lang: [es]`` is Spanish's
#: (lunr.es.min.js). Adding lunr's stemmer breaks Material's search as you type: the query's
#: last word is a prefix search, which skips stemming, so "duelo" found nothing.
INDEX_SETTINGS = ("separator", "pipeline", "fields")


@dataclass(frozen=True)
class LanguageIndex:
    """One language's search entries, as Material's search plugin made them."""

    language: str
    root: str  #: the language's folder in the site: "" or "es/"
    entries: list[dict[str, Any]]
    settings: dict[str, Any]
    #: The other languages' folders. Under ``mkdocs serve --dirty`` the search plugin keeps
    #: the entries of earlier builds, every language's and some twice: so entries are
    #: sorted by folder, and the newest entry of a location wins.
    other_roots: tuple[str, ...] = ()

    def json(self) -> str:
        """The index in Material's format: the language's own pages, each location
        relative to the language's folder."""
        own = {
            entry["location"]: entry for entry in self.entries if self._is_own(entry["location"])
        }
        docs = [
            {**entry, "location": location[len(self.root) :]} for location, entry in own.items()
        ]
        config = {"lang": [self.language], **self.settings}
        return json.dumps({"config": config, "docs": docs}, separators=(",", ":"), default=str)

    def _is_own(self, location: str) -> bool:
        folders = [root for root in self.other_roots if root and root != self.root]
        return location.startswith(self.root) and not any(map(location.startswith, folders))


def _entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(search, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def drop_repeated_entries(config: MkDocsConfig) -> None:
    """Keep the newest entry of each location in the search plugin's index.

    Under ``mkdocs serve --dirty`` the search plugin starts each rebuild from the last
    one's entries, and the i18n plugin stacks every language's entries onto them: without
    this, each edit made the index (and the time to rebuild it) about four times larger."""
    entries = _entries(config)
    if entries is not None:
        entries[:] = {entry["location"]: entry for entry in entries}.values()


def language_index(
    config: MkDocsConfig, language: str, root: str, other_roots: tuple[str, ...] = ()
) -> LanguageIndex | None:
    """This build's search entries; None without a search plugin."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    entries = _entries(config)
    if search is None or entries is None:
        return None
    settings = {key: search.config[key] for key in INDEX_SETTINGS if key in search.config}
    return LanguageIndex(language, root, list(entries), settings, other_roots)


def write_index(site_dir: Path, index: LanguageIndex) -> None:
    path = site_dir / index.root / SEARCH_INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(index.json(), encoding="utf-8")
