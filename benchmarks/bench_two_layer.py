"""Benchmark: TwoLayerNet (the package's layers) against the same network as one plain numpy loop.

Not a test: timings are measured and published on the site's Benchmarks page, never asserted.
Trains 784-50-10 with batch 100 and SGD (lr 0.1, the book's loop ``params[key] -= lr *
grads[key]``) on random MNIST-shaped data, in float32 and float64. Both versions take the same
batches in the same run, in alternating order, and the best of several repeats is kept. Times
are the process's CPU time with one BLAS thread, so other programs on a shared machine do not
count (they can still slow the caches down a little). Also measures the
machine's large-matrix multiplication rate (one big ``np.dot``) so the training's GFLOP/s can be
read against what the hardware does at best.

Writes ``benchmarks/results/two_layer.json`` and prints a table. Runs in well under a minute.
"""

from __future__ import annotations

import os

# One BLAS thread for everything (set before numpy loads): on a small shared machine, threads that
# wait for each other make the timings chaotic, and both versions get the same single core.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import io
import json
import platform
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

from backprop_book import TwoLayerNet

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "two_layer.json"

# CPU time of this process, not wall time: with one BLAS thread it counts only the work done
# for us, so other programs on a shared machine do not inflate it.
clock = time.process_time

INPUT, HIDDEN, OUTPUT = 784, 50, 10
BATCH, LR = 100, 0.1
TRAIN_SIZE = 10_000
ITERS = 20  # per timed run
REPEATS = 40  # timed runs per version, alternating; the best is kept
# The package's layers should cost nothing over the same arithmetic written out by hand: no
# copies, conversions or allocations the plain loop does not make, the checks kept cheap.
GOAL_RATIO = 1.0  # package time / plain time


