"""examples/keras_style.py: summary numbers, the fit lines of the notes, a trained model."""

import re

from tests.helpers import run_example


def test_keras_style_output():
    out = run_example("keras_style.py")
    lines = out.splitlines()
    assert lines[0] == "train: (1438, 64), test: (359, 64)"
    # parameters by hand: 64 inputs x 100 units + 100 biases; 100 x 10 + 10
    assert re.search(rf"dense_1 \(Dense\) +\(None, 100\) +{64 * 100 + 100}\n", out)
    assert re.search(rf"dense_2 \(Dense\) +\(None, 10\) +{100 * 10 + 10}\n", out)
    assert f"Total params: {64 * 100 + 100 + 100 * 10 + 10:,}" in lines
    # validation_split=0.2 keeps int(1438 * 0.8) = 1150 for training, the last 288 for validation
    assert "Train on 1150 samples, validate on 288 samples" in lines
    epochs = [line for line in lines if line.startswith("Epoch ")]
    assert epochs == [f"Epoch {i}/20" for i in range(1, 21)]
    per_epoch = [line for line in lines if line.startswith(" - ")]
    assert len(per_epoch) == 20
    number = r"\d\.\d{4}"
    for line in per_epoch:
        assert re.fullmatch(
            rf" - \d+s - loss: {number} - acc: {number} - val_loss: {number} - val_acc: {number}",
            line,
        )
    test_acc = float(re.search(r"test acc: (\d\.\d{4})", out).group(1))
    assert test_acc > 0.9  # 10 classes: chance is 0.1
    assert "history keys: ['loss', 'acc', 'val_loss', 'val_acc']" in lines
