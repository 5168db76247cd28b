"""Benchmark: Lighthouse performance and accessibility scores, mobile preset.

Builds the site, serves it with Debian's nginx and the README's own server block (gzip,
security headers: what a clinic's readers get; ``macros/check/nginx.py``) and runs npm's
``lighthouse`` with Debian's Chromium on the home page, a content page and "Get help now",
in three rounds of the three pages. It prints each page's median scores and the median of
each metric the performance score is made of (Lighthouse 12 weights: total blocking time
30 %, largest contentful paint 25 %, cumulative layout shift 25 %, first contentful paint
and speed index 10 % each), so a change shows which one it moved. Targets: performance at
least 0.95, accessibility 1.00. Lighthouse is not a project dependency: it is run from the
folder in ``IPT_LIGHTHOUSE`` (``npm install --prefix DIR lighthouse``) or with ``npx`` at
benchmark time, never by the tests.

The scores move with the machine's load (Lighthouse simulates a slow phone from the work
this machine's browser did): on a shared machine, run more rounds (``--runs``), and keep
each run's full report (``--reports DIR``) to read the audits behind a number.

Run with ``make benchmark`` or ``python -m benchmarks.lighthouse [--runs N] [--reports DIR]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import built_site
from macros.check.browser import CHROMIUM
from macros.check.nginx import nginx_missing, served_by_nginx

PAGES = {"home": "", "content page": "problem-areas/grief/", "help page": "help-now/"}
RUNS = 3
CATEGORIES = ("performance", "accessibility")
#: The metrics the performance score is made of, and how each is printed.
METRICS = {
    "first-contentful-paint": "FCP {:.0f} ms",
    "largest-contentful-paint": "LCP {:.0f} ms",
    "total-blocking-time": "TBT {:.0f} ms",
    "cumulative-layout-shift": "CLS {:.3f}",
    "speed-index": "SI {:.0f} ms",
}
ATTEMPTS = 3


def lighthouse_command() -> list[str]:
    folder = os.environ.get("IPT_LIGHTHOUSE")
    if folder:
        return [str(Path(folder) / "node_modules" / ".bin" / "lighthouse")]
    if shutil.which("npx") is None:
        sys.exit("Lighthouse needs npm (npx) or IPT_LIGHTHOUSE=<folder with lighthouse>.")
    return ["npx", "--yes", "lighthouse"]


def report(url: str, target: Path) -> dict[str, Any]:
    """One Lighthouse run on ``url`` (mobile preset, the default), its report kept in
    ``target``."""
    command = [*lighthouse_command(), url, "--output=json", f"--output-path={target}"]
    command += ["--quiet", f"--only-categories={','.join(CATEGORIES)}"]
    command += ["--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    for _ in range(ATTEMPTS):  # on a busy machine Lighthouse sometimes loses its trace
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        if result.returncode == 0:
            return dict(json.loads(target.read_text(encoding="utf-8")))
    sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")


def measures(run: dict[str, Any]) -> dict[str, float]:
    """A run's category scores and metric values, by name."""
    values = {name: float(run["categories"][name]["score"]) for name in CATEGORIES}
    values |= {audit: float(run["audits"][audit]["numericValue"]) for audit in METRICS}
    return values


def shown(medians: dict[str, float]) -> str:
    scores = ", ".join(f"{name} {medians[name]:.2f}" for name in CATEGORIES)
    metrics = ", ".join(form.format(medians[audit]) for audit, form in METRICS.items())
    return f"{scores} ({metrics})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per page (median)")
    parser.add_argument("--reports", type=Path, help="keep every run's JSON report here")
    arguments = parser.parse_args()
    missing = nginx_missing()
    if missing:
        sys.exit(missing)
    with tempfile.TemporaryDirectory(prefix="ipt-lighthouse-") as scratch:
        folder = arguments.reports or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in PAGES}
        with built_site("lighthouse") as site, served_by_nginx(site) as base_url:
            for number in range(1, arguments.runs + 1):  # rounds: load drifts alike on all
                for label, path in PAGES.items():
                    target = folder / f"{label.replace(' ', '-')}-{number}.json"
                    runs[label].append(measures(report(base_url + path, target)))
    medians = {
        label: {key: statistics.median(run[key] for run in page) for key in page[0]}
        for label, page in runs.items()
    }
    for label, path in PAGES.items():
        print(f"{label:13} ({path or '/'}): {shown(medians[label])} (median of {arguments.runs})")
    worst = {name: min(page[name] for page in medians.values()) for name in CATEGORIES}
    print(
        f"lowest medians: performance {worst['performance']:.2f} (target 0.95), "
        f"accessibility {worst['accessibility']:.2f} (target 1.00)"
    )
    if arguments.reports:
        print(f"reports: {arguments.reports}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
