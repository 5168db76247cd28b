"""Pandoc-style citations in Markdown (``[@key]``, ``@key``, ...) turned into APA in-text HTML.

Only prose is touched: code blocks, code spans, URLs, link targets and e-mail addresses are
left alone, and ``\\@`` writes a literal "@". Each citation becomes a link to the reference
list entry plus a hidden preview of the reference (shown by CSS on hover and focus). The
inserted HTML is one line with Markdown-special characters as entities, so Python-Markdown
passes it through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

from macros.apa import ENDASH, InTextLabel, markdown_safe_escape, to_html
from macros.bibliography import Bibliography, Reference
from macros.errors import SiteError

_KEY = r"[A-Za-z0-9_]+(?:[:.#$%&+?<>~/-]+[A-Za-z0-9_]+)*"
_ITEM = re.compile(
    rf"(?P<prefix>[^\[\];@]*?)(?<![\w\\])(?P<minus>-?)@(?P<key>{_KEY})(?P<suffix>[^\[\];@]*)"
)
_ITEM_TEXT = r"[^\[\];@]*?(?<![\w\\])-?@" + _KEY + r"[^\[\];@]*"
_CITATION = re.compile(
    rf"(?P<cluster>\[(?P<body>{_ITEM_TEXT}(?:;{_ITEM_TEXT})*)\](?![(\[]))"
    rf"|(?P<escape>\\@)"
    rf"|(?<![\w\\@])@(?P<key>{_KEY})(?:[ ]\[(?P<locator>[^\[\]@]*)\](?![(\[]))?"
)
#: Inline text that is never a citation: code spans, autolinks, link targets, bare URLs.
_PROTECTED_INLINE = re.compile(
    r"(?P<ticks>`+)[\s\S]*?(?<!`)(?P=ticks)(?!`)"
    r"|<(?:[A-Za-z][A-Za-z0-9+.-]*:|[^>\s@]+@)[^>\s]*>"
    r"|\]\([^)]*\)"
    r"|(?:https?://|www\.)[^\s<>\[\]]*"
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CONTAINER = re.compile(r"^(\s*)(?:[-*+]|\d+[.)]|!!!|\?\?\?\+?|===)\s")
_LOCATOR_LABELS = {
    ("p", "p.", "pp", "pp.", "page", "pages"): ("p.", "pp."),
    ("ch.", "chap.", "chaps.", "chapter", "chapters"): ("Chapter", "Chapters"),
    ("sec.", "secs.", "section", "sections", "§", "§§"): ("Section", "Sections"),
    ("para.", "paras.", "paragraph", "paragraphs", "¶", "¶¶"): ("para.", "paras."),
    ("fig.", "figs.", "figure", "figures"): ("Figure", "Figures"),
    ("vol.", "vols.", "volume", "volumes"): ("Volume", "Volumes"),
    ("n.", "nn.", "note", "notes"): ("Note", "Notes"),
    ("l.", "ll.", "line", "lines"): ("Line", "Lines"),
}
_LABEL_OF = {alias: forms for aliases, forms in _LOCATOR_LABELS.items() for alias in aliases}
_LOCATOR = re.compile(
    r"(?:(?P<label>"
    + "|".join(re.escape(alias) for alias in sorted(_LABEL_OF, key=len, reverse=True))
    + r")\s*(?P<value>\w+(?:\s*(?:[-\u2013\u2014&]|,\s*)\s*[0-9ivxlcdm]\w*)*)"
    r"|(?P<number>\d+(?:\s*(?:[-\u2013\u2014&]|,\s*)\s*\d+)*))(?P<rest>.*)",
    re.DOTALL | re.IGNORECASE,
)


#: Private-use characters: Markdown leaves them alone and no page text contains them.
_TOKEN_START, _TOKEN_END = "\ue000", "\ue001"
_TOKEN = re.compile(f"{_TOKEN_START}(\\d+){_TOKEN_END}")
_PREVIEW = re.compile(
    r'<span class="ipt-cite__tip" role="tooltip" id="(?P<id>[^"]+)"[^>]*>.*?</span>'
)
_PREVIEWED_LINK = re.compile(r'<a class="ipt-cite" [^>]*aria-describedby="(?P<id>[^"]+)">.*?</a>')


class CitationError(SiteError):
    """A citation of a key that the bibliography does not have, with a "did you mean"."""

    def __init__(self, page: str, line: int, key: str, suggestions: list[str]) -> None:
        self.key = key
        self.suggestions = suggestions
        did_you_mean = f" Did you mean '{suggestions[0]}'?" if suggestions else ""
        super().__init__(
            page,
            f"unknown citation key '{key}'.{did_you_mean}",
            line=line,
            hint="Add the work to references.bib or fix the key.",
        )


@dataclass
class PageCitations:
    """A page's citations, rendered; ``placeheld`` + ``restore`` is the fast path for builds.

    Python-Markdown handles inline HTML tag by tag, and the HTML checks after it parse the
    page again, so the citations' markup (each with its preview) is kept out of both: the
    build converts ``placeheld``, where each citation is a short private-use token, and
    ``restore`` puts the HTML in afterwards. Citations in headings stay inline, so the
    table of contents shows their text.
    """

    markdown: str  # the page with every citation replaced by inline HTML
    keys: list[str] = field(default_factory=list)  # cited keys, first-citation order, unique
    placeheld: str = ""  # the page with each citation outside headings as a token
    snippets: list[str] = field(default_factory=list)  # the HTML each token stands for

    def restore(self, html: str, *, previews: bool = True) -> str:
        """Put each citation's HTML in place of its token in the converted page.

        Without ``previews`` the links go in alone; ``add_previews`` adds the rest later,
        so the search plugin does not parse thousands of previews it would skip anyway.
        """
        if not self.snippets:
            return html
        snippets = self.snippets if previews else [_PREVIEW.sub("", s) for s in self.snippets]
        return _TOKEN.sub(lambda match: snippets[int(match[1])], html)

    def add_previews(self, html: str) -> str:
        """Put back, after each citation link, the preview ``restore`` left out."""
        previews = {
            match["id"]: match[0]
            for snippet in self.snippets
            for match in _PREVIEW.finditer(snippet)
        }
        if not previews:
            return html

        def with_preview(match: re.Match[str]) -> str:
            return match[0] + previews.get(match["id"], "")

        return _PREVIEWED_LINK.sub(with_preview, html)


@dataclass(frozen=True)
class _Cite:
    reference: Reference
    prefix: str = ""
    locator: str = ""  # ", p. 12" or a free suffix such as ", emphasis added"
    is_free_suffix: bool = False
    year_only: bool = False


def render_citations(
    markdown: str, bibliography: Bibliography, *, page: str, source: str | None = None
) -> PageCitations:
    """Replace every citation in ``markdown`` with APA in-text HTML.

    ``source`` is the page file before macro expansion, used to report the right line of an
    unknown key.
    """
    page_state = _Page(bibliography, page, markdown, source)
    inline, placeheld, snippets = [], [], []
    position = 0
    for start, end in _prose_spans(markdown):
        for match in _CITATION.finditer(markdown, start, end):
            text = markdown[position : match.start()]
            html = page_state.replace(match)
            inline += [text, html]
            if _in_heading(markdown, match.start()):
                placeheld += [text, html]
            else:
                placeheld += [text, f"{_TOKEN_START}{len(snippets)}{_TOKEN_END}"]
                snippets.append(html)
            position = match.end()
    inline.append(markdown[position:])
    placeheld.append(markdown[position:])
    return PageCitations("".join(inline), list(page_state.cited), "".join(placeheld), snippets)


def _in_heading(markdown: str, offset: int) -> bool:
    line_start = markdown.rfind("\n", 0, offset) + 1
    return markdown[line_start:offset].lstrip().startswith("#")


def references_section(
    keys: Iterable[str], bibliography: Bibliography, *, heading: str = "References"
) -> str:
    """The page's reference list as one HTML block, in APA order."""
    references = sorted(
        (bibliography.reference(key) for key in dict.fromkeys(keys)),
        key=lambda reference: reference.sort_key,
    )
    items = "".join(
        f'<li id="{_anchor(reference.key)}">{reference.html}</li>' for reference in references
    )
    return (
        '<section class="ipt-references" aria-labelledby="references" data-search-exclude="true">'
        f'<h2 id="references">{markdown_safe_escape(heading)}</h2>'
        f'<ul class="ipt-reflist">{items}</ul></section>'
    )


