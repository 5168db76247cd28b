"""The built site on a real nginx, configured with README.md's own server block
(``macros/check/nginx.py`` says what changes for a test). Without nginx this skips
locally and fails under CI=true.
"""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from macros.check.browser import CSP_LISTENER, PageWatch, security_headers
from macros.check.nginx import nginx_missing, served_by_nginx
from macros.check.project import Project, SourcePage
from macros.text.dates import build_date
from tests.conftest import ROOT, Build, require_tool


@pytest.fixture(scope="module")
def nginx(built: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site served by nginx with the README's configuration; yields its URL."""
    require_tool(nginx_missing())
    with served_by_nginx(built.site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def expected_headers(built: Build) -> dict[str, str]:
    """The generated security headers, and the one the README's block adds itself."""
    return {**security_headers(built.site), "Strict-Transport-Security": "max-age=31536000"}


@pytest.fixture(scope="module")
def pages(built: Build) -> list[SourcePage]:
    return Project(root=ROOT, site=built.site, today=build_date()).pages


@pytest.mark.browser
def test_every_page_on_nginx_has_every_header_and_breaks_no_csp_rule(
    browser: Any, nginx: str, built: Build, pages: list[SourcePage]
) -> None:
    expected = expected_headers(built)
    assert len(expected) >= 6 and "Content-Security-Policy" in expected
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    watch = PageWatch(nginx)
    watch.attach(tab)
    problems = []
    try:
        for page in pages:
            watch.clear()
            response = tab.goto(nginx + page.url, wait_until="load")
            headers = response.all_headers()
            missing = {
                name: value
                for name, value in expected.items()
                if headers.get(name.lower()) != value
            }
            violations = tab.evaluate("window.__cspViolations")
            for problem in [*watch.problems(), *(f"CSP: {text}" for text in violations)]:
                problems.append(f"{page.url}: {problem}")
            if missing or response.status != 200:
                problems.append(f"{page.url}: status {response.status}, headers {missing}")
    finally:
        context.close()
    assert len(pages) > 20
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_404_page_works_on_nginx_with_its_headers(
    browser: Any, nginx: str, built: Build
) -> None:
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    try:
        response = tab.goto(nginx + "no/such/page/", wait_until="load")
        assert response.status == 404
        assert tab.locator("article h1").inner_text(timeout=5000).strip() == "404 - Not found"
        assert tab.locator(".ipt-crisis").count() == 1  # the crisis panel, styled and linked
        assert tab.evaluate("window.__cspViolations") == []
        headers = response.all_headers()
        for name, value in expected_headers(built).items():
            assert headers.get(name.lower()) == value, name
    finally:
        context.close()


def test_nginx_compresses_text_as_much_as_the_page_weights_count(nginx: str, built: Build) -> None:
    """Text goes out at gzip level 6 at least, the level the page-weight benchmark counts
    (it reads the level from the README's block). nginx's default, level 1, sends pages
    and the search index a quarter larger."""
    stylesheet = next(path for path in (built.site / "assets" / "stylesheets").glob("main.*.css"))
    for path in ("", f"assets/stylesheets/{stylesheet.name}", "search/search_index.json"):
        status, headers, body = fetch(nginx + path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        original = gzip.decompress(body)
        counted = len(gzip.compress(original, 6, mtime=0))
        assert len(body) <= counted * 1.02, f"/{path}: {len(body)} bytes sent, {counted} counted"


def test_the_security_headers_file_is_not_served(nginx: str) -> None:
    status, _, body = fetch(nginx + "security-headers.conf")
    assert status == 404 and b"add_header" not in body
