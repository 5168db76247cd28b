"""``make check``: build the site and run every editors' check; one report, grouped by file.

Each line reads ``file:line: LEVEL: message (how to fix)``. ERROR fails the check (exit 1);
WARNING and INFO do not. A check that needs a missing tool (Java, Chromium) is skipped with
a message saying how to install it, except under CI=true, where that is an error too.

A last section lists the branch's changes that need a maintainer's review: code, theme
templates, CI and site-wide settings, which no check can judge (:mod:`macros.check.review`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from macros.check import (
    accessibility,
    data_files,
    external_links,
    html_validity,
    links,
    privacy,
    reading_grade,
    references,
    review_dates,
    settings,
    spelling,
    translations,
)
from macros.check.browser import in_ci
from macros.check.build import build, build_findings
from macros.check.project import CheckSkipped, Finding, Level, Project
from macros.check.review import changed_files, needs_review, review_section
from macros.check.settings_file import settings_findings
from macros.errors import SiteError, SiteErrors
from macros.text.dates import build_date

#: In report order. The first group needs only the sources; the rest need the built site.
SOURCE_CHECKS: tuple[ModuleType, ...] = (
    references,
    data_files,
    review_dates,
    translations,
    settings,
)
SITE_CHECKS: tuple[ModuleType, ...] = (
    links,
    external_links,
    privacy,
    reading_grade,
    spelling,
    html_validity,
    accessibility,
)
ALL_NAMES = [check.NAME for check in (*SOURCE_CHECKS, *SITE_CHECKS)]


def run_check(check: ModuleType, project: Project, log: Callable[[str], None]) -> list[Finding]:
    started = time.monotonic()
    try:
        findings = check.run(project)
    except CheckSkipped as skipped:
        level = Level.ERROR if in_ci() else Level.WARNING
        note = "CI=true, so a missing tool fails the check" if in_ci() else "check skipped"
        return [Finding(f"({check.NAME} check)", None, level, f"not run: {skipped}", note)]
    except SiteError as error:  # the project itself is broken (mkdocs.yml, a missing plugin)
        errors = error.errors if isinstance(error, SiteErrors) else [error]
        return [Finding(e.file, e.line, Level.ERROR, e.problem, e.hint or "") for e in errors]
    except UnicodeDecodeError as error:
        problem = f"a file this check reads is not UTF-8 text ({error.reason})"
        fix = "the build's report above names the file; save it as UTF-8"
        return [Finding(f"({check.NAME} check)", None, Level.ERROR, problem, fix)]
    log(f"  {check.NAME}: {len(findings)} finding(s) in {time.monotonic() - started:.1f} s")
    return findings


def report(findings: list[Finding], review: str = "") -> str:
    """Findings grouped by file (files in first-seen order), the ``review`` section (the
    changes that need a maintainer), then a summary line."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    lines = []
    for file, items in by_file.items():
        lines.append(f"\n{file}")
        lines += [f"  {item}" for item in sorted(items, key=lambda item: item.line or 0)]
    if review:
        lines.append(review)
    counts = {level: sum(f.level is level for f in findings) for level in Level}
    verdict = "FAILED" if counts[Level.ERROR] else "passed"
    lines.append(
        f"\ncheck {verdict}: {counts[Level.ERROR]} error(s), {counts[Level.WARNING]} warning(s), "
        f"{counts[Level.INFO]} note(s) in {len(by_file)} file(s)"
    )
    return "\n".join(lines)


def check(
    root: Path,
    names: list[str],
    log: Callable[[str], None],
    pages: tuple[str, ...] = (),
    built_site: Path | None = None,
) -> list[Finding]:
    """Build ``root`` strictly into a scratch folder (unless given ``built_site``), then run
    the named checks on it."""
    with tempfile.TemporaryDirectory(prefix="ipt-check-") as scratch:
        site = built_site or Path(scratch) / "site"
        findings = settings_findings(root)
        if findings:
            log("  mkdocs.yml must be fixed before the site can be built")
            return findings
        if built_site is None:
            log("building the site (mkdocs build --strict) ...")
            succeeded, output = build(root, site)
            findings += build_findings(output, succeeded, root)
        project = Project(root=root, site=site, today=build_date(), only_pages=pages)
        for check_module in SOURCE_CHECKS:
            if check_module.NAME in names:
                findings += run_check(check_module, project, log)
        if not (site / "index.html").exists():
            log("  the build stopped early, so the checks of the built site did not run")
            return list(dict.fromkeys(findings))
        for check_module in SITE_CHECKS:
            if check_module.NAME in names:
                findings += run_check(check_module, project, log)
        return list(dict.fromkeys(findings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.check", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=ALL_NAMES, help="run only these checks")
    parser.add_argument("--skip", nargs="+", choices=ALL_NAMES, default=[], help="skip these")
    parser.add_argument("--page", nargs="+", default=[], help="check only these pages (docs/x.md)")
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    parser.add_argument("--site", type=Path, help="check this built site instead of building")
    parser.add_argument(
        "--changed-files",
        type=Path,
        help="a file listing the branch's changed paths ('-': stdin); default: ask git",
    )
    arguments = parser.parse_args(argv)
    names = [name for name in arguments.only or ALL_NAMES if name not in arguments.skip]

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    root = arguments.project.resolve()
    findings = check(root, names, log, tuple(arguments.page), arguments.site)
    changes = changed_files(root, arguments.changed_files)
    print(report(findings, review_section(needs_review(root, changes), changes)))
    return 1 if any(finding.level is Level.ERROR for finding in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
