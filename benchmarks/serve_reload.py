"""Benchmark: how long after an editor saves a page does ``mkdocs serve`` show the change?

In a scratch copy of the project, starts ``mkdocs serve`` (as ``make serve`` does), waits
for the first build, then adds a sentence to one page and polls the served page until the
sentence is there: the time from the save to the new page, what a reader of the preview
waits for (the browser's own reload adds a fraction of a second). Several edits; the
median is reported, once for a full rebuild on every change and once with ``--dirty``
(mkdocs rebuilds only the pages whose files changed; ``make serve`` uses it). Target: at
most 3 s, for ``make serve``.

Run with ``make benchmark`` or ``python -m benchmarks.serve_reload``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from macros.check.nginx import free_port

ROOT = Path(__file__).resolve().parents[1]
PROJECT_ITEMS = ("docs", "data", "macros", "mkdocs.yml", "references.bib")
EDITED = Path("docs/about/history.md")
EDITED_URL = "about/history/"
EDITS = 4
TIMEOUT = 180.0


def served(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, text: str, deadline: float) -> float:
    """When ``text`` appeared at ``url`` (polled every 50 ms)."""
    while time.perf_counter() < deadline:
        if text in served(url):
            return time.perf_counter()
        time.sleep(0.05)
    raise TimeoutError(f"{text!r} did not appear at {url}")


def reload_times(project: Path, *options: str) -> list[float]:
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [*command, *options],
        cwd=project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{EDITED_URL}"
    page = project / EDITED
    original = page.read_text(encoding="utf-8")
    try:
        wait_for(url, "</html>", time.perf_counter() + TIMEOUT)
        times = []
        for number in range(EDITS):
            time.sleep(1.5)  # past the watcher's debounce of the previous edit
            marker = f"Edit number {number} for the reload benchmark."
            page.write_text(original + f"\n{marker}\n", encoding="utf-8")
            saved = time.perf_counter()
            times.append(wait_for(url, marker, saved + TIMEOUT) - saved)
        return times
    finally:
        page.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ipt-serve-") as scratch:
        project = Path(scratch)
        for item in PROJECT_ITEMS:
            source = ROOT / item
            if source.is_dir():
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(source, project / item, ignore=ignore)
            else:
                shutil.copy2(source, project / item)
        full = reload_times(project)
        print("full rebuild: " + ", ".join(f"{seconds:.2f} s" for seconds in full))
        dirty = reload_times(project, "--dirty")
        print("--dirty:      " + ", ".join(f"{seconds:.2f} s" for seconds in dirty))
    print(f"serve reload, full rebuild (median of {EDITS}) = {statistics.median(full):.2f} s")
    # The slowest too: a reload that grows with each edit hides behind a median.
    print(f"make serve (--dirty) reload, slowest of {EDITS} = {max(dirty):.2f} s")
    print(f"make serve (--dirty) reload, median of {EDITS} = {statistics.median(dirty):.2f} s")


if __name__ == "__main__":
    main()
