"""Branded, tagged PDF handouts made from the built handout pages, in standard and large print.

Each handout page's content (the same clinical text readers see online, taken from the
plugin before any page furniture is added) is wrapped in a print template that adds only
branding, crisis lines, the review status and a provenance footer, then rendered by
WeasyPrint as PDF/UA with form fields. Safety comes first: the crisis box sits at the top
of page 1, and the references close the handout in small print. PDFs are cached by a hash
of every input, so a rebuild with nothing changed renders nothing; WeasyPrint is imported
only when a PDF must be rendered, and its parsed stylesheet and fonts are shared by every
PDF a process renders (many clinics built in one process parse them once).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import posixpath
import re
import time
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from mkdocs.structure.pages import Page

from macros.content.clinic import Clinic
from macros.content.crisis import CrisisLines
from macros.content.front_matter import PageMeta
from macros.errors import SiteError, source_name
from macros.handouts.links import ZIP_NAME, PrintedFile, fill_file_facts, pdf_uri
from macros.text.catalogue import Catalogue

log = logging.getLogger("mkdocs.plugins.ipt")

#: The standard print must fit on one sheet, printed on both sides; large print may not.
MAX_PAGES = 2
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}
TEMPLATES = Path(__file__).parent / "templates"
PRINT_CSS = TEMPLATES / "handout-print.css"
ASSETS = "assets"  #: the project's assets, under docs/: fonts (and, in the site, images)
FONTS = f"{ASSETS}/fonts/atkinson-hyperlegible"
#: One template environment per process: each PDF a worker renders reuses the compiled
#: template.
PRINT_TEMPLATES = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
PRINTS = (False, True)  #: large print or not: every handout is printed both ways
#: A cached PDF no build has used for this many days is deleted (see prune_cache).
CACHE_DAYS = 30
#: The clinic's paper and colour: values the clinic file has already checked.
CLINIC_CSS = """@page {{ size: {paper}; @bottom-right {{ content: {page_count}; }} }}
.accent, h1, h2, h3 {{ color: {accent}; }}
.letterhead, .crisis {{ border-color: {accent}; }}
"""


@dataclass(frozen=True)
class Handout:
    """One built handout page, ready to print."""

    source: str  #: docs/handouts/x.md, for error messages
    dest_uri: str  #: handouts/x/index.html
    page_url: str  #: handouts/x/
    title: str
    description: str
    last_reviewed: datetime.date
    next_review: datetime.date
    review_label: str  #: the honest review status, as the web page states it
    translation_note: str | None  #: a translated handout's provenance, as on the web page
    content: str  #: the page's HTML content as the plugin made it, without page furniture
    references: str = ""  #: the page's reference list, printed last

    @classmethod
    def of(
        cls, page: Page, meta: PageMeta, t: Catalogue, content: str, references: str = ""
    ) -> Handout:
        return cls(
            source=source_name(page),
            dest_uri=page.file.dest_uri,
            page_url=page.url,
            title=meta.title,
            description=meta.description,
            last_reviewed=meta.last_reviewed,
            next_review=meta.next_review,
            review_label=meta.review_label(t),
            translation_note=meta.translation_note(t),
            content=content,
            references=references,
        )

    def pdf_uri(self, *, large_print: bool = False) -> str:
        """Site path of the PDF: next to the page's folder, named after the page."""
        return pdf_uri(self.dest_uri, large_print=large_print)

    @property
    def content_version(self) -> str:
        """A short fingerprint of the handout's text: equal for every clinic's branding.
        Kept in the PDF's metadata for tracing a printout; patients see the date instead."""
        text = self.content + self.references
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class PrintContext:
    """Everything outside the clinical text that a printed handout shows."""

    clinic: Clinic
    crisis: CrisisLines
    build_date: datetime.date
    site_url: str | None
    site_dir: Path
    cache_dir: Path
    docs_dir: Path  #: the project's assets (fonts) are read from its assets/ folder
    t: Catalogue  #: the language being built: the letterhead's, crisis box's, footer's words
    language_root: str = ""  #: "" for the default language, else e.g. "es/"


def prune_cache(cache_dir: Path, keep_days: int = CACHE_DAYS) -> list[Path]:
    """Delete cached PDFs no build has used for ``keep_days`` days; the ones deleted.

    Every edit to a handout, its template or the clinic file leaves its old PDFs behind; a
    clinic that rebuilds its site for years would otherwise keep them all. A build marks
    each PDF it uses, so PDFs of other clinics or languages built from the same folder in
    that time stay."""
    oldest = time.time() - keep_days * 86_400
    deleted = []
    for cached in cache_dir.glob("*.pdf"):
        if cached.stat().st_mtime < oldest:
            cached.unlink(missing_ok=True)  # another build may have deleted it first
            deleted.append(cached)
    return deleted


