"""The clinic file: validated field by field, escaped everywhere, never able to break out.

Most checks call load_clinic directly; one build per kind of mistake shows that mkdocs
reports it as a message and a non-zero exit, without a traceback.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from pypdf import PdfReader

from macros.content.clinic import (
    MAX_IMAGE_BYTES,
    PNG_SIGNATURE,
    WHITE,
    Clinic,
    ClinicConfig,
    contrast_ratio,
    load_clinic,
    passing_shade,
    rgb,
)
from macros.errors import SiteError
from macros.plugin.branding import SLATE_SURFACE, theme_palettes
from tests.conftest import ROOT, Build, html_pages, run_build

HOSTILE_NAME = '<script>alert("x")</script> & Sons'
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'


def build_with_clinic(project: Path, text: str) -> Build:
    (project / "clinic.yml").write_text(text)
    return run_build(project, project / "site", IPT_CLINIC="clinic.yml")


def load(project: Path, text: str, setting: str = "clinic.yml") -> Clinic:
    """The clinic file ``text``, written at ``setting`` under ``project``, loaded."""
    path = project / setting
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return load_clinic(setting, project, ROOT / "data")


def problem(project: Path, text: str, setting: str = "clinic.yml") -> str:
    with pytest.raises(SiteError) as error:
        load(project, text, setting)
    return str(error.value)


def test_markup_in_the_clinic_name_is_shown_as_text(project: Path) -> None:
    build = build_with_clinic(project, f"name: '{HOSTILE_NAME}'\n")
    assert build.returncode == 0, build.output
    for page in html_pages(build.site):
        assert 'alert("x")' not in page.read_text(), page
    home = build.page("index.html")
    assert f"<title>Understanding IPT - {html.escape(HOSTILE_NAME)}</title>" in home
    handout = build.page("handouts/what-is-ipt/index.html")
    assert html.escape(HOSTILE_NAME) in handout
    pdf = PdfReader(build.site / "handouts" / "what-is-ipt.pdf")
    assert HOSTILE_NAME in " ".join(pdf.pages[0].extract_text().split())
    # the clinic's name wins over the site's Spanish name, on Spanish pages and handouts
    spanish = build.page("es/index.html")
    assert f"<title>Entender la TIP - {html.escape(HOSTILE_NAME)}</title>" in spanish
    pdf = PdfReader(build.site / "es" / "handouts" / "what-is-ipt.pdf")
    assert HOSTILE_NAME in " ".join(pdf.pages[0].extract_text().split())


def test_without_a_name_the_clinic_carries_the_sites_name_in_the_language(
    tmp_path: Path,
) -> None:
    (tmp_path / "clinic.yml").write_text("country: uk\n")
    unnamed = load_clinic("clinic.yml", tmp_path, ROOT / "data", "es", "Entender la TIP")
    assert unnamed.config.name == "Entender la TIP" and not unnamed.named
    (tmp_path / "clinic.yml").write_text("name: Riverside\n")
    named = load_clinic("clinic.yml", tmp_path, ROOT / "data", "es", "Entender la TIP")
    assert named.config.name == "Riverside" and named.named


@pytest.mark.parametrize(
    "written, dialled",
    [
        ("(503) 555-0199", "tel:5035550199"),
        ("+1 503-555-0199", "tel:+15035550199"),
        ("0118 496 0000", "tel:01184960000"),
        ("1800 123 456", "tel:1800123456"),
        ("+44 118.496.0000", "tel:+441184960000"),
        ("+44 (0)118 496 0000", "tel:+441184960000"),
        ("+353 (0) 1 555 0199", "tel:+35315550199"),
    ],
)
def test_phone_numbers_as_people_write_them_become_tel_links(written: str, dialled: str) -> None:
    clinic = ClinicConfig(phone=written)
    assert clinic.phone == written and clinic.phone_href == dialled


def test_a_phone_that_is_not_a_number_names_the_field(tmp_path: Path) -> None:
    message = problem(tmp_path, "name: Test\nphone: call reception\n")
    assert message.startswith("clinic.yml:2: phone: value error, must be a phone number")
    assert "'(503) 555-0199'" in message


def test_files_are_found_next_to_the_clinic_file_wherever_it_is(tmp_path: Path) -> None:
    (tmp_path / "clinics" / "north").mkdir(parents=True)
    (tmp_path / "clinics" / "north" / "logo.svg").write_text(SVG.format(""))
    (tmp_path / "clinics" / "north" / "page.md").write_text("# Page\n")
    clinic = load(
        tmp_path,
        "logo: north/logo.svg\ngetting_ipt_here: north/page.md\n",
        "clinics/north.yml",
    )
    assert clinic.logo_path == tmp_path / "clinics" / "north" / "logo.svg"
    assert clinic.favicon_path is None and clinic.page_source == "clinics/north/page.md"


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("logo", "../../outside.svg", "logo: '../../outside.svg' is outside the project folder."),
        ("logo", "missing.svg", "logo: 'missing.svg' does not exist."),
        ("favicon", "clinic.yml", "favicon: 'clinic.yml' must be a file ending in .svg or .png."),
        ("getting_ipt_here", "../outside.md", "getting_ipt_here: '../outside.md' is outside"),
        (
            "getting_ipt_here",
            "page.txt",
            "getting_ipt_here: 'page.txt' must be a file ending in .md",
        ),
    ],
)
def test_a_bad_file_is_explained(tmp_path: Path, field: str, value: str, expected: str) -> None:
    project = tmp_path / "a" / "project"
    project.mkdir(parents=True)
    (tmp_path / "a" / "outside.md").write_text("# Not ours\n")
    (tmp_path / "outside.svg").write_text(SVG.format(""))
    assert problem(project, f"name: Test\n{field}: {value}\n").startswith(
        f"clinic.yml:2: {expected}"
    )


def test_a_logo_over_2_mb_is_refused_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(PNG_SIGNATURE + b"\0" * MAX_IMAGE_BYTES)
    message = problem(tmp_path, "name: Test\nlogo: logo.png\n")
    assert message.startswith("clinic.yml:2: logo: 'logo.png' is 2.0 MB; the limit is 2 MB.")


@pytest.mark.parametrize(
    "content, expected",
    [
        (SVG.format("<script>alert(1)</script>"), "contains a <script> element"),
        (SVG.format('<rect onclick="alert(1)"/>'), "has an event handler (onclick=)"),
        (SVG.format('<image href="https://tracker.example/x.png"/>'), "links to another file"),
        (SVG.format("<style>@import url(x.css);</style>"), "has a style that loads another file"),
        ("<html><body>not a logo</body></html>", "is not an SVG image"),
        ("<svg", "is not a valid SVG file"),
    ],
)
def test_an_svg_logo_that_runs_or_loads_something_is_refused(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "logo.svg").write_text(content)
    message = problem(tmp_path, "logo: logo.svg\n")
    assert message.startswith(f"clinic.yml:1: logo: 'logo.svg' {expected}"), message


def test_a_png_logo_must_be_a_png(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("GIF89a")
    assert "logo: 'logo.png' is not a PNG image" in problem(tmp_path, "logo: logo.png\n")


def test_a_clinic_file_outside_the_project_is_refused_unread(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    secret = tmp_path / "secret.yml"
    secret.write_text("name: SECRET-TOKEN-4711\nsurprise: [1, 2]\n")
    (project / "link.yml").symlink_to(secret)
    for setting in ("../secret.yml", str(secret), "link.yml"):
        with pytest.raises(SiteError) as error:
            load_clinic(setting, project, ROOT / "data")
        assert "is outside the project folder, so it was not read" in str(error.value)
        assert "SECRET-TOKEN" not in str(error.value)


def test_an_outside_clinic_file_stops_the_build_without_showing_it(project: Path) -> None:
    (project.parent / "secret.yml").write_text("name: SECRET-TOKEN-4711\ncolour: [1]\n")
    build = run_build(project, project / "site", IPT_CLINIC="../secret.yml")
    assert build.returncode != 0
    assert "../secret.yml: the clinic file is outside the project folder" in build.output
    assert "SECRET-TOKEN" not in build.output and "Traceback" not in build.output


def test_an_invalid_colour_names_the_field_and_suggests_one(project: Path) -> None:
    build = build_with_clinic(project, "name: Sunny clinic\naccent_colour: '#ffcc00'\n")
    assert build.returncode != 0
    assert "clinic.yml:2: accent_colour: " in build.output
    assert "contrast ratio of 1.51:1 against white" in build.output
    assert "at least 4.5:1 (WCAG AA)" in build.output
    assert f"Use '{passing_shade('#ffcc00')}'" in build.output
    assert "Traceback" not in build.output


def test_a_colour_that_is_not_hex_is_explained(tmp_path: Path) -> None:
    message = problem(tmp_path, "accent_colour: reddish\n")
    assert message.startswith("clinic.yml:1: accent_colour:")
    assert "must be a hex colour such as '#1d4f73'" in message


def test_the_suggested_shade_passes_and_is_the_colour_itself_if_it_passes() -> None:
    for colour in ("#ffcc00", "#00a0e0", "#ff0000", "#cccccc"):
        shade = passing_shade(colour)
        assert contrast_ratio(rgb(shade), WHITE) >= 4.5
        assert passing_shade(shade) == shade


#: Accent colours that pass on white, from the darkest to the palest that passes.
ACCENTS = ("#000000", "#0b5563", "#1d4f73", "#6a1b9a", "#8a3b00", "#767676", "#2e5e1e", "#c0004e")


@pytest.mark.parametrize("accent", ACCENTS)
def test_the_theme_colours_have_aa_contrast_in_both_palettes(accent: str) -> None:
    palettes = theme_palettes(accent)
    for scheme in ("default", "slate"):
        header = rgb(palettes[scheme]["--md-primary-fg-color"])
        assert contrast_ratio(WHITE, header) >= 4.5, f"{scheme}: white header text"
    links = rgb(palettes["default"]["--md-typeset-a-color"])
    assert contrast_ratio(links, WHITE) >= 4.5
    dark_links = rgb(palettes["slate"]["--md-typeset-a-color"])
    assert contrast_ratio(dark_links, rgb(SLATE_SURFACE)) >= 4.5


@pytest.mark.parametrize(
    "field, value",
    [("repo_url", "javascript:alert(1)"), ("edit_uri", "javascript:alert(1)")],
)
def test_repository_links_are_web_addresses_only(tmp_path: Path, field: str, value: str) -> None:
    others = "" if field == "repo_url" else "repo_url: https://git.example/ipt\n"
    message = problem(tmp_path, f"{others}{field}: '{value}'\n")
    assert f": {field}: value error, must be" in message


CLINIC_PAGE = """---
title: Getting IPT here
description: How to get IPT at the North clinic, how long it takes and what it costs.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

# Getting IPT here

Ask your doctor to refer you.

{{ "".__class__.__mro__ }}
"""


def test_the_clinic_page_runs_in_the_page_sandbox_and_errors_name_it(project: Path) -> None:
    (project / "clinics" / "north").mkdir(parents=True)
    (project / "clinics" / "north" / "page.md").write_text(CLINIC_PAGE)
    (project / "clinics" / "north.yml").write_text("getting_ipt_here: north/page.md\n")
    build = run_build(project, project / "site", IPT_CLINIC="clinics/north.yml")
    assert build.returncode != 0
    assert "clinics/north/page.md:13: this page uses template code that is not allowed" in (
        build.output
    )
    assert "Traceback" not in build.output


def test_a_misspelt_field_is_named(project: Path) -> None:
    build = build_with_clinic(project, "name: Test\ncolour: blue\n")
    assert build.returncode != 0
    assert "clinic.yml:2: colour: unknown field." in build.output


def test_a_missing_clinic_file_is_explained(project: Path) -> None:
    build = run_build(project, project / "site", IPT_CLINIC="no-such-clinic.yml")
    assert build.returncode != 0
    assert "no-such-clinic.yml: file not found." in build.output
