"""Nothing on the site makes the reader's browser contact another host (fonts, scripts,
images, stylesheets): clinics promise readers that no third party sees their visit."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from macros.check.htmlscan import scan_file
from macros.check.project import Finding, Level, Project
from macros.errors import line_in

NAME = "privacy"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)")
#: <link rel> values that only describe the page and are never fetched.
DESCRIPTIVE_RELS = frozenset({"canonical", "alternate", "author", "license", "me", "next", "prev"})
FIX = (
    "copy the file into docs/assets/ and link to it there, or remove it; "
    "see docs/editors/checks.md#privacy"
)


def is_external(url: str) -> bool:
    parsed = urlparse(url.strip())
    return bool(parsed.netloc) or parsed.scheme in ("http", "https")


def _fetches(tag: str, rel: str) -> bool:
    if tag == "a" or tag == "area":
        return False
    return tag != "link" or not set(rel.lower().split()) <= DESCRIPTIVE_RELS


def run(project: Project) -> list[Finding]:
    findings = []
    for html_file in project.html_files():
        page = project.page_for_html(html_file)
        for link in scan_file(html_file).links:
            if _fetches(link.tag, link.rel) and is_external(link.url):
                findings.append(
                    Finding(
                        page.source if page else project.source_of(html_file),
                        page.line_of(link.url) if page else None,
                        Level.ERROR,
                        f"<{link.tag}> loads {link.url} from another host",
                        FIX,
                    )
                )
    for sheet in sorted(project.site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        source = project.source_of(sheet)
        source_path = project.root / source
        source_text = source_path.read_text(encoding="utf-8") if source_path.is_file() else text
        for match in CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            if is_external(url):
                findings.append(
                    Finding(
                        source,
                        line_in(source_text, url),
                        Level.ERROR,
                        f"stylesheet loads {url} from another host",
                        FIX,
                    )
                )
    return findings
