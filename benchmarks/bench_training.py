"""Benchmark: train the book's two-layer net to accuracy on real data sets.

Not a test: it needs data sets that are not in the repository, and it takes about a minute.
The book's settings (*Deep Learning from Scratch* ``ch05/train_neuralnet.py``): TwoLayerNet
784-50-10 with weights drawn with standard deviation 0.01, SGD with learning rate 0.1,
mini-batches of 100 drawn with replacement, 10,000 iterations (16 epochs of 600 iterations
for 60,000 training images), seed 0, float64. Run through `backprop_book.training.trainer.Trainer`.

Targets (issue 5): Fashion-MNIST test accuracy >= 0.85, MNIST >= 0.97.

- Fashion-MNIST is read from a local directory of IDX files (``--fashion-dir``, default
  ``/usr/share/datasets/fashion-mnist``, Debian's ``dataset-fashion-mnist`` package).
- MNIST is read from ``--mnist-dir`` or the cache of
  `backprop_book.training.datasets.load_mnist`, never
  downloaded here; when it is missing the run is skipped with a note.

Writes ``benchmarks/results/training.json`` (read by the Benchmarks page) and prints it.
"""

from __future__ import annotations

import os

# One BLAS thread (set before numpy loads), as in bench_two_layer.py: on a small shared machine
# threads that wait for each other make timings chaotic. CPU time is reported beside wall time.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np

from backprop_book import Trainer, TwoLayerNet
from backprop_book.training.datasets import DatasetError, load_fashion_mnist, load_mnist

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "training.json"

SETTINGS = {
    "network": "784-50-10",
    "weight_init_std": 0.01,
    "optimizer": "sgd",
    "lr": 0.1,
    "batch_size": 100,
    "iterations": 10_000,
    "sampling": "replacement",
    "seed": 0,
    "dtype": "float64",
}
TARGETS = {"fashion-mnist": 0.85, "mnist": 0.97}


def run(name: str, data: tuple) -> dict:
    """Train with SETTINGS on one data set; return what was measured."""
    (x_train, t_train), (x_test, t_test) = data
    x_train, x_test = x_train.astype(np.float64), x_test.astype(np.float64)
    network = TwoLayerNet(784, 50, 10, weight_init_std=0.01, seed=SETTINGS["seed"])
    trainer = Trainer(
        network, x_train, t_train, x_test, t_test,
        optimizer="sgd", lr=SETTINGS["lr"], batch_size=SETTINGS["batch_size"],
        iters_num=SETTINGS["iterations"], sampling="replacement", seed=SETTINGS["seed"],
        progress=False,
        on_epoch=lambda epoch, i, train_acc, test_acc: print(
            f"  {name} epoch {epoch:2d} (iteration {i:5d}): "
            f"train acc {train_acc:.4f}, test acc {test_acc:.4f}", flush=True),
    )  # fmt: skip
    wall, cpu = time.perf_counter(), time.process_time()
    result = trainer.train()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    test_acc = network.accuracy(x_test, t_test)
    return {
        "train_samples": len(x_train),
        "test_samples": len(x_test),
        "iter_per_epoch": result.iter_per_epoch,
        "evaluated_at_first_three": result.evaluated_at[:3],
        "epochs": result.epochs,
        "final_train_accuracy": round(network.accuracy(x_train, t_train), 4),
        "final_test_accuracy": round(test_acc, 4),
        "target_test_accuracy": TARGETS[name],
        "target_met": bool(test_acc >= TARGETS[name]),
        "first_loss": round(result.train_loss_list[0], 4),
        "last_loss": round(result.train_loss_list[-1], 4),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fashion-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--mnist-dir", default=None)
    args = parser.parse_args()

    report: dict = {"settings": SETTINGS}
    loaders = {
        "fashion-mnist": lambda: load_fashion_mnist(data_dir=args.fashion_dir),
        "mnist": lambda: load_mnist(data_dir=args.mnist_dir, download=False, progress=False),
    }
    for name, load in loaders.items():
        try:
            data = load()
        except DatasetError as error:
            note = str(error).splitlines()[0]
            print(f"{name}: skipped, data not available ({note})")
            report[name] = {"skipped": f"data not available on this machine: {note}"}
            continue
        print(f"{name}: training {SETTINGS['iterations']} iterations ...", flush=True)
        report[name] = run(name, data)
    report["machine"] = {
        "cpus": os.cpu_count(),
        "processor": platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(not set)"),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