class HandoutPrinter:
    """Renders handouts to PDF through the print template, reusing cached PDFs."""

    def __init__(self, context: PrintContext) -> None:
        self.context = context
        self.css = PRINT_CSS.read_text(encoding="utf-8")
        config = context.clinic.config
        self.clinic_css = CLINIC_CSS.format(
            paper=config.paper_size,
            accent=config.accent_colour,
            page_count=page_count_css(context.t("handout_print.page_count")),
        )
        logo = context.clinic.logo_path
        #: Files the PDF depends on besides its HTML: this renderer, the logo and the fonts.
        fonts = sorted((context.docs_dir / FONTS).glob("*.woff"))
        files = [Path(__file__), *([logo] if logo else []), *fonts]
        self.file_bytes = b"".join(path.read_bytes() for path in files)
        #: What WeasyPrint may read: the built site, the project's assets and the logo.
        self.readable = [context.site_dir, context.docs_dir / ASSETS, *([logo] if logo else [])]

    def print_all(self, handouts: list[Handout]) -> None:
        """Write every handout's PDFs (standard and large print) into the site, then one
        zip of them all."""
        pdfs: dict[str, PrintedFile] = {}
        for number, handout in enumerate(handouts, start=1):
            for large_print in PRINTS:
                started = time.perf_counter()
                printed, cached = self.pdf(handout, large_print=large_print)
                uri = handout.pdf_uri(large_print=large_print)
                pdfs[uri] = printed
                how = "unchanged, from cache" if cached else "rendered"
                log.info(
                    "Handout %d/%d %s: %s in %.1f s (%s)",
                    *(number, len(handouts), uri, how),
                    *(time.perf_counter() - started, printed.facts(self.context.t)),
                )
        write_pdfs(self.context, pdfs)
        prune_cache(self.context.cache_dir)

    def pdf(self, handout: Handout, *, large_print: bool = False) -> tuple[PrintedFile, bool]:
        """The handout's PDF, and whether it came from the cache (which keeps the page count
        in the file's name: counting pages would mean parsing the PDF)."""
        html = self.print_html(handout, large_print=large_print)
        key = hashlib.sha256()
        for part in (html, self.css, self.clinic_css, _weasyprint_version(), repr(PDF_OPTIONS)):
            key.update(part.encode("utf-8"))
        key.update(self.file_bytes)
        for cached in self.context.cache_dir.glob(f"{key.hexdigest()}-*.pdf"):
            pages = int(cached.stem.rpartition("-")[2])
            cached.touch()  # in use: see prune_cache
            return PrintedFile(cached.read_bytes(), pages), True
        printed = self.render(handout, html, large_print=large_print)
        cached = self.context.cache_dir / f"{key.hexdigest()}-{printed.pages}.pdf"
        self.context.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.stem}.{os.getpid()}.tmp")  # builds may run at once
        partial.write_bytes(printed.data)
        partial.replace(cached)
        return printed, False

    def print_html(self, handout: Handout, *, large_print: bool = False) -> str:
        """The handout as a standalone HTML document for WeasyPrint."""
        context = self.context
        config = context.clinic.config
        online = self.online_url(handout)
        logo = context.clinic.logo_path
        return PRINT_TEMPLATES.get_template("handout.html").render(
            handout=handout,
            article=Markup(handout.content),  # the plugin's own page HTML, policy-checked
            references=Markup(handout.references),  # made by the plugin from references.bib
            large_print=large_print,
            clinic=config,
            logo_uri=logo.as_uri() if logo else None,
            crisis=context.crisis,
            banner=context.crisis.banner(config.region),
            build_date=context.build_date.isoformat(),
            t=context.t,
            build_date_long=context.t.date(context.build_date),
            last_reviewed_long=context.t.date(handout.last_reviewed),
            next_review_long=context.t.date(handout.next_review),
            overdue=handout.next_review < context.build_date,
            online_url=online,
            address_parts=online and _address_parts(online),
            qr_uri=online and _qr_code(online),
        )

    def online_url(self, handout: Handout) -> str | None:
        site_url = self.context.site_url
        return site_url and site_url.rstrip("/") + "/" + handout.page_url

    def render(self, handout: Handout, html: str, *, large_print: bool = False) -> PrintedFile:
        """Render with WeasyPrint, reading only the site's and the project's own files; the
        standard print must fit on two pages."""
        import weasyprint

        from macros.handouts.resources import LocalFilesFetcher, RefusedResource

        site = self.context.site_dir
        stylesheet, fonts = _stylesheet(self.css, self.context.docs_dir)
        clinic_stylesheet = _clinic_stylesheet(self.clinic_css)
        # Links in the PDF point to the site online when its address is known.
        base = self.online_url(handout) or (site / handout.dest_uri).as_uri()
        fetcher = LocalFilesFetcher(self.readable, site, self.context.site_url)
        try:
            document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher).render(
                stylesheets=[stylesheet, clinic_stylesheet], font_config=fonts, **PDF_OPTIONS
            )
        except RefusedResource as refused:
            raise SiteError(
                handout.source,
                f"the printed handout would load {refused.url[:100]!r}, which is not a file "
                "of the built site.",
                hint="A handout may show only images kept in docs/, linked with a relative "
                "path such as ../assets/images/map.png.",
            ) from None
        for page in document.pages:
            # Without the site's address, links to its pages would point into this machine's
            # folders (file://...): useless on paper and a leak of the build's paths.
            page.links[:] = [link for link in page.links if not _local_file(link)]
        if not large_print and len(document.pages) > MAX_PAGES:
            raise SiteError(
                handout.source,
                f"the printed handout has {len(document.pages)} pages on "
                f"{self.context.clinic.config.paper_size} paper; handouts must fit on {MAX_PAGES}.",
                hint="Shorten the page, or split it into two handouts. A clinic file can make "
                "room too: fewer local_crisis_contacts, or A4 paper.",
            )
        identifier = hashlib.sha256(html.encode("utf-8")).digest()[:16]
        data = document.write_pdf(pdf_identifier=identifier, **PDF_OPTIONS)
        return PrintedFile(data, len(document.pages))


