"""The build's date and dates as pages and handouts print them."""

from __future__ import annotations

import datetime
import os


def build_date() -> datetime.date:
    """The date the site describes itself as built on; SOURCE_DATE_EPOCH makes it repeatable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()


def long_date(day: datetime.date) -> str:
    """NHS style dates: 22 November 2026."""
    return f"{day.day} {day:%B %Y}"
