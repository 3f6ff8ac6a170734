"""Sequential, Dense, Activation: the seed's numbers, the same gradients as TwoLayerNet, fit."""

from __future__ import annotations

import re

import numpy as np
import pytest

from backprop_book import (
    SGD,
    Activation,
    Dense,
    EarlyStopping,
    Sequential,
    TwoLayerNet,
    load_digits,
    numerical_gradient,
    one_hot,
)
from backprop_book.layers.gradient_check import gradient_errors, relative_error

# The progress line of the notes (S15), with the clock's fields left free.
LINE = (
    r"(\d+)/\1 \[={30}\] - \d+s \d+(us|ms|s)/step - loss: \d+\.\d{4}(e[+-]\d+)?"
    r" - acc: \d\.\d{4}(e[+-]\d+)?"
)


def small_model(seed: int = 0, **kw) -> Sequential:
    return Sequential(
        [Dense(4, activation="relu", input_dim=5, **kw), Dense(3, activation="softmax")],
        seed=seed,
    )


def summary_lines(model: Sequential) -> list[str]:
    lines: list[str] = []
    model.summary(print_fn=lines.append)
    return lines


# ---------------------------------------------------------------- summary (S14)
def test_summary_of_the_notes_model_shows_39250_and_5100():
    model = Sequential([Dense(50, input_dim=784), Dense(100)])
    lines = summary_lines(model)
    # by hand: units x inputs + units (one bias per unit)
    dense_1, dense_2 = 50 * 784 + 50, 100 * 50 + 100
    assert (dense_1, dense_2) == (39250, 5100)
    rows = [line.split() for line in lines if line.startswith("dense")]
    assert rows == [
        ["dense_1", "(Dense)", "(None,", "50)", str(dense_1)],
        ["dense_2", "(Dense)", "(None,", "100)", str(dense_2)],
    ]
    assert "Total params: 44,350" in lines
    assert "Trainable params: 44,350" in lines
    assert "Non-trainable params: 0" in lines
    assert model.count_params() == sum(p.size for p in model.params.values()) == 44350


def test_summary_columns_are_keras_layout():
    lines = summary_lines(Sequential([Dense(50, input_dim=784)]))
    header = lines[1]
    assert header.index("Output Shape") == 29 and header.index("Param #") == 55
    assert lines[0] == "_" * 65 and lines[2] == "=" * 65
    assert lines[3].index("(None, 50)") == 29 and lines[3].index("39250") == 55


def test_summary_with_activation_layer_and_input_shape():
    model = Sequential([Dense(10, input_shape=(8, 8)), Activation("softmax")])
    rows = [line.split()[:2] for line in summary_lines(model) if "_1 (" in line]
    assert rows == [["dense_1", "(Dense)"], ["activation_1", "(Activation)"]]
    assert model.count_params() == 8 * 8 * 10 + 10


def test_summary_before_build_says_what_to_do():
    with pytest.raises(ValueError, match="input_dim"):
        Sequential([Dense(3)]).summary()


def test_names_are_numbered_per_model_from_one():
    a = Sequential([Dense(2, input_dim=2), Dense(2), Activation("relu")])
    b = Sequential([Dense(2, input_dim=2)])
    assert [layer.name for layer in a.layers] == ["dense_1", "dense_2", "activation_1"]
    assert [layer.name for layer in b.layers] == ["dense_1"]
    with pytest.raises(ValueError, match="already"):
        Sequential([Dense(2, input_dim=2, name="x"), Dense(2, name="x")])


def test_initializers_map_to_the_book():
    for name, std in [("he_normal", np.sqrt(2 / 400)), ("glorot_normal", 1 / 20), ("std", 0.01)]:
        model = Sequential([Dense(300, input_dim=400, kernel_initializer=name)], seed=0)
        assert model.params["W1"].std() == pytest.approx(std, rel=0.02)
    zeros = Sequential([Dense(3, input_dim=2, kernel_initializer="zeros")])
    assert not zeros.params["W1"].any() and not zeros.params["b1"].any()


