"""Crisis and support lines, one YAML file per country (data/crisis/<country>.yml).

Each service says who it is for, where in the country it works, whether it is a crisis line
or a domestic-abuse line, and where and when an editor checked it. The same data fills the
banner on every page, the "Get help now" page, the support lines on other pages and the box
on every printed handout.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator

from macros.content.fields import PlainText, Slug, StrictModel, WebUrl
from macros.content.overlays import OverlayRules, apply_overlay
from macros.content.yaml_files import read_yaml, validate
from macros.errors import SiteErrors

CONTACT_SCHEMES = {"call": "tel:", "text": "sms:"}
#: Digits as people write them: "(503) 555-0199", "+1 503-555-0199", "0118 496 0000".
_PHONE_NUMBER = re.compile(r"\+?[0-9(][0-9 ().-]*[0-9]|[0-9]")
Audience = Literal[
    "everyone",
    "under-18",
    "under-25",
    "young-people",
    "veterans",
    "deaf",
    "spanish-speakers",
    "men",
    "women",
    "lgbtq",
    "indigenous",
]
Topic = Literal["crisis", "domestic-abuse"]
#: The most services (besides the emergency number) the banner on every page shows.
MAX_IN_BANNER = 3
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")


class Contact(StrictModel):
    """One way to reach a service: a number to call or text, or a web chat."""

    method: Literal["call", "text", "chat"]
    value: PlainText = Field(
        description="The number as people write it ('0800 1111', '(503) 555-0199'), "
        "or the chat's https:// address"
    )
    label: PlainText = Field(description="What readers see, e.g. 'Call 116 123'")

    @model_validator(mode="after")
    def _dialable(self) -> Self:
        if self.method == "chat" and not self.value.startswith("https://"):
            raise ValueError("a chat contact's value must be a web address starting https://")
        if self.method != "chat" and not _PHONE_NUMBER.fullmatch(self.value):
            raise ValueError(
                "a call or text contact's value must be a phone number: digits, with spaces, "
                "hyphens, dots, brackets or a leading + if you like, e.g. '(503) 555-0199'"
            )
        return self

    @property
    def href(self) -> str:
        """A ``tel:``/``sms:`` link with only the digits (and a leading +), or the chat."""
        if self.method == "chat":
            return self.value
        international = self.value.startswith("+")
        # "+44 (0)118 ...": the bracketed trunk zero is dialled only from inside the country.
        number = _TRUNK_ZERO.sub("", self.value) if international else self.value
        digits = re.sub(r"[^0-9]", "", number)
        return f"{CONTACT_SCHEMES[self.method]}{'+' if international else ''}{digits}"


class Checked(StrictModel):
    """Where and when an editor last checked an entry against its source."""

    source: WebUrl = Field(description="The page the details were checked against")
    verified_on: datetime.date = Field(description="When; re-check at least every 6 months")


class Emergency(Contact, Checked):
    """The national emergency number."""


class Service(StrictModel):
    """A service people can contact: a clinic's own line is one."""

    name: PlainText
    summary: PlainText = Field(description="One or two plain sentences: who it is for, when")
    hours: PlainText | None = Field(default=None, description="e.g. 24 hours, every day")
    contacts: list[Contact] = Field(min_length=1)


class CrisisService(Service, Checked):
    """A national or regional line from data/crisis/<country>.yml."""

    id: Slug
    regions: list[Slug] = Field(
        default_factory=list, description="Region ids it covers; empty: the whole country"
    )
    audience: Audience = "everyone"
    topic: Topic = "crisis"
    in_banner: bool = Field(default=False, description="Shown in the banner on every page")


class Region(StrictModel):
    id: Slug
    name: PlainText


