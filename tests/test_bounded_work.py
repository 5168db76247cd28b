"""Bounded work: YAML and page templates from a pull request cannot exhaust time or memory.

Each case must stop with its cap's error, naming the file and line, using far less than
1 GB. Memory is measured with tracemalloc (the peak of Python's allocations while the case
runs) in-process, and with the build's own peak resident size end to end; the seconds are
recorded with ``record_property`` (see the junit report), never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest

from macros.content.front_matter import parse_front_matter
from macros.content.yaml_files import parse_yaml, read_yaml
from macros.errors import SiteError
from macros.plugin.sandbox import install_sandbox, raise_template_error
from tests.conftest import BUILD_EPOCH

ONE_GB = 1 << 30
FRONT_MATTER = """---
title: Attack
description: A page that tries to make the build run out of time or memory.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

"""
#: The line of the page body's first line (after the front matter and a blank line).
BODY_LINE = FRONT_MATTER.count("\n") + 1


@dataclass(frozen=True)
class Cost:
    seconds: float
    peak_bytes: int


@pytest.fixture
def measure(record_property: Callable[[str, object], None]) -> Iterator[Callable[..., Any]]:
    """Run a case, return (its SiteError, its cost) and record the cost in the report."""

    def run(action: Callable[[], object]) -> tuple[SiteError, Cost]:
        tracemalloc.start()
        started = time.perf_counter()
        try:
            action()
        except SiteError as raised:
            error = raised
        else:
            pytest.fail("the case was not refused")
        finally:
            cost = Cost(time.perf_counter() - started, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
        record_property("seconds", round(cost.seconds, 3))
        record_property("peak_megabytes", round(cost.peak_bytes / 1e6, 1))
        assert cost.peak_bytes < ONE_GB
        return error, cost

    yield run


# -- YAML ----------------------------------------------------------------------------------

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_a_yaml_alias_bomb_is_refused_at_the_first_alias(measure: Any) -> None:
    error, _ = measure(lambda: parse_yaml(ALIAS_BOMB, "data/therapies.yml"))
    assert str(error).startswith("data/therapies.yml:2: uses a YAML alias (*name)")


def test_an_alias_bomb_in_front_matter_is_refused_at_its_line(measure: Any) -> None:
    text = FRONT_MATTER.replace("review_status: draft\n", "review_status: draft\n" + ALIAS_BOMB)
    error, _ = measure(lambda: parse_front_matter(text, "docs/attack.md"))
    assert str(error).startswith("docs/attack.md:8: uses a YAML alias")


def test_deep_nesting_is_refused_not_a_recursion_error(measure: Any) -> None:
    error, _ = measure(lambda: parse_yaml("key: " + "[" * 200, "data/glossary.yml"))
    assert "data/glossary.yml:1: nests lists and mappings more than 50 levels deep" in str(error)


def test_a_huge_yaml_file_is_refused_before_it_is_parsed(measure: Any) -> None:
    error, _ = measure(lambda: parse_yaml("a: b\n" * 200_000, "data/phases.yml"))
    assert "data/phases.yml: is too large to be read as YAML" in str(error)


def test_duplicate_keys_name_both_lines() -> None:
    text = "title: One\ndescription: text\ntitle: Two\n"
    with pytest.raises(SiteError) as raised:
        parse_yaml(text, "data/techniques.yml")
    assert str(raised.value).startswith(
        "data/techniques.yml:3: the key 'title' appears twice (lines 1 and 3)"
    )


def test_duplicate_keys_in_nested_mappings_are_refused_too() -> None:
    text = "terms:\n  - id: a\n    term: A\n    id: b\n"
    with pytest.raises(SiteError, match=r"glossary.yml:4: the key 'id' appears twice"):
        parse_yaml(text, "data/glossary.yml")


def test_a_data_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "therapies.yml"
    path.write_bytes("therapies:\n  - name: Caf\xe9\n".encode("cp1252"))
    with pytest.raises(SiteError) as raised:
        read_yaml(path, "data/therapies.yml")
    assert str(raised.value).startswith("data/therapies.yml:2: is not UTF-8 text")
    assert "Save the file as UTF-8" in str(raised.value)


def test_a_control_character_names_its_line() -> None:
    with pytest.raises(SiteError, match=r"^data/phases.yml:2: contains a character YAML"):
        parse_yaml("a: b\nc: d\x00\n", "data/phases.yml")


def test_a_value_below_its_key_is_reported_at_its_own_line() -> None:
    _, lines = parse_yaml("name: IPT\nsummary:\n  A value on the next line.\nlist:\n  - a\n", "f")
    assert lines[("name",)] == 1 and lines[("summary",)] == 3 and lines[("list",)] == 4


@pytest.mark.parametrize(
    "text, line",
    [
        ('title: x\ndescription "no colon"\nnext: y\n', 2),  # the key without ':'
        ('title: "not closed\ndescription: y\n', 1),  # where the quote opens
        ("title: x\n  description: y\n", 2),  # the badly indented line
    ],
)
def test_yaml_syntax_errors_point_at_the_line_to_fix(text: str, line: int) -> None:
    with pytest.raises(SiteError) as raised:
        parse_yaml(text, "clinic.yml")
    assert raised.value.line == line


# -- Page templates ------------------------------------------------------------------------


class MacrosPluginStandIn:
    """The parts of mkdocs-macros the sandbox uses: its macros, its environment and the page
    being rendered."""

    def __init__(self, body: str) -> None:
        source = FRONT_MATTER + body
        self.page = SimpleNamespace(
            file=SimpleNamespace(src_uri="attack.md", content_string=source),
            title="Attack",
            url="attack/",
        )
        self.macros = {"shout": lambda text: text.upper(), "context": lambda: "secrets"}
        self._env = jinja2.Environment()

    @property
    def env(self) -> Any:
        return self._env


def render_page(body: str, **variables: Any) -> str:
    """Render ``body`` as mkdocs-macros would, then raise the error the page made."""
    plugin = MacrosPluginStandIn(body)
    install_sandbox(plugin)
    output = str(plugin.env.from_string(body).render(**variables))
    raise_template_error(plugin)
    return output


RUNAWAY = {
    "nested loops": (
        "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
        "loops ran more than 10,000 times in all",
    ),
    "huge range": ("{{ range(10 ** 9) | length }}", "range() of 1,000,000,000 numbers"),
    "string repetition": ("{{ 'a' * 10 ** 10 }}", "a value of more than 2,000,000"),
    "list repetition, shared": (
        "{% set row = [1] * 1000000 %}{{ [row] * 1000000 }}",
        "a value of more than 2,000,000",
    ),
    "huge power": ("{{ 10 ** (10 ** 10) }}", "a number too large to compute with **"),
    "doubling by recursion": (
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s | length }}"
        "{% endif %}{% endmacro %}{{ d('a' * 1000, 18) }}",
        "a value of more than 2,000,000",
    ),
    "exponential calls": (
        "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}"
        "{{ f(18) }}",
        "more than 10,000 calls",
    ),
    "endless recursion": (
        "{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}",
        "macros called inside each other more than 20 deep",
    ),
    "replace growth": (
        "{{ ('a' * 1000000) | replace('a', 'aaaaaaaaaa') }}",
        "a value of more than 2,000,000",
    ),
    "join growth": ("{{ (['a'] * 1000) | join('x' * 100000) }}", "a value of more than"),
    "output flood": (
        "{% for i in range(10000) %}{{ 'x' * 1000000 }}{% endfor %}",
        "more than 20,000,000 characters made in all",
    ),
}


@pytest.mark.parametrize("body, expected", RUNAWAY.values(), ids=RUNAWAY.keys())
def test_runaway_template_code_stops_at_its_cap(measure: Any, body: str, expected: str) -> None:
    error, _ = measure(lambda: render_page("Text.\n\n" + body))
    assert str(error).startswith(f"docs/attack.md:{BODY_LINE + 2}: this page's template code")
    assert expected in str(error)


GROWING_CODE = {
    "str.format width": "{{ '{:>9999999999}'.format(1) }}",
    "ljust": "{{ 'a'.ljust(10 ** 10) }}",
    "percent formatting": "{{ '%9999999999d' % 1 }}",
    "center filter": "{{ 'a' | center(10 ** 10) }}",
    "lipsum": "{{ lipsum(10 ** 9) }}",
}


@pytest.mark.parametrize("body", GROWING_CODE.values(), ids=GROWING_CODE.keys())
def test_code_that_could_grow_without_bound_is_not_available(measure: Any, body: str) -> None:
    error, _ = measure(lambda: render_page(body))
    assert str(error).startswith(f"docs/attack.md:{BODY_LINE}: ")
    message = str(error)
    assert "not allowed" in message or "No filter named" in message or "undefined" in message


@pytest.mark.parametrize(
    "opening, closing", [("(", ")"), ("[", "]"), ("{% if 1 %}", "{% endif %}")]
)
def test_deeply_nested_template_code_is_refused(opening: str, closing: str) -> None:
    depth = 5000 if len(opening) == 1 else 3000
    body = (
        f"{{{{ {opening * depth}1{closing * depth} }}}}"
        if len(opening) == 1
        else (opening * depth + "x" + closing * depth)
    )
    with pytest.raises(
        SiteError,
        match=r"^docs/attack.md: this page's template code does too "
        r"much work: it is nested too deeply",
    ):
        render_page(body)


def test_ordinary_template_code_still_works() -> None:
    body = (
        "{{ shout('plain words') }} {{ [3, 1] | sort }} {{ 'a-b'.split('-') }} "
        "{% for i in range(3) %}{{ i }}{% endfor %} {{ 'x' ~ 'y' }} {{ 2 ** 8 }}"
    )
    assert render_page(body) == "PLAIN WORDS [1, 3] ['a', 'b'] 012 xy 256"


PLAIN_TEXTS = {
    "one line end": "Plain words.\n",
    "two line ends": "Plain words.\n\n",
    "no line end": "Plain words.",
    "Windows line ends": "One.\r\nTwo.\r\n",
    "old Mac line ends": "One.\rTwo.\r",
    "empty": "",
    "braces that are not code": "A set {a, b} and a { brace } and a % sign.\n",
}


@pytest.mark.parametrize("text", PLAIN_TEXTS.values(), ids=PLAIN_TEXTS.keys())
def test_a_page_without_template_code_renders_as_jinja_would(text: str) -> None:
    """Such a page is not compiled (speed), yet comes out exactly as compiled Jinja gives."""
    plugin = MacrosPluginStandIn(text)
    sandbox = install_sandbox(plugin)
    assert not sandbox.has_template_code(text)
    compiled = jinja2.Environment(keep_trailing_newline=sandbox.keep_trailing_newline)
    assert render_page(text) == compiled.from_string(text).render()


INTERNALS = ["config", "environment", "git", "plugin", "macros", "filters_builtin", "files"]


@pytest.mark.parametrize("name", INTERNALS)
def test_build_internals_are_withheld(name: str) -> None:
    secret = {"docs_dir": "/home/builder/project/docs", "email": "dev@example.org"}
    with pytest.raises(SiteError) as raised:
        print(render_page(f"{{{{ {name} }}}} {{{{ {name}.docs_dir }}}}", **{name: secret}))
    assert "not allowed" in str(raised.value)
    assert "/home/builder" not in str(raised.value)


def test_config_shows_only_the_sites_name_and_address() -> None:
    config = {"site_name": "Understanding IPT", "site_dir": "/home/builder/site"}
    assert render_page("{{ config.site_name }}", config=config) == "Understanding IPT"
    with pytest.raises(SiteError, match=r"reading 'config\.site_dir' is not allowed"):
        render_page("{{ config.site_dir }}", config=config)


def test_mkdocs_macros_diagnostics_are_gone() -> None:
    with pytest.raises(SiteError, match="'context' is undefined"):
        render_page("{{ context() }}")


FORBIDDEN_CODE = {
    "include": "{% include 'mkdocs.yml' %}",
    "import": "{% import 'x.html' as x %}",
    "recursive loop": "{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}",
    "hidden attribute": "{{ shout.__globals__ }}",
    "hidden item": "{{ shout['__globals__'] }}",
}


@pytest.mark.parametrize("body", FORBIDDEN_CODE.values(), ids=FORBIDDEN_CODE.keys())
def test_code_pages_never_need_is_refused_when_compiled(body: str) -> None:
    with pytest.raises(SiteError) as raised:
        render_page("First line.\n" + body)
    assert str(raised.value).startswith(f"docs/attack.md:{BODY_LINE + 1}: this page uses ")
    assert "not allowed" in str(raised.value)


def test_python_errors_in_template_code_are_explained() -> None:
    with pytest.raises(SiteError, match=r"attack.md:\d+: template error: division by zero"):
        render_page("{{ 1 / 0 }}")


# -- End to end: the build stops within seconds and far below 1 GB -------------------------

MEASURED_BUILD = """
import atexit, resource, sys
atexit.register(lambda: sys.stderr.write(
    f"\\nMAX_RSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n"))
