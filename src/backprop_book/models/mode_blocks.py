"""Keras-style blocks that train one way and predict another: BatchNormalization, Dropout.

``fit`` runs a model in *training mode*: a ``Dropout`` block drops a fraction ``rate`` of its
inputs at random (and scales the rest by $1/(1 - rate)$), a ``BatchNormalization`` block
normalizes with the mini-batch's own mean and variance and moves its running averages towards
them. ``predict`` and ``evaluate`` run it in *inference mode*: ``Dropout`` passes its inputs
through, ``BatchNormalization`` uses the running averages, so a sample's output does not depend
on the batch it comes in. The arithmetic is the book's own layers
(:class:`backprop_book.deeper.Dropout`, :class:`backprop_book.deeper.BatchNormalization`), on
channels-last data as in Keras: for images ``(N, H, W, C)`` each channel is normalized.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_book.checks import fraction, positive_int, positive_number
from backprop_book.deeper import BatchNormalization as BatchNormLayer
from backprop_book.deeper import Dropout as DropoutLayer
from backprop_book.models.block_base import Block, ChannelsLast

__all__ = ["BatchNormalization", "Dropout"]


class BatchNormalization(Block):
    """Keras' ``BatchNormalization``: $\\gamma \\hat x + \\beta$ for each feature (or channel).

    The block has ``4·C`` parameters: ``gamma`` and ``beta`` (trainable, ``C`` each) and the
    running mean and variance (not trainable: ``fit`` moves them, the optimizer does not).
    Each step of ``fit`` sets ``running = momentum · running + (1 - momentum) · batch``.

    Args:
        momentum: Weight of the old running averages, in ``[0, 1)`` (Keras' default 0.99).
        epsilon: Added to the variance before the square root (Keras' default 0.001).
        input_shape: The shape of one sample, ``(D,)`` or ``(H, W, C)``, for a first block.
        name: Block name; by default ``batch_normalization_1``, …

    Examples:
        >>> block = BatchNormalization()
        >>> block.output_shape((6, 6, 8)), block.momentum, block.epsilon
        ((6, 6, 8), 0.99, 0.001)
    """

    kind = "batch_normalization"

    def __init__(
        self, momentum: float = 0.99, epsilon: float = 1e-3,
        input_shape: Sequence[int] | None = None, name: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(name, input_shape)
        self.momentum = fraction("BatchNormalization", "momentum", momentum, zero=True)
        self.epsilon = positive_number("BatchNormalization", "epsilon", epsilon)
        self.norm: BatchNormLayer | None = None

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The same shape: features ``(D,)`` or images ``(H, W, C)``."""
        if len(input_shape) not in (1, 3):
            raise ValueError(f"{self.where}: takes features (N, D) or images (N, H, W, C), "
                             f"but its inputs are {(None, *input_shape)}")  # fmt: skip
        return tuple(input_shape)

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create ``gamma`` = 1 and ``beta`` = 0 of shape ``(C,)``, running mean 0, variance 1."""
        C = self.output_shape(input_shape)[-1]
        gamma, beta = np.ones(C, dtype=dtype), np.zeros(C, dtype=dtype)
        self.norm = BatchNormLayer(gamma, beta, momentum=self.momentum, eps=self.epsilon,
                                   name=self.name)  # fmt: skip
        self.layers = [ChannelsLast(self.norm, modal=True)]

    def count_params(self) -> int:
        """``4·C``: ``gamma``, ``beta``, the running mean and variance."""
        if self.norm is None and self.input_shape is None:
            raise ValueError(f"{self.where}: the number of features is not known yet")
        C = self.norm.gamma.size if self.norm is not None else self.input_shape[-1]  # type: ignore[index]
        return 4 * C

    def slots(self) -> list[tuple[str, Any, str, bool]]:
        """``gamma``, ``beta`` (trainable), ``running_mean``, ``running_var`` (not)."""
        if self.norm is None:
            return []
        return [("gamma", self.norm, "gamma", True), ("beta", self.norm, "beta", True),
                ("running_mean", self.norm, "running_mean", False),
                ("running_var", self.norm, "running_var", False)]  # fmt: skip

    def state(self) -> dict[str, np.ndarray]:
        """Copies of what training moves besides the weights: the running mean and variance.

        ``fit`` keeps this with the weights of the last good step and puts it back (`restore`)
        when training diverges. Empty before the block is built.

        Examples:
            >>> from backprop_book.models import Sequential
            >>> block = BatchNormalization(input_shape=(2,))
            >>> model = Sequential([block])
            >>> block.state()
            {'running_mean': array([0., 0.]), 'running_var': array([1., 1.])}
        """
        if self.norm is None:
            return {}
        return {"running_mean": self.norm.running_mean.copy(),
                "running_var": self.norm.running_var.copy()}  # fmt: skip

    def restore(self, state: dict[str, np.ndarray]) -> None:
        """Put back running averages that `state` returned (copies of them).

        Args:
            state: What ``state()`` returned on this block.

        Examples:
            >>> from backprop_book.models import Sequential
            >>> block = BatchNormalization(input_shape=(2,))
            >>> model = Sequential([block])
            >>> start = block.state()
            >>> _ = block.norm.forward(np.array([[0.0, 1.0], [2.0, 5.0]]), train_flg=True)
            >>> block.restore(start)
            >>> block.norm.running_mean
            array([0., 0.])
        """
        if self.norm is not None:
            self.norm.running_mean = np.array(state["running_mean"], copy=True)
            self.norm.running_var = np.array(state["running_var"], copy=True)

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this block again (the running averages are weights).

        Examples:
            >>> BatchNormalization(name="bn").get_config()
            {'name': 'bn', 'momentum': 0.99, 'epsilon': 0.001}
        """
        return {"name": self.name, "momentum": self.momentum, "epsilon": self.epsilon}


class Dropout(Block):
    """Keras' ``Dropout``: in training, each input is set to 0 with probability ``rate``.

    The inputs kept are scaled by $1/(1 - rate)$ ("inverted dropout"), so that inference, which
    keeps everything unscaled, sees inputs of the same expected size.

    Args:
        rate: Fraction of the inputs dropped, in ``[0, 1)``.
        seed: Seed of the masks; by default drawn from the model's seed at build.
        input_shape: The shape of one sample, for a first block.
        name: Block name; by default ``dropout_1``, …

    Examples:
        >>> Dropout(0.5).output_shape((50,)), Dropout(0.5).count_params()
        ((50,), 0)
    """

    kind = "dropout"

    def __init__(
        self, rate: float, seed: int | None = None, input_shape: Sequence[int] | None = None,
        name: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(name, input_shape)
        self.rate = fraction("Dropout", "rate", rate, zero=True)
        self.seed = None if seed is None else positive_int("Dropout", "seed", seed, minimum=0)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The same shape."""
        return tuple(input_shape)

    def build(self, input_shape: tuple[int, ...], rng: np.random.Generator, dtype: Any) -> None:
        """Create the dropout node, its masks drawn from ``seed`` (or from the model's ``rng``)."""
        seed = int(rng.integers(2**63)) if self.seed is None else self.seed
        self.layers = [ModeNode(DropoutLayer(self.rate, seed=seed, name=self.name))]

    def state(self) -> dict[str, Any]:
        """What training moves: the state of the generator the masks are drawn from (a copy).

        ``fit`` keeps it with the weights of the last good step, so that after a divergence
        the next masks are those that step would have been followed by. Empty before build.

        Examples:
            >>> from backprop_book.models import Sequential
            >>> block = Dropout(0.5, seed=0, input_shape=(4,))
            >>> model = Sequential([block])
            >>> start = block.state()
            >>> node = block.layers[0]
            >>> first = node.forward(np.ones((1, 4)), training=True)
            >>> block.restore(start)
            >>> bool((node.forward(np.ones((1, 4)), training=True) == first).all())  # same mask
            True
        """
        if not self.layers:
            return {}
        return {"rng": copy.deepcopy(self.layers[0].layer.rng.bit_generator.state)}

    def restore(self, state: dict[str, Any]) -> None:
        """Put back the generator's state that `state` returned.

        Args:
            state: What ``state()`` returned on this block.
        """
        if self.layers:
            self.layers[0].layer.rng.bit_generator.state = copy.deepcopy(state["rng"])

    def get_config(self) -> dict[str, Any]:
        """The arguments that make this block again.

        Examples:
            >>> Dropout(0.25, seed=1, name="d").get_config()
            {'name': 'd', 'rate': 0.25, 'seed': 1}
        """
        return {"name": self.name, "rate": self.rate, "seed": self.seed}


class ModeNode:
    """A layer whose ``forward`` takes the mode: ``forward(x, training)`` as ``train_flg``.

    Examples:
        >>> node = ModeNode(DropoutLayer(0.5, seed=0))
        >>> node.forward(np.ones((1, 4)), training=False)
        array([[1., 1., 1., 1.]])
    """

    takes_training = True

    def __init__(self, layer: Any) -> None:
        self.layer, self.name = layer, layer.name

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The layer's output in training (``training=True``) or inference mode."""
        return self.layer.forward(x, train_flg=training)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """The layer's ``dx``."""
        return self.layer.backward(dout)
