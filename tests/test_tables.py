"""The data macros on the built site: accessible tables, citations in cells, and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
import yaml

from macros.check.browser import run_axe
from tests.conftest import ROOT, Build, parse_html, run_build, text_of

FRONT_MATTER = (
    "---\ntitle: Macro test page\n"
    "description: A page used by the tests to call every data macro.\n"
    "last_reviewed: 2026-11-22\nnext_review: 2027-11-22\nreview_status: draft\n---\n\n"
    "# Macro test page\n\n"
)


def write_page(project: Path, body: str) -> int:
    """Add docs/test-page.md; return the line the body starts on."""
    (project / "docs" / "test-page.md").write_text(FRONT_MATTER + body + "\n")
    return FRONT_MATTER.count("\n") + 1


def tables(html: str) -> list[Element]:
    return parse_html(html).findall(".//table[@class='ipt-data-table']")


def has_citation(cell: Element) -> bool:
    """A cell's citation, rendered by the citation engine or still as pandoc text."""
    rendered = any("ipt-cite" in (link.get("class") or "") for link in cell.iter("a"))
    return rendered or "[@" in text_of(cell)


def test_comparison_table_covers_four_therapies_and_ten_questions(built: Build) -> None:
    (table,) = tables(built.page("comparisons/index.html"))
    caption = table.find("caption")
    assert caption is not None and text_of(caption)
    columns = table.findall("./thead/tr/th")
    assert all(th.get("scope") == "col" for th in columns)
    assert [text_of(th) for th in columns[1:]] == ["IPT", "Psychodynamic", "DIT", "CBT"]
    rows = table.findall("./tbody/tr")
    assert len(rows) >= 10
    for row in rows:
        header = row.find("th")
        assert header is not None and header.get("scope") == "row"
        cells = row.findall("td")
        assert len(cells) == 4
        for cell, column in zip(cells, columns[1:], strict=True):
            assert cell.get("data-label") == text_of(column)
            assert has_citation(cell), text_of(cell)


def test_table_sits_in_a_region_labelled_by_its_caption(built: Build) -> None:
    root = parse_html(built.page("comparisons/index.html"))
    region = root.find(".//div[@class='ipt-table']")
    assert region.get("role") == "region" and region.get("tabindex") == "0"
    caption = region.find(".//caption")
    assert region.get("aria-labelledby") == caption.get("id")


def test_cited_works_in_cells_join_the_page_reference_list(built: Build) -> None:
    html = built.page("comparisons/index.html")
    therapies = yaml.safe_load((ROOT / "data" / "therapies.yml").read_text())["therapies"]
    keys = {
        key
        for therapy in therapies
        for attribute in therapy["attributes"].values()
        for key in attribute["cite"]
    }
    reference_ids = {li.get("id") for li in parse_html(html).iter("li")}
    assert {f"ref-{key}" for key in keys} <= reference_ids


def test_adaptations_table_lists_every_version(built: Build) -> None:
    (table,) = tables(built.page("how-ipt-works/formats/index.html"))
    names = [text_of(th) for th in table.findall("./tbody/tr/th")]
    for name in ("Teenagers", "Group IPT", "Bipolar", "baby", "counselling", "phone"):
        assert any(name in row for row in names), name
    assert all(has_citation(td) for td in table.iter("td"))


def test_problem_area_cards_link_to_each_area_page(built: Build) -> None:
    root = parse_html(built.page("problem-areas/index.html"))
    cards = root.findall(".//div[@class='ipt-card']")
    assert len(cards) == 4
    for card in cards:
        link = card.find("./h2/a")
        assert (built.site / "problem-areas" / link.get("href") / "index.html").exists()


def test_glossary_terms_show_their_meaning_on_hover_and_focus(built: Build) -> None:
    glossary = parse_html(built.page("about/glossary/index.html"))
    anchors = {dt.get("id") for dt in glossary.iter("dt")}
    root = parse_html(built.page("comparisons/index.html"))
    terms = root.findall(".//span[@class='ipt-term']")
    assert terms
    for term in terms:
        link = term.find("a")
        tip = term.find("span[@role='tooltip']")
        assert link.get("aria-describedby") == tip.get("id")
        page, anchor = link.get("href").split("#")
        assert page == "../about/glossary/" and anchor in anchors
        assert text_of(tip)


