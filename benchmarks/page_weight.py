"""Benchmark: how many bytes does a reader download to see one page? Target: <= 100 KB,
and <= 30 KB for "Get help now", the page a person in crisis opens on a weak connection.

Rule (what a first visit with an empty cache transfers, as Chromium requests it): the
page's HTML, every stylesheet, script and image it links to, and the files those
stylesheets load with url(). Material's search worker, the search index of the page's
language and the worker's lunr language files count too when the page fetches them as soon
as it has loaded; on pages that load ``assets/js/search-on-demand.js`` they are fetched
only when the reader first opens search (tests/test_browser.py watches the requests), so
they count in a second figure, "with search opened", not in the first visit. Text files
count at their gzip size (at the level of the README's nginx block, as nginx sends them); images
and other binary files at their size on disk. Handout PDFs are downloaded only on request
and do not count. Each page is measured on its own; shared files are counted for every
page.

Run with ``make benchmark`` or ``python -m benchmarks.page_weight``; it builds the site
into a scratch folder first. The last line is the ratio of the heaviest page to the budget.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlparse

from benchmarks import ROOT, built_site
from macros.check.htmlscan import scan_file
from macros.check.nginx import gzip_level
from macros.check.project import Project
from macros.text.dates import build_date

BUDGET = 100 * 1024
HELP_BUDGET = 30 * 1024
HELP_PAGE = "docs/help-now.md"
SEARCH_ON_DEMAND = "assets/js/search-on-demand.js"
GZIP_LEVEL = gzip_level()
TEXT_TYPES = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"})
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
#: Where the search index is, from the search base in a page's __config (its language's folder).
SEARCH_INDEX = "search/search_index.json"


@cache
def transferred(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0)) if path.suffix in TEXT_TYPES else len(data)


def local_file(site: Path, base: str, url: str) -> Path | None:
    """The site file a same-site URL points to (None for other hosts and data: URLs)."""
    parsed = urlparse(urljoin(base, url))
    if parsed.scheme != "http" or parsed.netloc != "site.invalid":
        return None
    path = site / parsed.path.lstrip("/")
    return path if path.is_file() else None


def css_dependencies(site: Path, sheet: Path) -> set[Path]:
    base = "http://site.invalid/" + sheet.relative_to(site).as_posix()
    text = sheet.read_text(encoding="utf-8")
    return {file for url in CSS_URL.findall(text) if (file := local_file(site, base, url))}


def page_files(site: Path, html: Path) -> tuple[set[Path], set[Path]]:
    """The files a first visit to the page transfers, and those opening search adds to them,
    by the rule in the module docstring."""
    base = "http://site.invalid/" + html.relative_to(site).as_posix()
    files = {html}
    for link in scan_file(html).links:
        if link.loads and (file := local_file(site, base, link.url)):
            files.add(file)
    for sheet in [file for file in files if file.suffix == ".css"]:
        files |= css_dependencies(site, sheet)
    config = re.search(
        r'<script id="__config" type="application/json">(.*?)</script>',
        html.read_text(encoding="utf-8"),
        re.S,
    )
    search: set[Path] = set()
    if config:
        settings = json.loads(config.group(1))
        # Material's bundle reads the index from its base (the page's language's folder)
        search_base = urljoin(base, settings.get("base", ".").rstrip("/") + "/")
        worker = local_file(site, base, settings.get("search", ""))
        index = local_file(site, search_base, SEARCH_INDEX)
        search |= {file for file in (worker, index) if file}
        if index:
            search |= lunr_languages(site, index)
    if site / SEARCH_ON_DEMAND in files:
        return files, search
    return files | search, set()


@cache
def lunr_languages(site: Path, index: Path) -> frozenset[Path]:
    """The files Material's search worker imports for the index's languages but English."""
    languages = set(json.loads(index.read_text(encoding="utf-8"))["config"]["lang"]) - {"en"}
    lunr = site / "assets/javascripts/lunr/min"
    support = {lunr / "lunr.stemmer.support.min.js"} if languages else set()
    return frozenset(support | {lunr / f"lunr.{language}.min.js" for language in languages})


def weight(files: set[Path]) -> int:
    return sum(map(transferred, files))


def main() -> int:
    with built_site("weight") as site:
        project = Project(root=ROOT, site=site, today=build_date())
        files = {page.source: page_files(site, page.html_path) for page in project.pages}
        largest = sorted(
            {file for first, search in files.values() for file in first | search},
            key=transferred,
            reverse=True,
        )[:6]
        print("Largest shared files (gzip bytes):")
        for file in largest:
            print(f"  {transferred(file) / 1024:7.1f} KB  {file.relative_to(site)}")
        print(f"\nFirst-visit weight per page (budget {BUDGET // 1024} KB); with search opened:")
        weights = {source: weight(first) for source, (first, _) in files.items()}
        for source in sorted(weights, key=lambda source: -weights[source]):
            first, search = files[source]
            budget = HELP_BUDGET if source == HELP_PAGE else BUDGET
            flag = "  OVER BUDGET" if weights[source] > budget else ""
            opened = f"{weight(first | search) / 1024:7.1f} KB" if search else " " * 10
            print(
                f"  {weights[source] / 1024:7.1f} KB  {len(first):2d} files  {opened}"
                f"  {source}{flag}"
            )
        heaviest = max(weights.values())
        help_page = weights[HELP_PAGE]
        print(f"\nhelp page: {help_page / 1024:.1f} KB; budget: {HELP_BUDGET / 1024:.0f} KB")
        print(f"heaviest page: {heaviest / 1024:.1f} KB; budget: {BUDGET / 1024:.0f} KB")
        print(f"max page weight / budget = {heaviest / BUDGET:.2f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
