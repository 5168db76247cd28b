"""BibTeX field values as text: LaTeX decoded, and titles put in sentence case as pandoc does.

Editors paste exports from Zotero, Citavi, Mendeley, JabRef or Google Scholar as they are, so
a value may hold accents (``{\\"o}``), quotes (````…''``), ``\\url{…}``, font commands, simple
maths (``$\\alpha$``) and Title Case. :func:`decode` parses it with pylatexenc (a maintained
LaTeX parser) into :class:`Piece` runs that remember which text sat in braces; an unknown
command is dropped and reported, never printed. :func:`sentence_case` then lowers the case of
titles exactly as pandoc's BibLaTeX reader does before citeproc applies apa.csl (the
yardstick), so text in braces keeps its case and words in capitals (``IPT``) or with inner
capitals (``mHealth``) are kept. Only English entries are changed (:func:`is_english`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from pybtex.richtext import String, Tag, Text
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.macrospec import MacroSpec

#: Characters that make a value worth parsing as LaTeX; most values have none.
_LATEX = re.compile(r"[{}\\$~]|--|``|''")
_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_SPACES = re.compile(r"\s+")
#: LaTeX single quotes around words: ```Hungry judges'``; citeproc prints outer quotes double.
_DOUBLE_QUOTES = re.compile(r'"([^"]+)"')
_CURLY = "\N{LEFT DOUBLE QUOTATION MARK}\\1\N{RIGHT DOUBLE QUOTATION MARK}"
_SINGLE_QUOTES = re.compile(r"(?<![`\w])`([^`']+)'(?!')")
_SPECIALS = {
    "``": "\N{LEFT DOUBLE QUOTATION MARK}",
    "''": "\N{RIGHT DOUBLE QUOTATION MARK}",
    "`": "\N{LEFT SINGLE QUOTATION MARK}",
    "--": "\N{EN DASH}",
    "---": "\N{EM DASH}",
    "~": " ",
}
#: Commands whose argument keeps its letter case, as pandoc reads them (code, small capitals).
_KEEP_CASE = frozenset({"texttt", "textsc", "mbox"})
#: Italic commands; pandoc changes the case inside them, so the argument is not protected.
_ITALIC = frozenset({"emph", "textit", "textsl", "mkbibemph", "mkbibitalic", "em", "it"})
#: Commands whose argument is printed plainly (bold is not used in APA reference entries).
_PLAIN = frozenset(
    {"textbf", "mkbibbold", "bf", "textsuperscript", "textsubscript", "NoCaseChange", "textsf",
     "textrm", "textup", "textmd", "textnormal", "text"}
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
    "textendash": "\N{EN DASH}",
    "textemdash": "\N{EM DASH}",
    "textquoteleft": "\N{LEFT SINGLE QUOTATION MARK}",
    "textquoteright": "\N{RIGHT SINGLE QUOTATION MARK}",
    "textquotedblleft": "\N{LEFT DOUBLE QUOTATION MARK}",
    "textquotedblright": "\N{RIGHT DOUBLE QUOTATION MARK}",
    "textellipsis": "\N{HORIZONTAL ELLIPSIS}",
    "ldots": "\N{HORIZONTAL ELLIPSIS}",
    "dots": "\N{HORIZONTAL ELLIPSIS}",
    "textregistered": "\N{REGISTERED SIGN}",
    "texttrademark": "\N{TRADE MARK SIGN}",
    "textcopyright": "\N{COPYRIGHT SIGN}",
    "textdegree": "\N{DEGREE SIGN}",
    "textpercent": "%",
    "slash": "/",
    "textslash": "/",
    ",": " ",
    " ": " ",
    "-": "",
    "/": "",
    "@": "",
    "relax": "",
    "protect": "",
    "noopsort": "",
}
#: Commands that take one argument, beyond those pylatexenc knows.
_ONE_ARGUMENT = (
    *sorted(_KEEP_CASE | _PLAIN | {"mkbibemph", "mkbibitalic", "mkbibquote", "noopsort"}),
)
#: BibLaTeX ``langid``/``hyphenation`` values (babel names) and their language, as pandoc maps them.
_BABEL = {
    "english": "en",
    "american": "en",
    "usenglish": "en",
    "british": "en",
    "ukenglish": "en",
    "canadian": "en",
    "australian": "en",
    "newzealand": "en",
}


@dataclass(frozen=True)
class Piece:
    """A run of decoded text; ``protected`` text (in braces) keeps its letter case."""

    text: str
    protected: bool = False
    italic: bool = False


Warn = Callable[[str], None]


def is_english(langid: str | None) -> bool:
    """Pandoc changes title case only for English entries, or entries without ``langid``."""
    if langid is None:
        return True
    code = _BABEL.get(langid.strip().lower(), langid.strip().lower())
    return code == "en" or code.startswith("en-")


def decode(value: str, warn: Warn | None = None) -> tuple[Piece, ...]:
    """A BibTeX value as text runs; unknown commands are dropped and passed to ``warn``."""
    if not _LATEX.search(value):
        text = " ".join(value.split())
        return (Piece(text),) if text else ()
    return _decode_cached(value, warn)


def _decode_cached(value: str, warn: Warn | None) -> tuple[Piece, ...]:
    pieces, unknown = _decode(value)
    if warn:
        for name in unknown:
            warn(f"the LaTeX command \\{name} is not known and was left out")
    return pieces


@lru_cache(maxsize=4096)
def _decode(value: str) -> tuple[tuple[Piece, ...], tuple[str, ...]]:
    pieces: list[Piece] = []
    unknown: list[str] = []
    value = _BACKTICK.sub("\N{LEFT SINGLE QUOTATION MARK}", value)
    value = _STRAIGHT_QUOTES.sub(_CURLY, value)
    position = 0
    for match in _URL.finditer(value):  # URLs are verbatim: "%" and "_" are not LaTeX there
        pieces.extend(_walk(_parse(value[position : match.start()]), False, False, unknown))
        pieces.append(Piece("".join(match[1].split()), protected=True))
        position = match.end()
    pieces.extend(_walk(_parse(value[position:]), False, False, unknown))
    return _outer_quotes(_tidy(pieces)), tuple(dict.fromkeys(unknown))


_BACKTICK = re.compile(r"(?<![`\\])`(?!`)")
_STRAIGHT_QUOTES = re.compile(r'(?<!\\)"([^"]*)"')
_SINGLE_PAIR = re.compile(
    "\N{LEFT SINGLE QUOTATION MARK}[^\N{LEFT SINGLE QUOTATION MARK}]*?"
    "\N{RIGHT SINGLE QUOTATION MARK}(?!\\w)"
)


def _outer_quotes(pieces: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """Single quotes around words become double ones: citeproc prints outer quotes double."""
    text = list(plain(pieces))
    for match in _SINGLE_PAIR.finditer("".join(text)):
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
    """The child nodes of a command's arguments, in order."""
    children: list = []
    for argument in node.nodeargd.argnlist if node.nodeargd else []:
        if argument is None:
            continue
        if isinstance(argument, latexwalker.LatexGroupNode):
            children.extend(argument.nodelist)
        else:
            children.append(argument)
    return children


