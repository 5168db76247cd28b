"""Every clinic's site and handout pack from one command: ``make clinics``.

Each ``clinics/<name>.yml`` becomes ``clinic-sites/<name>/`` (the site, for that clinic's
web server) and ``clinic-sites/<name>-handouts.zip`` (every handout PDF, standard and large
print). Every clinic file is checked before anything is built, so a mistake in the last one
costs no build. The builds then run one after another in this process, each a full strict
mkdocs build, sharing what does not differ between clinics: the imports, the bibliography,
WeasyPrint's parsed stylesheet and fonts, and the Markdown → HTML of every page whose
Markdown is the same (``macros/plugin/render_cache.py``). What differs is built per clinic:
the theme and branding, the crisis lines the macros write, and the PDFs. A site appears
under its name only once its build has succeeded.

Run with ``make clinics`` or ``python -m macros.plugin.clinic_sites [--clinics DIR]
[--output DIR]``.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from macros.content.clinic import load_clinic
from macros.errors import SiteError
from macros.handouts.links import ZIP_NAME, PrintedFile
from macros.handouts.printer import PRINTS, Handout, HandoutPrinter, PrintContext, write_pdfs
from macros.plugin import IptPlugin
from macros.plugin.render_cache import RenderCache

CLINICS_DIR = "clinics"
OUTPUT_DIR = "clinic-sites"
log = logging.getLogger("mkdocs")
Report = Callable[[str], None]


def render_pdf(context: PrintContext, handout: Handout, large_print: bool) -> PrintedFile | str:
    """One handout's PDF, in a worker process: its bytes, or what is wrong with it (an
    error's message crosses processes; mkdocs' exceptions do not)."""
    try:
        return HandoutPrinter(context).pdf(handout, large_print=large_print)[0]
    except SiteError as error:
        return str(error)


@dataclass
class ClinicBuild:
    """One clinic's build: its site, then its PDFs, rendered by the worker processes."""

    number: int
    setting: str  #: the clinic file, relative to the project
    site: Path
    started: float = field(default_factory=time.perf_counter)
    #: Each language's print settings and the site paths of its PDFs (one build per language).
    printed: list[tuple[PrintContext, list[str]]] = field(default_factory=list)
    pdfs: dict[str, Future[PrintedFile | str]] = field(default_factory=dict)
    succeeded: bool = False

    @property
    def partial(self) -> Path:
        """Where the site is built; it takes its real name once everything succeeded."""
        return self.site.with_name(f".{self.site.name}.partial")


class ClinicSites:
    """Builds clinic sites one after another in this process, sharing converted pages,
    while worker processes render the PDFs of the sites already built."""

    def __init__(self, project_dir: Path, output_dir: Path, pool: Executor, report: Report):
        self.project_dir = project_dir
        self.output_dir = output_dir
        self.pool = pool
        self.report = report
        self.render_cache = RenderCache()

    def config(self, setting: str, site_dir: Path) -> MkDocsConfig:
        config = load_config(
            str(self.project_dir / "mkdocs.yml"), site_dir=str(site_dir), strict=True
        )
        config.plugins["ipt"].config["clinic"] = setting
        return config

    def check(self, settings: list[str]) -> list[str]:
        """Every problem in every clinic file, before any build starts."""
        data_dir = Path(self.config("", self.output_dir).plugins["ipt"].config["data_dir"])
        problems = []
        for setting in settings:
            try:
                load_clinic(setting, self.project_dir, data_dir)
            except SiteError as error:
                problems.append(str(error))
        return problems

    def build_site(self, clinic: ClinicBuild, total: int) -> None:
        """The clinic's site, with its PDFs queued for the workers."""

        def queue(context: PrintContext, handouts: list[Handout]) -> None:
            uris = []
            for handout in handouts:
                for large_print in PRINTS:
                    uri = handout.pdf_uri(large_print=large_print)
                    clinic.pdfs[uri] = self.pool.submit(render_pdf, context, handout, large_print)
                    uris.append(uri)
            clinic.printed.append((context, uris))

        shutil.rmtree(clinic.partial, ignore_errors=True)
        config = self.config(clinic.setting, clinic.partial)
        plugin = cast(IptPlugin, config.plugins["ipt"])
        plugin.render_cache = self.render_cache
        plugin.print_handouts = queue
        try:
            build(config)
        except (Abort, ConfigurationError, MkDocsException):
            self.fail(clinic, total)
            return
        self.report(
            f"[{clinic.number}/{total}] {clinic.setting}: site built in "
            f"{time.perf_counter() - clinic.started:.1f} s; {len(clinic.pdfs)} PDFs queued"
        )

    def finish(self, clinic: ClinicBuild, total: int) -> None:
        """Once its PDFs are rendered: write them and the pack, and move the site in place."""
        rendered = {uri: job.result() for uri, job in clinic.pdfs.items()}
        problems = [result for result in rendered.values() if isinstance(result, str)]
        for problem in problems:
            log.error(problem)
        if problems or not clinic.printed:
            self.fail(clinic, total)
            return
        pdfs = {uri: pdf for uri, pdf in rendered.items() if isinstance(pdf, PrintedFile)}
        for context, uris in clinic.printed:  # each language's PDFs and its own zip
            write_pdfs(context, {uri: pdfs[uri] for uri in uris})
        shutil.rmtree(clinic.site, ignore_errors=True)
        clinic.partial.rename(clinic.site)
        shutil.copyfile(clinic.site / "handouts" / ZIP_NAME, _pack(clinic.site))
        clinic.succeeded = True
        self.report(
            f"[{clinic.number}/{total}] {clinic.setting}: done in "
            f"{time.perf_counter() - clinic.started:.1f} s: {_shown(clinic.site)}/ and "
            f"{_shown(_pack(clinic.site))} ({len(rendered)} PDFs)"
        )

    def fail(self, clinic: ClinicBuild, total: int) -> None:
        shutil.rmtree(clinic.partial, ignore_errors=True)
        self.report(
            f"[{clinic.number}/{total}] {clinic.setting}: FAILED (the error is above); "
            f"{_shown(clinic.site)}/ was not changed"
        )


