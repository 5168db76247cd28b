"""Handout PDFs: two per handout page (standard, at most two pages, and large print), tagged,
branded, with fields, safety first (the crisis box on page 1), honest about their review,
and rendered from the site's own files only. The sample and an unseen clinic's handouts are
in test_clinic_sites.py.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import time
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from pypdf import PdfReader

from macros.content.clinic import ClinicConfig, load_clinic
from macros.content.front_matter import parse_front_matter
from macros.errors import SiteError
from macros.handouts.links import PrintedFile, handout_tools_html
from macros.handouts.printer import (
    CACHE_DAYS,
    Handout,
    HandoutPrinter,
    PrintContext,
    prune_cache,
)
from macros.text.catalogue import Catalogue
from tests.conftest import ENGLISH, ROOT, SPANISH, Build, parse_html

HANDOUT_PAGES = sorted(
    path.stem
    for path in (ROOT / "docs" / "handouts").glob("*.md")
    if re.search(r"^handout:", path.read_text(), re.M) and "." not in path.stem  # not .es.md
)
WORKSHEETS = {"relationships-map", "mood-diary", "staying-well-plan"}
UK_NUMBERS = ("999", "116 123", "85258")
#: The file name endings of the standard and the large-print PDF.
PRINTS = ("", "-large-print")
A4_POINTS = (595, 842)
LARGE_PRINT_MIN_POINTS = 16
QR_CODE = "QR code linking to this handout online"


def alternative_texts(node: Any) -> list[str]:
    """The /Alt text of every tagged figure under a structure element, in reading order."""
    node = node.get_object()
    if isinstance(node, list):
        return [text for child in node for text in alternative_texts(child)]
    if not isinstance(node, dict):
        return []
    own = [str(node["/Alt"])] if "/Alt" in node else []
    return own + (alternative_texts(node["/K"]) if "/K" in node else [])


def text_of_pdf(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def first_page_text(reader: PdfReader) -> str:
    return " ".join(reader.pages[0].extract_text().split())


def font_sizes(reader: PdfReader) -> dict[float, str]:
    """Each size of text in the PDF (in points, as printed) and a sample of text in it."""
    sizes: dict[float, str] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            sizes.setdefault(round(size * abs(tm[3] * cm[3]), 1), text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return sizes


def handout_pdf(site: Path, name: str, suffix: str) -> PdfReader:
    return PdfReader(site / "handouts" / f"{name}{suffix}.pdf")


def test_there_are_the_eight_handouts_the_issue_asks_for() -> None:
    assert len(HANDOUT_PAGES) >= 8
    assert set(HANDOUT_PAGES) >= WORKSHEETS


@pytest.mark.parametrize("suffix", PRINTS)
@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_default_handout_puts_the_crisis_box_first_and_fits_its_pages(
    built: Build, name: str, suffix: str
) -> None:
    reader = handout_pdf(built.site, name, suffix)
    assert 1 <= len(reader.pages) <= (2 if not suffix else 8)
    first = first_page_text(reader)
    assert first.startswith("Understanding IPT Need help now?"), first[:80]
    for number in UK_NUMBERS:
        assert number in first, f"{name}{suffix}.pdf page 1 lacks crisis number {number}"
    fields = reader.get_fields() or {}
    assert bool(fields) == (name in WORKSHEETS), f"{name}{suffix}.pdf form fields: {list(fields)}"
    assert tuple(round(value) for value in reader.pages[0].mediabox[2:]) == A4_POINTS


@pytest.mark.parametrize("suffix", PRINTS)
@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_default_handout_states_its_review_and_where_to_find_the_latest(
    built: Build, name: str, suffix: str
) -> None:
    meta, _ = parse_front_matter((ROOT / "docs" / "handouts" / f"{name}.md").read_text(), name)
    text = text_of_pdf(handout_pdf(built.site, name, suffix))
    reviewed, due = ENGLISH.date(meta.last_reviewed), ENGLISH.date(meta.next_review)
    assert (
        f"About this handout. {meta.review_label(ENGLISH)} Last reviewed {reviewed}. "
        f"Next review due {due}. Version of {reviewed}, printed from the site as built on "
    ) in text
    assert "Printed copies may be out of date. Ask the service that gave you this handout" in text
    assert "Ask Understanding IPT" not in text
    references = text.find("References")
    assert references == -1 or references > text.find("About this handout."), "references last"


@pytest.mark.parametrize("suffix", PRINTS)
@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_handout_pdf_is_tagged_titled_and_embeds_its_fonts(
    built: Build, name: str, suffix: str
) -> None:
    reader = handout_pdf(built.site, name, suffix)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    ending = " (large print) | Understanding IPT" if suffix else "| Understanding IPT"
    assert reader.metadata.title.endswith(ending)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


@pytest.mark.parametrize("root, t", [("", ENGLISH), ("es/", SPANISH)], ids=["en", "es"])
def test_printed_citation_numbers_stand_alone(built: Build, root: str, t: Catalogue) -> None:
    """The screen-reader word before each citation number ("reference 2") stays off paper."""
    word = re.compile(rf"\b{re.escape(t('references.marker'))}\s*\d")
    for pdf in sorted((built.site / root / "handouts").glob("*.pdf")):
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert not word.search(text), f"{pdf.name}: {word.search(text)}"


@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_large_print_has_no_text_under_16_points_and_the_same_content(
    built: Build, name: str
) -> None:
    large = handout_pdf(built.site, name, "-large-print")
    small = {size: text for size, text in font_sizes(large).items() if size < 16}
    assert not small, f"{name}-large-print.pdf has text under 16 pt: {small}"
    standard = handout_pdf(built.site, name, "")
    assert large.metadata["/Keywords"] == standard.metadata["/Keywords"]
    assert large.metadata["/Keywords"].startswith("content-version-")


@pytest.mark.parametrize("suffix", PRINTS)
def test_worksheet_fields_have_readable_names(built: Build, suffix: str) -> None:
    fields = handout_pdf(built.site, "mood-diary", suffix).get_fields()
    names = {field.get("/TU") for field in fields.values()}
    assert "Monday: Mood (0 to 10)" in names


def test_download_all_zip_holds_every_handout_in_both_prints(built: Build) -> None:
    with zipfile.ZipFile(built.site / "handouts" / "understanding-ipt-handouts.zip") as archive:
        expected = [f"{name}{suffix}.pdf" for name in HANDOUT_PAGES for suffix in PRINTS]
        assert sorted(archive.namelist()) == sorted(expected)


def test_handout_pages_link_to_both_pdfs_and_the_zip(built: Build) -> None:
    for name in HANDOUT_PAGES:
        page = built.site / "handouts" / name / "index.html"
        links = {a.get("href") for a in parse_html(page.read_text()).iter("a")}
        assert {f"../{name}.pdf", f"../{name}-large-print.pdf"} <= links
        assert "../understanding-ipt-handouts.zip" in links
    index = parse_html(built.page("handouts/index.html"))
    targets = {a.get("href") for a in index.iter("a") if a.get("download") is not None}
    for target in targets:
        assert (built.site / "handouts" / target).is_file(), target
    assert len(targets) == len(HANDOUT_PAGES) + 1


@pytest.mark.parametrize("root, t", [("", ENGLISH), ("es/", SPANISH)], ids=["en", "es"])
def test_handout_list_gives_each_file_its_real_page_count_and_size(
    built: Build, root: str, t: Catalogue
) -> None:
    """What a reader on a phone needs before downloading, true to the files in the site and
    in the page's language; each "Download PDF" link names its handout for screen readers."""
    index = parse_html(built.page(f"{root}handouts/index.html"))
    links = [a for a in index.iter("a") if a.get("download") is not None]
    for link in links:
        data = (built.site / root / "handouts" / link.get("href")).read_bytes()
        size = f"{round(len(data) / 1024)} KB"
        facts = " ".join("".join(link.itertext()).split())
        if link.get("href").endswith(".pdf"):
            pages = len(PdfReader(io.BytesIO(data)).pages)
            key = "handout_tools.file_one_page" if pages == 1 else "handout_tools.file_pages"
            assert facts.endswith(f"({t(key, pages=pages, size=size)})"), facts
            label = re.escape(t("handout_tools.download_pdf"))
            assert re.fullmatch(rf"{label}: \S.* \(.*\)", facts), facts
        else:
            assert facts.endswith(f"({size})") or facts.endswith(" MB)"), facts
    assert len(links) == len(HANDOUT_PAGES) + 1


