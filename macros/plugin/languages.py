"""Which language this build is for, and where each language's pages go in the site.

The i18n plugin (mkdocs-static-i18n) builds its default language, the language of the
project's own files, then rebuilds the site once per other language from its own
``on_post_build`` by calling mkdocs' ``build()`` again with the same configuration and
plugin objects. mkdocs 1.6's ``build()`` runs ``on_config`` each time, so the ``ipt`` plugin
reads the language there and loads that language's data.

The i18n plugin also puts its default language at the site's root and every other language
in its folder (/es/). A clinic may want another language at the root (``default_language``
in its clinic file): the English files stay the source of every page without a translation,
and :func:`place_pages` moves each language's pages to the folders the clinic chose before
mkdocs makes any link between them.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from macros.errors import SiteError

#: The language of the project's own files (page.md, data/<name>.yml).
SOURCE_LANGUAGE = "en"


def build_language(config: MkDocsConfig) -> str:
    """The language being built: the i18n plugin's current one, else its default, else
    the theme's language (a site without the i18n plugin)."""
    i18n = config.plugins.get("i18n")
    if i18n is not None:
        language = getattr(i18n, "current_language", None) or getattr(
            i18n, "default_language", None
        )
        if isinstance(language, str):
            return language
    theme_language = config.theme.get("language")
    return theme_language if isinstance(theme_language, str) else SOURCE_LANGUAGE


def is_first_build(config: MkDocsConfig) -> bool:
    """The build mkdocs started, not one of the i18n plugin's rebuilds inside it."""
    return not getattr(config.plugins.get("i18n"), "building", False)


def language_root(language: str, root_language: str) -> str:
    """Where a language's pages are in the site: "" for the root language, else its
    folder ("es/")."""
    return "" if language == root_language else f"{language}/"


def site_languages(config: MkDocsConfig) -> list[str]:
    """Every language the site has, the i18n plugin's order; the built one without it."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return [build_language(config)]
    return [language.locale for language in i18n.config.languages]


def choose_languages(
    config: MkDocsConfig, chosen: list[str] | None, root_language: str | None, clinic_file: str
) -> str:
    """Build only the languages a clinic file chose (``languages:``), with
    ``root_language`` (``default_language:``) at the site's root; returns the root
    language. English, the pages' own files, is always built: untranslated pages use it."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return build_language(config)
    source = i18n.default_language
    known = site_languages(config)
    for key, codes in (("languages", chosen or []), ("default_language", [root_language])):
        unknown = [code for code in codes if code is not None and code not in known]
        if unknown:
            raise SiteError(
                clinic_file,
                f"{key}: the site has no language '{unknown[0]}'.",
                hint=f"Use some of: {', '.join(known)} (a new language: see the editors' "
                "guide, Translating).",
            )
    root = root_language or source
    if chosen is not None and root not in chosen and root != source:
        raise SiteError(
            clinic_file,
            f"default_language: '{root}' is not one of the languages to build "
            f"({', '.join(chosen)}).",
            hint=f"Add {root} to languages:, or leave default_language: out.",
        )
    for language in i18n.config.languages:
        if chosen is not None:
            language.build = language.default or language.locale in chosen
        if root != source:  # the language switcher's link to each language's home page
            language.link = "/" + language_root(language.locale, root)
    return root


def place_pages(files: Files, config: MkDocsConfig, language: str, root_language: str) -> None:
    """Move this build's pages, and the other languages' versions each page links to (the
    language switcher), from where the i18n plugin put them to their language's folder
    when the root language is not the i18n plugin's default."""
    i18n = config.plugins.get("i18n")
    source = getattr(i18n, "default_language", None)
    if i18n is None or source == root_language:
        return
    moved: set[int] = set()
    for page in files.documentation_pages():
        versions = [(language, page), *getattr(page, "alternates", {}).items()]
        for locale, file in versions:
            if id(file) not in moved:
                moved.add(id(file))
                old_root = "" if locale == source else f"{locale}/"
                _move(file, config, old_root, language_root(locale, root_language))


def _move(file: File, config: MkDocsConfig, old_root: str, new_root: str) -> None:
    file.dest_uri = new_root + file.dest_uri.removeprefix(old_root)
    file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
    url = file.dest_uri
    if config.use_directory_urls and (url == "index.html" or url.endswith("/index.html")):
        url = url.removesuffix("index.html") or "./"
    file.url = quote(url)


def take_site_names(config: MkDocsConfig) -> dict[str, str]:
    """Each language's ``site_name`` under the i18n plugin's languages in mkdocs.yml, taken
    from the i18n plugin: the ``ipt`` plugin names the site itself, because a clinic's own
    name wins in every language, and the i18n plugin refuses to replace a name the ``ipt``
    plugin has escaped (a warning, which fails a strict build)."""
    i18n = config.plugins.get("i18n")
    names = {}
    for settings in i18n.config.languages if i18n is not None else ():
        if settings.site_name:
            names[settings.locale] = str(settings.site_name)
            settings.site_name = None
    return names


def place_404_page(config: MkDocsConfig, at_root: bool) -> None:
    """Only the root language's build writes the site's 404 page: mkdocs writes 404.html
    at the site folder's root in every build, and the i18n plugin builds every language into
    the same folder, so the last language built would serve every missing address."""
    if at_root:
        config.theme.static_templates.add("404.html")
    else:
        config.theme.static_templates.discard("404.html")


def leave_out_the_sitemap(files: Files, config: MkDocsConfig) -> None:
    """No sitemap.xml without the site's address (``site_url``): a sitemap lists full
    addresses, and this one listed "None/about/". Once not rendered, the i18n plugin's
    sitemap template is a plain theme file, which mkdocs would copy as it is."""
    if config.site_url:
        return
    config.theme.static_templates.discard("sitemap.xml")
    for file in [file for file in files if file.src_uri == "sitemap.xml"]:
        if file.src_dir != config.docs_dir:
            files.remove(file)
