"""What a printed handout may load: files of the built site and the project's assets.

WeasyPrint fetches whatever a page names, so ``<img src="/etc/hostname">`` on a handout page
would embed that file of the build machine in the PDF. This fetcher serves only files
under the folders it is given (and ``data:`` URLs); any other address stops the rendering
with an error naming the page. Imported only when a PDF is rendered: it imports WeasyPrint.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import FatalURLFetchingError


class RefusedResource(FatalURLFetchingError):
    """A handout asked for a file outside the folders it may read."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class LocalFilesFetcher(weasyprint.URLFetcher):
    """Serves ``data:`` URLs and files under ``roots``; the site's public address stands
    for its built folder, so links and images resolve the same with or without it."""

    def __init__(self, roots: Sequence[Path], site_dir: Path, site_url: str | None) -> None:
        super().__init__(allowed_protocols=["file", "data"])
        self.roots = [root.resolve() for root in roots]
        self.site_dir = site_dir
        self.site_url = site_url

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            raise RefusedResource(url)
        return super().fetch(path.as_uri(), headers)

    def local_path(self, url: str) -> Path | None:
        """The file ``url`` stands for, if it is one this fetcher may read."""
        address = url.split("#", 1)[0].split("?", 1)[0]
        if self.site_url and address.startswith(self.site_url):
            path = self.site_dir / unquote(address.removeprefix(self.site_url))
        elif address.startswith("file:"):
            path = Path(url2pathname(urlsplit(address).path))
        else:
            return None
        path = path.resolve()
        inside = any(path.is_relative_to(root) for root in self.roots)
        return path if inside and path.is_file() else None
