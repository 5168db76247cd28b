"""``make check`` lists, apart, the changes a maintainer must review: code, templates, CI and
site-wide settings. Content changes pass without it. Each test makes a git repository in a
temporary folder: a first commit on main, then a branch with a second commit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from macros.check.review import main as review_main
from tests.conftest import BUILD_EPOCH, ROOT, Build, copy_project

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
}
HOOK = "hooks:\n  - hooks/helper.py\n"


def git(repository: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-C", str(repository), *arguments],
        env={**os.environ, **GIT_IDENTITY},
        check=True,
        capture_output=True,
    )


def commit_all(repository: Path, message: str) -> None:
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


def start_branch(repository: Path) -> None:
    """main holds the first commit; the work happens on a branch."""
    git(repository, "init", "-q", "-b", "main")
    commit_all(repository, "base")
    git(repository, "checkout", "-q", "-b", "pull-request")


def add_hook_and_override(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + HOOK, encoding="utf-8")
    (project / "hooks").mkdir()
    (project / "hooks" / "helper.py").write_text("import os\n")
    (project / "docs" / "overrides" / "partials" / "banner.html").write_text("<p>Hi</p>\n")


@pytest.fixture
def small_repository(tmp_path: Path) -> Path:
    """Just enough of a project for the review: its settings and a page."""
    repository = tmp_path / "repository"
    (repository / "docs").mkdir(parents=True)
    (repository / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (repository / "docs" / "index.md").write_text("# Home\n")
    start_branch(repository)
    return repository


def test_make_check_lists_a_hook_and_a_theme_override_for_review(
    built: Build, tmp_path: Path
) -> None:
    """The gate itself (on the real project, checking an already built site)."""
    project = copy_project(tmp_path / "project")
    (project / ".gitignore").write_text((ROOT / ".gitignore").read_text())
    start_branch(project)
    add_hook_and_override(project)
    commit_all(project, "a helpful hook")
    result = subprocess.run(
        [sys.executable, "-m", "macros.check", "--only", "references", "--site", str(built.site)],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH},
        capture_output=True,
        text=True,
        check=False,
    )
    section = result.stdout.partition("Needs maintainer review (3)")[2]
    assert "compared: changes since main" in section, result.stdout
    assert "  mkdocs.yml (hooks): runs Python files at build time" in section
    assert "  docs/overrides/partials/banner.html: a theme template" in section
    assert "  hooks/helper.py: Python code" in section


def test_content_changes_need_no_review(
    small_repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (small_repository / "docs" / "index.md").write_text("# Home\n\nNew words.\n")
    (small_repository / "docs" / "new-page.md").write_text("# New\n")
    commit_all(small_repository, "words")
    assert review_main(["--project", str(small_repository)]) == 0
    assert capsys.readouterr().out.startswith("Needs maintainer review: nothing")


def test_each_changed_setting_is_named_with_its_reason(
    small_repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = small_repository / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  custom_dir: docs/overrides\n", "  custom_dir: docs/theme\n")
    text = text.replace("extra_javascript:\n", "extra_javascript:\n  - x.js\n")
    config.write_text(text + HOOK, encoding="utf-8")
    (small_repository / "docs" / "assets" / "js").mkdir(parents=True)
    (small_repository / "docs" / "assets" / "js" / "ipt.js").write_text("alert(1)\n")
    (small_repository / ".github").mkdir()
    (small_repository / ".github" / "extra.yml").write_text("on: push\n")
    # Not committed: the working tree counts too, and untracked files.
    assert review_main(["--project", str(small_repository)]) == 1
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines == [
        "  .github/extra.yml: GitHub configuration: workflows run with the repository's rights",
        "  docs/assets/js/ipt.js: a script that runs on every page",
        "  mkdocs.yml (extra_javascript): adds scripts to every page",
        "  mkdocs.yml (hooks): runs Python files at build time, outside the sandbox",
        "  mkdocs.yml (theme): the theme and theme.custom_dir: templates that shape every page",
    ]


def test_a_list_of_changed_files_can_be_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = tmp_path / "changed.txt"
    listed.write_text("docs/about/faq.md\nMakefile\nrequirements.lock\n")
    assert review_main(["--project", str(tmp_path), "--changed-files", str(listed)]) == 1
    output = capsys.readouterr().out
    assert "the 3 file(s) listed in" in output
    assert "  Makefile: the commands editors and CI run" in output
    assert "faq.md" not in output


def test_without_git_the_section_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert review_main(["--project", str(tmp_path)]) == 0
    assert "no git repository or no main branch" in capsys.readouterr().out


def test_ci_can_run_the_base_branchs_copy_of_the_script_alone(
    small_repository: Path, tmp_path: Path
) -> None:
    """The workflow runs review.py as a lone file, with Python's standard library only."""
    script = tmp_path / "review.py"
    script.write_text((ROOT / "macros" / "check" / "review.py").read_text(encoding="utf-8"))
    (small_repository / "Makefile").write_text("all:\n")
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(script), "--project", ".", "--base", "main"],
        cwd=small_repository,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "  Makefile: the commands editors and CI run" in result.stdout
