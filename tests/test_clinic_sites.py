"""Clinics as a clinic sees them: the documented steps, run exactly as written, then a clinic
the project has never seen, built with ``make clinics``.

The steps come from README.md (the For clinics page must show the same block), so the test
cannot drift from the documentation. Both run in a scratch copy of the project with the
project's own Makefile and virtualenv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from macros.check.accessibility import visit_all
from macros.check.browser import serve
from macros.check.project import SourcePage
from macros.content.crisis import load_crisis_lines
from tests.conftest import BUILD_EPOCH, ROOT, Build, copy_project, parse_html, text_of
from tests.test_handouts import (
    HANDOUT_PAGES,
    PRINTS,
    QR_CODE,
    UK_NUMBERS,
    WORKSHEETS,
    alternative_texts,
    first_page_text,
    handout_pdf,
    text_of_pdf,
)

#: What make needs besides the sources: the Makefile and the files `make install` checks.
MAKE_ITEMS = ("Makefile", "pyproject.toml", "requirements.lock")
SAMPLE_NAME = "Riverside Wellbeing Clinic"
UNSEEN_NAME = "Harbour Lights Family Practice"
UNSEEN_REPO = "https://git.harbour-lights.example/ipt-site"
UNSEEN_CLINIC = f"""\
name: {UNSEEN_NAME}
logo: harbour/logo.png
address: [20 Quay Road, Harbourtown ON K0K 1A0]
phone: "+1 613-555-0199"
email: ipt@harbour-lights.example
accent_colour: "#6a1b9a"
country: ca
paper_size: Letter
getting_ipt_here: harbour/getting-ipt-here.md
home_note: Harbour Lights offers IPT to families in Harbourtown.
repo_url: {UNSEEN_REPO}
edit_uri: src/branch/main/docs/
"""
UNSEEN_PAGE = """\
---
title: Getting IPT at Harbour Lights
description: How to be referred for IPT at Harbour Lights, how long it takes and what it costs.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

# Getting IPT at Harbour Lights

