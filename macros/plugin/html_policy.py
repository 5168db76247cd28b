"""What HTML a page may contain, judged as a browser would parse it.

Pages come from pull requests, and Markdown passes raw HTML through. The page's HTML is
parsed by an HTML5 parser (tinyhtml5: the algorithm browsers use), so markup hidden from
simpler parsers (``<!--><script>``, ``<![CDATA[>``) is seen as the browser sees it. Scripts,
frames, forms, styles, event handlers and non-web URL schemes (``javascript:``, ``data:``,
also when written with character references) are refused at build time, in HTML, SVG and
MathML alike; the Content-Security-Policy is the second line of defence.

The editor is judged for what they wrote, not for what Markdown made of it: Python-Markdown
aligns table columns with ``style="text-align: right"``, which is allowed on table cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from tinyhtml5.parser import HTMLParser

from macros.errors import SiteError, SiteErrors, line_in, line_of, source_name

FORBIDDEN_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link"}
    | {"meta", "style", "form", "template", "noscript", "portal", "fencedframe"}
    | {"plaintext", "xmp", "noembed", "noframes", "handler", "listener"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "srcset", "http-equiv"})
#: Attributes a browser follows or loads as a URL, in HTML, SVG (also xlink:) and MathML.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "poster", "cite", "data", "background", "longdesc", "usemap"}
    | {"ping", "manifest", "icon", "codebase", "archive", "lowsrc", "dynsrc", "xlink:href"}
)
#: SVG animation attributes: ``<set attributeName="href" to="javascript:...">``.
ANIMATION_ATTRIBUTES = frozenset({"values", "to", "from", "by"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel", "sms"})
#: Elements that swallow the rest of the page as text when left open.
RAW_TEXT_ELEMENTS = frozenset({"textarea", "title", "xmp", "iframe", "noembed", "noframes"})
#: The parser's words for a page that ends inside a tag.
UNCLOSED_TAG_ERRORS = frozenset(
    {"eof-in-tag-name", "eof-in-attribute-name", "eof-in-attribute-value-double-quote"}
    | {"eof-in-attribute-value-no-quotes", "eof-in-attribute-value-single-quote"}
    | {"expected-attribute-name-but-got-eof", "expected-attribute-value-but-got-eof"}
    | {"expected-end-of-tag-but-got-eof", "unexpected-eof-after-attribute-value"}
    | {"unexpected-eof-after-solidus-in-tag"}
)
#: What Python-Markdown writes for an aligned table column.
MARKDOWN_ALIGNMENT = re.compile(r"text-align: (?:left|right|center);?")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these at either end

REMOVE_HINT = "Remove it: pages may use Markdown, simple HTML and the site's macros."
LINK_HINT = "Pages may link to http(s), mailto:, tel: and sms: addresses, or to other pages."
CLOSE_HINT = "Close it, or remove it: the rest of the page would be swallowed."


@dataclass(frozen=True)
class Problem:
    """Something a page's HTML may not contain, and text to find its line in the source."""

    needle: str
    problem: str
    hint: str


def is_safe_url(url: str) -> bool:
    """Whether a browser would treat ``url`` as a link within the site or to a web page,
    mail address or phone number (never ``javascript:``, ``data:`` or ``vbscript:``)."""
    compact = _URL_IGNORED.sub("", url).strip(_C0_AND_SPACE)
    scheme = _SCHEME.match(compact)
    return scheme is None or scheme[1].lower() in ALLOWED_SCHEMES


def parse_fragment(html: str) -> tuple[ElementTree.Element, HTMLParser]:
    """``html`` parsed as a browser parses the inside of a ``<div>``."""
    parser = HTMLParser(namespace_html_elements=False)
    return parser.parse_fragment(html), parser


def html_text(html: str) -> str:
    """The text a browser shows for an HTML fragment."""
    return " ".join("".join(parse_fragment(html)[0].itertext()).split())


def local_name(name: str) -> str:
    """``{http://www.w3.org/2000/svg}script`` -> ``script``; ``xlink:href`` stays."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rpartition("}")[2]
    return name.rpartition("}")[2].lower()


def element_problems(root: ElementTree.Element) -> Iterator[Problem]:
    """Everything under ``root`` that the policy forbids: used for pages and SVG files."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment: browsers never run what is inside one
        tag = local_name(element.tag)
        if tag in FORBIDDEN_ELEMENTS:
            yield Problem(f"<{tag}", f"the HTML element <{tag}> is not allowed", REMOVE_HINT)
        for raw_name, value in element.attrib.items():
            yield from _attribute_problems(tag, local_name(raw_name), value)


def _attribute_problems(tag: str, name: str, value: str) -> Iterator[Problem]:
    if name == "style" and tag in {"th", "td"} and MARKDOWN_ALIGNMENT.fullmatch(value):
        return  # a Markdown table's column alignment
    if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
        yield Problem(name, f"the HTML attribute {name}= is not allowed", REMOVE_HINT)
    elif _is_unsafe_link(name, value):
        shown = " ".join(value.split())[:60]
        problem = f"the link {shown!r} uses a scheme that is not allowed"
        yield Problem(value[:30], problem, LINK_HINT)


def _is_unsafe_link(name: str, value: str) -> bool:
    if name in URL_ATTRIBUTES:
        return not is_safe_url(value)
    if name in ANIMATION_ATTRIBUTES:  # a list such as values="#a;javascript:..."
        return not all(map(is_safe_url, value.split(";")))
    return False


def html_problems(html: str) -> list[Problem]:
    """Every way ``html`` breaks the policy, as an HTML5 parser sees it."""
    root, parser = parse_fragment(html)
    problems = list(element_problems(root))
    codes = {code for _, code, _ in parser.errors}
    if any(code.startswith("eof-in-comment") for code in codes):
        problems.append(Problem("<!--", "an HTML comment (<!--) is not closed", CLOSE_HINT))
    elif codes & UNCLOSED_TAG_ERRORS:
        problem = "an HTML tag is not closed (a quote or > is missing)"
        problems.append(Problem("<", problem, CLOSE_HINT))
    open_elements = {local_name(element.name) for element in parser.tree.open_elements}
    for tag in sorted(open_elements & RAW_TEXT_ELEMENTS):
        problems.append(Problem(f"<{tag}", f"the element <{tag}> is not closed", CLOSE_HINT))
    return problems


def check_html(html: str, file: str, line_for: Callable[[str], int | None]) -> None:
    """Raise SiteErrors naming ``file`` (and the line ``line_for`` finds) for each problem."""
    problems = html_problems(html)
    if problems:
        raise SiteErrors(
            SiteError(file, f"{problem.problem}.", line=line_for(problem.needle), hint=problem.hint)
            for problem in problems
        )


def check_page_html(html: str, page: Page) -> None:
    """Fail the build if the page's own HTML breaks the policy above."""
    check_html(html, source_name(page), lambda needle: line_of(page, needle))


def check_config_html(config: MkDocsConfig) -> None:
    """The footer's copyright line is HTML by design: it gets the pages' policy."""
    text = Path(config.config_file_path).read_text(encoding="utf-8")
    check_html(config.copyright or "", "mkdocs.yml", lambda needle: line_in(text, needle))
