"""The real site builds strictly, reproducibly and with its safety furniture on every page."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from urllib.parse import urljoin

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from macros.citations.cite_this_page import cite_this_page_html
from macros.content.clinic import load_clinic
from macros.content.crisis import load_crisis_lines
from macros.content.help_lines import help_page_html
from macros.plugin import IptPlugin
from tests.conftest import (
    ENGLISH,
    ROOT,
    SPANISH,
    Build,
    catalogue_of,
    html_pages,
    parse_html,
    run_build,
    text_of,
)


def test_strict_build_passes_without_warnings(built: Build) -> None:
    assert "WARNING" not in built.output
    assert (built.site / "index.html").exists()


def test_every_page_has_the_crisis_panel_with_local_numbers(built: Build) -> None:
    for page in html_pages(built.site):
        panel = parse_html(page.read_text()).find(".//div[@class='ipt-crisis']")
        assert panel is not None, f"{page} has no crisis panel"
        links = {a.get("href") for a in panel.iter("a")}
        assert {"tel:999", "tel:116123", "sms:85258"} <= links, page
        assert catalogue_of(built.site, page)("crisis.lead") in text_of(panel)
        assert panel.find(".//a[@class='ipt-crisis__more']") is not None, page


def test_every_page_shows_review_dates_and_an_honest_status(built: Build) -> None:
    for page in html_pages(built.site):
        info = parse_html(page.read_text()).find(".//div[@class='ipt-page-info']")
        assert info is not None, f"{page} has no review information"
        text = text_of(info)
        t = catalogue_of(built.site, page)
        assert t("page_info.last_reviewed") in text and t("page_info.next_review") in text, page
        assert t("page_info.reading_time", minutes="").strip() in text, page
        assert t("review_status.clinical-review", reviewer="").split(":")[0] not in text, page


def test_footer_says_information_not_advice(built: Build) -> None:
    footer = parse_html(built.page("index.html")).find(".//footer")
    assert "information, not medical advice" in text_of(footer)


def test_help_page_lists_every_crisis_line_of_every_nation(built: Build) -> None:
    article = parse_html(built.page("help-now/index.html")).find(".//article")
    text = text_of(article)
    for name in ("Samaritans", "Shout", "NHS 111", "NHS 24", "Breathing Space", "Lifeline"):
        assert name in text, name
    for region in ("England", "Wales", "Scotland", "Northern Ireland"):
        assert f"In {region}" in text or region in text, region
    assert "A&E" in text and "the oldest check was on" in text
    calls = {a.get("href") for a in article.iter("a") if "ipt-call" in (a.get("class") or "")}
    assert {"tel:999", "tel:116123", "sms:85258", "tel:111", "tel:08088088000"} <= calls
    assert "tel:08082000247" not in calls, "domestic-abuse lines belong on their own pages"


def digests(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_reference_lists_and_page_furniture_stay_out_of_the_search_index(built: Build) -> None:
    """They join a page after the search plugin read it: no entry for a reference list's
    heading, no review line."""
    index = json.loads((built.site / "search/search_index.json").read_text(encoding="utf-8"))
    documents = {document["location"]: document["text"] for document in index["docs"]}
    with_lists = [
        page.relative_to(built.site).parent.as_posix() + "/"
        for page in built.site.rglob("index.html")
        if 'class="ipt-references"' in page.read_text(encoding="utf-8")
    ]
    assert len(with_lists) > 40
    listed = [url for url in with_lists if f"{url.removeprefix('./')}#references" in documents]
    assert not listed, f"reference lists in the search index: {listed}"
    text = " ".join(documents.values())
    for furniture in ("Page last reviewed", "Next review due", "Última revisión"):
        assert furniture not in text, f"{furniture!r} is in the search index"


def test_a_rebuild_with_the_same_date_is_byte_identical(built: Build, tmp_path: Path) -> None:
    """Its own, empty PDF cache: every PDF is rendered again, so a handout that renders
    differently each time fails here instead of hiding behind the cache."""
    again = run_build(ROOT, tmp_path / "site", IPT_CACHE_DIR=str(tmp_path / "cache"))
    assert again.returncode == 0, again.output
    assert again.output.count(": rendered in") >= 8, again.output
    assert digests(again.site) == digests(built.site)


def test_the_country_and_region_settings_select_the_crisis_lines(project: Path) -> None:
    (project / "clinic.yml").write_text("country: us\n")
    build = run_build(project, project / "site", IPT_CLINIC="clinic.yml")
    assert build.returncode == 0, build.output
    panel = parse_html(build.page("index.html")).find(".//div[@class='ipt-crisis']")
    assert {"tel:911", "tel:988"} <= {a.get("href") for a in panel.iter("a")}
    help_page = parse_html(build.page("help-now/index.html")).find(".//article")
    assert {"tel:911", "tel:988", "sms:988"} <= {a.get("href") for a in help_page.iter("a")}


#: Each country a clinic can choose: its emergency number and its main line to talk to.
COUNTRIES = {
    "uk": ("tel:999", "tel:116123"),
    "ie": ("tel:112", "tel:116123"),
    "us": ("tel:911", "tel:988"),
    "ca": ("tel:911", "tel:988"),
    "au": ("tel:000", "tel:131114"),
    "nz": ("tel:111", "tel:1737"),
    "es": ("tel:112", "tel:024"),
}


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_country_has_an_emergency_number_and_a_line_in_the_banner(country: str) -> None:
    crisis = load_crisis_lines(ROOT / "data", country)
    emergency, line = COUNTRIES[country]
    assert crisis.emergency.href == emergency
    assert line in {service.contacts[0].href for service in crisis.banner(None)}
    page = help_page_html(crisis, None, "Clinic", [], ENGLISH)
    assert f'href="{emergency}"' in page and f'href="{line}"' in page
    assert any(service.topic == "domestic-abuse" for service in crisis.services) or (
        country == "ca"  # provincial lines only; ca.yml says so
    )


def test_a_region_adds_its_own_lines_to_the_banner() -> None:
    crisis = load_crisis_lines(ROOT / "data", "uk")
    scotland = {service.id for service in crisis.banner("scotland")}
    assert {"samaritans", "shout", "nhs-24-scotland"} <= scotland
    assert "nhs-111-england" not in scotland
    england_help = help_page_html(crisis, "england", "Clinic", [], ENGLISH)
    assert "NHS 111" in england_help and "Breathing Space" not in england_help


TRUST_PAGES = (
    "about-this-site/",
    "about-this-site/how-we-write-and-check/",
    "about-this-site/accessibility/",
    "about-this-site/privacy/",
    "editors/",
)


def test_editors_furniture_is_off_the_public_pages_by_default(built: Build) -> None:
    """No edit buttons, repository link, "For editors" tab or BibTeX; a footer link instead."""
    for page in html_pages(built.site):
        root = parse_html(page.read_text())
        classes = " ".join(element.get("class") or "" for element in root.iter())
        assert "md-content__button" not in classes, page  # "Edit this page"
        assert "md-source" not in classes.split(), page  # the repository
        tabs = root.find(".//nav[@class='md-tabs']")
        if tabs is not None:
            assert "For editors" not in text_of(tabs), page
            assert "Para editores" not in text_of(tabs), page
        for block in root.findall(".//details[@class='ipt-cite-this']"):
            assert "BibTeX" not in text_of(block), page
        here = "http://site/" + page.relative_to(built.site).as_posix()
        footer_links = {
            urljoin(here, a.get("href") or "").removeprefix("http://site/")
            for a in root.findall(".//nav[@class='ipt-footer-links']//a")
        }
        language_root = "es/" if catalogue_of(built.site, page) is SPANISH else ""
        trust_pages = {language_root + link for link in TRUST_PAGES if link != "editors/"}
        assert trust_pages | {"editors/"} <= footer_links, page


def test_no_sitemap_without_the_site_address(built: Build) -> None:
    """A sitemap lists full addresses: without site_url it listed "None/about/"."""
    assert not (built.site / "sitemap.xml").exists()
    assert not (built.site / "sitemap.xml.gz").exists()


def test_cite_this_page_needs_the_site_address(built: Build) -> None:
    """Without site_url (the default here) a reference would give a useless "/about/"."""
    assert 'class="ipt-cite-this"' not in built.page("about/index.html")
    html = cite_this_page_html(
        "Understanding IPT",
        "About",
        datetime.date(2026, 11, 27),
        "https://x.org/a/",
        bibtex=False,
        t=ENGLISH,
    )
    assert "https://x.org/a/" in html and "BibTeX" not in html


@pytest.mark.parametrize("threshold, pruned", [(0, False), (1000, False), (2, True)])
def test_a_large_site_carries_only_each_sections_navigation(threshold: int, pruned: bool) -> None:
    """From ``prune_nav_from`` pages on, Material's navigation.prune is switched on."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    plugin = config.plugins["ipt"]
    assert isinstance(plugin, IptPlugin)
    plugin.config.prune_nav_from = threshold
    plugin.clinic = load_clinic("", ROOT, ROOT / "data")
    plugin.language_root = ""  # the default language's build
    plugin.on_files(get_files(config), config)
    assert ("navigation.prune" in config.theme["features"]) is pruned
