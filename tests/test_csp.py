"""The generated Content-Security-Policy allows exactly the inline scripts the pages run."""

from __future__ import annotations

import base64
import hashlib
import re

from macros.plugin.csp import SERVER_CONFIG_NAME
from tests.conftest import Build, html_pages, parse_html


def policy_of(build: Build) -> str:
    config = (build.site / SERVER_CONFIG_NAME).read_text()
    return re.search(r'Content-Security-Policy "([^"]+)"', config).group(1)


def executable_inline_scripts(build: Build) -> set[str]:
    """CSP hashes of every inline script a browser would run, found by an HTML5 parser
    (independently of the build's own code)."""
    hashes = set()
    for page in [*html_pages(build.site), build.site / "404.html"]:
        for script in parse_html(page.read_text()).iter("script"):
            if script.get("src") or "json" in (script.get("type") or ""):
                continue
            digest = hashlib.sha256((script.text or "").encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def test_policy_allows_exactly_the_inline_scripts_pages_run(built: Build) -> None:
    policy = policy_of(built)
    scripts = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    allowed = set(re.findall(r"'sha256-[^']+'", scripts))
    executed = executable_inline_scripts(built)
    assert len(executed) >= 3
    assert allowed == executed
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy


def test_pages_have_no_inline_event_handlers_or_style_attributes(built: Build) -> None:
    for page in html_pages(built.site):
        text = page.read_text()
        assert not re.search(r"\son[a-z]+=", text), page
        assert not re.search(r"\sstyle=", text), page
