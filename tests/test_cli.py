"""The ``backprop-book`` command line, in-process (``main([...])``) and as ``python -m``."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backprop_book.cli import build_parser, main

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backprop_book", *args],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_help_explains_every_option(capsys):
    with pytest.raises(SystemExit) as done:
        main(["train", "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    options = [a for a in build_parser()._subparsers._group_actions[0].choices["train"]._actions]
    for action in options:
        for flag in action.option_strings:
            assert flag in text
        assert action.help, f"{action.option_strings} has no help text"
    for word in ("digits", "fashion-mnist", "adam", "xavier", "zeros", "W <- W - lr * dL/dW"):
        assert word in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--lr", "-1"], "argument --lr: must be a positive number, got '-1'"),
        (["train", "--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["train", "--hidden", "0"], "argument --hidden: must be at least 1 and at most 10000"),
        (["train", "--hidden", "100000000"], "argument --hidden: must be at least 1 and at most"),
        (["train", "--seed", "-1"], "argument --seed: must be at least 0, got -1"),
        (["train", "--seed", "x"], "argument --seed: expected a whole number, got 'x'"),
        (["train", "--batch-size", "1.5"], "argument --batch-size: expected a whole number"),
        (["train", "--dataset", "cifar"], "argument --dataset: invalid choice: 'cifar'"),
        (["train", "--optimizer", "rmsprop"], "argument --optimizer: invalid choice"),
        (["train", "--epochs", "2", "--iters", "3"], "not allowed with argument"),
        (["train", "--bogus"], "unrecognized arguments: --bogus"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_options_give_one_line_and_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("backprop-book") and "error: " in lines[0] and message in lines[0]


def test_missing_data_set_is_one_line_exit_1(tmp_path, capsys):
    code = main(["train", "--dataset", "mnist", "--data-dir", str(tmp_path), "--quiet"])
    assert code == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("backprop-book: error: mnist: no valid copy of train-images")
    assert "--data-dir" in lines[0]


def test_train_digits_prints_setup_epochs_and_final_accuracies(capsys):
    assert (
        main(["train", "--epochs", "2", "--seed", "0", "--optimizer", "adam", "--lr", "0.01"]) == 0
    )
    out = capsys.readouterr().out
    # 1,438 training digits, batch 100: 1438 // 100 = 14 iterations per epoch, 2 epochs = 28
    assert "digits: 1438 training and 359 test samples; network 64-50-10 (init he" in out
    assert "adam lr 0.01, batch 100; 14 iterations per epoch, 28 iterations" in out
    epochs = re.findall(r"epoch +(\d+) \(iteration +(\d+)\): loss [0-9.]+, train acc", out)
    assert epochs == [("1", "14"), ("2", "28")]
    test_acc = float(re.search(r"final test accuracy: ([0-9.]+)", out).group(1))
    assert 0.8 < test_acc <= 1.0  # two epochs of Adam already learn most digits


def test_quiet_prints_only_the_two_accuracies_and_runs_are_reproducible(capsys):
    argv = ["train", "--iters", "30", "--batch-size", "50", "--seed", "3", "--quiet"]
    assert main(argv) == 0
    first = capsys.readouterr()
    assert main(argv) == 0
    second = capsys.readouterr()
    lines = first.out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["final train accuracy", "final test accuracy"]
    assert first.err == ""
    assert first.out == second.out
    assert main([*argv[:-2], "4", "--quiet"]) == 0
    assert capsys.readouterr().out != first.out


def test_zero_init_stays_at_chance(capsys):
    assert main(["train", "--init", "zeros", "--epochs", "3", "--quiet"]) == 0
    acc = float(re.search(r"final test accuracy: ([0-9.]+)", capsys.readouterr().out).group(1))
    assert acc < 0.3  # every hidden unit is the same unit: about 1 in 10 right


def test_plot_writes_a_well_formed_svg(tmp_path, capsys):
    target = tmp_path / "curves.svg"
    assert main(["train", "--epochs", "2", "--plot", str(target)]) == 0
    assert f"learning curves written to {target}" in capsys.readouterr().out
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg") and root.get("role") == "img"


def test_plot_to_an_unwritable_place_is_one_line(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "dir" / "c.svg"
    assert main(["train", "--iters", "14", "--quiet", "--plot", str(target)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"backprop-book: error: cannot write {target}")


def test_python_dash_m_trains_and_reports():
    done = run_module("train", "--iters", "20", "--quiet", "--standardize")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(
        r"final train accuracy: [01]\.\d{4}\nfinal test accuracy: [01]\.\d{4}\n", done.stdout
    )


def test_python_dash_m_bad_option_exit_2():
    done = run_module("train", "--init", "ones")
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "argument --init" in done.stderr


@pytest.mark.slow
@pytest.mark.skipif(not FASHION_DIR.is_dir(), reason="Debian's dataset-fashion-mnist not installed")
def test_fashion_mnist_from_a_local_directory(capsys):
    argv = ["train", "--dataset", "fashion-mnist", "--data-dir", str(FASHION_DIR)]
    # 100 iterations (a sixth of an epoch) reach ~0.73 test accuracy with seed 0, far above both
    # chance (0.1) and the bar; 300 cost three times the CPU and told nothing more.
    assert main([*argv, "--iters", "100", "--dtype", "float32", "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "fashion-mnist: 60000 training and 10000 test samples; network 784-50-10" in out
    assert "600 iterations per epoch, 100 iterations" in out
    assert float(re.search(r"final test accuracy: ([0-9.]+)", out).group(1)) > 0.6


def test_console_script_entry_point():
    script = Path(sys.executable).parent / "backprop-book"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    done = subprocess.run([str(script), "train", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: backprop-book train" in done.stdout


def test_lr_default_and_choices_come_from_the_registries(capsys):
    from backprop_book.training.initializers import METHODS
    from backprop_book.training.optimizers import OPTIMIZERS

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    actions = {a.dest: a for a in train._actions}
    assert list(actions["optimizer"].choices) == list(OPTIMIZERS)
    assert list(actions["init"].choices) == list(METHODS)
    assert "sgd 0.01" in actions["lr"].help and "adam 0.001" in actions["lr"].help
    assert main(["train", "--iters", "14", "--seed", "0"]) == 0
    assert "sgd lr 0.01, batch 100" in capsys.readouterr().out  # SGD's own default


def test_a_diverging_run_is_one_line_and_exit_1(capsys):
    argv = ["train", "--iters", "50", "--lr", "1e300", "--quiet"]  # weights overflow at once
    assert main(argv) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("backprop-book: error: Trainer: the loss became nan at iteration")
    assert "smaller learning rate" in err[0]


def test_version_prints_the_package_version(capsys):
    from backprop_book import __version__

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"backprop-book {__version__}"


@pytest.mark.parametrize("lr", ["1e100", "1e300"])
def test_no_diverging_run_prints_a_traceback(lr, capsys):
    assert main(["train", "--iters", "30", "--lr", lr, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert err.startswith("backprop-book: error: ")


def test_plot_pointing_at_a_folder_fails_before_training(tmp_path, capsys, monkeypatch):
    from backprop_book.training import trainer

    def never(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(trainer.Trainer, "train", never)
    assert main(["train", "--quiet", "--plot", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"backprop-book: error: cannot write {tmp_path}: it is a folder; give a file "
                   "name such as curves.svg"]  # fmt: skip
    assert main(["train", "--quiet", "--plot", "/dev/null/x.svg"]) == 1
    assert "no writable folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "backprop-book: interrupted"),
        (MemoryError(), 1, "backprop-book: error: out of memory"),
        (FloatingPointError("Trainer: the loss\nbecame nan"), 1, "error: Trainer: the loss became"),
    ],
)
def test_interrupts_and_failures_are_one_line_with_their_exit_code(
    error, code, message, capsys, monkeypatch
):
    from backprop_book.training import trainer

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(trainer.Trainer, "train", fail)
    assert main(["train", "--quiet", "--iters", "3"]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("backprop-book: ") and message in err[0]
