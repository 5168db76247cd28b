"""Branded, tagged PDF handouts made from the built handout pages.

Each handout page's article (the same clinical text readers see online) is wrapped in a
print template that adds only branding, crisis lines and a provenance footer, then
rendered by WeasyPrint as PDF/UA with form fields. PDFs are cached by a hash of every
input, so a rebuild with nothing changed renders nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from html import escape
from io import BytesIO
from pathlib import Path

import segno
import weasyprint
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from mkdocs.structure.pages import Page
from weasyprint.text.fonts import FontConfiguration

from macros.clinic import Clinic
from macros.crisis import CrisisLines
from macros.errors import SiteError
from macros.frontmatter import PageMeta
from macros.furniture import long_date

log = logging.getLogger("mkdocs.plugins.ipt")

MAX_PAGES = 2
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
ZIP_NAME = "understanding-ipt-handouts.zip"
TEMPLATES = Path(__file__).parent / "templates"
PRINT_CSS = TEMPLATES / "handout-print.css"
FONTS = "assets/fonts/atkinson-hyperlegible"  #: in the built site, from docs/
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*)</article>', re.S)
#: Page furniture that depends on the build date or the clinic, not on the handout's text.
_FURNITURE = re.compile(
    r'<div class="ipt-page-info".*?</div>'
    r"|<!-- ipt-handout-tools -->.*?<!-- /ipt-handout-tools -->"
    r'|<details class="ipt-cite-this".*?</details>',
    re.S,
)


@dataclass(frozen=True)
class Handout:
    """One built handout page, ready to print."""

    source: str  #: docs/handouts/x.md, for error messages
    dest_uri: str  #: handouts/x/index.html
    page_url: str  #: handouts/x/
    title: str
    description: str
    last_reviewed: datetime.date
    article: str

    @classmethod
    def of(cls, page: Page, meta: PageMeta, article: str) -> Handout:
        return cls(
            source=f"docs/{page.file.src_uri}",
            dest_uri=page.file.dest_uri,
            page_url=page.url,
            title=meta.title,
            description=meta.description,
            last_reviewed=meta.last_reviewed,
            article=article,
        )

    @property
    def pdf_uri(self) -> str:
        """Site path of the PDF: next to the page's folder, named after the page."""
        return pdf_uri(self.dest_uri)

    @property
    def content_version(self) -> str:
        """A short fingerprint of the handout's text: equal for every clinic's branding."""
        text = _FURNITURE.sub("", self.article)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def pdf_uri(dest_uri: str) -> str:
    """``handouts/what-is-ipt/index.html`` -> ``handouts/what-is-ipt.pdf``."""
    folder = posixpath.dirname(dest_uri)
    if posixpath.basename(dest_uri) != "index.html" or not folder:
        return posixpath.splitext(dest_uri)[0] + ".pdf"
    return folder + ".pdf"


def relative_link(target_uri: str, from_dest_uri: str) -> str:
    return posixpath.relpath(target_uri, posixpath.dirname(from_dest_uri) or ".")


def article_html(page_output: str) -> str:
    """The article of a built Material page: title, furniture and content."""
    match = _ARTICLE.search(page_output)
    if not match:
        raise SiteError("docs/overrides", "the page template has no <article> to print.")
    return match.group(1)


