"""Exports written by others render as the yardstick does, or differ for a documented reason.

``tests/fixtures/realworld/`` holds real exports (Zotero, Google Scholar, Citavi; origin and
licence in its README); ``tests/fixtures/types/`` holds entries written to check each BibLaTeX
type against the yardstick. For every entry the reference, both in-text citations, the italics
and the links are compared with the yardstick's golden files (``tests/golden/realworld/``,
``tests/golden/types/``), and the reference-list order too. Every difference is listed in
``tests/golden/realworld-differences.tsv`` as ``key<TAB>who is wrong<TAB>why``: ``yardstick``
(pandoc or apa.csl breaks an APA rule, which the reason cites) or ``ours``.

Counted honestly: an entry is a match only if everything is identical. The real-world share
of matches plus entries where the yardstick is wrong must stay at 95 % or more.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

import pytest

from macros.citations.bibliography import Bibliography
from tests.test_apa_golden import _EM, _HTTP_LINK, _QUOTES, cite_alone, golden_rows, text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
DIFFERENCES = ROOT / "tests" / "golden" / "realworld-differences.tsv"
SETS = ("realworld", "types")
#: A reason names the APA 7 section the yardstick breaks, or says what is ours to fix.
_APA_RULE = re.compile(r"\bAPA (?:7 )?(?:section )?\d+\.\d+")


@dataclass(frozen=True)
class Compared:
    """One golden set compared: entries by outcome, and keys out of the yardstick's order."""

    identical: list[str]
    different: dict[str, list[str]]  # key -> what differs ("reference", "italics", ...)
    out_of_order: list[str]


@cache
def compare(name: str) -> Compared:
    identical: list[str] = []
    different: dict[str, list[str]] = {}
    out_of_order: list[str] = []
    for bib in sorted((FIXTURES / name).glob("*.bib")):
        golden = f"{name}/{bib.stem}"
        bibliography = Bibliography.load(bib)
        html_rows = {row[0]: row[1] for row in golden_rows(golden, "html.tsv")}
        for key, reference, parenthetical, narrative in golden_rows(golden):
            aspects = differences(bibliography, key, reference, html_rows[key])
            aspects += in_text_differences(bibliography, key, parenthetical, narrative)
            if aspects:
                different[key] = aspects
            else:
                identical.append(key)
        expected = [row[0] for row in golden_rows(golden)]
        ours = sorted(expected, key=lambda key: bibliography.reference(key).sort_key)
        in_order = SequenceMatcher(a=expected, b=ours, autojunk=False).get_matching_blocks()
        kept = {key for block in in_order for key in expected[block.a : block.a + block.size]}
        out_of_order += [key for key in expected if key not in kept]
    for key in out_of_order:
        different.setdefault(key, []).append("order")
    identical = [key for key in identical if key not in different]
    return Compared(identical, different, out_of_order)


def differences(bibliography: Bibliography, key: str, reference: str, reference_html: str):
    ours = bibliography.reference(key)
    aspects = []
    if ours.text.translate(_QUOTES) != reference.translate(_QUOTES):
        aspects.append("reference")
    if [text(part) for part in _EM.findall(ours.html)] != [
        text(part) for part in _EM.findall(reference_html)
    ]:
        aspects.append("italics")
    if [html.unescape(url) for url in _HTTP_LINK.findall(ours.html)] != [
        html.unescape(url) for url in _HTTP_LINK.findall(reference_html)
    ]:
        aspects.append("link")
    return aspects


def in_text_differences(
    bibliography: Bibliography, key: str, parenthetical: str, narrative: str
) -> list[str]:
    aspects = []
    if cite_alone(f"[@{key}]", bibliography) != parenthetical.translate(_QUOTES):
        aspects.append("parenthetical")
    if cite_alone(f"@{key}", bibliography) != narrative.translate(_QUOTES):
        aspects.append("narrative")
    return aspects


def documented() -> dict[str, tuple[str, str]]:
    rows = DIFFERENCES.read_text(encoding="utf-8").splitlines()
    return {key: (who, why) for key, who, why in (row.split("\t") for row in rows if row)}


@pytest.fixture(scope="module", params=SETS)
def compared(request: pytest.FixtureRequest) -> tuple[str, Compared]:
    return request.param, compare(request.param)


def test_every_difference_is_documented(compared: tuple[str, Compared]) -> None:
    _, result = compared
    listed = documented()
    undocumented = {key: aspects for key, aspects in result.different.items() if key not in listed}
    unordered = [key for key in result.out_of_order if key not in listed]
    assert not undocumented and not unordered, (undocumented, unordered)


def test_no_documented_difference_is_stale(compared: tuple[str, Compared]) -> None:
    """A listed entry that now matches must leave the list, so the list stays true."""
    _, result = compared
    stale = [key for key in result.identical if key in documented()]
    assert not stale, stale


def test_each_reason_names_who_is_wrong_and_the_apa_rule() -> None:
    for key, (who, why) in documented().items():
        assert who in {"yardstick", "ours"}, key
        assert who == "ours" or _APA_RULE.search(why), (key, why)


def test_real_world_share_is_at_least_95_percent() -> None:
    """Matches plus entries where the yardstick breaks an APA rule, over all entries."""
    result = compare("realworld")
    total = len(result.identical) + len(result.different)
    wrong_yardstick = [
        key for key in result.different if documented().get(key, ("", ""))[0] == "yardstick"
    ]
    share = (len(result.identical) + len(wrong_yardstick)) / total
    exact = len(result.identical) / total
    assert total >= 200
    assert share >= 0.95, f"{share:.1%} (exact matches alone: {exact:.1%} of {total})"
