"""data/*.yml: validated with file, YAML path and line; schemas current; published as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.check.data_files import stale_entries
from macros.check.project import Level
from macros.citations.bibliography import Bibliography
from macros.content.crisis import CrisisLines
from macros.content.data_models import DATA_FILES
from macros.content.schemas import schema_files
from macros.content.site_data import load_site_data
from macros.content.yaml_files import read_yaml, validate
from macros.errors import SiteErrors
from tests.conftest import (
    ENGLISH,
    ROOT,
    Build,
    catalogue_of,
    html_pages,
    parse_html,
    run_build,
    text_of,
)

KNOWN_KEYS = Bibliography.load(ROOT / "references.bib").keys


def replace_once(path: Path, old: str, new: str) -> int:
    """Edit a file in a scratch project; return the line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    start = text.index(old)
    path.write_text(text[:start] + new + text[start + len(old) :], encoding="utf-8")
    return text[:start].count("\n") + 1


def line_near(path: Path, needle: str, edited: int) -> int:
    """The line holding ``needle`` that is closest to the edited line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if needle in line]
    return min(found, key=lambda number: abs(number - edited))


# (file, text to replace, replacement, expected "path: problem", text on the reported line)
DATA_MISTAKES = [
    pytest.param(
        "therapies.yml",
        "        cite: [rajhans2020]\n      duration:",
        "        cite: rajhans2020\n      duration:",
        "therapies[0].attributes.past_or_present.cite: input should be a valid list",
        "cite: rajhans2020",
        id="wrong type",
    ),
    pytest.param(
        "therapies.yml",
        "    short_name: IPT\n",
        "    short_name: IPT\n    colour: blue\n",
        "therapies[0].colour: unknown field",
        "colour: blue",
        id="unknown field",
    ),
    pytest.param(
        "therapies.yml",
        "      session_length:\n        text: Usually 45 to 50 minutes.\n"
        "        cite: [isiptnd, berkshirend]\n",
        "",
        "therapies[0].attributes.session_length: required field is missing",
        "    attributes:",
        id="missing required field",
    ),
    pytest.param(
        "glossary.yml",
        "      cite: [isiptnd]\n  - id: problem-area",
        "      cite: [isiptnd2020]\n  - id: problem-area",
        "terms[2].definition.cite[0]: unknown citation key 'isiptnd2020'",
        "isiptnd2020",
        id="unknown citation key",
    ),
    pytest.param(
        "problem_areas.yml",
        "  - id: role-disputes\n    name: Role disputes\n",
        "  - id: role-disputes\n    name: [Role disputes]\n",
        "problem_areas[1].name: input should be a valid string",
        "name: [Role disputes]",
        id="wrong type in a list",
    ),
    pytest.param(
        "techniques.yml",
        "  - id: role-play\n",
        "  - id: clarification\n",
        "techniques[6].id: duplicate id 'clarification'",
        "id: clarification",
        id="duplicate id",
    ),
]


@pytest.mark.parametrize("file, old, new, expected, on_line", DATA_MISTAKES)
def test_data_mistakes_name_the_file_path_and_line(
    project: Path, file: str, old: str, new: str, expected: str, on_line: str
) -> None:
    path = project / "data" / file
    edited = replace_once(path, old, new)
    with pytest.raises(SiteErrors) as raised:
        load_site_data(project / "data", KNOWN_KEYS)
    messages = raised.value.message.splitlines()
    line = line_near(path, on_line, edited)
    assert f"data/{file}:{line}: {expected}" in messages[0], messages


def test_a_data_mistake_stops_the_build_with_a_message_not_a_traceback(project: Path) -> None:
    line = replace_once(
        project / "data" / "therapies.yml", "    short_name: DIT\n", "    short_name: 16\n"
    )
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert f"data/therapies.yml:{line}: therapies[2].short_name: input should be" in build.output
    assert "Traceback" not in build.output


def test_every_problem_in_every_file_is_reported_at_once(project: Path) -> None:
    replace_once(project / "data" / "phases.yml", "    name: Middle phase\n", "")
    replace_once(
        project / "data" / "adaptations.yml", "  - id: groups\n", "  - id: groups\n    x: 1\n"
    )
    with pytest.raises(SiteErrors) as raised:
        load_site_data(project / "data", KNOWN_KEYS)
    message = raised.value.message
    assert "data/phases.yml:" in message and "phases[1].name: required field" in message
    assert "data/adaptations.yml:" in message and "adaptations[1].x: unknown field" in message


def test_the_real_data_loads_and_has_the_ids_pages_use() -> None:
    data = load_site_data(ROOT / "data", KNOWN_KEYS)
    assert [t.id for t in data.therapies.therapies] == ["ipt", "psychodynamic", "dit", "cbt"]
    assert [p.id for p in data.phases.phases] == ["initial", "middle", "ending", "maintenance"]
    assert [a.id for a in data.problem_areas.problem_areas] == [
        "grief",
        "role-disputes",
        "role-transitions",
        "interpersonal-sensitivity",
    ]
    adaptations = {a.id for a in data.adaptations.adaptations}
    assert {"adolescents", "groups", "bipolar", "perinatal"} <= adaptations
    assert {"interpersonal-counselling", "remote"} <= adaptations
    stages = [s.id for s in data.problem_areas.problem_areas[1].stages]
    assert stages == ["renegotiation", "impasse", "dissolution"]


def test_exported_schemas_are_current() -> None:
    """Fails after a model change until `python -m macros.content.schemas` is run and committed."""
    expected = schema_files()
    on_disk = {path.name: path.read_text() for path in (ROOT / "schemas").glob("*.schema.json")}
    assert on_disk == expected, "Run: python -m macros.content.schemas"


CRISIS_FILES = sorted(f"crisis/{path.stem}" for path in (ROOT / "data" / "crisis").glob("*.yml"))


OVERLAYS = sorted(path.stem for path in (ROOT / "data").glob("*.es.yml"))


@pytest.mark.parametrize("name", [*DATA_FILES, *CRISIS_FILES, *OVERLAYS])
def test_every_data_file_names_its_schema_for_editors(name: str) -> None:
    path = ROOT / "data" / f"{name}.yml"
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first_line.startswith(prefix), first_line
    schema = (path.parent / first_line.removeprefix(prefix)).resolve()
    kind = name.split("/")[0] if "/" in name else name.split(".")[0]  # crisis/us.es: crisis
    translation = ".es" if name.endswith(".es") else ""
    assert schema == ROOT / "schemas" / f"{kind}{translation}.schema.json"
    assert schema.exists()


@pytest.mark.parametrize("name", list(DATA_FILES))
def test_each_data_file_is_published_as_equal_json(built: Build, name: str) -> None:
    published = built.site / "data" / f"{name}.json"
    source = yaml.safe_load((ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"))
    assert json.loads(published.read_text(encoding="utf-8")) == source


def test_open_data_and_its_licence_are_announced_off_the_patients_pages(built: Build) -> None:
    assert (built.site / "data" / "crisis" / "uk.json").exists()
    about = built.page("about-this-site/index.html")
    assert "published as open data under CC BY-SA 4.0" in text_of(parse_html(about))
    for name in DATA_FILES:
        assert f'href="../data/{name}.json"' in about, name
    assert "Use this data" not in built.page("comparisons/index.html")


def set_text(path: Path, locate: Callable[[Any], dict[str, Any]], new: str) -> str:
    """Replace one cell's text in a scratch project's YAML file; return the old text."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    cell = locate(content)
    old, cell["text"] = cell["text"], new
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return old


