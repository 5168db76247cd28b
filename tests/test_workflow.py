"""The editors' CI workflow: valid (actionlint), read-only, no secrets, pull requests only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
#: The actionlint binary comes inside its wheel; nothing is downloaded when it runs.
ACTIONLINT = Path(sys.executable).parent / "actionlint"
NO_NETWORK = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", *map(str, paths)],
        env={**os.environ, **NO_NETWORK},
        capture_output=True,
        text=True,
        check=False,
    )


def workflow(path: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_there_is_an_editors_workflow() -> None:
    assert [path.name for path in WORKFLOWS] == ["editors-check.yml"]


def test_actionlint_finds_no_problem() -> None:
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_script_injection(tmp_path: Path) -> None:
    """The check can fail: a pull request's title used inside a shell script."""
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        WORKFLOWS[0]
        .read_text(encoding="utf-8")
        .replace(
            "        run: make check",
            '        run: echo "${{ github.event.pull_request.title }}" && make check',
        )
    )
    result = actionlint(broken)
    assert result.returncode != 0
    assert "github.event.pull_request.title" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_pull_requests_get_read_only_access_and_no_secrets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    loaded = workflow(path)
    triggers = loaded[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"pull_request"}
    assert loaded["permissions"] == {"contents": "read"}
    for job in loaded["jobs"].values():
        assert "permissions" not in job
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    assert "secrets." not in text
    assert "pull_request_target" not in text


def test_the_gate_runs_make_check() -> None:
    steps = workflow(WORKFLOWS[0])["jobs"]["check"]["steps"]
    assert {"name": "make check", "env": {"CI": "true"}, "run": "make check"} in steps
