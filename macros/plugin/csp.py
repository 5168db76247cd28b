"""The Content-Security-Policy the built site satisfies, written next to it for servers.

Material for MkDocs puts a few small inline scripts in every page. The policy allows those
and no others: each inline ``<script>`` in Material's own templates becomes a pattern, in
which a ``{{ ... }}`` expression may stand only for a relative address (no quotes, no
spaces), and every inline script in the built site must match one of them. Any other script
fails the build, naming the page, instead of being hashed into the policy; the project's own
scripts are files (``docs/assets/js``), so a script in a template override fails too, except
in the overrides named in :data:`REVIEWED_OVERRIDES`: copies of Material's templates whose
inline script must run before the page is drawn (a file would hold back the first paint for
a download). Nothing is allowed from any other host.

Python-Markdown aligns table columns with ``style="text-align: ..."``; those three exact
style attributes are allowed by hash (``'unsafe-hashes'`` allows hashed attributes only).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from macros.errors import SiteError, SiteErrors

SERVER_CONFIG_NAME = "security-headers.conf"
#: The opening of every ``<script`` element a browser could see (tag names ignore case).
SCRIPT_START = re.compile(r"<script(?=[\s/>])", re.IGNORECASE)
#: Script elements that do not run code of their own: a file from the site (run at once or
#: once the page is parsed), or JSON data.
FILE_SCRIPT = re.compile(r'<script src="(?![a-z][a-z0-9+.-]*:|//)[^"<>\s]+"(?: defer)?></script>')
DATA_SCRIPT = re.compile(r'<script id="__config" type="application/json">.*?</script>', re.S)
INLINE_SCRIPT = re.compile(r"<script>(?P<code>.*?)</script>", re.S)
#: In a theme's template: an inline script, and an expression inside one.
TEMPLATE_SCRIPT = re.compile(r"<script>(?P<code>[^\n]*?)</script>")
TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}")
#: What a template expression inside a known script may print: a relative address.
ADDRESS = r"(?!//)[\w.~/-]*"
#: Template overrides (under the theme's custom_dir) whose inline scripts are allowed as the
#: theme's are. Each is a copy of Material's template with a change a maintainer reviewed;
#: ``make check`` lists any change to templates for review.
REVIEWED_OVERRIDES = ("partials/javascripts/palette.html",)
MARKDOWN_ALIGNMENTS = ("text-align: left;", "text-align: right;", "text-align: center;")
FIXED_DIRECTIVES = (
    "default-src 'none'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
)


def theme_scripts(
    template_dirs: Iterable[str | Path], custom_dir: str | Path | None = None
) -> list[re.Pattern[str]]:
    """A pattern for each inline script in the theme's templates, and in the
    :data:`REVIEWED_OVERRIDES` of ``custom_dir``."""
    templates = [path for folder in template_dirs for path in sorted(Path(folder).rglob("*.html"))]
    if custom_dir is not None:
        templates += [Path(custom_dir, name) for name in REVIEWED_OVERRIDES]
    patterns = {}
    for template in templates:
        if not template.is_file():
            continue
        for match in TEMPLATE_SCRIPT.finditer(template.read_text(encoding="utf-8")):
            code = match["code"]
            if "{%" in code or "{#" in code:
                continue  # a script assembled by template logic is never trusted
            literal = TEMPLATE_EXPRESSION.split(code)
            patterns[code] = re.compile(ADDRESS.join(map(re.escape, literal)))
    return list(patterns.values())


def digest(code: str) -> str:
    """The CSP source expression for an inline script or style attribute."""
    hashed = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(hashed).decode('ascii')}'"


def inline_script_hashes(
    site_dir: Path, known: list[re.Pattern[str]], sources: Mapping[str, str]
) -> list[str]:
    """Hashes of the theme's inline scripts in the built site; SiteErrors for any other.

    ``sources`` maps a built page (``about/index.html``) to the file an editor fixes.
    """
    hashes, problems = set(), []
    for page in sorted(site_dir.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for start in SCRIPT_START.finditer(html):
            position = start.start()
            if FILE_SCRIPT.match(html, position) or DATA_SCRIPT.match(html, position):
                continue
            inline = INLINE_SCRIPT.match(html, position)
            if inline and any(pattern.fullmatch(inline["code"]) for pattern in known):
                hashes.add(digest(inline["code"]))
                continue
            built = page.relative_to(site_dir).as_posix()
            snippet = " ".join(html[position : position + 80].split())
            problems.append(
                SiteError(
                    sources.get(built, f"{built} (made by the theme)"),
                    f"the built page contains a script the site does not ship: {snippet!r}.",
                    hint="Pages may not add scripts; remove whatever produced it "
                    "(raw HTML, a title or a macro argument).",
                )
            )
            break  # one per page is enough to find the cause
    if problems:
        raise SiteErrors(problems)
    return sorted(hashes)


def content_security_policy(script_hashes: Iterable[str]) -> str:
    scripts = " ".join(["script-src 'self'", *script_hashes])
    alignments = map(digest, MARKDOWN_ALIGNMENTS)
    styles = " ".join(["style-src 'self' 'unsafe-hashes'", *alignments])
    return "; ".join([FIXED_DIRECTIVES[0], scripts, styles, *FIXED_DIRECTIVES[1:]])


def write_server_config(site_dir: Path, script_hashes: Iterable[str]) -> Path:
    """An nginx snippet with the security headers; README.md shows how to include it."""
    headers = {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    lines = [f'add_header {name} "{value}" always;' for name, value in headers.items()]
    target = site_dir / SERVER_CONFIG_NAME
    target.write_text("# Generated by the build: do not edit.\n" + "\n".join(lines) + "\n")
    return target
