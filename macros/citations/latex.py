"""BibTeX field values as text: LaTeX decoded, and titles put in sentence case.

Editors paste exports from Zotero, Citavi, Mendeley, JabRef or Google Scholar as they are, so
a value may hold accents (``{\\"o}``), quotes (````…''``), ``\\url{…}``, font commands,
simple maths (``$\\chi^2$``) and Title Case. :func:`decode` turns a value into
:class:`Piece` runs that remember which text sat in braces. Most values hold no backslash and
no ``$``; they are split at their braces directly. The rest are parsed with pylatexenc (a
maintained LaTeX parser with a large table of accents and symbols); an unknown command is
dropped and reported, its argument kept, never printed as code.

:func:`sentence_case` then lowers the case of titles as BibTeX's brace rules and citeproc
do: every letter in braces keeps its case (``{IPT}``, ``\\textsf{R}``, ``{\\textsf{R}}``),
and so do words in capitals (``IPT``) or with inner capitals (``mHealth``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from pybtex.richtext import String, Tag, Text
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.macrospec import MacroSpec

#: Characters that need the LaTeX parser; values without them are only split at braces.
_NEEDS_PARSER = re.compile(r"[\\$]")
_BRACES = re.compile(r"([{}])")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_SPACES = re.compile(r"\s+")
#: Straight double quotes around words (not the accent ``\\"o``): typographic quotes.
_STRAIGHT_QUOTES = re.compile(r'(?<!\\)"([^"]*)"')
_CURLY = "\N{LEFT DOUBLE QUOTATION MARK}\\1\N{RIGHT DOUBLE QUOTATION MARK}"
#: TeX's ligatures and quotes in plain text, longest first.
_TYPOGRAPHY = re.compile(r"---|--|``|''|`|'|~")
_TYPOGRAPHY_CHARS = {
    "---": "\N{EM DASH}",
    "--": "\N{EN DASH}",
    "``": "\N{LEFT DOUBLE QUOTATION MARK}",
    "''": "\N{RIGHT DOUBLE QUOTATION MARK}",
    "`": "\N{LEFT SINGLE QUOTATION MARK}",
    "'": "\N{RIGHT SINGLE QUOTATION MARK}",
    "~": " ",
}
#: A single-quoted phrase: citeproc prints outer quotes double (en-US).
_SINGLE_PAIR = re.compile(
    "\N{LEFT SINGLE QUOTATION MARK}[^\N{LEFT SINGLE QUOTATION MARK}]*?"
    "\N{RIGHT SINGLE QUOTATION MARK}(?!\\w)"
)
#: Italic commands.
_ITALIC = frozenset({"emph", "textit", "textsl", "mkbibemph", "mkbibitalic", "em", "it", "sl"})
#: Commands whose argument is printed plainly: bold, sans serif and code are not used in APA
#: reference entries, and the braces around the argument keep its case.
_PLAIN = frozenset(
    {"textbf", "mkbibbold", "bf", "textsuperscript", "textsubscript", "NoCaseChange", "textsf",
     "textrm", "textup", "textmd", "textnormal", "text", "texttt", "textsc", "mbox", "sf", "rm",
     "tt", "sc", "upshape", "mdseries", "nocite", "MakeUppercase", "MakeLowercase"}
)  # fmt: skip
_SYMBOLS = {
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textunderscore": "_",
    "textquotedbl": '"',
    "textcopyright": "\N{COPYRIGHT SIGN}",
    "copyright": "\N{COPYRIGHT SIGN}",
    "textperthousand": "\N{PER MILLE SIGN}",
    "textpercent": "%",
    "slash": "/",
    "textslash": "/",
    ",": "\N{NARROW NO-BREAK SPACE}",
    " ": " ",
    "-": "",
    "/": "",
    "@": "",
    "relax": "",
    "protect": "",
    "noopsort": "",
    "mkbibquote": "",
}
#: Commands that take one argument, beyond those pylatexenc knows.
_ONE_ARGUMENT = (*sorted(_PLAIN | _ITALIC - {"em", "it", "sl"} | {"mkbibquote", "noopsort"}),)
#: BibLaTeX ``langid``/``hyphenation`` values (babel names) that mean English.
_ENGLISH = frozenset(
    {"english", "american", "usenglish", "british", "ukenglish", "canadian", "australian",
     "newzealand"}
)  # fmt: skip
#: Unicode superscripts and subscripts for maths (``$\\chi^2$`` is χ², ``$d_p$`` is dₚ).
_SUPERSCRIPTS = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SCRIPT = re.compile(r"([\^_])(?:\{([^{}]*)\}|(.))")
#: In maths, Latin letters are variables or statistical symbols: italic (APA 7 section 6.45).
_LATIN_RUN = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Piece:
    """A run of decoded text; ``protected`` text (in braces) keeps its letter case."""

    text: str
    protected: bool = False
    italic: bool = False


Warn = Callable[[str], None]


def is_english(langid: str | None) -> bool:
    """Titles are put in sentence case only for English entries, or entries without ``langid``
    (as pandoc does)."""
    if langid is None:
        return True
    code = langid.strip().lower()
    return code in _ENGLISH or code == "en" or code.startswith("en-")


def decode(value: str, warn: Warn | None = None) -> tuple[Piece, ...]:
    """A BibTeX value as text runs; the name of each unknown command, which is dropped (its
    argument is kept), is passed to ``warn``."""
    pieces, unknown = _decode(value)
    if warn:
        for name in unknown:
            warn(name)
    return pieces


@lru_cache(maxsize=8192)
def _decode(value: str) -> tuple[tuple[Piece, ...], tuple[str, ...]]:
    value = _STRAIGHT_QUOTES.sub(_CURLY, value)
    if not _NEEDS_PARSER.search(value):
        return _outer_quotes(_tidy(_split_at_braces(value))), ()
    pieces: list[Piece] = []
    unknown: list[str] = []
    position = 0
    for match in _URL.finditer(value):  # URLs are verbatim: "%" and "_" are not LaTeX there
        pieces.extend(_walk(_parse(value[position : match.start()]), False, False, unknown))
        pieces.append(Piece("".join(match[1].split()), protected=True))
        position = match.end()
    pieces.extend(_walk(_parse(value[position:]), False, False, unknown))
    return _outer_quotes(_tidy(pieces)), tuple(dict.fromkeys(unknown))


def _split_at_braces(value: str) -> Iterator[Piece]:
    """Runs of a value without commands: text at brace depth 0, and protected text."""
    depth = 0
    for part in _BRACES.split(value):
        if part == "{":
            depth += 1
        elif part == "}":
            depth = max(depth - 1, 0)
        elif part:
            yield Piece(typography(part), depth > 0)


def typography(text: str) -> str:
    """TeX's dashes, quotes and ties as Unicode: ``--`` is an en dash, ``''`` a quote."""
    if not _TYPOGRAPHY.search(text):
        return text
    return _TYPOGRAPHY.sub(lambda match: _TYPOGRAPHY_CHARS[match[0]], text)


