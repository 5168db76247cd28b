"""A page from a pull request cannot run Python through the page templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_build

FRONT_MATTER = """---
title: Test page
description: A page that tries to escape the template sandbox.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
{extra}---

# Test page

"""

PAYLOADS = {
    "mro chain": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch {marker}') }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].system('touch {marker}') }}",
    "hidden in a comment": "<!-- {{ cycler.__init__.__globals__.os.system('touch {marker}') }} -->",
    "config object": "{{ config['plugins']['macros'].render('x') }}",
}


def write_page(project: Path, body: str, extra_front_matter: str = "") -> Path:
    page = project / "docs" / "attack.md"
    page.write_text(FRONT_MATTER.format(extra=extra_front_matter) + body + "\n")
    return page


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_fails_the_build_naming_the_page(
    project: Path, tmp_path: Path, payload: str
) -> None:
    marker = tmp_path / "pwned"
    write_page(project, payload.replace("{marker}", str(marker)))
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "attack.md" in build.output
    assert "not allowed" in build.output
    assert "Traceback" not in build.output
    assert not marker.exists()


def test_front_matter_cannot_switch_rendering_back_on_unsandboxed(
    project: Path, tmp_path: Path
) -> None:
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "module_name: macros", "module_name: macros\n      render_by_default: false"
        )
    )
    marker = tmp_path / "pwned"
    write_page(
        project,
        PAYLOADS["cycler globals"].replace("{marker}", str(marker)),
        "render_macros: true\n",
    )
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "attack.md" in build.output
    assert not marker.exists()


def test_error_names_the_line_of_the_payload(project: Path) -> None:
    write_page(project, "Fine text.\n\n" + PAYLOADS["mro chain"])
    build = run_build(project, project / "site")
    assert "docs/attack.md:13:" in build.output


def test_normal_macros_and_plain_data_still_work(project: Path) -> None:
    write_page(
        project, "{{ crisis_services() }}\n\n{{ 'plain words' | upper }} {{ [3, 1] | sort }}"
    )
    build = run_build(project, project / "site")
    assert build.returncode == 0, build.output
    html = build.page("attack/index.html")
    assert "Samaritans" in html and "PLAIN WORDS" in html and "[1, 3]" in html
