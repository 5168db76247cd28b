"""Links to other sites are well-formed and secure (https); no network access is needed."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from macros.check.htmlscan import Link
from macros.check.links import link_errors
from macros.check.project import Finding, Project

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


def _external_problem(html_file: Path, link: Link) -> str | None:
    if link.tag not in ("a", "area"):
        return None
    if not urlparse(link.url).scheme and not link.url.startswith("//"):
        return None  # internal: the links check covers these
    problem = problem_with(link.url)
    return problem and f"external link {problem}"


def run(project: Project) -> list[Finding]:
    return link_errors(
        project, _external_problem, "fix the address; see docs/editors/checks.md#external-links"
    )
