"""Numerical gradients and gradient checking.

Backpropagation is fast but easy to get wrong; the numerical gradient is slow but hard to get
wrong. *Deep Learning from Scratch* (sections 4.3 and 5.7) and the CS231n notes compare the two:
the central difference

$$\\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + h e_i) - f(x - h e_i)}{2h}$$

for every entry $x_i$, against the gradient that ``backward`` returns, measured by a relative
error. ``check_layer`` does this for a single layer (its input and its ``W``/``b``);
``gradient_check`` does it for a whole network with ``params``, ``gradient`` and ``loss``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from backprop_book.checks import positive_number


def default_step(dtype: np.dtype | type) -> float:
    """The step ``h`` used when none is given: ``1e-4`` in float64, ``eps ** (1/3)`` otherwise.

    The central difference has a truncation error of order $h^2$ and a rounding error of order
    $\\epsilon / h$; they balance near $h = \\epsilon^{1/3}$. In float64 the book's ``1e-4`` is
    close to that; in float32 ($\\epsilon \\approx 1.2 \\times 10^{-7}$) ``1e-4`` is far too small.

    Args:
        dtype: The floating dtype of the array being differentiated.

    Returns:
        The step size.

    Examples:
        >>> default_step(np.float64)
        0.0001
        >>> round(default_step(np.float32), 4)
        0.0049
    """
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return 1e-4
    return float(np.finfo(dtype).eps) ** (1 / 3)


# --8<-- [start:numerical_gradient]
def numerical_gradient(
    f: Callable[[np.ndarray], float], x: np.ndarray, h: float | None = None
) -> np.ndarray:
    """Central-difference gradient of ``f`` at ``x``, one entry at a time.

    ``x`` is changed in place while ``f`` is evaluated (so ``f`` may ignore its argument and read
    an array it shares with ``x``, as ``lambda W: net.loss(x, t)`` does) and is restored exactly.

    Args:
        f: A function of ``x`` returning a number.
        x: A floating-point array of any shape.
        h: Step; by default ``1e-4`` in float64 and ``eps ** (1/3)`` in float32.

    Returns:
        The gradient, same shape and dtype as ``x``.

    Raises:
        TypeError: ``x`` is not a floating-point numpy array.

    Examples:
        >>> x = np.array([3.0, 4.0])
        >>> numerical_gradient(lambda v: np.sum(v**2), x)  # d(x0² + x1²) = (2x0, 2x1)
        array([6., 8.])
        >>> x
        array([3., 4.])
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"numerical_gradient: x must be a floating-point numpy array, got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    h = default_step(x.dtype) if h is None else positive_number("numerical_gradient", "h", h)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        try:
            x[idx] = original + h
            f_plus = float(f(x))
            x_plus = float(x[idx])  # the step actually taken after rounding to x's dtype
            x[idx] = original - h
            f_minus = float(f(x))
            x_minus = float(x[idx])
        finally:
            x[idx] = original  # restore, even when f raises or Ctrl-C stops it
        if x_plus == x_minus:
            raise ValueError(f"numerical_gradient: h={h!r} is too small for {x.dtype} at {idx}")
        grad[idx] = (f_plus - f_minus) / (x_plus - x_minus)
    return grad


# --8<-- [end:numerical_gradient]


