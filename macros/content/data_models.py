"""Pydantic models of the structured content in data/*.yml.

Every fact shown to readers is a :class:`Cited` cell: short plain-language text plus the
keys of the works in references.bib that support it. The text may not contain markup or
``@``, so a cell can never smuggle HTML or an uncited citation into a page; its citations
live only in ``cite``, where the build checks every key. The field names are the YAML keys,
so an error path such as ``therapies[2].attributes.goals.cite[0]`` points into the file.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field

from macros.content.fields import PlainText, Slug, StrictModel

MARKUP_OR_CITATION = set('<>"@')


def _cell_text(text: str) -> str:
    if MARKUP_OR_CITATION & set(text):
        raise ValueError('must be plain text without the characters < > " @ (put keys in cite)')
    return text.strip()


#: Reader-facing text inside a data cell: no markup, no inline citations.
CellText = Annotated[
    str,
    AfterValidator(_cell_text),
    Field(min_length=1, json_schema_extra={"pattern": '^[^<>"@]+$'}),
]
#: A key of references.bib, as written after ``@`` in a page's citation.
CiteKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]+(?:[:.-][A-Za-z0-9_]+)*$")]


class Cited(StrictModel):
    """One cell: what readers see, and the works that support it (at least one)."""

    text: CellText = Field(description="Short plain-language text, grade 7 or below")
    cite: list[CiteKey] = Field(
        min_length=1, description="Keys from references.bib that support the text"
    )


def cited_fields(model: type[StrictModel]) -> dict[str, str]:
    """Field name -> column title for every Cited field of ``model``, in declaration order."""
    return {
        name: info.title or name
        for name, info in model.model_fields.items()
        if info.annotation is Cited
    }


def _cell(title: str, description: str) -> Any:
    return Field(title=title, description=description)


class TherapyAttributes(StrictModel):
    """The rows of the comparison table; each title is the row's heading."""

    focus: Cited = _cell("What it focuses on", "The main thing therapy looks at")
    past_or_present: Cited = _cell("Past or present", "Whether it looks at the past or the now")
    duration: Cited = _cell("How long it lasts", "Time frame and usual number of sessions")
    session_length: Cited = _cell("Session length", "How long one session lasts")
    structure: Cited = _cell("How structured it is", "Manual, phases, agenda")
    therapist_role: Cited = _cell("What the therapist does", "The therapist's stance")
    techniques: Cited = _cell("Main techniques", "What happens in sessions")
    relationship: Cited = _cell(
        "Role of the relationship with the therapist", "Including transference"
    )
    goals: Cited = _cell("Goals", "What therapy aims for")
    ending: Cited = _cell("How therapy ends", "Planned ending, open-ended, maintenance")
    origins: Cited = _cell("Who developed it and when", "People, place and year")
    used_for: Cited = _cell("What it is used for", "Conditions it was made or tested for")
    evidence: Cited = _cell("Strength of evidence", "What the research shows, honestly")


class Therapy(StrictModel):
    id: Slug
    name: PlainText = Field(description="Full name, e.g. Interpersonal Psychotherapy")
    short_name: PlainText = Field(description="Column heading, e.g. IPT")
    attributes: TherapyAttributes


class TherapiesFile(StrictModel):
    """data/therapies.yml: the therapies compared on the site."""

    therapies: list[Therapy] = Field(min_length=1)


class Phase(StrictModel):
    id: Slug
    name: PlainText
    sessions: Cited = Field(description="When in the course this phase happens")
    purpose: Cited
    tasks: list[Cited] = Field(min_length=1)


class PhasesFile(StrictModel):
    """data/phases.yml: IPT's phases, in order, plus maintenance IPT."""

    phases: list[Phase] = Field(min_length=1)


class Stage(StrictModel):
    id: Slug
    name: PlainText
    description: Cited


class FictionalExample(StrictModel):
    """A made-up story; always shown under the label "Fictional example"."""

    title: PlainText
    text: CellText


class ProblemArea(StrictModel):
    id: Slug
    name: PlainText
    summary: Cited = Field(description="One sentence: what this problem area is")
    other_names: list[Cited] = Field(
        default_factory=list, description="Other names that sources use, each cited"
    )
    when_chosen: Cited
    goals: list[Cited] = Field(min_length=1)
    strategies: list[Cited] = Field(min_length=1)
    stages: list[Stage] = Field(default_factory=list, description="Only for role disputes")
    example: FictionalExample


class ProblemAreasFile(StrictModel):
    """data/problem_areas.yml: the four interpersonal problem areas."""

    problem_areas: list[ProblemArea] = Field(min_length=1)


class Technique(StrictModel):
    id: Slug
    name: PlainText
    description: Cited


class TechniquesFile(StrictModel):
    """data/techniques.yml: techniques IPT therapists use."""

    techniques: list[Technique] = Field(min_length=1)


class Adaptation(StrictModel):
    id: Slug
    name: PlainText
    for_whom: Cited = _cell("Who it is for", "The people or setting it was adapted for")
    what_changes: Cited = _cell("What is different", "How it differs from standard IPT")
    evidence: Cited = _cell("What the research shows", "Key studies, honestly")


class AdaptationsFile(StrictModel):
    """data/adaptations.yml: versions of IPT for other groups, formats and settings."""

    adaptations: list[Adaptation] = Field(min_length=1)


class GlossaryTerm(StrictModel):
    id: Slug
    term: PlainText
    also: list[PlainText] = Field(
        default_factory=list, description="Other words that term() accepts for this entry"
    )
    definition: Cited


class GlossaryFile(StrictModel):
    """data/glossary.yml: plain-language meanings of the terms the site uses."""

    terms: list[GlossaryTerm] = Field(min_length=1)


#: Each file in data/ (without .yml) and the model that validates it, in load order.
DATA_FILES: dict[str, type[StrictModel]] = {
    "therapies": TherapiesFile,
    "phases": PhasesFile,
    "problem_areas": ProblemAreasFile,
    "techniques": TechniquesFile,
    "adaptations": AdaptationsFile,
    "glossary": GlossaryFile,
}