def handout_tools_html(dest_uri: str, clinic: Clinic, worksheet: bool) -> str:
    """Download links, the clinic's letterhead for printing, and the worksheet controls."""
    config = clinic.config
    pdf = escape(relative_link(pdf_uri(dest_uri), dest_uri))
    archive = escape(relative_link(posixpath.join("handouts", ZIP_NAME), dest_uri))
    contact = " · ".join(escape(part) for part in config.contact_line)
    parts = [
        "<!-- ipt-handout-tools -->",
        '<div class="ipt-handout-brand">',
        f'<p class="ipt-handout-brand__name">{escape(config.name)}</p>',
        f"<p>{contact}</p>" if contact else "",
        "</div>",
        '<div class="ipt-handout-tools">',
        f'<p><a class="md-button md-button--primary" href="{pdf}" download>Download PDF</a> ',
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
    parts.append("</div><!-- /ipt-handout-tools -->")
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


@dataclass(frozen=True)
class PrintContext:
    """Everything outside the clinical text that a printed handout shows."""

    clinic: Clinic
    crisis: CrisisLines
    build_date: datetime.date
    site_url: str | None
    site_dir: Path
    cache_dir: Path


class HandoutPrinter:
    """Renders handouts to PDF through the print template, reusing cached PDFs."""

    def __init__(self, context: PrintContext) -> None:
        self.context = context
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.css = PRINT_CSS.read_text(encoding="utf-8")
        logo = context.clinic.logo_path
        #: Files the PDF depends on besides its HTML: this renderer, the logo and the fonts.
        fonts = sorted((context.site_dir / FONTS).glob("*.woff"))
        files = [Path(__file__), *([logo] if logo else []), *fonts]
        self.file_bytes = b"".join(path.read_bytes() for path in files)

    def print_all(self, handouts: list[Handout]) -> None:
        """Write every handout's PDF into the site, then one zip of them all."""
        pdfs: dict[str, bytes] = {}
        for number, handout in enumerate(handouts, start=1):
            started = time.perf_counter()
            data, cached = self.pdf(handout)
            target = self.context.site_dir / handout.pdf_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            pdfs[posixpath.basename(handout.pdf_uri)] = data
            how = "unchanged, from cache" if cached else "rendered"
            log.info(
                "Handout %d/%d %s: %s in %.1f s (%d kB)",
                *(number, len(handouts), handout.pdf_uri, how),
                *(time.perf_counter() - started, len(data) // 1024),
            )
        if pdfs:
            zip_path = self.context.site_dir / "handouts" / ZIP_NAME
            zip_path.write_bytes(_zip(pdfs, self.context.build_date))

    def pdf(self, handout: Handout) -> tuple[bytes, bool]:
        """The handout's PDF bytes, and whether they came from the cache."""
        html = self.print_html(handout)
        key = hashlib.sha256()
        for part in (html, self.css, weasyprint.__version__, repr(PDF_OPTIONS)):
            key.update(part.encode("utf-8"))
        key.update(self.file_bytes)
        cached = self.context.cache_dir / f"{key.hexdigest()}.pdf"
        if cached.is_file():
            return cached.read_bytes(), True
        data = self.render(handout, html)
        self.context.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".tmp")
        partial.write_bytes(data)
        partial.replace(cached)
        return data, False

    def print_html(self, handout: Handout) -> str:
        """The handout as a standalone HTML document for WeasyPrint."""
        context = self.context
        config = context.clinic.config
        online = self.online_url(handout)
        logo = context.clinic.logo_path
        return self.templates.get_template("handout.html").render(
            handout=handout,
            article=Markup(handout.article),  # the site's own page HTML, policy-checked
            clinic=config,
            logo_uri=logo.as_uri() if logo else None,
            crisis=context.crisis,
            build_date=context.build_date.isoformat(),
            build_date_long=long_date(context.build_date),
            last_reviewed_long=long_date(handout.last_reviewed),
            online_url=online,
            short_url=online and _short_url(online),
            qr_uri=online and segno.make(online, error="m").svg_data_uri(scale=4, border=0),
        )

    def online_url(self, handout: Handout) -> str | None:
        site_url = self.context.site_url
        return site_url and site_url.rstrip("/") + "/" + handout.page_url

    def render(self, handout: Handout, html: str) -> bytes:
        """Render with WeasyPrint, reading only local files; refuse more than two pages."""
        site = self.context.site_dir
        # Links in the PDF point to the site online when its address is known.
        base = self.online_url(handout) or (site / handout.dest_uri).as_uri()
        fetcher = weasyprint.URLFetcher(allowed_protocols=["file", "data"])
        fonts = FontConfiguration()  # makes the stylesheet's @font-face rules take effect
        css = weasyprint.CSS(
            string=self.css, base_url=site.as_uri() + "/", url_fetcher=fetcher, font_config=fonts
        )
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=fonts, **PDF_OPTIONS
        )
        if len(document.pages) > MAX_PAGES:
            raise SiteError(
                handout.source,
                f"the printed handout has {len(document.pages)} pages; "
                f"handouts must fit on {MAX_PAGES}.",
                hint="Shorten the page, or split it into two handouts.",
            )
        identifier = hashlib.sha256(html.encode("utf-8")).digest()[:16]
        return document.write_pdf(pdf_identifier=identifier, **PDF_OPTIONS)


def _short_url(url: str) -> str:
    """The address to type in, without the scheme: example.org/handouts/x/."""
    return url.split("://", 1)[1].removeprefix("www.")


def _zip(files: dict[str, bytes], day: datetime.date) -> bytes:
    """A reproducible zip: fixed order and timestamps."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
