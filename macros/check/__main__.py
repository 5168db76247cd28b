"""``python -m macros.check``: the editors' gate (see :mod:`macros.check.gate`)."""

import sys

from macros.check.gate import main

sys.exit(main())
