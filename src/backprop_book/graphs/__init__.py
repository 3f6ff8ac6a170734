"""The computational graph: a scalar `Value` that records every operation and runs it backwards.

The first part of the book. `Value` is the engine (``value``), ``examples`` builds the graphs
of the lecture notes (the apple shopping graph, apples and oranges, the sigmoid), ``layout`` and
``drawing`` turn a graph into an SVG figure, ``explorer`` exports one for the page's
interactive widget, and ``forward_mode`` runs the chain rule forward (one input at a time), the
other direction to `Value.backward`. This subpackage imports the standard library only: it
runs wherever Python runs, a browser included.
"""

from backprop_book.graphs.drawing import figure_html, to_svg
from backprop_book.graphs.examples import (
    add_graph,
    add_mul_graph,
    apple_graph,
    apple_orange_graph,
    fan_out_graph,
    mul_graph,
    sigmoid_graph,
)
from backprop_book.graphs.forward_mode import forward_derivative, forward_derivatives
from backprop_book.graphs.layout import format_number
from backprop_book.graphs.value import Value

__all__ = [
    "Value",
    "add_graph",
    "add_mul_graph",
    "apple_graph",
    "apple_orange_graph",
    "fan_out_graph",
    "figure_html",
    "format_number",
    "forward_derivative",
    "forward_derivatives",
    "mul_graph",
    "sigmoid_graph",
    "to_svg",
]
