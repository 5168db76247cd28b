"""Editors' mistakes in pages and data stop the build with a message that says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import parse_html, run_build, text_of

GOOD_FRONT_MATTER = {
    "title": "A test page",
    "description": "A page used by the tests to check front matter rules.",
    "last_reviewed": "2026-11-01",
    "next_review": "2027-11-01",
    "review_status": "draft",
}


def write_page(project: Path, body: str = "Some text.", **changes: str | None) -> None:
    fields = {**GOOD_FRONT_MATTER, **changes}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    text = "---\n" + "\n".join(lines) + "\n---\n\n# A test page\n\n" + body + "\n"
    (project / "docs" / "test-page.md").write_text(text)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"review_status": "approved"}, "docs/test-page.md:6: review_status: input should be"),
        ({"next_review": None}, "docs/test-page.md:2: next_review: required field is missing"),
        ({"next_review": "2031-01-01"}, "at most 3 years after last_reviewed"),
        ({"review_status": "clinical-review"}, "clinical-review needs clinical_reviewer"),
        ({"title": '"<script>alert(1)</script>"'}, "docs/test-page.md:2: title: "),
        ({"colour": "red"}, "docs/test-page.md:7: colour: unknown field"),
    ],
)
def test_bad_front_matter_is_reported_with_file_line_and_field(
    project: Path, changes: dict[str, str | None], expected: str
) -> None:
    write_page(project, **changes)
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert expected in build.output
    assert "Traceback" not in build.output


def test_page_without_front_matter_is_refused(project: Path) -> None:
    (project / "docs" / "test-page.md").write_text("# No front matter\n")
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "docs/test-page.md:1: has no front matter" in build.output


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<script>alert(1)</script>", "docs/test-page.md:11: the HTML element <script>"),
        ('<a href="javascript:alert(1)">x</a>', "uses a scheme that is not allowed"),
        ('<img src="x.png" onerror="alert(1)" alt="">', "the HTML attribute onerror="),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", "uses a scheme that is not allowed"),
        ('<p style="color:red">red</p>', "the HTML attribute style="),
    ],
)
def test_unsafe_raw_html_in_a_page_fails_the_build(project: Path, body: str, expected: str) -> None:
    write_page(project, body)
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert expected in build.output


def test_overdue_page_shows_a_visible_notice(project: Path) -> None:
    write_page(project, last_reviewed="2023-01-01", next_review="2025-01-01")
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    info = parse_html(build.page("test-page/index.html")).find(".//div[@class='ipt-page-info']")
    assert "This page is overdue for review." in text_of(info)
    assert "1 January 2025" in text_of(info)


def test_bad_crisis_data_names_the_file_and_key(project: Path) -> None:
    crisis = project / "data" / "crisis" / "uk.yml"
    lines = crisis.read_text().splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text == "emergency:")
    crisis.write_text(crisis.read_text().replace('value: "999"', 'value: "call nine"'))
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert f"data/crisis/uk.yml:{line}: emergency: " in build.output
    assert "must be a phone number" in build.output


def test_unknown_country_is_explained(project: Path) -> None:
    (project / "clinic.yml").write_text("country: xx\n")
    build = run_build(project, project / "site", IPT_CLINIC="clinic.yml")
    assert build.returncode != 0
    assert "clinic.yml:1: country: there are no crisis lines for 'xx'." in build.output
    assert "Use one of: au, ca, es, ie, nz, uk, us" in build.output
