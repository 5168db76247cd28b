"""Benchmark: how many bytes does a reader download to see one page? Target: <= 100 KB.

Rule (what a first visit with an empty cache transfers, as Chromium requests it): the
page's HTML, every stylesheet, script and image it links to, the files those stylesheets
load with url(), and Material's search worker plus the search index, which the worker
fetches as soon as the page has loaded (not when the reader opens search). Text files count
at their gzip size (level 6, as a server compressing on the fly sends them); images and
other binary files at their size on disk. Handout PDFs are downloaded only on request and
do not count. Each page is measured on its own; shared files are counted for every page.

Run with ``make benchmark`` or ``python -m benchmarks.page_weight``; it builds the site
into a scratch folder first. The last line is the ratio of the heaviest page to the budget.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlparse

from macros.check.build import build
from macros.check.htmlscan import scan_file
from macros.check.project import Project
from macros.text.dates import build_date

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 100 * 1024
TEXT_TYPES = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"})
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
SEARCH_INDEX = "search/search_index.json"


@cache
def transferred(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.suffix in TEXT_TYPES else len(data)


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


def page_files(site: Path, html: Path) -> set[Path]:
    """Every file a first visit to the page transfers, by the rule in the module docstring."""
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
    if config:
        worker = local_file(site, base, json.loads(config.group(1)).get("search", ""))
        files |= {worker} if worker else set()
        if (site / SEARCH_INDEX).is_file():
            files.add(site / SEARCH_INDEX)
    return files


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ipt-weight-") as scratch:
        site = Path(scratch) / "site"
        succeeded, output = build(ROOT, site)
        if not succeeded:
            print(output, file=sys.stderr)
            return 1
        project = Project(root=ROOT, site=site, today=build_date())
        weights = {}
        for page in project.pages:
            files = page_files(site, page.html_path)
            weights[page.source] = (sum(map(transferred, files)), len(files))
        largest = sorted(
            {file for page in project.pages for file in page_files(site, page.html_path)},
            key=transferred,
            reverse=True,
        )[:6]
        print("Largest shared files (gzip bytes):")
        for file in largest:
            print(f"  {transferred(file) / 1024:7.1f} KB  {file.relative_to(site)}")
        print(f"\nFirst-visit weight per page (budget {BUDGET // 1024} KB):")
        for source, (weight, count) in sorted(weights.items(), key=lambda item: -item[1][0]):
            flag = "  OVER BUDGET" if weight > BUDGET else ""
            print(f"  {weight / 1024:7.1f} KB  {count:2d} files  {source}{flag}")
        heaviest = max(weight for weight, _ in weights.values())
        print(f"\nheaviest page: {heaviest / 1024:.1f} KB; budget: {BUDGET / 1024:.0f} KB")
        print(f"max page weight / budget = {heaviest / BUDGET:.2f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
