"""The layers that came after: batch normalization, dropout, convolution and pooling.

The fifth part of the book. Each layer has the same ``forward``/``backward`` pattern as the
layers of ``backprop_book.layers``, and each backward pass is derived from the layer's
computational graph on its page and checked against numerical gradients in the tests.
"""

from backprop_book.deeper.batch_norm import BatchNormalization
from backprop_book.deeper.convolution import Convolution
from backprop_book.deeper.dropout import Dropout
from backprop_book.deeper.flatten import Flatten
from backprop_book.deeper.im2col import col2im, im2col
from backprop_book.deeper.pooling import MaxPooling

__all__ = [
    "BatchNormalization",
    "Convolution",
    "Dropout",
    "Flatten",
    "MaxPooling",
    "col2im",
    "im2col",
]
