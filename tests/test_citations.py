"""Pandoc-style citation syntax in Markdown, and the HTML that replaces it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest

from macros.citations.bibliography import Bibliography
from macros.citations.in_text import CitationError, PageCitations, render_citations
from macros.citations.reference_lists import references_section

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINK = re.compile(r'<a class="ipt-cite" href="#ref-([^"]+)" aria-describedby="ref-\1">')


@pytest.fixture(scope="module")
def sample() -> Bibliography:
    return Bibliography.load(FIXTURES / "ipt_sample.bib")


@pytest.fixture(scope="module")
def edge_cases() -> Bibliography:
    return Bibliography.load(FIXTURES / "edge_cases.bib")


def visible(markdown: str, bibliography: Bibliography) -> str:
    """The rendered citations with each link shown as {text|key}."""
    html = render_citations(markdown, bibliography, page="docs/page.md")
    return LINK.sub(r"{\1|", html).replace("</a>", "}")


def read_and_render(
    markdown: str, bibliography: Bibliography, source: str | None = None
) -> tuple[str, list[str]]:
    """The page as the plugin makes it (tokens through Markdown are not needed here), and
    the keys it cites."""
    citations = PageCitations(bibliography, "docs/x.md", source)
    return citations.render(citations.read(markdown)), citations.keys


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[@weissman2020]", "({weissman2020|Weissman, 2020})"),
        ("[@lipsitz2013]", "({lipsitz2013|Lipsitz &amp; Markowitz, 2013})"),
        ("@lipsitz2013 said", "{lipsitz2013|Lipsitz and Markowitz} (2013) said"),
        ("@cuijpers2016.", "{cuijpers2016|Cuijpers et al.} (2016)."),
        ("[see @weissman2020, p. 12]", "(see {weissman2020|Weissman, 2020}, p. 12)"),
        ("[@weissman2020, pp. 3-5]", "({weissman2020|Weissman, 2020}, pp. 3\N{EN DASH}5)"),
        ("[@weissman2020, p. 12-13]", "({weissman2020|Weissman, 2020}, pp. 12\N{EN DASH}13)"),
        ("[@weissman2020 p. 4]", "({weissman2020|Weissman, 2020}, p. 4)"),
        ("[@weissman2020, 33]", "({weissman2020|Weissman, 2020}, p. 33)"),
        ("[@weissman2020, chap. 3]", "({weissman2020|Weissman, 2020}, Chapter 3)"),
        ("[@weissman2020, para. 4]", "({weissman2020|Weissman, 2020}, para. 4)"),
        ("[@weissman2020, emphasis added]", "({weissman2020|Weissman, 2020}, emphasis added)"),
        ("[-@weissman2020]", "({weissman2020|2020})"),
        ("[-@weissman2020, p. 5]", "({weissman2020|2020}, p. 5)"),
        ("@weissman2020 [p. 33]", "{weissman2020|Weissman} (2020, p. 33)"),
        (
            "[@weissman2020; @markowitz1999, p. 4]",
            "({markowitz1999|Markowitz, 1999}, p. 4; {weissman2020|Weissman, 2020})",
        ),
        (
            "[@weissman2020; @weissman2018]",
            "({weissman2018|Weissman et al., 2018}; {weissman2020|Weissman, 2020})",
        ),
        (
            "[@cuijpers2016; @cuijpers2011]",
            "({cuijpers2011|Cuijpers et al., 2011}; {cuijpers2016|Cuijpers et al., 2016})",
        ),
        (
            "[see @weissman2020; also @cuijpers2011]",
            "(see {weissman2020|Weissman, 2020}; also {cuijpers2011|Cuijpers et al., 2011})",
        ),
    ],
)
def test_citation_syntax(markdown: str, expected: str, sample: Bibliography) -> None:
    assert visible(markdown, sample) == expected


def test_same_authors_collapse_to_one_name(edge_cases: Bibliography) -> None:
    """As pandoc: works of one year keep the order they are cited in."""
    assert visible("[@smith2020b; @smith2020a; @smith2020c]", edge_cases) == (
        "({smith2020b|Smith &amp; Doe, 2020c}, {smith2020a|2020b}, {smith2020c|2020a})"
    )
    assert visible("[@smith2020b; @smith2020a, p. 3]", edge_cases) == (
        "({smith2020b|Smith &amp; Doe, 2020c}; {smith2020a|2020b}, p. 3)"
    )


def test_group_author_is_spelled_out_once_per_page(edge_cases: Bibliography) -> None:
    assert visible("[@group2019] then [@group2019] and @group2019", edge_cases) == (
        "({group2019|American Psychiatric Association [APA], 2013}) then "
        "({group2019|APA, 2013}) and {group2019|APA} (2013)"
    )
    assert visible("@group2019 then [@web1; @group2019]", edge_cases) == (
        "{group2019|American Psychiatric Association} (APA, 2013) then "
        "({group2019|APA, 2013}; {web1|World Health Organization [WHO], n.d.})"
    )


def test_year_suffixes_match_the_reference_list(edge_cases: Bibliography) -> None:
    assert visible("@nodate and [@nodate2]", edge_cases) == (
        "{nodate|Nobody} (n.d.-b) and ({nodate2|Nobody, n.d.-a})"
    )
    assert edge_cases.reference("nodate").text.startswith("Nobody, A. (n.d.-b).")


def test_many_authors_cite_as_et_al(edge_cases: Bibliography) -> None:
    assert visible("[@many21]", edge_cases) == "({many21|A1 et al., 2021})"


def test_link_markup_points_to_and_is_described_by_the_reference(sample: Bibliography) -> None:
    html, keys = read_and_render("[@shedler2010] and @shedler2010", sample)
    assert html == (
        '(<a class="ipt-cite" href="#ref-shedler2010" aria-describedby="ref-shedler2010">'
        "Shedler, 2010</a>) and "
        '<a class="ipt-cite" href="#ref-shedler2010" aria-describedby="ref-shedler2010">'
        "Shedler</a> (2010)"
    )
    assert keys == ["shedler2010"]


def test_keys_in_first_citation_order(sample: Bibliography) -> None:
    _, keys = read_and_render("@weissman2020 [@shedler2010; @weissman2020]", sample)
    assert keys == ["weissman2020", "shedler2010"]


def test_data_cells_cite_by_key_and_render_in_document_order(edge_cases: Bibliography) -> None:
    """A cell's keys go to the engine directly; the group author is spelt out where the
    page first shows it, whichever was registered first."""
    citations = PageCitations(edge_cases, "docs/x.md")
    cell = citations.cite(["group2019"])  # a macro runs before the page's text is read
    markdown = citations.read(f"First [@group2019].\n\n<table><td>{cell}</td></table>")
    assert "[@" not in markdown and "group2019" not in markdown
    html = citations.render(markdown)
    assert html.index("American Psychiatric Association [APA], 2013") < html.index("<table>")
    assert ">APA, 2013</a>" in html.split("<table>")[1]
    assert citations.keys == ["group2019"]


def test_citations_in_headings_are_written_inline(sample: Bibliography) -> None:
    citations = PageCitations(sample, "docs/x.md")
    markdown = citations.read("## Shedler's review [@shedler2010]\n\nText [@weissman2020].")
    heading, text = markdown.split("\n\n")
    assert ">Shedler, 2010</a>)" in heading and "\ue000" not in heading
    assert "\ue000" in text


UNTOUCHED = """Inline `[@weissman2020]` and ``@weissman2020``.
Mail me@weissman2020.org or first.last@shedler2010 and https://x.org/@weissman2020 too.
A www.x.org/@shedler2010 URL, an <https://x.org/@weissman2020> autolink and
[a link](https://x.org/@weissman2020 "@shedler2010").

```
[@weissman2020] in a fence
```

~~~~ python
@weissman2020
~~~~

    [@weissman2020] indented code
"""


def test_code_urls_and_emails_are_left_alone(sample: Bibliography) -> None:
    html, keys = read_and_render(UNTOUCHED, sample)
    assert html == UNTOUCHED
    assert keys == []


def test_list_and_admonition_content_is_not_code(sample: Bibliography) -> None:
    markdown = "- item\n\n    [@shedler2010]\n\n!!! note\n\n    @shedler2010 wrote\n"
    assert visible(markdown, sample) == (
        "- item\n\n    ({shedler2010|Shedler, 2010})\n\n!!! note\n\n"
        "    {shedler2010|Shedler} (2010) wrote\n"
    )


def test_escaped_at_is_a_literal_at(sample: Bibliography) -> None:
    assert visible(r"Follow \@weissman2020 and `\@x`", sample) == r"Follow @weissman2020 and `\@x`"


def test_unknown_key_reports_line_and_suggestion(sample: Bibliography) -> None:
    source = "---\ntitle: x\n---\n\nText\n{{ macro() }}\nAs shown [@weisman2020].\n"
    with pytest.raises(CitationError) as caught:
        read_and_render("Text\nmore\nAs shown [@weisman2020].", sample, source=source)
    assert str(caught.value) == (
        "docs/x.md:7: unknown citation key 'weisman2020'. Did you mean 'weissman2020'? "
        "Add the work to references.bib or fix the key."
    )
    assert (caught.value.key, caught.value.line) == ("weisman2020", 7)
    assert caught.value.suggestions[0] == "weissman2020"


def test_unknown_key_without_source_uses_the_markdown_line(sample: Bibliography) -> None:
    with pytest.raises(CitationError) as caught:
        render_citations("a\n\n@nobody1999 wrote", sample, page="docs/y.md")
    assert str(caught.value) == (
        "docs/y.md:3: unknown citation key 'nobody1999'. Add the work to references.bib or "
        "fix the key."
    )


class _Checker(HTMLParser):
    """Collects unbalanced tags: a small stand-in for an HTML validator."""

    VOID = frozenset({"br", "img", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


def test_references_section(edge_cases: Bibliography) -> None:
    html = references_section(["smith2020b", "jsurl", "smith2020b"], edge_cases)
    assert html == (
        '<section class="ipt-references" aria-labelledby="references" data-search-exclude="true">'
        '<h2 id="references">References</h2><ul class="ipt-reflist">'
        '<li id="ref-jsurl">Evil, E. (2001). Bad &lt;script&gt;alert(1)&lt;/script&gt; link. '
        "<em>J</em>. javascript:alert(1)</li>"
        '<li id="ref-smith2020b">Smith, J., &amp; Doe, J. (2020c). Zebra findings in therapy. '
        "<em>Journal of Things</em>, <em>1</em>, 10\N{EN DASH}12.</li></ul></section>"
    )
    checker = _Checker()
    checker.feed(html)
    assert checker.errors == [] and checker.open == []


def test_tokens_survive_python_markdown(sample: Bibliography, tmp_path: Path) -> None:
    """Python-Markdown passes the tokens through, so the citation's HTML never meets it."""
    bib = tmp_path / "references.bib"
    bib.write_text(
        "@misc{odd_key, author = {Doe, Jane}, title = {Stars * and _under_ `tick` [x]},\n"
        "  howpublished = {Site}, year = {2020}, url = {https://x.org/a_b_c}}\n",
        encoding="utf-8",
    )
    bibliography = Bibliography.load(bib)
    citations = PageCitations(bibliography, "p.md")
    markdown = citations.read("Text *[@odd_key]* and @odd_key.")
    html = citations.render(python_markdown.markdown(markdown))
    assert html == (
        '<p>Text <em>(<a class="ipt-cite" href="#ref-odd_key" aria-describedby="ref-odd_key">'
        "Doe, 2020</a>)</em> and "
        '<a class="ipt-cite" href="#ref-odd_key" aria-describedby="ref-odd_key">Doe</a> (2020).</p>'
    )
    section = references_section(citations.keys, bibliography)
    # In TeX a backtick is an opening quote; Markdown's characters become entities.
    quote = "\N{LEFT SINGLE QUOTATION MARK}"
    assert f"Stars &#42; and &#95;under&#95; {quote}tick{quote} &#91;x&#93;" in section
    assert python_markdown.markdown(section) == section


def test_markers_number_works_in_reference_list_order(sample: Bibliography) -> None:
    citations = PageCitations(sample, "docs/x.md", style="markers")
    html = citations.render(
        citations.read("Text [@weissman2020; @lipsitz2013]. More @shedler2010.")
    )
    numbers = re.findall(
        r'href="#ref-([^"]+)"[^>]*><span class="ipt-sr-only">reference </span>(\d+)', html
    )
    # APA order: Lipsitz, Shedler, Weissman
    assert numbers == [("lipsitz2013", "1"), ("weissman2020", "3"), ("shedler2010", "2")]
    assert html.startswith('Text<sup class="ipt-cite-marks" data-search-exclude>')  # no space
    assert "More Shedler<sup" in html  # a narrative citation keeps its author as words
    section = references_section(citations.keys, sample, numbered=citations.numbered)
    assert '<ol class="ipt-reflist ipt-reflist--numbered">' in section
    ids = re.findall(r'<li id="ref-([^"]+)"', section)
    assert ids == ["lipsitz2013", "shedler2010", "weissman2020"]


def test_markers_show_a_repeat_in_one_paragraph_once_after_the_last(sample: Bibliography) -> None:
    markdown = (
        "One [@weissman2020]. Two [@weissman2020]. Three [@shedler2010].\n\n"
        "Next paragraph [@weissman2020]."
    )
    citations = PageCitations(sample, "docs/x.md", style="markers")
    html = citations.render(citations.read(markdown))
    first, second = html.split("\n\n")
    assert first.count("ipt-cite-marks") == 2 and first.startswith("One. Two<sup")
    assert second.count("ipt-cite-marks") == 1  # a new paragraph cites again
    assert citations.keys == ["weissman2020", "shedler2010"]


def test_markers_keep_author_date_where_a_number_would_lose_something(sample: Bibliography) -> None:
    html = render_citations("[see @weissman2020, p. 4]", sample, page="x.md", style="markers")
    assert "(see" in html and "Weissman, 2020</a>, p. 4)" in html
