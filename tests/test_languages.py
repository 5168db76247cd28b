"""A second language end to end: the Spanish site, its data overlays, its site strings,
its crisis lines, and the check that keeps translations honest."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pypdf import PdfReader

from macros.check import translations
from macros.check.browser import serve
from macros.check.htmlscan import scan_file
from macros.check.links import broken, is_internal
from macros.check.project import Project, built_path
from macros.content.catalogue import load_catalogue
from macros.content.crisis import load_crisis_lines
from macros.content.help_lines import help_page_html
from macros.content.overlays import apply_overlay
from macros.content.yaml_files import parse_yaml
from macros.errors import SiteError, SiteErrors
from macros.plugin.languages import choose_languages
from macros.text.readability import measure, spanish_syllables
from tests.conftest import (
    ROOT,
    SPANISH,
    Build,
    copy_project,
    parse_html,
    run_build,
    text_of,
)

# -- The Spanish site, from the site built once per run ---------------------------------


def test_spanish_pages_are_built_under_es_with_their_language(built: Build) -> None:
    english = sorted(
        path.relative_to(ROOT / "docs").as_posix() for path in (ROOT / "docs").rglob("*.es.md")
    )
    assert len(english) >= 45
    for source in english:
        page = built.page(built_path(source))
        assert page.startswith('<!doctype html>\n<html lang="es"') or '<html lang="es"' in page
    assert '<html lang="en"' in built.page("about/index.html")


def test_the_switcher_moves_between_the_same_page(built: Build) -> None:
    spanish = built.page("es/about/carers/index.html")
    english = built.page("about/carers/index.html")
    assert re.search(r'<a href="../../../about/carers/" hreflang="en"', spanish), "to English"
    assert re.search(r'<a href="../../es/about/carers/" hreflang="es"', english), "to Spanish"


def test_spanish_furniture_comes_from_the_catalogue(built: Build) -> None:
    page = built.page("es/about/index.html")
    assert "Última revisión de la página:" in page and "min de lectura" in page
    assert "Ningún profesional clínico de lengua materna española ha revisado" in page
    assert "¿Necesita ayuda ahora?" in page and "Pida ayuda ahora" in page
    # the default site's crisis lines (UK) have no Spanish text: said so, not hidden
    assert "Estas líneas de ayuda están en inglés" in page
    assert 'href="../help-now/"' in page, "the crisis panel links to the Spanish help page"
    assert "Last reviewed" not in page and "minute read" not in page


@pytest.mark.parametrize(
    ("page", "name"),
    [("es/about/index.html", "Entender la TIP"), ("about/index.html", "Understanding IPT")],
)
def test_the_site_name_is_in_the_pages_language(built: Build, page: str, name: str) -> None:
    tree = parse_html(built.page(page))
    assert text_of(tree.find(".//title")).endswith(f" - {name}")
    header = tree.find(".//header")
    assert name in text_of(header) and "Understanding IPT Entender" not in text_of(header)


def test_the_404_page_is_the_root_languages(built: Build) -> None:
    """Every language is built into one folder: the Spanish build must not replace it."""
    page = built.page("404.html")
    assert '<html lang="en"' in page and "<title>Understanding IPT</title>" in page
    assert 'href="/help-now/"' in page and "/es/help-now/" not in page


def test_a_page_without_a_translation_says_it_is_in_english(built: Build) -> None:
    page = built.page("es/editors/index.html")
    assert "Esta página solo está en inglés." in page and '<div lang="en">' in page


def search_index(site: Path, root: str) -> dict[str, Any]:
    return json.loads((site / root / "search/search_index.json").read_text(encoding="utf-8"))


def test_each_language_has_its_own_search_index(built: Build) -> None:
    english, spanish = search_index(built.site, ""), search_index(built.site, "es/")
    assert english["config"]["lang"] == ["en"] and spanish["config"]["lang"] == ["es"]
    assert not [doc for doc in english["docs"] if doc["location"].startswith("es/")]
    assert any("interpersonal psychotherapy" in doc["text"].lower() for doc in english["docs"])
    assert any("psicoterapia interpersonal" in doc["text"].lower() for doc in spanish["docs"])
    # Spanish locations are relative to es/, the search base of Spanish pages
    pages = {doc["location"].split("#")[0] for doc in spanish["docs"]}
    missing = [page for page in pages if not (built.site / "es" / page / "index.html").is_file()]
    assert "problem-areas/grief/" in pages and not missing, missing
    # the search worker's Spanish stop words and tokenizer (lunr-languages), shipped locally
    lunr = built.site / "assets/javascripts/lunr/min"
    assert (lunr / "lunr.es.min.js").is_file() and (lunr / "lunr.stemmer.support.min.js").is_file()


def test_a_dirty_build_keeps_each_languages_search_index_whole(
    project: Path, tmp_path: Path
) -> None:
    """``make serve`` builds with --dirty, where the search plugin carries one build's
    entries into the next, the English ones into the Spanish build: each index must still
    hold its own pages once, and nothing else."""
    site = tmp_path / "site"
    result = run_build(project, site, "--dirty", strict=False)
    assert result.returncode == 0, result.output[-3000:]
    for root, other in (("", "es/"), ("es/", None)):
        locations = [doc["location"] for doc in search_index(site, root)["docs"]]
        assert len(locations) == len(set(locations)), f"{root or 'root'}: entries twice"
        assert "about/history/" in locations and "problem-areas/grief/" in locations
        assert other is None or not [place for place in locations if place.startswith(other)]


def test_serve_rebuilds_keep_the_search_index_its_size(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make serve`` rebuilds after each edit with --dirty, keeping the search plugin (its
    index grew about fourfold per edit, and each rebuild took that much longer)."""
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "argv", ["mkdocs", "serve", "--dirty"])  # what i18n reads
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    search: Any = config.plugins["material/search"]
    history = project / "docs/about/history.md"
    sizes = []
    for edit in range(3):
        if edit:
            history.write_text(history.read_text(encoding="utf-8") + f"\nEdit {edit}.\n")
        build(config, dirty=edit > 0)
        sizes.append(len(search.search_index.entries))
    assert sizes[0] == sizes[1] == sizes[2], sizes


