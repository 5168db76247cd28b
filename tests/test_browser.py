"""The built site in Debian's Chromium: accessibility (axe-core, WCAG 2.2 A and AA) in both
palettes at desktop and 360 px widths, nothing loaded from other hosts, keyboard use with
visible focus, and printing without blank pages.

Without Chromium these tests skip and say how to install it; under CI=true they fail.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from macros.check.accessibility import visit_all
from macros.check.browser import CHROMIUM, CHROMIUM_ARGS
from macros.check.project import Project, SourcePage
from macros.text.dates import build_date
from tests.conftest import ROOT, Build, require_tool

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 360, "height": 740}}
MAX_TABS = 60


#: Spanish pages of each kind (the sweep costs seconds a page; `make check` covers them all):
#: the home page, the help page, a worksheet, data tables and the glossary's terms.
SPANISH_PAGES = {
    "docs/index.es.md",
    "docs/help-now.es.md",
    "docs/handouts/mood-diary.es.md",
    "docs/comparisons/index.es.md",
    "docs/about/glossary.es.md",
}


@pytest.fixture(scope="session")
def pages(built: Build) -> list[SourcePage]:
    every = Project(root=ROOT, site=built.site, today=build_date()).pages
    return [page for page in every if page.language == "en" or page.source in SPANISH_PAGES]


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield context.new_page()
    context.close()


#: The pages are split into this many groups, so pytest-xdist can share them out.
PAGE_GROUPS = 4


@pytest.mark.parametrize("group", range(PAGE_GROUPS))
def test_every_page_passes_axe_in_both_palettes_and_widths_and_loads_only_local_files(
    browser: Any, base_url: str, pages: list[SourcePage], group: int
) -> None:
    assert len(pages) > 20
    problems = [str(problem) for problem in visit_all(browser, base_url, pages[group::PAGE_GROUPS])]
    assert not problems, "\n".join(problems)


def focus_outline(tab: Any) -> dict[str, str]:
    """The focused element's outline, and the colour behind it: the backgrounds of its
    parents, see-through ones laid over the first opaque one. The outline is drawn outside
    the element, so a parent of the element's own size (a wrapper) is not behind it."""
    return tab.evaluate(
        """() => { const focused = document.activeElement, style = getComputedStyle(focused);
        const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
        const ring = focused.getBoundingClientRect();
        const wraps = (node) => { const box = node.getBoundingClientRect();
            return ["left", "right", "top", "bottom"].every(
                (side) => Math.abs(box[side] - ring[side]) < reach); };
        const layers = [];
        for (let node = focused.parentElement; node; node = node.parentElement) {
            if (wraps(node)) continue;
            const [r, g, b, a = 1] = (getComputedStyle(node).backgroundColor.match(/[\\d.]+/g)
                || []).map(Number);
            if (a > 0) layers.push([r, g, b, a]);
            if (a >= 1) break;
        }
        let [r, g, b] = [255, 255, 255];
        for (const [lr, lg, lb, a] of layers.reverse()) {
            [r, g, b] = [r + (lr - r) * a, g + (lg - g) * a, b + (lb - b) * a];
        }
        const behind = `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
        return {style: style.outlineStyle, width: style.outlineWidth, colour: style.outlineColor,
                behind, shadow: style.boxShadow}; }"""
    )


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_focus_visible(tab: Any, what: str) -> None:
    """A focus outline at least 2 px wide with 3:1 contrast against what is behind it
    (WCAG 2.4.7 and 1.4.11), or a focus shadow."""
    outline = focus_outline(tab)
    if outline["shadow"] != "none":
        return
    visible = outline["style"] != "none" and float(outline["width"].removesuffix("px")) >= 2
    assert visible, f"{what} has no visible focus: {outline}"
    ratio = contrast(outline["colour"], outline["behind"])
    assert ratio >= 3, f"{what}: its focus outline has contrast {ratio:.2f} with {outline}"


def tab_until(tab: Any, selector: str) -> int:
    """Press Tab until the focused element matches ``selector``; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        tab.keyboard.press("Tab")
        if tab.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {MAX_TABS} presses of Tab")


def test_crisis_panel_comes_first_by_keyboard_with_visible_focus(tab: Any, base_url: str) -> None:
    tab.goto(base_url)
    presses = tab_until(tab, ".ipt-crisis a")
    assert presses <= 3, f"the crisis panel is {presses} presses of Tab away"
    for _ in range(len(tab.query_selector_all(".ipt-crisis a"))):
        assert tab.evaluate("document.activeElement.closest('.ipt-crisis') !== null")
        assert_focus_visible(tab, tab.evaluate("document.activeElement.outerHTML"))
        tab.keyboard.press("Tab")


def test_search_works_by_keyboard(tab: Any, base_url: str) -> None:
    tab.goto(base_url)
    tab_until(tab, "input.md-search__input")
    assert_focus_visible(tab, "the search box")
    tab.keyboard.type("grief")
    tab.wait_for_selector(".md-search-result__item", timeout=10_000)
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.closest('.md-search-result') !== null")
    assert_focus_visible(tab, "the first search result")
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert "grief" in tab.url


def test_search_downloads_its_index_and_worker_only_when_opened(
    browser: Any, base_url: str
) -> None:
    """The index is the site's largest file: pages load it only once the reader searches."""
    context = browser.new_context(viewport=VIEWPORTS["mobile"])
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(base_url + "about/", wait_until="networkidle")
    searching = [url for url in requested if "search_index" in url or "/workers/" in url]
    assert not searching, f"loaded before the reader opened search: {searching}"
    tab.locator("label.md-header__button[for='__search']").click()
    tab.locator("input.md-search__input").press_sequentially("grief")
    tab.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert any("search_index.json" in url for url in requested)
    context.close()


