"""``python -m a11y_tests``: the same as the ``a11y-audit`` console script."""

import sys

from a11y_tests.cli import main

sys.exit(main())