def test_a_changed_cell_changes_every_page_that_shows_it(built: Build, project: Path) -> None:
    """One YAML edit reaches every page: a comparison cell and a glossary definition."""
    data = project / "data"
    edits = {
        "Marker one, fifty minutes.": set_text(
            data / "therapies.yml",
            lambda content: content["therapies"][0]["attributes"]["session_length"],
            "Marker one, fifty minutes.",
        ),
        "Marker two links mood and people.": set_text(
            data / "glossary.yml",
            lambda content: content["terms"][0]["definition"],
            "Marker two links mood and people.",
        ),
    }
    showing = {
        old: [
            page.relative_to(built.site)
            for page in html_pages(built.site)
            if old in text_of(parse_html(page.read_text()))
            and catalogue_of(built.site, page) is ENGLISH  # Spanish pages show the overlay
        ]
        for old in edits.values()
    }
    assert all(showing.values()), showing
    assert sum(len(pages) for pages in showing.values()) >= 3, showing
    rebuilt = run_build(project, project / "site")
    assert rebuilt.returncode == 0, rebuilt.output
    for new, old in edits.items():
        for page in showing[old]:
            text = text_of(parse_html(rebuilt.page(str(page))))
            assert new in text and old not in text, page


def test_a_crisis_line_not_checked_for_6_months_is_flagged_at_its_line() -> None:
    path = ROOT / "data" / "crisis" / "uk.yml"
    raw, lines = read_yaml(path, "data/crisis/uk.yml")
    crisis = validate(raw, CrisisLines, "data/crisis/uk.yml", lines)
    checked = crisis.emergency.verified_on
    assert stale_entries(crisis, "data/crisis/uk.yml", lines, checked + timedelta(days=150)) == []
    late = stale_entries(crisis, "data/crisis/uk.yml", lines, checked + timedelta(days=200))
    assert len(late) == 1 + len(crisis.services)
    first = late[0]
    assert first.level is Level.WARNING and "emergency was last checked" in first.message
    assert path.read_text().splitlines()[first.line - 1].strip().startswith("verified_on:")