def test_worksheet_page_is_fillable_in_the_browser_and_says_it_stays_local(
    built: Build,
) -> None:
    root = parse_html(built.page("handouts/mood-diary/index.html"))
    article = root.find(".//article")
    assert article.find(".//form") is None
    controls = [*article.iter("input"), *article.iter("textarea")]
    assert len(controls) >= 20
    labels = {label.get("for") for label in article.iter("label")}
    for control in controls:
        assert control.get("id") in labels or control.get("aria-label"), control.get("id")
        assert control.get("title"), f"{control.get('id')}: the PDF field has no name"
    text = " ".join("".join(article.itertext()).split())
    assert "never sent to us or anyone else" in text
    actions = {button.get("data-worksheet-action") for button in article.iter("button")}
    assert actions == {"print", "clear"}
    scripts = {script.get("src") for script in root.iter("script")}
    assert any(src and src.endswith("assets/js/worksheets.js") for src in scripts)


def test_worksheet_script_saves_locally_and_never_uses_the_network() -> None:
    script = (ROOT / "docs" / "assets" / "js" / "worksheets.js").read_text()
    assert "localStorage" in script
    for network in ("fetch(", "XMLHttpRequest", "sendBeacon", "WebSocket", "http"):
        assert network not in script


def pdf_streams(pdf: bytes) -> bytes:
    """Every stream of a PDF, decompressed where it is compressed, joined."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match[1]))
        except zlib.error:
            parts.append(match[1])
    return pdf + b"".join(parts)


@pytest.mark.parametrize("suffix", PRINTS)
@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_handout_pdf_names_no_file_on_the_build_machine(
    built: Build, name: str, suffix: str
) -> None:
    """Without a site address, links to other pages must not become file:// links."""
    content = pdf_streams((built.site / "handouts" / f"{name}{suffix}.pdf").read_bytes())
    assert b"file:" not in content
    assert str(built.site).encode() not in content


