"""One pass over a built page: the ids it defines and every URL it links to or loads."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

#: Attributes holding a URL, by element: links the reader follows or resources loaded.
URL_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}
#: Elements whose URL the browser fetches by itself, without the reader clicking.
LOADING_TAGS = frozenset(URL_ATTRIBUTES) - {"a", "area"}


@dataclass(frozen=True)
class Link:
    tag: str
    url: str
    rel: str = ""

    @property
    def loads(self) -> bool:
        """The browser fetches it on page load (a stylesheet or icon, not a preconnect hint)."""
        return self.tag in LOADING_TAGS


@dataclass
class Scan:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.scan.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.scan.ids.add(values["name"])
        attribute = URL_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.scan.links.append(Link(tag, values[attribute].strip(), values.get("rel", "")))
        if tag in ("img", "source") and values.get("srcset"):
            for candidate in values["srcset"].split(","):
                self.scan.links.append(Link(tag, candidate.strip().split(" ")[0]))


def scan_html(html: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.scan


@functools.lru_cache(maxsize=256)
def scan_file(path: Path) -> Scan:
    return scan_html(path.read_text(encoding="utf-8"))
