"""The real site builds strictly, reproducibly and with its safety furniture on every page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import ROOT, Build, html_pages, parse_html, run_build, text_of


def test_strict_build_passes_without_warnings(built: Build) -> None:
    assert "WARNING" not in built.output
    assert (built.site / "index.html").exists()


def test_every_page_has_the_crisis_panel_with_local_numbers(built: Build) -> None:
    for page in html_pages(built.site):
        panel = parse_html(page.read_text()).find(".//div[@class='ipt-crisis']")
        assert panel is not None, f"{page} has no crisis panel"
        links = {a.get("href") for a in panel.iter("a")}
        assert {"tel:999", "tel:111", "tel:116123"} <= links, page
        assert "Need help now?" in text_of(panel)


def test_every_page_shows_review_dates_and_an_honest_status(built: Build) -> None:
    for page in html_pages(built.site):
        info = parse_html(page.read_text()).find(".//div[@class='ipt-page-info']")
        assert info is not None, f"{page} has no review information"
        text = text_of(info)
        assert "Page last reviewed:" in text and "Next review due:" in text, page
        assert "minute read" in text, page
        assert "Reviewed by a clinician" not in text, page


def test_footer_says_information_not_advice(built: Build) -> None:
    footer = parse_html(built.page("index.html")).find(".//footer")
    assert "information, not medical advice" in text_of(footer)


def test_help_page_lists_every_service_from_the_crisis_data(built: Build) -> None:
    text = text_of(parse_html(built.page("help-now/index.html")).find(".//article"))
    assert "Samaritans" in text and "NHS 111" in text and "last checked on" in text


def digests(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_a_rebuild_with_the_same_date_is_byte_identical(built: Build, tmp_path: Path) -> None:
    """Its own, empty PDF cache: every PDF is rendered again, so a handout that renders
    differently each time fails here instead of hiding behind the cache."""
    again = run_build(ROOT, tmp_path / "site", IPT_CACHE_DIR=str(tmp_path / "cache"))
    assert again.returncode == 0, again.output
    assert again.output.count(": rendered in") >= 8, again.output
    assert digests(again.site) == digests(built.site)


@pytest.mark.parametrize("country, numbers", [("us", {"tel:911", "tel:988", "sms:988"})])
def test_the_country_setting_selects_the_crisis_lines(
    project: Path, country: str, numbers: set[str]
) -> None:
    (project / "clinic.yml").write_text(f"country: {country}\n")
    build = run_build(project, project / "site", IPT_CLINIC="clinic.yml")
    assert build.returncode == 0, build.output
    panel = parse_html(build.page("index.html")).find(".//div[@class='ipt-crisis']")
    assert numbers <= {a.get("href") for a in panel.iter("a")}
