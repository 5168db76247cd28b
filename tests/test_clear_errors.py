"""Bad input gets a clear error naming the file and the line to fix: never a traceback, and
never a site folder left behind by a failed build."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from macros.check import review_dates
from macros.check.gate import run_check
from macros.check.project import Level, Project
from macros.check.settings_file import settings_findings
from macros.content.front_matter import MAX_PAGE_CHARACTERS, page_source, parse_front_matter
from macros.errors import SiteError
from macros.text.dates import build_date
from tests.conftest import ROOT, Build, copy_project, run_build

FRONT_MATTER = {
    "title": "A test page",
    "description": "A page used by the tests to check front matter rules.",
    "last_reviewed": "2026-11-01",
    "next_review": "2027-11-01",
    "review_status": "draft",
}


def front_matter(**changes: str) -> str:
    fields = {**FRONT_MATTER, **changes}
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n"


@pytest.mark.parametrize(
    "changes, line, message",
    [
        ({"next_review": "2026-10-01"}, 5, "next_review: value error, next_review must be after"),
        ({"next_review": "2031-01-01"}, 5, "next_review: value error, next_review must be at most"),
        ({"review_status": "clinical-review"}, 6, "review_status: value error, clinical-review"),
        ({"clinical_reviewer": "Dr A, GP"}, 6, "review_status: value error, clinical-review"),
    ],
)
def test_a_rule_between_fields_names_the_field_to_change(
    changes: dict[str, str], line: int, message: str
) -> None:
    with pytest.raises(SiteError) as raised:
        parse_front_matter(front_matter(**changes), "docs/page.md")
    assert str(raised.value).startswith(f"docs/page.md:{line}: {message}")


def page_stand_in(content: bytes) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri="about/faq.md", content_bytes=content))


def test_a_page_that_is_not_utf8_names_the_line() -> None:
    text = front_matter() + "\n# Caf\xe9\n"
    with pytest.raises(SiteError) as raised:
        page_source(page_stand_in(text.encode("cp1252")))
    assert str(raised.value).startswith("docs/about/faq.md:9: is not UTF-8 text")


def test_a_page_too_long_to_build_is_refused() -> None:
    text = front_matter() + "x" * MAX_PAGE_CHARACTERS
    with pytest.raises(SiteError, match=r"^docs/about/faq.md: is too long"):
        page_source(page_stand_in(text.encode()))


def test_a_failed_build_names_the_page_and_leaves_no_site(project: Path) -> None:
    """One build: a page saved in Windows-1252, in a folder that held an earlier site."""
    page = project / "docs" / "about" / "faq.md"
    text = page.read_text(encoding="utf-8").replace("# ", "# Caf\xe9 ", 1)
    line = text[: text.index("Caf\xe9")].count("\n") + 1
    page.write_bytes(text.encode("cp1252"))
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("an earlier build")
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert f"docs/about/faq.md:{line}: is not UTF-8 text" in build.output
    assert "Traceback" not in build.output
    assert not (project / "site").exists()


def test_a_missing_ipt_plugin_stops_the_build_with_a_message(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start, end = text.index("  - ipt:\n"), text.index("  - macros:\n")
    config.write_text(text[:start] + text[end:], encoding="utf-8")
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "mkdocs.yml: the ipt plugin is missing from plugins:" in build.output
    assert "Traceback" not in build.output


def test_the_gate_reports_a_page_it_cannot_read(built: Build, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "docs" / "about" / "faq.md").write_bytes("# Caf\xe9\n".encode("cp1252"))
    checked = Project(root=project, site=built.site, today=build_date())
    findings = run_check(review_dates, checked, lambda message: None)
    assert [finding.level for finding in findings] == [Level.ERROR]
    assert "docs/about/faq.md" in str(findings[0]) and "not UTF-8" in str(findings[0])


def test_the_gate_reads_mkdocs_yml_strictly_before_building(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8") + "\nplugins:\n  - search\n"
    )
    (finding,) = settings_findings(tmp_path)
    assert str(finding).startswith("mkdocs.yml:")
    assert "the key 'plugins' appears twice (lines" in str(finding)
