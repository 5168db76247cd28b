"""Crisis lines shown on every page and handout, one YAML file per country."""

from __future__ import annotations

import datetime
import re
from html import escape
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator

from macros.content.fields import PlainText, StrictModel, WebUrl
from macros.content.yaml_files import load_model

CONTACT_SCHEMES = {"call": "tel:", "text": "sms:"}


class Contact(StrictModel):
    """One way to reach a service: a number to call or text, or a web chat."""

    method: Literal["call", "text", "chat"]
    value: PlainText = Field(description="Digits to dial or text, or the chat's web address")
    label: PlainText = Field(description="What readers see, e.g. 'Call 116 123'")

    @model_validator(mode="after")
    def _dialable(self) -> Self:
        if self.method == "chat" and not self.value.startswith("https://"):
            raise ValueError("a chat contact's value must be a web address starting https://")
        if self.method != "chat" and not _PHONE_NUMBER.fullmatch(self.value):
            raise ValueError("a call or text contact's value must be digits (spaces allowed)")
        return self

    @property
    def href(self) -> str:
        if self.method == "chat":
            return self.value
        return CONTACT_SCHEMES[self.method] + self.value.replace(" ", "")


_PHONE_NUMBER = re.compile(r"\+?[0-9][0-9 ]*")


class CrisisService(StrictModel):
    name: PlainText
    summary: PlainText = Field(description="One plain sentence: what it is for and when")
    contacts: list[Contact] = Field(min_length=1)


class CrisisLines(StrictModel):
    """A country's emergency number and crisis services, checked on ``verified_on``."""

    country: PlainText
    verified_on: datetime.date
    sources: list[WebUrl] = Field(min_length=1)
    emergency: Contact
    emergency_when: PlainText
    services: list[CrisisService] = Field(min_length=1)


def load_crisis_lines(data_dir: Path, country: str) -> CrisisLines:
    path = data_dir / "crisis" / f"{country}.yml"
    return load_model(path, CrisisLines, f"data/crisis/{country}.yml")


def crisis_services_html(crisis: CrisisLines) -> str:
    """The full list of crisis services for the 'Get help now' page."""
    items = [
        f"<li><strong>{escape(crisis.emergency_when)}</strong> "
        f'<a href="{escape(crisis.emergency.href)}">{escape(crisis.emergency.label)}</a></li>'
    ]
    for service in crisis.services:
        links = ", ".join(
            f'<a href="{escape(contact.href)}">{escape(contact.label)}</a>'
            for contact in service.contacts
        )
        items.append(
            f"<li><strong>{escape(service.name)}</strong>: {escape(service.summary)} {links}</li>"
        )
    checked = f"{crisis.verified_on.day} {crisis.verified_on:%B %Y}"
    return (
        f'<ul class="ipt-crisis-services">{"".join(items)}</ul>'
        f'<p class="ipt-crisis-checked">Numbers for {escape(crisis.country)}, '
        f"last checked on {checked}.</p>"
    )