def _pack(site: Path) -> Path:
    return site.with_name(f"{site.name}-handouts.zip")


def clinic_settings(project_dir: Path, clinics_dir: Path) -> list[str]:
    """The clinic files, as paths relative to the project (as IPT_CLINIC takes them)."""
    return [path.relative_to(project_dir).as_posix() for path in sorted(clinics_dir.glob("*.yml"))]


def build_clinics(
    project_dir: Path,
    clinics_dir: Path,
    output_dir: Path,
    jobs: int = os.cpu_count() or 1,
    report: Report = print,
) -> list[ClinicBuild] | None:
    """Check, then build, every clinic; None when a clinic file has a mistake."""
    settings = clinic_settings(project_dir, clinics_dir)
    if not settings:
        report(
            f"No clinic files in {_shown(clinics_dir)}/. Copy the sample clinic there "
            f"first: cp -r examples/clinics {CLINICS_DIR}"
        )
        return None
    output_dir.mkdir(parents=True, exist_ok=True)
    import weasyprint  # noqa: F401  (imported once here, the workers share it when forked)

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sites = ClinicSites(project_dir, output_dir, pool, report)
        problems = sites.check(settings)
        if problems:
            report("Nothing was built: fix these clinic files first.")
            for problem in problems:
                report(f"  {problem}")
            return None
        total = len(settings)
        clinics = [
            ClinicBuild(number, setting, output_dir / Path(setting).stem)
            for number, setting in enumerate(settings, start=1)
        ]
        waiting: list[ClinicBuild] = []
        for clinic in clinics:
            sites.build_site(clinic, total)
            if clinic.pdfs:
                waiting.append(clinic)
            while waiting and all(job.done() for job in waiting[0].pdfs.values()):
                sites.finish(waiting.pop(0), total)
        for clinic in waiting:
            sites.finish(clinic, total)
    return clinics


def _shown(path: Path) -> str:
    """A path relative to the working directory, as the person who ran make typed it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clinics", default=CLINICS_DIR, help="folder of clinic files")
    parser.add_argument("--output", default=OUTPUT_DIR, help="where the sites are written")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes rendering PDFs"
    )
    arguments = parser.parse_args(argv)
    project_dir = Path.cwd()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    started = time.perf_counter()
    results = build_clinics(
        project_dir,
        project_dir / arguments.clinics,
        project_dir / arguments.output,
        max(1, arguments.jobs),
    )
    if results is None:
        return 1
    failed = [result.setting for result in results if not result.succeeded]
    print(
        f"{len(results) - len(failed)} of {len(results)} clinic sites built in "
        f"{time.perf_counter() - started:.1f} s"
        + (f"; failed: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
