"""backprop_book: backpropagation from the computational graph up to a trained network.

The package behind the book, in the book's five parts: `backprop_book.graphs` (the
computational graph), `backprop_book.layers` (layers with forward and backward),
`backprop_book.training` (the two-layer net and its training loop), `backprop_book.models`
(Keras-style models) and `backprop_book.deeper` (the layers that came after: batch
normalization, dropout, convolution, pooling). Every page of the site imports it, and every
number on a page is printed by its code during the build. The public names of the five parts are
importable from here too.

Examples:
    >>> import backprop_book
    >>> backprop_book.__version__
    '0.1.0'
    >>> from backprop_book import Value, Affine, Trainer, Sequential
"""

__version__ = "0.1.0"

# (plotting is not imported here, so that `import backprop_book` does not load matplotlib)
from backprop_book import deeper, graphs, layers, models, training
from backprop_book.deeper import *  # noqa: F403
from backprop_book.graphs import *  # noqa: F403 (each part's __all__ is its public API)
from backprop_book.layers import *  # noqa: F403
from backprop_book.models import *  # noqa: F403
from backprop_book.training import *  # noqa: F403

__all__ = [
    "__version__",
    *graphs.__all__,
    *layers.__all__,
    *training.__all__,
    *models.__all__,
    *deeper.__all__,
]
