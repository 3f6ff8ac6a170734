"""backprop_book: backpropagation from the computational graph up to a trained network.

The package behind the book: every page of the site imports it, and every number on a page
is printed by its code during the build. Public names are re-exported here.

Examples:
    >>> import backprop_book
    >>> backprop_book.__version__
    '0.1.0'
"""

__version__ = "0.1.0"

# Each block below is owned by one module; keep imports and __all__ entries inside it.
# [functions, layers, gradient, networks]
# [end functions, layers, gradient, networks]
# [graph]
# [end graph]
# [optimizers, initializers, datasets, training, plotting]
# [end optimizers, initializers, datasets, training, plotting]
# [models]
# [end models]

__all__ = [
    "__version__",
    # [all: functions, layers, gradient, networks]
    # [end all: functions, layers, gradient, networks]
    # [all: graph]
    # [end all: graph]
    # [all: optimizers, initializers, datasets, training, plotting]
    # [end all: optimizers, initializers, datasets, training, plotting]
    # [all: models]
    # [end all: models]
]
