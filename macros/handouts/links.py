"""Links to handout PDFs and the handout page's own tools (download buttons, worksheet
controls, the clinic's letterhead for printing from the browser)."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
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


#: In the live preview (``mkdocs serve``) no PDF is made: this stands where the links go.
def preview_note_html(t: Catalogue) -> str:
    return (
        f'<p class="ipt-preview-note" role="note"><strong>{t.html("handout_tools.preview_lead")}'
        f"</strong> {t.html('handout_tools.preview_note')}</p>"
    )


def handout_tools_html(
    dest_uri: str,
    clinic: Clinic,
    worksheet: bool,
    t: Catalogue,
    language_root: str = "",
    preview: bool = False,
) -> str:
    """Download links (in the live preview, a note that PDFs are not made there), the
    clinic's letterhead for printing, and the worksheet controls."""
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
    ]
    if preview:
        parts.append(preview_note_html(t))
    else:
        parts += [
            '<p><a class="md-button md-button--primary" '
            f'href="{pdf}" download>{t.html("handout_tools.download_pdf")}</a> ',
            f'<a class="md-button" href="{large}" download>'
            f"{t.html('handout_tools.large_print_pdf')}</a> ",
            f'<a class="md-button" href="{archive}" download>'
            f"{t.html('handout_tools.download_all')}</a></p>",
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
    about: str = "",
) -> str:
    """A download link for one handout's PDF (by its page name), or for the zip of all,
    in the language being built (``language_root``: "" or e.g. "es/").

    ``about`` names the handout for screen readers, so a list of "Download PDF" links still
    says which is which. The file's page count and size are filled in once it is printed."""
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
    named = f'<span class="ipt-sr-only">: {escape(about)}</span>' if about else ""
    return (
        f'<a class="ipt-download" href="{href}" download>{escape(label)}{named}'
        f"{file_facts_token(target)}</a>"
    )


@dataclass(frozen=True)
class PrintedFile:
    """A file of the handout pack as the reader downloads it."""

    data: bytes
    pages: int = 0  #: 0 for the zip

    def facts(self, t: Catalogue) -> str:
        """What a reader on a phone wants to know before downloading: "2 pages, 84 KB"."""
        kilobytes = len(self.data) / 1024
        if kilobytes >= 1000:
            megabytes = f"{kilobytes / 1024:.1f}".replace(".", t("number.decimal_mark"))
            size = f"{megabytes} MB"
        else:
            size = f"{max(1, round(kilobytes))} KB"
        if not self.pages:
            return size
        key = "handout_tools.file_one_page" if self.pages == 1 else "handout_tools.file_pages"
        return t(key, pages=self.pages, size=size)


def file_facts_token(uri: str) -> str:
    """Where a download link's facts go; empty until the file exists (under mkdocs serve,
    which prints no PDFs, it stays empty)."""
    return f'<span class="ipt-file-facts" data-file="{escape(uri)}"></span>'


def fill_file_facts(site_dir: Path, files: Mapping[str, PrintedFile], t: Catalogue) -> None:
    """Put each printed file's facts into the links to it, in the words of the language
    that printed it (each language's files have their own site paths). Only our own tokens
    are replaced, as exact strings: the pages are not parsed again."""
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'class="ipt-file-facts"' not in html:
            continue
        for uri, printed in files.items():
            html = html.replace(
                file_facts_token(uri),
                f'<span class="ipt-file-facts"> ({escape(printed.facts(t))})</span>',
            )
        page.write_text(html, encoding="utf-8")
