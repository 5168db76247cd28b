"""The clinic file: validated field by field, escaped everywhere, never able to break out."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from pypdf import PdfReader

from macros.content.clinic import WHITE, contrast_ratio, passing_shade, rgb
from tests.conftest import Build, html_pages, run_build

HOSTILE_NAME = '<script>alert("x")</script> & Sons'


def build_with_clinic(project: Path, text: str) -> Build:
    (project / "clinic.yml").write_text(text)
    return run_build(project, project / "site", IPT_CLINIC="clinic.yml")


def test_markup_in_the_clinic_name_is_shown_as_text(project: Path) -> None:
    build = build_with_clinic(project, f"name: '{HOSTILE_NAME}'\n")
    assert build.returncode == 0, build.output
    for page in html_pages(build.site):
        assert 'alert("x")' not in page.read_text(), page
    handout = build.page("handouts/what-is-ipt/index.html")
    assert html.escape(HOSTILE_NAME) in handout
    pdf = PdfReader(build.site / "handouts" / "what-is-ipt.pdf")
    assert HOSTILE_NAME in " ".join(pdf.pages[0].extract_text().split())


@pytest.mark.parametrize(
    "logo, problem",
    [
        ("../../outside.svg", "logo: '../../outside.svg' is outside the project folder."),
        ("missing.svg", "logo: 'missing.svg' does not exist."),
        ("clinic.yml", "logo: 'clinic.yml' must be a file ending in .svg or .png."),
    ],
)
def test_a_bad_logo_is_explained(project: Path, logo: str, problem: str) -> None:
    (project.parent / "outside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    build = build_with_clinic(project, f"name: Test clinic\nlogo: {logo}\n")
    assert build.returncode != 0
    assert f"clinic.yml:2: {problem}" in build.output
    assert "Traceback" not in build.output


def test_an_invalid_colour_names_the_field_and_suggests_one(project: Path) -> None:
    build = build_with_clinic(project, "accent_colour: reddish\n")
    assert build.returncode != 0
    assert "clinic.yml:1: accent_colour:" in build.output
    assert "must be a hex colour such as '#1d4f73'" in build.output


def test_a_low_contrast_colour_gives_the_ratio_and_a_colour_that_passes(project: Path) -> None:
    build = build_with_clinic(project, "name: Sunny clinic\naccent_colour: '#ffcc00'\n")
    assert build.returncode != 0
    assert "clinic.yml:2: accent_colour: " in build.output
    assert "contrast ratio of 1.51:1 against white" in build.output
    assert "at least 4.5:1 (WCAG AA)" in build.output
    assert f"Use '{passing_shade('#ffcc00')}'" in build.output


def test_the_suggested_shade_passes_and_is_the_colour_itself_if_it_passes() -> None:
    for colour in ("#ffcc00", "#00a0e0", "#ff0000", "#cccccc"):
        shade = passing_shade(colour)
        assert contrast_ratio(rgb(shade), WHITE) >= 4.5
        assert passing_shade(shade) == shade


def test_a_misspelt_field_is_named(project: Path) -> None:
    build = build_with_clinic(project, "name: Test\ncolour: blue\n")
    assert build.returncode != 0
    assert "clinic.yml:2: colour: unknown field." in build.output


def test_a_missing_clinic_file_is_explained(project: Path) -> None:
    build = run_build(project, project / "site", IPT_CLINIC="no-such-clinic.yml")
    assert build.returncode != 0
    assert "no-such-clinic.yml: file not found." in build.output
