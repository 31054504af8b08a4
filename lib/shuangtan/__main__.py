"""Entry point for ``python -m shuangtan``."""

import sys

from .cli import main

sys.exit(main())
