"""Each page reads at or below its grade: the page's reading_grade_max, else the site's."""

from __future__ import annotations

import re

from macros.check.project import Finding, Level, Project, SourcePage
from macros.errors import SiteError
from macros.text.readability import EASE_SCALES, EaseScale, measure

NAME = "reading-grade"
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD = re.compile(r"[A-Za-z]+")
_NOT_PROSE = ("#", "|", "<", "{", "!!!", "???", "```", "---", "[^", "*[")


def longest_sentence(page: SourcePage) -> tuple[int, int, str] | None:
    """(line, words, start) of the longest sentence written in the Markdown body."""
    longest = None
    in_fence = False
    for number, line in enumerate(page.text.splitlines(), start=1):
        stripped = line.strip().lstrip("-*>0123456789. ")
        if line.strip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not stripped or line.strip().startswith(_NOT_PROSE) or ":" in line[:20]:
            continue
        for sentence in _SENTENCE.findall(re.sub(r"\[[^\]]*@[^\]]*\]", "", stripped)):
            words = len(_WORD.findall(sentence))
            if longest is None or words > longest[1]:
                longest = (number, words, " ".join(sentence.split()[:8]))
    return longest


def run(project: Project) -> list[Finding]:
    site_max = float(project.ipt.reading_grade_max)
    findings = []
    for page in project.pages:
        try:
            meta, lines = page.front_matter()
        except SiteError:
            continue  # the review-dates check reports broken front matter
        scale = EASE_SCALES.get(page.language)
        if scale:
            findings += ease_findings(page, scale, bool(meta.handout))
            continue
        limit = meta.reading_grade_max or site_max
        grade = measure(page.html).grade
        if grade <= limit:
            continue
        hint = "use shorter sentences (under 20 words) and everyday words"
        longest = longest_sentence(page)
        line = lines.get(("reading_grade_max",), 1)
        if longest:
            line = longest[0]
            hint += f"; the longest sentence ({longest[1]} words) starts '{longest[2]} ...'"
        findings.append(
            Finding(
                page.source,
                line,
                Level.ERROR,
                f"reads at grade {grade:.1f}; the limit for this page is {limit:g}",
                hint + "; see docs/editors/checks.md#reading-grade",
            )
        )
    return findings


def ease_findings(page: SourcePage, scale: EaseScale, handout: bool) -> list[Finding]:
    """A page in a language measured by reading ease (higher is easier): at least the
    scale's minimum, higher for handouts. The English grade limits do not apply."""
    minimum = scale.handout_min if handout else scale.public_min
    score = measure(page.html, page.language).inflesz
    if score >= minimum:
        return []
    longest = longest_sentence(page)
    hint = "use shorter sentences and shorter, everyday words"
    if longest:
        hint += f"; the longest sentence ({longest[1]} words) starts '{longest[2]} ...'"
    return [
        Finding(
            page.source,
            longest[0] if longest else 1,
            Level.ERROR,
            f"reads at {scale.name} {score:.1f}; this page needs at least {minimum:g}",
            hint + "; see docs/editors/checks.md#reading-grade",
        )
    ]