# ---------------------------------------------------------------- the same network as TwoLayerNet
def test_sequential_equals_two_layer_net_loss_and_gradients():
    net = TwoLayerNet(input_size=5, hidden_size=4, output_size=3, weight_init_std=1.0, seed=3)
    model = small_model()
    model.set_weights([net.params[k] for k in ("W1", "b1", "W2", "b2")])
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((6, 5)), np.array([0, 1, 2, 2, 1, 0])
    assert model.loss(x, t) == pytest.approx(net.loss(x, t), rel=1e-12)
    assert model.loss(x, one_hot(t, 3)) == pytest.approx(net.loss(x, t), rel=1e-12)
    model.compile("sgd", "categorical_crossentropy")  # loss() takes both label forms anyway
    assert model.loss(x, t) == pytest.approx(net.loss(x, t), rel=1e-12)
    ours, theirs = model.gradient(x, t), net.gradient(x, t)
    assert list(ours) == ["W1", "b1", "W2", "b2"]
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("act", ["relu", "sigmoid"])
@pytest.mark.parametrize("batch", [1, 7])
def test_gradients_match_numerical_gradients(act, batch):
    model = Sequential(
        [
            Dense(6, activation=act, input_dim=4, kernel_initializer="he"),
            Dense(5),
            Activation(act),
            Dense(3, activation="softmax"),
        ],
        seed=1,
    )
    rng = np.random.default_rng(2)
    x, t = rng.standard_normal((batch, 4)), rng.integers(0, 3, batch)
    grads = model.gradient(x, t)
    for key, param in model.params.items():
        numerical = numerical_gradient(lambda _: model.loss(x, t), param)
        assert relative_error(grads[key], numerical) < 1e-7, key
    assert max(gradient_errors(model, x, t).values()) < 1e-7  # the book's checker agrees


# ---------------------------------------------------------------- fit (S15)
def test_fit_on_60000_samples_prints_the_notes_first_lines(capsys):
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    x, y = np.zeros((60000, 5)), np.zeros(60000, dtype=int)
    history = model.fit(x, y, epochs=1, batch_size=6000, validation_split=0.2, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    # Keras keeps int(60000 * (1 - 0.2)) = 48,000 for training, the last 12,000 for validation
    assert lines[0] == "Train on 48000 samples, validate on 12000 samples"
    assert lines[1] == "Epoch 1/1"
    assert re.fullmatch(LINE + r" - val_loss: \S+ - val_acc: \S+", lines[2])
    assert lines[2].startswith("48000/48000 [")
    assert len(lines) == 3  # not a terminal: one line per epoch, no redraws
    assert history.params["samples"] == 48000 and history.params["val_samples"] == 12000


def test_verbose_2_and_0(capsys):
    x, y = np.random.default_rng(0).standard_normal((40, 5)), np.arange(40) % 3
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    model.fit(x, y, epochs=2, batch_size=10, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Train on 40 samples"
    assert lines[1::2] == ["Epoch 1/2", "Epoch 2/2"]
    for line in lines[2::2]:
        assert re.fullmatch(r" - \d+s - loss: \d\.\d{4} - acc: \d\.\d{4}", line)
    model.fit(x, y, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_history_keys_follow_the_metric_name():
    x, y = np.random.default_rng(0).standard_normal((50, 5)), np.arange(50) % 3
    for metric in ("acc", "accuracy"):
        model = small_model()
        model.compile("adam", "sparse_categorical_crossentropy", [metric])
        h = model.fit(x, y, epochs=3, validation_split=0.2, verbose=0)
        assert list(h.history) == ["loss", metric, "val_loss", "val_" + metric]
        assert h.epoch == [0, 1, 2] and h.params["epochs"] == 3
        assert len(h.history["val_loss"]) == 3
        # the last val numbers are evaluate() on the last 20 % (Keras takes them from the end)
        assert h.history["val_loss"][-1] == pytest.approx(model.evaluate(x[40:], y[40:])[0])


def test_one_full_batch_epoch_is_one_sgd_step():
    x, y = np.random.default_rng(0).standard_normal((8, 5)), np.arange(8) % 3
    model, reference = small_model(), small_model()
    model.compile(SGD(lr=0.5), "sparse_categorical_crossentropy")
    grads = reference.gradient(x, y)
    expected = [p - 0.5 * grads[k] for k, p in reference.params.items()]
    h = model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for got, want in zip(model.get_weights(), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    assert h.history["loss"] == [pytest.approx(reference.loss(x, y))]


def test_fit_is_reproducible_with_a_seed():
    x, y = np.random.default_rng(0).standard_normal((30, 5)), np.arange(30) % 3
    weights = []
    for _ in range(2):
        model = small_model(seed=7)
        model.compile("sgd", "sparse_categorical_crossentropy")
        model.fit(x, y, epochs=2, batch_size=4, verbose=0, seed=1)
        weights.append(model.get_weights())
    for a, b in zip(*weights, strict=True):
        assert np.array_equal(a, b)


def test_evaluate_predict_and_classes():
    x, y = np.random.default_rng(0).standard_normal((9, 5)), np.arange(9) % 3
    model = small_model()
    model.compile("sgd", "categorical_crossentropy", ["accuracy"])
    probs = model.predict(x)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert np.array_equal(model.predict_classes(x), probs.argmax(axis=1))
    loss, acc = model.evaluate(x, one_hot(y, 3))
    assert loss == pytest.approx(-np.mean(np.log(probs[np.arange(9), y])))
    assert acc == pytest.approx(np.mean(probs.argmax(axis=1) == y))
    model.compile("sgd", "categorical_crossentropy")
    assert model.evaluate(x, one_hot(y, 3)) == pytest.approx(loss)  # no metric: just the loss


def test_early_stopping_inside_fit_restores_the_best_weights():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)  # noise: val_loss soon rises
    model = small_model()
    model.compile(SGD(lr=2.0), "sparse_categorical_crossentropy", ["acc"])
    stop = EarlyStopping(patience=2, restore_best_weights=True)
    h = model.fit(
        x, y, epochs=200, batch_size=4, validation_split=0.25, verbose=0, callbacks=[stop]
    )
    assert len(h.epoch) < 200 and model.stop_training
    best = min(h.history["val_loss"])
    assert model.evaluate(x[30:], y[30:])[0] == pytest.approx(best)


def test_nan_loss_stops_training_with_a_clear_message():
    x, y = np.random.default_rng(0).standard_normal((20, 5)) * 1e3, np.arange(20) % 3
    model = small_model()
    model.compile(SGD(lr=1e12), "sparse_categorical_crossentropy", ["acc"])
    # one policy for every loop (training.loop.check_finite): stop with a clear error
    with pytest.raises(FloatingPointError, match=r"^Sequential\.fit: the loss became nan at "
                       r"iteration \d+ \(epoch \d+\); .*smaller learning rate"):  # fmt: skip
        model.fit(x, y, epochs=50, batch_size=5, verbose=0)
    assert len(model.history.epoch) < 50  # the epochs before the divergence are kept
    assert all(np.isfinite(v) for v in model.history.history["loss"])


@pytest.mark.slow
def test_digits_test_accuracy_at_least_0_97():
    (x_train, t_train), (x_test, t_test) = load_digits()
    model = Sequential(
        [
            Dense(128, activation="relu", input_dim=64, kernel_initializer="he"),
            Dense(64, activation="relu", kernel_initializer="he"),
            Dense(10, activation="softmax"),
        ],
        seed=2,
    )
    model.compile("adam", "sparse_categorical_crossentropy", ["acc"])
    model.fit(x_train, t_train, epochs=40, batch_size=32, verbose=0)
    _, acc = model.evaluate(x_test, t_test)
    assert acc >= 0.97
    assert acc == pytest.approx(np.mean(model.predict_classes(x_test) == t_test))


# ---------------------------------------------------------------- bad input
def test_fit_before_compile():
    with pytest.raises(RuntimeError, match="compile the model first"):
        small_model().fit(np.zeros((2, 5)), np.zeros(2, dtype=int))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"optimizer": "sgdd"}, r"unknown optimizer 'sgdd'.*adam.*sgd"),
        ({"loss": "mse"}, r"unknown loss 'mse'; choose one of categorical_crossentropy, sparse"),
        ({"metrics": ["precision"]}, r"unknown metric 'precision'; choose one of acc, accuracy"),
    ],
)
def test_compile_rejects_unknown_names(kwargs, match):
    with pytest.raises(ValueError, match=match):
        small_model().compile(**kwargs)


