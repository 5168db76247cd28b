"""The clinic's branding on the website: name, logo, favicon, colours, links, its own page.

A clinic file sets mkdocs' ``site_name``, Material's logo and favicon (copied into the
site), the repository and edit links (none unless the clinic names its own repository),
a stylesheet that gives Material's primary colours the clinic's accent in both palettes,
and the clinic's "Getting IPT here" page, which is built like every other page (front
matter, sandboxed macros, HTML policy) and listed in the navigation. Without a clinic file
the site keeps mkdocs.yml's own settings.
"""

from __future__ import annotations

import colorsys
from html import escape
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from macros.content.clinic import WHITE, Clinic, hex_colour, mix, passing_mix, rgb
from macros.errors import SiteError

CLINIC_ASSETS = "assets/clinic"
THEME_CSS = f"{CLINIC_ASSETS}/theme.css"
CLINIC_PAGE = "getting-ipt-here.md"
#: Where the clinic's page goes in the navigation: after this page.
CLINIC_PAGE_AFTER = "help-now.md"
#: The lightest background the dark ("slate") palette's links sit on: Material's code
#: and card surface, hsl(225deg 15% 18%), also behind the clinic's note (the page is darker).
SLATE_SURFACE = hex_colour(
    tuple(round(channel * 255) for channel in colorsys.hls_to_rgb(225 / 360, 0.18, 0.15))
)
BLACK = (0, 0, 0)


class ClinicPageFile(File):
    """The clinic's page, a site file made from a file outside docs/: errors name that."""

    source_name: str


def apply_branding(config: MkDocsConfig, clinic: Clinic) -> None:
    """Point the theme at the clinic's name, logo, favicon, colours and repository."""
    if not clinic.configured:
        return
    brand = clinic.config
    # Material prints site_name both as it is and through `| e`: as Markup, the clinic's
    # name is escaped exactly once either way, so markup in it shows as text.
    config.site_name = Markup(escape(brand.name))
    if brand.site_url:
        config.site_url = brand.site_url
    config.repo_url = brand.repo_url
    config.repo_name = brand.repo_name or (brand.repo_url and urlsplit(brand.repo_url).netloc)
    config.edit_uri = brand.edit_uri if brand.repo_url else None
    images = site_images(clinic)
    if clinic.logo_path:
        config.theme["logo"] = images[clinic.logo_path]
    favicon = clinic.favicon_path or clinic.logo_path
    if favicon:
        config.theme["favicon"] = images[favicon]
    config.extra_css.append(THEME_CSS)
    if clinic.page_path and config.nav is not None:
        config.nav = _with_clinic_page(config.nav)


def site_images(clinic: Clinic) -> dict[Path, str]:
    """Each image the clinic file names, and where the site keeps its copy."""
    named = {"logo": clinic.logo_path, "favicon": clinic.favicon_path}
    return {
        path: f"{CLINIC_ASSETS}/{field}{path.suffix.lower()}"
        for field, path in reversed(named.items())  # the logo's name wins when both are one
        if path
    }


def _with_clinic_page(nav: list) -> list:
    """The navigation with the clinic's page after the help page (or after the home page)."""
    position = next(
        (
            index + 1
            for index, item in enumerate(nav)
            if CLINIC_PAGE_AFTER in (item, *getattr(item, "values", lambda: ())())
        ),
        1,
    )
    return [*nav[:position], CLINIC_PAGE, *nav[position:]]


def add_branding_files(
    files: Files, config: MkDocsConfig, clinic: Clinic, language_root: str = ""
) -> None:
    """The generated theme stylesheet, the clinic's images and its page, as site files;
    in another language's build, its copy of the page goes under that language's folder."""
    if not clinic.configured:
        return
    css = theme_css(clinic.config.accent_colour)
    files.append(File.generated(config, THEME_CSS, content=css))
    for path, uri in site_images(clinic).items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    if clinic.page_path:
        if files.get_file_from_path(CLINIC_PAGE):
            raise SiteError(
                f"docs/{CLINIC_PAGE}",
                "this page has the same address as the clinic's own page (getting_ipt_here).",
                hint=f"Rename docs/{CLINIC_PAGE}, or remove getting_ipt_here from the clinic file.",
            )
        page = ClinicPageFile.generated(config, CLINIC_PAGE, abs_src_path=str(clinic.page_path))
        cast(ClinicPageFile, page).source_name = clinic.page_source or CLINIC_PAGE
        page.dest_uri = language_root + page.dest_uri
        files.append(page)


def theme_palettes(accent: str) -> dict[str, dict[str, str]]:
    """Material's primary colours from the accent, for each palette. Where text meets them
    they reach AA contrast: the clinic file requires the accent to pass on white (under the
    header's white text, and as link colour on the light background); the dark palette's
    links take the nearest tint of it that passes on the dark palette's surfaces."""
    shared = {
        "--md-primary-fg-color": accent,
        "--md-primary-fg-color--light": passing_mix(mix(accent, WHITE, 0.2), BLACK, WHITE),
        "--md-primary-fg-color--dark": mix(accent, BLACK, 0.25),
    }
    dark_links = passing_mix(accent, WHITE, rgb(SLATE_SURFACE))
    return {
        "default": {**shared, "--md-typeset-a-color": accent},
        "slate": {**shared, "--md-typeset-a-color": dark_links},
    }


def theme_css(accent: str) -> str:
    """The stylesheet that gives the theme the clinic's colours."""
    blocks = [f"/* Made by the build from the clinic file's accent_colour {accent}. */"]
    for scheme, variables in theme_palettes(accent).items():
        lines = "".join(f"  {name}: {value};\n" for name, value in variables.items())
        blocks.append(f'[data-md-color-scheme="{scheme}"] {{\n{lines}}}')
    return "\n".join(blocks) + "\n"


def home_note_html(clinic: Clinic, page: Page, files: Files) -> str:
    """The clinic's short note on the home page, with a link to its own page."""
    note = clinic.config.home_note
    if not page.is_homepage or not note:
        return ""
    link = ""
    clinic_page = files.get_file_from_path(CLINIC_PAGE) if clinic.page_path else None
    if clinic_page:
        href = escape(get_relative_url(clinic_page.url, page.url))
        link = f' <a href="{href}">How to get IPT at {escape(clinic.config.name)}</a>'
    return (
        '<div class="ipt-clinic-note" role="note" aria-label="From '
        f'{escape(clinic.config.name)}" data-search-exclude="true">'
        f"<p>{escape(note)}{link}</p></div>"
    )
