"""Conv2D, MaxPooling2D, Flatten, BatchNormalization, Dropout in Sequential: the layer
arithmetic, the gradients, training on the digits, and the training/inference modes."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book import SGD, Adam, load_digits
from backprop_book.layers.functions import softmax
from backprop_book.layers.gradient_check import gradient_check, gradient_errors
from backprop_book.models import (
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    MaxPooling2D,
    Sequential,
)

# Central differences in float64 (h = 1e-4) have a truncation error of order h² ≈ 1e-8 of the
# gradient's scale; a wrong backward (a transposed axis, a missing term) is off by order 1.
GRAD_TOL = 1e-6


def cnn(seed: int = 0, activation: str = "relu") -> Sequential:
    return Sequential(
        [
            Conv2D(8, 3, activation=activation, input_shape=(8, 8, 1)),
            MaxPooling2D(2),
            Flatten(),
            Dense(10, activation="softmax"),
        ],
        seed=seed,
    )


def rows(model: Sequential) -> dict[str, list[str]]:
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    table = [line.split() for line in lines]  # name, (Type), (None, ..., ...), count
    return {row[0]: row for row in table if len(row) > 2 and row[2] == "(None,"}


def digits_images() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    (x, t), (x_test, t_test) = load_digits(flatten=False)  # (N, 1, 8, 8), channels-first
    return (x.transpose(0, 2, 3, 1), t), (x_test.transpose(0, 2, 3, 1), t_test)  # (N, 8, 8, 1)


# ---------------------------------------------------------------- shapes and parameter counts
def test_summary_counts_follow_the_layer_arithmetic():
    model = Sequential(
        [
            Conv2D(8, 3, input_shape=(8, 8, 1)),
            BatchNormalization(),
            MaxPooling2D(2),
            Flatten(),
            Dropout(0.5),
            Dense(10, activation="softmax"),
        ]
    )
    FH = FW = 3
    C, filters = 1, 8
    OH = OW = 8 - FH + 1  # valid, stride 1
    PH = OH // 2  # 2×2 pooling
    conv = (FH * FW * C + 1) * filters
    bn = 4 * filters  # gamma, beta, running mean, running variance
    dense = PH * PH * filters * 10 + 10
    table = rows(model)
    assert table["conv2d_1"][2:] == ["(None,", f"{OH},", f"{OW},", f"{filters})", str(conv)]
    assert table["batch_normalization_1"][-1] == str(bn)
    assert table["max_pooling2d_1"][2:] == ["(None,", f"{PH},", f"{PH},", f"{filters})", "0"]
    assert table["flatten_1"][2:] == ["(None,", f"{PH * PH * filters})", "0"]
    assert table["dropout_1"][-1] == "0"
    assert table["dense_1"][-1] == str(dense)
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    total, fixed = conv + bn + dense, 2 * filters
    assert f"Total params: {total:,}" in lines
    assert f"Trainable params: {total - fixed:,}" in lines
    assert f"Non-trainable params: {fixed:,}" in lines
    assert model.count_params() == total
    assert sum(p.size for p in model.params.values()) == total - fixed
    assert list(model.params) == ["W1", "b1", "gamma1", "beta1", "W2", "b2"]


def test_conv2d_computes_the_channels_last_convolution():
    rng = np.random.default_rng(3)
    model = Sequential([Conv2D(4, (3, 2), strides=2, input_shape=(7, 6, 2)), Flatten(),
                        Dense(3, activation="softmax")], seed=1)  # fmt: skip
    x = rng.standard_normal((2, 7, 6, 2))
    conv_node = model.layers[0].layers[0]
    out = conv_node.forward(x)
    W, b = model.params["W1"], model.params["b1"]  # (filters, C, FH, FW), the book's layout
    OH, OW = (7 - 3) // 2 + 1, (6 - 2) // 2 + 1
    expected = np.empty((2, OH, OW, 4))
    for i in range(OH):
        for j in range(OW):
            patch = x[:, 2 * i : 2 * i + 3, 2 * j : 2 * j + 2, :]  # (N, FH, FW, C)
            expected[:, i, j, :] = np.einsum("nhwc,fchw->nf", patch, W) + b
    assert out.shape == (2, OH, OW, 4)
    assert np.allclose(out, expected, rtol=1e-12, atol=1e-12)  # the same sums, another order


# ---------------------------------------------------------------- gradients
def test_cnn_gradient_passes_the_numerical_check():
    model = cnn(seed=0, activation="sigmoid")  # smooth: no kink for the differences to cross
    x = np.random.default_rng(0).standard_normal((3, 8, 8, 1))
    assert gradient_check(model, x, np.array([0, 3, 9])) < GRAD_TOL


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_strided_conv_with_cropping_and_padding_passes_the_numerical_check(padding):
    # valid on 8 with kernel 3, stride 2: the last row is never reached and gets a zero gradient
    size = 8 if padding == "valid" else 7
    model = Sequential([Conv2D(3, 3, strides=2, padding=padding, activation="sigmoid",
                               input_shape=(size, size, 2)), Flatten(),
                        Dense(4, activation="softmax")], seed=2)  # fmt: skip
    x = np.random.default_rng(1).standard_normal((2, size, size, 2))
    assert gradient_check(model, x, np.array([1, 2])) < GRAD_TOL


def test_batch_normalization_gradient_in_training_mode():
    model = Sequential([Conv2D(3, 3, input_shape=(5, 5, 2)), BatchNormalization(),
                        Flatten(), Dense(4, activation="softmax")], seed=4)  # fmt: skip
    x, t = np.random.default_rng(2).standard_normal((4, 5, 5, 2)), np.array([0, 1, 2, 3])

    class Training:  # the model's loss and gradient, both in training mode
        params = model.params

        def loss(self, x, t):
            return model.loss(x, t, training=True)

        def gradient(self, x, t):
            return model.gradient(x, t, training=True)

    errors = gradient_errors(Training(), x, t)
    assert set(errors) == {"W1", "b1", "gamma1", "beta1", "W2", "b2"}
    # b1 is shifted away by the normalization that follows: its gradient is 0 (both ways, up
    # to rounding), so its relative error compares two roundings and says nothing
    assert np.abs(model.gradient(x, t, training=True)["b1"]).max() < 1e-12
    assert max(e for key, e in errors.items() if key != "b1") < GRAD_TOL


# ---------------------------------------------------------------- training on the digits
def test_fit_on_the_digits_reduces_the_loss():
    (x, t), (x_test, t_test) = digits_images()
    model = cnn(seed=0)
    model.compile(Adam(lr=0.01), "sparse_categorical_crossentropy", ["acc"])
    before = model.evaluate(x_test, t_test)[0]
    history = model.fit(x, t, epochs=2, batch_size=64, verbose=0, seed=0)
    after, acc = model.evaluate(x_test, t_test)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert after < 0.5 * before  # about ln 10 ≈ 2.3 at the start: two epochs more than halve it
    assert acc > 0.5  # chance is 0.1


# ---------------------------------------------------------------- training and inference modes
def test_dropout_drops_in_fit_and_passes_everything_in_predict():
    rate = 0.5
    model = Sequential([Dense(200, activation="relu", input_dim=4), Dropout(rate, seed=0),
                        Dense(3, activation="softmax")], seed=0)  # fmt: skip
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, t = np.random.default_rng(0).standard_normal((50, 4)), np.arange(50) % 3
    node = model.layers[1].layers[0].layer  # the book's Dropout layer
    model.fit(x, t, epochs=1, batch_size=50, verbose=0)
    kept = node.mask.mean()  # 50·200 draws: the fraction kept has std 0.005 around 0.5
    assert abs(kept - (1 - rate)) < 0.03 and node.scale == 1 / (1 - rate)
    p1, p2 = model.predict(x), model.predict(x)
    assert node.mask.all() and node.scale == 1.0
    assert np.array_equal(p1, p2)  # inference: no randomness
    plain = Sequential([Dense(200, activation="relu", input_dim=4),
                        Dense(3, activation="softmax")])  # fmt: skip
    plain.set_weights(model.get_weights())
    assert np.allclose(plain.predict(x), p1, rtol=1e-12, atol=0)  # Dropout is the identity
    assert model.loss(x, t, training=True) != model.loss(x, t, training=True)  # new masks


def test_batch_normalization_uses_batch_statistics_in_fit_and_running_ones_in_predict():
    momentum, eps = 0.99, 1e-3
    model = Sequential([BatchNormalization(input_shape=(4,)), Dense(3, activation="softmax")],
                       seed=0)  # fmt: skip
    model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(5)
    x, t = rng.normal(3.0, 2.0, (40, 4)), np.arange(40) % 3
    model.fit(x, t, epochs=1, batch_size=40, shuffle=False, verbose=0)  # one step
    weights = model.named_weights()
    mean, var = weights["running_mean1"], weights["running_var1"]
    assert np.allclose(mean, (1 - momentum) * x.mean(axis=0), rtol=1e-12)  # from 0
    assert np.allclose(var, momentum * 1 + (1 - momentum) * x.var(axis=0), rtol=1e-12)  # from 1
    gamma, beta, W, b = (weights[k] for k in ("gamma1", "beta1", "W1", "b1"))
    expected = softmax((gamma * (x - mean) / np.sqrt(var + eps) + beta) @ W + b)
    assert np.allclose(model.predict(x), expected, rtol=1e-10, atol=1e-14)
    # inference: a sample's output does not depend on its batch; training: it does
    assert np.allclose(model.predict(x[:1]), model.predict(x)[:1], rtol=1e-12, atol=0)
    node = model.layers[0].layers[0]
    assert not np.allclose(node.forward(x[:2], training=True), node.forward(x, training=True)[:2])


# ---------------------------------------------------------------- bad arguments
@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Conv2D(0, 3), ValueError, "Conv2D: filters must be a positive integer, got 0"),
        (lambda: Conv2D(8, 2.5), TypeError, "Conv2D: kernel_size must be a positive integer"),
        (lambda: Conv2D(8, (3, 3, 3)), ValueError, "Conv2D: kernel_size must be one size or a"),
        (lambda: Conv2D(8, 3, padding="full"), ValueError, "Conv2D: unknown padding 'full'"),
        (lambda: Conv2D(8, 3, activation="softmax"), ValueError, "Conv2D: unknown activation"),
        (lambda: Conv2D(8, 3, strides=(1, 2)), ValueError, "Conv2D: strides must be the same"),
        (lambda: Conv2D(8, 3, input_shape=8), TypeError, "Conv2D: input_shape must be a tuple"),
        (
            lambda: Sequential([Conv2D(8, 5, input_shape=(3, 3, 1))]),
            ValueError,
            r"Conv2D conv2d_1: the window \(5, 5\) does not fit the inputs \(None, 3, 3, 1\)",
        ),
        (
            lambda: Sequential([Conv2D(8, 3, input_shape=(8, 8))]),
            ValueError,
            r"Conv2D conv2d_1: takes images \(N, H, W, C\), channels-last",
        ),
        (
            lambda: Sequential([Conv2D(8, 2, padding="same", input_shape=(8, 8, 1))]),
            ValueError,
            "Conv2D conv2d_1: padding='same' needs an odd kernel_size",
        ),
        (lambda: MaxPooling2D(0), ValueError, "MaxPooling2D: pool_size must be a positive"),
        (lambda: MaxPooling2D((2, 3)), ValueError, "MaxPooling2D: a .* window needs strides"),
        (lambda: Dropout(1.0), ValueError, "Dropout: rate must be a number >= 0 and < 1"),
        (lambda: Dropout(0.5, seed=-1), ValueError, "Dropout: seed must be an integer >= 0"),
        (lambda: BatchNormalization(momentum=1), ValueError, "BatchNormalization: momentum"),
        (lambda: BatchNormalization(epsilon=0), ValueError, "BatchNormalization: epsilon"),
        (
            lambda: Sequential([BatchNormalization(input_shape=(8, 8))]),
            ValueError,
            "BatchNormalization batch_normalization_1: takes features",
        ),
        (
            lambda: Sequential([Flatten(input_shape=(4,)), MaxPooling2D(2)]),
            ValueError,
            r"MaxPooling2D max_pooling2d_1: takes images \(N, H, W, C\)",
        ),
    ],
)
def test_bad_arguments_name_the_block_and_the_argument(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_images_of_the_wrong_shape_are_refused_by_predict():
    model = cnn()
    with pytest.raises(ValueError, match=r"x has shape \(2, 1, 8, 8\) but the model expects "
                                         r"\(None, 8, 8, 1\)"):  # fmt: skip
        model.predict(np.zeros((2, 1, 8, 8)))  # channels-first by mistake


def test_one_sgd_step_of_fit_moves_every_trainable_weight_by_its_gradient():
    model = Sequential([Conv2D(3, 3, activation="sigmoid", input_shape=(5, 5, 2)),
                        BatchNormalization(), MaxPooling2D(3), Flatten(),
                        Dense(4, activation="softmax")], seed=6)  # fmt: skip
    lr = 0.1
    model.compile(SGD(lr=lr), "sparse_categorical_crossentropy")
    x, t = np.random.default_rng(7).standard_normal((6, 5, 5, 2)), np.arange(6) % 4
    grads = model.gradient(x, t, training=True)  # what fit's one full-batch step computes
    before = {key: p.copy() for key, p in model.named_weights().items()}
    model.fit(x, t, epochs=1, batch_size=6, shuffle=False, verbose=0)
    after = model.named_weights()
    for key, g in grads.items():  # W1 (the filters), b1, gamma1, beta1, W2, b2
        assert np.allclose(after[key], before[key] - lr * g, rtol=1e-10, atol=1e-14), key
        if key != "b1":  # b1, before a normalization, has a zero gradient (see above)
            assert not np.allclose(after[key], before[key], rtol=1e-6, atol=0), key
    assert set(before) - set(grads) == {"running_mean1", "running_var1"}  # not the optimizer's


def test_evaluate_and_predict_leave_the_running_averages_alone():
    model = Sequential([BatchNormalization(input_shape=(3,)), Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, t = np.random.default_rng(8).normal(5.0, 1.0, (10, 3)), np.arange(10) % 2
    model.evaluate(x, t)
    model.predict(x)
    weights = model.named_weights()
    assert np.array_equal(weights["running_mean1"], np.zeros(3))  # as built
    assert np.array_equal(weights["running_var1"], np.ones(3))
