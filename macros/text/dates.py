"""The build's date (dates as readers see them: macros/text/catalogue.py)."""

from __future__ import annotations

import datetime
import os


def build_date() -> datetime.date:
    """The date the site describes itself as built on; SOURCE_DATE_EPOCH makes it repeatable."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()
