"""The front matter every page carries: title, description and review information."""

from __future__ import annotations

import datetime
import re
from typing import Literal

from mkdocs.structure.pages import Page
from pydantic import Field, ValidationInfo, field_validator

from macros.content.fields import PlainText, StrictModel
from macros.content.yaml_files import parse_yaml, validate
from macros.errors import SiteError, decode_utf8, source_name
from macros.text.catalogue import Catalogue

ReviewStatus = Literal["draft", "editorial-review", "clinical-review"]
MAX_REVIEW_INTERVAL_DAYS = 3 * 365 + 1

#: Material for MkDocs front matter keys that pages may use.
#: Material for MkDocs' own hide options, and ours: "edit" (no edit button) and "cite" (no
#: "Cite this page"), for pages such as "Get help now" where they would only be in the way.
HideOption = Literal["navigation", "toc", "footer", "path", "tags", "feedback", "edit", "cite"]


class SearchMeta(StrictModel):
    """Material's search settings for one page."""

    boost: float | None = Field(default=None, gt=0, le=100)
    exclude: bool = False


class HandoutMeta(StrictModel):
    """Marks a page as a printable handout; worksheets get fillable fields in the PDF."""

    worksheet: bool = False


TranslationMethod = Literal["human", "machine-assisted"]


class TranslationMeta(StrictModel):
    """Where a translated page came from, so readers and the editors' gate can judge it.

    ``from_hash`` is the first 12 hex digits of the SHA-256 of the English file it was
    translated from: ``make check`` reports the translation as out of date when they differ.
    """

    from_hash: str = Field(pattern=r"^[0-9a-f]{12}$")
    translated_on: datetime.date
    method: TranslationMethod
    #: The native-speaking clinician who checked the translation; until then, None.
    checked_by: PlainText | None = None


class PageMeta(StrictModel):
    """What a page must say about itself so readers can judge how current it is.

    Rules between fields are checked on the field to change, so an error names its line.
    """

    title: PlainText = Field(min_length=3, max_length=80)
    description: PlainText = Field(min_length=20, max_length=200)
    last_reviewed: datetime.date
    next_review: datetime.date
    clinical_reviewer: PlainText | None = None
    review_status: ReviewStatus
    reading_grade_max: float | None = Field(default=None, ge=1, le=18)
    hide: list[HideOption] = Field(default_factory=list)
    #: Words readers may search for that the page answers (search matches them first).
    tags: list[PlainText] = Field(default_factory=list)
    search: SearchMeta | None = None
    citation_style: Literal["markers", "author-date"] | None = None
    handout: HandoutMeta | None = None
    #: Material's per-page template. Only the lean one (docs/overrides/ipt-lean.html): a page
    #: a reader in crisis opens on a weak connection loads no scripts and little else.
    template: Literal["ipt-lean.html"] | None = None
    #: Only on a translated page (``page.es.md``): see TranslationMeta.
    translation: TranslationMeta | None = None

    @field_validator("next_review")
    @classmethod
    def _review_interval(cls, next_review: datetime.date, info: ValidationInfo) -> datetime.date:
        last_reviewed = info.data.get("last_reviewed")
        if last_reviewed is None:
            return next_review
        if next_review <= last_reviewed:
            raise ValueError("next_review must be after last_reviewed")
        if (next_review - last_reviewed).days > MAX_REVIEW_INTERVAL_DAYS:
            raise ValueError("next_review must be at most 3 years after last_reviewed")
        return next_review

    @field_validator("review_status")
    @classmethod
    def _honest_status(cls, status: ReviewStatus, info: ValidationInfo) -> ReviewStatus:
        if (status == "clinical-review") != bool(info.data.get("clinical_reviewer")):
            raise ValueError(
                "clinical-review needs clinical_reviewer (the clinician's name and role), "
                "and clinical_reviewer is only allowed with review_status: clinical-review"
            )
        return status

    def review_label(self, t: Catalogue) -> str:
        """The honest review status, as readers see it, in the catalogue's language."""
        return t(f"review_status.{self.review_status}", reviewer=self.clinical_reviewer)

    def translation_note(self, t: Catalogue) -> str | None:
        """When and how a translated page was made, and whether a clinician checked it."""
        translation = self.translation
        if translation is None:
            return None
        method = t(f"translation.method_{translation.method}")
        day = t.date(translation.translated_on)
        if translation.checked_by:
            return t("translation.checked", date=day, method=method, checker=translation.checked_by)
        return t("translation.note", date=day, method=method)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
NO_FRONT_MATTER_HINT = (
    "Start the file with a --- block giving title, description, last_reviewed, "
    "next_review and review_status (see the editors' guide)."
)


def parse_front_matter(text: str, name: str) -> tuple[PageMeta, dict]:
    """The validated front matter of a page's source and the line of each key."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SiteError(name, "has no front matter.", line=1, hint=NO_FRONT_MATTER_HINT)
    data, lines = parse_yaml(match.group(1), name, first_line=2)
    return validate(data, PageMeta, name, lines), lines


def front_matter_length(text: str) -> int:
    """Lines mkdocs strips before macros run: the front matter and the blank lines after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return 0
    rest = text[match.end() :]
    return text[: match.end()].count("\n") + len(rest) - len(rest.lstrip("\n"))


#: Ten times the longest page; a page this long is a mistake, or an attempt to slow the build.
MAX_PAGE_CHARACTERS = 1_000_000


def page_source(page: Page) -> str:
    """A page's Markdown, once it is known to be UTF-8 and of a size the build can handle."""
    name = source_name(page)
    text = decode_utf8(page.file.content_bytes, name)
    if len(text) > MAX_PAGE_CHARACTERS:
        raise SiteError(
            name,
            f"is too long ({len(text):,} characters; the limit is {MAX_PAGE_CHARACTERS:,}).",
            hint="Split it into several pages.",
        )
    return text


def page_meta(page: Page) -> PageMeta:
    """Validate a page's front matter, reporting problems with their line in the file."""
    return parse_front_matter(page_source(page), source_name(page))[0]