def test_loss_that_does_not_fit_the_labels():
    model = small_model()
    x = np.zeros((4, 5))
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=r"one-hot labels of shape \(4, 3\), got shape \(4,\);.*"):
        model.fit(x, np.array([0, 1, 2, 0]), verbose=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="for one-hot labels use loss='categorical_crossentropy'"):
        model.fit(x, np.eye(3)[[0, 1, 2, 0]], verbose=0)
    with pytest.raises(ValueError, match="out of range for 3 classes"):
        model.fit(x, np.array([0, 1, 2, 3]), verbose=0)
    with pytest.raises(ValueError, match="x has 4 samples but y has shape"):
        model.fit(x, np.array([0, 1]), verbose=0)


def test_bad_shapes_and_arguments():
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy")
    y = np.zeros(4, dtype=int)
    with pytest.raises(ValueError, match=r"x has shape \(4, 6\) but the model expects \(None, 5\)"):
        model.fit(np.zeros((4, 6)), y)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        model.fit(np.zeros((4, 5)), y, epochs=0)
    with pytest.raises(ValueError, match="leave 0 for training"):
        model.fit(np.zeros((4, 5)), y, validation_split=0.9)
    with pytest.raises(ValueError, match="unknown verbose"):
        model.fit(np.zeros((4, 5)), y, verbose=3)
    with pytest.raises(ValueError, match="needs a softmax output"):
        no_softmax = Sequential([Dense(3, input_dim=5)])
        no_softmax.compile("sgd", "sparse_categorical_crossentropy")
        no_softmax.fit(np.zeros((4, 5)), y)
    with pytest.raises(ValueError, match="unknown activation 'tanh'"):
        Dense(3, activation="tanh")
    with pytest.raises(ValueError, match="unknown kernel_initializer 'glorot_uniform'"):
        Dense(3, kernel_initializer="glorot_uniform")
    with pytest.raises(ValueError, match="units must be a positive integer"):
        Dense(0)
    with pytest.raises(ValueError, match=r"built for inputs \(None, 5\), not \(None, 6\)"):
        model.build((6,))
    with pytest.raises(TypeError, match=r"expected a layer \(Dense, Activation, Conv2D"):
        Sequential([object()])


