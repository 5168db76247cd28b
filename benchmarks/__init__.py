"""Speed and size measurements (``make benchmark``); shared helpers."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from macros.check.build import build

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def built_site(name: str) -> Iterator[Path]:
    """The real site built strictly into a scratch folder, removed afterwards; a failed
    build ends the benchmark with mkdocs' output (nothing to measure)."""
    with tempfile.TemporaryDirectory(prefix=f"ipt-{name}-") as scratch:
        site = Path(scratch) / "site"
        succeeded, output = build(ROOT, site)
        if not succeeded:
            sys.exit(output)
        yield site
