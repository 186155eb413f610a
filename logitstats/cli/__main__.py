"""``python -m logitstats.cli ...``: the ``logitstats`` console script."""

import sys

from logitstats.cli.entry import main

if __name__ == "__main__":  # pragma: no branch
    sys.exit(main())
