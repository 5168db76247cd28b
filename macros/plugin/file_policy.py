"""Which files under docs/ the site may publish.

mkdocs copies every file under docs/ into the site as it is, and follows symbolic links, so
a pull request could publish a script or a page of its own (``.html``, ``.js``), or a link
to ``/proc/self/environ`` that puts the build's environment on the site. Here the site
publishes only:

- Markdown pages (their HTML is checked by :mod:`macros.plugin.html_policy`);
- images of the allowed types, whose first bytes must match the type, and SVG drawings
  without scripts, styles, event handlers or references to anything outside the drawing;
- files matching the ``ipt`` plugin's ``publish`` allow-list (the project's own CSS,
  scripts and fonts), which only a maintainer changes (mkdocs.yml needs their review).

A symbolic link anywhere under docs/ fails the build before mkdocs follows it, and so does
a file name that is not plain letters, digits, ``-``, ``_`` and ``.`` (names end up inside
the theme's links, unescaped).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.structure.files import File

from macros.errors import SiteError, SiteErrors, line_in
from macros.plugin.html_policy import element_problems, is_safe_url, local_name

PAGE_SUFFIXES = frozenset({".md"})
#: Image types by suffix, and the first bytes a file of that type starts with.
IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".ico": (b"\x00\x00\x01\x00",),
}
SVG_SUFFIX = ".svg"
#: An SVG drawing larger than this is not a drawing an editor made by hand.
MAX_SVG_BYTES = 2_000_000
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
#: Attributes of an SVG drawing that point at something: only "#id" within the drawing.
SVG_REFERENCES = frozenset({"href", "xlink:href", "src"})

ALLOW_HINT = (
    "Pages may use Markdown files and images (PNG, JPEG, GIF, WebP, ICO, SVG). "
    "Other files need a maintainer to add them to 'publish' under the ipt plugin in mkdocs.yml."
)


def refuse_symlinks(docs_dir: Path) -> None:
    """Fail before mkdocs walks docs/: it would follow a link anywhere on the machine."""
    problems = []
    for folder, subfolders, files in os.walk(docs_dir, followlinks=False):
        for name in (*subfolders, *files):
            path = Path(folder) / name
            if path.is_symlink():
                problems.append(
                    SiteError(
                        _display(path, docs_dir),
                        "is a symbolic link; the site publishes only files that are in docs/.",
                        hint="Replace the link with a copy of the file it points to.",
                    )
                )
    if problems:
        raise SiteErrors(problems)


def check_published_files(files: Iterable[File], docs_dir: Path, allowed: list[str]) -> None:
    """Fail the build for every file under docs/ that the site may not publish."""
    root = docs_dir.resolve()
    problems = []
    for file in files:
        if file.abs_src_path is None or file.inclusion.is_excluded():
            continue
        path = Path(file.abs_src_path)
        try:
            relative = path.resolve().relative_to(root).as_posix()
        except ValueError:
            continue  # a file of the theme's own (Material's scripts and styles)
        problems.extend(file_problems(path, relative, f"{docs_dir.name}/{relative}", allowed))
    if problems:
        raise SiteErrors(problems)


def file_problems(path: Path, relative: str, display: str, allowed: list[str]) -> list[SiteError]:
    """Why the file at ``relative`` (inside docs/) may not be published; empty if it may."""
    if not all(SAFE_NAME.fullmatch(part) for part in relative.split("/")):
        return [
            SiteError(
                display,
                "has a name with characters other than letters, digits, '-', '_' and '.'.",
                hint="Rename it, for example 'my-page.md'.",
            )
        ]
    if any(fnmatch.fnmatchcase(relative, pattern) for pattern in allowed):
        return []
    suffix = path.suffix.lower()
    if suffix in PAGE_SUFFIXES:
        return []
    if suffix in IMAGE_SIGNATURES:
        with path.open("rb") as image:
            start = image.read(16)
        if start.startswith(IMAGE_SIGNATURES[suffix]):
            return []
        return [
            SiteError(
                display,
                f"is not a {suffix[1:].upper()} image, although its name says so.",
                hint="Export the image again in that format, or give it the right ending.",
            )
        ]
    if suffix == SVG_SUFFIX:
        return svg_problems(path, display)
    kind = f"a {suffix} file" if suffix else "a file without a type"
    return [SiteError(display, f"is {kind}, which the site does not publish.", hint=ALLOW_HINT)]


def svg_problems(path: Path, display: str) -> list[SiteError]:
    """An SVG drawing is a document a browser runs when opened on its own: no scripts, no
    event handlers, no styles and no references outside the drawing."""
    data = path.read_bytes()
    if len(data) > MAX_SVG_BYTES:
        return [SiteError(display, f"is larger than {MAX_SVG_BYTES:,} bytes.", hint=SVG_HINT)]
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return [SiteError(display, "declares a DOCTYPE or entities.", hint=SVG_HINT)]
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return [SiteError(display, f"is not valid SVG: {error}.", line=error.position[0])]
    text = data.decode("utf-8", errors="replace")
    return [
        SiteError(display, f"{problem}.", line=line_in(text, needle), hint=SVG_HINT)
        for needle, problem in _svg_findings(root)
    ]


SVG_HINT = (
    "Save the drawing as plain SVG without scripts, styles or links (in Inkscape: "
    "'Optimized SVG'), or export it as PNG."
)


def _svg_findings(root: ElementTree.Element) -> Iterator[tuple[str, str]]:
    if local_name(root.tag) != "svg":
        yield "<", "is not an SVG drawing (its outer element is not <svg>)"
    for problem in element_problems(root):
        yield problem.needle, problem.problem.replace("HTML ", "")
    for element in root.iter():
        for name, value in element.attrib.items():
            attribute = local_name(name)
            if attribute in SVG_REFERENCES and not value.startswith("#") and is_safe_url(value):
                yield value[:30], f"refers to {value[:60]!r} outside the drawing"
            if "url(" in value.replace(" ", "") and "url(#" not in value.replace(" ", ""):
                yield "url(", f"the attribute {attribute}= refers to a file outside the drawing"


def _display(path: Path, docs_dir: Path) -> str:
    """``docs/images/x.png``: how an editor names a file under docs/."""
    return f"{docs_dir.name}/{path.relative_to(docs_dir).as_posix()}"
