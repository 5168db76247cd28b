"""Benchmark: how long do many clinics take with ``make clinics``, against one build each?

Writes 10 clinic files into a scratch copy of the project (the sample clinic under 10 names,
colours, countries and paper sizes, each with its logo and its own page), then, in the same
run and each from an empty PDF cache, times:

- 10 separate builds, one ``mkdocs build --strict`` per clinic, as a health system without
  ``make clinics`` has to;
- ``make clinics`` (``python -m macros.plugin.clinic_sites``) building all 10.

Target: 10 clinics in at most 3 times one build, that is a ratio of at most 0.30 against
the 10 separate builds. The last line is that ratio.

Run with ``make benchmark`` or ``python -m benchmarks.clinics [--clinics N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_ITEMS = ("docs", "data", "macros", "mkdocs.yml", "references.bib", "examples")
SAMPLE = ROOT / "examples" / "clinics" / "riverside.yml"
#: (name, accent colour, country and region, paper size) of each benchmark clinic, in turn.
VARIANTS = [
    ("Northgate", "#0b5563", "country: uk\nregion: scotland", "A4"),
    ("Harbour View", "#6a1b9a", "country: us", "Letter"),
    ("Southbank", "#1d4f73", "country: au", "A4"),
    ("Maple Street", "#8a3b00", "country: ca", "Letter"),
    ("Kowhai", "#2e5e1e", "country: nz", "A4"),
    ("Liffey", "#005a70", "country: ie", "A4"),
]


def clinic_file(number: int) -> str:
    """The sample clinic file with this clinic's name, colour, country and paper size."""
    name, colour, place, paper = VARIANTS[number % len(VARIANTS)]
    text = SAMPLE.read_text(encoding="utf-8")
    replacements = {
        "name: Riverside Wellbeing Clinic": f"name: {name} Clinic {number}",
        'accent_colour: "#0b5563"': f'accent_colour: "{colour}"',
        "country: uk\n": "",
        "region: england": place,
        "paper_size: A4": f"paper_size: {paper}",
        "site_url: https://ipt.riverside-clinic.example/": (
            f"site_url: https://ipt-{number}.clinics.example/"
        ),
    }
    for old, new in replacements.items():
        assert old in text, f"the sample clinic no longer has {old!r}"
        text = text.replace(old, new)
    return text


def scratch_project(directory: Path, clinics: int) -> Path:
    for item in PROJECT_ITEMS:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, directory / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, directory / item)
    shutil.copytree(
        ROOT / "examples" / "clinics" / "riverside", directory / "clinics" / "riverside"
    )
    for number in range(1, clinics + 1):
        (directory / "clinics" / f"clinic-{number:02d}.yml").write_text(clinic_file(number))
    return directory


def timed(command: list[str], project: Path, cache: Path, **env: str) -> float:
    """Seconds ``command`` takes in ``project`` with an empty PDF cache of its own."""
    shutil.rmtree(cache, ignore_errors=True)
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "IPT_CACHE_DIR": str(cache), **env}
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=project, env=environment, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clinics", type=int, default=10)
    count = parser.parse_args().clinics
    with tempfile.TemporaryDirectory(prefix="ipt-clinics-") as scratch:
        project = scratch_project(Path(scratch) / "project", count)
        cache = Path(scratch) / "cache"
        separate = []
        for number in range(1, count + 1):
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
            command += ["--site-dir", str(Path(scratch) / "site")]
            clinic = f"clinics/clinic-{number:02d}.yml"
            separate.append(timed(command, project, cache, IPT_CLINIC=clinic))
            print(f"separate build {number}/{count}: {separate[-1]:.1f} s", flush=True)
        together = timed([sys.executable, "-m", "macros.plugin.clinic_sites"], project, cache)
    one = statistics.median(separate)
    print(f"{count} clinics, 8 handouts each in standard and large print, {os.cpu_count()} CPUs")
    print(f"one build (median of {count}):   {one:.1f} s")
    print(f"{count} separate builds:          {sum(separate):.1f} s")
    print(f"make clinics ({count} clinics):    {together:.1f} s = {together / one:.2f} x one build")
    print(f"make clinics / {count} separate builds = {together / sum(separate):.3f}")


if __name__ == "__main__":
    main()
