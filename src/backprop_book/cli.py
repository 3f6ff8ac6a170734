"""The ``backprop-book`` command: train a two-layer net from the terminal.

``backprop-book train`` runs the book's training loop (`backprop_book.training.trainer.Trainer`)
on the bundled digits, MNIST or Fashion-MNIST, prints one line per epoch (에폭) and the final
train and test accuracies, and can save the learning curves as an SVG file. ``python -m
backprop_book`` does the same. The choices and defaults of ``--optimizer``, ``--lr`` and
``--init`` are read from the package's registries (``OPTIMIZERS`` with each optimizer's
``default_lr``, ``initializers.METHODS``), so the command and the library never disagree. A
run whose loss diverges ends with a one-line error and exit status 1, a mistake in the options
with status 2, Ctrl-C with 130; ``--version`` prints the version.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import NoReturn

import numpy as np

from backprop_book import __version__
from backprop_book.training.initializers import METHODS
from backprop_book.training.optimizers import OPTIMIZERS
from backprop_book.training.progress import write

__all__ = ["build_parser", "main"]

DATASETS = ("digits", "mnist", "fashion-mnist")


def lr_help() -> str:
    """The help of ``--lr``, from each optimizer's ``default_lr`` (the one default).

    Examples:
        >>> lr_help()
        "learning rate (default: the optimizer's own, as in Keras: sgd 0.01, momentum 0.01, \
adagrad 0.01, adam 0.001)"
    """
    defaults = ", ".join(f"{name} {cls.default_lr:g}" for name, cls in OPTIMIZERS.items())
    return f"learning rate (default: the optimizer's own, as in Keras: {defaults})"


MAX_HIDDEN = 10_000  # hidden units: 784 x 10,000 weights are 63 MB as float64


def _int_in(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """The ``type=`` of an integer option from ``minimum`` (to ``maximum``, if given)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            top = "" if maximum is None else f" and at most {maximum}"
            raise argparse.ArgumentTypeError(f"must be at least {minimum}{top}, got {value}")
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``prog: error: message (see --help)``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``backprop-book`` (every option documented in ``--help``).

    Examples:
        >>> args = build_parser().parse_args(["train", "--optimizer", "adam", "--iters", "50"])
        >>> args.dataset, args.optimizer, args.iters, args.epochs, args.lr
        ('digits', 'adam', 50, None, None)
    """
    parser = _Parser(
        prog="backprop-book",
        description="Backpropagation from the computational graph up to a trained network.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser(
        "train",
        help="train a two-layer net (Affine-ReLU-Affine-Softmax) and report its accuracy",
        description="Train a two-layer net with mini-batch gradient descent and report the "
        "accuracy on the training and test data after every epoch.",
    )
    data = train.add_argument_group("data")
    data.add_argument(
        "--dataset", choices=DATASETS, default="digits",
        help="digits: the 8x8 UCI digits shipped with the package (offline); mnist and "
        "fashion-mnist: 28x28 images, read from --data-dir or the cache, else downloaded "
        "(default: %(default)s)",
    )  # fmt: skip
    data.add_argument(
        "--data-dir", metavar="DIR", default=None,
        help="directory holding the four IDX files (e.g. /usr/share/datasets/fashion-mnist); "
        "nothing is downloaded when it is given",
    )  # fmt: skip
    data.add_argument("--no-download", action="store_true",
                      help="never download; use only local files")  # fmt: skip
    data.add_argument(
        "--standardize", action="store_true",
        help="scale every input to mean 0, standard deviation 1 (statistics of the training "
        "data only)",
    )  # fmt: skip
    net = train.add_argument_group("network")
    net.add_argument("--hidden", type=_int_in(1, MAX_HIDDEN), default=50,
                     help=f"hidden units, at most {MAX_HIDDEN} (default: %(default)s)")  # fmt: skip
    net.add_argument(
        "--init", choices=METHODS, default="he",
        help="initial weights, normal with standard deviation: std = 0.01 (the book's), "
        "xavier = 1/sqrt(fan_in), he = sqrt(2/fan_in); zeros = all zero, to see it fail "
        "(default: %(default)s)",
    )  # fmt: skip
    net.add_argument(
        "--dtype", choices=("float64", "float32"), default="float64",
        help="floating-point type of the network and the data; float32 is faster "
        "(default: %(default)s)",
    )  # fmt: skip
    loop = train.add_argument_group("training")
    loop.add_argument(
        "--optimizer", choices=list(OPTIMIZERS), default="sgd",
        help="update rule; sgd is W <- W - lr * dL/dW (default: %(default)s)",
    )  # fmt: skip
    loop.add_argument("--lr", type=_positive_float, default=None, help=lr_help())
    loop.add_argument("--batch-size", type=_int_in(1), default=100,
                      help="mini-batch size (default: %(default)s)")  # fmt: skip
    length = loop.add_mutually_exclusive_group()
    length.add_argument(
        "--epochs", type=_int_in(1), default=None,
        help="epochs to train (default 20); one epoch = train_size // batch_size iterations",
    )  # fmt: skip
    length.add_argument("--iters", type=_int_in(1), default=None,
                        help="iterations (mini-batch updates), not --epochs")  # fmt: skip
    loop.add_argument(
        "--sampling", choices=("replacement", "epoch"), default="replacement",
        help="replacement: each batch drawn at random like the book; epoch: a shuffled "
        "pass over the data per epoch (default: %(default)s)",
    )  # fmt: skip
    loop.add_argument("--patience", type=_int_in(1), default=None,
                      help="stop after this many epochs with no better test acc")  # fmt: skip
    loop.add_argument("--seed", type=_int_in(0), default=0,
                      help="seed of weights and batches, >= 0 (default: %(default)s)")  # fmt: skip
    out = train.add_argument_group("output")
    out.add_argument(
        "--plot", metavar="FILE.svg", default=None,
        help="write the learning curves (loss, train/test accuracy) to this SVG file",
    )  # fmt: skip
    out.add_argument("--quiet", action="store_true",
                     help="print only the final accuracies (no progress)")  # fmt: skip
    return parser


def _load(args: argparse.Namespace) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    from backprop_book.training import datasets

    if args.dataset == "digits":
        return datasets.load_digits()
    loader = datasets.load_mnist if args.dataset == "mnist" else datasets.load_fashion_mnist
    return loader(data_dir=args.data_dir, download=not args.no_download, progress=not args.quiet)


def _unwritable(path: str) -> str | None:
    """Why ``--plot path`` cannot be written (checked before training), or None.

    Examples:
        >>> _unwritable("/")
        'it is a folder; give a file name such as curves.svg'
    """
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return "it is a folder; give a file name such as curves.svg"
    if os.path.exists(path):
        return None if os.path.isfile(path) and os.access(path, os.W_OK) else "not writable"
    writable = os.path.isdir(folder) and os.access(folder, os.W_OK)
    return None if writable else f"no writable folder {folder}"


def _train(args: argparse.Namespace) -> int:
    from backprop_book.training.download import DatasetError
    from backprop_book.training.trainer import Trainer
    from backprop_book.training.two_layer_net import TwoLayerNet

    problem = None if args.plot is None else _unwritable(args.plot)
    if problem:  # fail before a long run, not after it
        print(f"backprop-book: error: cannot write {args.plot}: {problem}", file=sys.stderr)
        return 1
    try:
        (x_train, t_train), (x_test, t_test) = _load(args)
    except DatasetError as error:
        first = str(error).splitlines()[0]
        print(f"backprop-book: error: {first} Pass --data-dir DIR (a directory with the four "
              "IDX files) or allow the download.", file=sys.stderr)  # fmt: skip
        return 1
    dtype = np.dtype(args.dtype)
    x_train, x_test = x_train.astype(dtype), x_test.astype(dtype)
    if args.standardize:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        std[std == 0] = 1.0
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    n_in, n_out = x_train.shape[1], int(t_train.max()) + 1
    network = TwoLayerNet(n_in, args.hidden, n_out, args.init, seed=args.seed, dtype=dtype)
    lr = OPTIMIZERS[args.optimizer].default_lr if args.lr is None else args.lr
    epochs = 20 if args.epochs is None and args.iters is None else args.epochs

    def on_epoch(epoch: int, i: int, train_acc: float, test_acc: float) -> None:
        assert trainer.result is not None  # on_epoch is called from inside trainer.train()
        loss = trainer.result.train_loss_list[-1]
        write(
            f"epoch {epoch:3d} (iteration {i:6d}): loss {loss:.4f}, "
            f"train acc {train_acc:.4f}, test acc {test_acc:.4f}"
        )

    trainer = Trainer(
        network, x_train, t_train, x_test, t_test, optimizer=args.optimizer, lr=lr,
        batch_size=args.batch_size, iters_num=args.iters, epochs=epochs,
        sampling=args.sampling, seed=args.seed, patience=args.patience,
        progress=False if args.quiet else None, on_epoch=None if args.quiet else on_epoch,
    )  # fmt: skip
    if not args.quiet:
        print(
            f"{args.dataset}: {len(x_train)} training and {len(x_test)} test samples; "
            f"network {n_in}-{args.hidden}-{n_out} (init {args.init}, {args.dtype}); "
            f"{args.optimizer} lr {lr:g}, batch {args.batch_size}; "
            f"{trainer.iter_per_epoch} iterations per epoch, {trainer.iters_num} iterations",
            flush=True,
        )
    start = time.perf_counter()
    result = trainer.train()  # a diverging loss raises FloatingPointError: main reports it
    seconds = time.perf_counter() - start
    if not args.quiet:
        stop = " (stopped early)" if result.stopped_early else ""
        print(f"trained {result.iterations} iterations in {seconds:.1f} s{stop}")
    print(f"final train accuracy: {network.accuracy(x_train, t_train):.4f}")
    print(f"final test accuracy: {network.accuracy(x_test, t_test):.4f}")
    if args.plot:
        from backprop_book.training.plotting import figure_to_svg, plot_learning_curves

        if not result.train_acc_list:
            print("backprop-book: no complete epoch, so no accuracy curve", file=sys.stderr)
        fig = plot_learning_curves(
            result.train_loss_list, result.train_acc_list, result.test_acc_list,
            result.iter_per_epoch,
        )  # fmt: skip
        svg = figure_to_svg(fig, f"Learning curves: {args.dataset}, two-layer net")
        try:
            with open(args.plot, "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg)
        except OSError as error:
            print(f"backprop-book: error: cannot write {args.plot}: {error}", file=sys.stderr)
            return 1
        if not args.quiet:
            print(f"learning curves written to {args.plot}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status: 0 done, 1 a failed run (a diverging loss,
    missing data, an unwritable file: one paragraph on stderr, never a traceback), 130 Ctrl-C;
    argparse exits with 2 on bad options.

    Args:
        argv: the arguments without the program name (default: ``sys.argv[1:]``).

    Examples:
        >>> main(["train", "--iters", "3", "--batch-size", "10", "--quiet"])  # doctest: +ELLIPSIS
        final train accuracy: 0...
        final test accuracy: 0...
        0
    """
    args = build_parser().parse_args(argv)
    try:
        return _train(args)  # the one command (argparse requires it)
    except KeyboardInterrupt:
        print("\nbackprop-book: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        print("backprop-book: error: out of memory; try a smaller --hidden or --batch-size",
              file=sys.stderr)  # fmt: skip
        return 1
    except (ValueError, TypeError, RuntimeError, FloatingPointError, OSError) as error:
        print(f"backprop-book: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
