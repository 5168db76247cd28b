"""A clinic's branding for the site and its handouts, from one optional YAML file.

Branding reaches the theme (name, logo, colours, footer), the clinic's own "Getting IPT
here" page, a note on the home page, and the letterhead, crisis box and footer of handouts:
clinical text comes from the pages and data alone. Clinic strings may contain any
characters; every template that shows them escapes them. Without a file the neutral defaults
below are used.

The clinic file is read only from inside the project, and every file it names is a path
relative to the clinic file's own folder, also inside the project, and of bounded size, so a
build never reads (or prints in an error) a file from elsewhere on the computer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from xml.etree import ElementTree

from pydantic import AfterValidator, Field

from macros.content.crisis import (
    Contact,
    CrisisLines,
    Service,
    crisis_files,
    load_crisis_lines,
)
from macros.content.fields import PlainText, Slug, StrictModel, WebUrl
from macros.content.yaml_files import YamlPath, line_for, read_yaml, validate
from macros.errors import SiteError

#: WCAG 2.2 AA minimum contrast for normal-size text (success criterion 1.4.3).
MIN_CONTRAST = 4.5
WHITE = (255, 255, 255)
DEFAULT_ACCENT = "#1d4f73"
DEFAULT_NAME = "Understanding IPT"
IMAGE_SUFFIXES = (".svg", ".png")
MAX_CLINIC_FILE_BYTES = 256 * 1024
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_PAGE_BYTES = 200 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
#: SVG elements that run code or embed other documents; a logo needs none of them.
SVG_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object"})
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)|@import", re.IGNORECASE)


def _one_line(text: str) -> str:
    if _CONTROL_CHARACTERS.search(text):
        raise ValueError("must be a single line of text")
    return text


def _one_paragraph(text: str) -> str:
    """A YAML block scalar (``note: >``) ends in a newline; the note is one paragraph."""
    return " ".join(text.split())


def _email(address: str) -> str:
    if not _EMAIL.fullmatch(address):
        raise ValueError("must be an e-mail address such as info@example.org")
    return address


def _phone(number: str) -> str:
    """Any way people write a number; the crisis lines' own rules make its tel: link."""
    try:
        Contact(method="call", value=number, label=number)
    except ValueError:
        raise ValueError(
            "must be a phone number: digits, with spaces, hyphens, dots, brackets or a "
            "leading + if you like, e.g. '(503) 555-0199' or '+44 118 496 0000'"
        ) from None
    return number


def _edit_uri(uri: str) -> str:
    """A path under repo_url (edit/main/docs/) or a web address: never javascript: or data:."""
    scheme, colon, _ = uri.partition(":")
    if colon and "/" not in scheme and not uri.startswith(("https://", "http://")):
        raise ValueError("must be a path such as 'edit/main/docs/' or an https:// address")
    return uri


def rgb(colour: str) -> tuple[int, int, int]:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    red, green, blue = (int(digits[index : index + 2], 16) for index in (0, 2, 4))
    return red, green, blue


def hex_colour(channels: tuple[int, ...]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in channels)


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


def mix(colour: str, other: tuple[int, int, int], share: float) -> str:
    """``colour`` with ``share`` (0 to 1) of ``other`` mixed in."""
    red, green, blue = (
        round(mine * (1 - share) + theirs * share)
        for mine, theirs in zip(rgb(colour), other, strict=True)
    )
    return hex_colour((red, green, blue))


def passing_mix(
    colour: str, towards: tuple[int, int, int], background: tuple[int, int, int]
) -> str:
    """The shade (towards black) or tint (towards white) of ``colour`` nearest to it that
    reaches AA contrast on ``background``; ``colour`` itself when it already does."""
    for step in range(101):
        candidate = mix(colour, towards, step / 100)
        if contrast_ratio(rgb(candidate), background) >= MIN_CONTRAST:
            return candidate
    return hex_colour(towards)


def passing_shade(colour: str) -> str:
    """The lightest darker shade of ``colour`` that reaches AA contrast on white paper."""
    return passing_mix(colour, (0, 0, 0), WHITE)


def _accent_colour(colour: str) -> str:
    """Accent colours colour text on white paper, so they must meet WCAG AA contrast."""
    if not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(
            f"must be a hex colour such as '{DEFAULT_ACCENT}' (a # and 6 hexadecimal digits)"
        )
    ratio = contrast_ratio(rgb(colour), WHITE)
    if ratio < MIN_CONTRAST:
        raise ValueError(
            f"has a contrast ratio of {ratio:.2f}:1 against white, but text needs at least "
            f"{MIN_CONTRAST}:1 (WCAG AA) to be readable. Use '{passing_shade(colour)}', "
            "a darker shade of the same colour that passes"
        )
    return colour.lower()


