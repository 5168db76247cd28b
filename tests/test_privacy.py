"""No page makes the reader's browser contact any host but the site's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

from macros.check.htmlscan import LOADING_TAGS, URL_ATTRIBUTES
from tests.conftest import Build, html_pages, parse_html

CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
#: Absolute URLs inside Material's JavaScript bundle, each only fetched when a feature we
#: do not use is present on the page; the marker is what would switch the feature on.
CONDITIONAL_URLS = {
    "https://unpkg.com/mermaid": 'class="mermaid"',
    "https://api.github.com/repos/": 'data-md-component="source"',
    "https://api.github.com/users/": 'data-md-component="source"',
    "https://${e}/api/v4/projects/": 'data-md-component="source"',  # GitLab
    # Loaded only by browsers without ResizeObserver (none that Material supports today).
    "https://unpkg.com/resize-observer-polyfill": None,
}
#: Absolute URLs in the JavaScript pages load that are never requested: licence
#: comments, documentation links inside error messages, and a bare scheme in a string test.
INERT_URLS = {
    "https://clipboardjs.com/",
    "http://lunrjs.com",
    "http://tartarus.org/~martin/PorterStemmer/js.txt",
    "https://bit.ly/2s3ChXG",
    # The licence comment of lunr.es.min.js (Spanish search stemming): credits, not requests.
    "https://github.com/MihaiValentin/lunr-languages",
    "http://snowball.tartarus.org/",
    "http://www.mozilla.org/MPL/",
    "http://code.google.com/p/urim/",
}
JS_URL = re.compile(r"https?://[^\s\"'`)]*")


def is_external(url: str) -> bool:
    return bool(re.match(r"(?i)^\s*(https?:)?//", url))


def test_html_loads_nothing_from_other_hosts(built: Build) -> None:
    for page in html_pages(built.site):
        for element in parse_html(page.read_text()).iter():
            if element.tag not in LOADING_TAGS:
                continue
            url = element.get(URL_ATTRIBUTES[element.tag], "")
            assert not is_external(url), f"{page}: <{element.tag}> loads {url}"


def test_css_loads_nothing_from_other_hosts(built: Build) -> None:
    for sheet in built.site.rglob("*.css"):
        for match in CSS_URL.finditer(sheet.read_text()):
            url = match.group(1) or match.group(2)
            assert not is_external(url), f"{sheet} loads {url}"


def loaded_scripts(site: Path) -> set[Path]:
    """Scripts pages load, the search worker, and the search languages it imports."""
    scripts = set()
    for page in html_pages(site):
        root = parse_html(page.read_text())
        for element in root.iter("script"):
            if element.get("src"):
                scripts.add((page.parent / element.get("src")).resolve())
            elif element.get("id") == "__config":
                worker = json.loads(element.text or "{}")["search"]
                scripts.add((page.parent / worker).resolve())
    for index in site.rglob("search/search_index.json"):  # one per language
        for language in set(json.loads(index.read_text())["config"]["lang"]) - {"en"}:
            lunr = site / "assets" / "javascripts" / "lunr" / "min"
            scripts |= {lunr / f"lunr.{language}.min.js", lunr / "lunr.stemmer.support.min.js"}
    return scripts


def test_javascript_fetches_nothing_from_other_hosts(built: Build) -> None:
    pages = "".join(page.read_text() for page in html_pages(built.site))
    scripts = loaded_scripts(built.site)
    assert any("bundle" in script.name for script in scripts)
    for script in scripts:
        for url in set(JS_URL.findall(script.read_text())) - INERT_URLS:
            known = [prefix for prefix in CONDITIONAL_URLS if url.startswith(prefix)]
            assert known, f"{script} may fetch {url}"
            marker = CONDITIONAL_URLS[known[0]]
            assert marker is None or marker not in pages, f"a page switches on {url}"


def test_theme_fonts_are_off_and_no_google_fonts(built: Build) -> None:
    for page in html_pages(built.site):
        assert "fonts.googleapis" not in page.read_text(), page
        assert "fonts.gstatic" not in page.read_text(), page
