"""``python -m assistant`` runs the ``ladder`` command."""

import sys

from .cli import main

sys.exit(main())
