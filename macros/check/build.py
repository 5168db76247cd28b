"""Build the site strictly into a scratch folder and turn the build's complaints into Findings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from macros.check.project import Finding, Level
from macros.errors import line_in

_LOGGED = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(?P<message>.*)$")
_LOCATED = re.compile(
    r"^(?P<file>[\w./ -]+\.(?:md|ya?ml|bib|css|html)):(?P<line>\d+): (?P<message>.*)$"
)
_DOC_LINK = re.compile(r"Doc file '(?P<page>[^']+)' contains a link '(?P<link>[^']+)'")
_NOISE = ("Error reading page", "Aborted with")
FIX = "see docs/editors/checks.md#build"


def build(root: Path, site: Path) -> tuple[bool, str]:
    """``mkdocs build --strict``, as CI runs it; (succeeded, everything it printed)."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0, result.stdout + result.stderr


def finding_for(message: str, root: Path, docs: str) -> Finding | None:
    located = _LOCATED.match(message)
    if located:
        return Finding(located["file"], int(located["line"]), Level.ERROR, located["message"], FIX)
    doc_link = _DOC_LINK.search(message)
    if doc_link:
        source = f"{docs}/{doc_link['page']}"
        path = root / source
        line = (
            line_in(path.read_text(encoding="utf-8"), doc_link["link"]) if path.is_file() else None
        )
        problem = message.removeprefix(doc_link[0]).strip(" ,").removeprefix("but ")
        return Finding(
            source, line, Level.ERROR, f"the link '{doc_link['link']}' is broken: {problem}", FIX
        )
    if message.startswith(_NOISE):
        return None
    return Finding("mkdocs build", None, Level.ERROR, message, FIX)


def build_findings(output: str, succeeded: bool, root: Path, docs: str = "docs") -> list[Finding]:
    """Every WARNING and ERROR the build printed (strict: warnings fail), named by file."""
    findings: list[Finding] = []
    for raw in output.splitlines():
        logged = _LOGGED.match(raw.strip())
        message = logged["message"].strip() if logged else raw.strip()
        if not logged and not _LOCATED.match(message):
            continue
        finding = finding_for(message, root, docs)
        if finding and finding not in findings:
            findings.append(finding)
    if not succeeded and not findings:
        tail = " ".join(output.strip().splitlines()[-3:])
        findings.append(
            Finding("mkdocs build", None, Level.ERROR, f"the build failed: {tail}", FIX)
        )
    return findings
