"""The HTML policy sees a page's HTML as a browser does, and judges what the editor wrote.

The cases call the policy in-process on HTML that Python-Markdown made from a page with
the site's own Markdown extensions; test_escaping.py's build has an aligned table too.
"""

from __future__ import annotations

import markdown
import pytest
import yaml

from macros.plugin.html_policy import html_problems, is_safe_url
from macros.text.literal import literal_markdown
from tests.conftest import ROOT, parse_html, text_of

SITE_EXTENSIONS = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)[
    "markdown_extensions"
]


def page_html(source: str) -> str:
    """What Python-Markdown makes of a page, with the extensions mkdocs.yml names."""
    names, configs = [], {}
    for extension in SITE_EXTENSIONS:
        name = extension if isinstance(extension, str) else next(iter(extension))
        names.append(name)
        if isinstance(extension, dict):
            configs[name] = {
                key: value == "true" if value in ("true", "false") else value
                for key, value in extension[name].items()
            }
    return markdown.markdown(source, extensions=names, extension_configs=configs)


SCRIPT = "the HTML element <script> is not allowed"
#: Scripts however written; Python's html.parser (the policy's parser until now) misses the
#: first three, which browsers run.
HIDDEN_FROM_SIMPLE_PARSERS = {
    "comment that closes at once": ("<!--><script>alert(1)</script> -->", SCRIPT),
    "bogus CDATA": ("<![CDATA[><script>alert(1)</script>]]>", SCRIPT),
    "bogus CDATA, inline": (
        "Text <![CDATA[><img src=x onerror=alert(1)>]]>",
        "the HTML attribute onerror= is not allowed",
    ),
    "SVG script": ("<svg><script>alert(1)</script></svg>", SCRIPT),
    "upper case": ("<SCRIPT>alert(1)</SCRIPT>", SCRIPT),
}


@pytest.mark.parametrize(
    "source, expected",
    HIDDEN_FROM_SIMPLE_PARSERS.values(),
    ids=HIDDEN_FROM_SIMPLE_PARSERS.keys(),
)
def test_markup_hidden_from_simple_parsers_is_found(source: str, expected: str) -> None:
    problems = [problem.problem for problem in html_problems(page_html(source))]
    assert expected in problems


UNSAFE_LINKS = {
    "SVG animate values": '<svg><a><animate attributeName="href" values="#a;javascript:alert(1)"/>'
    "<text>x</text></a></svg>",
    "SVG set to": '<svg><a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
    "xlink:href": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "MathML href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "entity-encoded scheme": '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "tab inside the scheme": '<a href="java&#9;script:alert(1)">x</a>',
    "leading control character": '<a href="\x01javascript:alert(1)">x</a>',
    "Markdown link with data:": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "vbscript": '<a href="VBScript:msgbox(1)">x</a>',
}


@pytest.mark.parametrize("source", UNSAFE_LINKS.values(), ids=UNSAFE_LINKS.keys())
def test_unsafe_link_schemes_are_refused_however_written(source: str) -> None:
    problems = [problem.problem for problem in html_problems(page_html(source))]
    assert any("uses a scheme that is not allowed" in problem for problem in problems), problems


FORBIDDEN_ATTRIBUTES = {
    "formaction": ('<button formaction="https://example.org">x</button>', "formaction="),
    "srcdoc": ('<p srcdoc="x">y</p>', "srcdoc="),
    "event handler": ('<img src="x.png" alt="" onerror="alert(1)">', "onerror="),
    "SVG event handler": ('<svg><circle onmouseover="alert(1)"/></svg>', "onmouseover="),
    "style on a paragraph": ('<p style="color: red">x</p>', "style="),
    "attribute list": ("A paragraph.\n{: onclick=alert(1) }", "onclick="),
}


@pytest.mark.parametrize(
    "source, attribute", FORBIDDEN_ATTRIBUTES.values(), ids=FORBIDDEN_ATTRIBUTES.keys()
)
def test_forbidden_attributes_are_refused(source: str, attribute: str) -> None:
    problems = [problem.problem for problem in html_problems(page_html(source))]
    assert f"the HTML attribute {attribute} is not allowed" in problems


@pytest.mark.parametrize(
    "source, expected",
    [
        ("<p>text <!-- no end", "an HTML comment (<!--) is not closed"),
        ('<p>text <img alt="x', "an HTML tag is not closed (a quote or > is missing)"),
        ("<textarea>the rest of the page", "the element <textarea> is not closed"),
    ],
)
def test_markup_that_would_swallow_the_rest_of_the_page_is_refused(
    source: str, expected: str
) -> None:
    assert expected in [problem.problem for problem in html_problems(source)]


def test_what_markdown_makes_is_not_held_against_the_editor() -> None:
    source = (
        "| Left | Right | Centre |\n|:--|--:|:-:|\n| a | 1 | x |\n\n"
        "[a page](../about/index.md), [a site](https://example.org), "
        "[mail](mailto:info@example.org), [phone](tel:116123)\n\n"
        "!!! note\n    An admonition.\n\n<details><summary>More</summary>Hidden</details>\n"
    )
    html = page_html(source)
    assert 'style="text-align: right;"' in html
    assert html_problems(html) == []


@pytest.mark.parametrize(
    "url", ["page/", "#top", "https://x.org", "mailto:a@b.org", "tel:999", "a:b/c", "?q=1"]
)
def test_web_links_and_relative_links_are_safe(url: str) -> None:
    assert is_safe_url(url) == (url != "a:b/c")


DATA_CELL_MARKUP = {
    "attribute list": "Some text.\n\n{: onclick=alert(1) }\n\nMore text.",
    "list": "- first\n- second",
    "ordered list": "1. first",
    "heading": "# A heading",
    "admonition": "!!! danger x\n    Indented.",
    "link": "[click](javascript:alert(1))",
    "emphasis and code": "*a* _b_ `c` \\d",
    "html": "<b>bold</b> &amp; &lt;",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
}


@pytest.mark.parametrize("text", DATA_CELL_MARKUP.values(), ids=DATA_CELL_MARKUP.keys())
def test_a_data_cell_stays_text_in_the_page(text: str) -> None:
    html = page_html("Before.\n\n" + literal_markdown(text) + "\n\nAfter.")
    paragraphs = parse_html(html).findall(".//p")
    assert [text_of(paragraph) for paragraph in paragraphs] == [
        "Before.",
        " ".join(text.split()),
        "After.",
    ]
    assert len(list(parse_html(html).iter())) == 1 + 1 + 1 + 3  # html, head, body, three p
