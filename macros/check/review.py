"""Changes a maintainer must read before merging: what runs code or shapes every page.

``make check`` judges content: pages, data, references and images. It cannot judge a change
to the code that builds the site (Python, mkdocs hooks and plugins, theme templates, CI,
the dependencies) or to what every page loads (scripts, styles): such a change could do
anything on the build machine or in readers' browsers and still pass every check. So the
gate compares the branch with the base branch (``git merge-base`` with ``origin/main``, else
``main``) or takes a list of changed files (``--changed-files``), and lists those changes in
a section of their own. ``python -m macros.check.review`` prints only that section and
exits with 1 when it is not empty (the editors' CI workflow runs it as a job of its own).
"""

from __future__ import annotations

import argparse
import fnmatch
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Path patterns (``*`` also matches ``/``) and why a change there needs a maintainer.
REVIEWED_PATHS: tuple[tuple[str, str], ...] = (
    ("docs/overrides/*", "a theme template: it shapes every page and runs at build time"),
    ("docs/assets/js/*", "a script that runs on every page"),
    ("docs/assets/css/*", "a stylesheet for every page"),
    ("macros/*", "the site's Python code: it runs at build time"),
    ("*.py", "Python code: it runs at build time or in CI"),
    ("*.sh", "a shell script"),
    (".ci/*", "the CI script: it runs with the CI machine's rights"),
    (".github/*", "GitHub configuration: workflows run with the repository's rights"),
    ("Makefile", "the commands editors and CI run"),
    ("pyproject.toml", "the dependencies and tool settings"),
    ("requirements.lock", "the exact dependencies installed everywhere"),
)
#: Settings in mkdocs.yml, and why a change to each needs a maintainer.
REVIEWED_SETTINGS: dict[str, str] = {
    "hooks": "runs Python files at build time, outside the sandbox",
    "plugins": "adds, removes or configures build plugins (code, and the page sandbox)",
    "extra_javascript": "adds scripts to every page",
    "extra_css": "adds styles to every page",
    "extra_templates": "renders templates outside the sandbox",
    "theme": "the theme and theme.custom_dir: templates that shape every page",
    "markdown_extensions": "how every page's Markdown becomes HTML (extensions are code)",
    "docs_dir": "which folder is published",
    "site_dir": "where the build writes",
    "copyright": "HTML in every page's footer",
}
OTHER_SETTING = "a site-wide setting"
MKDOCS_YML = "mkdocs.yml"
BASE_BRANCHES = ("origin/main", "main")


@dataclass(frozen=True)
class ReviewItem:
    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True)
class Changes:
    """The files a branch changes, and what they were compared with (for the report)."""

    files: tuple[str, ...]
    base: str | None  # the commit compared with, if git found one
    described: str


def git(root: Path, *arguments: str) -> str | None:
    """A git command's output, or None when git or the repository is not there."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *arguments],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def changed_files(root: Path, listed: Path | None = None, base: str | None = None) -> Changes:
    """What the branch changes: the files listed in ``listed``, else git's answer, compared
    with ``base`` (a branch or commit) or with the first of :data:`BASE_BRANCHES` found."""
    if listed is not None:
        text = sys.stdin.read() if str(listed) == "-" else listed.read_text(encoding="utf-8")
        files = tuple(line.strip() for line in text.splitlines() if line.strip())
        return Changes(files, None, f"the {len(files)} file(s) listed in {listed}")
    for branch in (base,) if base else BASE_BRANCHES:
        base = git(root, "merge-base", "HEAD", branch)
        if base:
            commit = base.strip()
            tracked = git(root, "diff", "--name-only", "--relative", "--no-ext-diff", commit)
            tracked = tracked or ""
            untracked = git(root, "ls-files", "--others", "--exclude-standard") or ""
            files = tuple(sorted(set((tracked + untracked).split())))
            return Changes(files, commit, f"changes since {branch} (at {commit[:10]})")
    return Changes((), None, "nothing: no git repository or no main branch to compare with")


def needs_review(root: Path, changes: Changes) -> list[ReviewItem]:
    """Every changed file (and mkdocs.yml setting) that a maintainer must read."""
    items = []
    for file in changes.files:
        if file == MKDOCS_YML:
            items += mkdocs_yml_items(root, changes.base)
            continue
        reason = next(
            (why for pattern, why in REVIEWED_PATHS if fnmatch.fnmatchcase(file, pattern)), None
        )
        if reason:
            items.append(ReviewItem(file, reason))
    return items


def mkdocs_yml_items(root: Path, base: str | None) -> list[ReviewItem]:
    """Which settings of mkdocs.yml changed, each with why it matters."""
    before_text = git(root, "show", f"{base}:{MKDOCS_YML}") if base else None
    if before_text is None or not (root / MKDOCS_YML).is_file():
        return [ReviewItem(MKDOCS_YML, "the site's configuration changed")]
    now = _settings((root / MKDOCS_YML).read_text(encoding="utf-8"))
    before = _settings(before_text)
    items = []
    for name in sorted(set(now) | set(before)):
        if now.get(name) != before.get(name):
            reason = REVIEWED_SETTINGS.get(name, OTHER_SETTING)
            items.append(ReviewItem(f"{MKDOCS_YML} ({name})", reason))
    return items


def _settings(text: str) -> dict[str, str]:
    """mkdocs.yml's top-level settings, each as the text of its block.

    Compared as text, not parsed: any change inside a block counts (the safe side), and the
    script needs nothing but Python, so CI can run the base branch's copy of it as it is.
    """
    settings: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        top_level = _TOP_LEVEL_KEY.match(line)
        if top_level:
            current = top_level[1]
            settings[current] = line[top_level.end() :].strip()
        elif current and line.strip() and not line.startswith("#"):
            settings[current] += "\n" + line.rstrip()
    return settings


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def review_section(items: list[ReviewItem], changes: Changes) -> str:
    """The report's own section, or a line saying nothing needs a maintainer."""
    if not items:
        return f"\nNeeds maintainer review: nothing (compared: {changes.described})."
    lines = [
        f"\nNeeds maintainer review ({len(items)}): these changes run code or shape every "
        f"page, so no check can judge them (compared: {changes.described})."
    ]
    lines += [f"  {item}" for item in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.check.review", description=__doc__)
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument(
        "--changed-files", type=Path, help="a file listing the changed paths ('-': stdin)"
    )
    parser.add_argument("--base", help="the branch or commit to compare with (default: main)")
    arguments = parser.parse_args(argv)
    root = arguments.project.resolve()
    changes = changed_files(root, arguments.changed_files, arguments.base)
    items = needs_review(root, changes)
    print(review_section(items, changes).lstrip("\n"))
    return 1 if items else 0


if __name__ == "__main__":
    sys.exit(main())
