"""The one progress display: the Keras progress line, ProgressBar, tqdm when installed."""

from __future__ import annotations

import io
import re
import sys

import pytest

from backprop_book.training.progress import ProgressBar, format_logs, progress_line, write


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_epoch(bar: ProgressBar) -> None:
    bar.set_params({"epochs": 1, "samples": 100})
    bar.on_train_begin()
    bar.on_epoch_begin(0)
    bar.last_draw = -1.0  # let the next batch draw at once
    bar.on_batch_end(50, {"loss": 1.0})
    bar.on_epoch_end(0, {"loss": 0.5})
    bar.on_train_end()


def test_progress_line_final_and_partial():
    logs = {"loss": 2.3017, "acc": 0.1231, "val_loss": 2.279, "val_acc": 0.2206}
    # the notes' line: 48000 samples in about 0.8 s is 0.8 / 48000 s = 17 us per sample
    assert progress_line(48000, 48000, 0.8, logs) == (
        "48000/48000 [" + "=" * 30 + "] - 1s 17us/step"
        " - loss: 2.3017 - acc: 0.1231 - val_loss: 2.2790 - val_acc: 0.2206"
    )
    # 240 of 48000 fill int(30 * 0.005) = 0 cells; ETA = 0.5 s / 240 * 47760 left = 99.5 s
    start = progress_line(240, 48000, 0.5, {"loss": 1.0})
    assert start == "  240/48000 [" + "." * 30 + "] - ETA: 100s - loss: 1.0000"
    # half-way: 15 of 30 cells, the last one an arrow
    assert progress_line(24000, 48000, 1.0, {}).startswith(
        "24000/48000 [" + "=" * 14 + ">" + "." * 15 + "] - ETA: 1s"
    )
    assert progress_line(10, 10, 20.0, {}) == "10/10 [" + "=" * 30 + "] - 20s 2s/step"
    assert progress_line(10, 10, 0.02, {}).endswith(" - 0s 2ms/step")


def test_format_logs_uses_e_notation_for_tiny_values():
    assert format_logs({"loss": 0.0001234, "acc": 1.0}) == " - loss: 1.2340e-04 - acc: 1.0000"


def test_without_tqdm_the_keras_line_is_redrawn_in_place_on_a_terminal(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # makes `import tqdm.auto` fail
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    run_epoch(ProgressBar(verbose=1))
    text = out.getvalue()
    assert text.startswith("Train on 100 samples\nEpoch 1/1\n\r 50/100 [")
    assert "ETA" in text
    final = text.rsplit("\r", 1)[1]
    assert re.fullmatch(r"\x1b\[K100/100 \[={30}\] - \d+s \d+(us|ms)/step - loss: 0\.5000\n", final)


def test_with_tqdm_a_live_bar_on_a_terminal_and_the_keras_line_stays(monkeypatch):
    tqdm_auto = pytest.importorskip("tqdm.auto")
    out, err = Terminal(), Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    bars = []

    class Spy(tqdm_auto.tqdm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, file=err, **kwargs)
            bars.append(self)

    monkeypatch.setattr(tqdm_auto, "tqdm", Spy)
    run_epoch(ProgressBar(verbose=1))
    assert len(bars) == 1 and bars[0].total == 100 and bars[0].n == 50
    assert "epoch 1" in err.getvalue()  # tqdm's bar, on stderr
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["Train on 100 samples", "Epoch 1/1"]
    assert re.fullmatch(r"100/100 \[={30}\] - \d+s \d+(us|ms)/step - loss: 0\.5000", lines[2])


def test_not_a_terminal_prints_only_the_final_lines(capsys):
    run_epoch(ProgressBar(verbose=1))
    captured = capsys.readouterr()
    assert captured.err == "" and "\r" not in captured.out
    assert captured.out.splitlines()[2].startswith("100/100 [")
    run_epoch(ProgressBar(verbose=2))
    assert re.fullmatch(r"Train on 100 samples\nEpoch 1/1\n - \d+s - loss: 0\.5000\n",
                        capsys.readouterr().out)  # fmt: skip
    run_epoch(ProgressBar(verbose=0, live=True))  # the Trainer's bar: nothing off a terminal
    assert capsys.readouterr() == ("", "")


def test_verbose_0_live_bar_leaves_no_line_behind(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    run_epoch(ProgressBar(verbose=0, live=True))
    assert out.getvalue().startswith("\r 50/100 [") and out.getvalue().endswith("\r\x1b[K")


def test_bad_verbose_and_write(capsys):
    with pytest.raises(ValueError, match="ProgressBar: unknown verbose 3; choose one of 0, 1, 2"):
        ProgressBar(verbose=3)
    write("epoch 1: loss 0.5")
    assert capsys.readouterr().out == "epoch 1: loss 0.5\n"
