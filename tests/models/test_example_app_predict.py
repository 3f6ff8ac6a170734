"""The training center writes one model file; the app loads it and predicts (in a tmp dir)."""

import re
import subprocess
import sys

import numpy as np

from backprop_book import load_digits, load_model
from tests.helpers import EXAMPLES, run_example


def test_training_center_then_app(tmp_path):
    path = tmp_path / "digits_model.npz"
    out = run_example("training_center.py", str(path))
    assert (
        out.splitlines()[0]
        == f"trained {64 * 100 + 100 + 100 * 10 + 10:,} parameters on 1438 digits"
    )
    assert f"saved digits_model.npz ({path.stat().st_size:,} bytes)" in out
    printed_acc = float(re.search(r"test accuracy: (\d\.\d{4})", out).group(1))

    _, (x_test, t_test) = load_digits()
    model = load_model(path)
    assert round(model.evaluate(x_test, t_test)[1], 4) == printed_acc  # same model, same number

    indices = [0, 5, 17, 358]
    app = run_example("app_predict.py", "--model", str(path), *map(str, indices))
    lines = app.splitlines()
    assert lines[0] == "loaded digits_model.npz: 7,510 parameters"
    predicted = model.predict(x_test[indices]).argmax(axis=1)
    for line, i, guess, label in zip(lines[1:5], indices, predicted, t_test[indices], strict=True):
        assert line.startswith(f"digit #{i:3d}: predicted {guess} (")
        assert f"true {label}  " + ("ok" if guess == label else "WRONG") == line.split("), ")[1]
    assert lines[5] == f"correct: {int(np.sum(predicted == t_test[indices]))} of 4"


def test_app_without_a_model_says_what_to_run(tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "app_predict.py"), "--model", str(tmp_path / "none.npz")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "none.npz: run  python examples/training_center.py  first" in done.stderr