# --8<-- [start:relative_error]
def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """Relative error $\\lVert a - b \\rVert / (\\lVert a \\rVert + \\lVert b \\rVert)$.

    Norms over the whole array, so entries that are nearly zero in both do not blow it up.
    Two zero arrays have error 0.

    Args:
        a: First gradient.
        b: Second gradient, same shape.

    Returns:
        A number in ``[0, 1]``: ``0`` means identical.

    Examples:
        >>> relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0]))
        0.0
        >>> relative_error(np.array([1.0]), np.array([3.0]))
        0.5
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} and {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


# --8<-- [end:relative_error]


def check_layer(
    layer: Any, *inputs: Any, dout: np.ndarray | float | None = None, seed: int = 0
) -> dict[str, float]:
    """Relative errors between a layer's ``backward`` and numerical gradients.

    The layer's output is reduced to the number $f = \\sum \\text{out} \\cdot \\text{dout}$ with a
    random ``dout`` (or the given one; a loss layer gets ``dout = 1``), whose gradient is exactly
    what ``backward(dout)`` must return. Checked: the first input (or both inputs when
    ``backward`` returns a tuple, as for ``MulLayer``), and ``W``/``b`` when the layer has them.
    The inputs are copied first, so the caller's arrays are never touched. Extra inputs that
    are not differentiated (the labels ``t`` of a loss layer) are passed through.

    Args:
        layer: An object with ``forward(*inputs)`` and ``backward(dout)``.
        *inputs: The forward inputs (float64 recommended).
        dout: Upstream gradient; random normal of the output's shape by default.
        seed: Seed for the random ``dout``.

    Returns:
        ``{"x": err, ...}``: keys ``"x"`` (and ``"y"`` for a second input), ``"W"``, ``"b"``.

    Examples:
        >>> from backprop_book.layers import Affine
        >>> rng = np.random.default_rng(0)
        >>> layer = Affine(rng.standard_normal((3, 2)), rng.standard_normal(2))
        >>> errors = check_layer(layer, rng.standard_normal((4, 3)))
        >>> sorted(errors), max(errors.values()) < 1e-7
        (['W', 'b', 'x'], True)
    """
    arrays = [np.array(v, dtype=np.result_type(v, np.float64)) for v in inputs]
    out = layer.forward(*arrays)
    if dout is None:
        if np.ndim(out) == 0:
            dout = 1.0
        else:
            dout = np.random.default_rng(seed).standard_normal(np.shape(out))

    def f(_: np.ndarray) -> float:
        return float(np.sum(layer.forward(*arrays) * dout))

    layer.forward(*arrays)
    grads = layer.backward(dout)
    names = ["x", "y"]
    if isinstance(grads, tuple):
        analytic = dict(zip(names, grads, strict=False))
        targets = dict(zip(names, arrays, strict=False))
    else:
        analytic, targets = {"x": grads}, {"x": arrays[0]}
    for param in ("W", "b"):
        if isinstance(getattr(layer, param, None), np.ndarray):
            analytic[param] = getattr(layer, "d" + param)
            targets[param] = getattr(layer, param)
    return {
        name: relative_error(analytic[name], numerical_gradient(f, targets[name]))
        for name in analytic
    }


def gradient_errors(network: Any, x: np.ndarray, t: np.ndarray) -> dict[str, float]:
    """Per-parameter relative error between ``network.gradient`` and numerical gradients.

    Args:
        network: An object with ``params`` (name → array, shared with its layers),
            ``gradient(x, t)`` (name → array) and ``loss(x, t)``.
        x: Input batch.
        t: Labels.

    Returns:
        ``{name: relative error}`` for every parameter.

    Examples:
        >>> from backprop_book.training.two_layer_net import TwoLayerNet
        >>> net = TwoLayerNet(4, 5, 3, weight_init_std=1.0, seed=0)
        >>> x = np.random.default_rng(1).standard_normal((2, 4))
        >>> errors = gradient_errors(net, x, np.array([0, 2]))
        >>> list(errors), max(errors.values()) < 1e-7
        (['W1', 'b1', 'W2', 'b2'], True)
    """
    backprop = network.gradient(x, t)

    def f(_: np.ndarray) -> float:
        return network.loss(x, t)

    return {
        name: relative_error(backprop[name], numerical_gradient(f, param))
        for name, param in network.params.items()
    }


def gradient_check(model: Any, *inputs: Any, seed: int = 0) -> float:
    """The worst relative error between backprop and numerical gradients, for a network or layer.

    A *network* (an object with ``params``, ``gradient`` and ``loss``) is called as
    ``gradient_check(network, x, t)`` and checked parameter by parameter (``gradient_errors``).
    Anything else is treated as a *layer* and checked with ``check_layer(layer, *inputs)``: its
    input(s), and ``W``/``b`` if it has them.

    Args:
        model: A network or a layer.
        *inputs: ``x, t`` for a network; the forward inputs for a layer.
        seed: Seed for the random upstream gradient of a layer check.

    Returns:
        The largest relative error found.

    Examples:
        >>> from backprop_book.layers import Sigmoid
        >>> from backprop_book.training.two_layer_net import TwoLayerNet
        >>> net = TwoLayerNet(4, 5, 3, weight_init_std=1.0, seed=0)
        >>> x = np.random.default_rng(1).standard_normal((2, 4))
        >>> gradient_check(net, x, np.array([0, 2])) < 1e-7
        True
        >>> gradient_check(Sigmoid(), x) < 1e-7
        True
    """
    if all(hasattr(model, name) for name in ("params", "gradient", "loss")):
        if len(inputs) != 2:
            raise TypeError(f"gradient_check: a network needs (x, t), got {len(inputs)} input(s)")
        return max(gradient_errors(model, *inputs).values())
    return max(check_layer(model, *inputs, seed=seed).values())
