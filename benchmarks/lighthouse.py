"""Benchmark: Lighthouse performance and accessibility scores, mobile preset.

Builds the site, serves it with Debian's nginx and the README's own server block (gzip,
security headers: what a clinic's readers get; ``macros/check/nginx.py``) and runs npm's
``lighthouse`` with Debian's Chromium three times on the home page, a content page and
"Get help now"; the median score of each is printed. Targets: performance at least 0.95,
accessibility 1.00. Lighthouse is not a project dependency: it is run from the folder in
``IPT_LIGHTHOUSE`` (``npm install --prefix DIR lighthouse``) or with ``npx`` at benchmark
time, never by the tests.

Run with ``make benchmark`` or ``python -m benchmarks.lighthouse``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks import built_site
from macros.check.browser import CHROMIUM
from macros.check.nginx import nginx_missing, served_by_nginx

PAGES = {"home": "", "content page": "problem-areas/grief/", "help page": "help-now/"}
RUNS = 3
CATEGORIES = ("performance", "accessibility")
ATTEMPTS = 3


def lighthouse_command() -> list[str]:
    folder = os.environ.get("IPT_LIGHTHOUSE")
    if folder:
        return [str(Path(folder) / "node_modules" / ".bin" / "lighthouse")]
    if shutil.which("npx") is None:
        sys.exit("Lighthouse needs npm (npx) or IPT_LIGHTHOUSE=<folder with lighthouse>.")
    return ["npx", "--yes", "lighthouse"]


def scores(url: str) -> dict[str, float]:
    """One Lighthouse run's scores for ``url`` (mobile preset, the default)."""
    command = [*lighthouse_command(), url, "--output=json", "--quiet"]
    command += [f"--only-categories={','.join(CATEGORIES)}"]
    command += ["--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    for _ in range(ATTEMPTS):  # on a busy machine Lighthouse sometimes loses its trace
        result = subprocess.run(command, capture_output=True, text=True, env=environment)
        if result.returncode == 0:
            report = json.loads(result.stdout)
            return {name: float(report["categories"][name]["score"]) for name in CATEGORIES}
    sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")


def main() -> int:
    missing = nginx_missing()
    if missing:
        sys.exit(missing)
    with built_site("lighthouse") as site:
        medians = {}
        with served_by_nginx(site) as base_url:
            for label, path in PAGES.items():
                runs = [scores(base_url + path) for _ in range(RUNS)]
                medians[label] = {
                    name: statistics.median(run[name] for run in runs) for name in CATEGORIES
                }
                shown = ", ".join(f"{name} {medians[label][name]:.2f}" for name in CATEGORIES)
                print(f"{label:13} ({path or '/'}): {shown} (median of {RUNS})", flush=True)
    worst = {name: min(page[name] for page in medians.values()) for name in CATEGORIES}
    print(
        f"lowest medians: performance {worst['performance']:.2f} (target 0.95), "
        f"accessibility {worst['accessibility']:.2f} (target 1.00)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