def _anchor(key: str) -> str:
    return markdown_safe_escape(f"ref-{key}")


def _href(key: str) -> str:
    return markdown_safe_escape("#" + quote(f"ref-{key}", safe="-._~:/"))


class _Page:
    """Per-page state: cited keys, group authors already introduced, tooltip numbering."""

    def __init__(
        self, bibliography: Bibliography, page: str, markdown: str, source: str | None
    ) -> None:
        self.bibliography = bibliography
        self.page = page
        self.markdown = markdown
        self.source = source
        self.cited: dict[str, None] = {}
        self.introduced_groups: set[str] = set()
        self.tooltips = 0

    def replace(self, match: re.Match[str]) -> str:
        if match["escape"]:
            return "@"
        if match["cluster"]:
            cites = [self._cite(item, match.start()) for item in match["body"].split(";")]
            return "(" + "; ".join(self._clusters(cites)) + ")"
        cite = self._cite_narrative(match)
        return self._narrative(cite)

    def _reference(self, key: str, offset: int) -> Reference:
        if key not in self.bibliography:
            raise CitationError(
                self.page, self._line(key, offset), key, self.bibliography.suggestions(key)
            )
        self.cited.setdefault(key)
        return self.bibliography.reference(key)

    def _line(self, key: str, offset: int) -> int:
        if self.source is not None:
            found = re.search(rf"(?<![\w\\])@{re.escape(key)}(?![A-Za-z0-9_])", self.source)
            if found:
                return self.source.count("\n", 0, found.start()) + 1
        return self.markdown.count("\n", 0, offset) + 1

    def _cite(self, item: str, offset: int) -> _Cite:
        parts = _ITEM.fullmatch(item)
        reference = self._reference(parts["key"], offset)
        locator, is_free = _locator(parts["suffix"])
        prefix = " ".join(parts["prefix"].split())
        return _Cite(reference, prefix, locator, is_free, year_only=bool(parts["minus"]))

    def _cite_narrative(self, match: re.Match[str]) -> _Cite:
        reference = self._reference(match["key"], match.start())
        locator, is_free = _locator(match["locator"] or "")
        return _Cite(reference, locator=locator, is_free_suffix=is_free)

    def _clusters(self, cites: list[_Cite]) -> Iterator[str]:
        """apa.csl's cluster: sorted unless prefixes/suffixes are used; one author, many years.

        Works by the same author list collapse to ``Author, 2011, 2016`` (joined with "; "
        when one of them has a locator), as pandoc's citeproc does.
        """
        if not any(cite.prefix or cite.is_free_suffix for cite in cites):
            cites = sorted(cites, key=lambda cite: cite.reference.cite_sort_key)
        groups: list[list[_Cite]] = []
        for cite in cites:
            previous = groups[-1][-1] if groups else None
            if (
                previous
                and not (cite.prefix or cite.is_free_suffix or previous.is_free_suffix)
                and not (cite.year_only or previous.year_only)
                and cite.reference.authors_key == previous.reference.authors_key
            ):
                groups[-1].append(cite)
            else:
                groups.append([cite])
        for group in groups:
            first, *rest = group
            delimiter = "; " if any(cite.locator for cite in group) else ", "
            parts = [self._parenthetical(first)]
            parts += [self._linked(cite, cite.reference.label.year) + cite.locator for cite in rest]
            yield delimiter.join(parts)

    def _parenthetical(self, cite: _Cite) -> str:
        """``see Weissman, 2020, p. 12``; a group author's first mention adds ``[ABBR]``."""
        label = cite.reference.label
        prefix = f"{cite.prefix} " if cite.prefix else ""
        if cite.year_only:
            return prefix + self._linked(cite, label.year) + cite.locator
        author = to_html(label.author)
        if label.group_abbreviation:
            abbreviation = markdown_safe_escape(label.group_abbreviation)
            author = f"{author} [{abbreviation}]" if self._first_mention(label) else abbreviation
        return prefix + self._linked(cite, f"{author}, {label.year}") + cite.locator

    def _narrative(self, cite: _Cite) -> str:
        """``Weissman (2020)``; a group author's first mention is ``Name (ABBR, 2022)``.

        The link covers the author, the date follows in parentheses (with any locator).
        """
        label = cite.reference.label
        year = f"{label.year}{cite.locator}"
        if not label.group_abbreviation:
            return f"{self._linked(cite, to_html(label.narrative_author))} ({year})"
        abbreviation = markdown_safe_escape(label.group_abbreviation)
        if self._first_mention(label):
            return f"{self._linked(cite, to_html(label.author))} ({abbreviation}, {year})"
        return f"{self._linked(cite, abbreviation)} ({year})"

    def _first_mention(self, label: InTextLabel) -> bool:
        """Whether this is the page's first mention of the group author (APA 8.21)."""
        first = label.group_name not in self.introduced_groups
        self.introduced_groups.add(label.group_name)
        return first

    def _linked(self, cite: _Cite, html: str) -> str:
        """The citation text as a link to the reference, followed by its preview."""
        self.tooltips += 1
        tip = f"ipt-cite-tip-{self.tooltips}"
        key = cite.reference.key
        return (
            f'<a class="ipt-cite" href="{_href(key)}" aria-describedby="{tip}">{html}</a>'
            f'<span class="ipt-cite__tip" role="tooltip" id="{tip}">'
            f"{cite.reference.tooltip_html}</span>"
        )


