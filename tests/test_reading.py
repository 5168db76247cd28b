"""Citations serve readers: on public pages they take little of the text, and every
paragraph that cites a source still links to it."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import pytest

from macros.citations.bibliography import Bibliography
from macros.citations.in_text import PageCitations
from tests.conftest import ROOT, Build, html_pages, parse_html

#: The most of a page's reading text that its visible citations may take.
MAX_CITATION_SHARE = 0.10
READING_BLOCKS = ("p", "li", "td", "dd")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def visible_text(element: Element, *, skip_hidden: bool = True) -> str:
    """Text a sighted reader sees: without the words only screen readers get."""
    if skip_hidden and "ipt-sr-only" in (element.get("class") or ""):
        return element.tail or ""
    inner = "".join(visible_text(child) for child in element)
    return (element.text or "") + inner + (element.tail or "")


def citation_share(html: str) -> tuple[int, int]:
    """(characters of citation text, characters of reading text) in a page's article."""
    article = parse_html(html).find(".//article")
    total = cited = 0
    for block in article.iter():
        if block.tag not in READING_BLOCKS or any(
            name in (block.get("class") or "") for name in ("ipt-reflist", "ipt-service")
        ):
            continue
        text = (block.text or "") + "".join(
            visible_text(child) for child in block if child.tag not in READING_BLOCKS
        )
        total += len(" ".join(text.split()))
        cited += sum(citation_length(child) for child in block)
    return cited, total


def citation_length(element: Element) -> int:
    """Characters of citation text in ``element``: raised numbers, or author-date links
    with their brackets."""
    classes = element.get("class") or ""
    if element.tag == "sup" and "ipt-cite-marks" in classes:
        text = (element.text or "") + "".join(visible_text(child) for child in element)
        return len(" ".join(text.split()))
    if element.tag == "a" and classes == "ipt-cite":
        return len(" ".join(visible_text(element).split()) or "") + 2  # "(" and ")"
    if element.tag in READING_BLOCKS:
        return 0  # counted as a block of its own
    return sum(citation_length(child) for child in element)


def public_pages(build: Build) -> list:
    return [page for page in html_pages(build.site) if "/editors/" not in page.as_posix()]


def test_citations_take_less_than_a_tenth_of_every_public_page(built: Build) -> None:
    heavy = {}
    for page in public_pages(built):
        cited, total = citation_share(page.read_text(encoding="utf-8"))
        if total and cited / total >= MAX_CITATION_SHARE:
            heavy[page.relative_to(built.site).as_posix()] = round(cited / total, 3)
    assert not heavy, f"share of citation text: {heavy}"


@pytest.fixture(scope="module")
def bibliography() -> Bibliography:
    return Bibliography.load(ROOT / "references.bib")


@pytest.mark.parametrize(
    "source", sorted(path.relative_to(ROOT).as_posix() for path in (ROOT / "docs").rglob("*.md"))
)
def test_every_paragraph_that_cites_keeps_a_link_to_its_source(
    bibliography: Bibliography, source: str
) -> None:
    """Markers show a repeat once per run, so no paragraph may lose all of its links."""
    text = (ROOT / source).read_text(encoding="utf-8").split("\n---", 1)[-1]
    citations = PageCitations(bibliography, source, style="markers")
    markdown = citations.read(text)
    html = citations.render(markdown)
    for before, after in zip(_PARAGRAPHS.split(text), _PARAGRAPHS.split(html), strict=True):
        cites = "[@" in before or re.search(r"(?<![\w\\])@[a-z]", before)
        if cites and "@" in re.sub(r"`[^`]*`|\S+@\S+\.\S+", "", before):
            assert 'class="ipt-cite"' in after, f"{source}: lost every link in {before!r}"