from mkdocs.__main__ import cli
sys.argv[0] = "mkdocs"
cli()
"""


def measured_build(project: Path, record: Callable[[str, object], None]) -> tuple[int, str]:
    """``mkdocs build --strict`` in a subprocess that reports its own peak memory."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_BUILD, "build", "--strict", "--site-dir", "site"],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": BUILD_EPOCH, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    peak_kb = int(output.rpartition("MAX_RSS_KB ")[2].split()[0])
    record("seconds", round(time.perf_counter() - started, 1))
    record("peak_megabytes", round(peak_kb / 1024))
    assert peak_kb * 1024 < ONE_GB, output
    return result.returncode, output


def test_nested_loops_in_a_page_stop_the_build_quickly(
    project: Path, record_property: Callable[[str, object], None]
) -> None:
    page = project / "docs" / "attack.md"
    page.write_text(FRONT_MATTER + RUNAWAY["nested loops"][0] + "\n")
    returncode, output = measured_build(project, record_property)
    assert returncode != 0
    assert f"docs/attack.md:{BODY_LINE}: this page's template code does too much work" in output
    assert "Traceback" not in output
    assert not (project / "site").exists()


def test_an_alias_bomb_in_data_stops_the_build_quickly(
    project: Path, record_property: Callable[[str, object], None]
) -> None:
    (project / "data" / "phases.yml").write_text(ALIAS_BOMB)
    returncode, output = measured_build(project, record_property)
    assert returncode != 0
    assert "data/phases.yml:2: uses a YAML alias (*name), which is not allowed." in output
    assert "Traceback" not in output
