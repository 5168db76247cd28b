"""Every page says when it was reviewed and when it is due again; overdue pages are flagged."""

from __future__ import annotations

import datetime

from macros.check.project import Finding, Level, Project
from macros.errors import SiteError, SiteErrors

NAME = "review-dates"
SOON = datetime.timedelta(days=60)
FIX = "review the page, then update last_reviewed and next_review; see docs/editors/index.md#review"


def run(project: Project) -> list[Finding]:
    findings = []
    for page in project.pages:
        try:
            meta, lines = page.front_matter()
        except SiteError as error:
            errors = error.errors if isinstance(error, SiteErrors) else [error]
            findings += [
                Finding(
                    page.source,
                    item.line,
                    Level.ERROR,
                    f"front matter: {item.problem}",
                    "see docs/editors/index.md#front-matter",
                )
                for item in errors
            ]
            continue
        line = lines.get(("next_review",))
        due = meta.next_review
        if due < project.today:
            findings.append(
                Finding(
                    page.source,
                    line,
                    Level.WARNING,
                    f"review overdue since {due.isoformat()}; readers are told so",
                    FIX,
                )
            )
        elif due - project.today <= SOON:
            findings.append(
                Finding(page.source, line, Level.INFO, f"review due on {due.isoformat()}", FIX)
            )
    return findings
