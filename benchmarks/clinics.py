"""Benchmark: how long do many clinics take with ``make clinics``, against one build each?

Writes 10 clinic files into a scratch copy of the project (the sample clinic under 10 names,
colours, countries and paper sizes, each with its logo and its own page), then, in the same
run and each from an empty PDF cache, times:

- 10 separate builds, one ``mkdocs build --strict`` per clinic, as a health system without
  ``make clinics`` has to;
- ``make clinics`` (``python -m macros.plugin.clinic_sites``) building all 10.

Target: 10 clinics in at most 3 times one build, that is a ratio of at most 0.30 against
the 10 separate builds. The last line is that ratio, in elapsed time. ``make clinics`` uses
every CPU, so on a machine that others share its elapsed time varies with their load; the
CPU time each way (the work done, whatever the load) is printed too.

Run with ``make benchmark`` or ``python -m benchmarks.clinics [--clinics N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Timing:
    elapsed: float
    cpu: float  #: user and system time of the command and every process it started

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.elapsed + other.elapsed, self.cpu + other.cpu)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], project: Path, cache: Path, **env: str) -> Timing:
    """How long ``command`` takes in ``project`` with an empty PDF cache of its own."""
    shutil.rmtree(cache, ignore_errors=True)
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "IPT_CACHE_DIR": str(cache), **env}
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(
        command, cwd=project, env=environment, capture_output=True, text=True, check=False
    )
    timing = Timing(time.perf_counter() - started, children_cpu() - cpu)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return timing


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
            print(f"separate build {number}/{count}: {separate[-1].elapsed:.1f} s", flush=True)
        together = timed([sys.executable, "-m", "macros.plugin.clinic_sites"], project, cache)
    one = Timing(
        statistics.median(timing.elapsed for timing in separate),
        statistics.median(timing.cpu for timing in separate),
    )
    every = sum(separate, Timing(0, 0))
    print(f"{count} clinics, 8 handouts each in standard and large print, {os.cpu_count()} CPUs")
    print(f"one build (median):     {one.elapsed:6.1f} s elapsed, {one.cpu:6.1f} s CPU")
    print(f"{count} separate builds:    {every.elapsed:6.1f} s elapsed, {every.cpu:6.1f} s CPU")
    print(f"make clinics:           {together.elapsed:6.1f} s elapsed, {together.cpu:6.1f} s CPU")
    print(
        f"make clinics / one build: {together.elapsed / one.elapsed:.2f} elapsed, "
        f"{together.cpu / one.cpu:.2f} CPU (target: at most 3 elapsed)"
    )
    print(f"make clinics / {count} separate builds = {together.elapsed / every.elapsed:.3f}")


if __name__ == "__main__":
    main()
