"""Text from a data file, written into a page's Markdown so that it stays text.

A data cell's words are inserted into the page before Python-Markdown runs. Escaping HTML
is not enough there: a cell holding ``- item``, ``!!! danger``, ``{: onclick=... }`` or a
blank line would become a list, an admonition, an attribute or a new block, and a mistake
in the YAML would be reported against the page that shows it. So the text becomes one line,
and every character that Markdown or one of the site's extensions gives a meaning becomes a
numeric character reference, which Markdown passes through and browsers show as the
character.
"""

from __future__ import annotations

import re

#: Characters with a meaning anywhere in a line (emphasis, code, links, attributes, HTML).
_MARKUP = "\\`*_{}[]<>&!|#~^=+\"@$%'"
_ENTITIES = str.maketrans({character: f"&#{ord(character)};" for character in _MARKUP})
#: What makes a line a list item, a heading or a block of its own where it starts.
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-:?.])")


def _reference(character: str) -> str:
    return f"&#{ord(character)};"


def literal_markdown(text: str) -> str:
    """``text`` as Markdown that renders to exactly ``text``, on one line."""
    flat = " ".join(text.split()).translate(_ENTITIES)
    return _BLOCK_START.sub(
        lambda match: (match[1] or "") + _reference(match[2] or match[3]), flat, count=1
    )
