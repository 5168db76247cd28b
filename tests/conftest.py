"""Shared fixtures: build the real site once, and build scratch copies of the project."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import tinyhtml5

from macros.check.browser import chromium, chromium_missing, in_ci, serve
from macros.content.catalogue import load_catalogue
from macros.text.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[1]
#: 2026-11-18: a fixed build date, so dates and overdue notices are repeatable.
BUILD_EPOCH = "1795000000"
PROJECT_ITEMS = ("docs", "data", "macros", "mkdocs.yml", "references.bib", "examples")
#: PDFs are cached by a hash of all their inputs, so scratch projects can share the cache.
SHARED_CACHE = ROOT / ".cache"
#: The site's words in each language (data/i18n/<lang>.yml), for in-process tests.
ENGLISH = load_catalogue(ROOT / "data", "en")
SPANISH = load_catalogue(ROOT / "data", "es")


@dataclass(frozen=True)
class Build:
    """The outcome of one ``mkdocs build --strict``."""

    returncode: int
    output: str
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def run_build(project: Path, site: Path, *options: str, strict: bool = True, **env: str) -> Build:
    """Build ``project`` into ``site`` as an editor would, in a subprocess; ``options`` are
    more of mkdocs build's options (``--dirty``, which mkdocs warns about: not strict)."""
    environment = {
        **os.environ,
        "SOURCE_DATE_EPOCH": BUILD_EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
        **env,
    }
    strictness = ["--strict"] if strict else []
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *strictness, "--site-dir", str(site), *options],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def copy_project(destination: Path) -> Path:
    """A scratch copy of the project's sources that a test may break."""
    destination.mkdir(parents=True, exist_ok=True)
    for item in PROJECT_ITEMS:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(
                source, destination / item, ignore=shutil.ignore_patterns("__pycache__")
            )
        elif source.exists():
            shutil.copy2(source, destination / item)
    SHARED_CACHE.mkdir(exist_ok=True)
    (destination / ".cache").symlink_to(SHARED_CACHE, target_is_directory=True)
    return destination


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Build:
    """The real site, built once per test run and shared by every pytest-xdist worker."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, which all workers share
    with (shared / "real-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds; the others wait, then read
        record = shared / "real-site.json"
        if record.exists():
            build = Build(**{**json.loads(record.read_text()), "site": shared / "real-site"})
        else:
            build = run_build(ROOT, shared / "real-site")
            record.write_text(json.dumps({"returncode": build.returncode, "output": build.output}))
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def catalogue_of(site: Path, page: Path) -> Catalogue:
    """The site strings of a built page's language: Spanish pages are under es/."""
    return SPANISH if page.relative_to(site).parts[0] == "es" else ENGLISH


def html_pages(site: Path) -> list[Path]:
    """Pages built from docs/*.md: every HTML page but the 404 page."""
    return sorted(path for path in site.rglob("*.html") if path.name != "404.html")


def parse_html(text: str) -> ElementTree.Element:
    """An HTML5 parse, as a browser would, into an ElementTree without namespaces."""
    return tinyhtml5.parse(text, namespace_html_elements=False)


def text_of(element: ElementTree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def require_tool(missing: str | None) -> None:
    """Skip when a tool is missing, saying how to get it; under CI=true, fail instead."""
    if missing and in_ci():
        pytest.fail(f"{missing} (CI=true: this test must run, not skip)")
    if missing:
        pytest.skip(missing)


def require_chromium() -> None:
    require_tool(chromium_missing())


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session: Playwright allows one per thread."""
    require_chromium()
    with chromium() as running:
        yield running


@pytest.fixture(scope="session")
def base_url(built: Build) -> Iterator[str]:
    """The real site served on 127.0.0.1 with its own security headers."""
    with serve(built.site) as url:
        yield url
