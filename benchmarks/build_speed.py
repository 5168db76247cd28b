"""Benchmark: what does our plugin cost a build, against plain Material on the same content?

A deterministic synthetic site (400 pages, a 2,000-entry bibliography plus the project's own
references, 10 citations a page) is built two ways, each with Material, the project's
theme features and Markdown extensions and the search plugin:

- plain Material: no ``ipt`` plugin, no mkdocs-macros, no theme overrides; every citation
  left as text (``(ref12)``);
- our full build: the project's theme overrides, stylesheets and scripts, the ``ipt``
  plugin and mkdocs-macros, citations on. From 150 pages on, the plugin switches on
  Material's ``navigation.prune`` (``prune_nav_from``), so at 400 pages it prunes. The
  synthetic pages are English only, so only English is built (each more language builds
  every page again, as an English fallback until it is translated);

and, so the plugin's own cost is visible apart from pruning, plain Material with
``navigation.prune`` as well.

Each build runs in a fresh process with an empty handout cache, so nothing is reused from
an earlier build (the bibliography cache lives in the process). Builds are interleaved
(each round starting with the next variant), so drifting machine load hits all alike;
ratios are the median of the per-round ratios. Then:

- time per stage of our build, from a cProfile of one in-process build (profiling slows
  Python code down, so the stages are shares, not wall times);
- growth: our build of 2,000 pages against 400 (median of paired fresh builds).

Targets: our build / plain Material at most 1.15; 2,000 / 400 pages at most 5.25. The
ratio of our build to plain Material is printed last.

Run with ``make benchmark`` or ``python -m benchmarks.build_speed [--rounds N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAGES = 400
LARGE_PAGES = 2000
ENTRIES = 2000
CITATIONS_PER_PAGE = 10
SURNAMES = ["Weissman", "Markowitz", "Cuijpers", "Lipsitz", "Frank", "Mufson", "Stuart", "Lemma"]
SURNAMES += ["Fonagy", "Target", "Klerman", "Bolton", "Reynolds", "Swartz", "Ravitz", "Elkin"]
GIVEN = ["Anna", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gita", "Hugo", "Ines", "Jon"]
SECTIONS = 20  #: pages are spread over this many folders, so the nav has sections
FRONT_MATTER = """---
title: Page {number}
description: A synthetic page for the build benchmark, number {number}.
last_reviewed: 2026-11-01
next_review: 2027-11-01
review_status: draft
---

# Page {number}

"""
#: Where the profile's time goes: a stage is the cumulative time of these functions
#: (file fragment, function name), so nested calls are never counted twice.
STAGES: dict[str, list[tuple[str, str]]] = {
    "bibliography (load, cite, reference lists)": [
        ("citations/bibliography.py", "load"),
        ("citations/in_text.py", "__init__"),
        ("citations/in_text.py", "read"),
        ("citations/in_text.py", "render"),
        ("citations/reference_lists.py", "references_section"),
        ("citations/reference_lists.py", "bibliography_html"),
        ("citations/bibliography.py", "check_cited"),
    ],
    "front matter": [("content/front_matter.py", "page_meta")],
    "macros (Jinja in pages)": [("mkdocs_macros/plugin.py", "on_page_markdown")],
    "page Markdown": [("mkdocs/structure/pages.py", "render")],
    "HTML checks (policy, escaping, CSP)": [
        ("plugin/html_policy.py", "check_page_html"),
        ("plugin/escaping.py", "escape_site"),
        ("plugin/file_policy.py", "check_published_files"),
        ("plugin/csp.py", "inline_script_hashes"),
    ],
    "furniture (review line, reading time, cite this page)": [
        ("plugin/furniture.py", "reading_minutes"),
        ("plugin/furniture.py", "page_info_html"),
        ("citations/cite_this_page.py", "cite_this_page_html"),
    ],
    "search index": [("plugins/search/plugin.py", "on_page_context")],
    "theme templates (write pages)": [("mkdocs/commands/build.py", "_build_page")],
    "PDFs": [("handouts/printer.py", "print_handouts")],
}


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


def site_config(*, ours: bool, prune: bool = False) -> str:
    """The project's mkdocs.yml without its nav; plain Material loses every part of ours."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    config["site_name"] = "Build benchmark"
    config.pop("nav")
    config.pop("validation")
    if ours:
        plugins = [plugin for plugin in config["plugins"] if isinstance(plugin, dict)]
        ipt = next(plugin["ipt"] for plugin in plugins if "ipt" in plugin)
        ipt["clinic"] = ""
        ipt["cache_dir"] = os.environ.get("IPT_CACHE_DIR", ".cache")
        # The synthetic pages are English only, as plain Material's are: building the
        # Spanish site too would build every page a second time (as an English fallback).
        i18n = next(plugin["i18n"] for plugin in plugins if "i18n" in plugin)
        for language in i18n["languages"]:
            language["build"] = bool(language.get("default"))
    else:
        config["theme"].pop("custom_dir")
        config.pop("extra_css")
        config.pop("extra_javascript")
        config.pop("exclude_docs")
        config["plugins"] = ["search"]
    if prune:
        config["theme"]["features"].append("navigation.prune")
    return yaml.safe_dump(config, sort_keys=False)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's !ENV tags, read as their default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    assert isinstance(node, yaml.SequenceNode), "mkdocs.yml: !ENV takes [VARIABLE, default]"
    return loader.construct_sequence(node)[-1]


