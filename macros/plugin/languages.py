"""Which language this build is for: mkdocs-static-i18n builds each language in turn.

The i18n plugin builds the default language, then rebuilds the site once per other
language from its own ``on_post_build`` by calling mkdocs' ``build()`` again with the same
configuration and plugin objects. mkdocs 1.6's ``build()`` runs ``on_config`` each time, so
the ``ipt`` plugin reads the language there and loads that language's data.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from macros.errors import SiteError

#: The language of the project's own files (page.md, data/<name>.yml).
DEFAULT_LANGUAGE = "en"


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
    return theme_language if isinstance(theme_language, str) else DEFAULT_LANGUAGE


def language_root(config: MkDocsConfig, language: str) -> str:
    """Where the language's pages are in the site: "" for the default language, else its
    folder ("es/"), as the i18n plugin places them."""
    i18n = config.plugins.get("i18n")
    default = getattr(i18n, "default_language", None) if i18n is not None else None
    return "" if language == (default or language) else f"{language}/"


def language_roots(config: MkDocsConfig) -> list[str]:
    """The folder of every language the site has ("" for the default language's)."""
    i18n = config.plugins.get("i18n")
    locales = [language.locale for language in i18n.config.languages] if i18n else []
    return [language_root(config, locale) for locale in locales] or [""]


def choose_languages(config: MkDocsConfig, chosen: list[str] | None, clinic_file: str) -> None:
    """Build only the languages a clinic file chose (``languages:``); the default language
    (the pages' own files) is always built, at the site's root."""
    i18n = config.plugins.get("i18n")
    if chosen is None or i18n is None:
        return
    languages = i18n.config.languages
    known = [language.locale for language in languages]
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise SiteError(
            clinic_file,
            f"languages: the site has no language '{unknown[0]}'.",
            hint=f"Use some of: {', '.join(known)} (a new language: see the editors' guide, "
            "Translating).",
        )
    for language in languages:
        language.build = language.default or language.locale in chosen


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


def keep_the_root_404_page(config: MkDocsConfig) -> None:
    """Another language's build leaves the site's 404 page alone: mkdocs writes 404.html at
    the site folder's root in every build, and the i18n plugin builds every language into
    the same folder, so the last language's page (lang="es", Spanish furniture) would serve
    every missing address."""
    config.theme.static_templates.discard("404.html")
