"""Every string the theme prints is text: titles, descriptions, nav entries, TOC entries.

One build of a scratch project whose page title, description, headings and nav entries
carry each payload form; then every built file is parsed as a browser parses it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest
from mkdocs.structure.nav import Link, Section

from macros.errors import SiteError
from macros.plugin.escaping import escape_nav
from macros.plugin.html_policy import check_config_html
from tests.conftest import Build, copy_project, parse_html, run_build, text_of

#: mkdocs-macros renders a title containing {{ with Jinja: no < > or " in the source.
JINJA_TITLE = "{{ '\\x3cimg src=x onerror=alert(1)\\x3e' }} title"
TITLE_SHOWN = "<img src=x onerror=alert(1)> title"
DESCRIPTION = "A description &#60;script&#62;alert(2)&#60;/script&#62; that is long enough."
HEADING = "A heading &lt;img src=x onerror=alert(3)&gt;"
NAV_PAGE_TITLE = "<img src=x onerror=alert(4)>"
NAV_SECTION_TITLE = "<script>alert(5)</script>"
NAV_LINK_TITLE = "<b onmouseover=alert(6)>more</b>"
SITE_NAME = "Understanding <i onclick=alert(7)>IPT</i>"

PAGE = f"""---
title: '{JINJA_TITLE.replace("'", "''")}'
description: {DESCRIPTION}
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

# Attack

## {HEADING}

Some text.

| Week | Sessions |
|:--|--:|
| 1 | 2 |
"""


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = copy_project(tmp_path_factory.mktemp("escaping") / "project")
    (project / "docs" / "attack.md").write_text(PAGE, encoding="utf-8")
    (project / "docs" / "attack-two.md").write_text(PAGE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    nav_entries = (
        "  - Home: index.md\n"
        "  - attack.md\n"
        f"  - {json.dumps(NAV_SECTION_TITLE)}:\n"
        f"      - {json.dumps(NAV_PAGE_TITLE)}: attack-two.md\n"
        f"      - {json.dumps(NAV_LINK_TITLE)}: https://example.org/\n"
    )
    text = text.replace("  - Home: index.md\n", nav_entries)
    text = text.replace("site_name: Understanding IPT", f"site_name: {json.dumps(SITE_NAME)}")
    config.write_text(text, encoding="utf-8")
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    return build


def sample_pages(site: Path) -> list[Path]:
    """The attacked pages, the home and 404 pages, and the first page of every section: the
    menu, header and footer are the same on every other page of a section."""
    pages = sorted(site.rglob("*.html"))
    firsts = {path.relative_to(site).parts[0]: path for path in reversed(pages)}
    return sorted({site / "404.html", site / "index.html", *firsts.values()})


def test_no_payload_becomes_markup_in_any_built_page(attacked: Build) -> None:
    pages = sample_pages(attacked.site)
    assert {"attack", "attack-two", "about", "404.html"} <= {
        path.relative_to(attacked.site).parts[0] for path in pages
    }
    for path in pages:
        tree = parse_html(path.read_text(encoding="utf-8"))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            handlers = [name for name in element.attrib if name.lower().startswith("on")]
            assert handlers == [], (path, element.tag, handlers)
            assert not (element.tag == "img" and element.get("src") == "x"), path
            if element.tag == "script":
                assert "alert(" not in (element.text or ""), path


def nav_text(tree: ElementTree.Element, css_class: str) -> str:
    """The text of the first <nav> with ``css_class`` among its classes."""
    return text_of(
        next(nav for nav in tree.iter("nav") if css_class in nav.get("class", "").split())
    )


#: The tags the payloads would open if printed raw (escaped, their "<" is "&lt;").
RAW_PAYLOAD_TAG = re.compile(r"<(?:img src=x|script>alert|i onclick|b onmouseover)", re.I)


def test_no_built_page_opens_a_payloads_tag(attacked: Build) -> None:
    """Every built page, read as text."""
    for path in attacked.site.rglob("*.html"):
        match = RAW_PAYLOAD_TAG.search(path.read_text(encoding="utf-8"))
        assert match is None, (path, match)


def test_the_payloads_are_shown_as_the_text_they_are(attacked: Build) -> None:
    tree = parse_html(attacked.page("attack/index.html"))
    assert text_of(tree.find(".//title")).startswith(JINJA_TITLE)  # the front matter text
    navigation = nav_text(tree, "md-nav--primary")
    for title in (TITLE_SHOWN, NAV_PAGE_TITLE, NAV_SECTION_TITLE, NAV_LINK_TITLE):
        assert title in navigation
    description = tree.find(".//meta[@name='description']").get("content")
    assert description == DESCRIPTION
    assert "A heading <img src=x onerror=alert(3)>" in nav_text(tree, "md-nav--secondary")
    assert SITE_NAME in text_of(tree.find(".//header"))


def test_the_next_page_link_in_the_footer_is_text(attacked: Build) -> None:
    footer = parse_html(attacked.page("index.html")).find(".//footer")
    assert TITLE_SHOWN in text_of(footer)


def test_search_results_show_the_titles_as_text(attacked: Build) -> None:
    """Material's search shows titles as HTML, so the index must hold them escaped."""
    documents = json.loads((attacked.site / "search/search_index.json").read_text())["docs"]
    titles = {document["title"] for document in documents}
    assert "A heading &lt;img src=x onerror=alert(3)&gt;" in titles
    assert not any("<" in title for title in titles)


def test_a_javascript_link_in_the_nav_is_refused() -> None:
    with pytest.raises(SiteError) as raised:
        escape_nav([Section("More", [Link("Click", "java\tscript:alert(1)")])])
    assert str(raised.value).startswith("mkdocs.yml: the nav link 'java")
    assert "uses a scheme that is not allowed" in str(raised.value)


def test_script_in_the_copyright_line_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\ncopyright: Text <script>alert(1)</script>\n")
    settings = SimpleNamespace(config_file_path=str(config), copyright="Text <script>x</script>")
    with pytest.raises(SiteError, match=r"^mkdocs.yml:2: the HTML element <script> is not"):
        check_config_html(settings)


def test_an_aligned_markdown_table_is_not_held_against_the_editor(attacked: Build) -> None:
    """Python-Markdown aligns the column with a style attribute; the editor wrote none."""
    cells = parse_html(attacked.page("attack/index.html")).findall(".//td")
    assert [cell.get("style") for cell in cells] == ["text-align: left;", "text-align: right;"]