Ask your family doctor to refer you, or call us. Most people wait about a month. IPT here
is covered by the provincial health plan.
"""
#: What a Canadian handout's crisis box says: the emergency number and the banner's lines.
CA_CRISIS = load_crisis_lines(ROOT / "data", "ca")
CA_LABELS = [
    CA_CRISIS.emergency.label,
    *(contact.label for service in CA_CRISIS.banner(None) for contact in service.contacts),
]
ALL_PDFS = sorted(f"{page}{suffix}.pdf" for page in HANDOUT_PAGES for suffix in PRINTS)


def documented_steps(text: str) -> str:
    """The shell block of the self-hosting steps in a document."""
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    steps = [block for block in blocks if "cp -r examples/clinics" in block]
    assert len(steps) == 1, "the steps to build the sample clinic are missing"
    return steps[0]


def readme_steps() -> str:
    return documented_steps((ROOT / "README.md").read_text(encoding="utf-8"))


def run(command: str, project: Path) -> str:
    """A documented shell command, run in ``project`` as a clinic would run it."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    return output


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the project after running the documented steps, and what they printed."""
    project = copy_project(tmp_path_factory.mktemp("documented") / "project")
    for item in MAKE_ITEMS:
        shutil.copy2(ROOT / item, project / item)
    (project / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    up_to_date = subprocess.run(["make", "-q", "install"], cwd=project, check=False)
    assert up_to_date.returncode == 0, "run make install first: the virtualenv is out of date"
    return project, run(readme_steps(), project)


@pytest.fixture(scope="module")
def unseen(documented: tuple[Path, str]) -> tuple[Path, str]:
    """The same project with a second clinic the project has never seen, then
    ``make clinics`` again: the unseen clinic is built first, the sample second."""
    project, _ = documented
    folder = project / "clinics" / "harbour"
    folder.mkdir()
    Image.new("RGB", (96, 64), "#6a1b9a").save(folder / "logo.png")
    (folder / "getting-ipt-here.md").write_text(UNSEEN_PAGE)
    (project / "clinics" / "harbour.yml").write_text(UNSEEN_CLINIC)
    return project / "clinic-sites" / "harbour", run("make clinics", project)


def test_readme_and_the_for_clinics_page_give_the_same_steps() -> None:
    page = (ROOT / "docs" / "clinics" / "index.md").read_text(encoding="utf-8")
    assert documented_steps(page) == readme_steps()


def test_the_documented_steps_make_a_branded_handout(documented: tuple[Path, str]) -> None:
    project, _ = documented
    reader = PdfReader(project / "site" / "handouts" / "what-is-ipt.pdf")
    assert first_page_text(reader).startswith(f"{SAMPLE_NAME} 1 Example Street")
    figures = alternative_texts(reader.trailer["/Root"]["/StructTreeRoot"])
    assert figures[0] == f"{SAMPLE_NAME} logo"


def branded_handouts(
    site: Path, suffix: str, clinic: str, crisis_lines: Iterable[str]
) -> Iterator[tuple[str, PdfReader]]:
    """Each handout PDF of a clinic's site, once its page 1 is seen to show the clinic's
    name and its crisis lines."""
    for name in HANDOUT_PAGES:
        reader = handout_pdf(site, name, suffix)
        first_page = first_page_text(reader)
        assert clinic in first_page, f"{name}{suffix}.pdf page 1 lacks {clinic}"
        for line in crisis_lines:
            assert line in first_page, f"{name}{suffix}.pdf page 1 lacks {line}"
        yield name, reader


@pytest.mark.parametrize("suffix", PRINTS)
def test_every_sample_handout_has_its_branding_local_line_and_qr_code(
    documented: tuple[Path, str], suffix: str
) -> None:
    project, _ = documented
    lines = (*UK_NUMBERS, "0118 496 0999")
    for name, reader in branded_handouts(project / "site", suffix, SAMPLE_NAME, lines):
        online = f"Check the latest version online: ipt.riverside-clinic.example/handouts/{name}/"
        # The address may break across lines after a slash.
        assert online in re.sub(r"/\s+", "/", text_of_pdf(reader).replace("\u200b", ""))
        figures = alternative_texts(reader.trailer["/Root"]["/StructTreeRoot"])
        assert figures[0] == f"{SAMPLE_NAME} logo" and figures[-1] == QR_CODE
        assert bool(reader.get_fields()) == (name in WORKSHEETS)


def test_a_clinic_cannot_change_the_clinical_text(
    documented: tuple[Path, str], built: Build
) -> None:
    """The fingerprint of the text each PDF was made from is the same with and without
    the sample clinic's branding."""
    project, _ = documented
    for name in HANDOUT_PAGES:
        for suffix in PRINTS:
            branded = handout_pdf(project / "site", name, suffix).metadata["/Keywords"]
            assert branded == handout_pdf(built.site, name, suffix).metadata["/Keywords"]


def test_the_sample_local_line_is_in_every_page_crisis_panel(
    documented: tuple[Path, str],
) -> None:
    project, _ = documented
    home = parse_html((project / "site" / "index.html").read_text())
    panel = home.find(".//div[@class='ipt-crisis']")
    assert "tel:01184960999" in {a.get("href") for a in panel.iter("a")}


def test_make_clinics_builds_each_clinic_into_its_site_and_pack(
    documented: tuple[Path, str], unseen: tuple[Path, str]
) -> None:
    project, _ = documented
    output = unseen[1]
    for number, name in enumerate(("harbour", "riverside"), start=1):
        assert f"[{number}/2] clinics/{name}.yml: site built in" in output
        assert f"[{number}/2] clinics/{name}.yml: done in" in output
        assert (project / "clinic-sites" / name / "index.html").is_file()
        with zipfile.ZipFile(project / "clinic-sites" / f"{name}-handouts.zip") as pack:
            assert sorted(pack.namelist()) == ALL_PDFS
    assert "2 of 2 clinic sites built" in output
    assert not list((project / "clinic-sites").glob(".*.partial"))