#: Any single line of text; templates escape it, so markup shows as text.
ClinicText = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_one_line)]
NoteText = Annotated[str, AfterValidator(_one_paragraph), Field(min_length=1, max_length=400)]
EmailAddress = Annotated[str, AfterValidator(_email)]
PhoneNumber = Annotated[str, AfterValidator(_one_line), AfterValidator(_phone)]
AccentColour = Annotated[str, AfterValidator(_accent_colour)]
CountryCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]
EditUri = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_edit_uri)]
#: A file next to the clinic file: a path relative to the clinic file's folder.
ClinicFile = Annotated[PlainText, Field(min_length=1, max_length=200)]


class ClinicConfig(StrictModel):
    """Everything a clinic may set; every field is optional."""

    name: ClinicText = DEFAULT_NAME
    logo: ClinicFile | None = Field(
        default=None, description="SVG or PNG file (at most 2 MB), relative to the clinic file"
    )
    favicon: ClinicFile | None = Field(
        default=None, description="SVG or PNG for the browser tab; default: the logo"
    )
    address: list[ClinicText] = Field(default_factory=list, max_length=6)
    phone: PhoneNumber | None = None
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
    languages: list[LanguageCode] | None = Field(
        default=None,
        min_length=1,
        description="The languages to build, e.g. [en, es]; default: every language of the "
        "site (mkdocs.yml). English, the language of the pages' own files, is always built: "
        "a page without a translation shows its English text",
    )
    default_language: LanguageCode | None = Field(
        default=None,
        description="The language at the site's address, e.g. es; default: English. Each "
        "other language is in its folder (/en/, /es/)",
    )
    site_url: WebUrl | None = Field(
        default=None, description="Public address of the site, for QR codes on handouts"
    )
    getting_ipt_here: ClinicFile | None = Field(
        default=None,
        description="Markdown page on how to get IPT at the clinic, relative to the clinic file",
    )
    home_note: NoteText | None = Field(
        default=None, description="A short note at the top of the home page"
    )
    repo_url: WebUrl | None = Field(
        default=None, description="The clinic's copy of the project, linked in the header"
    )
    repo_name: ClinicText | None = None
    edit_uri: EditUri | None = Field(
        default=None, description="'Edit this page' links: a path under repo_url"
    )

    @property
    def phone_href(self) -> str | None:
        """A tel: link made the same way as the crisis lines' (digits and a leading +)."""
        if self.phone is None:
            return None
        return Contact(method="call", value=self.phone, label=self.phone).href

    @property
    def website_label(self) -> str | None:
        """The website without its scheme, as people type it."""
        return self.website and self.website.split("://", 1)[1].rstrip("/")

    @property
    def contact_line(self) -> list[str]:
        """Address, phone, e-mail and website in the order a letterhead shows them."""
        parts = (*self.address, self.phone, self.email, self.website_label)
        return [part for part in parts if part]


class Clinic(StrictModel):
    """A validated clinic configuration, the files it names, and the crisis lines of the
    country (and region) it chose."""

    config: ClinicConfig
    crisis: CrisisLines
    #: Whether a clinic file was given: without one the site keeps mkdocs.yml's own settings.
    configured: bool = False
    #: Whether the clinic file gave its ``name``: then it is the site's name in every
    #: language; otherwise ``config.name`` is the site's name in the language built.
    named: bool = False
    logo_path: Path | None = None
    favicon_path: Path | None = None
    page_path: Path | None = None  #: the clinic's own page, "Getting IPT here"
    page_source: str | None = None  #: its path from the project folder, for error messages


def load_clinic(
    setting: str,
    project_dir: Path,
    data_dir: Path,
    language: str | None = None,
    site_name: str = DEFAULT_NAME,
) -> Clinic:
    """Load the clinic file named by the ``clinic`` plugin option, or the neutral default;
    its crisis lines in ``language`` where they have been translated. Without a ``name``,
    the clinic's letterhead and footer carry ``site_name``, the site's name in ``language``."""
    if not setting:
        config = ClinicConfig(name=site_name)
        crisis = load_crisis_lines(data_dir, config.country, language)
        return Clinic(config=config, crisis=crisis)
    path = _clinic_file_path(setting, project_dir)
    data, lines = read_yaml(path, setting)
    config = validate(data or {}, ClinicConfig, setting, lines)
    named = "name" in config.model_fields_set
    if not named:
        config = config.model_copy(update={"name": site_name})
    _check_country(config.country, data_dir, setting, lines)
    crisis = load_crisis_lines(data_dir, config.country, language)
    _check_region(config.region, crisis, setting, lines)
    files = _ClinicFiles(path.parent, project_dir, setting, lines)
    page_path = files.find("getting_ipt_here", config.getting_ipt_here, (".md",), MAX_PAGE_BYTES)
    return Clinic(
        config=config,
        crisis=crisis,
        configured=True,
        named=named,
        logo_path=files.image("logo", config.logo),
        favicon_path=files.image("favicon", config.favicon),
        page_path=page_path,
        page_source=page_path.relative_to(project_dir.resolve()).as_posix() if page_path else None,
    )


