"""``make check`` catches each kind of mistake an editor can make, and names the file.

Each scratch project below breaks the real project in one or more ways; the check must
fail (exit 1) and print a report line ``file:line: ERROR: ...`` for each mistake.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from macros.check.browser import chromium_missing, in_ci, java_missing
from tests.conftest import BUILD_EPOCH, ROOT, Build, copy_project

LOW_CONTRAST_RULE = "\n.md-typeset p { color: #b4b4b4 !important; }\n"
GOOGLE_FONT = '@import url("https://fonts.googleapis.com/css2?family=Roboto");\n'
HARD_PARAGRAPH = (
    "\n\nInterpersonal psychotherapeutic methodologies conceptualise psychopathological "
    "manifestations as fundamentally interconnected with contemporaneous relational "
    "disequilibrium, necessitating comprehensive multidimensional evaluation procedures "
    "incorporating developmental considerations alongside sociocultural determinants.\n"
)


@dataclass(frozen=True)
class CheckRun:
    returncode: int
    report: str  # stdout: the report
    log: str  # stderr: progress

    def lines_for(self, file: str) -> list[str]:
        return [line.strip() for line in self.report.splitlines() if line.strip().startswith(file)]


def run_check(project: Path, *arguments: str, **env: str) -> CheckRun:
    result = subprocess.run(
        [sys.executable, "-m", "macros.check", *arguments],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return CheckRun(result.returncode, result.stdout, result.stderr)


def require(missing: str | None) -> None:
    if missing and in_ci():
        pytest.fail(f"{missing} (CI=true: this test must run)")
    if missing:
        pytest.skip(missing)


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def prepend(path: Path, text: str) -> None:
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def line_number(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CheckRun]:
    """One scratch project with a broken anchor, an external font, an invalid HTML attribute,
    an http link, a page above its reading grade and a misspelling; checked once."""
    require(java_missing())
    project = copy_project(tmp_path_factory.mktemp("broken") / "project")
    docs = project / "docs"
    append(docs / "about/faq.md", "\nSee [the word list](glossary.md#no-such-term).\n")
    prepend(docs / "assets/css/ipt.css", GOOGLE_FONT)
    append(docs / "about/history.md", '\n<p><span tabindex="soon">Coming soon</span></p>\n')
    append(docs / "about/history.md", "\nRead [the old page](http://example.org/ipt).\n")
    append(docs / "about/principles.md", HARD_PARAGRAPH * 12)
    append(docs / "about/who-it-helps.md", "\nYou will recieve a letter.\n")
    checks = ["links", "external-links", "privacy", "reading-grade", "spelling", "html"]
    checks.append("translations")  # the English pages above changed after translation
    return project, run_check(project, "--only", *checks)


def test_the_check_fails_with_a_summary(broken: tuple[Path, CheckRun]) -> None:
    _, result = broken
    assert result.returncode == 1, result.report
    assert "check FAILED:" in result.report.splitlines()[-1]


def test_a_broken_anchor_is_reported_at_its_line(broken: tuple[Path, CheckRun]) -> None:
    project, result = broken
    line = line_number(project / "docs/about/faq.md", "#no-such-term")
    assert any(
        report.startswith(f"docs/about/faq.md:{line}: ERROR:") and "no-such-term" in report
        for report in result.lines_for("docs/about/faq.md")
    ), result.report


def test_an_external_font_fails_the_privacy_check(broken: tuple[Path, CheckRun]) -> None:
    _, result = broken
    assert (
        "docs/assets/css/ipt.css:1: ERROR: stylesheet loads https://fonts.googleapis.com"
        in result.report
    ), result.report


def test_an_invalid_html_attribute_is_reported_at_its_line(
    broken: tuple[Path, CheckRun],
) -> None:
    project, result = broken
    line = line_number(project / "docs/about/history.md", 'tabindex="soon"')
    assert any(
        report.startswith(f"docs/about/history.md:{line}: ERROR: invalid HTML")
        and "tabindex" in report
        for report in result.lines_for("docs/about/history.md")
    ), result.report


def test_an_insecure_external_link_is_reported(broken: tuple[Path, CheckRun]) -> None:
    project, result = broken
    line = line_number(project / "docs/about/history.md", "http://example.org/ipt")
    expected = f"docs/about/history.md:{line}: ERROR: external link http://example.org/ipt"
    assert expected in result.report, result.report


def test_a_page_above_its_reading_grade_is_reported(broken: tuple[Path, CheckRun]) -> None:
    _, result = broken
    reports = [r for r in result.lines_for("docs/about/principles.md") if "reads at grade" in r]
    assert reports and "the limit for this page is 8" in reports[0], result.report


def test_a_misspelling_is_reported_with_a_suggestion(broken: tuple[Path, CheckRun]) -> None:
    project, result = broken
    line = line_number(project / "docs/about/who-it-helps.md", "recieve")
    expected = f"docs/about/who-it-helps.md:{line}: ERROR: unknown word 'recieve'"
    reports = result.lines_for("docs/about/who-it-helps.md")
    assert any(r.startswith(expected) and "did you mean 'receive'" in r for r in reports), (
        result.report
    )


def test_a_changed_english_page_reports_its_translation_out_of_date(
    broken: tuple[Path, CheckRun],
) -> None:
    _, result = broken
    lines = result.lines_for("docs/about/faq.es.md:")
    assert any(
        "WARNING: translation out of date: docs/about/faq.md has changed" in line for line in lines
    ), result.report


def test_a_bad_bib_entry_is_an_error_if_cited_and_a_warning_if_not(project: Path) -> None:
    bib = project / "references.bib"
    append(bib, "\n@article{weissman2020,\n  title = {A copy},\n  year = {2020}\n}\n")
    append(bib, "\n@book{never_cited,\n  title = {No year},\n  year = {soon}\n}\n")
    result = run_check(project, "--only", "references")
    first = line_number(bib, "{weissman2020,")
    copy = line_number(bib, "A copy") - 1
    uncited = line_number(bib, "No year") - 1
    assert result.returncode == 1
    assert (
        f"references.bib:{first}: ERROR: entry 'weissman2020': its key is used again on line "
        f"{copy}." in result.report
    ), result.report
    assert f"references.bib:{uncited}: WARNING: entry 'never_cited': year must look like" in (
        result.report
    ), result.report


def test_a_missing_tool_skips_locally_and_fails_under_ci(built: Build, tmp_path: Path) -> None:
    no_tools = {"PATH": str(tmp_path)}  # no java on this PATH
    local = run_check(ROOT, "--only", "html", "--site", str(built.site), CI="", **no_tools)
    ci = run_check(ROOT, "--only", "html", "--site", str(built.site), CI="true", **no_tools)
    assert local.returncode == 0 and "not run: Java not found" in local.report, local.report
    assert "apt-get install default-jre-headless" in local.report
    assert ci.returncode == 1 and "ERROR: not run: Java not found" in ci.report, ci.report


def test_the_real_site_passes_the_static_checks(built: Build) -> None:
    """The site built once for the whole run (the build itself is checked there)."""
    require(java_missing())
    result = run_check(ROOT, "--skip", "accessibility", "--site", str(built.site))
    assert result.returncode == 0, result.report
    assert "check passed:" in result.report


@pytest.mark.browser
def test_a_contrast_violation_is_caught_in_the_browser(built: Build, tmp_path: Path) -> None:
    """A copy of the built site with a low-contrast rule in its stylesheet."""
    require(chromium_missing())
    site = shutil.copytree(built.site, tmp_path / "site")
    append(site / "assets/css/ipt.css", LOW_CONTRAST_RULE)
    result = run_check(
        ROOT, "--only", "accessibility", "--page", "docs/about/faq.md", "--site", str(site)
    )
    assert result.returncode == 1, result.report
    reports = result.lines_for("docs/about/faq.md")
    assert any(
        "color-contrast" in report and "light palette, 1280 px" in report for report in reports
    ), result.report