# ---------------------------------------------------------------- batches, as in Keras
def test_evaluate_and_predict_in_batches_equal_one_whole_batch():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((100, 5)), rng.integers(0, 3, 100)
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    whole_loss, whole_acc = model.evaluate(x, y, batch_size=100)
    # The loss of a batch is a mean; the batched loss is sum(mean_b * n_b) / N. In exact
    # arithmetic the two agree; in floating point each mean and product adds a relative error
    # of about eps = 2.2e-16 per step, a few hundred steps here: 1e-12 is far above that.
    for batch_size in (None, 7, 32, 128):
        loss, acc = model.evaluate(x, y, batch_size=batch_size, verbose=0)
        assert loss == pytest.approx(whole_loss, rel=1e-12, abs=0)
        assert acc == whole_acc  # counts of correct rows: exact
        # the same rows through the same layers; a BLAS kernel may sum in another order for
        # another batch shape, so compare to rounding (probabilities are at most 1)
        batched, whole = model.predict(x, batch_size=batch_size), model.predict(x, batch_size=100)
        np.testing.assert_allclose(batched, whole, rtol=0, atol=1e-12)
    assert model.predict(x, batch_size=128, verbose=0).shape == (100, 3)
    assert np.isclose(whole_loss, model.loss(x, y), rtol=1e-12)


def test_evaluate_verbose_prints_one_keras_line(capsys):
    x, y = np.zeros((40, 5)), np.zeros(40, dtype=int)
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    model.evaluate(x, y, verbose=1)
    assert re.fullmatch(LINE + r"\n", capsys.readouterr().out)


def test_evaluate_with_no_samples_is_a_clear_value_error():
    model = small_model()
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    with pytest.raises(ValueError, match=r"Sequential\.evaluate: x has no samples"):
        model.evaluate(np.zeros((0, 5)), np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        model.evaluate(np.zeros((2, 5)), np.zeros(2, dtype=int), batch_size=0)
    assert model.predict(np.zeros((0, 5))).shape == (0, 3)


# ---------------------------------------------------------------- get_config / from_config
def test_get_config_from_config_round_trip_and_compile_config():
    model = Sequential([Dense(4, activation="relu", input_dim=5, kernel_initializer="he_normal"),
                        Activation("sigmoid"), Dense(3, activation="softmax")], seed=0)  # fmt: skip
    config = model.get_config()
    assert config["input_shape"] == [5] and config["dtype"] == "float64"
    assert config["layers"][0] == {
        "class_name": "Dense",
        "config": {
            "name": "dense_1",
            "activation": "relu",
            "units": 4,
            "kernel_initializer": "he_normal",
        },
    }
    twin = Sequential.from_config(config)
    assert twin.get_config() == config and twin.count_params() == model.count_params()
    assert model.get_compile_config() is None
    model.compile(SGD(lr=0.5), "sparse_categorical_crossentropy", ["acc"])
    compiled = model.get_compile_config()
    assert compiled == {"loss": "sparse_categorical_crossentropy", "metrics": ["acc"],
                        "optimizer": "sgd", "lr": 0.5, "optimizer_config": {}}  # fmt: skip
    twin.compile_from_config(compiled)
    assert type(twin.optimizer) is SGD and twin.optimizer.lr == 0.5
    with pytest.raises(ValueError, match="unknown layer class 'Conv3D'"):
        Sequential.from_config({**config, "layers": [{"class_name": "Conv3D", "config": {}}]})


def test_compile_by_name_uses_the_registry_default_learning_rate():
    from backprop_book.training.optimizers import OPTIMIZERS

    for name, cls in OPTIMIZERS.items():
        model = small_model()
        model.compile(name, "sparse_categorical_crossentropy")
        assert model.optimizer.lr == cls.default_lr == cls().lr
    assert OPTIMIZERS["sgd"].default_lr == 0.01  # Keras' and Deep Learning from Scratch's