def test_the_help_page_works_without_javascript(browser: Any, base_url: str) -> None:
    """The crisis page loads no script: numbers, banner, home link and footer all work."""
    context = browser.new_context(viewport=VIEWPORTS["mobile"], java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "help-now/")
    assert tab.locator("script").count() == 0
    assert tab.evaluate("document.documentElement.lang") == "en"
    calls = tab.locator(".md-content a.ipt-call[href^='tel:']")
    assert calls.count() >= 4 and calls.first.is_visible()
    assert tab.locator(".md-banner a[href^='tel:']").first.is_visible()
    assert tab.locator("footer a[href*='accessibility']").is_visible()
    with tab.expect_navigation():
        tab.locator("header a").first.click()
    assert tab.url == base_url
    context.close()


def test_a_phone_lays_out_pages_at_its_own_width_before_the_script_runs(
    browser: Any, base_url: str
) -> None:
    """Without JavaScript (and so also until Material's script has run) nothing may reach
    past the screen's edge: a phone would lay the page out wider and show it smaller, then
    everything would jump when the script runs (ipt.css: the header's language list)."""
    width = VIEWPORTS["mobile"]["width"]
    context = browser.new_context(
        viewport=VIEWPORTS["mobile"], is_mobile=True, java_script_enabled=False
    )
    tab = context.new_page()
    for path in ("", "problem-areas/grief/"):
        tab.goto(base_url + path)
        laid_out = tab.evaluate("document.documentElement.scrollWidth")
        assert laid_out <= width, f"/{path} is laid out {laid_out} px wide on a {width} px screen"
    context.close()


def test_citation_preview_shows_on_focus_and_escape_closes_it(
    tab: Any, base_url: str, pages: list[SourcePage]
) -> None:
    cited = next((page for page in pages if 'class="ipt-cite"' in page.html), None)
    assert cited is not None, "no page has citation links (a.ipt-cite)"
    tab.goto(base_url + cited.url)
    tab_until(tab, "a.ipt-cite")
    assert_focus_visible(tab, "a citation link")
    reference_id = tab.evaluate("document.activeElement.getAttribute('aria-describedby')")
    reference = tab.locator(f"[id='{reference_id}']")
    assert reference.evaluate("node => node.closest('.ipt-reflist') !== null")
    popover = tab.locator(".ipt-popover")
    popover.wait_for(state="visible", timeout=2_000)
    assert popover.inner_text().split() == reference.inner_text().split()
    tab.keyboard.press("Escape")
    popover.wait_for(state="hidden", timeout=2_000)


def test_a_phones_menu_button_is_a_named_button_a_keyboard_can_press(
    browser: Any, base_url: str
) -> None:
    """Material's menu button is a bare <label>: no name, no role, out of the Tab order.
    Readers who zoom or use a switch on a narrow screen open the navigation with it, and
    Enter and Space press it."""
    tab = browser.new_page(viewport=VIEWPORTS["mobile"])
    for path, name in (("", "Menu"), ("es/", "Menú")):
        tab.goto(base_url + path)
        button = tab.get_by_role("button", name=name, exact=True)
        assert button.get_attribute("aria-expanded") == "false", path
        tab_until(tab, ".md-header .ipt-menu-button")
        assert_focus_visible(tab, f"/{path}: the menu button")
        tab.keyboard.press("Enter")
        assert tab.locator("#__drawer").is_checked(), f"/{path}: Enter did not open the menu"
        assert button.get_attribute("aria-expanded") == "true", path
        tab.keyboard.press(" ")
        assert not tab.locator("#__drawer").is_checked(), f"/{path}: Space did not close it"
    tab.set_viewport_size(VIEWPORTS["desktop"])
    assert tab.locator(".ipt-menu-button").is_hidden(), "a desktop shows the navigation itself"
    tab.close()