# In-process: one small handout through the real printer.

TEST_HANDOUT = Handout(
    source="docs/handouts/test.md",
    dest_uri="handouts/test/index.html",
    page_url="handouts/test/",
    title="A test handout",
    description="A handout made by the tests.",
    last_reviewed=datetime.date(2026, 11, 1),
    next_review=datetime.date(2027, 11, 1),
    review_label="Draft: not yet reviewed.",
    translation_note=None,
    content="<h1>A test handout</h1><p>Hello.</p>{image}",
)


def printer(
    tmp_path: Path, site_url: str | None = None, config: ClinicConfig | None = None
) -> HandoutPrinter:
    site = tmp_path / "site"
    (site / "handouts" / "test").mkdir(parents=True, exist_ok=True)
    clinic = load_clinic("", ROOT, ROOT / "data")
    if config:
        clinic = clinic.model_copy(update={"config": config})
    context = PrintContext(
        clinic=clinic,
        crisis=clinic.crisis,
        build_date=datetime.date(2026, 11, 18),
        site_url=site_url,
        site_dir=site,
        cache_dir=tmp_path / "cache",
        docs_dir=ROOT / "docs",
        t=ENGLISH,
    )
    return HandoutPrinter(context)


def with_image(source: str) -> Handout:
    image = f'<p><img src="{source}" alt="A picture"></p>' if source else ""
    return Handout(**{**TEST_HANDOUT.__dict__, "content": TEST_HANDOUT.content.format(image=image)})


def test_a_rebuild_with_nothing_changed_takes_the_pdf_from_the_cache(tmp_path: Path) -> None:
    handout = with_image("")
    first, cached_first = printer(tmp_path).pdf(handout)
    second, cached_second = printer(tmp_path).pdf(handout)
    assert (cached_first, cached_second) == (False, True)
    assert first == second
    for other in (
        printer(tmp_path).pdf(handout, large_print=True),
        printer(tmp_path, config=ClinicConfig(accent_colour="#6a1b9a")).pdf(handout),
        printer(tmp_path, config=ClinicConfig(paper_size="Letter")).pdf(handout),
    ):
        assert other[1] is False and other[0] != first


