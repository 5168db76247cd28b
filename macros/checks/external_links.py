"""Links to other sites are well-formed and secure (https); no network access is needed."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from macros.checks import Finding, Level, Project
from macros.checks.htmlscan import scan_file
from macros.checks.links import source_line

NAME = "external-links"
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]*$")


def problem_with(url: str) -> str | None:
    """Why an outside link is not acceptable, or None if it is a well-formed secure link."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if not scheme and url.startswith("//"):
        return f"{url} has no scheme; write https://"
    if scheme == "http":
        return f"{url} is not secure; use https:// (most sites support it)"
    if scheme == "https":
        try:
            host = (parsed.hostname or "").lower()
            parsed.port  # noqa: B018  (raises ValueError on a malformed port)
        except ValueError:
            host = ""
        if not _HOST.match(host) or " " in url or parsed.username:
            return f"{url} is not a well-formed web address"
        return None
    if scheme == "mailto":
        return None if "@" in parsed.path else f"{url} has no e-mail address"
    if scheme in ("tel", "sms"):
        return None if _PHONE.match(parsed.path) else f"{url} is not a phone number"
    return f"{url} uses the scheme '{scheme}:'; links may only be https, mailto, tel or sms"


def run(project: Project) -> list[Finding]:
    findings = []
    for html_file in project.html_files():
        page = project.page_for_html(html_file)
        for link in scan_file(html_file).links:
            if link.tag not in ("a", "area"):
                continue
            parsed = urlparse(link.url)
            if not parsed.scheme and not link.url.startswith("//"):
                continue  # internal: the links check covers these
            problem = problem_with(link.url)
            if problem:
                findings.append(
                    Finding(
                        page.source if page else project.source_of(html_file),
                        source_line(page, link.url),
                        Level.ERROR,
                        f"external link {problem}",
                        "fix the address; see docs/editors/checks.md#external-links",
                    )
                )
    return findings
