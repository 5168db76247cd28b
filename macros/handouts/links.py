"""Links to handout PDFs and the handout page's own tools (download buttons, worksheet
controls, the clinic's letterhead for printing from the browser)."""

from __future__ import annotations

import posixpath
from html import escape
from pathlib import Path

from macros.content.clinic import Clinic
from macros.errors import SiteError
from macros.text.catalogue import Catalogue

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


def handout_tools_html(
    dest_uri: str, clinic: Clinic, worksheet: bool, t: Catalogue, language_root: str = ""
) -> str:
    """Download links, the clinic's letterhead for printing, and the worksheet controls."""
    config = clinic.config
    pdf = escape(relative_link(pdf_uri(dest_uri), dest_uri))
    large = escape(relative_link(pdf_uri(dest_uri, large_print=True), dest_uri))
    zip_uri = posixpath.join(language_root, "handouts", ZIP_NAME)
    archive = escape(relative_link(zip_uri, dest_uri))
    contact = " · ".join(escape(part) for part in config.contact_line)
    parts = [
        '<div class="ipt-handout-brand">',
        f'<p class="ipt-handout-brand__name">{escape(config.name)}</p>',
        f"<p>{contact}</p>" if contact else "",
        "</div>",
        '<div class="ipt-handout-tools">',
        '<p><a class="md-button md-button--primary" '
        f'href="{pdf}" download>{t.html("handout_tools.download_pdf")}</a> ',
        f'<a class="md-button" href="{large}" download>{t.html("handout_tools.large_print_pdf")}'
        "</a> ",
        f'<a class="md-button" href="{archive}" download>{t.html("handout_tools.download_all")}'
        "</a></p>",
    ]
    if worksheet:
        parts += [
            '<div class="ipt-worksheet-note">',
            f"<p><strong>{t.html('handout_tools.worksheet_note_lead')}</strong> "
            f"{t.html('handout_tools.worksheet_note')}</p>",
            '<p class="ipt-worksheet-tools" hidden>',
            '<button type="button" class="md-button" data-worksheet-action="print">'
            f"{t.html('handout_tools.print')}</button> ",
            '<button type="button" class="md-button" data-worksheet-action="clear">'
            f"{t.html('handout_tools.clear')}</button> ",
            '<span class="ipt-worksheet-status" role="status"></span></p>',
            "</div>",
        ]
    parts.append("</div>")
    return "".join(parts)


def handout_download_html(
    handout: str,
    from_dest_uri: str,
    docs_dir: str,
    t: Catalogue,
    label: str = "",
    language_root: str = "",
) -> str:
    """A download link for one handout's PDF (by its page name), or for the zip of all,
    in the language being built (``language_root``: "" or e.g. "es/")."""
    if not handout:
        target = posixpath.join(language_root, "handouts", ZIP_NAME)
        label = label or t("handout_tools.download_all_short")
    elif (Path(docs_dir) / "handouts" / f"{handout}.md").is_file():
        target = f"{language_root}handouts/{handout}.pdf"
        label = label or t("handout_tools.download_pdf")
    else:
        raise SiteError(
            "handout_download macro",
            f"there is no handout page docs/handouts/{handout}.md.",
            hint="Give the handout's file name without .md, e.g. handout_download('what-is-ipt').",
        )
    href = escape(relative_link(target, from_dest_uri))
    return f'<a class="ipt-download" href="{href}" download>{escape(label)}</a>'