def test_a_site_from_make_clinics_equals_the_same_clinics_single_build(
    documented: tuple[Path, str], unseen: tuple[Path, str]
) -> None:
    """The sample was built second, from pages the unseen clinic's build converted."""
    project, _ = documented
    single, many = project / "site", project / "clinic-sites" / "riverside"
    files = sorted(path.relative_to(single) for path in single.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(many) for path in many.rglob("*") if path.is_file())
    for path in files:
        assert (single / path).read_bytes() == (many / path).read_bytes(), path


def test_the_unseen_clinic_brands_the_header_links_nav_and_footer(
    unseen: tuple[Path, str],
) -> None:
    site, _ = unseen
    page = parse_html((site / "about" / "index.html").read_text())
    header = page.find(".//header")
    assert text_of(header.find(".//div[@class='md-header__topic']")) == UNSEEN_NAME
    logo = header.find(".//a[@data-md-component='logo']/img")
    assert (site / "about" / logo.get("src")).resolve() == (site / "assets/clinic/logo.png")
    icon = next(link for link in page.iter("link") if link.get("rel") == "icon")
    assert icon.get("href").endswith("assets/clinic/logo.png")
    assert page.find(".//a[@class='md-source']").get("href") == UNSEEN_REPO
    edit = page.find(".//a[@rel='edit']").get("href")
    assert edit == f"{UNSEEN_REPO}/src/branch/main/docs/about/index.md"
    nav = {
        text_of(link): link.get("href")
        for link in page.iter("a")
        if "md-nav__link" in (link.get("class") or "")
    }
    assert nav["Getting IPT at Harbour Lights"] == "../getting-ipt-here/"
    footer = page.find(".//aside[@class='ipt-clinic-footer']")
    assert {a.get("href") for a in footer.iter("a")} >= {
        "tel:+16135550199",
        "mailto:ipt@harbour-lights.example",
    }
    own = parse_html((site / "getting-ipt-here" / "index.html").read_text())
    assert own.find(".//a[@rel='edit']") is None  # the clinic's page is not in the repository
    home = parse_html((site / "index.html").read_text())
    note = home.find(".//div[@class='ipt-clinic-note']")
    assert "Harbour Lights offers IPT to families" in text_of(note)
    assert note.find(".//a").get("href") == "getting-ipt-here/"
    assert "#6a1b9a" in (site / "assets" / "clinic" / "theme.css").read_text()


def test_without_repository_settings_there_are_no_repository_or_edit_links(
    documented: tuple[Path, str],
) -> None:
    project, _ = documented
    for site in (project / "site", project / "clinic-sites" / "riverside"):
        page = parse_html((site / "about" / "index.html").read_text())
        assert page.find(".//a[@class='md-source']") is None
        assert page.find(".//a[@rel='edit']") is None


@pytest.mark.parametrize("suffix", PRINTS)
def test_every_unseen_clinic_handout_has_its_name_and_crisis_numbers_on_page_1(
    unseen: tuple[Path, str], suffix: str
) -> None:
    site, _ = unseen
    for _, reader in branded_handouts(site, suffix, UNSEEN_NAME, CA_LABELS):
        assert tuple(round(value) for value in reader.pages[0].mediabox[2:]) == (612, 792)
        text = text_of_pdf(reader)
        assert f"For the latest version, ask {UNSEEN_NAME}: 20 Quay Road" in text
        assert "Check the latest version online" not in text


@pytest.mark.browser
def test_the_unseen_clinic_site_passes_axe_in_both_palettes(
    browser: Any, unseen: tuple[Path, str]
) -> None:
    """The generated theme colours, the footer and the note, in Chromium under the CSP."""
    site, _ = unseen
    pages = [
        SourcePage(f"{url or 'home'}", site / "index.md", site / url / "index.html", url)
        for url in ("", "getting-ipt-here/", "handouts/mood-diary/")
    ]
    with serve(site) as base_url:
        problems = [str(problem) for problem in visit_all(browser, base_url, pages)]
    assert not problems, "\n".join(problems)
