"""Shared building blocks for the pydantic models of files that editors write."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

MARKUP_CHARACTERS = set('<>"')


def _no_markup(text: str) -> str:
    if MARKUP_CHARACTERS & set(text):
        raise ValueError('must be plain text without the characters < > "')
    return text.strip()


def _http_url(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        raise ValueError("must be a web address starting with https:// or http://")
    return url


#: Text that ends up in HTML attributes or titles: no markup allowed.
PlainText = Annotated[str, AfterValidator(_no_markup)]
#: A link that may be shown to readers: only http(s), never javascript: or data:.
WebUrl = Annotated[str, AfterValidator(_http_url)]
#: A stable identifier used in URLs, anchors and macro calls.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]


class StrictModel(BaseModel):
    """Rejects unknown fields so a misspelt key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