def test_a_tapped_citation_offers_its_reference_in_the_pages_language(
    browser: Any, base_url: str
) -> None:
    """On a touch screen the first tap opens a citation's preview, which ends with a link on
    to the full reference, worded in the page's language."""
    context = browser.new_context(viewport=VIEWPORTS["mobile"], has_touch=True, is_mobile=True)
    tab = context.new_page()
    for path, words in (("", "Go to the reference"), ("es/", "Ir a la referencia")):
        tab.goto(f"{base_url}{path}problem-areas/grief/")
        tab.wait_for_function("!document.body.hasAttribute('data-md-color-switching')")
        citation = tab.locator("a.ipt-cite").first
        citation.evaluate("a => a.scrollIntoView({block: 'center'})")  # clear of the header
        box = citation.bounding_box()
        tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        more = tab.locator(".ipt-popover .ipt-popover__more")
        more.wait_for(state="visible", timeout=2_000)
        assert more.inner_text() == words, path
    context.close()


def test_a_first_visit_takes_the_devices_colour_scheme_before_the_theme_script_runs(
    browser: Any, base_url: str
) -> None:
    """A phone in dark mode must not be shown a white page first: with nothing saved, the
    device's setting applies before Material's (deferred) script runs, here never."""
    for device, scheme in (("dark", "slate"), ("light", "default")):
        context = browser.new_context(viewport=VIEWPORTS["mobile"], color_scheme=device)
        tab = context.new_page()
        tab.route("**/bundle.*.min.js", lambda route: route.abort())
        tab.goto(base_url + "problem-areas/grief/")
        shown = tab.evaluate("document.body.getAttribute('data-md-color-scheme')")
        context.close()
        assert shown == scheme, f"a device in {device} mode is first shown the {shown} scheme"


def test_pages_animate_again_once_the_theme_script_has_run(tab: Any, base_url: str) -> None:
    """Pages arrive with transitions off (data-md-color-switching; docs/overrides/base.html
    says why): Material's script must turn them back on, or nothing would ever move."""
    served = tab.goto(base_url)
    assert "data-md-color-switching" in served.text()
    tab.wait_for_function("!document.body.hasAttribute('data-md-color-switching')", timeout=5_000)
    duration = tab.locator(".md-typeset a").first.evaluate(
        "a => getComputedStyle(a).transitionDuration"
    )
    assert duration != "0s", "links still change colour without their transition"


#: A link in a section panel of the drawer that is closed when a page opens.
CLOSED_PANEL_LINK = (
    ".md-nav--primary .md-nav__item--nested > .md-nav__toggle:not(:checked) ~ .md-nav a"
)


def test_closed_drawer_panels_wait_off_screen_yet_stay_reachable(
    browser: Any, base_url: str
) -> None:
    """On a phone the browser skips the drawer's closed section panels until one slides into
    view (ipt.css); their links stay focusable, and a screen reader still has each one,
    named (Chromium with its accessibility on from the start, as a screen reader has it)."""
    reader = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--force-renderer-accessibility"]
    )
    try:
        tab = reader.new_page(viewport=VIEWPORTS["mobile"])
        tab.goto(base_url)
        link = tab.locator(CLOSED_PANEL_LINK).nth(1)
        name = " ".join((link.text_content() or "").split())
        rendered = "a => a.checkVisibility({contentVisibilityAuto: true})"
        assert name and not link.evaluate(rendered), f"{name!r} is rendered in a closed panel"
        tree = tab.context.new_cdp_session(tab).send("Accessibility.getFullAXTree")["nodes"]
        names = {
            " ".join(node.get("name", {}).get("value", "").split())
            for node in tree
            if node["role"]["value"] == "link" and not node.get("ignored")
        }
        assert name in names, f"screen readers do not have the link {name!r}"
        link.focus()
        assert link.evaluate("a => a === document.activeElement"), f"{name!r} cannot take focus"
    finally:
        reader.close()


def pdf_pages_without_text(pdf: bytes) -> list[int]:
    """Numbers of the pages with no text, by poppler's pdftotext (form feed between pages)."""
    if shutil.which("pdftotext") is None:
        require_tool("pdftotext not found: apt-get install poppler-utils")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = text.stdout.decode("utf-8").split("\f")[: len(PdfReader(io.BytesIO(pdf)).pages)]
    return [number for number, page in enumerate(pages, start=1) if not page.strip()]


@pytest.mark.parametrize("group", range(PAGE_GROUPS))
def test_every_page_prints_without_blank_pages(
    browser: Any, base_url: str, pages: list[SourcePage], group: int
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    tab.emulate_media(media="print")
    blank = {}
    for page in pages[group::PAGE_GROUPS]:
        tab.goto(base_url + page.url, wait_until="load")
        empty = pdf_pages_without_text(tab.pdf(format="A4", print_background=True))
        if empty:
            blank[page.source] = empty
    context.close()
    assert not blank, f"blank printed pages (page numbers): {blank}"


def test_handout_pdfs_have_no_blank_pages(built: Build) -> None:
    handouts = sorted(built.site.rglob("*.pdf"))
    assert handouts, "the build made no handout PDFs"
    blank = {
        str(path.relative_to(built.site)): empty
        for path in handouts
        if (empty := pdf_pages_without_text(Path(path).read_bytes()))
    }
    assert not blank, f"blank pages in handouts (page numbers): {blank}"
