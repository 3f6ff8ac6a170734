"""The Errors page shows what the package raises today: every printed message, recomputed here.

The page (``docs/errors.md``, with its Korean twin) makes each mistake on purpose and prints the
exception's class and message. This test makes the same mistakes itself, independently of the
page's code, and compares: the messages printed on the built page must be exactly these, in this
order, in both editions. A message that changes in the package fails here until the page is
built again; a mistake added to the page fails here until it is added below.
"""

from __future__ import annotations

import contextlib
import pathlib
import re
import tempfile

import numpy as np
import pytest
from bs4 import BeautifulSoup

from backprop_book import (
    SGD,
    Affine,
    Callback,
    Dense,
    Momentum,
    Relu,
    Sequential,
    SoftmaxWithLoss,
    softmax,
)
from backprop_book.models import load_model
from backprop_book.training import load_mnist

PAGES = ["errors/", "ko/errors/"]
PRINTED = re.compile(r"^(\w+(?:Error|Exception)): ", re.M)


def message(attempt) -> str:
    """``Class: message`` of the exception ``attempt()`` raises, as the page prints it."""
    try:
        attempt()
    except Exception as err:
        return f"{type(err).__name__}: {err}"
    raise AssertionError(f"{attempt} raised nothing")


def dense_layer() -> Affine:
    """The page's ``Affine`` after a forward of five samples: its output has shape (5, 2)."""
    layer = Affine(np.ones((3, 2)), np.zeros(2))
    layer.forward(np.ones((5, 3)))
    return layer


class Snapshots(Callback):
    def on_train_begin(self, logs=None):
        self.weights = [self.model.get_weights()]

    def on_batch_end(self, seen, logs=None):
        self.weights.append(self.model.get_weights())


