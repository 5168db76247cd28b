"""Handout PDFs: one per handout page, at most two pages, tagged, branded and with fields."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import ROOT, Build, copy_project, parse_html, run_build

HANDOUT_PAGES = sorted(
    path.stem
    for path in (ROOT / "docs" / "handouts").glob("*.md")
    if re.search(r"^handout:", path.read_text(), re.M)
)
WORKSHEETS = {"relationships-map", "mood-diary", "staying-well-plan"}
UK_NUMBERS = ("999", "116 123", "85258")
SAMPLE_CLINIC = "examples/clinic.sample.yml"
A4_POINTS = (595, 842)
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


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, built: Build) -> tuple[Build, Build, Build]:
    """The sample clinic's site built twice from an empty cache (the second build reuses the
    PDFs), and the real site, which has the default branding."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "project")
    (project / ".cache").unlink()  # a cache of its own, so the first build renders
    first = run_build(project, project / "site-1", IPT_CLINIC=SAMPLE_CLINIC)
    second = run_build(project, project / "site-2", IPT_CLINIC=SAMPLE_CLINIC)
    assert first.returncode == second.returncode == 0, first.output
    return first, second, built


def test_there_are_the_eight_handouts_the_issue_asks_for() -> None:
    assert len(HANDOUT_PAGES) >= 8
    assert set(HANDOUT_PAGES) >= WORKSHEETS


@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_default_handout_pdf_is_short_branded_and_has_the_crisis_numbers(
    built: Build, name: str
) -> None:
    reader = PdfReader(built.site / "handouts" / f"{name}.pdf")
    assert 1 <= len(reader.pages) <= 2
    text = text_of_pdf(reader)
    assert "Understanding IPT" in text
    for number in UK_NUMBERS:
        assert number in text, f"{name}.pdf lacks crisis number {number}"
    assert "Printed copies may be out of date." in text
    assert "Content version" in text and "Last reviewed " in text
    fields = reader.get_fields() or {}
    assert bool(fields) == (name in WORKSHEETS), f"{name}.pdf form fields: {list(fields)}"
    assert tuple(round(value) for value in reader.pages[0].mediabox[2:]) == A4_POINTS


@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_handout_pdf_is_tagged_titled_and_embeds_its_fonts(built: Build, name: str) -> None:
    reader = PdfReader(built.site / "handouts" / f"{name}.pdf")
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title.endswith("| Understanding IPT")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]


def test_worksheet_fields_have_readable_names(built: Build) -> None:
    fields = PdfReader(built.site / "handouts" / "mood-diary.pdf").get_fields()
    names = {field.get("/TU") for field in fields.values()}
    assert "Monday: Mood (0 to 10)" in names


def test_download_all_zip_holds_every_handout(built: Build) -> None:
    with zipfile.ZipFile(built.site / "handouts" / "understanding-ipt-handouts.zip") as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.pdf" for name in HANDOUT_PAGES)


def test_handout_pages_link_to_their_pdf_and_the_zip(built: Build) -> None:
    for name in HANDOUT_PAGES:
        page = built.site / "handouts" / name / "index.html"
        links = {a.get("href") for a in parse_html(page.read_text()).iter("a")}
        assert f"../{name}.pdf" in links and "../understanding-ipt-handouts.zip" in links
    index = parse_html(built.page("handouts/index.html"))
    targets = {a.get("href") for a in index.iter("a") if a.get("download") is not None}
    for target in targets:
        assert (built.site / "handouts" / target).is_file(), target
    assert len(targets) == len(HANDOUT_PAGES) + 1


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
        assert control.get("id") in labels or control.get("title"), control.get("id")
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


def test_sample_clinic_handouts_carry_its_branding_and_local_numbers(
    sample: tuple[Build, Build, Build],
) -> None:
    first, *_ = sample
    for name in HANDOUT_PAGES:
        reader = PdfReader(first.site / "handouts" / f"{name}.pdf")
        assert len(reader.pages) <= 2
        text = text_of_pdf(reader)
        assert "Riverside Wellbeing Clinic" in text
        for number in (*UK_NUMBERS, "0118 496 0999"):
            assert number in text, f"{name}.pdf lacks {number}"
        assert f"ipt.riverside-clinic.example/handouts/{name}/" in text
        figures = alternative_texts(reader.trailer["/Root"]["/StructTreeRoot"])
        assert figures[0] == "Riverside Wellbeing Clinic logo" and figures[-1] == QR_CODE
        assert bool(reader.get_fields()) == (name in WORKSHEETS)


def test_sample_clinic_local_contact_is_in_every_page_crisis_panel(
    sample: tuple[Build, Build, Build],
) -> None:
    first, *_ = sample
    panel = parse_html(first.page("index.html")).find(".//div[@class='ipt-crisis']")
    assert "tel:01184960999" in {a.get("href") for a in panel.iter("a")}


def test_rebuilding_with_nothing_changed_renders_no_pdf(sample: tuple[Build, Build, Build]) -> None:
    first, second, _ = sample
    assert first.output.count(": rendered in") == len(HANDOUT_PAGES), first.output
    assert ": rendered in" not in second.output
    assert second.output.count("unchanged, from cache") == len(HANDOUT_PAGES)
    for name in HANDOUT_PAGES:
        pdf = Path("handouts") / f"{name}.pdf"
        assert (first.site / pdf).read_bytes() == (second.site / pdf).read_bytes()


def test_clinic_cannot_change_the_clinical_text(sample: tuple[Build, Build, Build]) -> None:
    first, _, plain = sample
    for name in HANDOUT_PAGES:
        default = PdfReader(plain.site / "handouts" / f"{name}.pdf")
        branded = PdfReader(first.site / "handouts" / f"{name}.pdf")
        version = re.compile(r"Content version (\w+)")
        assert version.search(text_of_pdf(default))[1] == version.search(text_of_pdf(branded))[1]


def test_letter_paper_and_us_crisis_lines(project: Path) -> None:
    (project / "clinic.yml").write_text("name: Maple Clinic\ncountry: us\npaper_size: Letter\n")
    build = run_build(project, project / "site", IPT_CLINIC="clinic.yml")
    assert build.returncode == 0, build.output
    reader = PdfReader(build.site / "handouts" / "what-is-ipt.pdf")
    assert tuple(round(value) for value in reader.pages[0].mediabox[2:]) == (612, 792)
    text = text_of_pdf(reader)
    assert "Maple Clinic" in text and "911" in text and "988" in text


def pdf_streams(pdf: bytes) -> bytes:
    """Every stream of a PDF, decompressed where it is compressed, joined."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match[1]))
        except zlib.error:
            parts.append(match[1])
    return pdf + b"".join(parts)


@pytest.mark.parametrize("name", HANDOUT_PAGES)
def test_handout_pdf_names_no_file_on_the_build_machine(built: Build, name: str) -> None:
    """Without a site address, links to other pages must not become file:// links."""
    content = pdf_streams((built.site / "handouts" / f"{name}.pdf").read_bytes())
    assert b"file:" not in content
    assert str(built.site).encode() not in content
