"""Layers: the nodes of a network's graph, each with ``forward`` and ``backward``.

The second part of the book. ``functions`` holds the plain functions (sigmoid, ReLU, softmax,
cross-entropy), ``nodes`` the simple layers of the apple graph (multiply, add, exp, 1/x),
``activations`` the ReLU and Sigmoid layers, ``affine`` the Affine layer and Softmax-with-Loss,
and ``gradient_check`` the numerical gradients every backward is checked against.
"""

from backprop_book.layers.activations import Relu, Sigmoid
from backprop_book.layers.affine import Affine, SoftmaxWithLoss
from backprop_book.layers.functions import cross_entropy_error, one_hot, relu, sigmoid, softmax
from backprop_book.layers.gradient_check import (
    check_layer,
    gradient_check,
    gradient_errors,
    numerical_gradient,
    relative_error,
)
from backprop_book.layers.nodes import (
    AddConstLayer,
    AddLayer,
    ExpLayer,
    MulConstLayer,
    MulLayer,
    ReciprocalLayer,
)

__all__ = [
    "AddConstLayer",
    "AddLayer",
    "Affine",
    "ExpLayer",
    "MulConstLayer",
    "MulLayer",
    "ReciprocalLayer",
    "Relu",
    "Sigmoid",
    "SoftmaxWithLoss",
    "check_layer",
    "cross_entropy_error",
    "gradient_check",
    "gradient_errors",
    "numerical_gradient",
    "one_hot",
    "relative_error",
    "relu",
    "sigmoid",
    "softmax",
]
