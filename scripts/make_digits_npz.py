"""Regenerate ``src/backprop_book/data/digits.npz`` from scikit-learn's copy of the UCI digits.

The bundled data set is the UCI "Optical Recognition of Handwritten Digits" test set
(E. Alpaydin and C. Kaynak, 1998, UCI Machine Learning Repository, CC BY 4.0,
https://doi.org/10.24432/C50P49): 1,797 images of 8 × 8 pixels, each pixel an integer
0..16. scikit-learn ships the same 1,797 rows as ``sklearn/datasets/data/digits.csv.gz``
(64 pixel columns, then the label). This script reads that file and writes a small npz
with four uint8 arrays, split once here so the split never depends on a library version:

* ``x_train``, ``t_train``: the training set, in a seeded shuffled order;
* ``x_test``, ``t_test``: the test set, in a seeded shuffled order.

The split is stratified: from each class ``c`` with ``n_c`` images, ``round(0.2 * n_c)``
(halves rounded up) go to the test set, chosen by ``numpy.random.default_rng(0)``. The npz
is written with fixed zip timestamps, so running the script twice gives the same bytes.

Usage (in a throwaway venv that has scikit-learn; the book itself does not need it)::

    python3 -m venv /tmp/skl && /tmp/skl/bin/pip install scikit-learn
    CSV=$(/tmp/skl/bin/python -c "import sklearn, pathlib; \
print(pathlib.Path(sklearn.__file__).parent / 'datasets/data/digits.csv.gz')")
    python scripts/make_digits_npz.py "$CSV" src/backprop_book/data/digits.npz
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

TEST_FRACTION = 0.2
SEED = 0
N_SAMPLES = 1797


def read_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read the 1,797 rows: 64 pixels (0..16) then the label (0..9)."""
    with gzip.open(path, "rt", encoding="ascii") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if rows.shape != (N_SAMPLES, 65):
        raise ValueError(f"expected ({N_SAMPLES}, 65) values in {path}, got {rows.shape}")
    x, t = rows[:, :64], rows[:, 64]
    if x.min() < 0 or x.max() > 16 or t.min() < 0 or t.max() > 9:
        raise ValueError(f"pixel or label out of range in {path}")
    return x.astype(np.uint8), t.astype(np.uint8)


def stratified_split(t: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and the test set, both in a shuffled order."""
    test_parts = []
    for c in range(10):
        idx = np.flatnonzero(t == c)
        n_test = int(np.floor(TEST_FRACTION * idx.size + 0.5))
        test_parts.append(rng.permutation(idx)[:n_test])
    test_idx = np.sort(np.concatenate(test_parts))
    train_idx = np.setdiff1d(np.arange(t.size), test_idx)
    return rng.permutation(train_idx), rng.permutation(test_idx)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an npz (a zip of .npy files) with fixed timestamps: same input, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue(), compresslevel=9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv_gz", type=Path, help="path to sklearn/datasets/data/digits.csv.gz")
    parser.add_argument("out", type=Path, help="npz to write")
    args = parser.parse_args()

    x, t = read_csv(args.csv_gz)
    train_idx, test_idx = stratified_split(t, np.random.default_rng(SEED))
    write_npz(
        args.out,
        {
            "x_train": x[train_idx].reshape(-1, 8, 8),
            "t_train": t[train_idx],
            "x_test": x[test_idx].reshape(-1, 8, 8),
            "t_test": t[test_idx],
        },
    )
    src = hashlib.sha256(args.csv_gz.read_bytes()).hexdigest()
    out = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"source {args.csv_gz} sha256 {src}")
    print(f"train {train_idx.size}, test {test_idx.size}")
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes) sha256 {out}")


if __name__ == "__main__":
    main()