def _outer_quotes(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Single quotes around words become double ones: citeproc prints outer quotes double."""
    whole = plain(pieces)
    if "\N{LEFT SINGLE QUOTATION MARK}" not in whole:
        return pieces
    text = list(whole)
    for match in _SINGLE_PAIR.finditer(whole):
        text[match.start()] = "\N{LEFT DOUBLE QUOTATION MARK}"
        text[match.end() - 1] = "\N{RIGHT DOUBLE QUOTATION MARK}"
    out, position = [], 0
    for piece in pieces:
        out.append(replace(piece, text="".join(text[position : position + len(piece.text)])))
        position += len(piece.text)
    return tuple(out)


@lru_cache(maxsize=1)
def _context() -> latexwalker.LatexContextDb:
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "bibtex-fields",
        macros=[MacroSpec(name, "{") for name in _ONE_ARGUMENT] + [MacroSpec("href", "{{")],
        prepend=True,
    )
    return context


@lru_cache(maxsize=1)
def _to_text() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def _parse(value: str) -> list:
    if not value:
        return []
    walker = latexwalker.LatexWalker(value, latex_context=_context(), tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    return nodes


def _arguments(node) -> list:
    """A command's arguments as nodes (a braced argument stays a group: it is protected)."""
    return [argument for argument in (node.nodeargd.argnlist if node.nodeargd else []) if argument]


def _walk(nodes: Iterable, protected: bool, italic: bool, unknown: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for node in nodes:
        if node is None or isinstance(node, latexwalker.LatexCommentNode):
            continue
        if isinstance(node, latexwalker.LatexCharsNode):
            pieces.append(Piece(typography(node.chars), protected, italic))
        elif isinstance(node, latexwalker.LatexSpecialsNode):
            pieces.append(Piece(typography(node.specials_chars), protected, italic))
        elif isinstance(node, latexwalker.LatexGroupNode):
            font = _font_switch(node.nodelist)
            inner = node.nodelist[1:] if font is not None else node.nodelist
            pieces.extend(_walk(inner, True, italic or bool(font), unknown))
        elif isinstance(node, latexwalker.LatexMathNode):
            pieces.extend(_maths(node.nodelist, italic))
        elif isinstance(node, latexwalker.LatexMacroNode):
            pieces.extend(_macro(node, protected, italic, unknown))
        else:  # environments and anything else: pylatexenc's own text
            pieces.append(Piece(_to_text().nodelist_to_text([node]), protected, italic))
    return pieces


def _font_switch(nodes: list) -> bool | None:
    """For ``{\\em text}`` or ``{\\bf text}``: whether the switch is italic; None if the group
    does not start with one."""
    first = nodes[0] if nodes else None
    if not isinstance(first, latexwalker.LatexMacroNode) or first.nodeargd:
        return None
    if first.macroname in _ITALIC:
        return True
    return False if first.macroname in _PLAIN else None


def _macro(node, protected: bool, italic: bool, unknown: list[str]) -> list[Piece]:
    name = node.macroname
    arguments = _arguments(node)
    if name in _ITALIC:
        return _walk(arguments, protected, True, unknown)
    if name in _PLAIN:
        return _walk(arguments, protected, italic, unknown)
    if name == "href":
        return _walk(arguments[1:], protected, italic, unknown)
    if name == "mkbibquote":
        inner = _walk(arguments, protected, italic, unknown)
        opening, closing = "\N{LEFT DOUBLE QUOTATION MARK}", "\N{RIGHT DOUBLE QUOTATION MARK}"
        return [Piece(opening, protected, italic), *inner, Piece(closing, protected, italic)]
    if name in _SYMBOLS:
        return [Piece(_SYMBOLS[name], protected, italic)]
    if _to_text().latex_context.get_macro_spec(name) is None:
        unknown.append(name)
        return _walk(arguments, protected, italic, unknown)
    text = unicodedata.normalize("NFC", _to_text().nodelist_to_text([node]))
    return [Piece(text, protected, italic)]


def _maths(nodes: list, italic: bool) -> list[Piece]:
    """Inline maths as text: symbols in Unicode, ``^2`` and ``_p`` as super- and subscripts
    where Unicode has them, Latin letters in italics (APA 7 section 6.45), the rest upright."""
    source = "".join(_maths_source(node) for node in nodes)
    text = _SCRIPT.sub(_script, source).replace("{", "").replace("}", "")
    text = " ".join(text.split())
    pieces, position = [], 0
    for match in _LATIN_RUN.finditer(text):
        pieces.append(Piece(text[position : match.start()], True, italic))
        pieces.append(Piece(match[0], True, not italic))
        position = match.end()
    pieces.append(Piece(text[position:], True, italic))
    return [piece for piece in pieces if piece.text]


def _maths_source(node) -> str:
    if isinstance(node, latexwalker.LatexCharsNode):
        return node.chars
    if isinstance(node, latexwalker.LatexGroupNode):
        return "{" + "".join(_maths_source(child) for child in node.nodelist) + "}"
    return _to_text().nodelist_to_text([node])


def _script(match: re.Match[str]) -> str:
    """``^{2}`` → ², ``_p`` → ₚ; left as plain text when Unicode lacks a character."""
    marker, braced, single = match.groups()
    body = braced if braced is not None else single
    table = _SUPERSCRIPTS if marker == "^" else _SUBSCRIPTS
    converted = body.translate(table)
    if all(ord(char) > 0x7F or char == " " for char in converted):
        return converted
    return body


def _tidy(pieces: Iterable[Piece]) -> tuple[Piece, ...]:
    """One space between words, none at the ends; neighbouring runs of one kind merged."""
    merged: list[Piece] = []
    for piece in pieces:
        text = _SPACES.sub(" ", piece.text)
        if not text:
            continue
        if merged and (merged[-1].protected, merged[-1].italic) == (piece.protected, piece.italic):
            merged[-1] = replace(merged[-1], text=merged[-1].text + text)
        else:
            merged.append(replace(piece, text=text))
    out: list[Piece] = []
    for piece in merged:
        text = piece.text
        if out and out[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
        if not out:
            text = text.lstrip()
        if text:
            out.append(replace(piece, text=text))
    while out and out[-1].text != out[-1].text.rstrip():
        text = out[-1].text.rstrip()
        out[-1:] = [replace(out[-1], text=text)] if text else []
    return tuple(out)


def plain(pieces: Iterable[Piece]) -> str:
    return "".join(piece.text for piece in pieces)


def rich(pieces: Iterable[Piece]) -> Text:
    """pybtex rich text: italic runs become ``<em>``."""
    parts = [Tag("em", piece.text) if piece.italic else String(piece.text) for piece in pieces]
    return Text(*parts)


# --------------------------------------------------------------------------- sentence case

START, START_SENTENCE, WORD_END, WORD_CHAR, SENTENCE_END = range(5)
_CHUNK = re.compile(r"[^\W_]+|\s+|.", re.S)
_WORD_BREAKS = frozenset("-/\N{EN DASH}\N{EM DASH}")


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def chunks(text: str) -> list[str]:
    """Words, spaces, runs of punctuation and single other characters (citeproc's splitUp)."""
    chunks: list[str] = []
    for chunk in _CHUNK.findall(text):
        if chunks and _is_punctuation(chunk[0]) and _is_punctuation(chunks[-1][-1]):
            chunks[-1] += chunk
        else:
            chunks.append(chunk)
    return chunks


def next_state(state: int, chunk: str) -> int:
    last = chunk[-1]
    if last in ".?!:":
        return SENTENCE_END
    if last.isalnum():
        return WORD_CHAR
    if last.isspace() and state == SENTENCE_END:
        return START_SENTENCE
    if last.isspace() or last in _WORD_BREAKS:
        return WORD_END
    return state


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and all(char.islower() for char in word[1:])


def _sentence_case_word(state: int, word: str) -> str:
    starts = state in (START, START_SENTENCE)
    if _is_capitalised(word) and not starts:
        return word.lower()
    if starts and (_is_capitalised(word) or all(char.islower() for char in word)):
        lowered = word.lower()
        return lowered[0].upper() + lowered[1:]
    return word


def sentence_case(pieces: Iterable[Piece]) -> tuple[Piece, ...]:
    """Pandoc's sentence case (citeproc ``withSentenceCase``) over decoded runs.

    The first word and the first word after ``.``, ``?``, ``!`` or ``:`` and a space are
    capitalised; other words with one capital followed by small letters are lowered; words
    in capitals or with inner capitals, and all text in braces, are kept. Unlike pandoc, the
    last word of a title is treated like any other, so a one-word subtitle keeps its capital
    (APA 7 section 6.17: capitalise the first word of a subtitle).
    """
    state = START
    out: list[Piece] = []
    for piece in pieces:
        if piece.protected:
            letters = "".join(piece.text.split())
            if letters:
                state = next_state(state, letters)
            out.append(piece)
            continue
        words = []
        for chunk in chunks(piece.text):
            if chunk.isalnum():
                chunk = _sentence_case_word(state, chunk)
            state = next_state(state, chunk)
            words.append(chunk)
        out.append(replace(piece, text="".join(words)))
    return tuple(out)


def join_titles(parts: Iterable[tuple[Piece, ...]], separator: str) -> tuple[Piece, ...]:
    """Title and subtitle as pandoc joins them: ``Title: Subtitle``, no colon after ``?``."""
    out: list[Piece] = []
    for part in parts:
        if not part:
            continue
        if out:
            glue = " " if out[-1].text[-1:] in "!?.,:;" else f"{separator} "
            out.append(Piece(glue))
        out.extend(part)
    return tuple(out)