class CrisisLines(StrictModel):
    """A country's emergency number and its crisis and support lines."""

    country: PlainText
    language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    regions: list[Region] = Field(default_factory=list)
    emergency: Emergency
    emergency_when: PlainText
    in_person: PlainText | None = Field(default=None, description="e.g. Go to A&E")
    services: list[CrisisService] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        known = {region.id for region in self.regions}
        ids: set[str] = set()
        for service in self.services:
            if service.id in ids:
                raise ValueError(f"two services have the id '{service.id}'")
            ids.add(service.id)
            unknown = set(service.regions) - known
            if unknown:
                raise ValueError(
                    f"service '{service.id}' names the region '{sorted(unknown)[0]}', which is "
                    f"not under regions: (known: {', '.join(sorted(known)) or 'none'})"
                )
            if service.in_banner and (service.topic != "crisis" or service.regions):
                raise ValueError(
                    f"service '{service.id}' is in_banner but is not a crisis line for the whole "
                    "country; the banner on every page shows only those"
                )
        if sum(service.in_banner for service in self.services) > MAX_IN_BANNER:
            raise ValueError(f"at most {MAX_IN_BANNER} services may have in_banner: true")
        return self

    @property
    def verified_on(self) -> datetime.date:
        """The oldest check of any entry: how current the file is as a whole."""
        return min(entry.verified_on for entry in (self.emergency, *self.services))

    def checked_entries(self) -> Iterator[tuple[str, Checked]]:
        """Each entry with what it is called in the file, for the editors' check."""
        yield "emergency", self.emergency
        for index, service in enumerate(self.services):
            yield f"services[{index}] ({service.id})", service

    def region_name(self, region: str) -> str:
        return next(item.name for item in self.regions if item.id == region)

    def banner(self, region: str | None) -> list[CrisisService]:
        """The lines the banner shows: the country's own choice, plus the clinic's region's."""
        chosen = [service for service in self.services if service.in_banner]
        if region:
            chosen += [
                service
                for service in self.services
                if region in service.regions
                and service.topic == "crisis"
                and service.audience == "everyone"
            ]
        return chosen[: MAX_IN_BANNER + 1]

    def grouped(
        self, topic: Topic, region: str | None
    ) -> list[tuple[str | None, list[CrisisService]]]:
        """The lines for ``topic``: the whole country's first, then each region's (only the
        clinic's region when one is set), as (region name or None, services)."""
        services = [service for service in self.services if service.topic == topic]
        groups: list[tuple[str | None, list[CrisisService]]] = []
        national = [service for service in services if not service.regions]
        if national:
            groups.append((None, national))
        for item in self.regions:
            if region and item.id != region:
                continue
            local = [service for service in services if item.id in service.regions]
            if local:
                groups.append((item.name, local))
        return groups


#: What a crisis overlay (data/crisis/<country>.<lang>.yml) may translate: the words only.
#: Numbers, sources and checks come from the country's file; a name without a verified
#: translation stays in the country's language, so an overlay need not translate every field.
CRISIS_OVERLAY = OverlayRules(
    translatable=frozenset(
        {"country", "emergency", "emergency_when", "in_person", "regions", "services"}
        | {"contacts", "name", "summary", "hours", "label"}
    ),
    complete=False,
)


def crisis_files(data_dir: Path) -> list[Path]:
    """Each country's own file (data/crisis/<country>.yml), without the translations."""
    return [path for path in sorted((data_dir / "crisis").glob("*.yml")) if "." not in path.stem]


def load_crisis_lines(data_dir: Path, country: str, language: str | None = None) -> CrisisLines:
    """The country's lines in ``language`` when it has them: its own file when written in
    that language, else its overlay data/crisis/<country>.<language>.yml. Without either,
    the country's own text; its ``language`` then differs and the site says so."""
    name = f"data/crisis/{country}.yml"
    raw, lines = read_yaml(data_dir / "crisis" / f"{country}.yml", name)
    overlay_path = data_dir / "crisis" / f"{country}.{language}.yml"
    own_language = raw.get("language", "en") if isinstance(raw, dict) else "en"
    if language in (None, own_language) or not overlay_path.is_file():
        return validate(raw, CrisisLines, name, lines)
    overlay_name = f"data/crisis/{country}.{language}.yml"
    overlay, overlay_lines = read_yaml(overlay_path, overlay_name)
    merged, _, problems = apply_overlay(raw, overlay, overlay_name, overlay_lines, CRISIS_OVERLAY)
    if problems:
        raise SiteErrors(problems)
    return validate({**merged, "language": language}, CrisisLines, name, lines)
