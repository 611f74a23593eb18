"""``python -m assistant.cli``: the same as the ``ladder`` command."""

import sys

from . import main

sys.exit(main())