def _locator(suffix: str) -> tuple[str, bool]:
    """``, p. 12`` → (", p. 12", False); ``, emphasis added`` → (", emphasis added", True)."""
    text = suffix.strip().removeprefix(",").strip()
    if not text:
        return "", False
    match = _LOCATOR.fullmatch(text)
    if not match:
        return f", {text}", True
    value = match["value"] or match["number"]
    singular, plural = _LABEL_OF.get((match["label"] or "p.").lower(), ("p.", "pp."))
    label = plural if re.search(r"[-\u2013\u2014,&]", value) else singular
    value = re.sub(r"\s*[-\u2013\u2014]+\s*", ENDASH, value)
    return f", {label} {value}{match['rest']}", False


def _prose_spans(markdown: str) -> Iterator[tuple[int, int]]:
    """Offsets of text that may hold citations: outside code blocks and protected inline text."""
    for start, end in _outside_code_blocks(markdown):
        position = start
        for match in _PROTECTED_INLINE.finditer(markdown, start, end):
            yield position, match.start()
            position = match.end()
        yield position, end


def _outside_code_blocks(markdown: str) -> Iterator[tuple[int, int]]:
    """Spans between fenced and indented code blocks.

    Indented text is code only after a blank line and deeper than the enclosing list item,
    admonition or tab (whose content is itself indented by four spaces).
    """
    fence = ""
    containers: list[int] = []
    previous_blank = True
    in_code = False
    start = offset = 0
    for line in markdown.splitlines(keepends=True):
        expanded = line.expandtabs(4)
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip(" "))
        if fence:
            code = True
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = ""
        elif not stripped:
            code = in_code
        else:
            while containers and indent < containers[-1] and previous_blank:
                containers.pop()
            base = containers[-1] if containers else 0
            opening = _FENCE.match(expanded[base:]) if indent >= base else None
            if opening:
                fence, code = opening[1], True
            else:
                code = indent >= base + 4 and (previous_blank or in_code)
            if not code and (container := _CONTAINER.match(expanded)):
                containers.append(len(container[1]) + 4)
        if code and not in_code:
            yield start, offset
        if in_code and not code:
            start = offset
        in_code = code
        previous_blank = not stripped
        offset += len(line)
    if not in_code:
        yield start, offset