def _walk(nodes: Iterable, protected: bool, italic: bool, unknown: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    for node in nodes:
        if node is None or isinstance(node, latexwalker.LatexCommentNode):
            continue
        if isinstance(node, latexwalker.LatexCharsNode):
            chars = _DOUBLE_QUOTES.sub(_CURLY, node.chars)
            pieces.append(
                Piece(chars.replace("'", "\N{RIGHT SINGLE QUOTATION MARK}"), protected, italic)
            )
        elif isinstance(node, latexwalker.LatexSpecialsNode):
            special = _SPECIALS.get(node.specials_chars, node.specials_chars)
            pieces.append(Piece(special, protected, italic))
        elif isinstance(node, latexwalker.LatexGroupNode):
            pieces.extend(_walk(node.nodelist, True, italic, unknown))
        elif isinstance(node, latexwalker.LatexMathNode):
            maths = _to_text().nodelist_to_text(node.nodelist).replace("_", "").replace("^", "")
            pieces.append(Piece(" ".join(maths.split()), True, not italic))
        elif isinstance(node, latexwalker.LatexMacroNode):
            pieces.extend(_macro(node, protected, italic, unknown))
        else:  # environments and anything else: pylatexenc's own text
            pieces.append(Piece(_to_text().nodelist_to_text([node]), protected, italic))
    return pieces


def _macro(node, protected: bool, italic: bool, unknown: list[str]) -> list[Piece]:
    name = node.macroname
    arguments = _arguments(node)
    if name in _ITALIC:
        return _walk(arguments, protected, True, unknown)
    if name in _KEEP_CASE:
        return _walk(arguments, True, italic, unknown)
    if name in _PLAIN:
        return _walk(arguments, protected, italic, unknown)
    if name == "href":
        return _walk(arguments[1:], protected, italic, unknown)
    if name == "mkbibquote":
        inner = _walk(arguments, protected, italic, unknown)
        return [
            Piece(_SPECIALS["``"], protected, italic),
            *inner,
            Piece("\u201d", protected, italic),
        ]
    if name == "noopsort":
        return []
    if name in _SYMBOLS:
        return [Piece(_SYMBOLS[name], protected, italic)]
    spec = _to_text().latex_context.get_macro_spec(name)
    if spec is None:
        unknown.append(name)
        return _walk(arguments, protected, italic, unknown)
    text = _to_text().nodelist_to_text([node])
    return [Piece(unicodedata.normalize("NFC", text), protected, italic)]


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
