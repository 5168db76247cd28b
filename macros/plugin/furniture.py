"""Safety and trust furniture around each page's content: review dates and reading time."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html import escape

from macros.content.front_matter import PageMeta
from macros.text.catalogue import Catalogue
from macros.text.prose import prose_words

WORDS_PER_MINUTE = 200
_FIRST_HEADING_END = re.compile(r"</h1>", re.IGNORECASE)


@dataclass(frozen=True)
class PageInfo:
    """What readers need to judge a page: how current it is and who checked it."""

    meta: PageMeta
    build_date: datetime.date
    reading_minutes: int
    t: Catalogue  #: the page's language

    @property
    def overdue(self) -> bool:
        return self.meta.next_review < self.build_date

    @property
    def status_label(self) -> str:
        return self.meta.review_label(self.t)


def reading_minutes(html: str) -> int:
    """Minutes to read the prose; reference lists do not count."""
    return max(1, round(prose_words(html) / WORDS_PER_MINUTE))


def page_info_html(info: PageInfo) -> str:
    """The review line under the page title, plus a notice when the review is overdue."""
    meta, t = info.meta, info.t
    status = meta.review_status
    parts = [
        f'<div class="ipt-page-info" role="note" aria-label="{t.html("page_info.label")}"'
        ' data-search-exclude="true">',
        "<p>",
        f'<span>{t.html("page_info.last_reviewed")} <time datetime="{meta.last_reviewed}">'
        f"{escape(t.date(meta.last_reviewed))}</time></span> ",
        f'<span>{t.html("page_info.next_review")} <time datetime="{meta.next_review}">'
        f"{escape(t.date(meta.next_review))}</time></span> ",
        f'<span class="ipt-status ipt-status--{status}">{escape(info.status_label)}</span> ',
        f"<span>{t.html('page_info.reading_time', minutes=info.reading_minutes)}</span>",
        "</p>",
    ]
    translation_note = meta.translation_note(t)
    if translation_note:
        parts.append(f'<p class="ipt-translation-note">{escape(translation_note)}</p>')
    if info.overdue:
        detail = t.html("page_info.overdue_detail", date=t.date(meta.next_review))
        parts += [
            f'<p class="ipt-overdue"><strong>{t.html("page_info.overdue")}</strong> ',
            f"{detail}</p>",
        ]
    parts.append("</div>")
    return "".join(parts)


def insert_after_title(html: str, fragment: str) -> str:
    """Place ``fragment`` right after the page's first heading, or at the top."""
    match = _FIRST_HEADING_END.search(html)
    if not match:
        return fragment + html
    return html[: match.end()] + fragment + html[match.end() :]