@functools.cache
def _stylesheet(css: str, docs_dir: Path) -> tuple[Any, Any]:
    """The print stylesheet, parsed once per process, and the fonts its @font-face rules
    load from the project's assets (parsing them is a fifth of a PDF's rendering time)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from macros.handouts.resources import LocalFilesFetcher

    fonts = FontConfiguration()  # makes the stylesheet's @font-face rules take effect
    assets = docs_dir / ASSETS
    fetcher = LocalFilesFetcher([assets], docs_dir, None)
    base = docs_dir.resolve().as_uri() + "/"
    stylesheet = weasyprint.CSS(string=css, base_url=base, url_fetcher=fetcher, font_config=fonts)
    return stylesheet, fonts


@functools.lru_cache(maxsize=64)
def _clinic_stylesheet(css: str) -> Any:
    """A clinic's paper and colours, parsed once per clinic (not once per PDF, as a <style>
    in each handout would be: compiling its selectors is a tenth of a PDF's time)."""
    import weasyprint

    return weasyprint.CSS(string=css)


def page_count_css(template: str) -> str:
    """``Page {page} of {pages}`` as CSS generated content: quoted text and counters."""
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    parts = re.split(r"(\{pages?\})", template)
    return " ".join(
        counters.get(part) or json.dumps(part, ensure_ascii=False) for part in parts if part
    )


def print_handouts(context: PrintContext, handouts: list[Handout]) -> None:
    """Print every handout here and now (the plugin's default)."""
    HandoutPrinter(context).print_all(handouts)


def write_pdfs(context: PrintContext, pdfs: dict[str, PrintedFile]) -> None:
    """Each PDF at its place in the site (by site path), the zip of them all, and their
    page counts and sizes in the links to them."""
    files = dict(pdfs)
    for uri, printed in pdfs.items():
        target = context.site_dir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(printed.data)
    if pdfs:
        named = {posixpath.basename(uri): printed.data for uri, printed in pdfs.items()}
        zip_uri = posixpath.join(context.language_root, "handouts", ZIP_NAME)
        files[zip_uri] = PrintedFile(_zip(named, context.build_date))
        (context.site_dir / zip_uri).write_bytes(files[zip_uri].data)
    fill_file_facts(context.site_dir, files, context.t)


def _local_file(link: tuple[str, str, object, object]) -> bool:
    """A WeasyPrint page link (type, target, rectangle, box) that leads to a local file."""
    kind, target = link[0], link[1]
    return kind == "external" and target.startswith("file:")


def _weasyprint_version() -> str:
    """WeasyPrint's version without importing it (the import alone takes about a second)."""
    return importlib.metadata.version("weasyprint")


@functools.lru_cache(maxsize=256)
def _qr_code(url: str) -> str:
    """A QR code for ``url`` as a PNG of one pixel per module: tiny, quick to embed, and
    printed sharp at any size (the print stylesheet turns off smoothing)."""
    return segno.make(url, error="m").png_data_uri(scale=1, border=0)


def _address_parts(url: str) -> list[str]:
    """The address to type in, without the scheme, in parts that each end in a slash:
    example.org/, handouts/, x/ (printed lines break only between them)."""
    return re.findall(r"[^/]+/?", url.split("://", 1)[1].removeprefix("www."))


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
