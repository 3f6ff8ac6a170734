"""The layers that came after: batch normalization, dropout, convolution and pooling.

The fifth part of the book. Each layer has the same ``forward``/``backward`` pattern as the
layers of ``backprop_book.layers``, and each backward pass is derived from the layer's
computational graph on its page and checked against numerical gradients in the tests.
``batch_norm``, ``dropout``, ``im2col``, ``convolution``, ``pooling`` and ``flatten`` hold the
layers, ``grids`` draws im2col and pooling from their own arrays, and ``conv_net`` assembles
them into a small convolutional network (its figures in ``conv_net_plots``).
"""

from backprop_book.deeper.batch_norm import BatchNormalization
from backprop_book.deeper.conv_net import SimpleConvNet
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
    "SimpleConvNet",
    "col2im",
    "im2col",
]
