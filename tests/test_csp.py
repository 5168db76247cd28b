"""The generated Content-Security-Policy allows every inline script the pages run."""

from __future__ import annotations

import re

from macros.csp import SERVER_CONFIG_NAME, inline_script_hashes
from tests.conftest import Build, html_pages


def test_policy_lists_every_inline_script_and_no_other_host(built: Build) -> None:
    config = (built.site / SERVER_CONFIG_NAME).read_text()
    policy = re.search(r'Content-Security-Policy "([^"]+)"', config).group(1)
    hashes = inline_script_hashes(built.site)
    assert len(hashes) >= 3
    for digest in hashes:
        assert digest in policy
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "http" not in policy


def test_pages_have_no_inline_event_handlers_or_style_attributes(built: Build) -> None:
    for page in html_pages(built.site):
        text = page.read_text()
        assert not re.search(r"\son[a-z]+=", text), page
        assert not re.search(r"\sstyle=", text), page
