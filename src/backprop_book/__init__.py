"""backprop_book: backpropagation from the computational graph up to a trained network.

The package behind the book: every page of the site imports it, and every number on a page
is printed by its code during the build.

Examples:
    >>> import backprop_book
    >>> backprop_book.__version__
    '0.1.0'
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