@pytest.fixture(scope="module")
def spanish_first(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A clinic in Spain that wants Spanish at its site's address."""
    project = copy_project(tmp_path_factory.mktemp("spanish-first") / "project")
    clinic = "default_language: es\ncountry: es\nsite_url: https://tip.example/\n"
    (project / "clinic.yml").write_text(clinic, encoding="utf-8")
    result = run_build(project, project / "site", IPT_CLINIC="clinic.yml")
    assert result.returncode == 0, result.output[-3000:]
    return result


def test_a_clinic_can_put_spanish_at_the_sites_address(spanish_first: Build) -> None:
    """``default_language: es``: Spanish pages at the site's root, English ones under /en/,
    and every link, switcher entry, search index, handout and 404 page following them."""
    result, site = spanish_first, spanish_first.site
    for page, language in (("index.html", "es"), ("404.html", "es"), ("en/index.html", "en")):
        assert f'<html lang="{language}"' in result.page(page), page
    assert "Pida ayuda ahora" in result.page("about/index.html")
    assert not (site / "es").exists(), "no Spanish copy left under /es/"
    spanish = result.page("about/carers/index.html")
    english = result.page("en/about/carers/index.html")
    assert '<a href="../../en/about/carers/" hreflang="en"' in spanish
    assert '<a href="../../../about/carers/" hreflang="es"' in english
    # "Cite this page" names the site in the page's language, at the page's address
    assert "Entender la TIP. (2026" in spanish and "https://tip.example/about/carers/" in spanish
    assert "Understanding IPT. (2026" in english
    assert "https://tip.example/en/about/carers/" in english
    sitemap = result.page("sitemap.xml")
    assert "<loc>https://tip.example/about/carers/</loc>" in sitemap and "None" not in sitemap
    assert 'hreflang="en" href="https://tip.example/en/about/carers/"' in sitemap
    assert search_index(site, "")["config"]["lang"] == ["es"]
    assert search_index(site, "en/")["config"]["lang"] == ["en"]
    assert "problem-areas/grief/" in {doc["location"] for doc in search_index(site, "")["docs"]}
    for folder, language in (("", "es"), ("en/", "en")):
        reader = PdfReader(site / folder / "handouts/mood-diary.pdf")
        assert reader.trailer["/Root"]["/Lang"] == language
    broken_links = [
        f"{html.relative_to(site)}: {problem}"
        for html in site.rglob("*.html")
        for link in scan_file(html).links
        if is_internal(link.url) and not link.url.startswith("#__")
        for problem in [broken(site, html, link.url)]
        if problem
    ]
    assert not broken_links, broken_links[:10]


@pytest.mark.browser
@pytest.mark.parametrize("page", ["", "en/"])
def test_spains_crisis_banner_fits_a_phone(spanish_first: Build, browser: Any, page: str) -> None:
    """Spain's suicide line has a long name: on a 360 px phone it wraps, never runs off the
    screen, and its number stays whole."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    with serve(spanish_first.site) as url:
        tab = context.new_page()
        tab.goto(url + page)
        links = tab.evaluate(
            """() => [...document.querySelectorAll('.md-banner a')]
                .filter((link) => link.getClientRects().length)
                .map((link) => [link.textContent.trim(), link.getBoundingClientRect().right,
                    [...link.querySelectorAll('.ipt-crisis__number')]
                        .map((number) => number.getClientRects().length)])"""
        )
    context.close()
    assert any("024" in text for text, _, _ in links), links
    for text, right, number_lines in links:
        assert right <= 360, f"{text!r} runs off the screen (right edge {right} px)"
        assert all(lines == 1 for lines in number_lines), f"{text!r}: its number wraps"


@pytest.mark.parametrize(
    ("clinic", "expected"),
    [
        ({"default_language": "fr"}, "default_language: the site has no language 'fr'."),
        ({"languages": ["en", "de"]}, "languages: the site has no language 'de'."),
        (
            {"languages": ["en"], "default_language": "es"},
            "default_language: 'es' is not one of the languages to build (en).",
        ),
    ],
)
def test_a_language_the_site_cannot_build_is_named(clinic: dict[str, Any], expected: str) -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    with pytest.raises(SiteError) as raised:
        choose_languages(config, clinic.get("languages"), clinic.get("default_language"), "c.yml")
    assert str(raised.value).startswith(f"c.yml: {expected}"), str(raised.value)


def test_english_is_built_whatever_languages_a_clinic_chose() -> None:
    """Pages without a translation show their English text, so English is always built."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert choose_languages(config, ["es"], "es", "c.yml") == "es"
    languages = {language.locale: language for language in config.plugins["i18n"].config.languages}
    assert languages["en"].build and languages["es"].build
    assert (languages["es"].link, languages["en"].link) == ("/", "/en/")


def search_results(tab: Any, page: str, words: str) -> list[str]:
    """The addresses of the results for ``words``, searched from ``page`` as a reader would."""
    tab.goto(page)
    field = tab.locator("input.md-search__input")
    field.focus()
    field.press_sequentially(words)
    tab.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = tab.locator(".md-search-result__link")
    return [urlsplit(link.get_attribute("href")).path for link in links.all()]


#: Searches from each language's pages, and a page their results must include. An author's
#: name is in the reference lists of both languages: only this language's pages may come up.
SEARCHES = {
    ("es/", "duelo"): "problem-areas/grief/",
    ("es/", "Weissman"): "about/history/",
    ("", "grief"): "problem-areas/grief/",
    ("", "Weissman"): "about/history/",
}


@pytest.mark.browser
@pytest.mark.parametrize(("root", "words"), list(SEARCHES))
def test_search_finds_the_pages_of_the_readers_language_only(
    browser: Any, base_url: str, root: str, words: str
) -> None:
    context = browser.new_context()
    tab = context.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(urlsplit(request.url).path))
    results = search_results(tab, base_url + root + "about/", words)
    context.close()
    assert f"/{root}{SEARCHES[root, words]}" in results, results
    in_other_language = [path for path in results if path.startswith("/es/") != bool(root)]
    assert not in_other_language, in_other_language
    assert f"/{root}search/search_index.json" in requested
    assert ("/assets/javascripts/lunr/min/lunr.es.min.js" in requested) == bool(root)


