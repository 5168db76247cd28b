"""Debian's Chromium, driven by Playwright, against the built site served on 127.0.0.1.

Shared by ``make check`` and the browser tests, so both judge the site the same way. The
server sends the security headers the build generated (site/security-headers.conf), so
every page is also proven to work under its own Content-Security-Policy.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("IPT_CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = "install Debian's chromium: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: WCAG 2.2 levels A and AA, as axe-core tags its rules.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: axe's best-practice rules (not WCAG) run with the WCAG rules: roles only where HTML allows
#: them (Lighthouse's accessibility score counts it), landmarks a screen reader can tell
#: apart, and form fields named by more than a tooltip.
BEST_PRACTICE_RULES = ("aria-allowed-role", "landmark-unique", "label-title-only")
_HEADER_LINE = re.compile(r'^add_header\s+(\S+)\s+"(.*)"\s+always;$')


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def chromium_missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM}: {INSTALL_HINT}"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run make install"
    return None


def java_missing() -> str | None:
    """Why the Nu HTML Checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java not found: apt-get install default-jre-headless"
    return None


def axe_script() -> Path:
    """axe-core as shipped by axe-playwright-python (no download)."""
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).parent / "axe.min.js"


@functools.cache
def _axe_source() -> str:
    return axe_script().read_text(encoding="utf-8")


def security_headers(site: Path) -> dict[str, str]:
    """The headers the build wrote for servers (nginx ``add_header`` lines)."""
    config = site / "security-headers.conf"
    headers = {}
    for line in config.read_text(encoding="utf-8").splitlines():
        match = _HEADER_LINE.match(line.strip())
        if match:
            headers[match[1]] = match[2]
    return headers


class _Handler(http.server.SimpleHTTPRequestHandler):
    headers_to_send: dict[str, str] = {}  # noqa: RUF012  (set per server by functools.partial)

    def __init__(self, *args: Any, headers_to_send: dict[str, str], **kwargs: Any) -> None:
        self.headers_to_send = headers_to_send
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test run should not print every request."""


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (random port) from a thread; yields the base URL."""
    handler = functools.partial(
        _Handler, directory=str(site), headers_to_send=security_headers(site)
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium for a whole run (start-up is the slow part)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageWatch:
    """What a page did that it must not: contact other hosts, break its CSP, log errors."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _on_request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(self.origin) and not url.startswith(("data:", "blob:")):
            self.foreign_requests.append(url)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def problems(self) -> list[str]:
        return [f"requested another host: {url}" for url in self.foreign_requests] + [
            f"browser console error: {text}" for text in self.console_errors
        ]

    def clear(self) -> None:
        self.foreign_requests.clear()
        self.console_errors.clear()


#: Records Content-Security-Policy violations the page reports about itself.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  const blocked = event.blockedURI || 'inline code';
  window.__cspViolations.push(event.violatedDirective + ' blocked ' + blocked);
});
"""


@dataclass(frozen=True)
class AxeViolation:
    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summary: str

    def describe(self) -> str:
        where = ", ".join(self.targets[:3]) + (" ..." if len(self.targets) > 3 else "")
        return f"{self.help} [{self.rule}, {self.impact}] at {where}: {self.summary}"


def run_axe(
    page: Any, within: str | None = None, rules: tuple[str, ...] | None = None
) -> list[AxeViolation]:
    """axe-core's WCAG 2.2 A and AA rules and :data:`BEST_PRACTICE_RULES` (or only
    ``rules``) on the page as it is now, or only on the elements matching the CSS selector
    ``within`` and everything inside them."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP need not allow it.
        page.evaluate(_axe_source())
    only = (
        {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": WCAG_TAGS}
    )
    extra = {} if rules else {rule: {"enabled": True} for rule in BEST_PRACTICE_RULES}
    result = page.evaluate(
        "async ([only, extra, within]) => await axe.run(within ? {include: [[within]]} :"
        " document, {runOnly: only, rules: extra, resultTypes: ['violations']})",
        [only, extra, within],
    )
    violations = []
    for violation in result["violations"]:
        nodes = violation["nodes"]
        violations.append(
            AxeViolation(
                rule=violation["id"],
                impact=violation.get("impact") or "",
                help=violation["help"],
                help_url=violation["helpUrl"],
                targets=tuple(" ".join(map(str, node["target"])) for node in nodes),
                summary=" ".join((nodes[0].get("failureSummary") or "").split())[:300],
            )
        )
    return violations
