"""Citations: the APA 7 style, the bibliography, the citation syntax, reference lists and
"cite this page". A citation's path: :mod:`syntax` finds it in a page's Markdown,
:mod:`in_text` formats it (from :mod:`bibliography`, formatted by :mod:`apa`) into the page's
HTML, and :mod:`reference_lists` lists the works the page cites.
"""
