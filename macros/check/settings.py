"""The site's own settings: what readers lose when one is missing."""

from __future__ import annotations

from macros.check.project import Finding, Level, Project
from macros.content.clinic import load_clinic
from macros.errors import SiteError, line_in

NAME = "settings"


def run(project: Project) -> list[Finding]:
    if project.config.site_url:
        return []
    try:
        clinic = load_clinic(project.ipt.clinic, project.root, project.data_dir)
    except SiteError:
        return []  # the build reports a broken clinic file
    if clinic.config.site_url:
        return []
    text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    return [
        Finding(
            "mkdocs.yml",
            line_in(text, "site_url") or line_in(text, "site_name"),
            Level.WARNING,
            "site_url is not set, so pages show no 'Cite this page' (a reference needs the "
            "page's full address) and printed handouts carry no link or QR code to the site",
            "set site_url: to the site's public address, such as https://ipt.example.org/ "
            "(a clinic file may set its own site_url)",
        )
    ]
