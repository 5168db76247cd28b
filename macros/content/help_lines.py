"""The "Get help now" page and the support lines other pages show, as HTML.

Every number is a real ``tel:``/``sms:`` link, drawn as a large button, so the page works
with one tap and without JavaScript. All text is escaped. The output is block HTML, so a
page calls these macros on a line of their own, outside admonitions and lists (Markdown does
not read raw HTML blocks that are indented).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from macros.content.crisis import CrisisLines, Service, Topic
from macros.text.catalogue import Catalogue


def contacts_html(service: Service) -> str:
    buttons = " ".join(
        f'<a class="ipt-call" href="{escape(contact.href)}">{escape(contact.label)}</a>'
        for contact in service.contacts
    )
    return f'<p class="ipt-service__contacts">{buttons}</p>'


def service_html(service: Service, t: Catalogue) -> str:
    hours = (
        f'<p class="ipt-service__hours">{t.html("help_page.open", hours=service.hours)}</p>'
        if service.hours
        else ""
    )
    return (
        '<li class="ipt-service">'
        f'<p class="ipt-service__name">{escape(service.name)}</p>'
        f"<p>{escape(service.summary)}</p>{hours}{contacts_html(service)}</li>"
    )


def services_html(groups: Iterable[tuple[str | None, Sequence[Service]]], t: Catalogue) -> str:
    parts = []
    for heading, services in groups:
        if heading:
            parts.append(f'<h3 class="ipt-services__region">{escape(heading)}</h3>')
        parts.append(
            f'<ul class="ipt-services">{"".join(service_html(s, t) for s in services)}</ul>'
        )
    return "".join(parts)


def help_page_html(
    crisis: CrisisLines,
    region: str | None,
    clinic_name: str,
    local: Sequence[Service],
    t: Catalogue,
) -> str:
    """Everything the "Get help now" page lists: emergency first, then lines to call."""
    emergency = crisis.emergency
    in_person = f"<p>{escape(crisis.in_person)}</p>" if crisis.in_person else ""
    groups: list[tuple[str | None, Sequence[Service]]] = list(crisis.grouped("crisis", region))
    if len(groups) > 1 and groups[0][0] is None:
        groups[0] = (t("help_page.anywhere"), groups[0][1])
    if local:
        groups.insert(0, (clinic_name, local))
    untranslated = ""
    if crisis.language != t.language:
        note = t.html("crisis.untranslated", language=t("language_name"))
        untranslated = f'<p class="ipt-crisis-untranslated"><strong>{note}</strong></p>'
    return (
        f'\n\n<div class="ipt-help">{untranslated}'
        '<div class="ipt-help__emergency" role="region" aria-labelledby="help-emergency">'
        f'<h2 id="help-emergency">{t.html("help_page.emergency")}</h2>'
        f"<p><strong>{escape(crisis.emergency_when)}</strong></p>"
        f'<p><a class="ipt-call ipt-call--emergency" href="{escape(emergency.href)}">'
        f"{escape(emergency.label)}</a></p>{in_person}</div>"
        f'<h2 id="talk-to-someone">{t.html("help_page.talk")}</h2>'
        f"{services_html(groups, t)}"
        f'<p class="ipt-crisis-checked">'
        f"{t.html('help_page.checked', country=crisis.country, date=t.date(crisis.verified_on))}"
        "</p></div>\n\n"
    )


def support_lines_html(crisis: CrisisLines, topic: Topic, region: str | None, t: Catalogue) -> str:
    """The lines for one topic (such as domestic abuse), for a page that talks about it."""
    groups = crisis.grouped(topic, region)
    if not groups:
        return ""
    return f'\n\n<div class="ipt-support-lines">{services_html(groups, t)}</div>\n\n'