@pytest.mark.browser
def test_spanish_search_works_when_search_on_demand_fails(browser: Any, base_url: str) -> None:
    """Without search-on-demand.js, Material loads the Spanish index as the page loads."""
    context = browser.new_context()
    context.route("**/search-on-demand.js", lambda route: route.abort())
    results = search_results(context.new_page(), base_url + "es/about/", "duelo")
    context.close()
    assert "/es/problem-areas/grief/" in results
    assert all(path.startswith("/es/") for path in results), results


def test_spanish_data_and_handouts(built: Build) -> None:
    therapies = json.loads((built.site / "es/data/therapies.json").read_text(encoding="utf-8"))
    assert therapies["therapies"][0]["name"] == "Psicoterapia interpersonal"
    assert therapies["therapies"][0]["attributes"]["focus"]["cite"], "citations stay"
    page = built.page("es/handouts/mood-diary/index.html")
    assert "Borrar mis respuestas" in page and "Lunes" in page and "Monday" not in page
    reader = PdfReader(built.site / "es/handouts/mood-diary.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "¿Necesita ayuda ahora?" in text and "Sobre este folleto." in text
    assert text.startswith("Entender la TIP"), "the letterhead carries the Spanish site name"
    assert (built.site / "es/handouts/understanding-ipt-handouts.zip").is_file()


# -- Overlays, catalogues and crisis lines, in process ------------------------------------

ENGLISH_DATA = {
    "items": [
        {"id": "one", "name": "One", "cell": {"text": "A fact.", "cite": ["key"]}},
        {"id": "two", "name": "Two", "cell": {"text": "Another.", "cite": ["key"]}},
    ]
}


def overlay_problems(text: str) -> list[str]:
    overlay, lines = parse_yaml(text, "data/x.es.yml")
    _, _, problems = apply_overlay(ENGLISH_DATA, overlay, "data/x.es.yml", lines)
    return [str(problem) for problem in problems]


TRANSLATION = "translation: {from_hash: 0123456789ab, translated_on: 2026-11-27, method: human}\n"


def test_a_complete_overlay_translates_text_and_keeps_citations() -> None:
    overlay, lines = parse_yaml(
        TRANSLATION + "items:\n"
        "  - {id: two, name: Dos, cell: Otro.}\n"
        "  - {id: one, name: Uno, cell: Un hecho.}\n",
        "data/x.es.yml",
    )
    merged, translation, problems = apply_overlay(ENGLISH_DATA, overlay, "x", lines)
    assert problems == [] and translation and translation.method == "human"
    assert merged["items"][0] == {
        "id": "one",
        "name": "Uno",
        "cell": {"text": "Un hecho.", "cite": ["key"]},
    }


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            "  - {id: one, name: Uno, cell: Un hecho.}\n  - {id: three, name: Tres, cell: x}\n",
            [
                "data/x.es.yml:4: items[1].id: unknown id 'three'",
                "data/x.es.yml:2: items: missing the item with id 'two'",
            ],
        ),
        (
            "  - {id: one, name: Uno, cell: Un hecho.}\n  - {id: two, cell: Otro.}\n",
            ["data/x.es.yml:4: items[1].name: missing: translate it."],
        ),
        (
            "  - {id: one, name: Uno, cell: Un hecho., cite: [key]}\n"
            "  - {id: two, name: Dos, cell: Otro.}\n",
            ["data/x.es.yml:3: items[0].cite: citations belong in the English file only."],
        ),
        (
            "  - {id: one, name: Uno, cell: Un hecho., colour: red}\n"
            "  - {id: two, name: Dos, cell: Otro.}\n",
            ["data/x.es.yml:3: items[0].colour: unknown field"],
        ),
    ],
    ids=["unknown-and-missing-id", "missing-field", "cite", "unknown-field"],
)
def test_overlay_mistakes_name_the_file_and_line(items: str, expected: list[str]) -> None:
    problems = overlay_problems(TRANSLATION + "items:\n" + items)
    for message in expected:
        assert any(message in problem for problem in problems), (message, problems)


