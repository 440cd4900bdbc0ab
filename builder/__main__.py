"""``python -m builder`` is the ``course`` command."""

import sys

from .cli import main

sys.exit(main())
