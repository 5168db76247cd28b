"""Every page passes axe-core's WCAG 2.2 A and AA rules in the light and the dark palette, at
desktop and phone widths, reflows at 320 px without sideways scrolling, and loads nothing from
other hosts, in Debian's Chromium under the site's own CSP.

Each page is loaded once; the palette and the width then change in place (as when a reader
turns their phone or switches to dark mode), and axe runs again for each, with the rules that
change can affect: a palette changes only colours, so the dark variants run axe's colour
rules; the phone width changes colours where elements move, the layout (target sizes,
scrolling regions) and which parts of the theme show (its menu button, its drawer), so it
runs those rules on every page and every rule on the first, where the theme is checked. The
browser tests (tests/test_browser.py) add keyboard use and printing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from macros.check.browser import (
    CSP_LISTENER,
    PageWatch,
    chromium,
    chromium_missing,
    run_axe,
    serve,
)
from macros.check.project import CheckSkipped, Finding, Level, Project, SourcePage

NAME = "accessibility"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
#: WCAG 2.2, 1.4.10 (Reflow): no scrolling in two directions at 320 CSS pixels.
NARROWEST = {"width": 320, "height": 740}
#: What sticks out of a page that scrolls sideways (a labelled scroll region never does:
#: its content scrolls inside it).
SIDEWAYS = """() => {
  const page = document.documentElement;
  if (page.scrollWidth <= page.clientWidth + 1) return [];
  const wide = [...document.body.querySelectorAll('*')]
    .filter((element) => element.getBoundingClientRect().right > page.clientWidth + 1)
    .map((element) => element.tagName.toLowerCase() +
      (element.className && typeof element.className === 'string'
        ? '.' + element.className.trim().split(/\\s+/).join('.') : ''));
  return [`the page scrolls sideways at 320 px (${page.scrollWidth} px wide): ` +
    wide.slice(-3).join(', ')];
}"""


@dataclass(frozen=True)
class Variant:
    """One way a reader sees a page: a colour scheme and a screen size."""

    palette: str  # "light" or "dark": the reader's system setting
    viewport: dict[str, int]
    rules: tuple[str, ...] | None = None  # axe rules to run; None: every WCAG A and AA rule
    first_page_rules: tuple[str, ...] | None = None  # on the first page of a run

    def __str__(self) -> str:
        return f"{self.palette} palette, {self.viewport['width']} px"


#: axe's rules about colour: all that a change of palette can change.
COLOUR_RULES = ("color-contrast", "link-in-text-block")
#: What a narrow screen can change in a page's own content: colours where text moves over
#: other backgrounds, and the layout.
LAYOUT_RULES = (*COLOUR_RULES, "target-size", "scrollable-region-focusable")
#: In an order that changes one thing at a time.
VARIANTS = (
    Variant("light", DESKTOP),
    Variant("dark", DESKTOP, COLOUR_RULES, COLOUR_RULES),
    Variant("dark", PHONE, COLOUR_RULES, COLOUR_RULES),
    Variant("light", PHONE, LAYOUT_RULES),
)
#: Material's name for each palette's colour scheme (the body's data-md-color-scheme).
SCHEMES = {"light": "default", "dark": "slate"}
#: Colour transitions would let axe measure contrast halfway through a palette change.
NO_TRANSITIONS = """
const sheet = new CSSStyleSheet();
sheet.replaceSync("*, *::before, *::after { transition: none !important; }");
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
"""
FIX = "see docs/editors/checks.md#accessibility"


@dataclass(frozen=True)
class PageProblem:
    page: SourcePage
    variant: Variant | None  # None: a problem in every variant (a request, the CSP)
    message: str

    def __str__(self) -> str:
        where = f"{self.variant}: " if self.variant else ""
        return f"{self.page.source}: {where}{self.message}"


def visit_all(
    browser: Any,
    base_url: str,
    pages: Iterable[SourcePage],
    variants: Iterable[Variant] = VARIANTS,
) -> Iterator[PageProblem]:
    """Open each page once; report axe violations in each variant, and bad requests.

    The first page of ``pages`` gets every rule in every variant that runs every rule on it
    (``first_page_rules``): pass the pages of a run in any order, but as one sequence."""
    variants = tuple(variants)
    first = variants[0]
    context = browser.new_context(color_scheme=first.palette, viewport=first.viewport)
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    watch = PageWatch(base_url)
    watch.attach(tab)
    try:
        for number, page in enumerate(pages):
            watch.clear()
            tab.emulate_media(color_scheme=first.palette)
            tab.set_viewport_size(first.viewport)
            tab.goto(base_url + page.url, wait_until="load")
            tab.evaluate(NO_TRANSITIONS)
            for variant in variants:
                tab.emulate_media(color_scheme=variant.palette)
                tab.set_viewport_size(variant.viewport)
                tab.wait_for_function(  # the lean page has no palette script: CSS follows
                    "scheme => document.body.dataset.mdColorScheme === scheme"
                    " || !document.querySelector('[data-md-component=palette]')",
                    arg=SCHEMES[variant.palette],
                )
                rules = variant.first_page_rules if number == 0 else variant.rules
                for violation in run_axe(tab, rules=rules):
                    yield PageProblem(page, variant, violation.describe())
            tab.set_viewport_size(NARROWEST)
            messages = tab.evaluate(SIDEWAYS)
            messages += watch.problems() + [
                f"blocked by the Content-Security-Policy: {text}"
                for text in tab.evaluate("window.__cspViolations")
            ]
            for message in messages:
                yield PageProblem(page, None, message)
    finally:
        context.close()


def run(project: Project) -> list[Finding]:
    missing = chromium_missing()
    if missing:
        raise CheckSkipped(missing)
    with serve(project.site) as base_url, chromium() as browser:
        return [
            Finding(
                problem.page.source,
                None,
                Level.ERROR,
                f"{problem.variant}: {problem.message}" if problem.variant else problem.message,
                FIX,
            )
            for problem in visit_all(browser, base_url, project.pages)
        ]
