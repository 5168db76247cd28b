"""Every link inside the site leads to a page or file that exists, and to an anchor on it.

mkdocs already checks links written as ``page.md#anchor``; this also covers links in raw
HTML, in macro output and in the theme, on the site as it was actually built.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from macros.check.htmlscan import Link, scan_file
from macros.check.project import Finding, Level, Project, SourcePage

NAME = "links"
_BASE = "http://site.invalid/"


def is_internal(url: str) -> bool:
    parsed = urlparse(url)
    return not parsed.scheme and not parsed.netloc


def target_file(site: Path, path: str) -> Path | None:
    """The built file a site path serves, as a static web server would find it."""
    candidate = site / unquote(path).lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken(site: Path, page_file: Path, url: str) -> str | None:
    """What is wrong with an internal link from ``page_file``, or None if it works."""
    page_url = urljoin(_BASE, page_file.relative_to(site).as_posix())
    resolved = urlparse(urljoin(page_url, url))
    target = target_file(site, resolved.path.removeprefix(urlparse(_BASE).path))
    if target is None:
        return f"links to {url}, which does not exist"
    fragment = unquote(resolved.fragment)
    if fragment and target.suffix == ".html" and fragment not in scan_file(target).ids:
        return f"links to {url}, but that page has no anchor '#{fragment}'"
    return None


def source_line(page: SourcePage | None, url: str) -> int | None:
    """The Markdown line with the link: by its anchor, its address, or its last part."""
    if page is None:
        return None
    parsed = urlparse(url)
    needles = [f"#{parsed.fragment}" if parsed.fragment else "", url, parsed.path.strip("/")]
    last_part = parsed.path.strip("/").rsplit("/", 1)[-1]
    needles += [last_part + ".md", last_part]
    for needle in filter(None, needles):
        line = page.line_of(needle)
        if line:
            return line
    return None


def link_errors(
    project: Project, problem_with: Callable[[Path, Link], str | None], fix: str
) -> list[Finding]:
    """An error for every link in the built site that ``problem_with`` objects to."""
    findings = []
    for html_file in project.html_files():
        page = project.page_for_html(html_file)
        for link in scan_file(html_file).links:
            problem = problem_with(html_file, link)
            if problem:
                source = page.source if page else project.source_of(html_file)
                findings.append(
                    Finding(source, source_line(page, link.url), Level.ERROR, problem, fix)
                )
    return findings


def _internal_problem(site: Path, html_file: Path, link: Link) -> str | None:
    if not is_internal(link.url) or link.url.startswith("#__"):
        return None  # "#__drawer" and similar are Material's own toggles
    return broken(site, html_file, link.url)


def run(project: Project) -> list[Finding]:
    return link_errors(
        project,
        lambda html_file, link: _internal_problem(project.site, html_file, link),
        "point the link at an existing page (its .md file) and a heading "
        "that exists on it; see docs/editors/checks.md#links",
    )