@pytest.mark.parametrize(
    "source, site_url, refused",
    [
        ("/etc/hostname", None, "file:///etc/hostname"),
        ("../../../../../../etc/hostname", None, "/etc/hostname"),
        ("/etc/hostname", "https://ipt.example/", "https://ipt.example/etc/hostname"),
        ("https://tracker.example/pixel.png", None, "https://tracker.example/pixel.png"),
    ],
)
def test_a_handout_may_not_load_files_from_outside_the_site(
    tmp_path: Path, source: str, site_url: str | None, refused: str
) -> None:
    with pytest.raises(SiteError) as error:
        printer(tmp_path, site_url).pdf(with_image(source))
    message = str(error.value)
    assert message.startswith("docs/handouts/test.md: the printed handout would load '")
    assert refused in message and "which is not a file of the built site" in message


@pytest.mark.parametrize("site_url", [None, "https://ipt.example/"])
def test_a_handout_shows_an_image_from_the_site(tmp_path: Path, site_url: str | None) -> None:
    print_with = printer(tmp_path, site_url)
    picture = print_with.context.site_dir / "assets" / "map.svg"
    picture.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "examples" / "clinics" / "riverside" / "logo.svg", picture)
    pdf, _ = print_with.pdf(with_image("../../assets/map.svg"))
    figures = alternative_texts(PdfReader(io.BytesIO(pdf.data)).trailer["/Root"]["/StructTreeRoot"])
    assert figures[0] == "A picture"


def test_the_live_preview_says_pdfs_are_not_made_instead_of_linking_to_none() -> None:
    """``mkdocs serve`` makes no PDFs: a handout page there must not link to missing files."""
    clinic = load_clinic("", ROOT, ROOT / "data")
    dest = "handouts/what-is-ipt/index.html"
    for t in (ENGLISH, SPANISH):
        built = handout_tools_html(dest, clinic, worksheet=False, t=t, preview=False)
        preview = handout_tools_html(dest, clinic, worksheet=False, t=t, preview=True)
        assert 'href="../what-is-ipt.pdf"' in built
        assert ".pdf" not in preview and ".zip" not in preview
        assert "make build" in preview


def test_cached_pdfs_no_build_used_for_a_month_are_deleted(tmp_path: Path) -> None:
    """Old handout versions do not pile up in the cache; PDFs in use stay."""
    stale, recent = tmp_path / "stale-1.pdf", tmp_path / "recent-2.pdf"
    for cached in (stale, recent):
        cached.write_bytes(b"%PDF")
    month_ago = time.time() - (CACHE_DAYS + 1) * 86_400
    os.utime(stale, (month_ago, month_ago))
    assert prune_cache(tmp_path) == [stale]
    assert recent.exists() and not stale.exists()


class CacheOnlyPrinter(HandoutPrinter):
    """The printer's cache, without a site or WeasyPrint."""

    def __init__(self, cache_dir: Path) -> None:
        self.context = cast(PrintContext, SimpleNamespace(cache_dir=cache_dir))
        self.css = self.clinic_css = ""
        self.file_bytes = b""

    def print_html(self, handout: Handout, *, large_print: bool = False) -> str:
        return "<p>A handout</p>"

    def render(self, handout: Handout, html: str, *, large_print: bool = False) -> PrintedFile:
        return PrintedFile(b"%PDF", 1)


def test_a_cached_pdf_in_use_is_kept(tmp_path: Path) -> None:
    """A build that takes a PDF from the cache marks it, however old the file is."""
    printer = CacheOnlyPrinter(tmp_path)
    handout = cast(Handout, None)
    assert printer.pdf(handout) == (PrintedFile(b"%PDF", 1), False)
    [cached] = tmp_path.glob("*.pdf")
    month_ago = time.time() - (CACHE_DAYS + 1) * 86_400
    os.utime(cached, (month_ago, month_ago))
    assert printer.pdf(handout) == (PrintedFile(b"%PDF", 1), True)
    assert not prune_cache(tmp_path) and cached.exists()
