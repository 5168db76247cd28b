"""Pandoc's citation syntax in Markdown: where citations are and what each one asks for.

``[@key]``, ``[see @a, p. 4; @b]``, ``[-@key]`` (year only) and narrative ``@key [p. 4]``.
Only prose is read: code blocks, code spans, URLs, link targets and e-mail addresses are
left alone, and ``\\@`` writes a literal "@". Nothing here knows the bibliography or HTML;
:mod:`macros.citations.in_text` turns what is found into APA in-text citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from macros.citations.apa import ENDASH

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


@dataclass(frozen=True)
class CiteItem:
    """One work inside a citation, with what the writer put around it."""

    key: str
    prefix: str = ""  # "see"
    locator: str = ""  # ", p. 12" or a free suffix such as ", emphasis added"
    is_free_suffix: bool = False
    year_only: bool = False


@dataclass(frozen=True)
class Citation:
    """A parenthetical cluster ``[@a; @b]`` or a narrative ``@a``, as written on the page."""

    items: tuple[CiteItem, ...]
    narrative: bool = False

    @classmethod
    def of_keys(cls, keys: tuple[str, ...]) -> Citation:
        """A plain parenthetical citation of ``keys``, as a data cell's ``cite`` list asks."""
        return cls(tuple(CiteItem(key) for key in keys))


@dataclass(frozen=True)
class Found:
    """Where a citation (or an escaped ``\\@``) is in the Markdown."""

    start: int
    end: int
    citation: Citation | None  # None for ``\\@``, which stands for a literal "@"
    in_heading: bool


def find_citations(markdown: str) -> Iterator[Found]:
    """Every citation in the prose of ``markdown``, in order."""
    for start, end in _prose_spans(markdown):
        for match in _CITATION.finditer(markdown, start, end):
            yield Found(
                match.start(), match.end(), _citation(match), _in_heading(markdown, match.start())
            )


def _citation(match: re.Match[str]) -> Citation | None:
    if match["escape"]:
        return None
    if match["cluster"]:
        return Citation(tuple(_item(text) for text in match["body"].split(";")))
    locator, is_free = _locator(match["locator"] or "")
    return Citation((CiteItem(match["key"], "", locator, is_free),), narrative=True)


def _item(text: str) -> CiteItem:
    parts = _ITEM.fullmatch(text)
    assert parts is not None  # _CITATION only matches clusters of valid items
    locator, is_free = _locator(parts["suffix"])
    prefix = " ".join(parts["prefix"].split())
    return CiteItem(parts["key"], prefix, locator, is_free, year_only=bool(parts["minus"]))


def _in_heading(markdown: str, offset: int) -> bool:
    line_start = markdown.rfind("\n", 0, offset) + 1
    return markdown[line_start:offset].lstrip().startswith("#")


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
