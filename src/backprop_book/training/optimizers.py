"""Optimizers: rules that turn gradients into parameter updates.

Backpropagation gives $\\partial L/\\partial W$ for every parameter; an optimizer decides how far
to move. The simplest rule is the one in the lecture notes,
$W \\leftarrow W - \\eta\\, \\partial L/\\partial W$ (stochastic gradient descent). Momentum,
AdaGrad and Adam follow *Deep Learning from Scratch* (ch. 6) and the papers that introduced them
(Polyak 1964; Duchi et al. 2011; Kingma & Ba 2015).

Every optimizer has the same method, ``update(params, grads)``: ``params`` and ``grads`` are
dicts of arrays with the same keys and shapes (``"W1"``, ``"b1"``, …). The arrays in ``params``
are changed *in place* (``W -= …``), never replaced, so a layer that holds the same array sees
the new values at once. What they share, the checks of ``update`` and the running state that
``state()`` copies and ``restore(state)`` puts back, is the base class
`backprop_book.training.optimizer_base.Optimizer`.
"""

from __future__ import annotations

import numpy as np

from backprop_book.checks import choice, fraction, positive_number
from backprop_book.training.optimizer_base import Optimizer as Optimizer  # re-exported

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "AdaGrad",
    "Adam",
    "Momentum",
    "get_optimizer",
    "optimizer_name",
]


# --8<-- [start:sgd]
class SGD(Optimizer):
    """Stochastic gradient descent: $W \\leftarrow W - \\eta\\, \\partial L/\\partial W$.

    Args:
        lr: the learning rate $\\eta$.

    Examples:
        >>> params = {"W": np.array([1.0, 2.0])}
        >>> SGD(lr=0.1).update(params, {"W": np.array([10.0, -5.0])})
        >>> params["W"]  # [1 - 0.1*10, 2 - 0.1*(-5)]
        array([0. , 2.5])
    """

    default_lr = 0.01  # as in Keras; the one default the CLI and compile("sgd") read

    def __init__(self, lr: float = default_lr) -> None:
        self.lr = positive_number("SGD", "lr", lr)

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        param -= self.lr * grad  # in place: W <- W - lr * dL/dW


# --8<-- [end:sgd]
# --8<-- [start:momentum]
class Momentum(Optimizer):
    """SGD with momentum: a velocity $v$ that remembers past steps.

    $v \\leftarrow \\alpha v - \\eta\\, \\partial L/\\partial W$, then $W \\leftarrow W + v$.

    Args:
        lr: the learning rate $\\eta$.
        momentum: the decay $\\alpha$ of the velocity $v$ (0 gives plain SGD).

    Examples:
        >>> params = {"W": np.array([1.0])}
        >>> opt = Momentum(lr=0.1, momentum=0.9)
        >>> opt.update(params, {"W": np.array([1.0])})  # v = -0.1, W = 0.9
        >>> opt.update(params, {"W": np.array([1.0])})  # v = 0.9*(-0.1) - 0.1 = -0.19
        >>> params["W"]
        array([0.71])
    """

    default_lr = 0.01

    def __init__(self, lr: float = default_lr, momentum: float = 0.9) -> None:
        self.lr = positive_number("Momentum", "lr", lr)
        self.momentum = fraction("Momentum", "momentum", momentum, zero=True)
        self.v: dict[str, np.ndarray] = {}

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        v = self.v.setdefault(key, np.zeros_like(param))
        v *= self.momentum
        v -= self.lr * grad
        param += v


# --8<-- [end:momentum]
# --8<-- [start:adagrad]
class AdaGrad(Optimizer):
    """AdaGrad: a per-element step that shrinks as squared gradients add up.

    $h \\leftarrow h + g \\odot g$, then $W \\leftarrow W - \\eta\\, g / (\\sqrt{h} + \\epsilon)$
    with $g = \\partial L/\\partial W$ and $\\epsilon = 10^{-7}$.

    Args:
        lr: the learning rate $\\eta$.
        eps: the small constant $\\epsilon$ that keeps the division finite.

    Examples:
        >>> params = {"W": np.array([1.0])}
        >>> opt = AdaGrad(lr=0.5, eps=1e-300)  # an eps that vanishes next to sqrt(h) = 2
        >>> opt.update(params, {"W": np.array([2.0])})  # h = 4, W = 1 - 0.5*2/2
        >>> params["W"]
        array([0.5])
    """

    default_lr = 0.01

    def __init__(self, lr: float = default_lr, eps: float = 1e-7) -> None:
        self.lr = positive_number("AdaGrad", "lr", lr)
        self.eps = positive_number("AdaGrad", "eps", eps)  # 0 would divide 0 by 0
        self.h: dict[str, np.ndarray] = {}

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        h = self.h.setdefault(key, np.zeros_like(param))
        h += grad * grad
        param -= self.lr * grad / (np.sqrt(h) + self.eps)


