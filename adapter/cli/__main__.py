"""``python -m adapter.cli``: the ``baton`` command."""

import sys

from .main import main

sys.exit(main())