def test_every_macro_renders_on_a_page(project: Path) -> None:
    write_page(
        project,
        "{{ phase_timeline() }}\n\n{{ techniques_list() }}\n\n"
        "{{ problem_area('role-disputes') }}\n\n"
        "{{ comparison_table(therapies=['ipt', 'dit'], attributes=['focus', 'duration'], "
        "caption='IPT and DIT') }}\n\n"
        "A paragraph with a {{ term('sick role') }} and {{ term('ipt', 'this therapy') }}.",
    )
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    root = parse_html(build.page("test-page/index.html"))
    phases = [li.get("id") for li in root.findall(".//ol[@class='ipt-timeline']/li")]
    assert phases == ["phase-initial", "phase-middle", "phase-ending", "phase-maintenance"]
    assert len(root.findall(".//dl[@class='ipt-techniques']/dt")) >= 7
    text = text_of(root)
    assert all(stage in text for stage in ("Renegotiation", "Impasse", "Dissolution"))
    assert "Fictional example: Jo" in text
    (table,) = tables(build.page("test-page/index.html"))
    assert text_of(table.find("caption")) == "IPT and DIT"
    assert len(table.findall("./tbody/tr")) == 2 and len(table.findall(".//td")) == 4
    paragraph = next(p for p in root.iter("p") if "A paragraph with" in text_of(p))
    assert len(paragraph.findall(".//span[@class='ipt-term']")) == 2


@pytest.mark.parametrize(
    "call, expected",
    [
        ("comparison_table(therapies=['ipt', 'gestalt'])", "unknown therapy 'gestalt'"),
        ("comparison_table(attributes=['focus', 'price'])", "unknown attribute 'price'"),
        ("problem_area('jealousy')", "unknown problem area 'jealousy'"),
        ("term('hypnosis')", "unknown glossary term 'hypnosis' in term()"),
    ],
)
def test_an_unknown_id_in_a_macro_call_names_the_page_line_and_data_file(
    project: Path, call: str, expected: str
) -> None:
    line = write_page(project, "{{ " + call + " }}")
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert f"docs/test-page.md:{line}: {expected}" in build.output
    assert "Known ids (from " in build.output and "data/" in build.output
    assert "Traceback" not in build.output


# -- in a real browser -------------------------------------------------------------------

TABLE_PAGES = ("comparisons/index.html", "how-ipt-works/formats/index.html")


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("page_path", TABLE_PAGES)
def test_tables_pass_axe_and_fit_the_screen(
    browser: Any, base_url: str, page_path: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(base_url + page_path)
    violations = [violation.describe() for violation in run_axe(page, within=".ipt-table")]
    # Nothing is cut off: no cell ends beyond the right edge of its scroll region,
    # and the page itself never scrolls sideways.
    overflow = page.evaluate(
        """() => {
            const cut = [];
            for (const region of document.querySelectorAll('.ipt-table')) {
                const edge = region.getBoundingClientRect().right + 1;
                if (region.scrollWidth > region.clientWidth + 1) cut.push('region scrolls');
                for (const cell of region.querySelectorAll('th, td')) {
                    if (cell.getBoundingClientRect().right > edge) {
                        cut.push(cell.textContent.slice(0, 40));
                    }
                }
            }
            const page = document.documentElement;
            if (page.scrollWidth > page.clientWidth + 1) cut.push('page scrolls');
            return cut;
        }"""
    )
    labels = page.evaluate(
        "() => getComputedStyle(document.querySelector('.ipt-table td'), '::before').content"
    )
    context.close()
    assert violations == []
    assert overflow == []
    if width < 600:
        assert labels not in ("none", "normal", '""'), "cells must show their column"


@pytest.mark.browser
def test_a_low_contrast_cell_inside_a_table_is_caught(browser: Any, base_url: str) -> None:
    """The table check above sees violations inside cells, not only on the table itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base_url + TABLE_PAGES[0])
    page.evaluate("document.querySelector('.ipt-table td').style.color = '#c8c8c8'")
    rules = {violation.rule for violation in run_axe(page, within=".ipt-table")}
    context.close()
    assert "color-contrast" in rules
