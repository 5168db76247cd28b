"""Every page passes axe-core's WCAG 2.2 A and AA rules in the light and the dark palette,
and loads nothing from other hosts, in Debian's Chromium under the site's own CSP.

The browser tests (tests/test_browser.py) go further: mobile width, keyboard and print.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from macros.checks import CheckSkipped, Finding, Level, Project, SourcePage
from macros.checks.browser import (
    CSP_LISTENER,
    PageWatch,
    chromium,
    chromium_missing,
    run_axe,
    serve,
)

NAME = "accessibility"
PALETTES = ("light", "dark")
DESKTOP = {"width": 1280, "height": 900}
FIX = "see docs/editors/checks.md#accessibility"


@dataclass(frozen=True)
class PageProblem:
    page: SourcePage
    palette: str
    width: int
    message: str


def visit_all(
    browser: Any, base_url: str, pages: Iterable[SourcePage], palette: str, viewport: dict
) -> Iterator[PageProblem]:
    """Open each page in one browser context and report axe violations and bad requests."""
    context = browser.new_context(color_scheme=palette, viewport=viewport)
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    watch = PageWatch(base_url)
    watch.attach(tab)
    try:
        for page in pages:
            watch.clear()
            tab.goto(base_url + page.url, wait_until="load")
            messages = [violation.describe() for violation in run_axe(tab)]
            messages += watch.problems()
            messages += [
                f"blocked by the Content-Security-Policy: {text}"
                for text in tab.evaluate("window.__cspViolations")
            ]
            for message in messages:
                yield PageProblem(page, palette, viewport["width"], message)
    finally:
        context.close()


def run(project: Project) -> list[Finding]:
    missing = chromium_missing()
    if missing:
        raise CheckSkipped(missing)
    findings = []
    with serve(project.site) as base_url, chromium() as browser:
        for palette in PALETTES:
            for problem in visit_all(browser, base_url, project.pages, palette, DESKTOP):
                findings.append(
                    Finding(
                        problem.page.source,
                        None,
                        Level.ERROR,
                        f"{problem.palette} palette: {problem.message}",
                        FIX,
                    )
                )
    return findings
