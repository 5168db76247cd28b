"""Fillable worksheet fields for handout pages: typed into in the browser, filled in the PDF.

The same HTML serves both renditions: worksheets.js saves what a reader types in their own
browser, and WeasyPrint turns every input and textarea into a PDF form field. Each field
has a visible label and a ``title`` (WeasyPrint names PDF fields from it, as there is no
``<form>`` element to find labels in). No ``<form>``: nothing is ever submitted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from macros.errors import SiteError

_NAME = re.compile(r"[a-z][a-z0-9-]*")
MAX_LINES = 12
MAX_ROWS = 14


def _field_id(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise SiteError(
            "worksheet macro",
            f"the field name {name!r} must use lowercase letters, digits and hyphens.",
            hint="For example worksheet_field('support-people', 'Who supports me?').",
        )
    return f"ws-{name}"


def _control(field_id: str, label: str, lines: int, attributes: str = "") -> str:
    """An input for one line, a textarea for more; ``label`` is plain text, ``attributes``
    escaped HTML."""
    named = f'id="{field_id}" name="{field_id}"{attributes} title="{escape(label)}"'
    if lines <= 1:
        return f'<input type="text" {named}>'
    return f'<textarea {named} rows="{min(lines, MAX_LINES)}"></textarea>'


def worksheet_field_html(name: str, label: str, lines: int = 1, hint: str = "") -> str:
    """A labelled answer box: a one-line input, or a textarea of ``lines`` rows."""
    field_id = _field_id(name)
    hint_html = ""
    described = ""
    if hint:
        hint_html = f'<span class="ipt-field__hint" id="{field_id}-hint">{escape(hint)}</span>'
        described = f' aria-describedby="{field_id}-hint"'
    control = _control(field_id, label, lines, described)
    return (
        f'\n\n<div class="ipt-field" data-worksheet>'
        f'<label for="{field_id}">{escape(label)}</label>{hint_html}{control}</div>\n\n'
    )


def worksheet_table_html(
    name: str,
    columns: Sequence[str],
    rows: Sequence[str] | int,
    row_header: str = "",
    lines: int = 1,
) -> str:
    """A grid of answer boxes: one row per label (or numbered rows), one column per question.

    The first column holds the row labels; each box's accessible name joins its row and
    column, e.g. "Monday: My mood (0 to 10)". Browsers take it from aria-label (the title,
    which names the PDF field, is only a tooltip there).
    """
    base = _field_id(name)
    row_labels = [str(number) for number in range(1, rows + 1)] if isinstance(rows, int) else rows
    if not columns or not row_labels or len(row_labels) > MAX_ROWS:
        raise SiteError(
            "worksheet macro",
            f"the table {name!r} needs at least one column and 1 to {MAX_ROWS} rows.",
        )
    corner = row_header or ("Row" if isinstance(rows, int) else "")
    header = "".join(f'<th scope="col">{escape(column)}</th>' for column in (corner, *columns))
    body = []
    for row_number, row_label in enumerate(row_labels, start=1):
        cells = [f'<th scope="row">{escape(row_label)}</th>']
        for column_number, column in enumerate(columns, start=1):
            field_id = f"{base}-{row_number}-{column_number}"
            name = f"{row_label}: {column}"
            control = _control(field_id, name, lines, f' aria-label="{escape(name)}"')
            cells.append(f'<td data-label="{escape(column)}">{control}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'\n\n<div class="ipt-worksheet-table" data-worksheet>'
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</div>\n\n"
    )
