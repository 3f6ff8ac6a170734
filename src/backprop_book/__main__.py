"""``python -m backprop_book``: the ``backprop-book`` command (see `backprop_book.cli`)."""

import sys

from backprop_book.cli import main

if __name__ == "__main__":
    sys.exit(main())
