"""Only what the site allows is published from docs/: pages, checked images, listed assets."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.errors import SiteErrors
from macros.plugin.config import PUBLISHED_ASSETS
from macros.plugin.file_policy import file_problems, refuse_symlinks
from tests.conftest import run_build

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
CLEAN_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<defs><linearGradient id="g"/></defs><circle r="4" fill="url(#g)"/></svg>'
)


def problems_for(tmp_path: Path, relative: str, content: bytes | str) -> list[str]:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return [
        str(error)
        for error in file_problems(path, relative, f"docs/{relative}", list(PUBLISHED_ASSETS))
    ]


@pytest.mark.parametrize(
    "relative, content",
    [
        ("about/index.md", "# A page"),
        ("images/map.png", PNG),
        ("images/drawing.svg", CLEAN_SVG),
        ("assets/js/ipt.js", "console.log(1)"),
        ("assets/css/ipt.css", "p { color: black }"),
        ("assets/fonts/atkinson.woff", b"wOFF"),
    ],
)
def test_pages_images_and_the_projects_assets_are_published(
    tmp_path: Path, relative: str, content: bytes | str
) -> None:
    assert problems_for(tmp_path, relative, content) == []


@pytest.mark.parametrize(
    "relative, content, expected",
    [
        ("about/page.html", "<script>alert(1)</script>", "is a .html file, which the site"),
        ("handouts/evil.js", "alert(1)", "is a .js file"),
        ("assets/style.css", "p {}", "is a .css file"),
        ("overrides/evil.js", "alert(1)", "is a .js file"),
        ("images/photo.png", "<html><script>alert(1)</script>", "is not a PNG image"),
        (
            "images/a.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "the element <script> is not allowed",
        ),
        (
            "images/b.svg",
            '<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
            "the attribute onload= is not allowed",
        ),
        (
            "images/c.svg",
            '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://t.example/p"/>'
            "</svg>",
            "refers to 'https://t.example/p' outside the drawing",
        ),
        (
            "images/d.svg",
            '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://t.example/x)"/></svg>',
            "refers to a file outside",
        ),
        ("images/e.svg", '<!DOCTYPE svg [<!ENTITY a "b">]><svg/>', "declares a DOCTYPE"),
        ('images/x" onmouseover="alert(1).png', PNG, "has a name with characters other than"),
    ],
)
def test_anything_else_fails_the_build_naming_the_file(
    tmp_path: Path, relative: str, content: bytes | str, expected: str
) -> None:
    problems = problems_for(tmp_path, relative, content)
    assert problems and problems[0].startswith(f"docs/{relative}")
    assert any(expected in problem for problem in problems), problems


def test_a_symbolic_link_is_refused_before_anything_follows_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "notes" / "env.txt").symlink_to("/proc/self/environ")
    (docs / "everything").symlink_to("/", target_is_directory=True)
    with pytest.raises(SiteErrors) as raised:
        refuse_symlinks(docs)
    assert sorted(error.file for error in raised.value.errors) == [
        "docs/everything",
        "docs/notes/env.txt",
    ]
    assert "is a symbolic link" in str(raised.value)


def test_a_link_to_the_environment_fails_the_build_and_publishes_nothing(project: Path) -> None:
    """One build: the symbolic link is refused before mkdocs reads it, and no site is left."""
    (project / "docs" / "environ.md").symlink_to("/proc/self/environ")
    build = run_build(project, project / "site", IPT_TEST_SECRET="marker-5b1f")
    assert build.returncode != 0
    assert "docs/environ.md: is a symbolic link" in build.output
    assert "marker-5b1f" not in build.output
    assert not (project / "site").exists()


def test_a_published_html_file_fails_the_build(project: Path) -> None:
    (project / "docs" / "about" / "evil.html").write_text("<script>alert(1)</script>")
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "docs/about/evil.html: is a .html file, which the site does not publish." in (
        build.output
    )
    assert not (project / "site").exists()
