"""The built site on Debian's nginx, configured with README.md's own server block.

Clinics serve the site with the block the README shows them (gzip, security headers, the
404 page); the nginx tests and the Lighthouse benchmark serve it the same way, so what
they measure is what a clinic's readers get. The block is read from README.md; only the
address it listens on (no TLS), its folder and the paths nginx writes to change. nginx
runs as the current user on a free port.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
README = Path(__file__).resolve().parents[2] / "README.md"
README_ROOT = "/var/www/understanding-ipt"


def nginx_missing() -> str | None:
    """Why nginx cannot run here, or None."""
    if not Path(NGINX).exists() or not MIME_TYPES.exists():
        return "nginx not found: apt-get install nginx"
    return None


def readme_server_block() -> str:
    """The nginx server block README.md shows clinics."""
    blocks = re.findall(r"```nginx\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "README.md should show exactly one nginx block"
    return blocks[0]


def gzip_level() -> int:
    """How hard the README's block compresses (nginx's default, 1, if it does not say)."""
    level = re.search(r"^\s*gzip_comp_level\s+(\d);", readme_server_block(), re.M)
    return int(level[1]) if level else 1


def adapted(block: str, site: Path, port: int) -> str:
    """The README's block with only its address, its folder and TLS changed."""
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


@contextmanager
def served_by_nginx(site: Path, run_dir: Path | None = None) -> Iterator[str]:
    """Serve ``site`` with nginx until the block ends; yields its URL. RuntimeError (with
    nginx's own words) if the configuration is refused or nginx stops."""
    with tempfile.TemporaryDirectory(prefix="ipt-nginx-") as scratch:
        folder = run_dir or Path(scratch)
        port = free_port()
        config = folder / "nginx.conf"
        config.write_text(nginx_config(site, folder, port))
        command = [NGINX, "-p", str(folder), "-c", str(config)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{checked.stderr}")
        server = subprocess.Popen(
            [*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True
        )
        url = f"http://127.0.0.1:{port}/"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(url, timeout=1).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        stderr = server.stderr.read() if server.stderr else ""
                        raise RuntimeError(f"nginx stopped:\n{stderr}") from None
                    time.sleep(0.05)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)
