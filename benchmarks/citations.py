"""Benchmark: how much do citations cost a build?

Generates a deterministic synthetic site (400 pages, a 2,000-entry bibliography plus the
project's own references, 10 citations a page) and builds it twice over: once with
pandoc-style citations, once with the same text as plain words. Both builds run in this
process with the same plugins, so the ratio of their times shows the citation engine's
cost. Target: at most 1.15.

Run with ``make benchmark`` or ``python -m benchmarks.citations``.
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parents[1]
PAGES = 400
ENTRIES = 2000
CITATIONS_PER_PAGE = 10
ROUNDS = 5
SURNAMES = ["Weissman", "Markowitz", "Cuijpers", "Lipsitz", "Frank", "Mufson", "Stuart", "Lemma"]
SURNAMES += ["Fonagy", "Target", "Klerman", "Bolton", "Reynolds", "Swartz", "Ravitz", "Elkin"]
GIVEN = ["Anna", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gita", "Hugo", "Ines", "Jon"]
CONFIG = """site_name: Citation benchmark
theme:
  name: material
  font: false
plugins:
  - search
  - ipt:
      bibliography: references.bib
  - macros:
      module_name: macros
      on_undefined: strict
      on_error_fail: true
"""
FRONT_MATTER = """---
title: Page {number}
description: A synthetic page for the citation benchmark, number {number}.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

# Page {number}

"""


def synthetic_bibliography(rng: random.Random) -> str:
    entries = []
    for index in range(ENTRIES):
        authors = " and ".join(
            f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 4))
        )
        entries.append(
            f"@article{{ref{index},\n  author = {{{authors}}},\n"
            f"  title = {{A study of interpersonal therapy number {index}}},\n"
            f"  journal = {{Journal of Synthetic Psychotherapy}},\n"
            f"  year = {{{rng.randint(1980, 2025)}}},\n  volume = {{{rng.randint(1, 80)}}},\n"
            f"  pages = {{{index}--{index + 9}}},\n  doi = {{10.9999/bench.{index}}}\n}}\n"
        )
    return "\n".join(entries)


def synthetic_page(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(CITATIONS_PER_PAGE // 2):
        first, second = rng.sample(range(ENTRIES), 2)
        paragraphs.append(
            f"Interpersonal therapy helps with relationships [@ref{first}]. "
            f"People often feel better when support grows, as @ref{second} found. "
            "This sentence has no citation, to keep the text realistic."
        )
    return FRONT_MATTER.format(number=number) + "\n\n".join(paragraphs) + "\n"


def write_site(directory: Path, *, with_citations: bool) -> Path:
    """The same site either way; without citations, each one is plain text instead."""
    rng = random.Random(20261122)
    (directory / "docs").mkdir(parents=True)
    shutil.copytree(ROOT / "data", directory / "data")
    shutil.copytree(ROOT / "macros", directory / "macros")
    # The real entries too: the project's data files cite them.
    real = (ROOT / "references.bib").read_text(encoding="utf-8")
    (directory / "references.bib").write_text(synthetic_bibliography(rng) + "\n" + real)
    (directory / "mkdocs.yml").write_text(CONFIG)
    for number in range(PAGES):
        text = synthetic_page(rng, number)
        if not with_citations:
            text = re.sub(r"\[?@(ref\d+)\]?", r"(\1)", text)
        (directory / "docs" / f"page-{number:03d}.md").write_text(text)
    return directory / "mkdocs.yml"


def timed_build(config_file: Path) -> float:
    start = time.perf_counter()
    build(load_config(str(config_file), site_dir=str(config_file.parent / "site")))
    return time.perf_counter() - start


def main() -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as scratch:
        cited = write_site(Path(scratch) / "cited", with_citations=True)
        plain = write_site(Path(scratch) / "plain", with_citations=False)
        timed_build(plain)  # warm-up: imports and caches, as in `mkdocs serve`
        timed_build(cited)
        cited_times, plain_times = [], []
        for _ in range(ROUNDS):  # interleaved, so drifting machine load hits both alike
            plain_times.append(timed_build(plain))
            cited_times.append(timed_build(cited))
    # The fastest run is the least disturbed by the rest of the machine.
    cited_best, plain_best = min(cited_times), min(plain_times)
    print(f"{PAGES} pages, {ENTRIES} bib entries, {CITATIONS_PER_PAGE} citations a page")
    spread = f"median {statistics.median(plain_times):.2f} s"
    print(f"plain text build:  {plain_best:.2f} s (best of {ROUNDS}; {spread})")
    spread = f"median {statistics.median(cited_times):.2f} s"
    print(f"with citations:    {cited_best:.2f} s (best of {ROUNDS}; {spread})")
    print(f"citation build time / plain build time = {cited_best / plain_best:.3f}")


if __name__ == "__main__":
    main()
