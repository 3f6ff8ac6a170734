"""Benchmark: the package's Convolution (im2col + Affine) against a plain numpy im2col convolution.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
One forward and one backward pass of a convolution layer with 16 filters of 3 × 3, stride 1 and
padding 1 (the usual first layer of a small CNN), on a batch of 100 of the bundled 8 × 8 digits
``(100, 1, 8, 8)``, in float32 and float64. The baseline is the same computation written by hand
below, with no checks and no layer objects: im2col, one product, and for the backward pass the
products for ``dW`` and ``dx`` and col2im. Both versions run in the same process on the same
batches, in alternating order, and the best of several repeats is kept; the ratio of the two is
what the page reports (goal: within 1.2 ×). Times are the process's CPU time with one BLAS
thread, as in ``bench_two_layer.py``.

Writes ``benchmarks/results/convolution.json`` and prints a table. Runs in a few seconds.
"""

from __future__ import annotations

import os

# One BLAS thread (set before numpy loads), as bench_two_layer.py does.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json
import sys
import time
from pathlib import Path

import numpy as np
from bench_two_layer import machine_info

from backprop_book.deeper.convolution import Convolution
from backprop_book.training.datasets import load_digits

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "convolution.json"
clock = time.process_time  # CPU time of this process (see bench_two_layer.py)

BATCH, FN, FH, FW, STRIDE, PAD = 100, 16, 3, 3, 1, 1
ITERS = 20  # forward + backward passes per timed run, one batch each
REPEATS = 30  # timed runs per version, alternating; the best is kept


def make_batches(dtype: np.dtype) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """ITERS batches of digits (N, 1, 8, 8) and upstream gradients (N, FN, 8, 8)."""
    (x_train, _), _ = load_digits(flatten=False)  # float32 in [0, 1], (1438, 1, 8, 8)
    rng = np.random.default_rng(0)
    masks = rng.integers(0, x_train.shape[0], size=(ITERS, BATCH))
    xs = [x_train[mask].astype(dtype) for mask in masks]
    douts = [rng.standard_normal((BATCH, FN, 8, 8)).astype(dtype) for _ in range(ITERS)]
    return xs, douts


def run_package(W: np.ndarray, b: np.ndarray, xs: list, douts: list) -> float:
    """Forward and backward of the package's layer on every batch. Returns seconds."""
    layer = Convolution(W, b, stride=STRIDE, pad=PAD)
    start = clock()
    for x, dout in zip(xs, douts, strict=True):
        layer.forward(x)
        layer.backward(dout)
    return clock() - start


def plain_im2col(x: np.ndarray, oh: int, ow: int) -> np.ndarray:
    n, c = x.shape[:2]
    img = np.pad(x, [(0, 0), (0, 0), (PAD, PAD), (PAD, PAD)])
    col = np.empty((n, c, FH, FW, oh, ow), dtype=x.dtype)
    for p in range(FH):
        for q in range(FW):
            col[:, :, p, q] = img[:, :, p : p + STRIDE * oh : STRIDE, q : q + STRIDE * ow : STRIDE]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(n * oh * ow, -1)


def plain_col2im(col: np.ndarray, shape: tuple[int, ...], oh: int, ow: int) -> np.ndarray:
    n, c, h, w = shape
    col = col.reshape(n, oh, ow, c, FH, FW).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((n, c, h + 2 * PAD, w + 2 * PAD), dtype=col.dtype)
    for p in range(FH):
        for q in range(FW):
            img[:, :, p : p + STRIDE * oh : STRIDE, q : q + STRIDE * ow : STRIDE] += col[:, :, p, q]
    return img[:, :, PAD : PAD + h, PAD : PAD + w]


def run_plain(W: np.ndarray, b: np.ndarray, xs: list, douts: list) -> float:
    """The same forward and backward passes written out with numpy. Returns seconds."""
    start = clock()
    for x, dout in zip(xs, douts, strict=True):
        n, c, h, w = x.shape
        oh, ow = (h + 2 * PAD - FH) // STRIDE + 1, (w + 2 * PAD - FW) // STRIDE + 1
        col = plain_im2col(x, oh, ow)  # (N·OH·OW, C·FH·FW)
        col_W = W.reshape(FN, -1).T  # (C·FH·FW, FN)
        out = (col @ col_W + b).reshape(n, oh, ow, FN).transpose(0, 3, 1, 2)  # noqa: F841
        d = dout.transpose(0, 2, 3, 1).reshape(-1, FN)  # (N·OH·OW, FN)
        db = d.sum(axis=0)  # noqa: F841 (computed, as the layer does)
        dW = (col.T @ d).T.reshape(FN, c, FH, FW)  # noqa: F841
        dx = plain_col2im(d @ col_W.T, x.shape, oh, ow)  # noqa: F841
    return clock() - start


def main() -> None:
    results: dict[str, dict[str, float]] = {}
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        xs, douts = make_batches(np.dtype(dtype))
        rng = np.random.default_rng(1)
        W = (0.1 * rng.standard_normal((FN, 1, FH, FW))).astype(dtype)
        b = np.zeros(FN, dtype=dtype)
        run_package(W, b, xs, douts)  # warm up both
        run_plain(W, b, xs, douts)
        package, plain = [], []
        for _ in range(REPEATS):  # alternate, so both see the same machine load
            package.append(run_package(W, b, xs, douts))
            plain.append(run_plain(W, b, xs, douts))
        per_iter_package, per_iter_plain = min(package) / ITERS, min(plain) / ITERS
        paired = sorted(a / p for a, p in zip(package, plain, strict=True))
        results[name] = {
            "package_ms_per_iter": round(per_iter_package * 1e3, 3),
            "plain_ms_per_iter": round(per_iter_plain * 1e3, 3),
            "ratio_package_over_plain": round(per_iter_package / per_iter_plain, 3),
            "ratio_median_of_pairs": round(paired[len(paired) // 2], 3),
        }
    report = {
        "setup": {
            "input": f"({BATCH}, 1, 8, 8) digits",
            "filters": f"{FN} × 1 × {FH} × {FW}",
            "stride": STRIDE,
            "pad": PAD,
            "passes_per_run": ITERS,
            "runs_best_of": REPEATS,
        },
        "machine": machine_info(),
        "results": results,
        "goal": {"ratio_package_over_plain": 1.2},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'dtype':<8} {'package ms':>10} {'plain ms':>9} {'ratio':>6} {'median':>7}")
    for name, r in results.items():
        print(
            f"{name:<8} {r['package_ms_per_iter']:>10.3f} {r['plain_ms_per_iter']:>9.3f} "
            f"{r['ratio_package_over_plain']:>6.3f} {r['ratio_median_of_pairs']:>7.3f}"
        )
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
