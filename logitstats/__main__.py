"""``python -m logitstats ...``: the ``logitstats`` console script (:mod:`logitstats.cli`)."""

import sys

from logitstats.cli import main

if __name__ == "__main__":  # pragma: no branch
    sys.exit(main())
