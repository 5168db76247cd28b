"""Links to handout PDFs and the handout page's own tools (download buttons, worksheet
controls, the clinic's letterhead for printing from the browser)."""

from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path

from macros.content.clinic import Clinic
from macros.errors import SiteError

ZIP_NAME = "understanding-ipt-handouts.zip"
LARGE_PRINT_SUFFIX = "-large-print"


def pdf_uri(dest_uri: str, *, large_print: bool = False) -> str:
    """``handouts/what-is-ipt/index.html`` -> ``handouts/what-is-ipt.pdf`` (or
    ``handouts/what-is-ipt-large-print.pdf``)."""
    folder = posixpath.dirname(dest_uri)
    if posixpath.basename(dest_uri) != "index.html" or not folder:
        stem = posixpath.splitext(dest_uri)[0]
    else:
        stem = folder
    return stem + (LARGE_PRINT_SUFFIX if large_print else "") + ".pdf"


def relative_link(target_uri: str, from_dest_uri: str) -> str:
    return posixpath.relpath(target_uri, posixpath.dirname(from_dest_uri) or ".")


#: In the live preview (``mkdocs serve``) no PDF is made: this stands where the links go.
PREVIEW_NOTE = (
    '<p class="ipt-preview-note" role="note"><strong>Live preview:</strong> the PDFs are not '
    "made while previewing. Run <code>make build</code> to make them.</p>"
)


def handout_tools_html(dest_uri: str, clinic: Clinic, worksheet: bool, preview: bool) -> str:
    """Download links (in the live preview, a note that PDFs are not made there), the
    clinic's letterhead for printing, and the worksheet controls."""
    config = clinic.config
    pdf = escape(relative_link(pdf_uri(dest_uri), dest_uri))
    large = escape(relative_link(pdf_uri(dest_uri, large_print=True), dest_uri))
    archive = escape(relative_link(posixpath.join("handouts", ZIP_NAME), dest_uri))
    contact = " · ".join(escape(part) for part in config.contact_line)
    parts = [
        '<div class="ipt-handout-brand">',
        f'<p class="ipt-handout-brand__name">{escape(config.name)}</p>',
        f"<p>{contact}</p>" if contact else "",
        "</div>",
        '<div class="ipt-handout-tools">',
    ]
    if preview:
        parts.append(PREVIEW_NOTE)
    else:
        parts += [
            f'<p><a class="md-button md-button--primary" href="{pdf}" download>Download PDF</a> ',
            f'<a class="md-button" href="{large}" download>Large-print PDF</a> ',
            f'<a class="md-button" href="{archive}" download>Download all handouts (zip)</a></p>',
        ]
    if worksheet:
        parts += [
            '<div class="ipt-worksheet-note">',
            "<p><strong>You can fill in this page here.</strong> What you type stays in this "
            "web browser, on this device. It is never sent to us or anyone else. Other people "
            "who use this device could see it, so clear it when you are done.</p>",
            '<p class="ipt-worksheet-tools" hidden>',
            '<button type="button" class="md-button" data-worksheet-action="print">'
            "Print this page</button> ",
            '<button type="button" class="md-button" data-worksheet-action="clear">'
            "Clear my answers</button> ",
            '<span class="ipt-worksheet-status" role="status"></span></p>',
            "</div>",
        ]
    parts.append("</div>")
    return "".join(parts)


def handout_download_html(handout: str, from_dest_uri: str, docs_dir: str, label: str = "") -> str:
    """A download link for one handout's PDF (by its page name), or for the zip of all."""
    if not handout:
        target, label = posixpath.join("handouts", ZIP_NAME), label or "Download all (zip)"
    elif (Path(docs_dir) / "handouts" / f"{handout}.md").is_file():
        target, label = f"handouts/{handout}.pdf", label or "Download PDF"
    else:
        raise SiteError(
            "handout_download macro",
            f"there is no handout page docs/handouts/{handout}.md.",
            hint="Give the handout's file name without .md, e.g. handout_download('what-is-ipt').",
        )
    href = escape(relative_link(target, from_dest_uri))
    return f'<a class="ipt-download" href="{href}" download>{escape(label)}</a>'