def test_every_catalogue_has_the_english_keys() -> None:
    for path in sorted((ROOT / "data" / "i18n").glob("*.yml")):
        load_catalogue(ROOT / "data", path.stem)


def test_a_catalogue_mistake_names_the_key_and_line(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    shutil.copy(ROOT / "data/i18n/en.yml", tmp_path / "i18n/en.yml")
    text = (ROOT / "data/i18n/es.yml").read_text(encoding="utf-8")
    text = text.replace("min de lectura", "min de lectura {minutos}").replace(
        "  privacy: Privacidad\n", ""
    )
    (tmp_path / "i18n/xx.yml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteErrors) as caught:
        load_catalogue(tmp_path, "xx")
    message = str(caught.value)
    assert "data/i18n/xx.yml: footer.privacy: missing." in message
    assert re.search(r"data/i18n/xx.yml:\d+: page_info.reading_time: the placeholders", message)


def test_us_crisis_lines_in_spanish_keep_the_numbers() -> None:
    english = load_crisis_lines(ROOT / "data", "us")
    spanish = load_crisis_lines(ROOT / "data", "us", "es")
    assert spanish.language == "es" and spanish.country == "Estados Unidos"
    assert [s.contacts[0].href for s in spanish.services] == [
        s.contacts[0].href for s in english.services
    ]
    by_id = {service.id: service for service in spanish.services}
    assert by_id["988-lifeline-spanish"].contacts[0].label == "Llame al 988 y oprima el 2"


def test_spain_is_in_spanish_and_a_country_without_spanish_text_says_so() -> None:
    spain = load_crisis_lines(ROOT / "data", "es", "es")
    assert spain.language == "es" and "tel:024" in help_page_html(spain, None, "C", [], SPANISH)
    uk = load_crisis_lines(ROOT / "data", "uk", "es")
    assert uk.language == "en"
    assert "están en inglés" in help_page_html(uk, None, "C", [], SPANISH)


def test_a_crisis_overlay_may_not_change_a_number(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data" / "crisis", tmp_path / "crisis")
    overlay = tmp_path / "crisis" / "us.es.yml"
    overlay.write_text(
        overlay.read_text(encoding="utf-8").replace(
            "  label: Llame al 911", "  label: Llame al 911\n  value: '912'"
        ),
        encoding="utf-8",
    )
    with pytest.raises(SiteError, match=r"us.es.yml:\d+: emergency.value: is not translated"):
        load_crisis_lines(tmp_path, "us", "es")


# -- Readability in Spanish ----------------------------------------------------------------


def test_spanish_syllables_and_the_inflesz_score() -> None:
    words = {"después": 2, "leer": 2, "cuando": 2, "aire": 2, "día": 2, "psicoterapia": 5}
    assert {word: spanish_syllables(word) for word in words} == words
    easy = measure("<p>Su terapeuta le escucha. Usted habla de su vida.</p>", "es")
    hard = measure(
        "<p>La psicoterapia interpersonal conceptualiza la sintomatología depresiva como "
        "consecuencia de dificultades interpersonales contemporáneas.</p>",
        "es",
    )
    assert easy.inflesz > 80 > 40 > hard.inflesz


# -- The translations check ------------------------------------------------------------------


def test_a_changed_english_page_makes_its_translation_out_of_date(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    check = Project(root=project, site=tmp_path / "site", today=datetime.date(2026, 11, 27))
    assert not any("faq" in finding.file for finding in translations.run(check))
    faq = project / "docs/about/faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\nA new sentence.\n", encoding="utf-8")
    (project / "docs/about/history.es.md").unlink()
    findings = [str(finding) for finding in translations.run(check)]
    assert any(
        finding.startswith("docs/about/faq.es.md:")
        and "WARNING: translation out of date: docs/about/faq.md has changed" in finding
        for finding in findings
    ), findings
    assert any(
        finding.startswith("docs/about/history.md: WARNING: no 'es' translation")
        for finding in findings
    ), findings