def expected() -> list[str]:
    """The page's mistakes, made again, in the page's order."""
    out = [message(lambda: Dense(0)), message(lambda: Dense(2.5)),
           message(lambda: Dense(10, activation="tanh")),
           message(lambda: Affine(np.ones((3, 2)), np.zeros(3)))]  # fmt: skip
    hidden = Sequential([Dense(10, activation="softmax", input_dim=4),
                         Dense(3, activation="softmax")])  # fmt: skip
    out.append(message(lambda: hidden.compile("sgd", "sparse_categorical_crossentropy")))
    model = Sequential([Dense(3, activation="softmax", input_dim=4)], seed=0)
    out += [
        message(lambda: model.compile(SGD, "sparse_categorical_crossentropy")),
        message(lambda: model.compile("sgd", "mse")),
        message(lambda: model.compile("sgd", "sparse_categorical_crossentropy", metrics="acc")),
        message(lambda: SGD(lr=-0.1)),
    ]
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    x, y = np.zeros((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    x_missing = x.copy()
    x_missing[3, 1] = np.nan
    out += [
        message(lambda: model.fit(x, y, batch_size=0, verbose=0)),
        message(lambda: model.fit(x, y, validation_split=1.0, verbose=0)),
        message(lambda: model.fit(np.zeros((6, 5)), y, verbose=0)),
        message(lambda: model.fit(x, np.array([0, 1, 2]), verbose=0)),
        message(lambda: model.fit(x, np.array([0, 1, 3, 0, 1, 2]), verbose=0)),
        message(lambda: model.fit(x, np.eye(3)[y], verbose=0)),
        message(lambda: model.fit(x_missing, y, verbose=0)),
        message(lambda: Affine(np.ones((3, 2)), np.zeros(2)).forward(np.ones((5, 4)))),
        message(lambda: SoftmaxWithLoss().forward(np.array([[1.0, np.nan]]), np.array([0]))),
        message(lambda: softmax(np.array([np.inf, 0.0]))),
        message(lambda: dense_layer().backward(np.ones((5, 3)))),
        message(lambda: dense_layer().backward(np.ones((5, 2)) * 1j)),
        message(lambda: Relu().backward(np.ones(3))),
    ]
    uncompiled = Sequential([Dense(2, activation="softmax", input_dim=3)])
    out.append(message(lambda: uncompiled.fit(np.ones((2, 3)), np.array([0, 1]))))
    rng = np.random.default_rng(0)
    x_big, y_big = rng.standard_normal((20, 5)) * 1e3, np.arange(20) % 3
    diverging = Sequential([Dense(4, activation="relu", input_dim=5),
                            Dense(3, activation="softmax")], seed=0)  # fmt: skip
    diverging.compile(Momentum(lr=1e12), "sparse_categorical_crossentropy", ["acc"])
    out.append(message(lambda: diverging.fit(x_big, y_big, epochs=5, batch_size=5, verbose=0,
                                             callbacks=[Snapshots()])))  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        saved = Sequential([Dense(2, activation="softmax", input_dim=3)], seed=0)
        saved.save("model.npz")
        out += [message(lambda: saved.save("model.npz", overwrite=False)),
                message(lambda: load_model("missing.npz"))]  # fmt: skip
        pathlib.Path("notes.npz").write_text("not a model")
        out.append(message(lambda: load_model("notes.npz")))
        whole = pathlib.Path("model.npz").read_bytes()
        pathlib.Path("cut.npz").write_bytes(whole[: len(whole) // 2])
        out.append(message(lambda: load_model("cut.npz")))
        np.save("weights.npy", np.ones(3))
        out.append(message(lambda: load_model("weights.npy")))
        pathlib.Path("mnist").mkdir()
        pathlib.Path("mnist/train-images-idx3-ubyte").write_bytes(bytes(16))
        out.append(message(lambda: load_mnist(data_dir="mnist", cache_dir="cache", mirrors=[])))
    return out


@pytest.fixture(scope="module")
def messages() -> list[str]:
    return expected()


def printed(html: str) -> str:
    """The text of every code block and output on the page, one after the other."""
    soup = BeautifulSoup(html, "html.parser")
    return "\n".join(pre.get_text() for pre in soup.find_all("pre"))


@pytest.mark.parametrize("page", PAGES)
def test_every_printed_message_is_what_the_package_raises(page_html, page, messages):
    text = printed(page_html(page))
    shown = [line for line in text.splitlines() if PRINTED.match(line)]
    assert shown == [m.splitlines()[0] for m in messages], f"/{page}: the messages differ"
    for m in messages:  # whole messages, also those of several lines (the data set's)
        assert m in text, f"/{page} does not print {m!r}"


def test_the_expected_messages_cover_every_group(messages):
    classes = {m.split(":")[0] for m in messages}
    assert classes == {"TypeError", "ValueError", "RuntimeError", "FloatingPointError",
                       "FileExistsError", "FileNotFoundError", "ModelFileError",
                       "DatasetError"}  # fmt: skip
    assert any("layers[0] (dense_1) has a softmax" in m for m in messages)
    assert any("SHA-256 of the content is" in m for m in messages)  # checked, not fetched


@pytest.mark.parametrize("page", PAGES)
def test_the_diverged_weights_are_kept_on_the_page(page_text, page):
    assert "True True" in page_text(page)  # finite, and equal to an earlier step's


def test_a_diverged_fit_keeps_the_weights_and_velocity_of_one_earlier_step():
    """What the page's sentence says, checked here on the page's run, made again."""
    rng = np.random.default_rng(0)
    x_big, y_big = rng.standard_normal((20, 5)) * 1e3, np.arange(20) % 3
    model = Sequential([Dense(4, activation="relu", input_dim=5),
                        Dense(3, activation="softmax")], seed=0)  # fmt: skip
    model.compile(Momentum(lr=1e12), "sparse_categorical_crossentropy", ["acc"])
    snap = StateSnapshots()
    with pytest.raises(FloatingPointError):
        model.fit(x_big, y_big, epochs=5, batch_size=5, verbose=0, callbacks=[snap])
    kept = state(model)
    assert len(kept) > len(model.get_weights())  # the velocity is not empty: several steps ran
    assert all(np.isfinite(a).all() for a in kept)
    # exact: copies of the arrays, put back with np.copyto / deepcopy, not recomputed
    matches = [s for s in snap.states if len(s) == len(kept) and all(map(np.array_equal, kept, s))]
    assert matches and any(matches[0] is s for s in snap.states[-2:])  # just before the NaN


def state(model):
    return model.get_weights() + list(model.optimizer.state()["v"].values())


class StateSnapshots(Callback):
    def on_train_begin(self, logs=None):
        self.states = [state(self.model)]

    def on_batch_end(self, seen, logs=None):
        self.states.append(state(self.model))


def test_the_korean_page_says_the_messages_stay_english(page_text):
    assert "영어 메시지 그대로" in page_text("ko/errors/")
