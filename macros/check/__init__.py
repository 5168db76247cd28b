"""The editors' gate: ``python -m macros.check`` (``make check``) builds the site and runs one
module per check over the sources and the built site; :mod:`gate` prints one report."""