_Loader.add_constructor("!ENV", _env_default)


def write_site(directory: Path, pages: int, *, ours: bool, prune: bool = False) -> Path:
    """The same pages either way; for plain Material each citation is plain text instead."""
    rng = random.Random(20261122)
    docs = directory / "docs"
    docs.mkdir(parents=True)
    real = (ROOT / "references.bib").read_text(encoding="utf-8")
    (directory / "references.bib").write_text(synthetic_bibliography(rng) + "\n" + real)
    if ours:
        shutil.copytree(ROOT / "data", directory / "data")
        shutil.copytree(ROOT / "macros", directory / "macros")
        shutil.copytree(ROOT / "docs" / "overrides", docs / "overrides")
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    (directory / "mkdocs.yml").write_text(site_config(ours=ours, prune=prune))
    (docs / "index.md").write_text(FRONT_MATTER.format(number="home"))
    for number in range(pages):
        text = synthetic_page(rng, number)
        if not ours:
            text = re.sub(r"\[?@(ref\d+)\]?", r"(\1)", text)
        section = docs / f"section-{number % SECTIONS:02d}"
        section.mkdir(exist_ok=True)
        (section / f"page-{number:04d}.md").write_text(text)
    return directory / "mkdocs.yml"


def fresh_build(config_file: Path) -> float:
    """Seconds for one ``mkdocs build`` in a new process with an empty handout cache."""
    project = config_file.parent
    cache = project / ".cache"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "IPT_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"the build of {config_file} failed:\n{result.stdout}{result.stderr}")
    return elapsed


def interleaved(configs: list[Path], rounds: int) -> list[list[float]]:
    """Fresh builds of each site in turn, each round starting with the next one, so drifting
    machine load hits all alike; the times of each site, round by round."""
    times: list[list[float]] = [[] for _ in configs]
    for index in range(rounds):
        order = [(index + offset) % len(configs) for offset in range(len(configs))]
        for slot in order:
            times[slot].append(fresh_build(configs[slot]))
        row = ", ".join(f"{site[-1]:.1f} s" for site in times)
        print(f"  round {index + 1}/{rounds}: {row}", flush=True)
    return times


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    pairs = zip(numerators, denominators, strict=True)
    return statistics.median(top / bottom for top, bottom in pairs)


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def stage_profile(config_file: Path) -> dict[str, float]:
    """Seconds of each stage in a profiled in-process build (see STAGES)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    profile = cProfile.Profile()
    with working_directory(config_file.parent):
        sys.path.insert(0, str(config_file.parent))
        config = load_config(str(config_file))
        profile.enable()
        started = time.perf_counter()
        build(config)
        total = time.perf_counter() - started
        profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    stages = {"total (profiled)": total}
    for stage, functions in STAGES.items():
        stages[stage] = sum(
            cumulative
            for (file, _, name), (_, _, _, cumulative, _) in stats.items()
            for fragment, function in functions
            if name == function and file.replace(os.sep, "/").endswith(fragment)
        )
    # Writing a page also adds it to the search index: that time is the search stage's.
    stages["theme templates (write pages)"] -= stages["search index"]
    return stages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of builds at 400 pages")
    parser.add_argument("--growth-rounds", type=int, default=2, help="rounds of 2,000/400")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipt-speed-") as scratch:
        plain = write_site(Path(scratch) / "plain", PAGES, ours=False)
        pruned = write_site(Path(scratch) / "pruned", PAGES, ours=False, prune=True)
        ours = write_site(Path(scratch) / "ours", PAGES, ours=True)
        large = write_site(Path(scratch) / "large", LARGE_PAGES, ours=True)
        print(f"{PAGES} pages, {ENTRIES} bib entries, {CITATIONS_PER_PAGE} citations a page")
        print("plain Material, plain Material with navigation.prune, our full build:")
        plain_times, pruned_times, our_times = interleaved([plain, pruned, ours], arguments.rounds)
        print(f"our full build, {LARGE_PAGES} and {PAGES} pages:")
        large_times, small_times = interleaved([large, ours], arguments.growth_rounds)
        stages = stage_profile(ours)
    total = stages.pop("total (profiled)")
    print(f"\nour build by stage (one profiled build, {total:.1f} s with profiling):")
    for stage, seconds in stages.items():
        print(f"  {seconds:6.2f} s  {100 * seconds / total:4.0f} %  {stage}")
    print(f"\nplain Material:            median {statistics.median(plain_times):6.2f} s")
    print(f"plain Material, pruned:    median {statistics.median(pruned_times):6.2f} s")
    print(f"our full build (pruned):   median {statistics.median(our_times):6.2f} s")
    print(f"our build, {LARGE_PAGES} pages:   median {statistics.median(large_times):6.2f} s")
    like_for_like = median_ratio(our_times, pruned_times)
    print(f"our build / plain Material with navigation.prune = {like_for_like:.3f}")
    growth = median_ratio(large_times, small_times)
    print(f"{LARGE_PAGES} / {PAGES} pages = {growth:.2f} (target: at most 5.25)")
    ratio = median_ratio(our_times, plain_times)
    print(f"our build / plain Material (median of {len(our_times)} paired ratios) = {ratio:.3f}")


if __name__ == "__main__":
    main()