def _clinic_file_path(setting: str, project_dir: Path) -> Path:
    """The clinic file, refused unread when it is outside the project or too large."""
    path = (project_dir / setting).resolve()
    if not path.is_relative_to(project_dir.resolve()):
        raise SiteError(
            setting,
            "the clinic file is outside the project folder, so it was not read.",
            hint="Copy it into the project (for example into clinics/) and set IPT_CLINIC to "
            "its path relative to the project, e.g. IPT_CLINIC=clinics/riverside.yml.",
        )
    if path.is_file() and path.stat().st_size > MAX_CLINIC_FILE_BYTES:
        raise SiteError(
            setting,
            f"the clinic file is larger than {MAX_CLINIC_FILE_BYTES // 1024} kB.",
            hint="A clinic file holds a few settings; check that IPT_CLINIC names the right file.",
        )
    return path


class _ClinicFiles:
    """Finds and checks the files a clinic file names, relative to its own folder."""

    def __init__(self, base: Path, project_dir: Path, name: str, lines: dict[YamlPath, int]):
        self.base, self.project_dir, self.name, self.lines = base, project_dir, name, lines

    def error(self, field: str, problem: str, hint: str | None = None) -> SiteError:
        line = line_for((field,), self.lines)
        return SiteError(self.name, f"{field}: {problem}", line=line, hint=hint)

    def find(
        self, field: str, value: str | None, suffixes: tuple[str, ...], max_bytes: int
    ) -> Path | None:
        """The file inside the project, with an allowed suffix and size, or a clear error."""
        if value is None:
            return None
        path = (self.base / value).resolve()
        if not path.is_relative_to(self.project_dir.resolve()):
            raise self.error(
                field,
                f"'{value}' is outside the project folder.",
                "Copy the file into the project (for example next to the clinic file) "
                "and give its path relative to the clinic file.",
            )
        if path.suffix.lower() not in suffixes:
            allowed = " or ".join(suffixes)
            raise self.error(field, f"'{value}' must be a file ending in {allowed}.")
        if not path.is_file():
            raise self.error(
                field,
                f"'{value}' does not exist.",
                "Check the spelling; the path is relative to the clinic file's folder.",
            )
        size = path.stat().st_size
        if size > max_bytes:
            raise self.error(
                field,
                f"'{value}' is {size / 1024 / 1024:.1f} MB; the limit is "
                f"{max_bytes / 1024 / 1024:g} MB.",
                "Save a smaller version: a logo is shown at most a few centimetres wide.",
            )
        return path

    def image(self, field: str, value: str | None) -> Path | None:
        """An SVG or PNG that is really one, and an SVG that runs and loads nothing."""
        path = self.find(field, value, IMAGE_SUFFIXES, MAX_IMAGE_BYTES)
        if path is None:
            return None
        data = path.read_bytes()
        problem = _png_problem(data) if path.suffix.lower() == ".png" else _svg_problem(data)
        if problem:
            raise self.error(
                field,
                f"'{value}' {problem}.",
                "Export the logo again as a plain SVG (shapes and text only) or as a PNG.",
            )
        return path


def _png_problem(data: bytes) -> str | None:
    return None if data.startswith(PNG_SIGNATURE) else "is not a PNG image"


def _svg_problem(data: bytes) -> str | None:
    """Why an SVG is unfit for a logo: not SVG, or it has scripts, handlers or links out."""
    try:
        root = ElementTree.fromstring(data)  # expat: no external entities, bounded expansion
    except ElementTree.ParseError as error:
        return f"is not a valid SVG file ({error})"
    if root.tag != f"{SVG_NAMESPACE}svg":
        return "is not an SVG image (its first element is not <svg>)"
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in SVG_ACTIVE_ELEMENTS:
            return f"contains a <{tag}> element"
        if tag == "style" and _CSS_URL.search(element.text or ""):
            return "has a style that loads another file"
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                return f"has an event handler ({local}=)"
            if local == "href" and not value.startswith(("#", "data:image/png", "data:image/jpeg")):
                return f"links to another file ({value[:40]!r})"
            if local == "style" and _CSS_URL.search(value):
                return "has a style that loads another file"
    return None


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
    known = ", ".join(path.stem for path in crisis_files(data_dir))
    raise SiteError(
        name,
        f"country: there are no crisis lines for '{country}'.",
        line=line_for(("country",), lines),
        hint=f"Use one of: {known}; or add data/crisis/{country}.yml (see the editors' guide).",
    )
