"""Handouts: printable, branded PDFs of handout pages, worksheets and their links."""
