"""The model's input checks: a NaN, an infinity or an overflowing cast in ``x`` is refused by
the method that received it, before any training, and the model is left as it was."""

from __future__ import annotations

import numpy as np
import pytest

from backprop_book import Dense, Sequential


def compiled(dtype=np.float64) -> Sequential:
    model = Sequential(
        [Dense(4, activation="relu", input_dim=3), Dense(2, activation="softmax")],
        seed=0,
        dtype=dtype,
    )
    model.compile("sgd", "sparse_categorical_crossentropy", ["acc"])
    return model


def calls(model, x, y):
    return {
        "fit": lambda: model.fit(x, y, epochs=1, verbose=0),
        "evaluate": lambda: model.evaluate(x, y, verbose=0),
        "predict": lambda: model.predict(x, verbose=0),
        "loss": lambda: model.loss(x, y),
    }


@pytest.mark.parametrize("method", ["fit", "evaluate", "predict", "loss"])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_a_non_finite_input_is_named_by_the_method_that_got_it(method, value):
    model = compiled()
    x, y = np.ones((6, 3)), np.arange(6) % 2
    x[4, 2] = value
    before = [w.tobytes() for w in model.get_weights()]  # the stored bits, not a computation
    with pytest.raises(ValueError) as err:
        calls(model, x, y)[method]()
    assert str(err.value) == (
        f"Sequential.{method}: x contains NaN or inf (first in sample 4); "
        "the inputs must be finite numbers"
    )
    # refused before any step: not one bit of any weight was written
    assert before == [w.tobytes() for w in model.get_weights()]
    assert model.history is None  # fit stopped before its first epoch began


def test_a_cast_that_overflows_the_model_dtype_is_refused_too():
    model = compiled(np.float32)
    x = np.ones((3, 3))
    x[1, 0] = 1e39  # finite in float64, inf in float32
    with pytest.raises(ValueError, match=r"^Sequential\.predict: x contains values too large for "
                       r"float32 \(first in sample 1\)"):  # fmt: skip
        model.predict(x, verbose=0)


@pytest.mark.parametrize("x", [np.ones((2, 3), dtype=complex), np.ones((2, 3), dtype=bool)])
def test_complex_and_boolean_inputs_are_refused(x):
    with pytest.raises(ValueError, match=r"^Sequential\.predict: x must be a numeric array"):
        compiled().predict(x, verbose=0)


def test_finite_inputs_still_pass():
    model = compiled()
    x = np.random.default_rng(0).standard_normal((5, 3))
    probabilities = model.predict(x, verbose=0)
    assert probabilities.shape == (5, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-12)
