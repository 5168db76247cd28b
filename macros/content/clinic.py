"""A clinic's branding for the site and its handouts, from one optional YAML file.

Branding only ever reaches headers, footers and the crisis panel: clinical text comes from
the pages and data alone. Clinic strings may contain any characters; every template that
shows them escapes them. Without a file the neutral defaults below are used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from macros.content.crisis import CrisisLines, Service, load_crisis_lines
from macros.content.fields import PlainText, Slug, StrictModel, WebUrl
from macros.content.yaml_files import YamlPath, line_for, read_yaml, validate
from macros.errors import SiteError

#: WCAG 2.2 AA minimum contrast for normal-size text (success criterion 1.4.3).
MIN_CONTRAST = 4.5
WHITE = (255, 255, 255)
DEFAULT_ACCENT = "#1d4f73"
LOGO_SUFFIXES = (".svg", ".png")
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _one_line(text: str) -> str:
    if _CONTROL_CHARACTERS.search(text):
        raise ValueError("must be a single line of text")
    return text


def _email(address: str) -> str:
    if not _EMAIL.fullmatch(address):
        raise ValueError("must be an e-mail address such as info@example.org")
    return address


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return red, green, blue


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def passing_shade(colour: str) -> str:
    """The lightest darker shade of ``colour`` that reaches AA contrast on white paper."""
    red, green, blue = _rgb(colour)
    for step in range(100, -1, -1):
        shade = (round(red * step / 100), round(green * step / 100), round(blue * step / 100))
        if contrast_ratio(shade, WHITE) >= MIN_CONTRAST:
            return _hex(shade)
    return "#000000"


def _accent_colour(colour: str) -> str:
    """Accent colours colour text on white paper, so they must meet WCAG AA contrast."""
    if not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(
            f"must be a hex colour such as '{DEFAULT_ACCENT}' (a # and 6 hexadecimal digits)"
        )
    ratio = contrast_ratio(_rgb(colour), WHITE)
    if ratio < MIN_CONTRAST:
        raise ValueError(
            f"has a contrast ratio of {ratio:.2f}:1 against white, but text needs at least "
            f"{MIN_CONTRAST}:1 (WCAG AA) to be readable. Use '{passing_shade(colour)}', "
            "a darker shade of the same colour that passes"
        )
    return colour.lower()


#: Any single line of text; templates escape it, so markup shows as text.
ClinicText = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_one_line)]
EmailAddress = Annotated[str, AfterValidator(_email)]
AccentColour = Annotated[str, AfterValidator(_accent_colour)]
CountryCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class ClinicConfig(StrictModel):
    """Everything a clinic may set; every field is optional."""

    name: ClinicText = "Understanding IPT"
    logo: PlainText | None = Field(
        default=None, description="SVG or PNG file, relative to the clinic file's folder"
    )
    address: list[ClinicText] = Field(default_factory=list, max_length=6)
    phone: ClinicText | None = None
    email: EmailAddress | None = None
    website: WebUrl | None = None
    accent_colour: AccentColour = DEFAULT_ACCENT
    country: CountryCode = Field(default="uk", description="Selects data/crisis/<country>.yml")
    region: Slug | None = Field(
        default=None,
        description="A region of the country (e.g. scotland): its lines join the banner",
    )
    local_crisis_contacts: list[Service] = Field(default_factory=list, max_length=4)
    report_email: EmailAddress | None = Field(
        default=None, description="Where readers report a mistake on the site"
    )
    paper_size: Literal["A4", "Letter"] = "A4"
    site_url: WebUrl | None = Field(
        default=None, description="Public address of the site, for QR codes on handouts"
    )

    @property
    def contact_line(self) -> list[str]:
        """Address, phone, e-mail and website in the order a letterhead shows them."""
        website = self.website and self.website.split("://", 1)[1].rstrip("/")
        return [part for part in (*self.address, self.phone, self.email, website) if part]


class Clinic(StrictModel):
    """A validated clinic configuration, the logo file it points to, and the crisis lines
    of the country (and region) it chose."""

    config: ClinicConfig
    crisis: CrisisLines
    logo_path: Path | None = None


def load_clinic(setting: str, project_dir: Path, data_dir: Path) -> Clinic:
    """Load the clinic file named by the ``clinic`` plugin option, or the neutral default."""
    if not setting:
        config = ClinicConfig()
        return Clinic(config=config, crisis=load_crisis_lines(data_dir, config.country))
    path = (project_dir / setting).resolve()
    data, lines = read_yaml(path, setting)
    config = validate(data or {}, ClinicConfig, setting, lines)
    _check_country(config.country, data_dir, setting, lines)
    crisis = load_crisis_lines(data_dir, config.country)
    _check_region(config.region, crisis, setting, lines)
    logo = _logo_path(config.logo, path.parent, project_dir, setting, lines)
    return Clinic(config=config, crisis=crisis, logo_path=logo)


def _check_region(
    region: str | None, crisis: CrisisLines, name: str, lines: dict[YamlPath, int]
) -> None:
    known = [item.id for item in crisis.regions]
    if region is None or region in known:
        return
    raise SiteError(
        name,
        f"region: '{crisis.country}' has no region '{region}'.",
        line=line_for(("region",), lines),
        hint=f"Use one of: {', '.join(known)}." if known else "Remove region: for this country.",
    )


def _check_country(country: str, data_dir: Path, name: str, lines: dict[YamlPath, int]) -> None:
    if (data_dir / "crisis" / f"{country}.yml").is_file():
        return
    known = ", ".join(sorted(path.stem for path in (data_dir / "crisis").glob("*.yml")))
    raise SiteError(
        name,
        f"country: there are no crisis lines for '{country}'.",
        line=line_for(("country",), lines),
        hint=f"Use one of: {known}; or add data/crisis/{country}.yml (see the editors' guide).",
    )


def _logo_path(
    logo: str | None, base: Path, project_dir: Path, name: str, lines: dict[YamlPath, int]
) -> Path | None:
    """The logo must be an SVG or PNG inside the project, so builds never read other files."""
    if logo is None:
        return None
    line = line_for(("logo",), lines)
    path = (base / logo).resolve()
    if not path.is_relative_to(project_dir.resolve()):
        raise SiteError(
            name,
            f"logo: '{logo}' is outside the project folder.",
            line=line,
            hint="Copy the logo into the project (for example next to the clinic file) "
            "and give its path relative to the clinic file.",
        )
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise SiteError(name, f"logo: '{logo}' must be an .svg or .png file.", line=line)
    if not path.is_file():
        raise SiteError(
            name,
            f"logo: '{logo}' does not exist.",
            line=line,
            hint="Check the spelling; the path is relative to the clinic file's folder.",
        )
    return path
