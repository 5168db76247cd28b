"""What raw HTML a page may contain.

Pages come from pull requests, and Markdown passes raw HTML through. Scripts, frames,
inline styles, event handlers and non-web URL schemes (``javascript:``, ``data:``) are
refused at build time; the Content-Security-Policy is the second line of defence.
"""

from __future__ import annotations

from html.parser import HTMLParser

from mkdocs.structure.pages import Page

from macros.errors import SiteError, SiteErrors, line_of, source_name

FORBIDDEN_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link"}
    | {"meta", "style", "form", "template", "noscript"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "srcset"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "poster", "cite", "data", "xlink:href"})
ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:", "sms:")


REMOVE_HINT = "Remove it: pages may use Markdown, simple HTML and the site's macros."
LINK_HINT = "Pages may link to http(s), mailto:, tel: and sms: addresses, or to other pages."


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: (text to find in the source, what is wrong, how to fix it)
        self.problems: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(
                (f"<{tag}", f"the HTML element <{tag}> is not allowed", REMOVE_HINT)
            )
        for name, value in attrs:
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                problem = f"the HTML attribute {name}= is not allowed"
                self.problems.append((name, problem, REMOVE_HINT))
            elif name in URL_ATTRIBUTES and value and not _safe_url(value):
                problem = f"the link {value[:60]!r} uses a scheme that is not allowed"
                self.problems.append((value[:30], problem, LINK_HINT))


def _safe_url(url: str) -> bool:
    compact = "".join(url.split()).lower()
    scheme, colon, _ = compact.partition(":")
    if not colon or "/" in scheme or "?" in scheme or "#" in scheme:
        return True  # relative link such as ../page/ or #heading
    return compact.startswith(ALLOWED_SCHEMES)


def check_page_html(html: str, page: Page) -> None:
    """Fail the build if the page's own HTML breaks the policy above."""
    inspector = _Inspector()
    inspector.feed(html)
    if inspector.problems:
        name = source_name(page)
        raise SiteErrors(
            SiteError(name, f"{problem}.", line=line_of(page, needle), hint=hint)
            for needle, problem, hint in inspector.problems
        )
