"""'Cite this page': an APA reference and a BibTeX entry for a page of this site."""

from __future__ import annotations

import datetime
import re
from html import escape

from macros.citations.apa_terms import terms_for
from macros.text.catalogue import Catalogue

_BIBTEX_UNSAFE = re.compile(r"[{}\\%#&$^_~]")


def apa_reference_html(
    site_name: str, title: str, reviewed: datetime.date, url: str, t: Catalogue
) -> str:
    """APA 7 web page with a group author that is also the site: the site name is not repeated.

    The date as the APA engine writes it in the page's language (not strftime's month, which
    follows the process's locale)."""
    end = "" if title.endswith(("?", "!", ".")) else "."
    month = terms_for(t.language).months[reviewed.month - 1]
    return (
        f"{escape(site_name)}. ({reviewed.year}, {month} {reviewed.day}). "
        f"<em>{escape(title)}</em>{end} {escape(url)}"
    )


def bibtex_entry(site_name: str, title: str, reviewed: datetime.date, url: str) -> str:
    """A BibTeX ``@misc`` entry; the title is double-braced so no style re-cases it."""
    key = re.sub(r"[^a-z0-9]+", "", site_name.lower()) + "_" + _slug(url)
    fields = {
        "author": f"{{{_bibtex_text(site_name)}}}",
        "title": f"{{{_bibtex_text(title)}}}",
        "howpublished": _bibtex_text(site_name),
        "year": str(reviewed.year),
        "url": url,
        "note": f"Last reviewed {reviewed.isoformat()}",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def cite_this_page_html(
    site_name: str, title: str, reviewed: datetime.date, url: str, *, bibtex: bool, t: Catalogue
) -> str:
    """A closed disclosure at the end of the page, so it costs readers nothing. ``url``
    must be the page's full address: a reference to "/about/" helps nobody. ``site_name``
    is the site's name in the page's language; ``t`` gives the words and the month."""
    parts = [
        '<details class="ipt-cite-this" data-search-exclude="true">',
        f"<summary>{t.html('cite_this_page.summary')}</summary>",
        f"<p>{apa_reference_html(site_name, title, reviewed, url, t)}</p>",
    ]
    if bibtex:
        parts += [
            "<p><strong>BibTeX:</strong></p>",
            f"<pre><code>{escape(bibtex_entry(site_name, title, reviewed, url))}</code></pre>",
        ]
    return "".join(parts) + "</details>"


def _bibtex_text(text: str) -> str:
    return _BIBTEX_UNSAFE.sub("", text)


def _slug(url: str) -> str:
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
