"""The built site on a real nginx, configured with README.md's own server block.

The block is read from README.md, so what the README tells clinics is what runs here;
only the address it listens on (no TLS), its folder and the path of the security headers
change. nginx runs as the current user on a free port, with its own pid, log and temp
paths. Without nginx this skips locally and fails under CI=true.
"""

from __future__ import annotations

import getpass
import gzip
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from macros.check.browser import CSP_LISTENER, PageWatch, security_headers
from macros.check.project import Project, SourcePage
from macros.text.dates import build_date
from tests.conftest import ROOT, Build, require_tool

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
README_ROOT = "/var/www/understanding-ipt"


def nginx_missing() -> str | None:
    if not Path(NGINX).exists() or not MIME_TYPES.exists():
        return "nginx not found: apt-get install nginx"
    return None


def readme_server_block() -> str:
    """The nginx server block README.md shows clinics."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", readme, re.S)
    assert len(blocks) == 1, "README.md should show exactly one nginx block"
    return blocks[0]


def adapted(block: str, site: Path, port: int) -> str:
    """The README's block with only its address, its folder and TLS changed for a test."""
    listen = re.compile(r"^(\s*)listen 443 ssl;$", re.M)
    assert listen.search(block) and README_ROOT in block, "the README's block has changed"
    return listen.sub(rf"\1listen 127.0.0.1:{port};", block).replace(README_ROOT, str(site))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(site: Path, run_dir: Path, port: int) -> str:
    """A whole nginx.conf around the README's server block, as a server's main file has."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {run_dir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}worker_processes 1;
pid {run_dir / "nginx.pid"};
error_log {run_dir / "error.log"};
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {run_dir / "access.log"};
{temp}
{adapted(readme_server_block(), site, port)}
}}
"""


@pytest.fixture(scope="module")
def nginx(built: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site served by nginx with the README's configuration; yields its URL."""
    require_tool(nginx_missing())
    run_dir = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = run_dir / "nginx.conf"
    config.write_text(nginx_config(built.site, run_dir, port))
    command = [NGINX, "-p", str(run_dir), "-c", str(config)]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"nginx stopped: {server.stderr.read() if server.stderr else ''}")
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def expected_headers(built: Build) -> dict[str, str]:
    """The generated security headers, and the one the README's block adds itself."""
    return {**security_headers(built.site), "Strict-Transport-Security": "max-age=31536000"}


@pytest.fixture(scope="module")
def pages(built: Build) -> list[SourcePage]:
    return Project(root=ROOT, site=built.site, today=build_date()).pages


@pytest.mark.browser
def test_every_page_on_nginx_has_every_header_and_breaks_no_csp_rule(
    browser: Any, nginx: str, built: Build, pages: list[SourcePage]
) -> None:
    expected = expected_headers(built)
    assert len(expected) >= 6 and "Content-Security-Policy" in expected
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    watch = PageWatch(nginx)
    watch.attach(tab)
    problems = []
    try:
        for page in pages:
            watch.clear()
            response = tab.goto(nginx + page.url, wait_until="load")
            headers = response.all_headers()
            missing = {
                name: value
                for name, value in expected.items()
                if headers.get(name.lower()) != value
            }
            violations = tab.evaluate("window.__cspViolations")
            for problem in [*watch.problems(), *(f"CSP: {text}" for text in violations)]:
                problems.append(f"{page.url}: {problem}")
            if missing or response.status != 200:
                problems.append(f"{page.url}: status {response.status}, headers {missing}")
    finally:
        context.close()
    assert len(pages) > 20
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_404_page_works_on_nginx_with_its_headers(
    browser: Any, nginx: str, built: Build
) -> None:
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    try:
        response = tab.goto(nginx + "no/such/page/", wait_until="load")
        assert response.status == 404
        assert tab.locator("article h1").inner_text(timeout=5000).strip() == "404 - Not found"
        assert tab.locator(".ipt-crisis").count() == 1  # the crisis panel, styled and linked
        assert tab.evaluate("window.__cspViolations") == []
        headers = response.all_headers()
        for name, value in expected_headers(built).items():
            assert headers.get(name.lower()) == value, name
    finally:
        context.close()


def test_nginx_compresses_text_with_gzip(nginx: str, built: Build) -> None:
    stylesheet = next(path for path in (built.site / "assets" / "stylesheets").glob("main.*.css"))
    for path in ("", f"assets/stylesheets/{stylesheet.name}", "search/search_index.json"):
        status, headers, body = fetch(nginx + path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip", path
        assert gzip.decompress(body)


def test_the_security_headers_file_is_not_served(nginx: str) -> None:
    status, _, body = fetch(nginx + "security-headers.conf")
    assert status == 404 and b"add_header" not in body