# --8<-- [end:adagrad]
# --8<-- [start:adam]
class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): momentum and AdaGrad-like scaling, with bias correction.

    At step $k$: $m \\leftarrow \\beta_1 m + (1-\\beta_1) g$,
    $v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2$,
    $\\hat m = m / (1-\\beta_1^k)$, $\\hat v = v / (1-\\beta_2^k)$,
    $W \\leftarrow W - \\eta\\, \\hat m / (\\sqrt{\\hat v} + \\epsilon)$.

    Args:
        lr: the learning rate $\\eta$.
        beta1: decay of the first moment $m$.
        beta2: decay of the second moment $v$.
        eps: the small constant $\\epsilon$.

    Examples:
        >>> params = {"W": np.array([1.0])}
        >>> opt = Adam(lr=0.1, eps=1e-300)  # an eps that vanishes next to sqrt(v_hat) = 3
        >>> opt.update(params, {"W": np.array([3.0])})  # first step moves by exactly lr
        >>> params["W"]
        array([0.9])
        >>> opt.iter
        1
    """

    default_lr = 0.001

    def __init__(
        self, lr: float = default_lr, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.lr = positive_number("Adam", "lr", lr)
        self.beta1 = fraction("Adam", "beta1", beta1, zero=True)
        self.beta2 = fraction("Adam", "beta2", beta2, zero=True)
        self.eps = positive_number("Adam", "eps", eps)
        self.iter = 0
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}

    def _begin_update(self) -> None:
        self.iter += 1

    def _step(self, key: str, param: np.ndarray, grad: np.ndarray) -> None:
        m = self.m.setdefault(key, np.zeros_like(param))
        v = self.v.setdefault(key, np.zeros_like(param))
        m += (1.0 - self.beta1) * (grad - m)  # m = b1*m + (1-b1)*g
        v += (1.0 - self.beta2) * (grad * grad - v)  # v = b2*v + (1-b2)*g^2
        m_hat = m / (1.0 - self.beta1**self.iter)
        v_hat = v / (1.0 - self.beta2**self.iter)
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


# --8<-- [end:adam]
# The registry: every name the package accepts (compile, Trainer, the CLI, model files), once.
# Each class's default learning rate is its ``default_lr``.
OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "momentum": Momentum,
    "adagrad": AdaGrad,
    "adam": Adam,
}


def optimizer_name(optimizer: object) -> str | None:
    """The registry name of ``optimizer`` (``"sgd"`` for an ``SGD``), None for other objects.

    Examples:
        >>> optimizer_name(Adam()), optimizer_name(object())
        ('adam', None)
    """
    return next((k for k, cls in OPTIMIZERS.items() if type(optimizer) is cls), None)


def get_optimizer(name_or_obj: str | Optimizer, **kwargs: float) -> Optimizer:
    """Return an optimizer from its name (``"sgd"``, ``"momentum"``, ``"adagrad"``, ``"adam"``).

    An optimizer object is returned unchanged (then no keyword arguments are allowed).

    Args:
        name_or_obj: a name (case-insensitive) or an object with an ``update`` method.
        **kwargs: passed to the optimizer's constructor, e.g. ``lr=0.1``.

    Raises:
        ValueError: for an unknown name.
        TypeError: for anything else, or keyword arguments with an object.

    Examples:
        >>> get_optimizer("sgd", lr=0.1)
        SGD(lr=0.1)
        >>> get_optimizer("Adam").lr
        0.001
    """
    if isinstance(name_or_obj, str):
        key = name_or_obj.strip().lower()
        choice("get_optimizer", "optimizer", key, sorted(OPTIMIZERS))
        return OPTIMIZERS[key](**kwargs)
    if isinstance(name_or_obj, type):
        raise TypeError(f"get_optimizer: give an optimizer object such as "
                        f"{name_or_obj.__name__}(lr=0.1), not the class")  # fmt: skip
    if callable(getattr(name_or_obj, "update", None)):
        if kwargs:
            raise TypeError(
                "get_optimizer: keyword arguments are only accepted with a name, "
                f"got an object {name_or_obj!r} and {sorted(kwargs)}"
            )
        return name_or_obj
    raise TypeError(
        "get_optimizer: expected a name such as 'sgd' or an object with update(params, grads), "
        f"got {type(name_or_obj).__name__}"
    )