def make_data(dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x_train = rng.random((TRAIN_SIZE, INPUT)).astype(dtype)  # pixels in [0, 1)
    t_train = np.eye(OUTPUT, dtype=dtype)[rng.integers(0, OUTPUT, TRAIN_SIZE)]  # one-hot
    batches = rng.integers(0, TRAIN_SIZE, size=(ITERS, BATCH))  # same batches for both versions
    return x_train, t_train, batches


def train_package(dtype: np.dtype, x_train, t_train, batches) -> float:
    """The book's loop with the package's TwoLayerNet. Returns seconds."""
    network = TwoLayerNet(INPUT, HIDDEN, OUTPUT, seed=0, dtype=dtype)
    start = clock()
    for batch_mask in batches:
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grads = network.gradient(x_batch, t_batch)
        for key in ("W1", "b1", "W2", "b2"):
            network.params[key] -= LR * grads[key]
    return clock() - start


def train_plain(dtype: np.dtype, x_train, t_train, batches) -> float:
    """The same network, forward, loss, backward and update written out in one loop."""
    rng = np.random.default_rng(0)
    W1 = (0.01 * rng.standard_normal((INPUT, HIDDEN))).astype(dtype)
    b1 = np.zeros(HIDDEN, dtype=dtype)
    W2 = (0.01 * rng.standard_normal((HIDDEN, OUTPUT))).astype(dtype)
    b2 = np.zeros(OUTPUT, dtype=dtype)
    start = clock()
    for batch_mask in batches:
        x, t = x_train[batch_mask], t_train[batch_mask]
        n = x.shape[0]
        a = x @ W1 + b1  # (N, 784) @ (784, 50) -> (N, 50)
        h = np.maximum(a, 0)
        s = h @ W2 + b2  # (N, 50) @ (50, 10) -> (N, 10)
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        total = e.sum(axis=1, keepdims=True)
        loss = -np.sum(t * (s - np.log(total))) / n  # noqa: F841 (computed, as the package does)
        ds = (e / total - t) / n  # (N, 10)
        dW2 = h.T @ ds  # (50, N) @ (N, 10) -> (50, 10)
        db2 = ds.sum(axis=0)
        dh = ds @ W2.T  # (N, 10) @ (10, 50) -> (N, 50)
        da = np.where(a > 0, dh, 0)
        dW1 = x.T @ da  # (784, N) @ (N, 50) -> (784, 50)
        db1 = da.sum(axis=0)
        W1 -= LR * dW1
        b1 -= LR * db1
        W2 -= LR * dW2
        b2 -= LR * db2
    return clock() - start


def flops_per_iteration() -> int:
    """Multiply-adds of the matrix products, counted as 2 flops each."""
    forward = 2 * BATCH * INPUT * HIDDEN + 2 * BATCH * HIDDEN * OUTPUT
    backward = (
        2 * HIDDEN * BATCH * OUTPUT  # dW2 = hᵀ·dY
        + 2 * BATCH * OUTPUT * HIDDEN  # dh = dY·W2ᵀ
        + 2 * INPUT * BATCH * HIDDEN  # dW1 = xᵀ·da (no dx for the first layer: nothing needs it)
    )
    return forward + backward


def gemm_gflops(dtype: np.dtype, n: int = 1024, repeats: int = 5) -> float:
    """Best rate of an (n, n) @ (n, n) product: the machine's large-matrix ceiling."""
    rng = np.random.default_rng(0)
    a = rng.random((n, n)).astype(dtype)
    b = rng.random((n, n)).astype(dtype)
    np.dot(a, b)  # warm up
    best = min(_timed(lambda: np.dot(a, b)) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def _timed(fn) -> float:
    start = clock()
    fn()
    return clock() - start


def machine_info() -> dict[str, object]:
    """The machine a numpy benchmark ran on: cores, processor, Python, numpy and its BLAS."""
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        **blas_info(),
    }


def blas_info() -> dict[str, object]:
    info: dict[str, object] = {
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(not set)"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", ""),
    }
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        info["numpy_blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
        info["openblas_build_config"] = str(blas.get("openblas configuration", ""))
    except (TypeError, AttributeError):  # older numpy: show_config prints only
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            np.show_config()
        info["numpy_blas"] = buffer.getvalue().splitlines()[:3]
    info.update(_openblas_runtime())
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            info["kernel"] = pools[0].get("architecture", "")
            info["threads"] = pools[0].get("num_threads", "")
    except ImportError:
        pass
    return info


def _openblas_runtime() -> dict[str, object]:
    """Ask the OpenBLAS that numpy loaded which kernel it picked at run time (and threads).

    The build string above names the build machine's core; with DYNAMIC_ARCH the library picks
    its kernel for this CPU when it loads (or takes OPENBLAS_CORETYPE), so ask it directly.
    """
    import ctypes
    import glob

    libs = glob.glob(str(Path(np.__file__).parent.parent / "numpy.libs" / "*openblas*.so*"))
    if not libs:
        return {}
    try:
        lib = ctypes.CDLL(libs[0])  # the copy numpy already loaded
        names = (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", ""))
        for prefix, suffix in names:
            corename = getattr(lib, f"{prefix}get_corename{suffix}", None)
            threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
            if corename is not None and threads is not None:
                corename.restype, threads.restype = ctypes.c_char_p, ctypes.c_int
                return {"openblas_kernel": corename().decode(), "blas_threads": threads()}
    except OSError:
        pass
    return {}


def main() -> None:
    flops = flops_per_iteration()
    results: dict[str, dict[str, float]] = {}
    for dtype in (np.float32, np.float64):
        name = np.dtype(dtype).name
        x_train, t_train, batches = make_data(np.dtype(dtype))
        train_package(dtype, x_train, t_train, batches[:20])  # warm up both
        train_plain(dtype, x_train, t_train, batches[:20])
        package, plain = [], []
        for _ in range(REPEATS):  # alternate, so both see the same machine load
            package.append(train_package(dtype, x_train, t_train, batches))
            plain.append(train_plain(dtype, x_train, t_train, batches))
        per_iter_package = min(package) / ITERS
        per_iter_plain = min(plain) / ITERS
        paired = sorted(a / b for a, b in zip(package, plain, strict=True))  # back-to-back pairs
        gemm = gemm_gflops(np.dtype(dtype))
        results[name] = {
            "package_ms_per_iter": round(per_iter_package * 1e3, 3),
            "plain_ms_per_iter": round(per_iter_plain * 1e3, 3),
            "ratio_package_over_plain": round(per_iter_package / per_iter_plain, 3),
            "ratio_median_of_pairs": round(paired[len(paired) // 2], 3),
            "package_gflops": round(flops / per_iter_package / 1e9, 2),
            "plain_gflops": round(flops / per_iter_plain / 1e9, 2),
            "gemm_gflops": round(gemm, 2),
            "package_fraction_of_gemm": round(flops / per_iter_package / 1e9 / gemm, 3),
        }
    report = {
        "setup": {
            "network": f"{INPUT}-{HIDDEN}-{OUTPUT}",
            "batch": BATCH,
            "lr": LR,
            "iterations_per_run": ITERS,
            "runs_best_of": REPEATS,
            "flops_per_iteration": flops,
        },
        "machine": machine_info(),
        "results": results,
        "goal": {"ratio_package_over_plain": GOAL_RATIO},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    header = f"{'dtype':<8} {'package ms':>10} {'plain ms':>9} {'ratio':>6} {'GFLOP/s':>8}"
    header += f" {'GEMM':>7}"
    print(header)
    for name, r in results.items():
        print(
            f"{name:<8} {r['package_ms_per_iter']:>10.3f} {r['plain_ms_per_iter']:>9.3f} "
            f"{r['ratio_package_over_plain']:>6.3f} {r['package_gflops']:>8.2f} "
            f"{r['gemm_gflops']:>7.2f}"
        )
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
